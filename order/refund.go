package order

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/money"
)

// RefundStatus is where a refund stands.
type RefundStatus string

// Refund statuses.
const (
	RefundPending   RefundStatus = "pending" // reserved, the gateway is being asked
	RefundSucceeded RefundStatus = "succeeded"
	RefundFailed    RefundStatus = "failed"
)

// Refund is money given back for a paid order, in whole or in part.
type Refund struct {
	ID         string // ref_…
	OrderID    string
	AttemptID  string
	Amount     money.Amount
	Status     RefundStatus
	Kind       string // "refund", or "void" when the gateway voided an unsettled payment
	Reason     string
	GatewayRef string
	Failure    string
	CreatedAt  time.Time
	UpdatedAt  time.Time
}

// Refund errors.
var (
	ErrNotRefundable      = errors.New("order: only a paid order can be refunded")
	ErrRefundTooLarge     = errors.New("order: refund larger than what remains paid")
	ErrRefundUnsupported  = errors.New("order: the gateway that took this payment cannot refund through Bawaba")
	ErrRefundGatewayError = errors.New("order: the gateway refused the refund")
	// ErrRefundPending: the gateway's answer was not final (a timeout, a 5xx, a refund still in
	// progress). The refund stays pending, its amount reserved, until the refund reconciler
	// hears the gateway's word.
	ErrRefundPending = errors.New("order: the refund is pending at the gateway")
)

// refundable returns what remains to refund: paid minus refunds succeeded or pending (the
// order's refunds as its transaction read them).
func refundable(o *Order) (money.Amount, error) {
	left := o.Amount
	for _, r := range o.Refunds {
		if r.Status == RefundFailed {
			continue
		}
		var err error
		if left, err = left.Sub(r.Amount); err != nil {
			return left, err
		}
	}
	return left, nil
}

// Refund gives back amount (the whole remaining amount when empty) of a paid order through the
// gateway that took it. The amount is reserved first, in one transaction, so concurrent refunds
// never exceed what was paid; then the gateway is asked; then the outcome is recorded with the
// order's new status (partially_refunded or refunded), its event and an order.refunded webhook.
func (s *Service) Refund(ctx context.Context, orderID, amount, reason string) (Order, Refund, error) {
	var o Order
	var paid Attempt
	var ref Refund
	var g gateway.Gateway
	err := s.st.Write(ctx, func(tx Tx) error {
		var err error
		if o, err = tx.Order(orderID); err != nil {
			return err
		}
		if o.Status != StatusPaid && o.Status != StatusPartiallyRefunded {
			return ErrNotRefundable
		}
		var ok bool
		if paid, ok = o.PaidAttempt(); !ok || paid.Status != gateway.StatusPaid {
			return ErrNotRefundable
		}
		if g, ok = s.gw.Gateway(paid.Gateway); !ok {
			return ErrRefundUnsupported
		}
		if _, ok := gateway.As[gateway.Refunder](g); !ok {
			return ErrRefundUnsupported
		}
		left, err := refundable(&o)
		if err != nil {
			return err
		}
		want := left
		if amount != "" {
			cur := o.Amount.Currency()
			if want, err = money.Parse(amount, cur.Code); err != nil {
				return &ValidationError{Fields: []FieldError{{Field: "amount", Message: amountMessage(err, cur)}}}
			}
		}
		if !want.IsPositive() || want.Cmp(left) > 0 {
			return fmt.Errorf("%w: %s %s remains", ErrRefundTooLarge, left.String(), left.Currency().Code)
		}
		now := s.now().UTC().Truncate(time.Millisecond)
		ref = Refund{ID: NewID("ref"), OrderID: o.ID, AttemptID: paid.ID, Amount: want, Status: RefundPending,
			Kind: "refund", Reason: reason, CreatedAt: now, UpdatedAt: now}
		return tx.InsertRefund(&ref)
	})
	if err != nil {
		return o, ref, err
	}

	refunder, _ := gateway.As[gateway.Refunder](g) // checked in the transaction above
	res, gerr := refunder.Refund(gateway.WithRefundID(ctx, ref.ID), s.gatewayAttempt(&o, &paid), ref.Amount)
	s.fault(FaultRefundBeforeRecord)
	out, err := s.recordRefund(ctx, &ref, res, gerr)
	if err != nil {
		return out, ref, err
	}
	s.fault(FaultRefundAfterCommit)
	switch ref.Status {
	case RefundFailed:
		return out, ref, fmt.Errorf("%w: %s", ErrRefundGatewayError, ref.Failure)
	case RefundPending:
		return out, ref, fmt.Errorf("%w: %s", ErrRefundPending, ref.Failure)
	}
	return out, ref, nil
}

// refundOutcome is what a gateway's answer to a refund says about the money.
type refundOutcome int

const (
	refundUnknown refundOutcome = iota // no answer we can trust: the money may have moved
	refundMade                         // refunded, or voided before settlement
	refundRefused                      // the gateway said no: no money moved
)

// classifyRefund reads a connector's answer. Only a definite refusal releases the reserved
// amount: a timeout, a 5xx, an unreadable or pending answer keeps the refund pending (and the
// amount reserved) until the refund reconciler hears the gateway's word, so that no refund can
// ever be made twice because we did not hear the first one.
func classifyRefund(res gateway.Result, gerr error) refundOutcome {
	switch {
	case gerr != nil && errors.Is(gerr, gateway.ErrRejected):
		return refundRefused
	case gerr != nil:
		return refundUnknown
	case res.Status == gateway.StatusRefunded || res.Status == gateway.StatusVoided:
		return refundMade
	case res.Status == gateway.StatusFailed || res.Status == gateway.StatusCancelled:
		return refundRefused
	}
	return refundUnknown
}

// recordRefund writes a gateway's answer about ref. The gateway's refund id goes in first, in a
// transaction that only touches the refund's own row (so nothing another refund does can make it
// fail); then the outcome, the order's status, its event and the order.refunded webhook commit
// together in a second transaction that is idempotent and derives everything from the stored
// refunds (so concurrent refunds never ask for a transition the table forbids). When that second
// step fails, the refund stays pending with its gateway id and the refund reconciler settles it.
// A gateway refund id another refund of the order already holds is never taken: that answer
// counts as unknown, so one refund at the gateway is never recorded twice.
func (s *Service) recordRefund(ctx context.Context, ref *Refund, res gateway.Result, gerr error) (Order, error) {
	outcome := classifyRefund(res, gerr)
	why := res.GatewayMessage
	if gerr != nil {
		why = gerr.Error()
	}
	// An unknown outcome always touches the refund: the reconciler's backoff counts from it.
	if res.PaymentID != "" || why != "" || outcome == refundUnknown {
		err := s.st.Write(ctx, func(tx Tx) error {
			o, err := tx.Order(ref.OrderID)
			if err != nil {
				return err
			}
			stored := findRefund(&o, ref.ID)
			if stored == nil {
				return fmt.Errorf("order: refund %s: %w", ref.ID, ErrNotFound)
			}
			if stored.Status != RefundPending { // settled meanwhile (a notification): never step back
				*ref = *stored
				return nil
			}
			*ref = *stored
			ref.UpdatedAt = s.now().UTC().Truncate(time.Millisecond)
			if holder := refundHolding(&o, res.PaymentID, ref.ID); holder != "" {
				// Another refund already holds this gateway refund: never count one refund
				// twice (two reconcilers matching one K-Pay entry). Ask again later.
				outcome, why = refundUnknown, "gateway refund "+res.PaymentID+" already belongs to refund "+holder
			} else if res.PaymentID != "" {
				ref.GatewayRef = res.PaymentID
			}
			if outcome == refundUnknown && why != "" {
				ref.Failure = why
			}
			return tx.UpdateRefund(ref)
		})
		if err != nil {
			return Order{}, err
		}
		s.fault(FaultRefundIDRecorded)
	}
	if outcome == refundUnknown {
		o, err := s.st.Order(ctx, ref.OrderID)
		return o, err
	}
	var out Order
	err := s.st.Write(ctx, func(tx Tx) error {
		o, err := tx.Order(ref.OrderID)
		if err != nil {
			return err
		}
		out = o
		stored := findRefund(&o, ref.ID)
		if stored == nil {
			return fmt.Errorf("order: refund %s: %w", ref.ID, ErrNotFound)
		}
		if stored.Status != RefundPending { // someone (the reconciler) settled it first
			*ref = *stored
			return nil
		}
		now := s.now().UTC().Truncate(time.Millisecond)
		ref.UpdatedAt = now
		if outcome == refundRefused {
			ref.Status, ref.Failure = RefundFailed, why
			*stored = *ref
			if err := tx.UpdateRefund(ref); err != nil {
				return err
			}
			return tx.AppendEvent(Event{OrderID: o.ID, AttemptID: ref.AttemptID, Type: EventRefundFailed, CreatedAt: now,
				Data: map[string]string{"refund": ref.ID, "amount": ref.Amount.String(), "why": ref.Failure}})
		}
		ref.Status, ref.Failure = RefundSucceeded, ""
		if res.Status == gateway.StatusVoided {
			ref.Kind = "void"
		}
		*stored = *ref
		if err := tx.UpdateRefund(ref); err != nil {
			return err
		}
		if err := s.settleRefundedOrder(tx, &o, ref, res.Status, now); err != nil {
			return err
		}
		out = o
		return nil
	})
	return out, err
}

