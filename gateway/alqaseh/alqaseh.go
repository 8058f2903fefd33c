package alqaseh

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/gateway/internal/wire"
	"github.com/bawaba/checkout/money"
)

// Name is the gateway's id.
const Name = "alqaseh"

// Al Qaseh's hosts (spec §1), for the wiring. The API bases end in "/v1"; the payment page
// URLs end in "/pay", the token is appended as one more path segment.
const (
	LiveBaseURL        = "https://api.alqaseh.com/v1"
	TestBaseURL        = "https://api-test.alqaseh.com/v1"
	LivePaymentPageURL = "https://pay.alqaseh.com/pay"
	TestPaymentPageURL = "https://pay-test.alqaseh.com/pay"
)

// Keys of the connector's State (kept by the order service, handed back on every call).
const (
	statePaymentID   = "payment_id"   // Al Qaseh's payment_id (also the Started.PaymentID)
	stateToken       = "token"        // the payment page token
	stateOrderID     = "order_id"     // the order_id Al Qaseh holds for this payment context
	stateRetriedFrom = "retried_from" // the prior payment_id when the context was retried
)

// maxOrderID is the order_id length Al Qaseh stores (varchar(32), spec §3).
const maxOrderID = 32

// maxDescription bounds the description we send (Al Qaseh's limit is not public).
const maxDescription = 250

// Token lifetime bounds in hours (spec §3, token_expiry_in_hour).
const (
	minTokenHours = 1
	maxTokenHours = 720
)

var (
	// idPattern checks a payment_id before it goes into a URL path.
	idPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,128}$`)
	// tokenPattern checks a payment page token before it goes into the shopper's URL.
	tokenPattern = regexp.MustCompile(`^[A-Za-z0-9_.~+=-]{1,1000}$`)
	// orderIDPattern is the shape of every order_id this connector sends.
	orderIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,32}$`)
)

// Config configures the connector.
type Config struct {
	// BaseURL is the API base in front of "/egw/payments/…": LiveBaseURL, TestBaseURL, or the
	// sandbox's "http://127.0.0.1:PORT/sandbox/alqaseh/v1".
	BaseURL string
	// ClientID and ClientSecret are sent as HTTP Basic credentials. The secret is never
	// logged, shown, nor put in an error or a Result.
	ClientID     string
	ClientSecret string
	// PaymentPageURL is the hosted payment page in front of the token: LivePaymentPageURL,
	// TestPaymentPageURL, or the sandbox's "http://127.0.0.1:PORT/sandbox/alqaseh/pay". The
	// shopper goes to {PaymentPageURL}/{token}; when it contains "{token}", the token replaces
	// that instead.
	PaymentPageURL string
	// Currencies are the ISO codes the merchant's Al Qaseh account takes; empty means ["IQD"].
	Currencies []string
	// HTTPClient is used for every call (its redirects are not followed); nil means a client
	// with a 15 s timeout.
	HTTPClient *http.Client
}

// Gateway is the Al Qaseh connector. It implements gateway.Gateway and gateway.Closer.
type Gateway struct {
	base       string
	clientID   string
	secret     string
	page       string
	currencies []string
	client     *http.Client
	now        func() time.Time
}

var (
	_ gateway.Gateway = (*Gateway)(nil)
	_ gateway.Closer  = (*Gateway)(nil)
)

// New returns the connector for cfg.
func New(cfg Config) *Gateway {
	c := wire.NoRedirectClient(cfg.HTTPClient, 15*time.Second)
	var curs []string
	for _, cur := range cfg.Currencies {
		if cur = strings.ToUpper(strings.TrimSpace(cur)); cur != "" {
			curs = append(curs, cur)
		}
	}
	if len(curs) == 0 {
		curs = []string{"IQD"}
	}
	return &Gateway{
		base:       strings.TrimRight(cfg.BaseURL, "/"),
		clientID:   cfg.ClientID,
		secret:     cfg.ClientSecret,
		page:       strings.TrimRight(cfg.PaymentPageURL, "/"),
		currencies: curs,
		client:     c,
		now:        time.Now,
	}
}

// Name returns "alqaseh".
func (g *Gateway) Name() string { return Name }

// Supports reports whether method is "card" in one of the configured currencies.
func (g *Gateway) Supports(method, currency string) bool {
	return method == gateway.MethodCard && g.takes(currency)
}

func (g *Gateway) takes(currency string) bool {
	if _, ok := money.LookupCurrency(currency); !ok {
		return false
	}
	for _, c := range g.currencies {
		if c == currency {
			return true
		}
	}
	return false
}

