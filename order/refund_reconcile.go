package order

import (
	"context"
	"time"

	"github.com/bawaba/checkout/gateway"
)

// ReconcileRefunds asks the gateways again about refunds still pending: those whose answer was
// lost (a timeout, a 5xx, a crash between the gateway call and the record) or that the gateway
// itself reported in progress. A refund is asked about FirstCheck after it was last touched,
// then after a wait as long as it has been pending (so the waits double), capped at an hour,
// for a week (checkFor); after that it stays pending, its amount reserved, for a person.
//
// Only gateways whose Refund is idempotent by our refund id (gateway.RefundReplayer) can be
// asked: asking them again returns the refund they made the first time, or makes it exactly
// once if the first call never reached them, so a refund the gateway made but we never heard
// of is found. At the others (no refund inquiry in their specs) the refund stays pending and
// reserved; it is logged each pass.
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

// recheckRefund asks the refund's gateway again, with the same refund id, and records the answer
// exactly as the first one would have been.
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
	refunder, ok := gateway.As[gateway.Refunder](g)
	replayer, ok2 := gateway.As[gateway.RefundReplayer](g)
	if !ok || !ok2 || !replayer.ReplaysRefunds() {
		s.log.WarnContext(ctx, "refund pending at a gateway that cannot be asked again: check its dashboard",
			"order", o.ID, "refund", r.ID, "gateway", a.Gateway)
		return nil
	}
	res, gerr := refunder.Refund(gateway.WithRefundID(ctx, r.ID), s.gatewayAttempt(&o, a), r.Amount)
	_, err = s.recordRefund(ctx, &r, res, gerr)
	return err
}
