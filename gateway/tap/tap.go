package tap

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/gateway/internal/wire"
)

// Name is the gateway's id.
const Name = "tap"

// knetSource is Tap's source id for KNET (spec §2).
const knetSource = "src_kw.knet"

// maxBody bounds what we read from Tap.
const maxBody = 1 << 20

// idPattern is the charge id check of Tap's own plugin (spec §1), applied before an id goes
// into a URL.
var idPattern = regexp.MustCompile(`^(chg|auth)_[A-Za-z0-9]{1,64}$`)

// Config configures the connector.
type Config struct {
	// BaseURL is "https://api.tap.company" live, or the sandbox's
	// "http://127.0.0.1:PORT/sandbox/tap"; "/v2/charges" is appended.
	BaseURL string
	// SecretKey (sk_test_… / sk_live_…) is sent as Bearer and keys the webhook HMAC.
	// It is never logged nor shown.
	SecretKey string
	// HTTPClient is used for every call; nil means a client with a 15 s timeout.
	HTTPClient *http.Client
	// Live is the live_mode every charge must have (false in sandbox/test).
	Live bool
}

// Gateway is the Tap KNET connector. It implements gateway.Gateway.
type Gateway struct {
	base   string
	key    string
	client *http.Client
	live   bool
}

var _ gateway.Gateway = (*Gateway)(nil)

// New returns the connector for cfg.
func New(cfg Config) *Gateway {
	c := wire.DefaultClient(cfg.HTTPClient, 15*time.Second)
	return &Gateway{
		base:   strings.TrimRight(cfg.BaseURL, "/"),
		key:    cfg.SecretKey,
		client: c,
		live:   cfg.Live,
	}
}

// Name returns "tap".
func (g *Gateway) Name() string { return Name }

// Supports reports whether method is KNET in KWD, the only thing src_kw.knet takes.
func (g *Gateway) Supports(method, currency string) bool {
	return method == gateway.MethodKNET && currency == "KWD"
}

