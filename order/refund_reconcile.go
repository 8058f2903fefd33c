package order

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/bawaba/checkout/gateway"
)

// refundNotFoundAfter is how long after we reserved a refund the gateway's "no such refund" is
// believed: our own call to the gateway times out long before, so a refund the gateway still
// does not know by then never reached it. Before that, the first call may still be in flight.
const refundNotFoundAfter = 15 * time.Minute

// refundReviewAfter is how long a refund may stay pending before its order is flagged for a
// person (a gateway still "in progress", a notification that never came).
const refundReviewAfter = 24 * time.Hour

// ReconcileRefunds asks the gateways about refunds still pending: those whose answer was lost
// (a timeout, a 5xx, a crash between the gateway call and the record) or that the gateway
// itself reported in progress. A refund is asked about FirstCheck after it was last touched,
// then after a wait as long as it has been pending (so the waits double), capped at an hour,
// for a week (checkFor); after that it stays pending, its amount reserved, for a person.
//
// How each gateway is asked (see recheckRefund):
//   - a gateway.RefundInquirer (Tap, K-Pay, KNET) is asked where the refund stands, by its
//     refund id when we hold one, else by what the gateway can find it by (our refund id at
//     Tap; the charge's refund list at K-Pay). Refunded or failed is recorded exactly as the
//     first answer would have been; pending or unknown is asked again later.
//   - "no such refund" at a gateway.RefundReplayer (Tap: Refund is idempotent by our refund
//     id) asks Refund again with the same refund id: it makes the refund exactly once if the
//     first call never reached the gateway. At a gateway that is no replayer, the refund is
//     recorded failed once refundNotFoundAfter has passed (no money moved: the amount is free
//     again); the reconciler itself never asks a non-idempotent gateway for money.
//   - a gateway with neither (Adyen) answers with its notification (REFUND, REFUND_FAILED:
//     see Webhook), which it retries for days; the refund waits for it.
//
// A refund the gateway cannot be asked about (gateway.ErrRefundNoLookup: KNET without the
// refund's transaction id), or still pending refundReviewAfter after it was made, flags its
// order for review with a refund.needs_review event: the amount stays reserved, and a person
// settles it from the gateway's portal.
func (s *Service) ReconcileRefunds(ctx context.Context) (int, error) {
	now := s.now()
	due, err := s.st.PendingRefunds(ctx, now.Add(-s.cfg.FirstCheck), 50)
	if err != nil {
		return 0, err
	}
	asked := 0
	for _, r := range due {
		if ctx.Err() != nil {
			return asked, ctx.Err()
		}
		if !refundCheckDue(&r, now, s.cfg.FirstCheck) {
			continue
		}
		if err := s.recheckRefund(ctx, r); err != nil {
			s.log.WarnContext(ctx, "reconcile refund", "order", r.OrderID, "refund", r.ID, "err", err)
			continue
		}
		asked++
	}
	return asked, nil
}

// refundCheckDue says whether a pending refund is due for another question at now.
func refundCheckDue(r *Refund, now time.Time, first time.Duration) bool {
	if now.Sub(r.CreatedAt) > checkFor {
		return false
	}
	wait := min(max(r.UpdatedAt.Sub(r.CreatedAt), first), time.Hour)
	return now.Sub(r.UpdatedAt) >= wait
}

// recheckRefund asks the refund's gateway where it stands and records the answer exactly as
// the first one would have been (recordRefund: idempotent, one order.refunded webhook).
func (s *Service) recheckRefund(ctx context.Context, r Refund) error {
	o, err := s.st.Order(ctx, r.OrderID)
	if err != nil {
		return err
	}
	a := findAttempt(&o, r.AttemptID)
	if a == nil {
		return ErrNotFound
	}
	g, ok := s.gw.Gateway(a.Gateway)
	if !ok {
		return ErrRefundUnsupported
	}
	ga := s.gatewayAttempt(&o, a)
	ctx = gateway.WithRefundID(ctx, r.ID)
	refunder, _ := gateway.As[gateway.Refunder](g)
	replayer, ok := gateway.As[gateway.RefundReplayer](g)
	replays := ok && refunder != nil && replayer.ReplaysRefunds()

	res, gerr := s.askRefund(ctx, g, ga, &o, &r, refunder, replays)
	if _, err = s.recordRefund(ctx, &r, res, gerr); err != nil {
		return err
	}
	switch {
	case r.Status != RefundPending:
		return nil
	case errors.Is(gerr, gateway.ErrRefundNoLookup):
		return s.flagRefundForReview(ctx, &r, "the gateway cannot be asked about it")
	case s.now().Sub(r.CreatedAt) >= refundReviewAfter:
		return s.flagRefundForReview(ctx, &r, "no answer after "+refundReviewAfter.String())
	}
	return nil
}

