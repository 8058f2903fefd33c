package alqaseh

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"unicode"

	"github.com/bawaba/checkout/gateway"
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
	Err       flexString `json:"err"`
	Error     flexString `json:"error"`
	Message   flexString `json:"message"`
	ErrorCode flexString `json:"error_code"`
	CodeAlt   flexString `json:"errorCode"`
	Reference flexString `json:"reference_code"`
}

// fill copies Al Qaseh's error body in raw (if it is one) into e; it reports whether it found
// anything.
func (g *Gateway) fill(e *Error, raw []byte) bool {
	var b errorBody
	if !isObject(raw) || json.Unmarshal(raw, &b) != nil {
		return false
	}
	e.Message = g.words(firstNonEmpty(string(b.Err), string(b.Error), string(b.Message)))
	e.Code = g.words(firstNonEmpty(string(b.ErrorCode), string(b.CodeAlt)))
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
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(body); err != nil {
			return nil, &Error{Op: op, Kind: gateway.ErrRejected, Reason: gateway.ReasonGatewayError, Detail: "cannot encode the request"}
		}
		rd = bytes.NewReader(bytes.TrimRight(buf.Bytes(), "\n"))
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
	resp, err := g.client.Do(req)
	if err != nil {
		e := unavailable(op, "network: "+g.redact(err.Error()))
		if isTimeout(err) {
			e.Reason = gateway.ReasonTimeout
		}
		return nil, e
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		e := unavailable(op, "reading the answer: "+g.redact(err.Error()))
		if isTimeout(err) {
			e.Reason = gateway.ReasonTimeout
		}
		return nil, e
	}
	if len(raw) > maxBody {
		return nil, unavailable(op, "answer too large")
	}
	code := resp.StatusCode
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

// isTimeout reports whether err is a deadline or network timeout.
func isTimeout(err error) bool {
	if errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// redact removes the client secret from s, should anything ever echo it.
func (g *Gateway) redact(s string) string {
	if g.secret == "" {
		return s
	}
	return strings.ReplaceAll(s, g.secret, "[redacted]")
}

// redactBytes removes the client secret from a payload kept as Result.Raw.
func (g *Gateway) redactBytes(b []byte) []byte {
	out := append([]byte(nil), b...)
	if g.secret == "" {
		return out
	}
	return bytes.ReplaceAll(out, []byte(g.secret), []byte("[redacted]"))
}

// words makes a string from Al Qaseh fit for an error or a log line: redacted, control
// characters dropped, spaces collapsed, at most 200 bytes.
func (g *Gateway) words(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, g.redact(s))
	return clip(strings.Join(strings.Fields(s), " "), 200)
}

// clip cuts s to at most n bytes without splitting a UTF-8 sequence.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			return s
		}
	}
	return ""
}
