package adyen

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
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

// Sandbox credentials used by the tests (the package doc lists them).
const (
	testBase     = "/sandbox/adyen"
	testAPIKey   = "AQE_bawaba_sandbox_adyen_api_key_0001"
	testMerchant = "BawabaSandboxECOM"
	testHMACKey  = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056"
	testReturn   = "https://shop.example/return/adyen/att_1?x=1"
)

// clock is an injectable clock moved by hand.
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

// hook is the merchant's webhook endpoint; respond chooses the status and
// body of each attempt (1-based).
type hook struct {
	srv   *httptest.Server
	calls chan hookCall
	mu    sync.Mutex
	n     int
	times []time.Time // arrival of each attempt
}

type hookCall struct {
	header http.Header
	body   []byte
}

func accepted(int) (int, string) { return http.StatusOK, "[accepted]" }

func newHook(t *testing.T, respond func(attempt int) (int, string)) *hook {
	t.Helper()
	h := &hook{calls: make(chan hookCall, 100)}
	h.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		h.n++
		attempt := h.n
		h.times = append(h.times, time.Now())
		h.mu.Unlock()
		h.calls <- hookCall{r.Header.Clone(), b}
		status, body := respond(attempt)
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(h.srv.Close)
	return h
}

func (h *hook) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.n
}

// next waits for the next webhook call and returns its single item, after
// checking the batch shape and the HMAC signature the way a merchant would.
func (h *hook) next(t *testing.T) map[string]any {
	t.Helper()
	select {
	case c := <-h.calls:
		return verifyBatch(t, c)
	case <-time.After(5 * time.Second):
		t.Fatal("no webhook received")
		return nil
	}
}

// none checks that no webhook arrives for a short while.
func (h *hook) none(t *testing.T) {
	t.Helper()
	select {
	case c := <-h.calls:
		t.Fatalf("unexpected webhook: %s", c.body)
	case <-time.After(60 * time.Millisecond):
	}
}

// verifyBatch checks a Standard webhook body and its item's hmacSignature,
// recomputed independently from the received JSON (spec §7).
func verifyBatch(t *testing.T, c hookCall) map[string]any {
	t.Helper()
	if ct := c.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("webhook Content-Type %q", ct)
	}
	batch := decode(t, c.body)
	if batch["live"] != "false" {
		t.Errorf("live = %#v, want the string \"false\"", batch["live"])
	}
	items, _ := batch["notificationItems"].([]any)
	if len(items) != 1 {
		t.Fatalf("notificationItems = %v", batch["notificationItems"])
	}
	wrapper, _ := items[0].(map[string]any)
	item, _ := wrapper["NotificationRequestItem"].(map[string]any)
	if item == nil {
		t.Fatalf("no NotificationRequestItem in %s", c.body)
	}
	data := strings.Join([]string{
		str(item, "pspReference"), str(item, "originalReference"), str(item, "merchantAccountCode"),
		str(item, "merchantReference"), string(at(item, "amount.value").(json.Number)),
		str(item, "amount.currency"), str(item, "eventCode"), str(item, "success"),
	}, ":")
	key, _ := hex.DecodeString(testHMACKey)
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(data))
	want := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	if got := str(item, "additionalData.hmacSignature"); !hmac.Equal([]byte(got), []byte(want)) {
		t.Errorf("hmacSignature = %q, want %q over %q", got, want, data)
	}
	if str(item, "merchantAccountCode") != testMerchant || str(item, "paymentMethod") != "knet" {
		t.Errorf("item = %v", item)
	}
	if _, err := time.Parse(time.RFC3339, str(item, "eventDate")); err != nil || !strings.Contains(str(item, "eventDate"), "+") {
		t.Errorf("eventDate %q: %v", str(item, "eventDate"), err)
	}
	return item
}

