package kpay

import (
	"context"
	"fmt"
	"strings"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/gateway/internal/wire"
	"github.com/bawaba/checkout/money"
)

// Refund gives back amount of the attempt's payment. The charge is read first, and:
//   - not settled yet (Authorized): the whole amount is voided (Void, §4.3; Result voided); a
//     part is refused with ErrRejected, since K-Pay refunds only settled charges;
//   - settlement under way (Captured): refused with ErrRejected, to be retried once Settled;
//   - settled (Settled, Partial Refund, Refund Sent): Refund (§4.5) of at most what remains,
//     checked here before any call (Result refunded, PaymentID = the refund id);
//   - Thai QR / WeChat Pay: only a same-day void of the whole amount (Void QR, §4.8.2).
func (g *Gateway) Refund(ctx context.Context, a gateway.Attempt, amount money.Amount) (gateway.Result, error) {
	if !amount.IsPositive() || !amount.SameCurrency(a.Amount) {
		return gateway.Result{}, fmt.Errorf("kpay: refund: %w: amount %s %s is not a positive %s amount",
			gateway.ErrRejected, amount.String(), amount.Currency().Code, a.Amount.Currency().Code)
	}
	if isQR(a.Method) {
		return g.refundQR(ctx, a, amount)
	}
	if !chargeIDPattern.MatchString(a.PaymentID) {
		return gateway.Result{}, fmt.Errorf("kpay: refund: %w: the attempt has no K-Pay charge", gateway.ErrRejected)
	}
	_, c, err := g.getCharge(ctx, a.PaymentID)
	if err != nil {
		return gateway.Result{}, err
	}
	charged, ok := chargeAmount(string(c.Amount), c.Currency)
	if !ok || !charged.SameCurrency(amount) {
		return gateway.Result{}, fmt.Errorf("kpay: refund %s: %w: the charge's amount %q %q cannot be refunded in %s",
			c.ID, gateway.ErrRejected, clip(string(c.Amount)), clip(c.Currency), amount.Currency().Code)
	}
	state := stateKey(c.TransactionState)
	switch state {
	case "authorized":
		if !strings.EqualFold(strings.TrimSpace(c.Status), "success") {
			return gateway.Result{}, fmt.Errorf("kpay: refund %s: %w: the charge was not authorized", c.ID, gateway.ErrRejected)
		}
		if !amount.Equal(charged) {
			return gateway.Result{}, fmt.Errorf("kpay: refund %s: %w: a partial refund needs a settled charge; retry after settlement",
				c.ID, gateway.ErrRejected)
		}
		return g.voidCard(ctx, c.ID)
	case "captured":
		return gateway.Result{}, fmt.Errorf("kpay: refund %s: %w: settlement in progress; retry once the charge is settled",
			c.ID, gateway.ErrRejected)
	case "settled", "refundsent", "partialrefund":
		left, ok := refundable(c, charged)
		if !ok {
			return gateway.Result{}, fmt.Errorf("kpay: refund %s: %w: unreadable refund_info", c.ID, gateway.ErrUnavailable)
		}
		if amount.Cmp(left) > 0 {
			return gateway.Result{}, fmt.Errorf("kpay: refund %s: %w: %s exceeds the %s %s left",
				c.ID, gateway.ErrRejected, amount.String(), left.String(), left.Currency().Code)
		}
		return g.refundSettled(ctx, c, amount)
	}
	return gateway.Result{}, fmt.Errorf("kpay: refund %s: %w: nothing to refund in state %q",
		c.ID, gateway.ErrRejected, clip(c.TransactionState))
}

// refundSettled calls Refund on a settled charge.
func (g *Gateway) refundSettled(ctx context.Context, c *charge, amount money.Amount) (gateway.Result, error) {
	raw, r, err := g.refundCharge(ctx, c.ID, amountLiteral(amount), transactionDate(string(c.Created)))
	if err != nil {
		return gateway.Result{}, err
	}
	st := stateKey(r.TransactionState)
	ok := strings.EqualFold(strings.TrimSpace(r.Status), "success") &&
		(st == "refundsent" || st == "refunded" || st == "partialrefund")
	if !ok { // "Settled" + fail: the refund failed (spec §4.5)
		return gateway.Result{}, fmt.Errorf("kpay: refund %s: %w: %s/%s %s %s", c.ID, gateway.ErrRejected,
			clip(r.TransactionState), clip(r.Status), g.redact(clip(string(r.FailureCode))), g.redact(clip(string(r.FailureMessage))))
	}
	res := g.chargeResult(raw, r, false)
	res.Status, res.Reason = gateway.StatusRefunded, ""
	res.PaymentID = wire.FirstNonEmpty(string(r.RefundID), r.ID)
	res.TransactionID = r.ID
	res.Amount = amount
	return res, nil
}

// refundQR voids a Thai QR / WeChat Pay charge in full, the only way back K-Pay documents.
func (g *Gateway) refundQR(ctx context.Context, a gateway.Attempt, amount money.Amount) (gateway.Result, error) {
	c, err := g.qrCharge(ctx, a, "refund")
	if err != nil {
		return gateway.Result{}, err
	}
	charged, ok := chargeAmount(string(c.Amount), c.Currency)
	if !ok || !amount.Equal(charged) {
		return gateway.Result{}, fmt.Errorf("kpay: refund QR %s: %w: a QR payment can only be voided in full", c.ID, gateway.ErrRejected)
	}
	if stateKey(c.TransactionState) != "authorized" {
		return gateway.Result{}, fmt.Errorf("kpay: refund QR %s: %w: no refund API for a QR payment in state %q (only a same-day void)",
			c.ID, gateway.ErrRejected, clip(c.TransactionState))
	}
	return g.voidQRCharge(ctx, c.ID)
}

