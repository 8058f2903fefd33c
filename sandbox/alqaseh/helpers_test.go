package alqaseh

import (
	"bytes"
	"encoding/base64"
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

	"github.com/bawaba/checkout/sandbox/internal/simtest"
)

const testBase = "/sandbox/alqaseh"

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

// env is a simulator mounted at testBase on a test server.
type env struct {
	t      *testing.T
	sim    *Simulator
	srv    *httptest.Server
	clock  *clock
	logs   *lockedBuffer
	client *http.Client // does not follow redirects
}

func newEnv(t *testing.T, tweak func(*Config)) *env {
	t.Helper()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	e := &env{
		t:      t,
		srv:    srv,
		clock:  &clock{t: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)},
		logs:   &lockedBuffer{},
		client: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
	}
	cfg := Config{
		BasePath:  testBase,
		PublicURL: srv.URL + testBase,
		Now:       e.clock.Now,
		RetryBase: time.Millisecond,
		Logger:    slog.New(slog.NewTextHandler(e.logs, nil)),
	}
	if tweak != nil {
		tweak(&cfg)
	}
	e.sim = New(cfg)
	t.Cleanup(e.sim.Close)
	mux.Handle(testBase+"/", e.sim)
	return e
}

type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// do sends a request and returns the status, body and headers.
func (e *env) do(method, path string, body io.Reader, header map[string]string) (int, []byte, http.Header) {
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
	return resp.StatusCode, b, resp.Header
}

func basic(id, secret string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(id+":"+secret))
}

func auth() map[string]string {
	return map[string]string{
		"Authorization": basic(SandboxClientID, SandboxClientSecret),
		"Content-Type":  "application/json",
		"Accept":        "application/json",
	}
}

// api calls the API with the sandbox credentials.
func (e *env) api(method, path, body string) (int, map[string]any) {
	e.t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	status, b, _ := e.do(method, testBase+"/v1/egw/payments"+path, r, auth())
	return status, decode(e.t, b)
}

// createBody is a valid create body with the given order id and webhook URL;
// extra is raw JSON members appended (", \"email\":\"…\"").
func createBody(orderID, webhookURL, extra string) string {
	hook := ""
	if webhookURL != "" {
		hook = `,"webhook_url":"` + webhookURL + `"`
	}
	return `{"amount":25000,"currency":"IQD","order_id":"` + orderID + `","description":"Order ` + orderID +
		`","redirect_url":"https://shop.example/return/alqaseh?att=1","transaction_type":"Retail",` +
		`"token_expiry_in_hour":2,"email":"payer@example.com"` + hook + extra + `}`
}

// create makes a context and returns its payment_id and token.
func (e *env) create(body string) (id, token string) {
	e.t.Helper()
	status, m := e.api(http.MethodPost, "/create", body)
	if status != http.StatusOK {
		e.t.Fatalf("create: status %d: %v", status, m)
	}
	return str(m, "payment_id"), str(m, "token")
}

// get retrieves a context by payment_id.
func (e *env) get(id string) map[string]any {
	e.t.Helper()
	status, m := e.api(http.MethodGet, "/"+id, "")
	if status != http.StatusOK {
		e.t.Fatalf("get %s: status %d: %v", id, status, m)
	}
	return m
}

// page GETs the hosted page.
func (e *env) page(token, query string, header map[string]string) (int, string) {
	e.t.Helper()
	status, b, _ := e.do(http.MethodGet, testBase+"/pay/"+token+query, nil, header)
	return status, string(b)
}

// pay posts the hosted page's form.
func (e *env) pay(token string, form url.Values) (int, string, http.Header) {
	e.t.Helper()
	status, b, h := e.do(http.MethodPost, testBase+"/pay/"+token, strings.NewReader(form.Encode()),
		map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
	return status, string(b), h
}

func cardForm(card, expiry, cvv string) url.Values {
	return url.Values{"card": {card}, "expiry": {expiry}, "cvv": {cvv}, "name": {"Zainab Ali"}, "action": {"pay"}}
}

func decode(t *testing.T, b []byte) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("decode %q: %v", b, err)
	}
	return m
}

func str(m map[string]any, key string) string {
	s, _ := m[key].(string)
	return s
}

// wantError checks an error answer's status, error_code and shape.
func wantError(t *testing.T, status int, m map[string]any, wantStatus int, code string) {
	t.Helper()
	if status != wantStatus || str(m, "error_code") != code || str(m, "err") == "" ||
		!uuidText.MatchString(str(m, "reference_code")) {
		t.Errorf("got %d %v, want %d %s", status, m, wantStatus, code)
	}
}

// hook is a webhook receiver; respond picks the status of each attempt (1-based).
type hook struct {
	srv   *httptest.Server
	calls chan hookCall
}

type hookCall struct {
	header http.Header
	body   []byte
}

func newHook(t *testing.T, respond func(attempt int) int) *hook {
	t.Helper()
	h := &hook{calls: make(chan hookCall, 100)}
	var mu sync.Mutex
	n := 0
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		n++
		attempt := n
		mu.Unlock()
		h.calls <- hookCall{r.Header.Clone(), b}
		w.WriteHeader(respond(attempt))
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func ok200(int) int { return http.StatusOK }

// next waits for the next webhook call.
func (h *hook) next(t *testing.T) hookCall {
	t.Helper()
	select {
	case c := <-h.calls:
		return c
	case <-time.After(5 * time.Second):
		t.Fatal("no webhook received")
		return hookCall{}
	}
}

// none checks that no webhook call was made, and none is on its way: once the simulator's
// background work (deliveries, retries, timers) is over, nothing more can come.
func (h *hook) none(t *testing.T, sim *Simulator) {
	t.Helper()
	simtest.Idle(t, sim.bg.Wait)
	select {
	case c := <-h.calls:
		t.Fatalf("unexpected webhook: %s", c.body)
	default:
	}
}
