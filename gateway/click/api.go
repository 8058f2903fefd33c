package click

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/gateway/internal/wire"
	"github.com/bawaba/checkout/money"
)

// apiPath is Click's path in front of the developer user (spec §3).
const apiPath = "/api/developer/gatedeveloper/"

// maxBody bounds what we read from Click.
const maxBody = 1 << 20

// maxOrderID is the largest int(11) (a signed MySQL INT) Click's order_id can hold.
const maxOrderID = 1<<31 - 1

// maxMinor is decimal(8,2)'s largest amount, 999999.99, in KWD minor units (fils).
const maxMinor = 999_999_990

// expiryGrace is how long after the session's documented end a session still showing
// No_status is reported expired (a KNET payment in flight at the 45th minute may still land).
const expiryGrace = 15 * time.Minute

// Error is Click's refusal of a call, or a failure to reach it. It wraps Kind
// (gateway.ErrRejected or gateway.ErrUnavailable) and carries a failure Reason suited to the
// shopper page; errors.As gives it to callers that want more than the sentinel.
type Error struct {
	Op     string // "create session", "update session", "payment status", …
	Kind   error  // gateway.ErrRejected or gateway.ErrUnavailable
	Code   string // Click's own words ("INVALID_AUTH", "ORDER Duplicate"), or ours ("HTTP 502", "NETWORK")
	Reason string // a gateway.Reason* constant
	Text   string // what it means, for the log and the timeline
}

// Error implements error. It never contains the token.
func (e *Error) Error() string {
	return fmt.Sprintf("click: %s: %v: %s: %s", e.Op, e.Kind, e.Code, e.Text)
}

// Unwrap returns Kind, so errors.Is(err, gateway.ErrRejected) works.
func (e *Error) Unwrap() error { return e.Kind }

// catalogEntry is one documented error of spec §5 (seed §6).
type catalogEntry struct {
	kind   error
	reason string
	text   string
}

// Click's error catalog, keyed by the normalized error code or message (upper case, inner
// spaces collapsed, trimmed: Click pads some messages with spaces).
var catalog = map[string]catalogEntry{
	"INVALID_AUTH":            {gateway.ErrRejected, gateway.ReasonGatewayError, "Click refused the credentials: check the token and the developer user"},
	"INVALID_HEADER":          {gateway.ErrRejected, gateway.ReasonGatewayError, "Click received no Bearer token"},
	"INVALID_REQUEST":         {gateway.ErrRejected, gateway.ReasonGatewayError, "Click refused the request as invalid"},
	"DEVELOPER NOT SUPPORTED": {gateway.ErrRejected, gateway.ReasonGatewayError, "the developer user in the URL is unknown to Click: check the configuration"},
	"DEVELOPER NOT ACCEPTED":  {gateway.ErrRejected, gateway.ReasonGatewayError, "Click has not accepted this developer account yet"},
	"DEVELOPER SUSPENDED":     {gateway.ErrRejected, gateway.ReasonGatewayError, "Click has suspended this developer account"},
	"ORDER DUPLICATE":         {gateway.ErrRejected, gateway.ReasonGatewayError, "this order_id was already used at Click (order ids must be unique per store)"},
	"SESSION EXPIRE":          {gateway.ErrUnavailable, gateway.ReasonTimeout, "the Click session expired (sessions last 45 minutes): start a new attempt"},
	"INVALID SESSION":         {gateway.ErrRejected, gateway.ReasonGatewayError, "Click does not know this session"},
}

func normalize(s string) string { return strings.ToUpper(strings.Join(strings.Fields(s), " ")) }

// updateRequest is Update Session's body (spec §3.2), with the seed's spelling order_amout.
type updateRequest struct {
	SessionID       string          `json:"session_id"`
	OrderID         int64           `json:"order_id"`
	Amount          json.RawMessage `json:"order_amout"`
	ReturnURL       string          `json:"return_url"`
	CustomerName    string          `json:"customer_name,omitempty"`
	CustomerPhone   string          `json:"customer_phone,omitempty"`
	CustomerEmail   string          `json:"customer_email,omitempty"`
	CustomerComment string          `json:"customer_comment,omitempty"`
}

