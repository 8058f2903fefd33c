package knet

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bawaba/checkout/sandbox/internal/simtest"
)

const testBase = "/sandbox/knet"

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

type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func (l *lockedWriter) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return fmt.Sprint(l.w)
}

// notification is one POST the merchant's responseURL received.
type notification struct {
	contentType string
	form        url.Values
	fields      url.Values // decrypted trandata
	plain       string
}

// reply is what the merchant's responseURL answers.
type reply struct {
	status int
	body   string
	delay  time.Duration
}

// merchant is the shop's side: responseURL (/notify), errorURL (/error).
type merchant struct {
	srv     *httptest.Server
	calls   chan notification
	respond func(n notification) reply
	count   atomic.Int32
}

// env is a simulator mounted at testBase on a test server, with a merchant.
type env struct {
	t        *testing.T
	sim      *Simulator
	srv      *httptest.Server
	clock    *clock
	logs     *lockedWriter
	client   *http.Client // does not follow redirects
	merchant *merchant
	seq      int
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
		logs:   &lockedWriter{w: &bytes.Buffer{}},
		client: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
	}
	m := &merchant{calls: make(chan notification, 100)}
	m.respond = func(notification) reply { return reply{200, "REDIRECT=https://shop.example/receipt/ORD1\n", 0} }
	m.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		m.count.Add(1)
		body, _ := io.ReadAll(r.Body)
		n := notification{contentType: r.Header.Get("Content-Type")}
		n.form, _ = url.ParseQuery(string(body))
		if plain, err := decryptTrandata([]byte(SandboxResourceKey), n.form.Get("trandata")); err == nil {
			n.plain = plain
			n.fields, _ = url.ParseQuery(plain)
		}
		m.calls <- n
		rep := m.respond(n)
		if rep.delay > 0 {
			select {
			case <-time.After(rep.delay):
			case <-r.Context().Done():
				return
			}
		}
		w.WriteHeader(rep.status)
		_, _ = io.WriteString(w, rep.body)
	}))
	t.Cleanup(m.srv.Close)
	e.merchant = m
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

// do sends a request and returns the status, body and headers.
func (e *env) do(method, path string, body io.Reader, contentType string) (int, string, http.Header) {
	e.t.Helper()
	if !strings.HasPrefix(path, "http") {
		path = e.srv.URL + path
	}
	req, err := http.NewRequest(method, path, body)
	if err != nil {
		e.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
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
	return resp.StatusCode, string(b), resp.Header
}

// params is a paymentInit parameter set in the PHP kit's order (spec §3.1).
type params [][2]string

func (e *env) defaultParams() params {
	e.seq++
	return params{
		{"id", SandboxTranportalID}, {"password", SandboxTranportalPassword}, {"action", "1"},
		{"langid", "USA"}, {"currencycode", "414"}, {"amt", "6.000"},
		{"responseURL", e.merchant.srv.URL + "/notify"}, {"errorURL", e.merchant.srv.URL + "/error"},
		{"trackid", fmt.Sprintf("ORD%d", 1000+e.seq)},
		{"udf1", "att1"}, {"udf2", ""}, {"udf3", ""}, {"udf4", ""}, {"udf5", ""},
	}
}

// with returns p with key set to value (appended when absent); drop removes key.
func (p params) with(key, value string) params {
	out := append(params{}, p...)
	for i := range out {
		if out[i][0] == key {
			out[i][1] = value
			return out
		}
	}
	return append(out, [2]string{key, value})
}

func (p params) drop(key string) params {
	var out params
	for _, kv := range p {
		if kv[0] != key {
			out = append(out, kv)
		}
	}
	return out
}

func (p params) get(key string) string {
	for _, kv := range p {
		if kv[0] == key {
			return kv[1]
		}
	}
	return ""
}

// plain joins the parameters unencoded, as KNET's kit does.
func (p params) plain() string {
	parts := make([]string, len(p))
	for i, kv := range p {
		parts[i] = kv[0] + "=" + kv[1]
	}
	return strings.Join(parts, "&")
}

// initPath is the merchant's redirect URL (spec §3.3) for p.
func (e *env) initPath(p params) string {
	e.t.Helper()
	td, err := encryptTrandata([]byte(SandboxResourceKey), p.plain())
	if err != nil {
		e.t.Fatal(err)
	}
	return testBase + "/kpg/PaymentHTTP.htm?param=paymentInit&trandata=" + td +
		"&tranportalId=" + SandboxTranportalID + "&responseURL=" + p.get("responseURL") + "&errorURL=" + p.get("errorURL")
}

// start runs paymentInit and returns the PaymentID.
func (e *env) start(p params) string {
	e.t.Helper()
	status, body, hdr := e.do(http.MethodGet, e.initPath(p), nil, "")
	if status != http.StatusFound {
		e.t.Fatalf("paymentInit: status %d, Location %q: %s", status, hdr.Get("Location"), body)
	}
	u, err := url.Parse(hdr.Get("Location"))
	if err != nil || u.Path != testBase+"/kpg/paymentpage.htm" || !strings.HasPrefix(hdr.Get("Location"), e.srv.URL) {
		e.t.Fatalf("paymentInit: Location %q", hdr.Get("Location"))
	}
	return u.Query().Get("PaymentID")
}

func (e *env) pagePath(pid string) string {
	return testBase + "/kpg/paymentpage.htm?PaymentID=" + pid
}

// post posts the payment page form.
func (e *env) post(form url.Values) (int, string, http.Header) {
	e.t.Helper()
	return e.do(http.MethodPost, testBase+"/kpg/paymentpage.htm", strings.NewReader(form.Encode()), "application/x-www-form-urlencoded")
}

func cardForm4(pid, card, month, year, pin string) url.Values {
	return url.Values{
		"PaymentID": {pid}, "bank": {"knet1"}, "card": {card}, "exp_month": {month},
		"exp_year": {year}, "pin": {pin}, "action": {"submit"},
	}
}

// submit posts valid card details and expects the confirmation page.
func (e *env) submit(pid, card, month, year string) {
	e.t.Helper()
	status, body, hdr := e.post(cardForm4(pid, card, month, year, "1234"))
	if status != http.StatusSeeOther || !strings.Contains(hdr.Get("Location"), "PaymentID="+pid) {
		e.t.Fatalf("submit: status %d, Location %q: %s", status, hdr.Get("Location"), body)
	}
	_, page, _ := e.do(http.MethodGet, e.pagePath(pid), nil, "")
	if !strings.Contains(page, `data-testid="knet-confirm"`) {
		e.t.Fatalf("no confirmation page after submit: %s", page)
	}
}

// action posts one of the buttons (confirm, back, cancel).
func (e *env) action(pid, action string) (int, string, http.Header) {
	e.t.Helper()
	return e.post(url.Values{"PaymentID": {pid}, "action": {action}})
}

// pay starts a payment, submits card and expiry, confirms; it returns the
// confirm response and the PaymentID.
func (e *env) pay(p params, card, month, year string) (pid string, status int, body string, hdr http.Header) {
	e.t.Helper()
	pid = e.start(p)
	e.submit(pid, card, month, year)
	status, body, hdr = e.action(pid, "confirm")
	return pid, status, body, hdr
}

// next waits for the next notification.
func (m *merchant) next(t *testing.T) notification {
	t.Helper()
	select {
	case n := <-m.calls:
		return n
	case <-time.After(5 * time.Second):
		t.Fatal("no notification received")
		return notification{}
	}
}

// idle waits until the simulator has no handshake in flight (its WaitGroup), so that what it
// sent has arrived: the merchant queues each call before answering it.
func (e *env) idle() {
	e.t.Helper()
	simtest.Idle(e.t, e.sim.bg.Wait)
}

// none checks that no notification was sent: once the simulator is idle, nothing more comes.
func (e *env) none() {
	e.t.Helper()
	e.idle()
	select {
	case n := <-e.merchant.calls:
		e.t.Fatalf("unexpected notification: %s", n.plain)
	default:
	}
}

// xmlResult is a tranPipe answer, read independently of the simulator's parser.
type xmlResult map[string]string

func (e *env) tranPipe(body string) xmlResult {
	e.t.Helper()
	status, resp, _ := e.do(http.MethodPost, testBase+"/kpg/tranPipe.htm?param=tranInit&", strings.NewReader(body), "application/xml")
	if status != http.StatusOK {
		e.t.Fatalf("tranPipe: status %d: %s", status, resp)
	}
	return decodeXML(e.t, resp)
}

func decodeXML(t *testing.T, s string) xmlResult {
	t.Helper()
	var doc struct {
		Items []struct {
			XMLName xml.Name
			Value   string `xml:",chardata"`
		} `xml:",any"`
	}
	if err := xml.Unmarshal([]byte("<root>"+s+"</root>"), &doc); err != nil {
		t.Fatalf("answer %q: %v", s, err)
	}
	m := xmlResult{"_raw": s}
	for _, it := range doc.Items {
		m[it.XMLName.Local] = it.Value
	}
	return m
}

// inquiryXML is the manual's root-less inquiry body.
func inquiryXML(action, transid, amt, trackid, udf5 string) string {
	return "<id>" + SandboxTranportalID + "</id><password>" + SandboxTranportalPassword + "</password><action>" + action +
		"</action><amt>" + amt + "</amt><transid>" + transid + "</transid><trackid>" + trackid + "</trackid><udf5>" + udf5 + "</udf5>"
}

// inquire asks for trackid by track id.
func (e *env) inquire(trackid, amt string) xmlResult {
	e.t.Helper()
	return e.tranPipe(inquiryXML("8", trackid, amt, trackid, "TrackID"))
}
