package kpay

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/money"
)

// Test credentials: fake keys and MIDs in the shapes of spec §1.5.
const (
	testSecret = "skey_test_9fQ2mZt7Lx4RbW8nKc3VhJ6pYd1sGa5E"
	testPublic = "pkey_test_20923L43S4RABbtwVoM1zsopFCYzyZnyMwFsn"
	testMID    = "401001001001001"
	testDCCMID = "451111111111001"
	// specSecret is the secret key of the spec's worked checksum example (§6.2).
	specSecret = "skey_prod_41Bbw6At8dJjVyKV3ZaXghhLpRro5oAtR"
)

// testAttemptID is an attempt id in our format ("att_" + 22 base62 characters) and testRef
// the reference_order derived from it.
const (
	testAttemptID = "att_3hT9xQ2LmN8pR4sV6wY1zA"
	testRef       = "att3hT9xQ2LmN8pR4sV6wY1zA"
)

// recorded is one request the fake received.
type recorded struct {
	Method string
	Path   string
	Header http.Header
	Body   []byte
}

// answer is the fake's canned reply to one route.
type answer struct {
	status int
	body   string
}

// fakeKPay is a minimal K-Payment Gateway REST API written from shared/spec/kpay.md §4: every
// call must carry the secret key in x-api-key (else 401 authentication_failure, §9.3.1);
// routes answer what the test set with on; anything else answers 404 charge_id_not_exist.
type fakeKPay struct {
	t   *testing.T
	srv *httptest.Server

	mu       sync.Mutex
	routes   map[string]answer
	requests []recorded
}

func newFake(t *testing.T) *fakeKPay {
	t.Helper()
	f := &fakeKPay{t: t, routes: map[string]answer{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

// base is the simulator-style base URL of both the UI and the API.
func (f *fakeKPay) base() string { return f.srv.URL + "/sandbox/kpay" }

// gateway returns a connector pointed at the fake; edit tweaks its configuration.
func (f *fakeKPay) gateway(edit ...func(*Config)) *Gateway {
	cfg := Config{
		UIBaseURL: f.base(), PublicKey: testPublic, SecretKey: testSecret,
		MID: testMID, DCCMID: testDCCMID, ShopName: "Bawaba Test Shop", HTTPClient: f.srv.Client(),
	}
	for _, e := range edit {
		e(&cfg)
	}
	g := New(cfg)
	g.now = func() time.Time { return fixedNow }
	return g
}

// fixedNow is the tests' clock.
var fixedNow = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

// on sets the answer to "METHOD /path" (the path below /sandbox/kpay).
func (f *fakeKPay) on(method, path string, status int, body string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.routes[method+" "+path] = answer{status, body}
}

func (f *fakeKPay) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	defer f.mu.Unlock()
	path := strings.TrimPrefix(r.URL.Path, "/sandbox/kpay")
	f.requests = append(f.requests, recorded{Method: r.Method, Path: path, Header: r.Header.Clone(), Body: body})
	w.Header().Set("Content-Type", "application/json")
	if r.Header.Get("x-api-key") != testSecret {
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"object":"error","code":"authentication_failure","message":"Failure to properly authenticate yourself in the ALL request"}`)
		return
	}
	a, ok := f.routes[r.Method+" "+path]
	if !ok {
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `{"object":"error","code":"charge_id_not_exist","message":"Charge ID does not exist or invalid"}`)
		return
	}
	w.WriteHeader(a.status)
	io.WriteString(w, a.body)
}

// calls returns the requests received, as "METHOD /path".
func (f *fakeKPay) calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]string, len(f.requests))
	for i, r := range f.requests {
		out[i] = r.Method + " " + r.Path
	}
	return out
}

// stateChanging returns the requests that could change anything at K-Pay (every non-GET).
func (f *fakeKPay) stateChanging() []string {
	var out []string
	for _, c := range f.calls() {
		if !strings.HasPrefix(c, "GET ") {
			out = append(out, c)
		}
	}
	return out
}

// last returns the last request received.
func (f *fakeKPay) last() recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.requests) == 0 {
		f.t.Fatal("no request received")
	}
	return f.requests[len(f.requests)-1]
}

// lastJSON decodes the last request's body, keeping numbers exact.
func (f *fakeKPay) lastJSON() map[string]any {
	f.t.Helper()
	var m map[string]any
	d := json.NewDecoder(strings.NewReader(string(f.last().Body)))
	d.UseNumber()
	if err := d.Decode(&m); err != nil {
		f.t.Fatalf("request body %q: %v", f.last().Body, err)
	}
	return m
}

// chargeJSON is a charge object in the shape of spec §4.1/§4.2, with defaults overridden by
// key/raw-JSON-value pairs (a value "-" drops the key).
func chargeJSON(pairs ...string) string {
	fields := map[string]string{
		"id":                `"chrg_test_1fadecb16520513a076c2d97df"`,
		"object":            `"charge"`,
		"amount":            `200.50`,
		"currency":          `"THB"`,
		"transaction_state": `"Authorized"`,
		"source":            `{"id":"card_test_1","object":"card","brand":"visa","card_masking":"441770*****1827"}`,
		"created":           `"20220307212451000"`,
		"status":            `"success"`,
		"livemode":          `false`,
		"failure_code":      `null`,
		"failure_message":   `null`,
		"description":       `"Order"`,
		"redirect_url":      `null`,
		"approval_code":     `"000941"`,
		"reference_order":   `"` + testRef + `"`,
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] == "-" {
			delete(fields, pairs[i])
			continue
		}
		fields[pairs[i]] = pairs[i+1]
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = `"` + k + `":` + fields[k]
	}
	return "{" + strings.Join(parts, ",") + "}"
}

// testChargeID is chargeJSON's default charge id; testOrderID a QR order id.
const (
	testChargeID = "chrg_test_1fadecb16520513a076c2d97df"
	testOrderID  = "order_test_1927d35fb9b9cf943a19963e5387678db60"
)

// qrChargeJSON is a QR charge (spec §4.8.1) of testOrderID.
func qrChargeJSON(pairs ...string) string {
	return chargeJSON(append([]string{
		"id", `"chrg_test_192f3dac0c01a3048a19678d13c180e2d21"`,
		"order_id", `"` + testOrderID + `"`,
		"source", `{"id":"qr_test_192840aaed9a01a402893fc99026cee5021","object":"qr","brand":"ThaiQR"}`,
		"approval_code", "-",
	}, pairs...)...)
}

const testQRChargeID = "chrg_test_192f3dac0c01a3048a19678d13c180e2d21"

// attempt returns a 200.50 THB attempt of method.
func attempt(method string) gateway.Attempt {
	return gateway.Attempt{
		ID:          testAttemptID,
		OrderID:     "ord_7pQ2xL9mN4rT6vY8zB1cD3",
		Reference:   "INV-1001",
		Method:      method,
		Amount:      money.MustParse("200.50", "THB"),
		Description: "Two ceramic cups",
		Locale:      "en",
		ReturnURL:   "https://checkout.example/return/kpay/" + testAttemptID,
		WebhookURL:  "https://checkout.example/webhooks/kpay",
		ExpiresAt:   fixedNow.Add(30 * time.Minute),
	}
}
