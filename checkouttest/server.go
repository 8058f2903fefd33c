// Package checkouttest is Bawaba's kit for QA suites written with playwright-go: it starts the
// real server in sandbox mode on a free port with a temporary database, creates orders through
// the API, receives and verifies the merchant webhooks, and drives every simulated gateway page
// to an outcome (Paid, Declined, Cancelled, Pending).
//
//	srv := checkouttest.Start(t)
//	hooks := checkouttest.NewWebhooks(t, srv.WebhookSecret)
//	o := srv.CreateOrder(t, checkouttest.KWD("6.000", hooks.URL))
//	must(checkouttest.GoToGateway(page, o.CheckoutURL, "knet", "ar"))
//	must(checkouttest.PayWithKNET(page, checkouttest.Paid))
//	ev := hooks.Wait(t, o.ID, "order.paid", 20*time.Second)
//
// The project's own e2e suite (e2e/) uses it, so it stays true. The server is the binary built
// from this module (go build github.com/bawaba/checkout/cmd/checkout, once per test process), or
// the one named by BAWABA_BINARY or the Binary option.
package checkouttest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// DefaultWebhookSecret signs the webhooks of servers started by Start (CHECKOUT_WEBHOOK_SECRET).
const DefaultWebhookSecret = "whsec_checkouttest_secret"

// Server is one running `checkout serve` in sandbox mode with its own empty database.
type Server struct {
	BaseURL       string // http://127.0.0.1:PORT
	APIKey        string // the sandbox demo API key the server printed on its first start
	WebhookSecret string // signs its merchant webhooks
	DBPath        string // its SQLite file
	Env           []string

	out *syncBuffer // stdout and stderr
	log *syncBuffer // stderr: the log

	exited  chan struct{} // closed when the process has ended
	waitErr error         // how it ended, once exited is closed
}

// Exited is closed once the server process has ended: stopped at the test's end, or killed
// (a crash test's CHECKOUT_FAULT point).
func (s *Server) Exited() <-chan struct{} { return s.exited }

// Output is everything the server printed so far (stdout and stderr).
func (s *Server) Output() string { return s.out.String() }

// Log is the server's log so far (stderr).
func (s *Server) Log() string { return s.log.String() }

// Option changes how Start runs the server.
type Option func(*options)

type options struct {
	env    []string
	binary string
	plain  bool
	db     string
}

// Database runs the server on that SQLite file instead of a fresh one: to restart a server on
// the database (and the simulators' state beside it) of one that stopped or crashed. Start
// another server on its DBPath only once it has Exited.
func Database(path string) Option { return func(o *options) { o.db = path } }

// Plain runs the server with the binary's own defaults for its workers (every 5 s, first
// re-check after 1 min) and no fixed webhook secret: one is generated in the database, and
// WebhookSecret stays "" unless Env sets CHECKOUT_WEBHOOK_SECRET. For tests of those defaults.
func Plain() Option { return func(o *options) { o.plain = true } }

// Env adds settings ("CHECKOUT_KNET_GATEWAY=adyen"); they override Start's defaults.
func Env(kv ...string) Option { return func(o *options) { o.env = append(o.env, kv...) } }

// Binary runs that checkout binary instead of building one.
func Binary(path string) Option { return func(o *options) { o.binary = path } }

// Start runs the server in sandbox mode on a free 127.0.0.1 port with a database in
// t.TempDir(), waits until GET /healthz answers 200, and stops it when the test ends. Its
// workers run every 200 ms and pending payments are re-checked after 1 s, so that webhooks and
// settlements come quickly; it logs at debug level.
func Start(t testing.TB, opts ...Option) *Server {
	t.Helper()
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	bin := o.binary
	if bin == "" {
		bin = os.Getenv("BAWABA_BINARY")
	}
	if bin == "" {
		var err error
		if bin, err = buildBinary(); err != nil {
			t.Fatalf("checkouttest: %v", err)
		}
	}
	dbPath := o.db
	if dbPath == "" {
		dbPath = filepath.Join(t.TempDir(), "checkout.db")
	}
	// A port picked free may be taken before the server binds it: try a few times.
	for attempt := 1; ; attempt++ {
		s, err := tryStart(t, bin, dbPath, o)
		if err == nil {
			return s
		}
		if attempt == 3 || !strings.Contains(s.Output(), "address already in use") {
			t.Fatalf("checkouttest: server did not start: %v\n--- server output ---\n%s", err, s.Output())
		}
	}
}