// Start creates the payment context and sends the shopper to Al Qaseh's payment page. When
// a.Prior is an earlier attempt whose context Al Qaseh lets us retry, the context is retried
// instead (a new payment_id and token); see the package comment.
func (g *Gateway) Start(ctx context.Context, a gateway.Attempt) (gateway.Started, error) {
	const op = "create payment"
	amount, err := g.check(a)
	if err != nil {
		return gateway.Started{}, err
	}
	if a.Prior != nil {
		if st, ok := g.retry(ctx, a); ok {
			return st, nil
		}
	}
	orderID := orderRef(a.ID)
	req := createRequest{
		Amount:          json.RawMessage(amount),
		Currency:        a.Amount.Currency().Code,
		OrderID:         orderID,
		Description:     description(a),
		RedirectURL:     a.ReturnURL,
		WebhookURL:      a.WebhookURL,
		TransactionType: "Retail",
		TokenHours:      g.tokenHours(a.ExpiresAt),
	}
	if e := strings.TrimSpace(a.Customer.Email); e != "" && len(e) <= 80 {
		req.Email = e
	}
	raw, err := g.call(ctx, op, http.MethodPost, "/egw/payments/create", req)
	if err != nil {
		return gateway.Started{}, err
	}
	p, err := decodePayment(raw)
	if err != nil || p.PaymentID == "" {
		if e := g.rejected(op, "", raw); e.Message != "" || e.Code != "" {
			return gateway.Started{}, e
		}
		return gateway.Started{}, unavailable(op, "unreadable answer: no payment_id")
	}
	if !idPattern.MatchString(string(p.PaymentID)) {
		return gateway.Started{}, unavailable(op, "malformed payment_id")
	}
	st := gateway.Started{
		PaymentID: string(p.PaymentID),
		State:     map[string]string{statePaymentID: string(p.PaymentID), stateOrderID: orderID},
	}
	if p.Status != "" {
		if s, _ := mapStatus(string(p.Status), "", ""); s != gateway.StatusPending {
			// Known at once (duplicated, …): report it, nothing for the shopper to do there.
			res := g.result(raw, p)
			res.OurReference = ourReference(a.ID, orderID, string(p.OrderID))
			st.Result = &res
			st.Action = gateway.Action{Kind: gateway.ActionWait}
			return st, nil
		}
	}
	pageURL, ok := g.pageURL(string(p.Token))
	if !ok {
		return gateway.Started{}, unavailable(op, "no usable token in the answer")
	}
	st.State[stateToken] = string(p.Token)
	st.Action = gateway.Action{Kind: gateway.ActionRedirect, URL: pageURL}
	return st, nil
}

// createRequest is the create-payment body (spec §3).
type createRequest struct {
	Amount          json.RawMessage `json:"amount"`
	Currency        string          `json:"currency"`
	OrderID         string          `json:"order_id"`
	Description     string          `json:"description"`
	RedirectURL     string          `json:"redirect_url"`
	WebhookURL      string          `json:"webhook_url,omitempty"`
	TransactionType string          `json:"transaction_type"`
	Email           string          `json:"email,omitempty"`
	TokenHours      int             `json:"token_expiry_in_hour,omitempty"`
}

// changeRequest is the retry and revoke body (spec §2).
type changeRequest struct {
	PaymentID string `json:"payment_id"`
	Details   string `json:"details,omitempty"`
}

// check validates the attempt before anything is sent and returns the amount's JSON literal.
func (g *Gateway) check(a gateway.Attempt) (string, error) {
	const op = "create payment"
	reject := func(detail string) (string, error) {
		return "", &Error{Op: op, Kind: gateway.ErrRejected, Reason: gateway.ReasonGatewayError, Detail: detail}
	}
	if a.Method != gateway.MethodCard {
		return reject(fmt.Sprintf("Al Qaseh takes cards only, not %q", a.Method))
	}
	cur := a.Amount.Currency().Code
	if !g.takes(cur) {
		return reject(fmt.Sprintf("currency %q is not configured for Al Qaseh", cur))
	}
	if !a.Amount.IsPositive() {
		return reject("amount must be positive")
	}
	lit, ok := amountLiteral(a.Amount)
	if !ok {
		return reject(fmt.Sprintf("%s %s has a fraction Al Qaseh cannot take (IQD is whole dinars)", a.Amount.String(), cur))
	}
	if a.ID == "" {
		return reject("attempt id is required")
	}
	if !wire.AbsoluteURL(a.ReturnURL) {
		return reject("return URL must be an absolute http(s) URL")
	}
	if a.WebhookURL != "" && !wire.AbsoluteURL(a.WebhookURL) {
		return reject("webhook URL must be an absolute http(s) URL")
	}
	if !a.ExpiresAt.IsZero() && !a.ExpiresAt.After(g.now()) {
		return reject("the order has already expired")
	}
	return lit, nil
}

