package tap

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/gateway/internal/wire"
)

// charge is what we read of Tap's charge object (spec §3–4).
type charge struct {
	ID          string      `json:"id"`
	LiveMode    *bool       `json:"live_mode"`
	Status      string      `json:"status"`
	Amount      json.Number `json:"amount"`
	Currency    string      `json:"currency"`
	Transaction struct {
		URL             string          `json:"url"`
		AuthorizationID wire.FlexString `json:"authorization_id"`
		Created         wire.FlexString `json:"created"`
	} `json:"transaction"`
	Reference struct {
		Track       wire.FlexString `json:"track"`
		Payment     wire.FlexString `json:"payment"`
		Gateway     wire.FlexString `json:"gateway"`
		Acquirer    wire.FlexString `json:"acquirer"`
		Transaction wire.FlexString `json:"transaction"`
		Order       wire.FlexString `json:"order"`
	} `json:"reference"`
	Response struct {
		Code    wire.FlexString `json:"code"`
		Message string          `json:"message"`
	} `json:"response"`
	Gateway struct {
		Response struct {
			Code    wire.FlexString `json:"code"`
			Message string          `json:"message"`
		} `json:"response"`
	} `json:"gateway"`
}

// decodeCharge reads a charge object, keeping numbers exact.
func decodeCharge(raw []byte) (*charge, error) { return decodeObject[charge](raw) }

// decodeObject reads one of Tap's JSON objects (a charge, a refund), keeping numbers exact.
func decodeObject[T any](raw []byte) (*T, error) {
	var v T
	if err := wire.DecodeObject(raw, &v); err != nil {
		return nil, err
	}
	return &v, nil
}

// result maps a charge read from Tap (raw are its bytes) to a normalized Result.
func (g *Gateway) result(raw []byte, c *charge) gateway.Result {
	st, reason := mapStatus(c.Status, string(c.Response.Code), c.Response.Message)
	r := gateway.Result{
		Status:        st,
		Reason:        reason,
		PaymentID:     c.ID,
		TransactionID: string(c.Reference.Payment),
		AuthCode:      string(c.Transaction.AuthorizationID),
		Reference:     wire.FirstNonEmpty(string(c.Reference.Acquirer), string(c.Reference.Gateway)),
		TrackID:       string(c.Reference.Track),
		OurReference:  string(c.Reference.Transaction),
		GatewayCode:   string(c.Response.Code),
		At:            unixMillis(c.Transaction.Created),
		Raw:           append([]byte(nil), raw...),
	}
	if amt, ok := wire.JSONAmount(c.Amount.String(), c.Currency); ok {
		r.Amount = amt
	}
	msgs := []string{}
	if m := strings.TrimSpace(c.Response.Message); m != "" {
		msgs = append(msgs, m)
	}
	if m := strings.TrimSpace(c.Gateway.Response.Message); m != "" {
		msgs = append(msgs, m)
	}
	r.GatewayMessage = strings.Join(msgs, " / ")
	return r
}

// unixMillis reads one of Tap's times (Unix milliseconds); the zero time when it is absent or
// unreadable.
func unixMillis(f wire.FlexString) time.Time {
	if ms, err := strconv.ParseInt(string(f), 10, 64); err == nil && ms > 0 {
		return time.UnixMilli(ms).UTC()
	}
	return time.Time{}
}

// mapStatus maps Tap's charge status (spec §5, gateways-summary.md §2) and response code to
// the normalized status and, for failures, a reason.
func mapStatus(status, code, message string) (gateway.Status, string) {
	switch strings.ToUpper(strings.TrimSpace(status)) {
	case "CAPTURED":
		return gateway.StatusPaid, ""
	case "AUTHORIZED":
		return gateway.StatusAuthorized, ""
	case "INITIATED", "IN_PROGRESS":
		return gateway.StatusPending, ""
	case "ABANDONED", "EXPIRED":
		return gateway.StatusExpired, ""
	case "CANCELLED", "CANCELED":
		return gateway.StatusCancelled, gateway.ReasonCancelled
	case "RESTRICTED":
		return gateway.StatusFailed, gateway.ReasonRisk
	case "DECLINED", "FAILED":
		return gateway.StatusFailed, failureReason(code, message)
	case "VOID":
		return gateway.StatusVoided, ""
	default: // TIMEDOUT, UNKNOWN, DEFERRED, anything new: ask again later, never paid.
		return gateway.StatusUnknown, ""
	}
}

// failureReason reads Tap's response code (developers.tap.company/reference/charge-response-codes,
// cited in spec §1/§5) for a DECLINED or FAILED charge. KNET's "NOT CAPTURED" is a plain decline.
func failureReason(code, message string) string {
	switch strings.TrimSpace(code) {
	case "505": // Declined, Insufficient Funds
		return gateway.ReasonInsufficient
	case "406", "407": // Failed, Invalid Expiry / Expired Card
		return gateway.ReasonCardExpired
	case "508": // Declined, Card Issuer - No Reply
		return gateway.ReasonTimeout
	case "514": // Declined, Card Issuer - Risk Check
		return gateway.ReasonRisk
	case "402", "511", "513": // Invalid Parameter, Card Issuer - Error, Card Acquirer - Error
		return gateway.ReasonGatewayError
	}
	if strings.Contains(strings.ToLower(message), "insufficient") {
		return gateway.ReasonInsufficient
	}
	return gateway.ReasonDeclined
}