// buildUpdate checks a and prepares its Update Session body (the session id is filled later).
func buildUpdate(a gateway.Attempt) (updateRequest, error) {
	bad := func(text string) (updateRequest, error) {
		return updateRequest{}, &Error{Op: "start", Kind: gateway.ErrRejected, Code: "ATTEMPT", Reason: gateway.ReasonGatewayError, Text: text}
	}
	if cur := a.Amount.Currency().Code; cur != "KWD" {
		return bad(fmt.Sprintf("Click takes KWD only, not %q", cur))
	}
	if !a.Amount.IsPositive() {
		return bad("the amount must be positive")
	}
	minor := a.Amount.Minor()
	if minor%10 != 0 {
		return bad(fmt.Sprintf("Click's order_amout has 2 decimals (decimal(8,2)): %s KWD cannot be sent exactly", a.Amount))
	}
	if minor > maxMinor {
		return bad(fmt.Sprintf("%s KWD is above Click's largest amount 999999.99", a.Amount))
	}
	if a.Seq <= 0 || a.Seq > maxOrderID {
		return bad(fmt.Sprintf("the attempt's sequence number %d does not fit Click's int(11) order_id", a.Seq))
	}
	if a.ID == "" {
		return bad("the attempt has no id")
	}
	if !wire.AbsoluteURL(a.ReturnURL) || len(a.ReturnURL) > 255 {
		return bad("the return URL must be an absolute http(s) URL of at most 255 bytes")
	}
	s := a.Amount.String() // "6.000": exactly 3 decimals, the last one 0
	comment := a.ID
	if ref := strings.TrimSpace(a.Reference); ref != "" {
		comment = ref + " / " + a.ID
	}
	return updateRequest{
		OrderID:         a.Seq,
		Amount:          json.RawMessage(s[:len(s)-1]),
		ReturnURL:       a.ReturnURL,
		CustomerName:    wire.Clip(strings.TrimSpace(a.Customer.Name), 255),
		CustomerPhone:   wire.Clip(digits(a.Customer.Phone), 255),
		CustomerEmail:   wire.Clip(strings.TrimSpace(a.Customer.Email), 255),
		CustomerComment: wire.Clip(comment, 255),
	}, nil
}

// digits keeps the ASCII digits of s.
func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// session is what Create Session gave us.
type session struct {
	id, indicator string
	expires       time.Time
}

// createSession calls Create Session (spec §3.1): a POST without body.
func (g *Gateway) createSession(ctx context.Context) (session, error) {
	const op = "create session"
	ans, err := g.post(ctx, op, apiPath+url.PathEscape(g.dev), nil)
	if err != nil {
		return session{}, err
	}
	d, err := g.check(op, ans, false)
	if err != nil {
		return session{}, err
	}
	if d == nil || d.gw == nil {
		return session{}, g.unreadable(op, ans)
	}
	if r := str(d.gw.Result); !strings.EqualFold(r, "SUCCESS") {
		return session{}, &Error{Op: op, Kind: gateway.ErrRejected, Code: g.words(r), Reason: gateway.ReasonGatewayError,
			Text: "Click did not create the session"}
	}
	s := session{id: str(d.gw.SessionID), indicator: str(d.gw.IndicatorStatus)}
	if s.id == "" || s.indicator == "" || len(s.id) > 255 || len(s.indicator) > 255 {
		return session{}, &Error{Op: op, Kind: gateway.ErrUnavailable, Code: "SESSION", Reason: gateway.ReasonGatewayError,
			Text: "Click's answer has no usable session_id and indicator_status"}
	}
	if d.gw.SessionExpire != nil {
		s.expires = kuwaitTime(str(d.gw.SessionExpire.Date), str(d.gw.SessionExpire.Timezone))
	}
	return s, nil
}

