package kpay

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

const testBase = "/sandbox/kpay"

// clock is an injectable clock the tests move by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// hooks is the merchant's Notify URL: it records every webhook and answers
// the queued statuses first, then 200.
type hooks struct {
	mu       sync.Mutex
	got      [][]byte
	statuses []int
	arrived  chan struct{}
}

func (h *hooks) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	h.got = append(h.got, b)
	status := http.StatusOK
	if len(h.statuses) > 0 {
		status, h.statuses = h.statuses[0], h.statuses[1:]
	}
	h.mu.Unlock()
	w.WriteHeader(status)
	select {
	case h.arrived <- struct{}{}:
	default:
	}
}

// wait returns the first n webhook bodies, failing after 5s.
func (h *hooks) wait(t *testing.T, n int) [][]byte {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		h.mu.Lock()
		if len(h.got) >= n {
			out := append([][]byte(nil), h.got[:n]...)
			h.mu.Unlock()
			return out
		}
		h.mu.Unlock()
		select {
		case <-h.arrived:
		case <-time.After(10 * time.Millisecond):
		case <-deadline:
			t.Fatalf("waited for %d webhooks, got %d", n, h.count())
		}
	}
}

func (h *hooks) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.got)
}

// env is a simulator mounted at testBase on a test server.
type env struct {
	t      *testing.T
	sim    *Simulator
	srv    *httptest.Server
	clock  *clock
	hooks  *hooks
	logs   *lockedWriter
	client *http.Client // does not follow redirects
}

// idle waits until every webhook the simulator spawned has finished (delivered or given up),
// so that a count of deliveries is final.
func (e *env) idle() {
	e.t.Helper()
	done := make(chan struct{})
	go func() { e.sim.bg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		e.t.Fatal("the simulator is still delivering after 5s")
	}
}

func newEnv(t *testing.T, tweak func(*Config)) *env {
	t.Helper()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	h := &hooks{arrived: make(chan struct{}, 1)}
	hookSrv := httptest.NewServer(h)
	t.Cleanup(hookSrv.Close)
	e := &env{
		t: t, srv: srv, hooks: h, logs: &lockedWriter{w: &bytes.Buffer{}},
		clock:  &clock{t: time.Date(2025, 3, 1, 9, 0, 0, 0, bangkok)},
		client: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
	}
	cfg := Config{
		BasePath:    testBase,
		PublicURL:   srv.URL + testBase,
		NotifyURL:   hookSrv.URL + "/webhooks/kpay",
		CallbackURL: "https://shop.example/return/kpay/{reference_order}",
		Now:         e.clock.Now,
		RetryBase:   time.Millisecond,
		Logger:      slog.New(slog.NewTextHandler(e.logs, nil)),
	}
	if tweak != nil {
		tweak(&cfg)
	}
	e.sim = New(cfg)
	t.Cleanup(e.sim.Close)
	mux.Handle(testBase+"/", e.sim)
	return e
}

type lockedWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.String()
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

type response struct {
	status int
	body   []byte
	header http.Header
}

func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("not JSON (%d): %s", r.status, r.body)
	}
	return m
}

func (r response) text() string { return string(r.body) }

func (e *env) do(method, path string, body io.Reader, header map[string]string) response {
	e.t.Helper()
	req, err := http.NewRequest(method, e.srv.URL+path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := e.client.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.t.Fatal(err)
	}
	return response{resp.StatusCode, b, resp.Header}
}

// api calls the REST API with the sandbox secret key.
func (e *env) api(method, path, body string) response {
	e.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	return e.do(method, testBase+path, rd, map[string]string{"x-api-key": SandboxSecretKey, "Content-Type": "application/json"})
}

// ok calls the API and wants a 200 JSON object.
func (e *env) ok(method, path, body string) map[string]any {
	e.t.Helper()
	r := e.api(method, path, body)
	if r.status != http.StatusOK {
		e.t.Fatalf("%s %s: status %d: %s", method, path, r.status, r.body)
	}
	return r.json(e.t)
}

// wantError checks an error object.
func wantError(t *testing.T, r response, status int, code string) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d: %s", r.status, status, r.body)
	}
	m := r.json(t)
	if m["object"] != "error" || m["code"] != code || m["message"] == "" {
		t.Fatalf("error %v, want code %s", m, code)
	}
}

// token creates a card token through the token API.
func (e *env) token(pan, mid string, extra map[string]any) string {
	e.t.Helper()
	body := map[string]any{"name": "SOMCHAI J", "number": pan, "expiration_month": "12", "expiration_year": "2030", "security_code": "123", "mid": mid}
	for k, v := range extra {
		body[k] = v
	}
	b, _ := json.Marshal(body)
	r := e.do("POST", testBase+"/ui/v2/tokens", bytes.NewReader(b), map[string]string{"x-api-key": SandboxPublicKey, "Content-Type": "application/json"})
	if r.status != http.StatusOK {
		e.t.Fatalf("token: %d %s", r.status, r.body)
	}
	return r.json(e.t)["id"].(string)
}

var refSeq struct {
	sync.Mutex
	n int
}

func nextRef() string {
	refSeq.Lock()
	defer refSeq.Unlock()
	refSeq.n++
	return "INV" + itoa(int64(refSeq.n))
}

// cardCharge creates a token-mode card charge for pan on mid.
func (e *env) cardCharge(pan, mid, amount string, extra string) map[string]any {
	e.t.Helper()
	tok := e.token(pan, mid, nil)
	return e.ok("POST", "/card/v2/charge", `{"amount":`+amount+`,"currency":"THB","description":"TEST PRODUCT","source_type":"card","mode":"token","token":"`+tok+`","reference_order":"`+nextRef()+`","additional_data":{"mid":"`+mid+`"}`+extra+`}`)
}

// page GETs a hosted page.
func (e *env) page(path string) response {
	e.t.Helper()
	return e.do("GET", path, nil, nil)
}

// post submits a hosted page's form.
func (e *env) post(path string, form url.Values) response {
	e.t.Helper()
	return e.do("POST", path, strings.NewReader(form.Encode()), map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
}

// pathOf is the path+query of an absolute URL of the test server.
func (e *env) pathOf(u string) string {
	e.t.Helper()
	if !strings.HasPrefix(u, e.srv.URL) {
		e.t.Fatalf("%q is not on the test server %s", u, e.srv.URL)
	}
	return strings.TrimPrefix(u, e.srv.URL)
}

func decodeJSON(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("not JSON: %s", b)
	}
	return m
}

func contains(t *testing.T, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %q", w)
		}
	}
}
