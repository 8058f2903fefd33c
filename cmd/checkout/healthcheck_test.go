package main

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHealthcheck(t *testing.T) {
	status := http.StatusOK
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/healthz" {
			http.NotFound(w, r)
			return
		}
		w.WriteHeader(status)
	}))
	defer srv.Close()
	port := srv.URL[strings.LastIndex(srv.URL, ":"):]
	for _, tc := range []struct {
		name, addr string
		status     int
		ok         bool
	}{
		{"any interface", port, http.StatusOK, true},
		{"loopback", "127.0.0.1" + port, http.StatusOK, true},
		{"not ready", port, http.StatusServiceUnavailable, false},
		{"nothing listening", ":1", http.StatusOK, false},
		{"bad address", "nonsense", http.StatusOK, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status = tc.status
			t.Setenv("CHECKOUT_ADDR", tc.addr)
			err := run(context.Background(), []string{"healthcheck"}, io.Discard, io.Discard)
			if (err == nil) != tc.ok {
				t.Errorf("healthcheck at %q (server answers %d): err %v, want ok=%v", tc.addr, tc.status, err, tc.ok)
			}
		})
	}
}