// Void voids the attempt's unsettled charge (§4.3; Thai QR/WeChat: §4.8.2).
func (g *Gateway) Void(ctx context.Context, a gateway.Attempt) (gateway.Result, error) {
	if isQR(a.Method) {
		c, err := g.qrCharge(ctx, a, "void")
		if err != nil {
			return gateway.Result{}, err
		}
		return g.voidQRCharge(ctx, c.ID)
	}
	if !chargeIDPattern.MatchString(a.PaymentID) {
		return gateway.Result{}, fmt.Errorf("kpay: void: %w: the attempt has no K-Pay charge", gateway.ErrRejected)
	}
	return g.voidCard(ctx, a.PaymentID)
}

// voidCard calls Void on a card/UnionPay/Alipay charge.
func (g *Gateway) voidCard(ctx context.Context, id string) (gateway.Result, error) {
	raw, c, err := g.voidCharge(ctx, id)
	if err != nil {
		return gateway.Result{}, err
	}
	return g.voided(raw, c, false, "void")
}

// voidQRCharge calls Void QR on a QR charge.
func (g *Gateway) voidQRCharge(ctx context.Context, id string) (gateway.Result, error) {
	raw, c, err := g.voidQR(ctx, id)
	if err != nil {
		return gateway.Result{}, err
	}
	return g.voided(raw, c, true, "void QR")
}

// voided checks a void's answer: Voided (or the sample's VOID) and success, else the void
// failed ("Authorized" + fail, spec §4.3).
func (g *Gateway) voided(raw []byte, c *charge, qr bool, op string) (gateway.Result, error) {
	st := stateKey(c.TransactionState)
	if (st != "voided" && st != "void") || !strings.EqualFold(strings.TrimSpace(c.Status), "success") {
		return gateway.Result{}, fmt.Errorf("kpay: %s %s: %w: %s/%s %s %s", op, c.ID, gateway.ErrRejected,
			clip(c.TransactionState), clip(c.Status), g.redact(clip(string(c.FailureCode))), g.redact(clip(string(c.FailureMessage))))
	}
	res := g.chargeResult(raw, c, qr)
	res.Status, res.Reason = gateway.StatusVoided, ""
	if qr {
		res.PaymentID = c.ID // the void's reference is the QR charge
	}
	return res, nil
}

// Capture settles the attempt's authorized card charge, in full or in part (§4.4).
func (g *Gateway) Capture(ctx context.Context, a gateway.Attempt, amount money.Amount) (gateway.Result, error) {
	if isQR(a.Method) {
		return gateway.Result{}, fmt.Errorf("kpay: settle: %w: QR payments are not settled by the merchant", gateway.ErrRejected)
	}
	if !chargeIDPattern.MatchString(a.PaymentID) {
		return gateway.Result{}, fmt.Errorf("kpay: settle: %w: the attempt has no K-Pay charge", gateway.ErrRejected)
	}
	if !amount.IsPositive() || !amount.SameCurrency(a.Amount) || amount.Cmp(a.Amount) > 0 {
		return gateway.Result{}, fmt.Errorf("kpay: settle %s: %w: %s %s is not within the charged %s %s", a.PaymentID,
			gateway.ErrRejected, amount.String(), amount.Currency().Code, a.Amount.String(), a.Amount.Currency().Code)
	}
	raw, c, err := g.settleCharge(ctx, a.PaymentID, amountLiteral(amount), amount.Equal(a.Amount))
	if err != nil {
		return gateway.Result{}, err
	}
	st := stateKey(c.TransactionState)
	if (st != "captured" && st != "settled") || !strings.EqualFold(strings.TrimSpace(c.Status), "success") {
		return gateway.Result{}, fmt.Errorf("kpay: settle %s: %w: %s/%s %s %s", c.ID, gateway.ErrRejected,
			clip(c.TransactionState), clip(c.Status), g.redact(clip(string(c.FailureCode))), g.redact(clip(string(c.FailureMessage))))
	}
	return g.chargeResult(raw, c, false), nil
}

// qrCharge finds the charge of the attempt's QR order.
func (g *Gateway) qrCharge(ctx context.Context, a gateway.Attempt, op string) (*charge, error) {
	if !orderIDPattern.MatchString(a.PaymentID) {
		return nil, fmt.Errorf("kpay: %s: %w: the attempt has no K-Pay order", op, gateway.ErrRejected)
	}
	_, c, err := g.getQR(ctx, a.PaymentID)
	if err != nil {
		return nil, err
	}
	if string(c.OrderID) != "" && string(c.OrderID) != a.PaymentID {
		return nil, fmt.Errorf("kpay: %s: %w: K-Pay answered for another order", op, gateway.ErrUnavailable)
	}
	return c, nil
}

// transactionDate is the charge's creation date, YYYYMMDD, for Refund's transaction_date
// (needed past 180 days; always sent when known).
func transactionDate(created string) string {
	created = strings.TrimSpace(created)
	if len(created) < 8 {
		return ""
	}
	for _, r := range created[:8] {
		if r < '0' || r > '9' {
			return ""
		}
	}
	return created[:8]
}
