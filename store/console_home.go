package store

import (
	"context"
	"time"

	"github.com/bawaba/checkout/money"
)

// PaidLine is one paid order, for the console's totals and chart.
type PaidLine struct {
	PaidAt time.Time
	Amount money.Amount
}

// PaidSince returns every order paid at or after since (refunded ones included: they were paid),
// oldest first. The console buckets them by the viewer's local day.
func (s *DB) PaidSince(ctx context.Context, since time.Time) ([]PaidLine, error) {
	return queryAll(ctx, s.r, scanPaidLine, "SELECT paid_at, amount_minor, currency FROM orders WHERE paid_at >= ? AND paid_at > 0 ORDER BY paid_at", since.UnixMilli())
}

func scanPaidLine(sc scanner) (PaidLine, error) {
	var at, minor int64
	var cur string
	if err := sc.Scan(&at, &minor, &cur); err != nil {
		return PaidLine{}, err
	}
	a, err := money.FromMinor(minor, cur)
	return PaidLine{PaidAt: fromMS(at), Amount: a}, err
}

// StatusCounts counts the orders created at or after since, by status. The (created_at, id) index
// is named: left to itself SQLite scans all of (status, created_at, id), which reads every order
// instead of the last 30 days'.
func (s *DB) StatusCounts(ctx context.Context, since time.Time) (map[string]int, error) {
	return queryCounts(ctx, s.r, "SELECT status, count(*) FROM orders INDEXED BY orders_created WHERE created_at >= ? GROUP BY status", since.UnixMilli())
}

// NeedsReviewCount counts the orders flagged for a person to look at.
func (s *DB) NeedsReviewCount(ctx context.Context) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM orders WHERE needs_review = 1").Scan(&n)
	return n, err
}