// settleRefundedOrder sets the order's status from the refunds that succeeded (o.Refunds already
// holds ref as succeeded): refunded when they add up to what was paid, partially_refunded
// otherwise. Moving to the status the order already has is no transition at all, so the last of
// several concurrent refunds to finish never trips the table. Then the event and one
// order.refunded webhook for this refund.
func (s *Service) settleRefundedOrder(tx Tx, o *Order, ref *Refund, gw gateway.Status, now time.Time) error {
	refunded := o.Refunded()
	left, err := o.Amount.Sub(refunded)
	if err != nil {
		return err
	}
	to := StatusPartiallyRefunded
	if !left.IsPositive() {
		to = StatusRefunded
		if a := findAttempt(o, ref.AttemptID); a != nil && CanMoveAttempt(a.Status, gw) {
			a.Status, a.UpdatedAt, a.FinishedAt = gw, now, now
			if err := tx.UpdateAttempt(a); err != nil {
				return err
			}
		}
	}
	if o.Status == StatusRefunded {
		// The gateway already reported the whole payment refunded (its own notification):
		// what we record now is part of that, never a step back to partially_refunded.
		to = StatusRefunded
	}
	if o.Status != to {
		if !CanMoveOrder(o.Status, to) {
			return fmt.Errorf("%w: order %s %s → %s", ErrIllegalTransition, o.ID, o.Status, to)
		}
		o.Status = to
	}
	o.UpdatedAt = now
	if err := tx.UpdateOrder(o); err != nil {
		return err
	}
	if err := tx.AppendEvent(Event{OrderID: o.ID, AttemptID: ref.AttemptID, Type: EventRefunded, CreatedAt: now,
		Data: map[string]string{"refund": ref.ID, "amount": ref.Amount.String(), "kind": ref.Kind, "left": left.String()}}); err != nil {
		return err
	}
	return s.enqueue(tx, o, NotifyRefunded, now)
}

// refundHolding returns the id of the order's refund other than except that holds the gateway
// refund id gwRef, or "".
func refundHolding(o *Order, gwRef, except string) string {
	if gwRef == "" {
		return ""
	}
	for _, r := range o.Refunds {
		if r.ID != except && r.GatewayRef == gwRef {
			return r.ID
		}
	}
	return ""
}

// findRefund returns the order's refund with id, or nil.
func findRefund(o *Order, id string) *Refund {
	for i := range o.Refunds {
		if o.Refunds[i].ID == id {
			return &o.Refunds[i]
		}
	}
	return nil
}
