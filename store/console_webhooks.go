package store

import (
	"context"
	"strings"
	"time"
)

// WebhookEvent is one outbox message with its delivery tries, for the console.
type WebhookEvent struct {
	ID, OrderID, Type, URL string
	CreatedAt              time.Time
	Attempts               int
	DeliveredAt            time.Time // zero: not delivered
	FailedAt               time.Time // zero: not given up
	NextAttemptAt          time.Time
	LastStatus             int
	LastError              string
	Tries                  []DeliveryTry // newest first
}

// Failing reports whether the event was tried and not delivered (still retrying or given up).
func (e WebhookEvent) Failing() bool { return e.DeliveredAt.IsZero() && e.Attempts > 0 }

// DeliveryTry is one POST to the shop's endpoint.
type DeliveryTry struct {
	At         time.Time
	StatusCode int // 0: no HTTP answer (see Err)
	Duration   time.Duration
	Err        string
	Response   string // the first bytes of the answer
}

// WebhookCursor continues the list after (older than) an event.
type WebhookCursor = OrderCursor

// ListWebhookEvents returns up to limit events, newest first, older than after when set;
// failing only keeps those tried and not delivered. Each carries its last tries (at most 10).
func (s *DB) ListWebhookEvents(ctx context.Context, failing bool, after *WebhookCursor, limit int) ([]WebhookEvent, error) {
	conds := []string{"1=1"}
	var args []any
	if failing {
		conds = append(conds, "delivered_at = 0 AND attempts > 0")
	}
	if after != nil {
		conds, args = append(conds, "(created_at, id) < (?, ?)"), append(args, after.CreatedAt, after.ID)
	}
	args = append(args, limit)
	out, err := queryAll(ctx, s.r, scanWebhookEvent, `SELECT id, order_id, type, url, created_at, attempts, delivered_at, failed_at, next_attempt_at,
		last_status, last_error FROM outbox WHERE `+strings.Join(conds, " AND ")+` ORDER BY created_at DESC, id DESC LIMIT ?`, args...)
	if err != nil {
		return nil, err
	}
	for i := range out {
		if out[i].Tries, err = s.deliveryTries(ctx, out[i].ID, 10); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func scanWebhookEvent(sc scanner) (WebhookEvent, error) {
	var e WebhookEvent
	var created, delivered, failed, next int64
	err := sc.Scan(&e.ID, &e.OrderID, &e.Type, &e.URL, &created, &e.Attempts, &delivered, &failed, &next, &e.LastStatus, &e.LastError)
	e.CreatedAt, e.DeliveredAt, e.FailedAt, e.NextAttemptAt = fromMS(created), fromMS(delivered), fromMS(failed), fromMS(next)
	return e, err
}

func (s *DB) deliveryTries(ctx context.Context, eventID string, limit int) ([]DeliveryTry, error) {
	return queryAll(ctx, s.r, scanDeliveryTry, `SELECT attempted_at, status_code, duration_ms, error, response FROM deliveries
		WHERE event_id = ? ORDER BY id DESC LIMIT ?`, eventID, limit)
}

func scanDeliveryTry(sc scanner) (DeliveryTry, error) {
	var d DeliveryTry
	var at, dur int64
	err := sc.Scan(&at, &d.StatusCode, &dur, &d.Err, &d.Response)
	d.At, d.Duration = fromMS(at), time.Duration(dur)*time.Millisecond
	return d, err
}

// Cursor is where the list that ends with e continues.
func (e WebhookEvent) Cursor() WebhookCursor {
	return WebhookCursor{CreatedAt: e.CreatedAt.UnixMilli(), ID: e.ID}
}

// FailingEndpoints counts, per endpoint URL, the events tried and not delivered.
func (s *DB) FailingEndpoints(ctx context.Context) (map[string]int, error) {
	return queryCounts(ctx, s.r, "SELECT url, count(*) FROM outbox WHERE delivered_at = 0 AND attempts > 0 GROUP BY url")
}

// Redeliver makes an event due now, whatever happened to it before (delivered, retrying or
// given up): the dispatcher sends it at its next run, with a fresh signature, and records the
// try beside the earlier ones. It reports whether the event exists.
func (s *DB) Redeliver(ctx context.Context, id string, now time.Time) (bool, error) {
	res, err := s.w.ExecContext(ctx, "UPDATE outbox SET next_attempt_at = ?, delivered_at = 0, failed_at = 0 WHERE id = ?", ms(now), id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}
