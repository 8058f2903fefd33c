package order_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/bawaba/checkout/api"
	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/money"
	"github.com/bawaba/checkout/order"
	"github.com/bawaba/checkout/store"
)

// BenchmarkExpireDue is the expiry worker clearing a backlog: each round seeds 2,000 orders
// whose time is up (direct inserts, one transaction, not timed) and times ExpireDue expiring
// them all, each with its event and its order.expired webhook in the outbox. The orders/s metric
// is the figure issue #11 asks to stay at or above 1,000:
//
//	go test -run '^$' -bench ExpireDue ./order/
func BenchmarkExpireDue(b *testing.B) {
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(b.TempDir(), "expire.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	reg := gateway.NewRegistry()
	if err := reg.Register(newKNET(), gateway.MethodKNET); err != nil {
		b.Fatal(err)
	}
	now := time.Now().UTC().Truncate(time.Millisecond)
	svc := order.NewService(st, reg, order.Config{
		BaseURL: "https://checkout.example", Events: api.Views{BaseURL: "https://checkout.example", Gateways: reg},
		Now: func() time.Time { return now }, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	amount, err := money.Parse("6.000", "KWD")
	if err != nil {
		b.Fatal(err)
	}
	const backlog = 2000
	var expired int
	var took time.Duration
	for i := range b.N {
		err := st.Write(ctx, func(tx order.Tx) error {
			for j := range backlog {
				id := fmt.Sprintf("ord_exp%d_%d", i, j)
				o := order.Order{ID: id, Reference: id, Amount: amount, Locale: "en", Status: order.StatusOpen,
					ReturnURL: "https://shop.example/r", WebhookURL: "https://shop.example/hook",
					ExpiresAt: now.Add(-time.Minute), CreatedAt: now.Add(-time.Hour), UpdatedAt: now.Add(-time.Hour)}
				if err := tx.InsertOrder(&o); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		n, err := svc.ExpireDue(ctx)
		took += time.Since(start)
		if err != nil || n != backlog {
			b.Fatalf("ExpireDue: %d, %v; want %d", n, err, backlog)
		}
		expired += n
	}
	b.ReportMetric(float64(expired)/took.Seconds(), "orders/s")
}
