// Package gwtest holds what the connectors' fuzz tests share. It is imported by tests only.
package gwtest

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/bawaba/checkout/gateway"
)

// Down starts an HTTP server standing for a gateway that is down: every request is answered
// 503 and counted. A fuzzed webhook or return can then run through the whole connector
// without a gateway behind it, and a test can tell whether the connector called out.
func Down(tb testing.TB) (base string, calls *atomic.Int64) {
	tb.Helper()
	calls = new(atomic.Int64)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		calls.Add(1)
		http.Error(w, "down", http.StatusServiceUnavailable)
	}))
	tb.Cleanup(srv.Close)
	return srv.URL, calls
}

// moneyMoved are the statuses only a gateway's own word may give.
var moneyMoved = []gateway.Status{gateway.StatusPaid, gateway.StatusAuthorized, gateway.StatusRefunded}

// NoMoneyMoved fails when a notification says money moved although the gateway was down (so
// it could not have confirmed anything) and the message was not verified.
func NoMoneyMoved(tb testing.TB, notes []gateway.Notification) {
	tb.Helper()
	for _, n := range notes {
		if slices.Contains(moneyMoved, n.Result.Status) {
			tb.Fatalf("an unverified notification reports %s (%+v)", n.Result.Status, n.Ref)
		}
	}
}

// Header is a one-field http.Header.
func Header(name, value string) http.Header {
	h := http.Header{}
	h.Set(name, value)
	return h
}
