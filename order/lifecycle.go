package order

import (
	"context"
	"fmt"

	"github.com/bawaba/checkout/gateway"
)

// Cancel cancels an order not paid yet (open, or processing while a payment is under way: the
// gateways that can close it do so, and a success that still arrives is refused where the gateway
// allows it, else recorded and flagged). Any other status answers ErrNotCancellable.
func (s *Service) Cancel(ctx context.Context, id string) (Order, error) {
	var out Order
	err := s.st.Write(ctx, func(tx Tx) error {
		o, err := tx.Order(id)
		if err != nil {
			return err
		}
		if !o.Status.Payable() {
			return ErrNotCancellable
		}
		if err := s.moveOrder(tx, &o, StatusCancelled, EventCancelled, NotifyCancelled); err != nil {
			return err
		}
		out = o
		return nil
	})
	if err == nil {
		s.closeOpenAttempts(ctx, &out)
	}
	return out, err
}

// expiryBatch is how many due orders one transaction expires: one commit (one fsync with
// synchronous=FULL) per batch instead of one per order is what lets expiry clear thousands of
// due orders a second (BenchmarkExpireDue) rather than tens.
const expiryBatch = 500

// ExpireDue moves every open or processing order whose time is up to expired, a batch per
// transaction, until none is due. Attempts still pending keep being checked: a success that
// arrives later is recorded and flagged. Readers do not wait for it: an order past its time
// already reads as expired (Order.StatusAt, the shopper pages).
func (s *Service) ExpireDue(ctx context.Context) (int, error) {
	n := 0
	for ctx.Err() == nil {
		ids, err := s.st.DueExpiries(ctx, s.now(), expiryBatch)
		if err != nil || len(ids) == 0 {
			return n, err
		}
		var expired []Order
		err = s.st.Write(ctx, func(tx Tx) error {
			expired = expired[:0]
			for _, id := range ids {
				o, err := tx.Order(id)
				if err != nil {
					return err
				}
				if !o.Status.Payable() || !o.Expired(s.now()) {
					continue // changed meanwhile
				}
				if err := s.moveOrder(tx, &o, StatusExpired, EventExpired, NotifyExpired); err != nil {
					return err
				}
				expired = append(expired, o)
			}
			return nil
		})
		if err != nil {
			return n, err
		}
		n += len(expired)
		for i := range expired {
			s.closeOpenAttempts(ctx, &expired[i])
		}
		if len(ids) < expiryBatch {
			break
		}
	}
	return n, ctx.Err()
}

// moveOrder changes an order's status for an order-level reason (cancel, expiry), with its
// event and merchant webhook, inside tx.
func (s *Service) moveOrder(tx Tx, o *Order, to Status, event, notify string) error {
	if !CanMoveOrder(o.Status, to) {
		return fmt.Errorf("%w: order %s %s → %s", ErrIllegalTransition, o.ID, o.Status, to)
	}
	now := s.now().UTC()
	from := o.Status
	o.Status, o.UpdatedAt = to, now
	if err := tx.UpdateOrder(o); err != nil {
		return err
	}
	if err := tx.AppendEvent(Event{OrderID: o.ID, Type: event, CreatedAt: now,
		Data: map[string]string{"from": string(from), "to": string(to)}}); err != nil {
		return err
	}
	return s.enqueue(tx, o, notify, now)
}

// closeOpenAttempts asks gateways that can (gateway.Closer) to close the payments still open
// at them, so that no stale payment page can take money for a cancelled or expired order.
func (s *Service) closeOpenAttempts(ctx context.Context, o *Order) {
	for _, a := range o.Attempts {
		if a.Final() || a.PaymentID == "" {
			continue
		}
		g, ok := s.gw.Gateway(a.Gateway)
		if !ok {
			continue
		}
		c, ok := gateway.As[gateway.Closer](g)
		if !ok {
			continue
		}
		if err := c.Close(ctx, s.gatewayAttempt(o, &a)); err != nil {
			s.log.WarnContext(ctx, "close attempt at gateway", "order", o.ID, "attempt", a.ID, "gateway", a.Gateway, "err", err)
		}
	}
}