// Start creates the KNET charge and sends the shopper to Tap's transaction.url.
func (g *Gateway) Start(ctx context.Context, a gateway.Attempt) (gateway.Started, error) {
	body, err := buildChargeRequest(a)
	if err != nil {
		return gateway.Started{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.base+"/v2/charges", bytes.NewReader(body))
	if err != nil {
		return gateway.Started{}, fmt.Errorf("tap: create charge: %w: bad base URL", gateway.ErrRejected)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", a.ID)
	req.Header["lang_code"] = []string{langCode(a.Locale)} // sent as spelled by Tap's plugin
	raw, err := g.do(req, "create charge")
	if err != nil {
		return gateway.Started{}, err
	}
	c, err := decodeCharge(raw)
	if err != nil || c.ID == "" {
		if e := tapErrors(raw); e != "" {
			return gateway.Started{}, fmt.Errorf("tap: create charge: %w: %s", gateway.ErrRejected, g.redact(e))
		}
		return gateway.Started{}, fmt.Errorf("tap: create charge: %w: unreadable charge", gateway.ErrUnavailable)
	}
	if !idPattern.MatchString(c.ID) {
		return gateway.Started{}, fmt.Errorf("tap: create charge: %w: malformed charge id", gateway.ErrUnavailable)
	}
	if err := g.checkMode(c); err != nil {
		return gateway.Started{}, err
	}
	st := gateway.Started{PaymentID: c.ID}
	payURL := c.Transaction.URL
	urlOK := wire.AbsoluteURL(payURL)
	if c.Status == "INITIATED" {
		if !urlOK {
			return gateway.Started{}, fmt.Errorf("tap: create charge %s: %w: no absolute transaction.url", c.ID, gateway.ErrUnavailable)
		}
		st.Action = gateway.Action{Kind: gateway.ActionRedirect, URL: payURL}
		return st, nil
	}
	// Any other immediate status: report it; send the shopper on only if still payable.
	res := g.result(raw, c)
	st.Result = &res
	if res.Status == gateway.StatusPending && urlOK {
		st.Action = gateway.Action{Kind: gateway.ActionRedirect, URL: payURL}
	} else {
		st.Action = gateway.Action{Kind: gateway.ActionWait}
	}
	return st, nil
}

// lookup checks the charge id of a return or an inquiry.
var lookup = wire.Lookup{Gateway: Name, Param: "tap_id", Noun: "charge", Shape: idPattern}

// Return verifies the browser's return: tap_id must be the attempt's charge id, and the
// charge is then read from Tap. The query's other parameters (tap_status) are ignored.
func (g *Gateway) Return(ctx context.Context, a gateway.Attempt, query url.Values) (gateway.Result, error) {
	return lookup.Return(ctx, a, query, g.retrieveAttempt)
}

// Inquire reads the attempt's charge from Tap. Without a charge id the status is unknown.
func (g *Gateway) Inquire(ctx context.Context, a gateway.Attempt) (gateway.Result, error) {
	return lookup.Inquire(ctx, a, g.retrieveAttempt)
}

// retrieveAttempt reads the attempt's charge (its id already checked).
func (g *Gateway) retrieveAttempt(ctx context.Context, a gateway.Attempt) (gateway.Result, error) {
	return g.retrieve(ctx, a.PaymentID)
}

// Webhook verifies Tap's hashstring header over the posted charge, then re-reads the charge
// from Tap and reports what the re-read says.
func (g *Gateway) Webhook(ctx context.Context, req gateway.WebhookRequest) ([]gateway.Notification, error) {
	sig := strings.ToLower(strings.TrimSpace(headerValue(req.Header, "hashstring")))
	if sig == "" {
		return nil, fmt.Errorf("tap: webhook: %w: no hashstring header", gateway.ErrSignature)
	}
	c, err := decodeCharge(req.Body)
	if err != nil {
		return nil, fmt.Errorf("tap: webhook: %w: body is not a charge", gateway.ErrBadRequest)
	}
	if !g.verifyHash(c, sig) {
		return nil, fmt.Errorf("tap: webhook: %w", gateway.ErrSignature)
	}
	if !idPattern.MatchString(c.ID) {
		return nil, fmt.Errorf("tap: webhook: %w: malformed charge id", gateway.ErrBadRequest)
	}
	res, err := g.retrieve(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	return []gateway.Notification{{
		Ref:    gateway.AttemptRef{PaymentID: res.PaymentID, AttemptID: res.OurReference},
		Result: res,
	}}, nil
}

// retrieve GETs the charge id (already validated) and maps it.
func (g *Gateway) retrieve(ctx context.Context, id string) (gateway.Result, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, g.base+"/v2/charges/"+id, nil)
	if err != nil {
		return gateway.Result{}, fmt.Errorf("tap: retrieve charge: %w: bad base URL", gateway.ErrUnavailable)
	}
	raw, err := g.do(req, "retrieve charge "+id)
	if err != nil {
		return gateway.Result{}, err
	}
	c, err := decodeCharge(raw)
	if err != nil {
		return gateway.Result{}, fmt.Errorf("tap: retrieve charge %s: %w: unreadable charge", id, gateway.ErrUnavailable)
	}
	if c.ID != id {
		return gateway.Result{}, fmt.Errorf("tap: retrieve charge %s: %w: Tap answered for another charge", id, gateway.ErrUnavailable)
	}
	if err := g.checkMode(c); err != nil {
		return gateway.Result{}, err
	}
	return g.result(raw, c), nil
}

// do sends req with the credentials and returns the body of a 2xx answer. Other answers
// become errors wrapping gateway.ErrRejected (4xx) or gateway.ErrUnavailable (network, 408,
// 429, 5xx).
func (g *Gateway) do(req *http.Request, what string) ([]byte, error) {
	req.Header.Set("Authorization", "Bearer "+g.key)
	req.Header.Set("Accept", "application/json")
	ans, err := wire.Do(g.client, req, maxBody)
	if err != nil {
		return nil, fmt.Errorf("tap: %s: %w: %s", what, gateway.ErrUnavailable, g.redact(err.Error()))
	}
	raw, code := ans.Body, ans.Status
	switch {
	case code >= 200 && code < 300:
		return raw, nil
	case wire.Retryable(code):
		return nil, fmt.Errorf("tap: %s: %w: HTTP %d%s", what, gateway.ErrUnavailable, code, g.detail(raw))
	case code == http.StatusNotFound:
		return nil, fmt.Errorf("tap: %s: %w: %w: HTTP %d%s", what, gateway.ErrRejected, errNotFound, code, g.detail(raw))
	default:
		return nil, fmt.Errorf("tap: %s: %w: HTTP %d%s", what, gateway.ErrRejected, code, g.detail(raw))
	}
}

// errNotFound marks a 404 answer (inside gateway.ErrRejected).
var errNotFound = errors.New("not found")

// detail returns ": code description" from Tap's error body, or "".
func (g *Gateway) detail(raw []byte) string {
	if e := tapErrors(raw); e != "" {
		return ": " + g.redact(e)
	}
	return ""
}

// redact removes the secret key from s, should anything ever echo it.
func (g *Gateway) redact(s string) string { return wire.Redact(s, g.key) }

// checkMode refuses a charge whose live_mode is not the configured one.
func (g *Gateway) checkMode(c *charge) error {
	if c.LiveMode != nil && *c.LiveMode != g.live {
		return fmt.Errorf("tap: charge %s: %w: live_mode %t, expected %t", c.ID, gateway.ErrBadRequest, *c.LiveMode, g.live)
	}
	return nil
}

// tapErrors formats Tap's {"errors":[{"code","description"}]} body, or returns "".
func tapErrors(raw []byte) string {
	var body struct {
		Errors []struct {
			Code        wire.FlexString `json:"code"`
			Description string          `json:"description"`
		} `json:"errors"`
	}
	if json.Unmarshal(raw, &body) != nil {
		return ""
	}
	var parts []string
	for _, e := range body.Errors {
		p := strings.TrimSpace(string(e.Code) + " " + e.Description)
		if p != "" {
			parts = append(parts, p)
		}
		if len(parts) == 5 {
			break
		}
	}
	s := strings.Join(parts, "; ")
	if len(s) > 500 {
		s = s[:500]
	}
	return s
}

// headerValue returns the header's first value, also when the map was built with
// non-canonical keys.
func headerValue(h http.Header, name string) string {
	if v := h.Get(name); v != "" {
		return v
	}
	for k, vs := range h {
		if strings.EqualFold(k, name) && len(vs) > 0 {
			return vs[0]
		}
	}
	return ""
}

func langCode(locale string) string {
	if locale == "ar" {
		return "ar"
	}
	return "en"
}