// updateSession calls Update Session (spec §3.2) and returns the URL of Click's payment page.
func (g *Gateway) updateSession(ctx context.Context, upd updateRequest, lang string) (string, error) {
	const op = "update session"
	body, err := wire.Marshal(upd)
	if err != nil {
		return "", &Error{Op: op, Kind: gateway.ErrRejected, Code: "ENCODE", Reason: gateway.ReasonGatewayError, Text: err.Error()}
	}
	ans, err := g.post(ctx, op, apiPath+"sessionupdate/"+url.PathEscape(g.dev)+"/"+lang, body)
	if err != nil {
		return "", err
	}
	d, err := g.check(op, ans, true)
	if err != nil {
		return "", err
	}
	noPage := &Error{Op: op, Kind: gateway.ErrUnavailable, Code: "NO_PAGE", Reason: gateway.ReasonGatewayError,
		Text: "Click's answer names no usable payment page"}
	if ans.code >= 300 && ans.code < 400 {
		if u, ok := resolve(ans.url, ans.header.Get("Location")); ok {
			return u, nil
		}
		return "", noPage
	}
	if d != nil {
		for _, raw := range d.pageURLs() {
			if v := str(raw); v != "" {
				if u, ok := resolve(ans.url, v); ok {
					return u, nil
				}
				return "", noPage
			}
		}
		if d.gw != nil {
			if r := str(d.gw.Result); r != "" && !strings.EqualFold(r, "SUCCESS") {
				return "", &Error{Op: op, Kind: gateway.ErrRejected, Code: g.words(r), Reason: gateway.ReasonGatewayError,
					Text: "Click did not accept the session update"}
			}
		}
	}
	if g.pagePath != "" {
		if u, ok := resolve(ans.url, strings.ReplaceAll(g.pagePath, "{session_id}", url.QueryEscape(upd.SessionID))); ok {
			return u, nil
		}
	}
	return "", noPage
}

// inquire calls Payment Status (spec §3.4) and maps the answer.
func (g *Gateway) inquire(ctx context.Context, a gateway.Attempt) (gateway.Result, error) {
	const op = "payment status"
	if err := g.configured(op); err != nil {
		return gateway.Result{}, err
	}
	sess := a.State[stateSession]
	if sess == "" {
		sess = a.PaymentID
	}
	orderID := a.Seq
	if s := a.State[stateOrderID]; s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return gateway.Result{}, fmt.Errorf("click: %s: %w: the attempt's order_id is not a number", op, gateway.ErrBadRequest)
		}
		orderID = n
	}
	if sess == "" || orderID <= 0 {
		return gateway.Result{}, fmt.Errorf("click: %s: %w: the attempt has no Click session", op, gateway.ErrBadRequest)
	}
	body, _ := json.Marshal(struct {
		SessionID string `json:"session_id"`
		OrderID   int64  `json:"order_id"`
	}{sess, orderID})
	ans, err := g.post(ctx, op, apiPath+"paymentstatus/"+url.PathEscape(g.dev), body)
	if err != nil {
		return gateway.Result{}, err
	}
	res := gateway.Result{PaymentID: sess, Raw: ans.raw}
	d, err := g.check(op, ans, false)
	var ce *Error
	if errors.As(err, &ce) && normalize(ce.Code) == "SESSION EXPIRE" {
		res.Status, res.Reason = gateway.StatusExpired, gateway.ReasonTimeout
		res.GatewayCode, res.GatewayMessage = "Session Expire", "Click: the session expired (45 minutes)"
		return res, nil
	}
	if err != nil {
		return gateway.Result{}, err
	}
	if d == nil {
		return gateway.Result{}, g.unreadable(op, ans)
	}
	ours := strconv.FormatInt(orderID, 10)
	if echo := str(d.OrderID); echo != "" {
		if echo != ours {
			return gateway.Result{}, &Error{Op: op, Kind: gateway.ErrUnavailable, Code: "ORDER_ID", Reason: gateway.ReasonGatewayError,
				Text: fmt.Sprintf("Click answered for order_id %q instead of %s", wire.Clip(g.redact(echo), 40), ours)}
		}
		res.OurReference, res.TrackID = a.ID, echo
	}
	status, response := str(d.Status), str(d.Response)
	res.Status, res.Reason = mapStatus(status, response, stateTime(a.State[stateExpires]), g.now())
	res.GatewayCode = wire.Clip(g.redact(status), 64)
	res.GatewayMessage = wire.Clip(g.redact(response), 300)
	res.Amount = reportedAmount(d, a.State[stateAmount])
	return res, nil
}

