package store

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/bawaba/checkout/order"
)

// Every write transaction reports its wait for the writer; while one holds it, the next waits.
func TestWriterWaitAndBacklogs(t *testing.T) {
	s, _ := openTemp(t)
	var mu sync.Mutex
	var waits []time.Duration
	s.ObserveWriterWait(func(d time.Duration) {
		mu.Lock()
		waits = append(waits, d)
		mu.Unlock()
	})
	held := make(chan struct{})
	release := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- s.Write(context.Background(), func(order.Tx) error {
			close(held)
			<-release
			return nil
		})
	}()
	<-held
	var releasedAfter time.Duration
	start := time.Now()
	go func() {
		time.Sleep(50 * time.Millisecond)
		releasedAfter = time.Since(start)
		close(release)
	}()
	insert(t, s, newOrder("ord_wait1", "6.000", "KWD")) // queues behind the held transaction
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(waits) != 2 {
		t.Fatalf("%d waits observed, want 2", len(waits))
	}
	// The queued write began after start and could not begin before the release.
	if waits[1] < releasedAfter/2 {
		t.Errorf("the queued write waited %s, but the writer was held for %s of it", waits[1], releasedAfter)
	}
	if st := s.WriterStats(); st.WaitCount < 1 && s.d == sqliteDialect { // PostgreSQL: the wait is on the lock, not the pool
		t.Errorf("WriterStats.WaitCount = %d, want ≥ 1", st.WaitCount)
	}

	n, err := s.OutboxBacklog(context.Background())
	if err != nil || n != 0 {
		t.Errorf("OutboxBacklog = %d, %v", n, err)
	}
	sched, due, err := s.ReconcileBacklog(context.Background(), time.Now())
	if err != nil || sched != 0 || due != 0 {
		t.Errorf("ReconcileBacklog = %d, %d, %v", sched, due, err)
	}
}
