package adyen

import (
	"bytes"
	"context"
	"encoding/hex"
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
const Name = "adyen"

// maxBody bounds what we read from Adyen.
const maxBody = 1 << 20

// maxRedirectResult bounds the opaque redirectResult we accept from a browser.
const maxRedirectResult = 64 << 10

// pspPattern is what we accept as a pspReference before it goes into a URL path (Adyen's are
// 16 alphanumeric characters; a little room is left).
var pspPattern = regexp.MustCompile(`^[A-Za-z0-9]{1,64}$`)

// Config configures the connector.
type Config struct {
	// BaseURL is the Checkout API base including the version, e.g.
	// "https://checkout-test.adyen.com/v71", the account's live
	// "https://{prefix}-checkout-live.adyenpayments.com/checkout/v71", or the sandbox's
	// "http://127.0.0.1:PORT/sandbox/adyen/v71". "/paymentMethods", "/payments",
	// "/payments/details" and "/payments/{pspReference}/refunds" are appended.
	BaseURL string
	// APIKey is sent as X-API-Key. It is never logged nor put in an error.
	APIKey string
	// MerchantAccount is the merchant account code sent with every request; webhook items
	// for another merchant account are ignored.
	MerchantAccount string
	// HMACKey is the Standard webhook HMAC key from the Customer Area, in hex (64 characters).
	// Without a valid key no webhook verifies.
	HMACKey string
	// HTTPClient is used for every call; nil means a client with a 15 s timeout.
	HTTPClient *http.Client
	// Live is the environment webhooks must come from: a webhook batch whose "live" field
	// says otherwise is refused.
	Live bool
}

// Validate reports what is missing or malformed in cfg, without ever quoting a secret.
func (cfg Config) Validate() error {
	var probs []string
	if !wire.AbsoluteURL(cfg.BaseURL) {
		probs = append(probs, "BaseURL must be an absolute http(s) URL")
	}
	if cfg.APIKey == "" {
		probs = append(probs, "APIKey is required")
	}
	if cfg.MerchantAccount == "" {
		probs = append(probs, "MerchantAccount is required")
	}
	if k, err := hex.DecodeString(strings.TrimSpace(cfg.HMACKey)); err != nil || len(k) == 0 {
		probs = append(probs, "HMACKey must be the hex HMAC key")
	}
	if len(probs) > 0 {
		return errors.New("adyen: config: " + strings.Join(probs, "; "))
	}
	return nil
}

// Gateway is the Adyen KNET connector. It implements gateway.Gateway, gateway.Acknowledger
// and gateway.Refunder.
type Gateway struct {
	base     string
	apiKey   string
	merchant string
	hmacKey  string
	client   *http.Client
	live     bool

	// now is the clock of the /paymentMethods cache; New sets time.Now, tests replace it.
	now func() time.Time
	// knet caches positive /paymentMethods answers (KNET offered) per merchant account.
	knet knetCache
}

var (
	_ gateway.Gateway      = (*Gateway)(nil)
	_ gateway.Acknowledger = (*Gateway)(nil)
	_ gateway.Refunder     = (*Gateway)(nil)
)

// New returns the connector for cfg.
func New(cfg Config) *Gateway {
	c := wire.DefaultClient(cfg.HTTPClient, 15*time.Second)
	return &Gateway{
		base:     strings.TrimRight(cfg.BaseURL, "/"),
		apiKey:   cfg.APIKey,
		merchant: cfg.MerchantAccount,
		hmacKey:  strings.TrimSpace(cfg.HMACKey),
		client:   c,
		live:     cfg.Live,
		now:      time.Now,
	}
}

// Name returns "adyen".
func (g *Gateway) Name() string { return Name }

// Supports reports whether method is KNET in KWD, the only thing Adyen's "knet" takes.
func (g *Gateway) Supports(method, currency string) bool {
	return method == gateway.MethodKNET && currency == "KWD"
}

// Start checks with /paymentMethods that KNET is offered to the merchant account (a positive
// answer is cached for 10 minutes; see ensureKNET), then makes the /payments request for
// KNET and follows its action: a GET redirect becomes an ActionRedirect, a POST redirect an
// ActionPostForm; a final resultCode without an action is reported in Started.Result. When
// KNET is not offered, Start returns an error wrapping gateway.ErrRejected and makes no
// /payments request.
func (g *Gateway) Start(ctx context.Context, a gateway.Attempt) (gateway.Started, error) {
	body, err := g.buildPaymentRequest(a)
	if err != nil {
		return gateway.Started{}, err
	}
	if err := g.ensureKNET(ctx, a); err != nil {
		return gateway.Started{}, err
	}
	raw, _, err := g.post(ctx, "/payments", a.ID, body, "payments")
	if err != nil {
		return gateway.Started{}, err
	}
	p, err := decodePaymentResponse(raw)
	if err != nil || p.ResultCode == "" {
		return gateway.Started{}, fmt.Errorf("adyen: payments: %w: unreadable answer (no resultCode)", gateway.ErrUnavailable)
	}
	if p.PSPReference != "" && !pspPattern.MatchString(p.PSPReference) {
		return gateway.Started{}, fmt.Errorf("adyen: payments: %w: malformed pspReference", gateway.ErrUnavailable)
	}
	st := gateway.Started{
		PaymentID: p.PSPReference,
		State:     map[string]string{stateResultCode: p.ResultCode},
	}
	if p.Action != nil {
		act, err := p.Action.toAction()
		if err != nil {
			return gateway.Started{}, err
		}
		st.Action = act
		if p.Action.PaymentData != "" {
			st.State[statePaymentData] = p.Action.PaymentData
		}
		return st, nil
	}
	if p.RefusalReason != "" {
		st.State[stateRefusal] = clip(p.RefusalReason)
	}
	res := g.paymentResult(raw, p)
	st.Result = &res
	st.Action = gateway.Action{Kind: gateway.ActionWait}
	return st, nil
}

// Return redeems the browser's redirectResult with POST /payments/details and reports what
// Adyen says. A missing redirectResult, or an answer about another payment, changes nothing.
func (g *Gateway) Return(ctx context.Context, a gateway.Attempt, query url.Values) (gateway.Result, error) {
	rr := query.Get("redirectResult")
	if rr == "" {
		return gateway.Result{}, fmt.Errorf("adyen: return: %w: no redirectResult", gateway.ErrBadRequest)
	}
	if len(rr) > maxRedirectResult {
		return gateway.Result{}, fmt.Errorf("adyen: return: %w: redirectResult too long", gateway.ErrBadRequest)
	}
	req := detailsRequest{Details: map[string]string{"redirectResult": rr}}
	if pd := a.State[statePaymentData]; pd != "" {
		req.PaymentData = pd
	}
	body, err := wire.Marshal(req)
	if err != nil {
		return gateway.Result{}, fmt.Errorf("adyen: payments/details: %w: %v", gateway.ErrBadRequest, err)
	}
	raw, code, err := g.post(ctx, "/payments/details", "", body, "payments/details")
	if err != nil {
		if code == http.StatusBadRequest || code == http.StatusUnprocessableEntity {
			// Adyen would not redeem it: forged, tampered with, or already redeemed.
			return gateway.Result{}, fmt.Errorf("adyen: return: %w: redirectResult not redeemable: %v", gateway.ErrBadRequest, err)
		}
		return gateway.Result{}, err
	}
	p, err := decodePaymentResponse(raw)
	if err != nil || p.ResultCode == "" {
		return gateway.Result{}, fmt.Errorf("adyen: payments/details: %w: unreadable answer (no resultCode)", gateway.ErrUnavailable)
	}
	if p.MerchantReference != "" && p.MerchantReference != a.ID {
		return gateway.Result{}, fmt.Errorf("adyen: return: %w: the redirectResult is for reference %q, not attempt %s",
			gateway.ErrBadRequest, clip(p.MerchantReference), a.ID)
	}
	if p.PSPReference != "" && a.PaymentID != "" && p.PSPReference != a.PaymentID {
		return gateway.Result{}, fmt.Errorf("adyen: return: %w: the redirectResult is for payment %s, not %s",
			gateway.ErrBadRequest, clip(p.PSPReference), a.PaymentID)
	}
	res := g.paymentResult(raw, p)
	if res.PaymentID == "" {
		res.PaymentID = a.PaymentID
	}
	return res, nil
}

// Inquire cannot ask Adyen: the Checkout API has no "get payment" (spec §3, §5), and the final
// word is the AUTHORISATION / OFFER_CLOSED webhook. It reports pending, or again the final
// result Adyen gave when the payment was made (kept in State), and never calls Adyen.
func (g *Gateway) Inquire(_ context.Context, a gateway.Attempt) (gateway.Result, error) {
	res := gateway.Result{Status: gateway.StatusPending, PaymentID: a.PaymentID}
	code := a.State[stateResultCode]
	switch normCode(code) {
	case "refused", "error", "cancelled":
		st, reason := mapResultCode(code, a.State[stateRefusal])
		res.Status, res.Reason = st, reason
		res.GatewayCode, res.GatewayMessage = code, a.State[stateRefusal]
		return res, nil
	}
	res.GatewayMessage = "Adyen has no status inquiry: the AUTHORISATION or OFFER_CLOSED webhook settles this payment"
	return res, nil
}

// post sends body to path with the credentials and returns the body of a 2xx answer and the
// HTTP status. Other answers become errors wrapping gateway.ErrRejected (4xx) or
// gateway.ErrUnavailable (network, 408, 429, 5xx).
func (g *Gateway) post(ctx context.Context, path, idempotencyKey string, body []byte, what string) ([]byte, int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.base+path, bytes.NewReader(body))
	if err != nil {
		return nil, 0, fmt.Errorf("adyen: %s: %w: bad base URL", what, gateway.ErrRejected)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-API-Key", g.apiKey)
	if idempotencyKey != "" {
		req.Header.Set("Idempotency-Key", idempotencyKey)
	}
	ans, err := wire.Do(g.client, req, maxBody)
	if err != nil {
		return nil, ans.Status, fmt.Errorf("adyen: %s: %w: %s", what, gateway.ErrUnavailable, g.redact(err.Error()))
	}
	raw, code := ans.Body, ans.Status
	switch {
	case code >= 200 && code < 300:
		return raw, code, nil
	case wire.Retryable(code):
		return nil, code, fmt.Errorf("adyen: %s: %w: HTTP %d%s", what, gateway.ErrUnavailable, code, g.detail(raw))
	default:
		return nil, code, fmt.Errorf("adyen: %s: %w: HTTP %d%s", what, gateway.ErrRejected, code, g.detail(raw))
	}
}

// detail returns ": errorCode message (errorType)" from Adyen's error body, or "".
func (g *Gateway) detail(raw []byte) string {
	var e struct {
		ErrorCode string `json:"errorCode"`
		Message   string `json:"message"`
		ErrorType string `json:"errorType"`
	}
	if json.Unmarshal(raw, &e) != nil {
		return ""
	}
	s := strings.TrimSpace(e.ErrorCode + " " + e.Message)
	if e.ErrorType != "" {
		s += " (" + e.ErrorType + ")"
	}
	if s == "" {
		return ""
	}
	return ": " + g.redact(clip(s))
}

// redact removes the API key and the HMAC key from s, should anything ever echo them.
func (g *Gateway) redact(s string) string { return wire.Redact(s, g.apiKey, g.hmacKey) }

// clip shortens s for an error message.
func clip(s string) string {
	if c := wire.Clip(s, 300); c != s {
		return c + "…"
	}
	return s
}
