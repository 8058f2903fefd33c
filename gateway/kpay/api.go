package kpay

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/gateway/internal/wire"
)

// maxBody bounds what we read from K-Pay.
const maxBody = 1 << 20

// apiError is a K-Pay answer that is not the object asked for: an HTTP error, an error object
// {"object":"error","code","message"} (spec §4.0), or an unreadable answer. It wraps
// gateway.ErrRejected or gateway.ErrUnavailable.
type apiError struct {
	op      string
	status  int // HTTP status, 0 when none
	code    string
	message string
	kind    error
}

func (e *apiError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "kpay: %s: %v", e.op, e.kind)
	if e.status != 0 {
		fmt.Fprintf(&b, ": HTTP %d", e.status)
	}
	if e.code != "" {
		b.WriteString(": " + e.code)
	}
	if e.message != "" {
		b.WriteString(" " + e.message)
	}
	return b.String()
}

func (e *apiError) Unwrap() error { return e.kind }

// notFoundCodes are the error codes meaning "there is no such charge (yet)".
var notFoundCodes = map[string]bool{
	"charge_id_not_exist": true, "no_transaction_found": true, "invalid_order_id": true,
}

// isNotFound reports whether err says K-Pay has no such charge: HTTP 404, or one of the
// "does not exist" codes of spec §9.3.
// apiErrorCode is the lower-cased K-Pay error code of err, or "".
func apiErrorCode(err error) string {
	var e *apiError
	if !errors.As(err, &e) {
		return ""
	}
	return strings.ToLower(e.code)
}

func isNotFound(err error) bool {
	var e *apiError
	if !errors.As(err, &e) {
		return false
	}
	return e.status == http.StatusNotFound || notFoundCodes[strings.ToLower(e.code)]
}

// createCharge sends POST /card/v2/charge (spec §4.1).
func (g *Gateway) createCharge(ctx context.Context, body *chargeRequest) ([]byte, *charge, error) {
	return g.chargeCall(ctx, http.MethodPost, "/card/v2/charge", body, "create charge")
}

// getCharge sends GET /card/v2/charge/{charge id | reference_order} (spec §4.2).
func (g *Gateway) getCharge(ctx context.Context, key string) ([]byte, *charge, error) {
	return g.chargeCall(ctx, http.MethodGet, "/card/v2/charge/"+key, nil, "inquiry "+key)
}

// getQR sends GET /qr/v2/qr/{charge id | order id} (spec §4.8.1).
func (g *Gateway) getQR(ctx context.Context, key string) ([]byte, *charge, error) {
	return g.chargeCall(ctx, http.MethodGet, "/qr/v2/qr/"+key, nil, "inquiry QR "+key)
}

// voidCharge sends POST /card/v2/charge/{id}/void (spec §4.3).
func (g *Gateway) voidCharge(ctx context.Context, id string) ([]byte, *charge, error) {
	body := map[string]string{"reason": "Cancelled by merchant"}
	return g.chargeCall(ctx, http.MethodPost, "/card/v2/charge/"+id+"/void", body, "void "+id)
}

// settleCharge sends POST /card/v2/charge/{id}/settle (spec §4.4).
func (g *Gateway) settleCharge(ctx context.Context, id string, amount json.RawMessage, full bool) ([]byte, *charge, error) {
	typ := "partial"
	if full {
		typ = "full"
	}
	body := struct {
		Amount json.RawMessage `json:"amount"`
		Type   string          `json:"type"`
	}{amount, typ}
	return g.chargeCall(ctx, http.MethodPost, "/card/v2/charge/"+id+"/settle", body, "settle "+id)
}

// refundCharge sends POST /card/v2/charge/{id}/refund (spec §4.5).
func (g *Gateway) refundCharge(ctx context.Context, id string, amount json.RawMessage, txDate string) ([]byte, *charge, error) {
	body := struct {
		Reason          string          `json:"reason"`
		Amount          json.RawMessage `json:"amount"`
		TransactionDate string          `json:"transaction_date,omitempty"`
	}{"Refund requested by merchant", amount, txDate}
	return g.chargeCall(ctx, http.MethodPost, "/card/v2/charge/"+id+"/refund", body, "refund "+id)
}

// voidQR sends POST /qr/v2/qr/{charge id}/void (spec §4.8.2), without a body.
func (g *Gateway) voidQR(ctx context.Context, id string) ([]byte, *charge, error) {
	return g.chargeCall(ctx, http.MethodPost, "/qr/v2/qr/"+id+"/void", nil, "void QR "+id)
}

