package adyen

import (
	"context"
	"fmt"
	"strings"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/gateway/internal/wire"
	"github.com/bawaba/checkout/money"
)

// refundRequest is the body of POST /payments/{pspReference}/refunds.
type refundRequest struct {
	MerchantAccount string `json:"merchantAccount"`
	Amount          amount `json:"amount"`
	Reference       string `json:"reference"`
}

// refundResponse is what we read of its answer.
type refundResponse struct {
	PSPReference        string      `json:"pspReference"`
	PaymentPSPReference string      `json:"paymentPspReference"`
	Reference           string      `json:"reference"`
	Status              string      `json:"status"`
	Amount              *respAmount `json:"amount"`
}

// Refund asks Adyen to give amount back on the attempt's payment, with reference = our refund id
// (gateway.RefundID(ctx); the attempt id when ctx carries none). Adyen's modifications are
// asynchronous: "received" only says Adyen will try, so it is reported as pending (Status
// pending, PaymentID the refund's own pspReference); the REFUND notification (success true or
// false), or REFUND_FAILED, is the answer (see Webhook).
func (g *Gateway) Refund(ctx context.Context, a gateway.Attempt, amt money.Amount) (gateway.Result, error) {
	switch {
	case !pspPattern.MatchString(a.PaymentID):
		return gateway.Result{}, fmt.Errorf("adyen: refunds: %w: the attempt has no valid pspReference", gateway.ErrRejected)
	case !amt.IsPositive():
		return gateway.Result{}, fmt.Errorf("adyen: refunds: %w: amount must be positive", gateway.ErrRejected)
	case a.Amount.Currency().Code != "" && !amt.SameCurrency(a.Amount):
		return gateway.Result{}, fmt.Errorf("adyen: refunds: %w: %s refund of a %s payment", gateway.ErrRejected,
			amt.Currency().Code, a.Amount.Currency().Code)
	case g.merchant == "":
		return gateway.Result{}, fmt.Errorf("adyen: refunds: %w: no merchant account configured", gateway.ErrRejected)
	}
	body, err := wire.Marshal(refundRequest{
		MerchantAccount: g.merchant,
		Amount:          amount{Currency: amt.Currency().Code, Value: amt.Minor()},
		Reference:       wire.FirstNonEmpty(gateway.RefundID(ctx), a.ID),
	})
	if err != nil {
		return gateway.Result{}, fmt.Errorf("adyen: refunds: %w: %v", gateway.ErrRejected, err)
	}
	raw, _, err := g.post(ctx, "/payments/"+a.PaymentID+"/refunds", "", body, "refunds "+a.PaymentID)
	if err != nil {
		return gateway.Result{}, err
	}
	var r refundResponse
	if err := wire.DecodeObject(raw, &r); err != nil {
		return gateway.Result{}, fmt.Errorf("adyen: refunds %s: %w: unreadable answer", a.PaymentID, gateway.ErrUnavailable)
	}
	if !strings.EqualFold(r.Status, "received") {
		return gateway.Result{}, fmt.Errorf("adyen: refunds %s: %w: status %q, expected \"received\"",
			a.PaymentID, gateway.ErrUnavailable, clip(r.Status))
	}
	if !pspPattern.MatchString(r.PSPReference) {
		return gateway.Result{}, fmt.Errorf("adyen: refunds %s: %w: \"received\" without a valid pspReference", a.PaymentID, gateway.ErrUnavailable)
	}
	res := gateway.Result{
		Status:         gateway.StatusPending,
		PaymentID:      r.PSPReference,
		TransactionID:  r.PSPReference,
		OurReference:   r.Reference,
		GatewayCode:    r.Status,
		GatewayMessage: "refund received by Adyen: its REFUND notification says whether it was made",
		Raw:            append([]byte(nil), raw...),
	}
	if m, ok := r.Amount.money(); ok {
		res.Amount = m
	}
	return res, nil
}
