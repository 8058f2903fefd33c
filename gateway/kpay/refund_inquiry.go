package kpay

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/money"
)

var _ gateway.RefundInquirer = (*Gateway)(nil)

// InquireRefund finds one refund in the charge's Inquiry (§4.2): K-Pay's Refund API takes no
// reference of ours and no idempotency key, but the Inquiry lists every refund of the charge in
// refund_info (refund_id, amount, error_code, refund_date). So:
//   - a refund whose K-Pay refund id we hold is the refund_info entry with that refund_id;
//   - one whose answer was lost is the first entry, in K-Pay's order, of the same amount whose
//     refund_id none of our other refunds of this payment holds (q.Claimed); equal amounts are
//     interchangeable money, so which of two lost twins takes which entry does not matter (and
//     the order service never lets two of our refunds hold one refund_id, should two
//     reconcilers pick the same entry at once);
//   - an entry with an error_code (OBAVL…) is a refund K-Pay refused: failed;
//   - a voided charge (the whole amount given back before settlement, or a same-day QR void)
//     answers a refund of the whole amount as voided, PaymentID the charge id;
//   - nothing matching is gateway.ErrRefundNotFound (the refund never reached K-Pay), except
//     for a refund id K-Pay gave us that its Inquiry does not list yet: pending, asked again.
func (g *Gateway) InquireRefund(ctx context.Context, a gateway.Attempt, q gateway.RefundQuery) (gateway.Result, error) {
	var (
		raw []byte
		c   *charge
		err error
	)
	if isQR(a.Method) {
		c, err = g.qrCharge(ctx, a, "refund inquiry")
	} else {
		if !chargeIDPattern.MatchString(a.PaymentID) {
			return gateway.Result{}, fmt.Errorf("kpay: refund inquiry: %w: the attempt has no K-Pay charge", gateway.ErrRejected)
		}
		raw, c, err = g.getCharge(ctx, a.PaymentID)
	}
	if err != nil {
		return gateway.Result{}, err
	}
	charged, ok := chargeAmount(string(c.Amount), c.Currency)
	if !ok || !charged.SameCurrency(q.Amount) {
		return gateway.Result{}, fmt.Errorf("kpay: refund inquiry %s: %w: unreadable charge amount", c.ID, gateway.ErrUnavailable)
	}
	st := stateKey(c.TransactionState)
	if st == "voided" || st == "void" {
		if !q.Amount.Equal(charged) || (q.GatewayRef != "" && q.GatewayRef != c.ID) {
			return gateway.Result{}, fmt.Errorf("kpay: refund inquiry %s: %w: the charge was voided, not refunded in part", c.ID, gateway.ErrRefundNotFound)
		}
		return gateway.Result{Status: gateway.StatusVoided, PaymentID: c.ID, TransactionID: c.ID,
			GatewayCode: c.TransactionState, Raw: raw}, nil
	}
	e, found, err := findRefundEntry(c, q)
	switch {
	case err != nil:
		return gateway.Result{}, err
	case !found && q.GatewayRef != "":
		return gateway.Result{Status: gateway.StatusPending, PaymentID: q.GatewayRef,
			GatewayMessage: "K-Pay's Inquiry does not list refund " + q.GatewayRef + " yet"}, nil
	case !found:
		return gateway.Result{}, fmt.Errorf("kpay: refund inquiry %s: %w: no refund of %s in refund_info", c.ID, gateway.ErrRefundNotFound, q.Amount)
	}
	res := gateway.Result{
		Status:        gateway.StatusRefunded,
		PaymentID:     string(e.RefundID),
		TransactionID: c.ID,
		Amount:        q.Amount,
		GatewayCode:   c.TransactionState,
		Raw:           raw,
	}
	if code := strings.TrimSpace(string(e.ErrorCode)); code != "" {
		res.Status, res.Reason = gateway.StatusFailed, gateway.ReasonGatewayError
		res.GatewayCode = clip(code)
		res.GatewayMessage = g.redact(clip(string(e.ErrorMessage)))
	}
	return res, nil
}

// findRefundEntry picks the refund_info entry q is about (see InquireRefund).
func findRefundEntry(c *charge, q gateway.RefundQuery) (refundEntry, bool, error) {
	for _, e := range c.RefundInfo {
		id := strings.TrimSpace(string(e.RefundID))
		if id == "" {
			continue
		}
		if q.GatewayRef != "" {
			if id == q.GatewayRef {
				return e, true, nil
			}
			continue
		}
		if slices.Contains(q.Claimed, id) {
			continue
		}
		amt, ok := chargeAmount(e.amount(), c.Currency)
		if !ok {
			return refundEntry{}, false, fmt.Errorf("kpay: refund inquiry %s: %w: unreadable refund_info", c.ID, gateway.ErrUnavailable)
		}
		if sameMoney(amt, q.Amount) {
			return e, true, nil
		}
	}
	return refundEntry{}, false, nil
}

func sameMoney(a, b money.Amount) bool { return a.SameCurrency(b) && a.Equal(b) }