// mapStatus maps Payment Status's Status/Response (spec §3.4, §4) to a normalized status and,
// for failures, a reason. Only "success" is documented; see the package comment.
func mapStatus(status, response string, expires, now time.Time) (gateway.Status, string) {
	switch strings.ToLower(strings.TrimSpace(status)) {
	case "success":
		if response == "" || strings.EqualFold(response, "success") {
			return gateway.StatusPaid, ""
		}
		return gateway.StatusUnknown, ""
	case "no_status":
		if !expires.IsZero() && now.After(expires.Add(expiryGrace)) {
			return gateway.StatusExpired, gateway.ReasonTimeout
		}
		return gateway.StatusPending, ""
	case "declined":
		return gateway.StatusFailed, gateway.ReasonDeclined
	case "error", "wrong", "failed", "failure", "fail": // a decline, a cancel or the fee minimum
		return gateway.StatusFailed, gateway.ReasonNotCompleted
	case "cancel", "cancelled", "canceled":
		return gateway.StatusCancelled, gateway.ReasonCancelled
	case "expired", "expire", "session expire":
		return gateway.StatusExpired, gateway.ReasonTimeout
	}
	return gateway.StatusUnknown, ""
}

// reportedAmount is the amount Click reported in Payment Status, when it reports one
// (undocumented: order_amout, order_amount or amount); otherwise the amount we sent in Update
// Session for this session. A reported amount that is not a plain KWD decimal is the zero
// Amount (a mismatch for a paid result).
func reportedAmount(d *doc, sent string) money.Amount {
	lit := ""
	for _, raw := range []json.RawMessage{d.OrderAmout, d.OrderAmount, d.Amount} {
		if lit = str(raw); lit != "" {
			break
		}
	}
	if lit == "" {
		lit = sent
	}
	amt, err := money.Parse(lit, "KWD")
	if err != nil {
		return money.Amount{}
	}
	return amt
}

// answer is one HTTP answer from Click.
type answer struct {
	code   int
	header http.Header
	raw    []byte
	url    *url.URL // the request's URL, to resolve relative locations
}

// post sends a POST with Click's headers (spec §2). A nil body sends none (Create Session).
func (g *Gateway) post(ctx context.Context, op, path string, body []byte) (*answer, error) {
	var rd io.Reader = http.NoBody
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.base+path, rd)
	if err != nil {
		return nil, &Error{Op: op, Kind: gateway.ErrRejected, Code: "CONFIG", Reason: gateway.ReasonGatewayError, Text: "bad base URL"}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Authorization", "Bearer "+g.token)
	ans, err := wire.Do(g.client, req, maxBody)
	if f := (*wire.Failure)(nil); errors.As(err, &f) {
		code := "NETWORK"
		if f.TooLarge() {
			code = "TOO_LARGE"
		}
		return nil, &Error{Op: op, Kind: gateway.ErrUnavailable, Code: code, Reason: gateway.ReasonGatewayError, Text: g.redact(f.Error())}
	}
	return &answer{code: ans.Status, header: ans.Header, raw: ans.Body, url: req.URL}, nil
}