// env is a simulator mounted at testBase on a test server.
type env struct {
	t      *testing.T
	sim    *Simulator
	srv    *httptest.Server
	clock  *clock
	logs   *lockedBuffer
	hook   *hook
	client *http.Client // does not follow redirects
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

func newEnv(t *testing.T, h *hook, tweak func(*Config)) *env {
	t.Helper()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	e := &env{
		t:      t,
		srv:    srv,
		clock:  &clock{t: time.Date(2025, 3, 1, 9, 0, 0, 0, time.FixedZone("AST", 3*3600))},
		logs:   &lockedBuffer{},
		hook:   h,
		client: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
	}
	cfg := Config{
		BasePath:        testBase,
		PublicURL:       srv.URL + testBase,
		APIKey:          testAPIKey,
		MerchantAccount: testMerchant,
		HMACKey:         testHMACKey,
		Now:             e.clock.Now,
		RetryBase:       time.Millisecond,
		PendingDelay:    20 * time.Millisecond,
		Logger:          slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}
	if h != nil {
		cfg.WebhookURL = h.srv.URL + "/webhooks/adyen"
	}
	if tweak != nil {
		tweak(&cfg)
	}
	e.sim = New(cfg)
	t.Cleanup(e.sim.Close)
	mux.Handle(testBase+"/", e.sim)
	return e
}

// do sends a request and returns status, body and headers.
func (e *env) do(method, path, body string, header map[string]string) (int, []byte, http.Header) {
	e.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
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

func apiHeaders() map[string]string {
	return map[string]string{"X-API-Key": testAPIKey, "Content-Type": "application/json"}
}

// api POSTs JSON to a Checkout API path under /v71.
func (e *env) api(path, body string) (int, map[string]any) {
	e.t.Helper()
	status, b, _ := e.do(http.MethodPost, testBase+"/v71"+path, body, apiHeaders())
	return status, decode(e.t, b)
}

// paymentBody is a valid /payments body for knet; extra is spliced in.
func paymentBody(locale, extra string) string {
	return `{"merchantAccount":"` + testMerchant + `","amount":{"currency":"KWD","value":1500},
	"reference":"ord_1001-att_1","paymentMethod":{"type":"knet"},"countryCode":"KW",
	"shopperLocale":"` + locale + `","shopperName":{"firstName":"Fatima","lastName":"Al-Sabah"},
	"shopperEmail":"fatima@example.com","telephoneNumber":"+96551234567",` + extra + `
	"returnUrl":"` + testReturn + `"}`
}

// create makes a knet payment and returns the response.
func (e *env) create(locale, extra string) map[string]any {
	e.t.Helper()
	status, m := e.api("/payments", paymentBody(locale, extra))
	if status != http.StatusOK {
		e.t.Fatalf("create: status %d: %v", status, m)
	}
	return m
}

// tokenOf is the redirectData of a /payments response's action.
func tokenOf(t *testing.T, m map[string]any) string {
	t.Helper()
	if tok := str(m, "action.data.redirectData"); tok != "" {
		return tok
	}
	u, err := url.Parse(str(m, "action.url"))
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("redirectData")
}

// page GETs the hosted page of a token.
func (e *env) page(token, lang string) (int, string) {
	e.t.Helper()
	q := url.Values{"redirectData": {token}}
	if lang != "" {
		q.Set("lang", lang)
	}
	status, b, _ := e.do(http.MethodGet, testBase+"/hpp/knet?"+q.Encode(), "", nil)
	return status, string(b)
}

// submit posts the KNET form.
func (e *env) submit(form url.Values) (int, []byte, http.Header) {
	e.t.Helper()
	return e.do(http.MethodPost, testBase+"/hpp/knet", form.Encode(),
		map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
}

func submitForm(token, card, month, year string) url.Values {
	return url.Values{
		"redirectData": {token}, "bank": {"KNET1"}, "card_number": {card}, "exp_month": {month},
		"exp_year": {year}, "pin": {"1234"}, "action": {"submit"},
	}
}

func cancelForm(token string) url.Values {
	return url.Values{"redirectData": {token}, "action": {"cancel"}}
}

// redirectResultOf extracts the URL-decoded redirectResult of a return Location.
func redirectResultOf(t *testing.T, location string) string {
	t.Helper()
	u, err := url.Parse(location)
	if err != nil {
		t.Fatal(err)
	}
	rr := u.Query().Get("redirectResult")
	if rr == "" {
		t.Fatalf("no redirectResult in %q", location)
	}
	return rr
}

// details redeems a redirectResult.
func (e *env) details(rr string) (int, map[string]any) {
	e.t.Helper()
	b, _ := json.Marshal(map[string]any{"details": map[string]string{"redirectResult": rr}})
	return e.api("/payments/details", string(b))
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

// at returns the value at a dotted path ("action.url").
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

// wantFields checks dotted paths of m against wanted values (strings or
// json.Number for numbers, nil for absent).
func wantFields(t *testing.T, what string, m map[string]any, want map[string]any) {
	t.Helper()
	for path, w := range want {
		if got := at(m, path); fmt.Sprint(got) != fmt.Sprint(w) || (w == nil) != (got == nil) {
			t.Errorf("%s: %s = %#v, want %#v", what, path, got, w)
		}
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

// state reads a payment's internal state.
func (e *env) state(psp string) string {
	e.sim.mu.Lock()
	defer e.sim.mu.Unlock()
	if p := e.sim.payments[psp]; p != nil {
		return p.state
	}
	return ""
}
