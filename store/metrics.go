package store

import (
	"context"
	"database/sql"
	"time"
)

// OutboxBacklog counts merchant webhooks not delivered yet and not given up (metrics). The
// outbox_due index holds exactly those rows.
func (s *DB) OutboxBacklog(ctx context.Context) (int, error) {
	var n int
	err := s.rq.QueryRowContext(ctx, "SELECT count(*) FROM outbox WHERE delivered_at = 0 AND failed_at = 0").Scan(&n)
	return n, err
}

// ReconcileBacklog counts attempts with a reconciler check scheduled, and those already due at
// now (metrics); both from the attempts_due index.
func (s *DB) ReconcileBacklog(ctx context.Context, now time.Time) (scheduled, due int, err error) {
	err = s.rq.QueryRowContext(ctx,
		"SELECT count(*), count(*) FILTER (WHERE next_check_at <= ?) FROM attempts WHERE next_check_at > 0", now.UnixMilli()).Scan(&scheduled, &due)
	return scheduled, due, err
}

// WriterStats are the statistics of the one-connection writer pool: WaitCount and
// WaitDuration measure the queue of writes waiting for it.
func (s *DB) WriterStats() sql.DBStats { return s.w.Stats() }

// ObserveWriterWait makes every write transaction report how long it waited to begin: the
// queue in front of the one writer connection (IMMEDIATE transactions take the write lock at
// BEGIN; on PostgreSQL, the advisory write lock). Set it before serving.
func (s *DB) ObserveWriterWait(fn func(time.Duration)) { s.writerWait = fn }

// beginWrite begins a write transaction, measuring the wait.
func (s *DB) beginWrite(ctx context.Context) (*sql.Tx, error) {
	start := time.Now()
	tx, err := s.w.BeginTx(ctx, nil)
	if err == nil && s.d.lockWrites != "" {
		if _, err = tx.ExecContext(ctx, s.d.lockWrites); err != nil {
			tx.Rollback()
			return nil, err
		}
	}
	if s.writerWait != nil && err == nil {
		s.writerWait(time.Since(start))
	}
	return tx, err
}
