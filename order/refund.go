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
	res, gerr := refunder.Refund(ctx, s.gatewayAttempt(&o, &paid), ref.Amount)
	var out Order
	err = s.st.Write(ctx, func(tx Tx) error {
		o, err := tx.Order(orderID)
		if err != nil {
			return err
		}
		now := s.now().UTC().Truncate(time.Millisecond)
		ref.UpdatedAt = now
		ref.GatewayRef = res.PaymentID
		switch {
		case gerr != nil || (res.Status != gateway.StatusRefunded && res.Status != gateway.StatusVoided):
			ref.Status = RefundFailed
			ref.Failure = res.GatewayMessage
			if gerr != nil {
				ref.Failure = gerr.Error()
			}
			out = o
			if err := tx.UpdateRefund(&ref); err != nil {
				return err
			}
			return tx.AppendEvent(Event{OrderID: o.ID, AttemptID: paid.ID, Type: EventRefundFailed, CreatedAt: now,
				Data: map[string]string{"refund": ref.ID, "amount": ref.Amount.String(), "why": ref.Failure}})
		}
		ref.Status = RefundSucceeded
		if res.Status == gateway.StatusVoided {
			ref.Kind = "void"
		}
		if err := tx.UpdateRefund(&ref); err != nil {
			return err
		}
		for i := range o.Refunds { // o was read before this update
			if o.Refunds[i].ID == ref.ID {
				o.Refunds[i] = ref
			}
		}
		left, err := refundable(&o)
		if err != nil {
			return err
		}
		to := StatusPartiallyRefunded
		if left.IsZero() {
			to = StatusRefunded
			a := findAttempt(&o, paid.ID)
			if a != nil && CanMoveAttempt(a.Status, res.Status) {
				a.Status, a.UpdatedAt, a.FinishedAt = res.Status, now, now
				if err := tx.UpdateAttempt(a); err != nil {
					return err
				}
			}
		}
		if !CanMoveOrder(o.Status, to) {
			return fmt.Errorf("%w: order %s %s → %s", ErrIllegalTransition, o.ID, o.Status, to)
		}
		o.Status, o.UpdatedAt = to, now
		if err := tx.UpdateOrder(&o); err != nil {
			return err
		}
		if err := tx.AppendEvent(Event{OrderID: o.ID, AttemptID: paid.ID, Type: EventRefunded, CreatedAt: now,
			Data: map[string]string{"refund": ref.ID, "amount": ref.Amount.String(), "kind": ref.Kind, "left": left.String()}}); err != nil {
			return err
		}
		out = o
		return s.enqueue(tx, &o, NotifyRefunded, now)
	})
	if err != nil {
		return out, ref, err
	}
	if ref.Status == RefundFailed {
		return out, ref, fmt.Errorf("%w: %s", ErrRefundGatewayError, ref.Failure)
	}
	return out, ref, nil
}
