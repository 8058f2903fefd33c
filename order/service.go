package order

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/bawaba/checkout/gateway"
)

// The service is split by flow:
//   service.go    wiring, reads, and the helpers every flow uses (outbox, gateway view of an attempt)
//   create.go     Create (with Idempotency-Key)
//   attempt.go    StartAttempt, ContinueAttempt (what an embedded gateway script posted)
//   callback.go   Return, ReturnTo, Webhook: what gateways and returning browsers tell us
//   apply.go      apply: the one place a verified result changes an attempt and its order
//   lifecycle.go  Cancel and ExpireDue: order-level moves, closing attempts left open
//   reconcile.go  Check and ReconcileDue: asking gateways, with backoff
//   refund.go     Refund

// Config is what the service needs to know of its surroundings.
type Config struct {
	BaseURL           string // public URL of this server, without a trailing slash
	DefaultWebhookURL string // where merchant webhooks go when an order names none
	// DefaultWebhook, when set, is asked instead of DefaultWebhookURL at each event (the
	// merchant changes it in the console without a restart).
	DefaultWebhook func() string
	// FirstCheck is when the reconciler first asks a gateway about a pending attempt; later
	// checks back off, doubling, to an hour. Default one minute.
	FirstCheck time.Duration
	// Events encodes the merchant webhooks the service puts in the outbox (api.Views). Required
	// when orders can have webhooks: without it, a change that should notify fails.
	Events EventEncoder
	Now    func() time.Time
	Logger *slog.Logger
	// Observer hears what the service did, once it is committed (the metrics); nil: nobody.
	Observer Observer
	// Fault, when set, is called at each fault point (Fault* below), between a gateway's
	// answer and its commit, so that crash tests can kill the process exactly there.
	// cmd/checkout sets it only in sandbox mode (CHECKOUT_FAULT); nil otherwise.
	Fault func(point string)
}

// Fault points: where Config.Fault is called. Each is a moment where the money moved (or may
// have) at the gateway and our record of it is not yet, or only just, committed.
const (
	FaultPaidBeforeCommit   = "paid-before-commit"   // a paid result in hand, nothing recorded
	FaultPaidAfterCommit    = "paid-after-commit"    // the paid transition and its webhook committed, nothing after
	FaultRefundBeforeRecord = "refund-before-record" // the gateway answered a refund, its answer not recorded
	FaultRefundIDRecorded   = "refund-id-recorded"   // the gateway's refund id stored, the outcome not yet
	FaultRefundAfterCommit  = "refund-after-commit"  // the refund recorded, the API not answered
)

// FaultPoints lists the fault points.
var FaultPoints = []string{FaultPaidBeforeCommit, FaultPaidAfterCommit, FaultRefundBeforeRecord, FaultRefundIDRecorded, FaultRefundAfterCommit}

// fault calls Config.Fault at point, when set.
func (s *Service) fault(point string) {
	if s.cfg.Fault != nil {
		s.cfg.Fault(point)
	}
}

// EventEncoder writes the body of merchant webhook id, of type typ, about order o as it stands
// in the transaction that decided the event. The domain decides which event and when; the edge
// (the api package) decides the bytes.
type EventEncoder interface {
	EncodeEvent(id, typ string, created time.Time, o *Order) ([]byte, error)
}

// Observer is told of committed changes, for counting. It must be quick and must not fail.
type Observer interface {
	// OrderCreated: a new order (not an idempotent replay).
	OrderCreated(currency string)
	// AttemptMoved: an attempt at gateway for method took a new status.
	AttemptMoved(gatewayName, method string, to gateway.Status)
}

// Service creates orders, starts attempts and applies verified gateway results. It is the only
// writer of orders and attempts.
type Service struct {
	st  Store
	gw  *gateway.Registry
	cfg Config
	now func() time.Time
	log *slog.Logger
}

// NewService wires a service.
func NewService(st Store, gw *gateway.Registry, cfg Config) *Service {
	s := &Service{st: st, gw: gw, cfg: cfg, now: cfg.Now, log: cfg.Logger}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.cfg.FirstCheck <= 0 {
		s.cfg.FirstCheck = time.Minute
	}
	return s
}

