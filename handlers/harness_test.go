package handlers_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"html"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/bawaba/checkout/api"
	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/gateway/kpay"
	"github.com/bawaba/checkout/gateway/tap"
	"github.com/bawaba/checkout/handlers"
	"github.com/bawaba/checkout/internal/dbtest"
	"github.com/bawaba/checkout/metrics"
	"github.com/bawaba/checkout/order"
	kpaysim "github.com/bawaba/checkout/sandbox/kpay"
	taptest "github.com/bawaba/checkout/sandbox/tap"
	"github.com/bawaba/checkout/store"
)

// sandboxTapKey is the Tap sandbox secret key, as cmd/checkout uses it.
const sandboxTapKey = "sk_test_EXAMPLEKEY0000000000"

// testReturnSecret signs the shopper's way back to the shop in these tests.
const testReturnSecret = "test-return-secret"

// env is the whole checkout wired as cmd/checkout's serve wires it in sandbox mode: a temp
// SQLite, the Tap connector talking over real HTTP to the Tap simulator mounted under
// /sandbox/tap of the same fiber app, served on a 127.0.0.1 listener.
type env struct {
	t      testing.TB
	base   string // http://127.0.0.1:PORT
	db     *store.DB
	svc    *order.Service
	sim    *taptest.Simulator
	apiKey string
	// client follows no redirects and keeps no cookies: for the API and single requests.
	client *http.Client
	// transports are closed before the server shuts down, so that no idle keep-alive
	// connection holds the shutdown up.
	mu         sync.Mutex
	transports []*http.Transport
}

func (e *env) transport() *http.Transport {
	tr := &http.Transport{MaxIdleConnsPerHost: 256}
	e.mu.Lock()
	e.transports = append(e.transports, tr)
	e.mu.Unlock()
	return tr
}

type envConfig struct {
	// holdSimWebhooks makes the simulator's own webhook deliveries fail (they are retried in
	// the background until Close), so that a test decides which notification arrives first.
	holdSimWebhooks bool
	// now is the order service's clock; nil: time.Now.
	now func() time.Time
	// metrics, when set, is wired as cmd/checkout wires it (registry, service, dispatcher aside).
	metrics      *metrics.Metrics
	metricsToken string
	// noShopper leaves the shopper pages out (Deps.Shopper nil).
	noShopper bool
	// wrapConnector, when set, wraps the Tap connector's transport (to lose answers).
	wrapConnector func(http.RoundTripper) http.RoundTripper
	// log, when set, is every component's logger (else testLogger).
	log *slog.Logger
	// kpay adds K-Pay for cards and Thai QR in THB, against its simulator under /sandbox/kpay.
	kpay bool
}

type envOption func(*envConfig)

func holdSimWebhooks() envOption { return func(c *envConfig) { c.holdSimWebhooks = true } }

func withClock(now func() time.Time) envOption { return func(c *envConfig) { c.now = now } }

func withLogger(l *slog.Logger) envOption { return func(c *envConfig) { c.log = l } }

func withKPay() envOption { return func(c *envConfig) { c.kpay = true } }

func withoutShopperPages() envOption { return func(c *envConfig) { c.noShopper = true } }

func withConnectorTransport(wrap func(http.RoundTripper) http.RoundTripper) envOption {
	return func(c *envConfig) { c.wrapConnector = wrap }
}

func withMetrics(m *metrics.Metrics, token string) envOption {
	return func(c *envConfig) { c.metrics, c.metricsToken = m, token }
}

