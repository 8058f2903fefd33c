package store

import (
	"context"
	"time"
)

// Claims: every node runs the background workers (expiry, the reconciler, the refund
// reconciler, webhook delivery), so each due job is claimed before it is done. A claim is a
// row of work_claims: (job kind, id) → the due time it was taken for and a lease. Claiming
// inserts the row, or takes it over only when it is for an earlier due time (the job was done
// and is due again: its next check, its next webhook try) or its lease ended (the node that
// took it died or hung), in one statement that PostgreSQL and SQLite both run atomically
// against the latest committed row: of two nodes claiming one job, exactly one gets it.
// On PostgreSQL the SELECT of due rows also takes them FOR UPDATE SKIP LOCKED, so nodes
// claiming at the same moment take different jobs instead of queueing for the same ones.
//
// Claims are PostgreSQL's: a SQLite file has one process (its single writer), which takes the
// due jobs as they are, so a restart after a crash finds its unfinished jobs due at once instead
// of after a lease. The work_claims table is there all the same (the schemas match) and stays
// empty.
//
// A finished job needs no release: finishing it changes its due time (next_check_at,
// next_attempt_at, updated_at) or takes it out of the due set (an expired order), so the claim
// no longer applies. Claims are never deleted: a claim row is overwritten when its job is due
// again, so the table holds one small row per job ever claimed (as the outbox holds one per
// webhook).
//
// The claim is taken for what the SQL can see is due; a worker may still skip a claimed job that
// its own rule says is not due yet (the refund reconciler's growing waits). Such a job is
// offered again when its lease ends, so its next question comes at most leaseFor late.

// leaseFor is how long a claimed job is its node's alone, and so how long a dead node's jobs
// wait before another node takes them. A node claims a batch and works through it one job
// after the other, so the lease must outlast a whole batch: 50 webhooks at the dispatcher's
// 10 s timeout is a little over 8 minutes, 50 inquiries of a gateway that times out at 15 s
// (an outage) 12.5. A lease that ends while its node is still working means a job may be done
// twice, which every worker tolerates (inquiries and replayed refunds are idempotent, a webhook
// is delivered at least once) but a merchant would see as a duplicate webhook.
const leaseFor = 15 * time.Minute

// The due work of each kind, oldest due first, without the jobs another node holds. Each
// returns (id, due) and takes (now, now, limit).
const (
	dueAttemptJobs = `SELECT id, next_check_at FROM attempts a WHERE next_check_at > 0 AND next_check_at <= ?
		AND NOT EXISTS (SELECT 1 FROM work_claims c WHERE c.job = 'reconcile' AND c.id = a.id
			AND c.due = a.next_check_at AND c.lease_until > ?)
		ORDER BY next_check_at LIMIT ?`
	dueExpiryJobs = `SELECT id, expires_at FROM orders o WHERE status IN ('open','processing') AND expires_at <= ?
		AND NOT EXISTS (SELECT 1 FROM work_claims c WHERE c.job = 'expire' AND c.id = o.id
			AND c.due = o.expires_at AND c.lease_until > ?)
		ORDER BY expires_at LIMIT ?`
	dueMessageJobs = `SELECT id, next_attempt_at FROM outbox m WHERE delivered_at = 0 AND failed_at = 0 AND next_attempt_at <= ?
		AND NOT EXISTS (SELECT 1 FROM work_claims c WHERE c.job = 'webhook' AND c.id = m.id
			AND c.due = m.next_attempt_at AND c.lease_until > ?)
		ORDER BY next_attempt_at, created_at LIMIT ?`
	dueRefundJobs = `SELECT id, updated_at FROM refunds r WHERE status = 'pending' AND updated_at <= ?
		AND NOT EXISTS (SELECT 1 FROM work_claims c WHERE c.job = 'refund' AND c.id = r.id
			AND c.due = r.updated_at AND c.lease_until > ?)
		ORDER BY updated_at LIMIT ?`

	// claimJob affects one row when the claim is this node's, none when another holds it.
	claimJob = `INSERT INTO work_claims (job, id, due, lease_until) VALUES (?, ?, ?, ?)
		ON CONFLICT (job, id) DO UPDATE SET due = excluded.due, lease_until = excluded.lease_until
		WHERE work_claims.due <> excluded.due OR work_claims.lease_until <= ?`
)

type dueJob struct {
	id  string
	due int64
}

func scanJob(sc scanner) (dueJob, error) {
	var j dueJob
	err := sc.Scan(&j.id, &j.due)
	return j, err
}

// claim takes up to limit jobs of kind job that the query due (one of the due…Jobs) finds at
// now, and returns their ids in due order.
func (s *DB) claim(ctx context.Context, job, due string, now time.Time, limit int) ([]string, error) {
	at := ms(now)
	// A look on the readers first: most ticks find nothing due, and then write nothing.
	jobs, err := queryAll(ctx, s.rq, scanJob, due, at, at, limit)
	if err != nil || len(jobs) == 0 {
		return nil, err
	}
	if !s.d.claims {
		ids := make([]string, len(jobs))
		for i, j := range jobs {
			ids[i] = j.id
		}
		return ids, nil
	}
	// The claim needs no write lock: the row locks and the upsert decide.
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	q := s.wq.in(tx)
	defer q.prepareMissed(ctx)
	if jobs, err = queryAll(ctx, q, scanJob, s.d.claimRows(due), at, at, limit); err != nil {
		return nil, err
	}
	until := at + leaseFor.Milliseconds()
	ids := make([]string, 0, len(jobs))
	for _, j := range jobs {
		res, err := q.ExecContext(ctx, claimJob, job, j.id, j.due, until, at)
		if err != nil {
			return nil, err
		}
		if n, err := res.RowsAffected(); err != nil {
			return nil, err
		} else if n == 1 {
			ids = append(ids, j.id)
		}
	}
	return ids, tx.Commit()
}
