package simpair_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/bawaba/checkout/api"
	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/internal/dbtest"
	"github.com/bawaba/checkout/order"
	"github.com/bawaba/checkout/store"
)

// shop is the order service over a fresh database of the run (dbtest: SQLite, or PostgreSQL), with one connector (talking to its
// simulator) serving methods, on the test's clock.
type shop struct {
	t   *testing.T
	svc *order.Service
	db  *store.DB
	clk *clock
}

func newShop(t *testing.T, clk *clock, base string, g gateway.Gateway, methods ...string) *shop {
	t.Helper()
	db, err := store.Open(context.Background(), dbtest.DB(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	reg := gateway.NewRegistry()
	if err := reg.Register(g, methods...); err != nil {
		t.Fatal(err)
	}
	svc := order.NewService(db, reg, order.Config{BaseURL: base, Events: api.Views{BaseURL: base, Gateways: reg},
		Now: clk.Now, Logger: discard})
	return &shop{t: t, svc: svc, db: db, clk: clk}
}

// create makes an order with a webhook URL, so that order.refunded webhooks are counted.
func (s *shop) create(amount, currency string) order.Order {
	s.t.Helper()
	c, err := s.svc.Create(context.Background(), order.NewOrder{Amount: amount, Currency: currency,
		ReturnURL: "https://shop.example/return", WebhookURL: "https://shop.example/hooks"}, nil)
	if err != nil {
		s.t.Fatalf("Create: %v", err)
	}
	return c.Order
}

func (s *shop) order(id string) order.Order {
	s.t.Helper()
	o, err := s.db.Order(context.Background(), id)
	if err != nil {
		s.t.Fatal(err)
	}
	return o
}

// webhooks counts an order's outbox messages of type typ.
func (s *shop) webhooks(orderID, typ string) int {
	s.t.Helper()
	msgs, err := s.db.OutboxFor(context.Background(), orderID)
	if err != nil {
		s.t.Fatal(err)
	}
	n := 0
	for _, m := range msgs {
		if m.Type == typ {
			n++
		}
	}
	return n
}

// reconcile runs the refund reconciler once, after moving the clock by d.
func (s *shop) reconcile(d time.Duration) int {
	s.t.Helper()
	s.clk.Advance(d)
	n, err := s.svc.ReconcileRefunds(context.Background())
	if err != nil {
		s.t.Fatal(err)
	}
	return n
}

// TestMain runs the suite on SQLite, then on PostgreSQL when dbtest.Env is set.
func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }
