package click

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	testBase  = "/sandbox/click"
	testDev   = "Dev1"
	testToken = "CIQC2Z5WUVTAKcBHISsOVMJIJE8PAbVe5"
	apiPath   = testBase + "/api/developer/gatedeveloper"
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

// outbound records any request the simulator would send to the store.
type outbound struct {
	mu    sync.Mutex
	calls []string
}

func (o *outbound) RoundTrip(r *http.Request) (*http.Response, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.calls = append(o.calls, r.Method+" "+r.URL.String())
	return &http.Response{StatusCode: http.StatusOK, Body: io.NopCloser(strings.NewReader("")), Request: r}, nil
}

// env is a simulator mounted at testBase on a test server.
type env struct {
	t      *testing.T
	sim    *Simulator
	srv    *httptest.Server
	clock  *clock
	logs   *bytes.Buffer
	out    *outbound
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
		out:    &outbound{},
		client: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
	}
	cfg := Config{
		BasePath:   testBase,
		PublicURL:  srv.URL + testBase,
		Now:        e.clock.Now,
		HTTPClient: &http.Client{Transport: e.out},
		RetryBase:  time.Millisecond,
		Logger:     slog.New(slog.NewTextHandler(&lockedWriter{w: e.logs}, nil)),
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

type response struct {
	status int
	body   []byte
	header http.Header
}

func (r response) String() string { return strconv.Itoa(r.status) + " " + string(r.body) }

// do sends a request and returns the status, body and header.
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

func authHeaders() map[string]string {
	return map[string]string{"Authorization": "Bearer " + testToken, "Content-Type": "application/json"}
}

// call POSTs a JSON body to an API path with the sandbox credentials.
func (e *env) call(path, body string) response {
	e.t.Helper()
	return e.do(http.MethodPost, path, strings.NewReader(body), authHeaders())
}

type created struct {
	APIVersion      json.Number `json:"apiVersion"`
	GatewayResponse struct {
		Result        string `json:"result"`
		SessionID     string `json:"session_id"`
		SessionExpire struct {
			Date         string `json:"date"`
			TimezoneType int    `json:"timezone_type"`
			Timezone     string `json:"timezone"`
		} `json:"session_expire"`
		IndicatorStatus string `json:"indicator_status"`
		Status          string `json:"status"`
	} `json:"gatewayResponse"`
}

// createSession calls Create Session and returns the session id and indicator.
func (e *env) createSession() (string, string) {
	e.t.Helper()
	r := e.call(apiPath+"/"+testDev, "")
	var c created
	if err := json.Unmarshal(r.body, &c); err != nil || r.status != http.StatusOK || c.GatewayResponse.Result != "SUCCESS" {
		e.t.Fatalf("create session: %v", r)
	}
	return c.GatewayResponse.SessionID, c.GatewayResponse.IndicatorStatus
}

func updateBodyJSON(sid string, orderID int, amount, returnURL string) string {
	return `{"session_id":"` + sid + `","order_id":` + strconv.Itoa(orderID) + `,"order_amout":` + amount +
		`,"return_url":"` + returnURL + `","customer_name":"Customer","customer_phone":12345678}`
}

const shopReturn = "https://shop.example/return/click/att_1"

// session creates and updates a session; lang is "", "ar" or "en".
func (e *env) session(orderID int, amount, lang string) (string, string) {
	e.t.Helper()
	sid, ind := e.createSession()
	path := apiPath + "/sessionupdate/" + testDev
	if lang != "" {
		path += "/" + lang
	}
	r := e.call(path, updateBodyJSON(sid, orderID, amount, shopReturn))
	if r.status != http.StatusOK || !strings.Contains(string(r.body), `"result":"SUCCESS"`) {
		e.t.Fatalf("update session: %v", r)
	}
	return sid, ind
}

func (e *env) status(sid string, orderID int) string {
	e.t.Helper()
	r := e.call(apiPath+"/paymentstatus/"+testDev, `{"session_id":"`+sid+`","order_id":`+strconv.Itoa(orderID)+`}`)
	if r.status != http.StatusOK {
		e.t.Fatalf("payment status: %v", r)
	}
	return string(r.body)
}

func gw(sid string) string { return testBase + "/gateway/" + sid }

func (e *env) get(path string) response {
	e.t.Helper()
	return e.do(http.MethodGet, path, nil, nil)
}

func (e *env) post(path string, form url.Values) response {
	e.t.Helper()
	return e.do(http.MethodPost, path, strings.NewReader(form.Encode()),
		map[string]string{"Content-Type": "application/x-www-form-urlencoded"})
}

// pay presses Pay for method on the confirm page and expects a 303.
func (e *env) pay(sid, method string) string {
	e.t.Helper()
	r := e.post(gw(sid)+"/confirm", url.Values{"method": {method}})
	if r.status != http.StatusSeeOther {
		e.t.Fatalf("pay %s: %v", method, r)
	}
	return r.header.Get("Location")
}

func knetValues(card, month, year string) url.Values {
	return url.Values{"bank": {"knet1"}, "card": {card}, "exp_month": {month}, "exp_year": {year}, "pin": {"1234"}, "action": {"submit"}}
}

func cardValues(number, month, year, csc string) url.Values {
	return url.Values{"card_number": {number}, "exp_month": {month}, "exp_year": {year}, "holder": {"Test Payer"},
		"csc": {csc}, "action": {"pay"}}
}

// finishKNET pays sid by K-Net with the given form and returns the result
// page location.
func (e *env) finishKNET(sid string, form url.Values) string {
	e.t.Helper()
	e.pay(sid, methodKNET)
	r := e.post(gw(sid)+"/knet", form)
	if r.status != http.StatusSeeOther {
		e.t.Fatalf("knet submit: %v", r)
	}
	return r.header.Get("Location")
}

// backURL reads the result page's return link (click-return).
func backURL(t *testing.T, page string) string {
	t.Helper()
	const marker = `href="`
	i := strings.Index(page, `data-testid="click-return"`)
	if i < 0 {
		t.Fatalf("no click-return in\n%s", page)
	}
	j := strings.LastIndex(page[:i], marker)
	if j < 0 {
		t.Fatalf("no href before click-return")
	}
	rest := page[j+len(marker):]
	return strings.ReplaceAll(rest[:strings.Index(rest, `"`)], "&amp;", "&")
}
