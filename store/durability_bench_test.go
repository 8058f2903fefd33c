package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/bawaba/checkout/order"
)

// BenchmarkOrderWrite measures the order write path (one write transaction: the order and its
// created event, as Service.Create commits them) with WAL at synchronous=FULL (what Open sets)
// and at NORMAL, on the same disk. The figures and the decision are in the package comment of
// db.go. Run: go test -run '^$' -bench OrderWrite -benchtime 2000x ./store/
func BenchmarkOrderWrite(b *testing.B) {
	sqliteOnly(b)
	for _, mode := range []string{"FULL", "NORMAL"} {
		b.Run("synchronous="+mode, func(b *testing.B) {
			ctx := context.Background()
			s, err := Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			if _, err := s.w.ExecContext(ctx, "PRAGMA synchronous="+mode); err != nil {
				b.Fatal(err)
			}
			b.ResetTimer()
			for i := range b.N {
				o := newOrder(fmt.Sprintf("ord_bench%d", i), "6.000", "KWD")
				if err := s.Write(ctx, func(tx order.Tx) error {
					if err := tx.InsertOrder(&o); err != nil {
						return err
					}
					return tx.AppendEvent(order.Event{OrderID: o.ID, Type: order.EventCreated, CreatedAt: t0})
				}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
