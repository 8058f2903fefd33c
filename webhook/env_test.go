package webhook_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/bawaba/checkout/api"
	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/internal/dbtest"
	"github.com/bawaba/checkout/order"
	"github.com/bawaba/checkout/store"
)

// knetOnly is the smallest gateway an order needs to be created: it takes KNET in KWD and is
// never asked anything by these tests.
type knetOnly struct{}

var errUnused = errors.New("not used by the webhook tests")

func (knetOnly) Name() string { return "knet" }
func (knetOnly) Supports(method, currency string) bool {
	return method == gateway.MethodKNET && currency == "KWD"
}
func (knetOnly) Start(context.Context, gateway.Attempt) (gateway.Started, error) {
	return gateway.Started{}, errUnused
}
func (knetOnly) Return(context.Context, gateway.Attempt, url.Values) (gateway.Result, error) {
	return gateway.Result{}, errUnused
}
func (knetOnly) Webhook(context.Context, gateway.WebhookRequest) ([]gateway.Notification, error) {
	return nil, errUnused
}
func (knetOnly) Inquire(context.Context, gateway.Attempt) (gateway.Result, error) {
	return gateway.Result{}, errUnused
}

// clock is a settable clock, safe for concurrent use.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

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

// env is the order service over a real SQLite store, encoding events as the API does.
type env struct {
	st  *store.DB
	svc *order.Service
	clk *clock
}

func newEnv(t *testing.T) *env {
	t.Helper()
	st, err := store.Open(context.Background(), dbtest.DB(t))
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	reg := gateway.NewRegistry()
	if err := reg.Register(knetOnly{}, gateway.MethodKNET); err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)}
	svc := order.NewService(st, reg, order.Config{
		BaseURL: "https://checkout.example",
		Events:  api.Views{BaseURL: "https://checkout.example", Gateways: reg},
		Now:     clk.Now,
		Logger:  slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	return &env{st: st, svc: svc, clk: clk}
}

// cancelledOrder creates a 6.000 KWD order whose webhooks go to url and cancels it, which puts
// one order.cancelled message in the outbox.
func (e *env) cancelledOrder(t *testing.T, url string) order.Order {
	t.Helper()
	ctx := context.Background()
	c, err := e.svc.Create(ctx, order.NewOrder{Amount: "6.000", Currency: "KWD",
		ReturnURL: "https://shop.example/return", WebhookURL: url}, nil)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	if _, err := e.svc.Cancel(ctx, c.Order.ID); err != nil {
		t.Fatal(err)
	}
	return c.Order
}
