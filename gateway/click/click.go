package click

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/gateway/internal/wire"
)

// Name is the gateway's id.
const Name = "click"

// Keys of the connector's State (kept by the order service, handed back on every call).
const (
	stateSession  = "session_id"      // Click's session_id (also the Started.PaymentID)
	stateIndicate = "indicator"       // Click's indicator_status from Create Session
	stateOrderID  = "order_id"        // the integer order_id sent in Update Session
	stateAmount   = "amount"          // the order_amout sent in Update Session, e.g. "6.00"
	stateExpires  = "session_expires" // the session's end (RFC 3339, UTC) when Click gave it
)

// Config configures the connector.
type Config struct {
	// BaseURL is the host part in front of Click's real paths: "https://clickkw.com" live, or the
	// sandbox's "http://127.0.0.1:PORT/sandbox/click". The connector appends
	// "/api/developer/gatedeveloper/…" (spec §3).
	BaseURL string
	// DeveloperUser is the {developeruser} path segment issued by Click (e.g. "Dev1").
	DeveloperUser string
	// Token is the Bearer token of Click's developer panel. It is never logged nor shown.
	Token string
	// HTTPClient is used for every call (its redirects are not followed); nil means a client
	// with a 15 s timeout.
	HTTPClient *http.Client
	// PayPageURL is used only when Update Session's answer names no payment page (spec §3.2
	// gap): "{session_id}" in it is replaced by the query-escaped session id, e.g.
	// "https://clickkw.com/gateway?session_id={session_id}". Empty: such an answer fails Start.
	PayPageURL string
}

// Gateway is the Click connector. It implements gateway.Gateway.
type Gateway struct {
	base     string
	dev      string
	token    string
	client   *http.Client
	pagePath string
	now      func() time.Time
}

var _ gateway.Gateway = (*Gateway)(nil)

// New returns the connector for cfg.
func New(cfg Config) *Gateway {
	c := wire.NoRedirectClient(cfg.HTTPClient, 15*time.Second)
	return &Gateway{
		base:     strings.TrimRight(cfg.BaseURL, "/"),
		dev:      cfg.DeveloperUser,
		token:    cfg.Token,
		client:   c,
		pagePath: cfg.PayPageURL,
		now:      time.Now,
	}
}

// Name returns "click".
func (g *Gateway) Name() string { return Name }

// Supports reports whether method is "click" in KWD, the only currency Click takes.
func (g *Gateway) Supports(method, currency string) bool {
	return method == gateway.MethodClick && currency == "KWD"
}

// Start creates a Click session, updates it with the order and sends the shopper to Click's
// page.
func (g *Gateway) Start(ctx context.Context, a gateway.Attempt) (gateway.Started, error) {
	upd, err := buildUpdate(a)
	if err != nil {
		return gateway.Started{}, err
	}
	if err := g.configured("start"); err != nil {
		return gateway.Started{}, err
	}
	sess, err := g.createSession(ctx)
	if err != nil {
		return gateway.Started{}, err
	}
	upd.SessionID = sess.id
	pay, err := g.updateSession(ctx, upd, lang(a.Locale))
	if err != nil {
		return gateway.Started{}, err
	}
	state := map[string]string{
		stateSession:  sess.id,
		stateIndicate: sess.indicator,
		stateOrderID:  strconv.FormatInt(upd.OrderID, 10),
		stateAmount:   string(upd.Amount),
	}
	if !sess.expires.IsZero() {
		state[stateExpires] = sess.expires.UTC().Format(time.RFC3339)
	}
	return gateway.Started{
		Action:    gateway.Action{Kind: gateway.ActionRedirect, URL: pay},
		PaymentID: sess.id,
		State:     state,
	}, nil
}

