package alqaseh

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"unicode"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/gateway/internal/wire"
)

// maxBody bounds what we read from Al Qaseh.
const maxBody = 1 << 20

// Error is Al Qaseh's refusal of a call, or a failure to reach it. It wraps Kind
// (gateway.ErrRejected or gateway.ErrUnavailable), carries Al Qaseh's error body
// ({"err","error_code","reference_code"}, spec §2) and a failure Reason suited to the shopper
// page; errors.As gives it to callers that want more than the sentinel. It never contains the
// client secret.
type Error struct {
	Op            string // "create payment", "retrieve payment", "retry payment", …
	Kind          error  // gateway.ErrRejected or gateway.ErrUnavailable
	HTTPStatus    int    // 0 when no HTTP answer was received
	Message       string // Al Qaseh's "err" (or "error"/"message")
	Code          string // Al Qaseh's "error_code" (or "errorCode")
	ReferenceCode string // Al Qaseh's "reference_code", to quote to Al Qaseh's support
	Reason        string // a gateway.Reason* constant
	Detail        string // our own words: "network: …", "unreadable answer", …
}

// Error implements error.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "alqaseh: %s: %v", e.Op, e.Kind)
	if e.HTTPStatus != 0 {
		fmt.Fprintf(&b, ": HTTP %d", e.HTTPStatus)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	var ids []string
	if e.Code != "" {
		ids = append(ids, "error_code "+e.Code)
	}
	if e.ReferenceCode != "" {
		ids = append(ids, "reference_code "+e.ReferenceCode)
	}
	if len(ids) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(ids, ", "))
	}
	if e.Detail != "" {
		fmt.Fprintf(&b, ": %s", e.Detail)
	}
	return b.String()
}

// Unwrap returns Kind, so errors.Is(err, gateway.ErrRejected) works.
func (e *Error) Unwrap() error { return e.Kind }

// errorBody is Al Qaseh's error body (spec §2), with the fallbacks public clients check.
type errorBody struct {
	Err       wire.FlexString `json:"err"`
	Error     wire.FlexString `json:"error"`
	Message   wire.FlexString `json:"message"`
	ErrorCode wire.FlexString `json:"error_code"`
	CodeAlt   wire.FlexString `json:"errorCode"`
	Reference wire.FlexString `json:"reference_code"`
}

// fill copies Al Qaseh's error body in raw (if it is one) into e; it reports whether it found
// anything.
func (g *Gateway) fill(e *Error, raw []byte) bool {
	var b errorBody
	if !isObject(raw) || json.Unmarshal(raw, &b) != nil {
		return false
	}
	e.Message = g.words(wire.FirstNonEmpty(string(b.Err), string(b.Error), string(b.Message)))
	e.Code = g.words(wire.FirstNonEmpty(string(b.ErrorCode), string(b.CodeAlt)))
	e.ReferenceCode = g.words(string(b.Reference))
	return e.Message != "" || e.Code != "" || e.ReferenceCode != ""
}

// rejected returns an Error wrapping gateway.ErrRejected for an answer we refuse to use.
func (g *Gateway) rejected(op, detail string, raw []byte) *Error {
	e := &Error{Op: op, Kind: gateway.ErrRejected, Reason: gateway.ReasonGatewayError, Detail: detail}
	g.fill(e, raw)
	return e
}

// unavailable returns an Error wrapping gateway.ErrUnavailable.
func unavailable(op, detail string) *Error {
	return &Error{Op: op, Kind: gateway.ErrUnavailable, Reason: gateway.ReasonGatewayError, Detail: detail}
}

// call sends a JSON request (body nil for GET) with Basic auth to {BaseURL}{path} and returns
// the body of a 2xx answer. Other answers become *Error wrapping gateway.ErrRejected (4xx) or
// gateway.ErrUnavailable (network, 408, 429, 5xx, redirects).
func (g *Gateway) call(ctx context.Context, op, method, path string, body any) ([]byte, error) {
	var rd io.Reader
	if body != nil {
		b, err := wire.Marshal(body)
		if err != nil {
			return nil, &Error{Op: op, Kind: gateway.ErrRejected, Reason: gateway.ReasonGatewayError, Detail: "cannot encode the request"}
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, g.base+path, rd)
	if err != nil {
		return nil, unavailable(op, "bad base URL")
	}
	req.SetBasicAuth(g.clientID, g.secret)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	ans, err := wire.Do(g.client, req, maxBody)
	if f := (*wire.Failure)(nil); errors.As(err, &f) {
		detail := g.redact(f.Error())
		if !f.Reading && !f.TooLarge() {
			detail = "network: " + detail
		}
		e := unavailable(op, detail)
		if f.Timeout() {
			e.Reason = gateway.ReasonTimeout
		}
		return nil, e
	}
	raw, code := ans.Body, ans.Status
	switch {
	case code >= 200 && code < 300:
		return raw, nil
	case code == http.StatusRequestTimeout || code == http.StatusGatewayTimeout:
		e := &Error{Op: op, Kind: gateway.ErrUnavailable, HTTPStatus: code, Reason: gateway.ReasonTimeout}
		g.fill(e, raw)
		return nil, e
	case code == http.StatusTooManyRequests || code >= 500 || (code >= 300 && code < 400):
		e := &Error{Op: op, Kind: gateway.ErrUnavailable, HTTPStatus: code, Reason: gateway.ReasonGatewayError}
		g.fill(e, raw)
		return nil, e
	default:
		e := &Error{Op: op, Kind: gateway.ErrRejected, HTTPStatus: code, Reason: gateway.ReasonGatewayError}
		if code == http.StatusUnauthorized || code == http.StatusForbidden {
			e.Detail = "check the client id and secret"
		}
		g.fill(e, raw)
		return nil, e
	}
}

// redact removes the client secret from s, should anything ever echo it.
func (g *Gateway) redact(s string) string { return wire.Redact(s, g.secret) }

// redactBytes removes the client secret from a payload kept as Result.Raw.
func (g *Gateway) redactBytes(b []byte) []byte { return wire.RedactBytes(b, []byte(g.secret)) }

// words makes a string from Al Qaseh fit for an error or a log line: redacted, control
// characters dropped, spaces collapsed, at most 200 bytes.
func (g *Gateway) words(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, g.redact(s))
	return wire.Clip(strings.Join(strings.Fields(s), " "), 200)
}