// check reads the answer: a documented error body is an *Error whatever the HTTP status (the
// seed gives none); otherwise 2xx (and 3xx when allowed) pass, 408/429/5xx and other 3xx are
// ErrUnavailable, other statuses ErrRejected. The parsed body is nil when it is not a JSON object.
func (g *Gateway) check(op string, ans *answer, allowRedirect bool) (*doc, error) {
	d := parseDoc(ans.raw)
	if e := g.catalogError(op, d, ans.code); e != nil {
		return d, e
	}
	code := ans.code
	switch {
	case code >= 200 && code < 300:
		return d, nil
	case code >= 300 && code < 400 && allowRedirect:
		return d, nil
	case code >= 300 && code < 400, wire.Retryable(code):
		return d, &Error{Op: op, Kind: gateway.ErrUnavailable, Code: "HTTP " + strconv.Itoa(code), Reason: gateway.ReasonGatewayError,
			Text: "Click answered with an error status"}
	default:
		return d, &Error{Op: op, Kind: gateway.ErrRejected, Code: "HTTP " + strconv.Itoa(code), Reason: gateway.ReasonGatewayError,
			Text: "Click refused the request"}
	}
}

// catalogError recognizes Click's two error shapes (spec §5):
// {"apiVersion":"1","gatewayResponse":{"error":"…","status":"false"}} and {"message":"…","status":0|-1}.
func (g *Gateway) catalogError(op string, d *doc, httpCode int) *Error {
	if d == nil {
		return nil
	}
	unknownKind := gateway.ErrRejected
	if httpCode >= 500 {
		unknownKind = gateway.ErrUnavailable
	}
	word := ""
	if d.gw != nil {
		word = str(d.gw.Error)
	}
	if word == "" {
		word = str(d.Message)
		if word == "" {
			return nil
		}
		if _, known := catalog[normalize(word)]; !known {
			// An unknown message is an error only with Click's error status 0, -1 or "false".
			switch strings.ToLower(str(d.Status)) {
			case "0", "-1", "false":
			default:
				return nil
			}
		}
	}
	if c, ok := catalog[normalize(word)]; ok {
		return &Error{Op: op, Kind: c.kind, Code: g.words(word), Reason: c.reason, Text: c.text}
	}
	return &Error{Op: op, Kind: unknownKind, Code: g.words(word), Reason: gateway.ReasonGatewayError, Text: "Click refused the request"}
}

// unreadable is the error for a 2xx answer we cannot read.
func (g *Gateway) unreadable(op string, ans *answer) error {
	return &Error{Op: op, Kind: gateway.ErrUnavailable, Code: "HTTP " + strconv.Itoa(ans.code), Reason: gateway.ReasonGatewayError,
		Text: "Click's answer is not the expected JSON"}
}

// words returns Click's words for an error, trimmed, bounded and without the token.
func (g *Gateway) words(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return "(none)"
	}
	return wire.Clip(g.redact(s), 80)
}

// redact removes the token from s, should anything ever echo it.
func (g *Gateway) redact(s string) string { return wire.Redact(s, g.token) }

// resolve returns ref resolved against base when the result is an absolute http(s) URL.
func resolve(base *url.URL, ref string) (string, bool) {
	ref = strings.TrimSpace(ref)
	if ref == "" || len(ref) > 2048 {
		return "", false
	}
	r, err := url.Parse(ref)
	if err != nil {
		return "", false
	}
	u := base.ResolveReference(r)
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return "", false
	}
	return u.String(), true
}

// kuwaitTime reads Click's session_expire (PHP DateTime JSON: "2019-01-20 14:46:16.834709" in
// timezone "Asia/Kuwait"). Kuwait is UTC+3 without daylight saving, so no tz database is
// needed for it. The zero time when it cannot be read.
func kuwaitTime(date, tz string) time.Time {
	var loc *time.Location
	switch {
	case tz == "" || strings.EqualFold(tz, "Asia/Kuwait"):
		loc = time.FixedZone("AST", 3*60*60)
	default:
		l, err := time.LoadLocation(tz)
		if err != nil {
			return time.Time{}
		}
		loc = l
	}
	t, err := time.ParseInLocation("2006-01-02 15:04:05.999999999", date, loc)
	if err != nil {
		return time.Time{}
	}
	return t
}

// stateTime reads an RFC 3339 time kept in State; zero when absent or unreadable.
func stateTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}
	}
	return t
}
