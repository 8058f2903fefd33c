package store

import (
	"context"
	"os"
	"strconv"
	"testing"
)

// seedOrders inserts n orders in one statement (a recursive CTE), one a second apart, a third of
// them paid, in KWD and THB.
func seedOrders(b *testing.B, s *DB, n int) {
	b.Helper()
	_, err := s.w.ExecContext(context.Background(), `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?)
		INSERT INTO orders (id, reference, amount, amount_minor, currency, return_url, status, expires_at, created_at, updated_at, paid_at)
		SELECT printf('ord_%012d', i), printf('ref-%d', i),
			CASE i % 2 WHEN 0 THEN '6.000' ELSE '100.00' END, CASE i % 2 WHEN 0 THEN 6000 ELSE 10000 END,
			CASE i % 2 WHEN 0 THEN 'KWD' ELSE 'THB' END, 'https://shop.example/r',
			CASE i % 3 WHEN 0 THEN 'paid' WHEN 1 THEN 'expired' ELSE 'cancelled' END,
			1700000000000 + i * 1000, 1700000000000 + i * 1000, 1700000000000 + i * 1000,
			CASE i % 3 WHEN 0 THEN 1700000000000 + i * 1000 ELSE 0 END
		FROM seq`, n)
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkConsoleOrderList measures the console's order list over many orders (default a
// million; BAWABA_BENCH_ORDERS to change): the first page, a page deep in by cursor, a filtered
// page, a reference search and the totals of a filter.
//
//	go test -run '^$' -bench BenchmarkConsoleOrderList -benchtime 20x ./store/
func BenchmarkConsoleOrderList(b *testing.B) {
	sqliteOnly(b)
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("BAWABA_BENCH_ORDERS")); err == nil && v > 0 {
		n = v
	}
	s, err := Open(context.Background(), b.TempDir()+"/bench.db")
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	seedOrders(b, s, n)
	ctx := context.Background()
	deep := &OrderCursor{CreatedAt: 1700000000000 + int64(n/10)*1000, ID: "ord_" + strconv.Itoa(n/10)}
	for _, bc := range []struct {
		name  string
		f     OrderFilter
		after *OrderCursor
	}{
		{"first-page", OrderFilter{}, nil},
		{"deep-page", OrderFilter{}, deep},
		{"status-paid", OrderFilter{Status: "paid", Currency: "KWD"}, nil},
		{"search-reference", OrderFilter{Query: "ref-" + strconv.Itoa(n/2)}, nil},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				rows, err := s.ListOrders(ctx, bc.f, bc.after, 51)
				if err != nil || len(rows) == 0 {
					b.Fatalf("%d rows, %v", len(rows), err)
				}
			}
		})
	}
	for _, bc := range []struct {
		name string
		f    OrderFilter
	}{
		{"totals-paid", OrderFilter{Status: "paid"}},
		{"totals-all", OrderFilter{}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.OrderTotals(ctx, bc.f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
