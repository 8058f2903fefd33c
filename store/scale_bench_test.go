package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bawaba/checkout/order"
)

// BenchmarkScale is what the server runs per request or per tick at growing table sizes, on one
// SQLite file grown in steps (default 10k, 100k, 1M orders; BAWABA_BENCH_SIZES=10000,100000 to
// change): a browser return and a gateway webhook (the attempt by its payment id, then its
// order), the API's list by reference, the expiry and webhook workers' look for due work, and
// the console's first page and totals. Each figure should stay flat from the smallest size to the
// largest (issue #11). Seeding is direct SQL (a recursive CTE per table, each step adding only
// the rows the previous one lacks), about a minute for a million orders. A benchmark, so never
// part of a plain `go test`:
//
//	go test -run '^$' -bench BenchmarkScale -benchtime 2000x ./store/
func BenchmarkScale(b *testing.B) {
	sqliteOnly(b)
	sizes := []int{10_000, 100_000, 1_000_000}
	if env := os.Getenv("BAWABA_BENCH_SIZES"); env != "" {
		sizes = sizes[:0]
		for _, f := range strings.Split(env, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n <= 0 {
				b.Fatalf("BAWABA_BENCH_SIZES: %q", env)
			}
			sizes = append(sizes, n)
		}
	}
	ctx := context.Background()
	s, err := Open(ctx, b.TempDir()+"/scale.db")
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	now := time.UnixMilli(1700000000000 + int64(sizes[len(sizes)-1]+1)*1000)
	have := 0
	for _, n := range sizes {
		start := time.Now()
		seedScale(b, s, have+1, n)
		b.Logf("seeded orders %d..%d in %s", have+1, n, time.Since(start).Round(time.Millisecond))
		have = n
		pick := func() int { return rand.IntN(n) + 1 }
		for _, bc := range []struct {
			name string
			run  func(i int) error
		}{
			{"return", func(i int) error {
				a, err := s.AttemptByPaymentID(ctx, "tap", fmt.Sprintf("chg_%d", i))
				if err == nil {
					_, err = s.Order(ctx, a.OrderID)
				}
				return err
			}},
			{"webhook", func(i int) error {
				return s.Write(ctx, func(tx order.Tx) error {
					a, err := tx.AttemptByPaymentID("tap", fmt.Sprintf("chg_%d", i))
					if err == nil {
						_, err = tx.Order(a.OrderID)
					}
					return err
				})
			}},
			{"list-by-reference", func(i int) error {
				list, err := s.OrdersByReference(ctx, fmt.Sprintf("ref-%d", i))
				if err == nil && len(list) != 1 {
					err = fmt.Errorf("%d orders", len(list))
				}
				return err
			}},
			{"expiry-due", func(int) error {
				ids, err := s.DueExpiries(ctx, now, 500)
				if err == nil && len(ids) != 0 {
					err = fmt.Errorf("%d due", len(ids))
				}
				return err
			}},
			{"webhooks-due", func(int) error {
				due, err := s.DueMessages(ctx, now, 50)
				if err == nil && len(due) != 0 {
					err = fmt.Errorf("%d due", len(due))
				}
				return err
			}},
			{"console-first-page", func(int) error {
				rows, err := s.ListOrders(ctx, OrderFilter{}, nil, 51)
				if err == nil && len(rows) != 51 {
					err = fmt.Errorf("%d rows", len(rows))
				}
				return err
			}},
			{"console-totals-all", func(int) error { _, err := s.OrderTotals(ctx, OrderFilter{}); return err }},
			{"console-totals-paid", func(int) error { _, err := s.OrderTotals(ctx, OrderFilter{Status: "paid"}); return err }},
		} {
			b.Run(fmt.Sprintf("orders=%d/%s", n, bc.name), func(b *testing.B) {
				for b.Loop() {
					if err := bc.run(pick()); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// seedScale adds orders from..to, each with one attempt at Tap (payment id chg_<i>) and one
// delivered webhook: a third paid, the others expired or cancelled, every hundredth still open
// with its time far ahead (nothing is due), in KWD and THB, one a second.
func seedScale(b *testing.B, s *DB, from, to int) {
	b.Helper()
	ctx := context.Background()
	const seq = `WITH RECURSIVE seq(i) AS (SELECT ? UNION ALL SELECT i + 1 FROM seq WHERE i < ?) `
	for _, stmt := range []string{
		seq + `INSERT INTO orders (id, reference, amount, amount_minor, currency, return_url, status, expires_at, created_at, updated_at, paid_at)
		SELECT printf('ord_%012d', i), printf('ref-%d', i),
			CASE i % 2 WHEN 0 THEN '6.000' ELSE '100.00' END, CASE i % 2 WHEN 0 THEN 6000 ELSE 10000 END,
			CASE i % 2 WHEN 0 THEN 'KWD' ELSE 'THB' END, 'https://shop.example/r',
			CASE WHEN i % 100 = 0 THEN 'open' WHEN i % 3 = 0 THEN 'paid' WHEN i % 3 = 1 THEN 'expired' ELSE 'cancelled' END,
			CASE WHEN i % 100 = 0 THEN 4000000000000 ELSE 1700000000000 + i * 1000 + 3600000 END,
			1700000000000 + i * 1000, 1700000000000 + i * 1000,
			CASE WHEN i % 100 <> 0 AND i % 3 = 0 THEN 1700000000000 + i * 1000 ELSE 0 END
		FROM seq`,
		seq + `INSERT INTO attempts (id, seq, order_id, method, gateway, status, payment_id, created_at, updated_at, finished_at)
		SELECT printf('att_%012d', i), i, printf('ord_%012d', i), 'knet', 'tap',
			CASE WHEN i % 100 <> 0 AND i % 3 = 0 THEN 'paid' ELSE 'failed' END, printf('chg_%d', i),
			1700000000000 + i * 1000, 1700000000000 + i * 1000, 1700000000000 + i * 1000
		FROM seq`,
		seq + `INSERT INTO outbox (id, order_id, type, url, payload, created_at, next_attempt_at, attempts, delivered_at, last_status)
		SELECT printf('evt_%012d', i), printf('ord_%012d', i), 'order.paid', 'https://shop.example/hook', '{}',
			1700000000000 + i * 1000, 1700000000000 + i * 1000, 1, 1700000000000 + i * 1000 + 500, 200
		FROM seq`,
	} {
		if _, err := s.w.ExecContext(ctx, stmt, from, to); err != nil {
			b.Fatal(err)
		}
	}
}
