package order

import (
	"context"
	"fmt"
	"net/url"

	"github.com/bawaba/checkout/gateway"
)

// Return handles the shopper's browser coming back from the gateway for an attempt: the
// connector verifies server-side, and the verified result is applied. It returns the order.
func (s *Service) Return(ctx context.Context, gatewayName, attemptID string, q url.Values) (Order, error) {
	a, err := s.st.Attempt(ctx, attemptID)
	if err != nil {
		return Order{}, err
	}
	if a.Gateway != gatewayName {
		return Order{}, ErrNotFound
	}
	o, err := s.st.Order(ctx, a.OrderID)
	if err != nil {
		return Order{}, err
	}
	g, ok := s.gw.Gateway(a.Gateway)
	if !ok {
		return o, fmt.Errorf("order: gateway %q not configured", a.Gateway)
	}
	res, err := g.Return(ctx, s.gatewayAttempt(&o, &a), q)
	if err != nil {
		// The return could not be verified now; the reconciler will ask again.
		s.log.WarnContext(ctx, "verify return", "order", o.ID, "attempt", a.ID, "gateway", a.Gateway, "err", err)
		return o, nil
	}
	return s.apply(ctx, a.ID, res, "return")
}

// ReturnTo handles a browser coming back to a gateway's fixed return URL (no attempt id in the
// path): the connector locates the attempt from the query, then it goes on as Return.
func (s *Service) ReturnTo(ctx context.Context, gatewayName string, q url.Values) (Order, error) {
	g, ok := s.gw.Gateway(gatewayName)
	if !ok {
		return Order{}, ErrNotFound
	}
	loc, ok := gateway.As[gateway.ReturnLocator](g)
	if !ok {
		return Order{}, ErrNotFound
	}
	ref, err := loc.LocateReturn(q)
	if err != nil {
		return Order{}, ErrNotFound
	}
	a, err := s.locateAttempt(ctx, gatewayName, ref)
	if err != nil {
		return Order{}, err
	}
	return s.Return(ctx, gatewayName, a.ID, q)
}

// Webhook handles a gateway's server-to-server notification. Each verified notification is
// applied; an unverifiable request changes nothing and returns the connector's error. The reply
// is the gateway's own (gateway.Acknowledger) or 200 "ok".
func (s *Service) Webhook(ctx context.Context, gatewayName string, req gateway.WebhookRequest) (gateway.Reply, error) {
	g, ok := s.gw.Gateway(gatewayName)
	if !ok {
		return gateway.Reply{}, ErrNotFound
	}
	notes, err := g.Webhook(ctx, req)
	orders := map[string]string{} // attempt id → order id, for result URLs
	if err == nil {
		err = s.applyNotifications(ctx, gatewayName, g, notes, orders)
	}
	if ack, ok := gateway.As[gateway.Acknowledger](g); ok {
		return ack.Acknowledge(notes, err, func(attemptID string) string {
			if id, ok := orders[attemptID]; ok {
				return s.cfg.BaseURL + "/pay/" + id + "/result"
			}
			return s.cfg.BaseURL + "/"
		}), err
	}
	if err != nil {
		return gateway.Reply{}, err
	}
	return gateway.Reply{Status: 200, ContentType: "text/plain; charset=utf-8", Body: []byte("ok")}, nil
}

// applyNotifications applies a webhook's verified notifications in order, stopping at the first
// error. A notification about one refund (Notification.Refund) settles the refund it names
// (refundNotification); one naming no refund of ours is applied to the attempt when it says
// money went back (a refund made in the gateway's portal), else ignored. Each located
// attempt's id is written back into its note and mapped to its order in orders. A success for an order that can no longer take it is, at a gateway that voids what we
// do not acknowledge (gateway.Refuser), recorded as voided and answered with gateway.ErrRefused.
func (s *Service) applyNotifications(ctx context.Context, gatewayName string, g gateway.Gateway, notes []gateway.Notification, orders map[string]string) error {
	for i, n := range notes {
		a, err := s.locateAttempt(ctx, gatewayName, n.Ref)
		if err != nil {
			s.log.WarnContext(ctx, "webhook for unknown attempt", "gateway", gatewayName, "attempt", n.Ref.AttemptID, "payment", n.Ref.PaymentID)
			continue
		}
		notes[i].Ref.AttemptID = a.ID
		orders[a.ID] = a.OrderID
		if n.Refund != nil {
			found, err := s.refundNotification(ctx, a, n)
			if err != nil {
				return err
			}
			if found || n.Result.Status != gateway.StatusRefunded {
				continue // a failure of a refund we never asked for changes nothing
			}
			// A refund made in the gateway's own portal: a payment-level result, as before.
		}
		res := n.Result
		refuse := false
		if r, ok := gateway.As[gateway.Refuser](g); ok && r.RefusesUnacknowledged() && res.Status == gateway.StatusPaid {
			if refuse, err = s.closedFor(ctx, a); err != nil {
				return err
			}
		}
		if refuse {
			// The gateway voids what we do not acknowledge: no money is taken for an order
			// that was cancelled, expired or paid meanwhile.
			res = gateway.Result{Status: gateway.StatusVoided, PaymentID: res.PaymentID, TrackID: res.TrackID,
				GatewayCode: res.GatewayCode, GatewayMessage: "refused at the handshake: the order can no longer be paid",
				Raw: res.Raw}
		}
		if _, err = s.apply(ctx, a.ID, res, "webhook"); err != nil {
			return err
		}
		if refuse {
			s.log.WarnContext(ctx, "payment refused at the handshake", "gateway", gatewayName, "attempt", a.ID, "order", a.OrderID)
			return gateway.ErrRefused
		}
	}
	return nil
}

// closedFor reports whether attempt a's order can no longer take this payment: cancelled,
// expired (by status or by time), or paid through another attempt.
func (s *Service) closedFor(ctx context.Context, a Attempt) (bool, error) {
	o, err := s.st.Order(ctx, a.OrderID)
	if err != nil {
		return false, err
	}
	if pa, ok := o.PaidAttempt(); ok && pa.ID != a.ID {
		return true, nil
	}
	if o.Status == StatusPaid || o.Status == StatusPartiallyRefunded || o.Status == StatusRefunded {
		return false, nil // paid by this very attempt: a repeated notification
	}
	return !o.Status.Payable() || o.Expired(s.now()), nil
}

// locateAttempt finds the attempt a gateway's reference names: by our attempt id, else by the
// gateway's payment id.
func (s *Service) locateAttempt(ctx context.Context, gatewayName string, ref gateway.AttemptRef) (Attempt, error) {
	if ref.AttemptID != "" {
		a, err := s.st.Attempt(ctx, ref.AttemptID)
		if err == nil && a.Gateway == gatewayName {
			return a, nil
		}
	}
	if ref.PaymentID != "" {
		return s.st.AttemptByPaymentID(ctx, gatewayName, ref.PaymentID)
	}
	return Attempt{}, ErrNotFound
}
