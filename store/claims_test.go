package store

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/internal/dbtest"
	"github.com/bawaba/checkout/money"
	"github.com/bawaba/checkout/order"
	"github.com/bawaba/checkout/webhook"
)

// postgresOnly skips a test of claims in the SQLite run: a SQLite file has one process, which
// takes its due work as it is (claims.go).
func postgresOnly(t *testing.T) {
	t.Helper()
	if dbtest.Kind() != dbtest.Postgres {
		t.Skip("claims are PostgreSQL's")
	}
}

// twoNodes opens the run's database twice: two nodes sharing one database.
func twoNodes(t *testing.T) (*DB, *DB) {
	t.Helper()
	a, db := openTemp(t)
	b, err := Open(context.Background(), db)
	if err != nil {
		t.Fatalf("Open second node: %v", err)
	}
	t.Cleanup(func() { b.Close() })
	return a, b
}

// dueWork inserts n orders due to expire at t0, each with an attempt due for a check at t0 and a
// webhook due at t0.
func dueWork(t *testing.T, s *DB, n int) {
	t.Helper()
	err := s.Write(context.Background(), func(tx order.Tx) error {
		for i := range n {
			o := newOrder(fmt.Sprintf("ord_due%03d", i), "6.000", "KWD")
			o.ExpiresAt = t0
			if err := tx.InsertOrder(&o); err != nil {
				return err
			}
			a := order.Attempt{ID: fmt.Sprintf("att_due%03d", i), OrderID: o.ID, Method: "knet", Gateway: "knet",
				Status: gateway.StatusPending, NextCheckAt: t0, CreatedAt: t0, UpdatedAt: t0}
			if err := tx.InsertAttempt(&a); err != nil {
				return err
			}
			if err := tx.Enqueue(order.Message{ID: fmt.Sprintf("evt_due%03d", i), OrderID: o.ID, Type: "order.expired",
				URL: "https://shop.example/hooks", Payload: []byte("{}"), CreatedAt: t0}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func attemptIDs(as []order.Attempt) []string {
	var ids []string
	for _, a := range as {
		ids = append(ids, a.ID)
	}
	return ids
}

// A due job is one node's: the other node does not get it while the lease runs, gets it once
// the lease is over (the first node died), and a job done and due again is claimable at once.
func TestClaimsOneNodePerJobAndLeasesEnd(t *testing.T) {
	t.Parallel()
	postgresOnly(t)
	ctx := context.Background()
	a, b := twoNodes(t)
	dueWork(t, a, 1)

	for _, w := range []struct {
		name  string
		claim func(s *DB, now time.Time) ([]string, error)
	}{
		{"reconcile", func(s *DB, now time.Time) ([]string, error) {
			as, err := s.DueAttempts(ctx, now, 10)
			return attemptIDs(as), err
		}},
		{"expire", func(s *DB, now time.Time) ([]string, error) { return s.DueExpiries(ctx, now, 10) }},
		{"webhook", func(s *DB, now time.Time) ([]string, error) {
			ms, err := s.DueMessages(ctx, now, 10)
			var ids []string
			for _, m := range ms {
				ids = append(ids, m.ID)
			}
			return ids, err
		}},
	} {
		t.Run(w.name, func(t *testing.T) {
			got, err := w.claim(a, t0)
			if err != nil || len(got) != 1 {
				t.Fatalf("node A claimed %v, %v; want the one due job", got, err)
			}
			if again, err := w.claim(b, t0.Add(time.Minute)); err != nil || len(again) != 0 {
				t.Fatalf("node B claimed %v, %v while A's lease runs; want nothing", again, err)
			}
			if again, err := w.claim(a, t0.Add(time.Minute)); err != nil || len(again) != 0 {
				t.Fatalf("node A claimed %v, %v again; want nothing (it holds the job)", again, err)
			}
			// A dies: once its lease is over, B takes the job.
			after := t0.Add(leaseFor + time.Millisecond)
			if got, err := w.claim(b, after); err != nil || len(got) != 1 {
				t.Fatalf("node B after the lease claimed %v, %v; want the job back", got, err)
			}
		})
	}

	// A job done and due again (the reconciler's next check) is claimable at once by any node.
	if err := a.Write(ctx, func(tx order.Tx) error {
		att, err := tx.Attempt("att_due000")
		if err != nil {
			return err
		}
		att.Checks++
		att.NextCheckAt = t0.Add(leaseFor + 2*time.Second)
		return tx.UpdateAttempt(&att)
	}); err != nil {
		t.Fatal(err)
	}
	got, err := a.DueAttempts(ctx, t0.Add(leaseFor+3*time.Second), 10)
	if err != nil || len(got) != 1 {
		t.Fatalf("rescheduled attempt claimed %v, %v; want it", attemptIDs(got), err)
	}

	// Refunds: pending ones, claimed by the time they were last touched.
	if err := a.Write(ctx, func(tx order.Tx) error {
		return tx.InsertRefund(&order.Refund{ID: "rf_due", OrderID: "ord_due000", AttemptID: "att_due000",
			Amount: money.MustParse("1.000", "KWD"), Status: order.RefundPending, Kind: "refund", CreatedAt: t0, UpdatedAt: t0})
	}); err != nil {
		t.Fatal(err)
	}
	if rs, err := a.PendingRefunds(ctx, t0, 10); err != nil || len(rs) != 1 || rs[0].ID != "rf_due" {
		t.Fatalf("PendingRefunds A = %v, %v", rs, err)
	}
	if rs, err := b.PendingRefunds(ctx, t0.Add(time.Minute), 10); err != nil || len(rs) != 0 {
		t.Fatalf("PendingRefunds B = %v, %v; want nothing while A holds it", rs, err)
	}
}

// Many nodes claiming at once take each due job exactly once between them.
func TestClaimsConcurrentNodesTakeEachJobOnce(t *testing.T) {
	t.Parallel()
	postgresOnly(t)
	ctx := context.Background()
	a, db := openTemp(t)
	const jobs = 60
	dueWork(t, a, jobs)
	nodes := []*DB{a}
	for range 3 {
		n, err := Open(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { n.Close() })
		nodes = append(nodes, n)
	}
	var mu sync.Mutex
	var taken []string
	var wg sync.WaitGroup
	for _, n := range nodes {
		wg.Go(func() {
			for {
				ms, err := n.DueMessages(ctx, t0, 7)
				if err != nil {
					t.Error(err)
					return
				}
				if len(ms) == 0 {
					return
				}
				mu.Lock()
				for _, m := range ms {
					taken = append(taken, m.ID)
				}
				mu.Unlock()
				for _, m := range ms { // done: the next try is an hour on (as RecordDelivery would)
					if err := n.RecordDelivery(ctx, webhook.Delivery{MessageID: m.ID, At: t0, Err: "x", NextAttempt: t0.Add(time.Hour)}); err != nil {
						t.Error(err)
					}
				}
			}
		})
	}
	wg.Wait()
	sort.Strings(taken)
	if len(taken) != jobs || len(slices.Compact(slices.Clone(taken))) != jobs {
		t.Fatalf("nodes took %d messages (%d distinct); want each of %d exactly once", len(taken), len(slices.Compact(slices.Clone(taken))), jobs)
	}
}

// Nodes starting at once on a new database migrate it once between them: on PostgreSQL a
// session advisory lock around the migrations; on SQLite (a server and `checkout migrate`, or a
// restart overlapping the old process, on a new file) each migration's check-and-apply is one
// immediate transaction.
func TestNodesStartingTogetherMigrateOnce(t *testing.T) {
	db := dbtest.DB(t)
	const n = 4
	stores := make([]*DB, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { stores[i], errs[i] = Open(context.Background(), db) })
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("node %d: %v", i, errs[i])
		}
		defer stores[i].Close()
	}
	var rows, versions int
	if err := stores[0].r.QueryRowContext(context.Background(), "SELECT count(*), count(DISTINCT version) FROM schema_migrations").Scan(&rows, &versions); err != nil {
		t.Fatal(err)
	}
	if rows != versions || rows == 0 {
		t.Errorf("schema_migrations: %d rows for %d versions; want each once", rows, versions)
	}
}

// On SQLite (one process per file) due work is taken as it is: asked again, the same job comes
// back, as it does for a process restarted after a crash.
func TestSQLiteTakesDueWorkAsItIs(t *testing.T) {
	if dbtest.Kind() != dbtest.SQLite {
		t.Skip("SQLite only")
	}
	t.Parallel()
	s, _ := openTemp(t)
	dueWork(t, s, 1)
	for range 2 {
		if ms, err := s.DueMessages(context.Background(), t0, 10); err != nil || len(ms) != 1 {
			t.Fatalf("DueMessages = %d, %v; want the due message each time", len(ms), err)
		}
	}
	var n int
	if err := s.r.QueryRowContext(context.Background(), "SELECT count(*) FROM work_claims").Scan(&n); err != nil || n != 0 {
		t.Errorf("work_claims has %d rows (%v); want none on SQLite", n, err)
	}
}