// amountLiteral writes the amount as Al Qaseh takes it: IQD in whole dinars ("1500"), every
// other currency with its ISO decimals ("12.50"). It fails for IQD with a non-zero fraction.
func amountLiteral(a money.Amount) (string, bool) {
	scale := a.Currency().Scale
	if a.Currency().Code == "IQD" {
		scale = 0
	}
	d := a.Decimal()
	if !d.Equal(d.Truncate(scale)) {
		return "", false
	}
	return d.StringFixed(scale), true
}

// orderRef is the order_id sent for an attempt: the attempt id itself when it fits Al Qaseh's
// varchar(32) and our safe alphabet (att_ + 22 base62 characters does), otherwise "h_" and
// the first 30 hex digits of its SHA-256.
func orderRef(attemptID string) string {
	if orderIDPattern.MatchString(attemptID) {
		return attemptID
	}
	sum := sha256.Sum256([]byte(attemptID))
	return "h_" + hex.EncodeToString(sum[:])[:maxOrderID-2]
}

// orderIDOf is the order_id Al Qaseh holds for an attempt's payment context.
func orderIDOf(a gateway.Attempt) string {
	if v := a.State[stateOrderID]; v != "" {
		return v
	}
	return orderRef(a.ID)
}

// ourReference is Result.OurReference for the attempt: its id when Al Qaseh echoed the
// order_id this attempt's context holds, what Al Qaseh echoed otherwise (a mismatch the order
// service flags), "" when it echoed nothing.
func ourReference(attemptID, want, got string) string {
	switch {
	case got == "":
		return ""
	case got == want:
		return attemptID
	default:
		return got
	}
}

// description is the required description: the attempt's, or "Order <reference>".
func description(a gateway.Attempt) string {
	d := strings.Join(strings.Fields(a.Description), " ")
	if d == "" {
		ref := a.Reference
		if ref == "" {
			ref = a.OrderID
		}
		d = strings.TrimSpace("Order " + ref)
	}
	if utf8.RuneCountInString(d) > maxDescription {
		d = string([]rune(d)[:maxDescription])
	}
	return d
}

// tokenHours is token_expiry_in_hour for an order expiring at exp: the hours left, rounded
// up, within 1–720; 0 (not sent: Al Qaseh's default) when the order has no expiry.
func (g *Gateway) tokenHours(exp time.Time) int {
	if exp.IsZero() {
		return 0
	}
	left := exp.Sub(g.now())
	h := int((left + time.Hour - 1) / time.Hour)
	return max(minTokenHours, min(maxTokenHours, h))
}

// pageURL is the payment page of token.
func (g *Gateway) pageURL(token string) (string, bool) {
	if !tokenPattern.MatchString(token) || g.page == "" {
		return "", false
	}
	esc := url.PathEscape(token)
	var u string
	if strings.Contains(g.page, "{token}") {
		u = strings.ReplaceAll(g.page, "{token}", esc)
	} else {
		u = g.page + "/" + esc
	}
	return u, wire.AbsoluteURL(u)
}

