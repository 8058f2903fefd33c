package tap

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

	"github.com/bawaba/checkout/sandbox/internal/simtest"
)

const (
	testBase = "/sandbox/tap"
	testKey  = "sk_test_EXAMPLEKEY0000000000"
)

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
	logs   *bytes.Buffer
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
		logs:   &bytes.Buffer{},
		client: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
	}
	cfg := Config{
		BasePath:  testBase,
		PublicURL: srv.URL + testBase,
		SecretKey: testKey,
		Now:       e.clock.Now,
		RetryBase: time.Millisecond,
		Logger:    slog.New(slog.NewTextHandler(&lockedWriter{w: e.logs}, nil)),
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
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// do sends a request and returns the status and body.
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

func auth() map[string]string {
	return map[string]string{"Authorization": "Bearer " + testKey, "Content-Type": "application/json"}
}

// chargeBody is a valid create-charge body; amount is raw JSON.
func chargeBody(amount, postURL string) string {
	post := ""
	if postURL != "" {
		post = `"post":{"url":"` + postURL + `"},`
	}
	return `{"amount":` + amount + `,"currency":"KWD","customer_initiated":true,"threeDSecure":true,
	"save_card":false,"description":"Order 1001","statement_descriptor":"Bawaba Shop",
	"metadata":{"udf1":"att_1","udf2":2},"reference":{"transaction":"txn_1001","order":"ord_1001"},
	"receipt":{"email":false,"sms":false},
	"customer":{"first_name":"Fatima","last_name":"Al-Sabah","email":"fatima@example.com","phone":{"country_code":"965","number":"51234567"}},
	"merchant":{"id":"1234567"},"source":{"id":"src_kw.knet"},` + post + `
	"redirect":{"url":"https://shop.example/return/tap/att_1?x=1"}}`
}

// create makes a charge and returns it decoded.
func (e *env) create(body string, header map[string]string) map[string]any {
	e.t.Helper()
	h := auth()
	for k, v := range header {
		h[k] = v
	}
	status, b, _ := e.do(http.MethodPost, testBase+"/v2/charges", strings.NewReader(body), h)
	if status != http.StatusOK {
		e.t.Fatalf("create: status %d: %s", status, b)
	}
	return decode(e.t, b)
}

// retrieve GETs a charge and returns it decoded.
func (e *env) retrieve(id string) map[string]any {
	e.t.Helper()
	status, b, _ := e.do(http.MethodGet, testBase+"/v2/charges/"+id, nil, auth())
	if status != http.StatusOK {
		e.t.Fatalf("retrieve %s: status %d: %s", id, status, b)
	}
	return decode(e.t, b)
}

// pagePath is the hosted page path of a charge, from its transaction.url.
func (e *env) pagePath(c map[string]any) string {
	e.t.Helper()
	u, err := url.Parse(str(c, "transaction.url"))
	if err != nil {
		e.t.Fatal(err)
	}
	return u.RequestURI()
}

func token(t *testing.T, c map[string]any) string {
	t.Helper()
	u, err := url.Parse(str(c, "transaction.url"))
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("chg")
}

// pay posts the KNET form.
func (e *env) pay(form url.Values) (int, []byte, http.Header) {
	e.t.Helper()
	return e.do(http.MethodPost, testBase+"/knet/pay", strings.NewReader(form.Encode()),
		map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
}

func submitForm(tok, card, month, year string) url.Values {
	return url.Values{
		"chg": {tok}, "bank": {"knet1"}, "card": {card}, "exp_month": {month},
		"exp_year": {year}, "pin": {"1234"}, "action": {"submit"},
	}
}

func decode(t *testing.T, b []byte) map[string]any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
	return m
}

// at returns the value at a dotted path ("transaction.expiry.period").
func at(m map[string]any, path string) any {
	var v any = m
	for _, k := range strings.Split(path, ".") {
		obj, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = obj[k]
	}
	return v
}

func str(m map[string]any, path string) string {
	s, _ := at(m, path).(string)
	return s
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

// eventually polls cond for up to 5 seconds.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}
