package order_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/bawaba/checkout/api"
	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/internal/dbtest"
	"github.com/bawaba/checkout/money"
	"github.com/bawaba/checkout/order"
	"github.com/bawaba/checkout/store"
)

// fakeGateway is a scripted gateway.Gateway: it serves methods in the currencies it is given,
// Start answers a redirect to a page named after the attempt, and Return, Inquire and Webhook
// answer whatever the test put in result / notes.
type fakeGateway struct {
	name       string
	currencies map[string][]string // method → currencies it takes

	mu     sync.Mutex
	starts int
	result gateway.Result
	notes  []gateway.Notification
}

// newKNET is the fake "knet" gateway, serving the knet method in KWD only.
func newKNET() *fakeGateway {
	return &fakeGateway{name: "knet", currencies: map[string][]string{gateway.MethodKNET: {"KWD"}}}
}

func (g *fakeGateway) Name() string { return g.name }

func (g *fakeGateway) Supports(method, currency string) bool {
	return slices.Contains(g.currencies[method], currency)
}

func (g *fakeGateway) Start(_ context.Context, a gateway.Attempt) (gateway.Started, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.starts++
	return gateway.Started{
		Action:    gateway.Action{Kind: gateway.ActionRedirect, URL: "https://gw.example/pay?ref=" + a.ID},
		PaymentID: fmt.Sprintf("pay_%d", g.starts),
		State:     map[string]string{"n": fmt.Sprint(g.starts)},
	}, nil
}

func (g *fakeGateway) Return(context.Context, gateway.Attempt, url.Values) (gateway.Result, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.result, nil
}

func (g *fakeGateway) Webhook(context.Context, gateway.WebhookRequest) ([]gateway.Notification, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.notes, nil
}

func (g *fakeGateway) Inquire(context.Context, gateway.Attempt) (gateway.Result, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.result, nil
}

func (g *fakeGateway) startCount() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.starts
}

// clock is a settable clock, safe for concurrent use.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is a service over a real store: a fresh database of the run (SQLite, then PostgreSQL).
type env struct {
	views api.Views
	st    *store.DB
	svc   *order.Service
	gw    *fakeGateway
	clk   *clock
	db    string          // the CHECKOUT_DB value, for another node
	g     gateway.Gateway // what serves the knet method (gw when it is the fake)
}

func newEnv(t *testing.T) *env {
	t.Helper()
	gw := newKNET()
	e := newNode(t, dbtest.DB(t), gw, newClock())
	e.gw = gw
	return e
}

// newEnvWith is newEnv with g serving the knet method (e.gw is left nil).
func newEnvWith(t *testing.T, g gateway.Gateway) *env {
	t.Helper()
	return newNode(t, dbtest.DB(t), g, newClock())
}

// node is another node on e's database: its own store pools and service, the same gateway and
// clock (two servers behind one load balancer, one PostgreSQL; on SQLite, two processes on one
// file).
func (e *env) node(t *testing.T) *env {
	t.Helper()
	n := newNode(t, e.db, e.g, e.clk)
	n.gw = e.gw
	return n
}

func newNode(t *testing.T, db string, g gateway.Gateway, clk *clock) *env {
	t.Helper()
	st, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	reg := gateway.NewRegistry()
	if err := reg.Register(g, gateway.MethodKNET); err != nil {
		t.Fatal(err)
	}
	views := api.Views{BaseURL: "https://checkout.example", Gateways: reg}
	svc := order.NewService(st, reg, order.Config{
		BaseURL: "https://checkout.example",
		Events:  views,
		Now:     clk.Now,
		Logger:  slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	return &env{views: views, st: st, svc: svc, g: g, clk: clk, db: db}
}

// createdJSON is the API's answer to creating o: its view as created, as JSON.
func (e *env) createdJSON(t *testing.T, o order.Order) string {
	t.Helper()
	c := o.AsCreated()
	b, err := json.Marshal(e.views.Order(&c))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// validOrder is a request that Create accepts: 6.000 KWD, with a webhook URL so that the
// outbox gets messages.
func validOrder() order.NewOrder {
	return order.NewOrder{
		Amount:     "6.000",
		Currency:   "KWD",
		ReturnURL:  "https://shop.example/return",
		WebhookURL: "https://shop.example/hooks",
	}
}

func (e *env) create(t *testing.T, in order.NewOrder) order.Order {
	t.Helper()
	c, err := e.svc.Create(context.Background(), in, nil)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	return c.Order
}

// startPending creates a valid order and starts one knet attempt on it.
func (e *env) startPending(t *testing.T) (order.Order, order.Attempt) {
	t.Helper()
	o := e.create(t, validOrder())
	a, _, err := e.svc.StartAttempt(context.Background(), o.ID, gateway.MethodKNET, order.StartOptions{})
	if err != nil {
		t.Fatalf("StartAttempt: %v", err)
	}
	return o, a
}

func (e *env) order(t *testing.T, id string) order.Order {
	t.Helper()
	o, err := e.st.Order(context.Background(), id)
	if err != nil {
		t.Fatalf("Order(%s): %v", id, err)
	}
	return o
}

// outboxTypes lists the types of an order's outbox messages, oldest first.
func (e *env) outboxTypes(t *testing.T, orderID string) []string {
	t.Helper()
	msgs, err := e.st.OutboxFor(context.Background(), orderID)
	if err != nil {
		t.Fatalf("OutboxFor: %v", err)
	}
	var out []string
	for _, m := range msgs {
		out = append(out, m.Type)
	}
	return out
}

// events returns an order's timeline events of one type.
func (e *env) events(t *testing.T, orderID, typ string) []order.Event {
	t.Helper()
	all, err := e.st.Events(context.Background(), orderID)
	if err != nil {
		t.Fatalf("Events: %v", err)
	}
	var out []order.Event
	for _, ev := range all {
		if ev.Type == typ {
			out = append(out, ev)
		}
	}
	return out
}

func count(list []string, s string) int {
	n := 0
	for _, x := range list {
		if x == s {
			n++
		}
	}
	return n
}

// paidResult is a verified success for attempt a, for amount in currency.
func paidResult(a order.Attempt, amount, currency string) gateway.Result {
	return gateway.Result{
		Status:       gateway.StatusPaid,
		PaymentID:    a.PaymentID,
		Amount:       money.MustParse(amount, currency),
		OurReference: a.ID,
		AuthCode:     "A1B2C3",
		Raw:          []byte(`{"result":"CAPTURED"}`),
	}
}