// Return handles the browser coming back from Click with message, message_type and
// indicator_status. The query is only a trigger: every result is confirmed with Payment Status.
// A success return whose indicator is not the one saved at Start is refused with
// gateway.ErrBadRequest before any call.
func (g *Gateway) Return(ctx context.Context, a gateway.Attempt, query url.Values) (gateway.Result, error) {
	message, err1 := single(query, "message")
	msgType, err2 := single(query, "message_type")
	indicator, err3 := single(query, "indicator_status")
	if err := errors.Join(err1, err2, err3); err != nil {
		return gateway.Result{}, fmt.Errorf("click: return: %w: %v", gateway.ErrBadRequest, err)
	}
	session, saved := a.State[stateSession], a.State[stateIndicate]
	if session == "" {
		session = a.PaymentID
	}
	if session == "" || saved == "" {
		return gateway.Result{}, fmt.Errorf("click: return: %w: the attempt has no Click session", gateway.ErrBadRequest)
	}
	switch {
	case strings.EqualFold(message, "success") && strings.EqualFold(msgType, "success"):
		if subtle.ConstantTimeCompare([]byte(indicator), []byte(saved)) != 1 {
			return gateway.Result{}, fmt.Errorf("click: return: %w: indicator_status is not the session's", gateway.ErrBadRequest)
		}
		res, err := g.inquire(ctx, a)
		if err != nil {
			return gateway.Result{}, err
		}
		if res.Status == gateway.StatusPending {
			// The shopper is back with Click's success but Payment Status has not caught up:
			// not paid yet, ask again.
			res.Status = gateway.StatusUnknown
		}
		return res, nil

	case strings.EqualFold(message, "error"):
		res, err := g.inquire(ctx, a)
		if err != nil {
			return gateway.Result{}, err
		}
		switch res.Status {
		case gateway.StatusPaid, gateway.StatusExpired, gateway.StatusFailed, gateway.StatusCancelled:
			return res, nil // Click's server has the last word
		}
		res.Status, res.Reason = gateway.StatusFailed, gateway.ReasonNotCompleted
		if isCancel(msgType) {
			res.Status, res.Reason = gateway.StatusCancelled, gateway.ReasonCancelled
		}
		res.GatewayCode = wire.Clip("error/"+msgType, 64)
		msg := "payment status " + res.GatewayMessage
		if strings.HasPrefix(indicator, "ERROR") {
			msg = "indicator_status " + indicator + "; " + msg // Click's error reference, for support
		}
		res.GatewayMessage = wire.Clip(strings.TrimSpace(msg), 300)
		return res, nil
	}
	return gateway.Result{}, fmt.Errorf("click: return: %w: unrecognized message %q / message_type %q",
		gateway.ErrBadRequest, wire.Clip(message, 40), wire.Clip(msgType, 40))
}

// Inquire asks Click's Payment Status. Without a session the status is unknown.
func (g *Gateway) Inquire(ctx context.Context, a gateway.Attempt) (gateway.Result, error) {
	if a.State[stateSession] == "" && a.PaymentID == "" {
		return gateway.Result{Status: gateway.StatusUnknown}, nil
	}
	return g.inquire(ctx, a)
}

// Webhook always fails: Click sends no server-to-server notifications (spec §6).
func (g *Gateway) Webhook(context.Context, gateway.WebhookRequest) ([]gateway.Notification, error) {
	return nil, fmt.Errorf("click: webhook: %w: click sends no notifications", gateway.ErrBadRequest)
}

// configured checks that the connector can build Click's URLs.
func (g *Gateway) configured(op string) error {
	if g.base == "" || g.dev == "" || g.token == "" {
		return &Error{Op: op, Kind: gateway.ErrRejected, Code: "CONFIG", Reason: gateway.ReasonGatewayError,
			Text: "base URL, developer user and token must be configured"}
	}
	return nil
}

// single returns the one value of key, trimmed; several different values are an error.
func single(q url.Values, key string) (string, error) {
	vs := q[key]
	if len(vs) == 0 {
		return "", nil
	}
	v := strings.TrimSpace(vs[0])
	for _, o := range vs[1:] {
		if strings.TrimSpace(o) != v {
			return "", fmt.Errorf("%s given twice with different values", key)
		}
	}
	if len(v) > 512 {
		return "", fmt.Errorf("%s is too long", key)
	}
	return v, nil
}

// isCancel reports whether an error return's message_type says the shopper cancelled (not in the
// seed, which documents only "wrong"; accepted so that a future cancel shows as such).
func isCancel(msgType string) bool {
	switch strings.ToLower(msgType) {
	case "cancel", "cancelled", "canceled":
		return true
	}
	return false
}

func lang(locale string) string {
	if locale == "ar" {
		return "ar"
	}
	return "en"
}