// createOrder sends POST /qr/v2/order (spec §4.7.1) and checks the order was created.
func (g *Gateway) createOrder(ctx context.Context, body *orderRequest) (*order, error) {
	const op = "create order"
	raw, err := g.call(ctx, http.MethodPost, "/qr/v2/order", body, op)
	if err != nil {
		return nil, err
	}
	var o order
	if err := decodeJSON(raw, &o); err != nil {
		return nil, &apiError{op: op, kind: gateway.ErrUnavailable, message: "unreadable order"}
	}
	if err := g.checkLive(o.Livemode, op); err != nil {
		return nil, err
	}
	if !strings.EqualFold(strings.TrimSpace(o.Status), "success") {
		return nil, &apiError{op: op, kind: gateway.ErrRejected, code: g.redact(clip(string(o.FailureCode))),
			message: g.redact(clip(string(o.FailureMessage)))}
	}
	if !orderIDPattern.MatchString(o.ID) {
		return nil, &apiError{op: op, kind: gateway.ErrUnavailable, message: "malformed order id"}
	}
	return &o, nil
}

// chargeCall makes one call answering with a charge object and decodes it.
func (g *Gateway) chargeCall(ctx context.Context, method, path string, body any, op string) ([]byte, *charge, error) {
	raw, err := g.call(ctx, method, path, body, op)
	if err != nil {
		return nil, nil, err
	}
	c, err := decodeCharge(raw)
	if err != nil || c.ID == "" {
		return nil, nil, &apiError{op: op, kind: gateway.ErrUnavailable, message: "unreadable charge"}
	}
	if !chargeIDPattern.MatchString(c.ID) {
		return nil, nil, &apiError{op: op, kind: gateway.ErrUnavailable, message: "malformed charge id"}
	}
	if err := g.checkLive(c.Livemode, op); err != nil {
		return nil, nil, err
	}
	return raw, c, nil
}

// call sends one request with the secret key and returns the body of a 2xx answer that is not
// an error object. Network errors, 408, 429, 5xx and unreadable answers wrap
// gateway.ErrUnavailable; other answers and error objects wrap gateway.ErrRejected.
func (g *Gateway) call(ctx context.Context, method, path string, body any, op string) ([]byte, error) {
	var rd io.Reader
	if body != nil {
		b, err := wire.Marshal(body)
		if err != nil {
			return nil, &apiError{op: op, kind: gateway.ErrRejected, message: "cannot encode the request"}
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, g.api+path, rd)
	if err != nil {
		return nil, &apiError{op: op, kind: gateway.ErrRejected, message: "bad API base URL"}
	}
	req.Header.Set("x-api-key", g.cfg.SecretKey)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	ans, err := wire.Do(g.client, req, maxBody)
	if f := (*wire.Failure)(nil); errors.As(err, &f) && (f.Reading || f.TooLarge()) {
		return nil, &apiError{op: op, status: ans.Status, kind: gateway.ErrUnavailable, message: "unreadable answer"}
	} else if err != nil {
		return nil, &apiError{op: op, kind: gateway.ErrUnavailable, message: g.redact(clip(err.Error()))}
	}
	raw := ans.Body
	code, msg := errorObject(raw)
	code, msg = g.redact(clip(code)), g.redact(clip(msg))
	switch s := ans.Status; {
	case s >= 200 && s < 300:
		if code != "" {
			return nil, &apiError{op: op, status: s, kind: gateway.ErrRejected, code: code, message: msg}
		}
		return raw, nil
	case wire.Retryable(s):
		return nil, &apiError{op: op, status: s, kind: gateway.ErrUnavailable, code: code, message: msg}
	default:
		return nil, &apiError{op: op, status: s, kind: gateway.ErrRejected, code: code, message: msg}
	}
}

// errorObject reads {"object":"error","code","message"}; both are "" for anything else.
func errorObject(raw []byte) (code, message string) {
	var e struct {
		Object  string          `json:"object"`
		Code    wire.FlexString `json:"code"`
		Message wire.FlexString `json:"message"`
	}
	if json.Unmarshal(raw, &e) != nil || !strings.EqualFold(e.Object, "error") {
		return "", ""
	}
	code = string(e.Code)
	if code == "" {
		code = "error"
	}
	return code, string(e.Message)
}

// checkLive refuses test objects on a live connector. KBank's own sandbox samples carry
// "livemode": true, so a sandbox connector accepts both.
func (g *Gateway) checkLive(livemode *bool, op string) error {
	if g.cfg.Live && livemode != nil && !*livemode {
		return &apiError{op: op, kind: gateway.ErrBadRequest, message: "livemode false on a live connector"}
	}
	return nil
}

// redact removes the secret key from s, should anything ever echo it.
func (g *Gateway) redact(s string) string { return wire.Redact(s, g.cfg.SecretKey) }