// testClock is a clock a test moves by hand.
type testClock struct {
	mu sync.Mutex
	d  time.Duration
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.d)
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.d += d
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func testLogger() *slog.Logger {
	if os.Getenv("BAWABA_TEST_LOG") != "" {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}

func newEnv(t testing.TB, opts ...envOption) *env {
	t.Helper()
	var cfg envConfig
	for _, o := range opts {
		o(&cfg)
	}
	ctx := context.Background()
	log := testLogger()
	if cfg.log != nil {
		log = cfg.log
	}

	db, err := store.Open(ctx, dbtest.DB(t))
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() { db.Close() })

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	base := "http://" + ln.Addr().String()
	e := &env{t: t, base: base, db: db}

	// The simulator and the connector get their own transports (otherwise as cmd/checkout
	// builds them), so that cleanup can close their idle connections to the server.
	simCfg := taptest.Config{BasePath: "/sandbox/tap", PublicURL: base + "/sandbox/tap", SecretKey: sandboxTapKey, Logger: log,
		HTTPClient: &http.Client{
			Timeout:       10 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
			Transport:     e.transport(),
		}}
	if cfg.holdSimWebhooks {
		simCfg.HTTPClient = &http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) {
			return nil, errors.New("held by the test")
		})}
	}
	e.sim = taptest.New(simCfg)

	registry := gateway.NewRegistry()
	var connTransport http.RoundTripper = e.transport()
	if cfg.wrapConnector != nil {
		connTransport = cfg.wrapConnector(connTransport)
	}
	connector := tap.New(tap.Config{BaseURL: base + "/sandbox/tap", SecretKey: sandboxTapKey,
		HTTPClient: &http.Client{Timeout: 15 * time.Second, Transport: connTransport}})
	if err := registry.Register(connector, gateway.MethodKNET); err != nil {
		t.Fatalf("register tap: %v", err)
	}
	simulators := map[string]http.Handler{"/sandbox/tap": e.sim}
	if cfg.kpay {
		ksim := kpaysim.New(kpaysim.Config{BasePath: "/sandbox/kpay", PublicURL: base + "/sandbox/kpay", Logger: log,
			NotifyURL: base + "/webhooks/kpay", CallbackURL: base + "/return/kpay"})
		t.Cleanup(ksim.Close)
		simulators["/sandbox/kpay"] = ksim
		kc := kpay.New(kpay.Config{UIBaseURL: base + "/sandbox/kpay", PublicKey: kpaysim.SandboxPublicKey, SecretKey: kpaysim.SandboxSecretKey,
			MID: kpaysim.SandboxMID, HTTPClient: &http.Client{Timeout: 15 * time.Second, Transport: e.transport()}})
		if err := registry.Register(kc, gateway.MethodCard, gateway.MethodThaiQR); err != nil {
			t.Fatalf("register kpay: %v", err)
		}
	}
	var observer order.Observer
	if cfg.metrics != nil {
		registry.Observe(cfg.metrics.GatewayCall)
		observer = cfg.metrics
	}
	views := api.Views{BaseURL: base, Gateways: registry, Now: cfg.now}
	e.svc = order.NewService(db, registry, order.Config{
		BaseURL: base, DefaultWebhookURL: "https://shop.example/bawaba-webhooks", Events: views, Logger: log, Now: cfg.now,
		Observer: observer,
	})
	shopper, err := handlers.NewShopper(ctx, handlers.ShopperConfig{
		MerchantName: "Test Shop", BaseURL: base, ReturnSecret: testReturnSecret, Sandbox: true, Secrets: db,
	})
	if err != nil {
		t.Fatalf("NewShopper: %v", err)
	}
	if cfg.noShopper {
		shopper = nil
	}
	app := handlers.New(handlers.Deps{
		Orders: e.svc, Views: views, Keys: db, DB: db, Logger: log, Version: "test", Sandbox: true,
		Simulators: simulators, Shopper: shopper,
		Metrics: cfg.metrics, MetricsToken: cfg.metricsToken,
	})
	if _, e.apiKey, err = db.CreateAPIKey(ctx, "test key"); err != nil {
		t.Fatalf("CreateAPIKey: %v", err)
	}
	e.client = &http.Client{
		Timeout:       30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		// Every API answer is validated against api/openapi.json (openapi_test.go).
		Transport: validatingTransport{t: t, next: e.transport()},
	}

	served := make(chan error, 1)
	go func() { served <- app.Listener(ln) }()
	t.Cleanup(func() {
		e.sim.Close() // stops the simulator's webhook deliveries first
		e.mu.Lock()
		for _, tr := range e.transports {
			tr.CloseIdleConnections()
		}
		e.mu.Unlock()
		if err := app.ShutdownWithTimeout(5 * time.Second); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		<-served
	})

	return e
}

// response is a finished HTTP exchange.
type response struct {
	*http.Response
	body []byte
}

func (r *response) text() string { return string(r.body) }

// location is the Location header resolved against the request URL.
func (r *response) location(t testing.TB) string {
	t.Helper()
	loc, err := r.Location()
	if err != nil {
		t.Fatalf("%s %s: no Location (status %d): %s", r.Request.Method, r.Request.URL, r.StatusCode, clip(r.body))
	}
	return loc.String()
}

