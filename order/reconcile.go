package order

import (
	"context"
	"time"
)

// Check asks the gateway for an attempt's status and applies it (the reconciler's step, and
// the pending page's).
func (s *Service) Check(ctx context.Context, attemptID string) (Order, error) {
	a, err := s.st.Attempt(ctx, attemptID)
	if err != nil {
		return Order{}, err
	}
	o, err := s.st.Order(ctx, a.OrderID)
	if err != nil {
		return Order{}, err
	}
	g, ok := s.gw.Gateway(a.Gateway)
	if !ok || a.Final() {
		return o, nil
	}
	res, err := g.Inquire(ctx, s.gatewayAttempt(&o, &a))
	if err != nil {
		s.log.WarnContext(ctx, "inquire", "order", o.ID, "attempt", a.ID, "gateway", a.Gateway, "err", err)
		return o, s.scheduleNextCheck(ctx, a.ID)
	}
	return s.apply(ctx, a.ID, res, "inquiry")
}

// ReconcileDue asks the gateways about attempts whose next check is due.
func (s *Service) ReconcileDue(ctx context.Context) (int, error) {
	due, err := s.st.DueAttempts(ctx, s.now(), 50)
	if err != nil {
		return 0, err
	}
	for _, a := range due {
		if _, err := s.Check(ctx, a.ID); err != nil {
			s.log.WarnContext(ctx, "reconcile", "attempt", a.ID, "err", err)
		}
	}
	return len(due), nil
}

// checkFor is how long the reconciler keeps asking about an attempt that stays pending or
// unknown; after it the attempt is left to a person (its timeline shows every check).
const checkFor = 7 * 24 * time.Hour

// nextCheck is when the reconciler asks about a next, or zero when it stops asking.
func (s *Service) nextCheck(a *Attempt, now time.Time) time.Time {
	if !a.CreatedAt.IsZero() && now.Sub(a.CreatedAt) > checkFor {
		return time.Time{}
	}
	return now.Add(s.backoff(a.Checks))
}

// backoff is the wait before the reconciler's next check after checks checks: FirstCheck,
// doubling, capped at an hour.
func (s *Service) backoff(checks int) time.Duration {
	d := s.cfg.FirstCheck
	for i := 1; i < checks && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

// scheduleNextCheck counts a check that got no answer and schedules the next.
func (s *Service) scheduleNextCheck(ctx context.Context, attemptID string) error {
	return s.st.Write(ctx, func(tx Tx) error {
		att, err := tx.Attempt(attemptID)
		if err != nil {
			return err
		}
		if att.Final() {
			return nil
		}
		att.Checks++
		att.NextCheckAt = s.nextCheck(&att, s.now().UTC())
		return tx.UpdateAttempt(&att)
	})
}
