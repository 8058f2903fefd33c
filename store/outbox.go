package store

import (
	"context"
	"time"

	"github.com/bawaba/checkout/webhook"
)

var _ webhook.Outbox = (*SQLite)(nil)

// DueMessages implements webhook.Outbox.
func (s *SQLite) DueMessages(ctx context.Context, now time.Time, limit int) ([]webhook.Pending, error) {
	rows, err := s.rq.QueryContext(ctx, `SELECT id, order_id, type, url, payload, created_at, attempts FROM outbox
		WHERE delivered_at = 0 AND failed_at = 0 AND next_attempt_at <= ? ORDER BY next_attempt_at, created_at LIMIT ?`,
		now.UnixMilli(), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []webhook.Pending
	for rows.Next() {
		var p webhook.Pending
		var created int64
		if err := rows.Scan(&p.ID, &p.OrderID, &p.Type, &p.URL, &p.Payload, &created, &p.Attempts); err != nil {
			return nil, err
		}
		p.CreatedAt = fromMS(created)
		out = append(out, p)
	}
	return out, rows.Err()
}

// RecordDelivery implements webhook.Outbox.
func (s *SQLite) RecordDelivery(ctx context.Context, d webhook.Delivery) error {
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
func (s *SQLite) OutboxFor(ctx context.Context, orderID string) ([]OutboxEntry, error) {
	rows, err := s.rq.QueryContext(ctx, "SELECT id, order_id, type, attempts, delivered_at, last_status FROM outbox WHERE order_id = ? ORDER BY created_at, rowid", orderID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []OutboxEntry
	for rows.Next() {
		var e OutboxEntry
		var delivered int64
		if err := rows.Scan(&e.ID, &e.OrderID, &e.Type, &e.Attempts, &delivered, &e.LastStatus); err != nil {
			return nil, err
		}
		e.Delivered = delivered > 0
		out = append(out, e)
	}
	return out, rows.Err()
}
