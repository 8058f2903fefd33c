package handlers_test

import (
	"encoding/json"
	"testing"

	"github.com/bawaba/checkout/handlers"
)

// Every answer carries X-Request-Id (the client's when it is a plain token), and a problem
// body repeats it.
func TestRequestID(t *testing.T) {
	e := newEnv(t)
	for _, tc := range []struct {
		name, sent string
		keep       bool
	}{
		{"kept", "shop-req-7781", true},
		{"generated", "", false},
		{"replaced when unsafe", "evil\tline", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := map[string]string{"Authorization": "Bearer wrong"}
			if tc.sent != "" {
				h["X-Request-Id"] = tc.sent
			}
			res := e.do(nil, "GET", "/api/v1/orders/ord_nope", h, "")
			got := res.Header.Get("X-Request-Id")
			if got == "" || (tc.keep && got != tc.sent) || (!tc.keep && got == tc.sent) {
				t.Fatalf("X-Request-Id = %q (sent %q)", got, tc.sent)
			}
			var p handlers.Problem
			if err := json.Unmarshal(res.body, &p); err != nil || p.Status != 401 {
				t.Fatalf("problem %s: %v", res.body, err)
			}
			if p.RequestID != got {
				t.Errorf("problem request_id %q, header %q", p.RequestID, got)
			}
		})
	}
	if a, b := e.do(nil, "GET", "/healthz", nil, "").Header.Get("X-Request-Id"), e.do(nil, "GET", "/healthz", nil, "").Header.Get("X-Request-Id"); a == b || a == "" {
		t.Errorf("two requests got ids %q and %q", a, b)
	}
}
