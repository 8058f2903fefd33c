package handlers_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/bawaba/checkout/logging"
)

// lockedBuffer is a log destination the server's goroutines share.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// lines are the JSON log lines written so far.
func (l *lockedBuffer) lines(t *testing.T) []map[string]any {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	for _, ln := range strings.Split(strings.TrimSpace(l.b.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(ln), &m); err != nil {
			t.Fatalf("log line %q: %v", ln, err)
		}
		out = append(out, m)
	}
	return out
}

// Every request writes one access line (method, route pattern, status, duration, request id),
// and a simulator's lines carry the id of the request they were written for.
func TestAccessLog(t *testing.T) {
	var buf lockedBuffer
	log, err := logging.New(&buf, "json", slog.LevelDebug)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, withLogger(log))
	res := e.do(nil, "GET", "/api/v1/orders/ord_nope?q=raw", map[string]string{"Authorization": "Bearer " + e.apiKey, "X-Request-Id": "acc-404"}, "")
	expectStatus(t, res, http.StatusNotFound)
	e.startPayment(e.createOrder("acc-1").ID, nil) // our confirm calls the Tap simulator's API

	lines := buf.lines(t)
	access := map[string]map[string]any{} // request_id → its access line
	for _, l := range lines {
		if l["msg"] != "request" {
			continue
		}
		id, _ := l["request_id"].(string)
		if id == "" || access[id] != nil {
			t.Fatalf("access line without a request id of its own: %v", l)
		}
		if d, ok := l["duration_ms"].(float64); !ok || d < 0 {
			t.Errorf("access line without duration_ms: %v", l)
		}
		access[id] = l
	}
	got := access["acc-404"]
	if got == nil || got["method"] != "GET" || got["route"] != "/api/v1/orders/:id" || got["status"] != float64(404) {
		t.Errorf("access line of the unknown order: %v", got)
	}
	if line, _ := json.Marshal(got); strings.Contains(string(line), "ord_nope") || strings.Contains(string(line), "raw") {
		t.Errorf("the access line names the raw path or query; want the route pattern only: %s", line)
	}
	var charge map[string]any
	for _, l := range lines {
		if l["msg"] == "tap sandbox: charge created" {
			charge = l
		}
	}
	if charge == nil {
		t.Fatal("no simulator line for the charge")
	}
	simReq := access[charge["request_id"].(string)]
	if simReq == nil || simReq["route"] != "/sandbox/tap/*" || simReq["method"] != "POST" {
		t.Errorf("the simulator's line names request %v, whose access line is %v", charge["request_id"], simReq)
	}
}