// Gateways returns the registry the service uses.
func (s *Service) Gateways() *gateway.Registry { return s.gw }

// Now returns the service's clock reading.
func (s *Service) Now() time.Time { return s.now() }

// CheckoutURL is where a shopper pays an order.
func (s *Service) CheckoutURL(orderID string) string { return s.cfg.BaseURL + "/pay/" + orderID }

// Get returns an order with its attempts.
func (s *Service) Get(ctx context.Context, id string) (Order, error) { return s.st.Order(ctx, id) }

// ByReference returns the orders with a merchant reference, newest first.
func (s *Service) ByReference(ctx context.Context, ref string) ([]Order, error) {
	return s.st.OrdersByReference(ctx, ref)
}

// Events returns an order's timeline.
func (s *Service) Events(ctx context.Context, id string) ([]Event, error) {
	return s.st.Events(ctx, id)
}

// Methods returns the methods a shopper may pick for the order, in display order.
func (s *Service) Methods(o *Order) []string {
	return s.gw.Available(o.Amount.Currency().Code, o.Methods)
}

// enqueue writes a merchant webhook into the outbox, in the caller's transaction.
func (s *Service) enqueue(tx Tx, o *Order, typ string, now time.Time) error {
	target := o.WebhookURL
	if target == "" {
		target = s.cfg.DefaultWebhookURL
		if s.cfg.DefaultWebhook != nil {
			target = s.cfg.DefaultWebhook()
		}
	}
	if target == "" || typ == "" {
		return nil
	}
	if s.cfg.Events == nil {
		return errors.New("order: no EventEncoder configured for merchant webhooks")
	}
	id := NewID("evt")
	payload, err := s.cfg.Events.EncodeEvent(id, typ, now, o)
	if err != nil {
		return err
	}
	return tx.Enqueue(Message{ID: id, OrderID: o.ID, Type: typ, URL: target, Payload: payload, CreatedAt: now})
}

// gatewayAttempt is what a connector sees of an attempt.
func (s *Service) gatewayAttempt(o *Order, a *Attempt) gateway.Attempt {
	return gateway.Attempt{
		ID:          a.ID,
		Seq:         a.Seq,
		OrderID:     o.ID,
		Reference:   o.Reference,
		Method:      a.Method,
		Amount:      o.Amount,
		Description: o.Description,
		Customer:    o.Customer,
		Locale:      localeOr(o.Locale, "en"),
		ReturnURL:   s.cfg.BaseURL + "/return/" + a.Gateway + "/" + a.ID,
		WebhookURL:  s.cfg.BaseURL + "/webhooks/" + a.Gateway,
		ExpiresAt:   o.ExpiresAt,
		PaymentID:   a.PaymentID,
		State:       a.State,
	}
}

func localeOr(l, def string) string {
	if l == "" {
		return def
	}
	return l
}

func findAttempt(o *Order, id string) *Attempt {
	for i := range o.Attempts {
		if o.Attempts[i].ID == id {
			return &o.Attempts[i]
		}
	}
	return nil
}

// loadAttempt reads, inside tx, an attempt's order (one read of the order, with its attempts)
// and returns it with a pointer to the attempt within it.
func loadAttempt(tx Tx, attemptID string) (Order, *Attempt, error) {
	att, err := tx.Attempt(attemptID)
	if err != nil {
		return Order{}, nil, err
	}
	o, err := tx.Order(att.OrderID)
	if err != nil {
		return Order{}, nil, err
	}
	a := findAttempt(&o, attemptID)
	if a == nil {
		return Order{}, nil, ErrNotFound
	}
	return o, a, nil
}

// versioner is a store that keeps a change counter per order (store.DB on SQLite).
type versioner interface {
	OrderVersion(id string) (uint64, bool)
}

// Version is a counter that changes after every committed write to the order, when the store
// keeps one (ok false otherwise: nothing read may then be kept). Take it before reading the
// order: a copy read after it is current for as long as the counter stays the same.
func (s *Service) Version(id string) (uint64, bool) {
	if v, ok := s.st.(versioner); ok {
		return v.OrderVersion(id)
	}
	return 0, false
}