func clip(b []byte) string {
	if len(b) > 2000 {
		return string(b[:2000]) + "…"
	}
	return string(b)
}

// do sends one request with client c (nil: e.client) and reads the whole answer.
func (e *env) do(c *http.Client, method, target string, header map[string]string, body string) *response {
	e.t.Helper()
	if c == nil {
		c = e.client
	}
	if strings.HasPrefix(target, "/") {
		target = e.base + target
	}
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, target, rd)
	if err != nil {
		e.t.Fatalf("new request: %v", err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := c.Do(req)
	if err != nil {
		e.t.Fatalf("%s %s: %v", method, target, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		e.t.Fatalf("%s %s: read body: %v", method, target, err)
	}
	return &response{Response: res, body: b}
}

// api sends an authenticated JSON request to the merchant API.
func (e *env) api(method, path, body string, extra map[string]string) *response {
	e.t.Helper()
	h := map[string]string{"Authorization": "Bearer " + e.apiKey}
	if body != "" {
		h["Content-Type"] = "application/json"
	}
	for k, v := range extra {
		h[k] = v
	}
	return e.do(nil, method, path, h, body)
}

// orderBody is a valid create-order body for a KWD amount.
func orderBody(ref, amount string) string {
	return `{"amount":"` + amount + `","currency":"KWD","reference":"` + ref + `","description":"Arabic coffee set",` +
		`"items":[{"name":"Arabic coffee set","quantity":1,"unit_amount":"` + amount + `"}],` +
		`"return_url":"https://shop.example/return?cart=42"}`
}

// createOrder creates a 6.000 KWD order through the API and returns its view.
func (e *env) createOrder(ref string) api.OrderView {
	e.t.Helper()
	res := e.api("POST", "/api/v1/orders", orderBody(ref, "6.000"), nil)
	if res.StatusCode != http.StatusCreated {
		e.t.Fatalf("create order: %d %s", res.StatusCode, res.body)
	}
	var v api.OrderView
	if err := json.Unmarshal(res.body, &v); err != nil {
		e.t.Fatalf("create order: %v", err)
	}
	return v
}

// getOrder reads an order through the API.
func (e *env) getOrder(id string) api.OrderView {
	e.t.Helper()
	res := e.api("GET", "/api/v1/orders/"+id, "", nil)
	if res.StatusCode != http.StatusOK {
		e.t.Fatalf("get order %s: %d %s", id, res.StatusCode, res.body)
	}
	var v api.OrderView
	if err := json.Unmarshal(res.body, &v); err != nil {
		e.t.Fatalf("get order: %v", err)
	}
	return v
}

// countByReference counts the orders with a reference, through the API.
func (e *env) countByReference(ref string) int {
	e.t.Helper()
	res := e.api("GET", "/api/v1/orders?reference="+url.QueryEscape(ref), "", nil)
	if res.StatusCode != http.StatusOK {
		e.t.Fatalf("list orders: %d %s", res.StatusCode, res.body)
	}
	var list struct {
		Object string          `json:"object"`
		Data   []api.OrderView `json:"data"`
	}
	if err := json.Unmarshal(res.body, &list); err != nil {
		e.t.Fatalf("list orders: %v", err)
	}
	return len(list.Data)
}

// browser is a shopper's browser: cookies kept, redirects not followed.
func (e *env) browser() *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return &http.Client{
		Jar: jar, Timeout: 30 * time.Second, Transport: e.transport(),
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

func (e *env) get(c *http.Client, target string) *response {
	e.t.Helper()
	return e.do(c, "GET", target, nil, "")
}

func (e *env) postForm(c *http.Client, target string, form url.Values) *response {
	e.t.Helper()
	return e.do(c, "POST", target, map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, form.Encode())
}

// expectStatus fails the test when res does not have the status.
func expectStatus(t testing.TB, res *response, want int) {
	t.Helper()
	if res.StatusCode != want {
		t.Fatalf("%s %s: status %d, want %d; body: %s", res.Request.Method, res.Request.URL, res.StatusCode, want, clip(res.body))
	}
}

// expectRedirect checks for a 303 and returns the resolved Location.
func expectRedirect(t testing.TB, res *response) string {
	t.Helper()
	expectStatus(t, res, http.StatusSeeOther)
	return res.location(t)
}

var inputRE = regexp.MustCompile(`<input[^>]*>`)
var attrRE = regexp.MustCompile(`([a-zA-Z_:-]+)="([^"]*)"`)

// inputValue returns the value of the <input name=name> in page, or fails.
func inputValue(t testing.TB, page []byte, name string) string {
	t.Helper()
	for _, tag := range inputRE.FindAll(page, -1) {
		attrs := map[string]string{}
		for _, m := range attrRE.FindAllSubmatch(tag, -1) {
			attrs[string(m[1])] = html.UnescapeString(string(m[2]))
		}
		if attrs["name"] == name {
			return attrs["value"]
		}
	}
	t.Fatalf("no <input name=%q> in page: %s", name, clip(page))
	return ""
}

var orderStatusRE = regexp.MustCompile(`<[^>]*data-testid="order-status"[^>]*>`)

// shopperStatus returns the data-status of the result page's order-status element.
func shopperStatus(t testing.TB, page []byte) string {
	t.Helper()
	tag := orderStatusRE.Find(page)
	if tag == nil {
		t.Fatalf("no data-testid=\"order-status\" in page: %s", clip(page))
	}
	m := regexp.MustCompile(`data-status="([^"]*)"`).FindSubmatch(tag)
	if m == nil {
		t.Fatalf("order-status without data-status: %s", tag)
	}
	return string(m[1])
}

// hrefOf returns the (unescaped) href of the first element with data-testid=testid.
func hrefOf(t testing.TB, page []byte, testid string) string {
	t.Helper()
	re := regexp.MustCompile(`<a[^>]*data-testid="` + regexp.QuoteMeta(testid) + `"[^>]*>`)
	tag := re.Find(page)
	if tag == nil {
		t.Fatalf("no link data-testid=%q in page: %s", testid, clip(page))
	}
	m := regexp.MustCompile(`href="([^"]*)"`).FindSubmatch(tag)
	if m == nil {
		t.Fatalf("link %q has no href: %s", testid, tag)
	}
	return html.UnescapeString(string(m[1]))
}

// checkout is one shopper's way through the pages up to the gateway.
type checkout struct {
	orderID string
	browser *http.Client
	simURL  string // where POST /pay/{id}/confirm sent the shopper
}

// startPayment walks a fresh browser from /pay/{id} to the Tap simulator's page and returns
// the simulator URL the confirmation redirected to.
func (e *env) startPayment(orderID string, b *http.Client) checkout {
	e.t.Helper()
	if b == nil {
		b = e.browser()
	}
	expectStatus(e.t, e.get(b, "/pay/"+orderID), http.StatusOK)
	conf := e.get(b, "/pay/"+orderID+"/confirm?method=knet")
	expectStatus(e.t, conf, http.StatusOK)
	csrf := inputValue(e.t, conf.body, "csrf")
	res := e.postForm(b, "/pay/"+orderID+"/confirm", url.Values{"csrf": {csrf}, "method": {"knet"}})
	loc := expectRedirect(e.t, res)
	if !strings.HasPrefix(loc, e.base+"/sandbox/tap/knet/pay?") {
		e.t.Fatalf("confirm sent the shopper to %q, want the Tap simulator's KNET page", loc)
	}
	return checkout{orderID: orderID, browser: b, simURL: loc}
}

// knetForm is the simulator's KNET page form as a shopper fills it.
func knetForm(chg, action, expYear string) url.Values {
	return url.Values{
		"chg": {chg}, "lang": {"en"}, "bank": {"knet1"}, "card": {"8888880000000001"},
		"exp_month": {"09"}, "exp_year": {expYear}, "pin": {"1234"}, "action": {action},
	}
}

// payAtSimulator opens the simulator page, submits its form and returns the return URL the
// simulator redirected to (not followed).
func (e *env) payAtSimulator(co checkout, action, expYear string) string {
	e.t.Helper()
	page := e.get(co.browser, co.simURL)
	expectStatus(e.t, page, http.StatusOK)
	chg := inputValue(e.t, page.body, "chg")
	res := e.postForm(co.browser, e.base+"/sandbox/tap/knet/pay", knetForm(chg, action, expYear))
	return expectRedirect(e.t, res)
}

// finish follows the return URL to the result page and returns the page and its data-status.
func (e *env) finish(co checkout, returnURL string) (*response, string) {
	e.t.Helper()
	next := expectRedirect(e.t, e.get(co.browser, returnURL))
	if want := e.base + "/pay/" + co.orderID + "/result"; next != want {
		e.t.Fatalf("return redirected to %q, want %q", next, want)
	}
	page := e.get(co.browser, next)
	expectStatus(e.t, page, http.StatusOK)
	noRawKeys(e.t, page.body)
	return page, shopperStatus(e.t, page.body)
}

var rawKeyRE = regexp.MustCompile(`>\s*((?:a11y|sandbox|footer|summary|time|pay|method|confirm|go|result|reason|receipt|status|error|demo)\.[a-z0-9_.]+)\s*<`)

// noRawKeys fails when a page shows a message key instead of its text (i18n.T shows the key
// when it is missing).
func noRawKeys(t testing.TB, page []byte) {
	t.Helper()
	if m := rawKeyRE.FindSubmatch(page); m != nil {
		t.Errorf("the page shows the raw message key %q", m[1])
	}
}

// charge returns a charge as Tap's API gives it, read from the simulator with the secret key.
func (e *env) charge(id string) []byte {
	e.t.Helper()
	res := e.do(nil, "GET", "/sandbox/tap/v2/charges/"+id, map[string]string{"Authorization": "Bearer " + sandboxTapKey}, "")
	expectStatus(e.t, res, http.StatusOK)
	return res.body
}

// tapHashstring computes Tap's webhook hashstring over a charge's JSON, per
// shared/spec/tap.md §6, independently of the connector and the simulator.
func tapHashstring(t *testing.T, key string, chargeJSON []byte) string {
	t.Helper()
	var c struct {
		ID        string      `json:"id"`
		Amount    json.Number `json:"amount"`
		Currency  string      `json:"currency"`
		Status    string      `json:"status"`
		Reference struct {
			Gateway json.RawMessage `json:"gateway"`
			Payment json.RawMessage `json:"payment"`
		} `json:"reference"`
		Transaction struct {
			Created json.RawMessage `json:"created"`
		} `json:"transaction"`
	}
	if err := json.Unmarshal(chargeJSON, &c); err != nil {
		t.Fatalf("charge JSON: %v", err)
	}
	amount, err := decimal.NewFromString(c.Amount.String())
	if err != nil {
		t.Fatalf("charge amount %q: %v", c.Amount, err)
	}
	if c.Currency != "KWD" {
		t.Fatalf("charge currency %q: this helper only knows KWD's 3 decimals", c.Currency)
	}
	msg := "x_id" + c.ID + "x_amount" + amount.StringFixed(3) + "x_currency" + c.Currency +
		"x_gateway_reference" + verbatim(c.Reference.Gateway) + "x_payment_reference" + verbatim(c.Reference.Payment) +
		"x_status" + c.Status + "x_created" + verbatim(c.Transaction.Created)
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}

// verbatim is a JSON string's text, a number's literal, or "" for null or absent.
func verbatim(raw json.RawMessage) string {
	s := strings.TrimSpace(string(raw))
	if s == "" || s == "null" {
		return ""
	}
	var str string
	if json.Unmarshal(raw, &str) == nil {
		return str
	}
	return s
}

// postWebhook posts a Tap webhook to /webhooks/tap.
func (e *env) postWebhook(body []byte, hashstring string) *response {
	e.t.Helper()
	h := map[string]string{"Content-Type": "application/json"}
	if hashstring != "" {
		h["hashstring"] = hashstring
	}
	return e.do(nil, "POST", "/webhooks/tap", h, string(body))
}

// events counts an order's timeline events of a type, optionally with Data["to"] == to.
func (e *env) events(orderID, typ, to string) int {
	e.t.Helper()
	evs, err := e.svc.Events(context.Background(), orderID)
	if err != nil {
		e.t.Fatalf("events: %v", err)
	}
	n := 0
	for _, ev := range evs {
		if ev.Type == typ && (to == "" || ev.Data["to"] == to) {
			n++
		}
	}
	return n
}

// outbox counts an order's merchant webhook messages of a type.
func (e *env) outbox(orderID, typ string) int {
	e.t.Helper()
	msgs, err := e.db.OutboxFor(context.Background(), orderID)
	if err != nil {
		e.t.Fatalf("outbox: %v", err)
	}
	n := 0
	for _, m := range msgs {
		if m.Type == typ {
			n++
		}
	}
	return n
}