// askRefund asks g where refund r stands, the best way it can be asked (see ReconcileRefunds).
func (s *Service) askRefund(ctx context.Context, g gateway.Gateway, ga gateway.Attempt, o *Order, r *Refund,
	refunder gateway.Refunder, replays bool) (gateway.Result, error) {
	inq, ok := gateway.As[gateway.RefundInquirer](g)
	switch {
	case !ok && replays:
		return refunder.Refund(ctx, ga, r.Amount)
	case !ok:
		// No way to ask: the gateway's notification settles it (Adyen).
		s.log.InfoContext(ctx, "refund pending: waiting for the gateway's notification", "order", o.ID, "refund", r.ID)
		return gateway.Result{Status: gateway.StatusPending, GatewayMessage: "waiting for the gateway's notification"}, nil
	}
	res, gerr := inq.InquireRefund(ctx, ga, gateway.RefundQuery{
		RefundID: r.ID, GatewayRef: r.GatewayRef, Amount: r.Amount, Claimed: claimedRefunds(o, r.ID)})
	if !errors.Is(gerr, gateway.ErrRefundNotFound) {
		return res, gerr
	}
	switch {
	case replays:
		// Never reached the gateway: asking again with the same refund id makes it once.
		return refunder.Refund(ctx, ga, r.Amount)
	case s.now().Sub(r.CreatedAt) >= refundNotFoundAfter:
		return gateway.Result{Status: gateway.StatusFailed,
			GatewayMessage: fmt.Sprintf("the gateway has no such refund %s after it was asked: never made", refundNotFoundAfter)}, nil
	}
	return res, fmt.Errorf("%w (asked again after %s)", gerr, refundNotFoundAfter)
}

// flagRefundForReview flags the order of a refund a person must settle (pending for good, or
// the gateway's word contradicting what we recorded), with one refund.needs_review event per
// refund however often it is asked again or notified.
func (s *Service) flagRefundForReview(ctx context.Context, r *Refund, why string) error {
	events, err := s.st.Events(ctx, r.OrderID)
	if err != nil {
		return err
	}
	for _, e := range events {
		if e.Type == EventRefundReview && e.Data["refund"] == r.ID {
			return nil
		}
	}
	return s.st.Write(ctx, func(tx Tx) error {
		o, err := tx.Order(r.OrderID)
		if err != nil {
			return err
		}
		now := s.now().UTC().Truncate(time.Millisecond)
		if !o.NeedsReview {
			o.NeedsReview, o.UpdatedAt = true, now
			if err := tx.UpdateOrder(&o); err != nil {
				return err
			}
		}
		s.log.WarnContext(ctx, "refund pending for a person: check the gateway's portal", "order", o.ID, "refund", r.ID, "why", why)
		return tx.AppendEvent(Event{OrderID: o.ID, AttemptID: r.AttemptID, Type: EventRefundReview, CreatedAt: now,
			Data: map[string]string{"refund": r.ID, "amount": r.Amount.String(), "why": why}})
	})
}

// claimedRefunds lists the gateway refund ids the order's other refunds hold.
func claimedRefunds(o *Order, except string) []string {
	var ids []string
	for _, x := range o.Refunds {
		if x.ID != except && x.GatewayRef != "" {
			ids = append(ids, x.GatewayRef)
		}
	}
	return ids
}

// refundNotification records a gateway's notification about one refund (Adyen's REFUND or
// REFUND_FAILED) on the refund it names: by our refund id, else by the gateway's refund id.
// found is false when the order has no such refund (one made in the gateway's own portal): the
// caller then applies it as a payment-level result.
func (s *Service) refundNotification(ctx context.Context, a Attempt, n gateway.Notification) (found bool, err error) {
	o, err := s.st.Order(ctx, a.OrderID)
	if err != nil {
		return false, err
	}
	var ref *Refund
	for i := range o.Refunds {
		x := &o.Refunds[i]
		if x.AttemptID == a.ID && ((n.Refund.RefundID != "" && x.ID == n.Refund.RefundID) ||
			(n.Refund.GatewayRef != "" && x.GatewayRef == n.Refund.GatewayRef)) {
			ref = x
			break
		}
	}
	if ref == nil {
		return false, nil
	}
	res := n.Result
	res.PaymentID = n.Refund.GatewayRef
	switch {
	case ref.Status == RefundSucceeded && res.Status == gateway.StatusFailed:
		// Adyen's REFUND_FAILED after its REFUND: the money did not go back after all.
		return true, s.flagRefundForReview(ctx, ref, "the gateway says it failed after it was made: "+res.GatewayMessage)
	case ref.Status == RefundFailed && res.Status == gateway.StatusRefunded:
		// Made after we recorded it failed: the amount we freed went back too.
		return true, s.flagRefundForReview(ctx, ref, "the gateway says it was made after we recorded it failed")
	}
	_, err = s.recordRefund(ctx, ref, res, nil)
	return true, err
}
