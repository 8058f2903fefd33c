package store

import (
	"context"
	"time"

	"github.com/bawaba/checkout/webhook"
)

var _ webhook.Outbox = (*DB)(nil)

// DueMessages implements webhook.Outbox; the messages returned are claimed for this node (see
// claims.go), so no other node delivers them at the same time.
func (s *DB) DueMessages(ctx context.Context, now time.Time, limit int) ([]webhook.Pending, error) {
	ids, err := s.claim(ctx, "webhook", dueMessageJobs, now, limit)
	if err != nil {
		return nil, err
	}
	out := make([]webhook.Pending, 0, len(ids))
	for _, id := range ids {
		var p webhook.Pending
		var created int64
		if err := s.rq.QueryRowContext(ctx, "SELECT id, order_id, type, url, payload, created_at, attempts FROM outbox WHERE id = ?", id).
			Scan(&p.ID, &p.OrderID, &p.Type, &p.URL, &p.Payload, &created, &p.Attempts); err != nil {
			return nil, err
		}
		p.CreatedAt = fromMS(created)
		out = append(out, p)
	}
	return out, nil
}

// RecordDelivery implements webhook.Outbox.
func (s *DB) RecordDelivery(ctx context.Context, d webhook.Delivery) error {
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return err
	}
	q := s.wq.in(tx)
	defer q.prepareMissed(ctx)
	defer tx.Rollback()
	if _, err := q.ExecContext(ctx, "INSERT INTO deliveries (event_id, attempted_at, status_code, duration_ms, error, response) VALUES (?,?,?,?,?,?)",
		d.MessageID, ms(d.At), d.StatusCode, d.Duration.Milliseconds(), d.Err, d.Response); err != nil {
		return err
	}
	var delivered, failed int64
	switch {
	case d.Delivered:
		delivered = ms(d.At)
	case d.NextAttempt.IsZero():
		failed = ms(d.At)
	}
	if _, err := q.ExecContext(ctx, `UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, delivered_at = ?,
		failed_at = ?, last_status = ?, last_error = ? WHERE id = ?`,
		ms(d.NextAttempt), delivered, failed, d.StatusCode, d.Err, d.MessageID); err != nil {
		return err
	}
	return tx.Commit()
}

// OutboxEntry is a message's delivery state, for tests and the admin page.
type OutboxEntry struct {
	ID, OrderID, Type string
	Attempts          int
	Delivered         bool
	LastStatus        int
}

// OutboxFor lists the webhook messages of an order, oldest first.
func (s *DB) OutboxFor(ctx context.Context, orderID string) ([]OutboxEntry, error) {
	return queryAll(ctx, s.rq, scanOutboxEntry, "SELECT id, order_id, type, attempts, delivered_at, last_status FROM outbox WHERE order_id = ? ORDER BY created_at, rowid", orderID)
}

func scanOutboxEntry(sc scanner) (OutboxEntry, error) {
	var e OutboxEntry
	var delivered int64
	err := sc.Scan(&e.ID, &e.OrderID, &e.Type, &e.Attempts, &delivered, &e.LastStatus)
	e.Delivered = delivered > 0
	return e, err
}