// retry retries the prior attempt's context when Al Qaseh's guards allow it (status expired,
// declined, failed or unknown), it is the same order_id and amount, and Al Qaseh answers with
// a new payment_id and token. Any other outcome reports false: the caller creates a context.
func (g *Gateway) retry(ctx context.Context, a gateway.Attempt) (gateway.Started, bool) {
	prior := *a.Prior
	if !idPattern.MatchString(prior.PaymentID) {
		return gateway.Started{}, false
	}
	p, _, err := g.fetch(ctx, "retrieve prior payment", prior.PaymentID)
	if err != nil || !retryable(string(p.Status)) {
		return gateway.Started{}, false
	}
	orderID := orderIDOf(prior)
	if string(p.OrderID) != orderID {
		return gateway.Started{}, false
	}
	if amt, ok := reportedAmount(string(p.Amount), string(p.Currency)); !ok || !amt.Equal(a.Amount) {
		return gateway.Started{}, false
	}
	raw, err := g.call(ctx, "retry payment", http.MethodPost, "/egw/payments/retry",
		changeRequest{PaymentID: prior.PaymentID, Details: "retry as " + a.ID})
	if err != nil {
		return gateway.Started{}, false
	}
	np, err := decodePayment(raw)
	if err != nil {
		return gateway.Started{}, false
	}
	id := string(np.PaymentID)
	if !idPattern.MatchString(id) || id == prior.PaymentID {
		return gateway.Started{}, false
	}
	pageURL, ok := g.pageURL(string(np.Token))
	if !ok {
		// Retried, but we cannot send anyone there: close it so it does not linger.
		_, _ = g.call(ctx, "revoke payment", http.MethodPost, "/egw/payments/revoke",
			changeRequest{PaymentID: id, Details: "token unusable"})
		return gateway.Started{}, false
	}
	return gateway.Started{
		PaymentID: id,
		State: map[string]string{
			statePaymentID: id, stateToken: string(np.Token), stateOrderID: orderID,
			stateRetriedFrom: prior.PaymentID,
		},
		Action: gateway.Action{Kind: gateway.ActionRedirect, URL: pageURL},
	}, true
}

// lookup checks the payment id of a return or an inquiry.
var lookup = wire.Lookup{Gateway: Name, Param: "payment_id", Noun: "payment", Shape: idPattern}

// Return verifies the browser's return: payment_id must be the attempt's, and the payment is
// then read from Al Qaseh. The query's order_id and status are ignored.
func (g *Gateway) Return(ctx context.Context, a gateway.Attempt, query url.Values) (gateway.Result, error) {
	return lookup.Return(ctx, a, query, g.inquire)
}

// Inquire reads the attempt's payment from Al Qaseh. Without a payment id the status is
// unknown.
func (g *Gateway) Inquire(ctx context.Context, a gateway.Attempt) (gateway.Result, error) {
	return lookup.Inquire(ctx, a, g.inquire)
}

func (g *Gateway) inquire(ctx context.Context, a gateway.Attempt) (gateway.Result, error) {
	p, raw, err := g.fetch(ctx, "retrieve payment", a.PaymentID)
	if err != nil {
		return gateway.Result{}, err
	}
	res := g.result(raw, p)
	res.OurReference = ourReference(a.ID, orderIDOf(a), string(p.OrderID))
	return res, nil
}

// fetch GETs the payment id (already validated) and checks that Al Qaseh answered for it.
func (g *Gateway) fetch(ctx context.Context, op, id string) (*payment, []byte, error) {
	raw, err := g.call(ctx, op, http.MethodGet, "/egw/payments/"+url.PathEscape(id), nil)
	if err != nil {
		return nil, nil, err
	}
	p, err := decodePayment(raw)
	if err != nil {
		return nil, nil, unavailable(op, "unreadable payment")
	}
	if string(p.PaymentID) != id {
		if p.PaymentID == "" {
			if e := g.rejected(op, "", raw); e.Message != "" || e.Code != "" {
				return nil, nil, e
			}
		}
		return nil, nil, unavailable(op, "Al Qaseh answered for another payment")
	}
	return p, raw, nil
}

// Close revokes the attempt's payment context while Al Qaseh still lets it be paid (prepared
// or retried), so that no stale payment page can take money for a cancelled or expired order.
// A context in any other status is final already: nothing to do.
func (g *Gateway) Close(ctx context.Context, a gateway.Attempt) error {
	if a.PaymentID == "" {
		return nil
	}
	if !idPattern.MatchString(a.PaymentID) {
		return fmt.Errorf("alqaseh: close: %w: malformed payment id", gateway.ErrBadRequest)
	}
	p, _, err := g.fetch(ctx, "retrieve payment", a.PaymentID)
	if err != nil {
		return err
	}
	if !revocable(string(p.Status)) {
		return nil
	}
	_, err = g.call(ctx, "revoke payment", http.MethodPost, "/egw/payments/revoke",
		changeRequest{PaymentID: a.PaymentID, Details: "order closed"})
	if err == nil {
		return nil
	}
	if errors.Is(err, gateway.ErrRejected) {
		// The status may have moved on meanwhile (paid, declined, expired): then all is well.
		if p2, _, err2 := g.fetch(ctx, "retrieve payment", a.PaymentID); err2 == nil && !revocable(string(p2.Status)) {
			return nil
		}
	}
	return err
}
