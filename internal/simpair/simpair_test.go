// Package simpair_test runs each gateway connector against its simulator over real HTTP
// (httptest): the two are written separately from the same spec and share no code, so each
// checks the other. These tests are about refunds: a refund whose answer was lost is found by
// the connector's refund inquiry at the simulator, and one that never reached it is not.
package simpair_test

import (
	"bytes"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// discard is a logger for the simulators.
var discard = slog.New(slog.NewTextHandler(io.Discard, nil))

// server is an httptest server whose routes are mounted later (a simulator needs the
// server's URL first).
func server(t *testing.T) (*httptest.Server, *http.ServeMux) {
	t.Helper()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, mux
}

// loser is a connector's transport that can lose the answer to the next request matching
// match after the simulator handled it (the gateway acted, we heard nothing), or drop the
// next one before it leaves (the gateway never heard of it).
type loser struct {
	next  http.RoundTripper
	match func(r *http.Request, body []byte) bool

	mu   sync.Mutex
	lose bool
	drop bool
	sent int // matching requests that reached the server
}

func (l *loser) RoundTrip(r *http.Request) (*http.Response, error) {
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(r.Body)
		r.Body.Close()
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	l.mu.Lock()
	hit := l.match(r, body)
	lose, drop := hit && l.lose, hit && l.drop
	if hit {
		l.lose, l.drop = false, false
		if !drop {
			l.sent++
		}
	}
	l.mu.Unlock()
	if drop {
		return nil, errors.New("connection refused (dropped by the test)")
	}
	res, err := l.next.RoundTrip(r)
	if err == nil && lose {
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		return nil, errors.New("connection reset after the gateway answered (lost by the test)")
	}
	return res, err
}

// reached returns how many matching requests reached the server.
func (l *loser) reached() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.sent
}

func (l *loser) set(lose, drop bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.lose, l.drop = lose, drop
}

// client is an HTTP client over a loser matching requests whose path ends in suffix and whose
// body contains inBody.
func client(suffix, inBody string) (*http.Client, *loser) {
	l := &loser{next: http.DefaultTransport, match: func(r *http.Request, body []byte) bool {
		return strings.HasSuffix(r.URL.Path, suffix) && bytes.Contains(body, []byte(inBody))
	}}
	return &http.Client{Transport: l, Timeout: 10 * time.Second}, l
}

// noRedirect is a browser that stops at every redirect, to read Location.
var noRedirect = &http.Client{Timeout: 10 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
