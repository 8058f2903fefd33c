package simtest

import (
	"testing"
	"time"
)

// Idle waits for wait to return (a simulator's background work: deliveries, retries, timers),
// so that every call it made has reached the test's server, which queues each call before it
// answers. After 5 s it fails t: something is still in flight.
func Idle(t testing.TB, wait func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("the simulator still has background work after 5s")
	}
}