var build struct {
	once sync.Once
	path string
	err  error
}

// buildBinary builds cmd/checkout once per process into a temporary folder.
func buildBinary() (string, error) {
	build.once.Do(func() {
		dir, err := os.MkdirTemp("", "checkouttest-bin-")
		if err != nil {
			build.err = err
			return
		}
		build.path = filepath.Join(dir, "checkout")
		out, err := exec.Command("go", "build", "-o", build.path, "github.com/bawaba/checkout/cmd/checkout").CombinedOutput()
		if err != nil {
			build.err = fmt.Errorf("go build github.com/bawaba/checkout/cmd/checkout: %v\n%s", err, out)
		}
	})
	return build.path, build.err
}

var demoKeyRE = regexp.MustCompile(`Authorization: Bearer ([A-Za-z0-9_]+)`)

func tryStart(t testing.TB, bin, dbPath string, o options) (*Server, error) {
	s := &Server{out: &syncBuffer{}, log: &syncBuffer{}, DBPath: dbPath, exited: make(chan struct{})}
	port, err := freePort()
	if err != nil {
		return s, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	s.BaseURL = "http://" + addr
	s.Env = append(environWithout("CHECKOUT_"),
		"CHECKOUT_MODE=sandbox",
		"CHECKOUT_ADDR="+addr,
		"CHECKOUT_BASE_URL="+s.BaseURL,
		"CHECKOUT_DB="+dbPath,
		"CHECKOUT_LOG_LEVEL=debug",
	)
	if !o.plain {
		s.WebhookSecret = DefaultWebhookSecret
		s.Env = append(s.Env, "CHECKOUT_TICK=200ms", "CHECKOUT_RECONCILE_AFTER=1s", "CHECKOUT_WEBHOOK_SECRET="+DefaultWebhookSecret)
	}
	s.Env = append(s.Env, o.env...)
	for _, kv := range o.env {
		if v, ok := strings.CutPrefix(kv, "CHECKOUT_WEBHOOK_SECRET="); ok {
			s.WebhookSecret = v
		}
	}
	cmd := exec.Command(bin, "serve")
	cmd.Env = s.Env
	cmd.Stdout, cmd.Stderr = s.out, io.MultiWriter(s.out, s.log)
	if err := cmd.Start(); err != nil {
		return s, err
	}
	go func() { s.waitErr = cmd.Wait(); close(s.exited) }()
	stop := func() {
		select {
		case <-s.exited:
			return
		default:
		}
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case <-s.exited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-s.exited
		}
	}

	for deadline := time.Now().Add(30 * time.Second); ; {
		if res, err := client.Get(s.BaseURL + "/healthz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				break
			}
		}
		select {
		case <-s.exited:
			return s, fmt.Errorf("the server exited before it was healthy: %v", s.waitErr)
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			stop()
			return s, fmt.Errorf("GET %s/healthz did not answer 200 within 30s", s.BaseURL)
		}
	}
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if m := demoKeyRE.FindStringSubmatch(s.Output()); m != nil {
			s.APIKey = m[1]
			break
		}
	}
	// Registered after t.TempDir(), so the process stops before its database is removed.
	t.Cleanup(func() {
		stop()
		if t.Failed() {
			t.Logf("--- server output (%s) ---\n%s", s.BaseURL, s.Output())
		}
	})
	return s, nil
}

// client never follows redirects, so tests see them.
var client = &http.Client{
	Timeout:       15 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// Do sends a merchant API request (body as JSON when not nil) with the server's API key and
// returns the status and the body. An answer that does not follow the OpenAPI document
// (ValidateResponse) is returned with an error saying how.
func (s *Server) Do(method, path string, body any) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.BaseURL+path, rd)
	if err != nil {
		return 0, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	if s.APIKey != "" {
		req.Header.Set("Authorization", "Bearer "+s.APIKey)
	}
	res, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return res.StatusCode, b, err
	}
	if Validated(req.URL.Path) {
		if err := ValidateResponse(req, res, b); err != nil {
			return res.StatusCode, b, fmt.Errorf("checkouttest: %s %s → %d does not follow the OpenAPI document: %w", method, path, res.StatusCode, err)
		}
	}
	return res.StatusCode, b, nil
}

// Order is an order as the API returns it: the fields a QA test needs, and all of it in Raw.
type Order struct {
	ID          string         `json:"id"`
	Status      string         `json:"status"`
	Amount      string         `json:"amount"`
	Currency    string         `json:"currency"`
	Reference   string         `json:"reference"`
	CheckoutURL string         `json:"checkout_url"`
	Raw         map[string]any `json:"-"`
}

func decodeOrder(b []byte) (Order, error) {
	var o Order
	if err := json.Unmarshal(b, &o); err != nil {
		return o, err
	}
	return o, json.Unmarshal(b, &o.Raw)
}

// CreateOrder creates an order (POST /api/v1/orders) and fails the test unless it is 201.
func (s *Server) CreateOrder(t testing.TB, body map[string]any) Order {
	t.Helper()
	st, b, err := s.Do(http.MethodPost, "/api/v1/orders", body)
	if err != nil || st != http.StatusCreated {
		t.Fatalf("checkouttest: POST /api/v1/orders: %d %v\n%s", st, err, b)
	}
	o, err := decodeOrder(b)
	if err != nil {
		t.Fatalf("checkouttest: POST /api/v1/orders: %v\n%s", err, b)
	}
	return o
}

// Order reads an order (GET /api/v1/orders/{id}) and fails the test unless it is 200.
func (s *Server) Order(t testing.TB, id string) Order {
	t.Helper()
	st, b, err := s.Do(http.MethodGet, "/api/v1/orders/"+id, nil)
	if err != nil || st != http.StatusOK {
		t.Fatalf("checkouttest: GET /api/v1/orders/%s: %d %v\n%s", id, st, err, b)
	}
	o, err := decodeOrder(b)
	if err != nil {
		t.Fatalf("checkouttest: GET order: %v", err)
	}
	return o
}

// KWD is an order body of amount KWD (KNET, Click) sending its webhooks to webhookURL ("" for
// none); add or change fields before CreateOrder.
func KWD(amount, webhookURL string) map[string]any { return orderBody(amount, "KWD", webhookURL) }

// THB is an order body in THB: cards through K-Pay, Thai QR, WeChat Pay, UnionPay, Alipay.
func THB(amount, webhookURL string) map[string]any { return orderBody(amount, "THB", webhookURL) }

// IQD is an order body in IQD: cards through Al Qaseh.
func IQD(amount, webhookURL string) map[string]any { return orderBody(amount, "IQD", webhookURL) }

func orderBody(amount, currency, webhookURL string) map[string]any {
	b := map[string]any{"amount": amount, "currency": currency, "description": "QA order",
		"return_url": "https://shop.example/return"}
	if webhookURL != "" {
		b["webhook_url"] = webhookURL
	}
	return b
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// environWithout is os.Environ() minus variables with the prefix, so a developer's own
// CHECKOUT_* settings (live credentials, say) never reach a test server.
func environWithout(prefix string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, prefix) {
			env = append(env, kv)
		}
	}
	return env
}

// syncBuffer is a bytes.Buffer safe for the process's writes and the test's reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// AdvanceKPayClock moves the sandbox K-Pay simulator's clock forward by d (POST
// /sandbox/kpay/test/clock), so that what K-Pay does later happens at once: a QR code expires
// after its lifetime (CHECKOUT_SANDBOX_QR_EXPIRY), a charge or a refund settles after
// CHECKOUT_SANDBOX_SETTLE_AFTER. Wait for the effect (the reconciler's next look, a refund
// that now succeeds) rather than sleeping; Bawaba's own clock does not move.
func AdvanceKPayClock(baseURL string, d time.Duration) error {
	resp, err := http.PostForm(baseURL+"/sandbox/kpay/test/clock", url.Values{"advance": {d.String()}})
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<10))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("advance the K-Pay clock by %s: %d %s", d, resp.StatusCode, body)
	}
	return nil
}
