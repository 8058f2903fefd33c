package alqaseh

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/gateway/internal/wire"
	"github.com/bawaba/checkout/money"
)

// payment is what we read of Al Qaseh's payment context (spec §3 response, §4).
type payment struct {
	PaymentID       wire.FlexString `json:"payment_id"`
	Token           wire.FlexString `json:"token"`
	OrderID         wire.FlexString `json:"order_id"`
	Status          wire.FlexString `json:"payment_status"`
	Amount          wire.FlexString `json:"amount"`
	Currency        wire.FlexString `json:"currency"`
	ApprovalCode    wire.FlexString `json:"approval_code"`
	Approval        wire.FlexString `json:"approval"`
	RRN             wire.FlexString `json:"rrn"`
	RC              wire.FlexString `json:"rc"`
	TransactionType wire.FlexString `json:"transaction_type"`
	UpdatedAt       wire.FlexString `json:"updated_at"`
}

var errNotPayment = errors.New("alqaseh: not a payment object")

// isObject reports whether raw looks like a JSON object.
func isObject(raw []byte) bool {
	raw = bytes.TrimSpace(raw)
	return len(raw) > 0 && raw[0] == '{'
}

// decodePayment reads a payment object. A body that carries neither payment_id nor
// payment_status at the top level but has a "data" object is read from "data" (defensive:
// the reference's envelope is not in the public material).
func decodePayment(raw []byte) (*payment, error) {
	if !isObject(raw) {
		return nil, errNotPayment
	}
	var p payment
	if err := json.Unmarshal(raw, &p); err != nil {
		return nil, err
	}
	if p.PaymentID == "" && p.Status == "" {
		var env struct {
			Data json.RawMessage `json:"data"`
		}
		if json.Unmarshal(raw, &env) == nil && isObject(env.Data) {
			var inner payment
			if err := json.Unmarshal(env.Data, &inner); err == nil {
				return &inner, nil
			}
		}
	}
	return &p, nil
}

// Al Qaseh's payment statuses (seed "Summary of Transaction Statuses").
const (
	statusPrepared   = "prepared"
	statusRetried    = "retried"
	statusSucceeded  = "succeeded"
	statusFailed     = "failed"
	statusDeclined   = "declined"
	statusExpired    = "expired"
	statusDuplicated = "duplicated"
	statusRevoked    = "revoked"
	statusUnknown    = "unknown"
)

// normStatus lower-cases and trims a payment_status.
func normStatus(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// retryable reports whether the seed lets a payment be retried from status s.
func retryable(s string) bool {
	switch normStatus(s) {
	case statusExpired, statusDeclined, statusFailed, statusUnknown:
		return true
	}
	return false
}

// revocable reports whether the seed lets a payment be revoked from status s.
func revocable(s string) bool {
	switch normStatus(s) {
	case statusPrepared, statusRetried:
		return true
	}
	return false
}

// mapStatus maps Al Qaseh's payment_status (compared case-insensitively), the context's
// transaction_type and the ISO 8583 response code rc (when the payment carries one) to the
// normalized status and, for failures, a reason.
func mapStatus(status, trType, rc string) (gateway.Status, string) {
	switch normStatus(status) {
	case statusPrepared, statusRetried:
		return gateway.StatusPending, ""
	case statusSucceeded:
		if strings.EqualFold(strings.TrimSpace(trType), "Authorization") {
			return gateway.StatusAuthorized, ""
		}
		return gateway.StatusPaid, ""
	case statusDeclined:
		return gateway.StatusFailed, declineReason(rc, gateway.ReasonDeclined)
	case statusFailed:
		return gateway.StatusFailed, declineReason(rc, gateway.ReasonGatewayError)
	case statusDuplicated:
		return gateway.StatusFailed, gateway.ReasonGatewayError
	case statusExpired:
		return gateway.StatusExpired, ""
	case statusRevoked:
		return gateway.StatusCancelled, gateway.ReasonCancelled
	default: // "unknown", anything new or missing: ask again later, never paid.
		return gateway.StatusUnknown, ""
	}
}

// declineReason refines a failure by the ISO 8583 response code of the Way4 processor
// (spec §6: rc), when there is one; def otherwise.
func declineReason(rc, def string) string {
	switch strings.TrimSpace(rc) {
	case "51", "61", "65":
		return gateway.ReasonInsufficient
	case "33", "54":
		return gateway.ReasonCardExpired
	case "34", "41", "43", "59", "62", "63":
		return gateway.ReasonRisk
	case "68", "91", "96":
		return gateway.ReasonTimeout
	case "05", "14", "55", "57":
		return gateway.ReasonDeclined
	}
	return def
}

// reportedAmount converts the amount Al Qaseh reported (a JSON number or string literal such
// as 1500 or "1500.0", spaces around it ignored) exactly into a money.Amount in currency (any
// case). It fails when the literal is not a number, the currency is unknown, or the value does
// not fit the currency's ISO decimals.
func reportedAmount(lit, currency string) (money.Amount, bool) {
	return wire.JSONAmount(strings.TrimSpace(lit), strings.ToUpper(strings.TrimSpace(currency)))
}

// result maps a payment read from Al Qaseh (raw are its bytes) to a normalized Result.
// OurReference is left empty: the caller, who knows the attempt, sets it.
func (g *Gateway) result(raw []byte, p *payment) gateway.Result {
	st, reason := mapStatus(string(p.Status), string(p.TransactionType), string(p.RC))
	r := gateway.Result{
		Status:      st,
		Reason:      reason,
		PaymentID:   string(p.PaymentID),
		AuthCode:    wire.FirstNonEmpty(string(p.ApprovalCode), string(p.Approval)),
		Reference:   string(p.RRN),
		GatewayCode: string(p.Status),
		Raw:         g.redactBytes(raw),
	}
	if amt, ok := reportedAmount(string(p.Amount), string(p.Currency)); ok {
		r.Amount = amt
	}
	var msg []string
	if p.RC != "" {
		msg = append(msg, "rc="+g.words(string(p.RC)))
	}
	if p.TransactionType != "" {
		msg = append(msg, "transaction_type="+g.words(string(p.TransactionType)))
	}
	r.GatewayMessage = strings.Join(msg, " ")
	if t, err := time.Parse(time.RFC3339Nano, string(p.UpdatedAt)); err == nil {
		r.At = t.UTC()
	}
	return r
}
