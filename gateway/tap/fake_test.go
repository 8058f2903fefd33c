package tap

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// testKey is a fake secret key.
const testKey = "sk_test_XKokBfNWv6FIYuTMg5sLPjhJ"

// recorded is one request the fake Tap received.
type recorded struct {
	Method string
	Path   string
	Header http.Header
	Body   []byte
}

// fakeTap is a minimal Tap Charges API written from shared/spec/tap.md §1–5: POST /v2/charges
// answers with a configured status and body; GET /v2/charges/{id} answers with the stored
// charge or 404; POST /v2/refunds answers with a refund object built from the request (see
// serveRefund); a wrong Bearer key gets 401.
type fakeTap struct {
	t   *testing.T
	srv *httptest.Server

	mu           sync.Mutex
	requests     []recorded
	createStatus int
	createBody   string
	getStatus    int // when non-zero, every GET answers this status with getBody
	getBody      string
	charges      map[string]string

	// Refunds. refundHTTP/refundBody, when set, answer verbatim; otherwise the refund of a
	// stored charge is answered with refundState and refundCode (default REFUNDED, 000).
	refundHTTP   int
	refundBody   string
	refundState  string
	refundCode   string
	refundAmount string // when set, the amount literal echoed instead of the request's
	refunds      int
	storedRefund map[string]string // GET /v2/refunds/{id}: the refund object, else 404
}

func newFakeTap(t *testing.T) *fakeTap {
	t.Helper()
	f := &fakeTap{t: t, charges: map[string]string{}, createStatus: http.StatusOK}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeTap) gateway(live bool) *Gateway {
	return New(Config{BaseURL: f.srv.URL + "/sandbox/tap", SecretKey: testKey, HTTPClient: f.srv.Client(), Live: live})
}

func (f *fakeTap) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = append(f.requests, recorded{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: body})
	w.Header().Set("Content-Type", "application/json")
	if r.Header.Get("Authorization") != "Bearer "+testKey {
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"errors":[{"code":"2107","description":"Invalid API key"}],"http_code":"401"}`)
		return
	}
	const prefix = "/sandbox/tap/v2/charges"
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/sandbox/tap/v2/refunds":
		f.serveRefund(w, body)
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/sandbox/tap/v2/refunds/"):
		rf, ok := f.storedRefund[strings.TrimPrefix(r.URL.Path, "/sandbox/tap/v2/refunds/")]
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"errors":[{"code":"1250","description":"Refund not found"}]}`)
			return
		}
		io.WriteString(w, rf)
	case r.Method == http.MethodPost && r.URL.Path == prefix:
		w.WriteHeader(f.createStatus)
		io.WriteString(w, f.createBody)
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, prefix+"/"):
		if f.getStatus != 0 {
			w.WriteHeader(f.getStatus)
			io.WriteString(w, f.getBody)
			return
		}
		c, ok := f.charges[strings.TrimPrefix(r.URL.Path, prefix+"/")]
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, `{"errors":[{"code":"1140","description":"Charge not found"}]}`)
			return
		}
		io.WriteString(w, c)
	default:
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `{"errors":[{"code":"404","description":"Not found"}]}`)
	}
}

// count returns how many requests with that method the fake received.
func (f *fakeTap) count(method string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, r := range f.requests {
		if r.Method == method {
			n++
		}
	}
	return n
}

func (f *fakeTap) last() recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.requests) == 0 {
		f.t.Fatal("no request received")
	}
	return f.requests[len(f.requests)-1]
}

func (f *fakeTap) store(c testCharge) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.charges[c.ID] = c.JSON()
}

// testCharge builds a charge object shaped like the seed's sample (spec §4).
type testCharge struct {
	ID          string
	Live        *bool // nil: no live_mode field
	Status      string
	Amount      string // JSON literal
	Currency    string
	URL         string
	Created     string // JSON value, e.g. `"1671563769240"`
	AuthID      string
	Track       string
	Payment     string
	GatewayRef  string
	Acquirer    string
	Transaction string
	Order       string
	Code        string
	Message     string
	GwMessage   string
}

func boolPtr(b bool) *bool { return &b }

// seedCharge is the seed's captured KNET charge.
func seedCharge() testCharge {
	return testCharge{
		ID: "chg_TS05A1320231018Hy56070XXXX", Live: boolPtr(false), Status: "CAPTURED",
		Amount: "0.5", Currency: "KWD", Created: `"1671563769240"`, AuthID: "B63465",
		Track: "tck_TS010920221916Hr112012834", Payment: "9720221916128348054",
		GatewayRef: "202235421476242", Acquirer: "235410001666",
		Transaction: "txn_0001", Order: "ord_0001", Code: "000", Message: "Captured", GwMessage: "CAPTURED",
	}
}

func (c testCharge) JSON() string {
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	var b strings.Builder
	fmt.Fprintf(&b, `{"id":%s,"object":"charge",`, q(c.ID))
	if c.Live != nil {
		fmt.Fprintf(&b, `"live_mode":%t,`, *c.Live)
	}
	fmt.Fprintf(&b, `"api_version":"V2","method":"POST","status":%s,`, q(c.Status))
	if c.Amount != "" {
		fmt.Fprintf(&b, `"amount":%s,`, c.Amount)
	}
	fmt.Fprintf(&b, `"currency":%s,"threeDSecure":true,"save_card":false,"description":"Test Description",`, q(c.Currency))
	b.WriteString(`"metadata":{"udf1":"test 1","udf2":"test 2"},`)
	b.WriteString(`"transaction":{"timezone":"UTC+03:00"`)
	if c.AuthID != "" {
		fmt.Fprintf(&b, `,"authorization_id":%s`, q(c.AuthID))
	}
	if c.Created != "" {
		fmt.Fprintf(&b, `,"created":%s`, c.Created)
	}
	if c.URL != "" {
		fmt.Fprintf(&b, `,"url":%s`, q(c.URL))
	}
	b.WriteString(`,"expiry":{"period":30,"type":"MINUTE"},"asynchronous":false},`)
	b.WriteString(`"reference":{`)
	var refs []string
	for _, kv := range [][2]string{{"track", c.Track}, {"payment", c.Payment}, {"gateway", c.GatewayRef},
		{"acquirer", c.Acquirer}, {"transaction", c.Transaction}, {"order", c.Order}} {
		if kv[1] != "" {
			refs = append(refs, q(kv[0])+":"+q(kv[1]))
		}
	}
	b.WriteString(strings.Join(refs, ","))
	b.WriteString(`},`)
	fmt.Fprintf(&b, `"response":{"code":%s,"message":%s},`, q(c.Code), q(c.Message))
	fmt.Fprintf(&b, `"gateway":{"response":{"code":"00","message":%s}},`, q(c.GwMessage))
	b.WriteString(`"source":{"object":"source","type":"CARD_NOT_PRESENT","payment_type":"DEBIT","payment_method":"KNET","channel":"INTERNET","id":"src_kw.knet"},`)
	b.WriteString(`"redirect":{"status":"PENDING","url":"https://shop.example/return"},"post":{"attempt":1,"status":"PENDING","url":"https://shop.example/webhook"},`)
	b.WriteString(`"activities":[{"id":"activity_1","object":"activity","created":1671563769240,"status":"INITIATED","currency":"KWD","amount":0.5,"remarks":"charge - created"}],`)
	b.WriteString(`"auto_reversed":false}`)
	return b.String()
}

// refundMessages are the refund response codes' messages (spec §5).
var refundMessages = map[string]string{
	"000": "Refunded", "100": "Pending", "200": "In Progress", "301": "Canceled",
	"401": "Failed", "402": "Failed", "403": "Failed",
	"501": "Declined", "502": "Declined", "503": "Declined", "504": "Declined",
	"601": "Restricted", "602": "Restricted", "701": "Timed Out", "801": "Unknown",
}

// serveRefund answers POST /v2/refunds (spec §1): the body must be a JSON object with
// charge_id, a numeric amount, currency and reference.merchant (400 otherwise); an unknown
// charge is 404; else a refund object echoing the request. Called with f.mu held.
func (f *fakeTap) serveRefund(w http.ResponseWriter, body []byte) {
	if f.refundHTTP != 0 || f.refundBody != "" {
		if f.refundHTTP != 0 {
			w.WriteHeader(f.refundHTTP)
		}
		io.WriteString(w, f.refundBody)
		return
	}
	var req struct {
		ChargeID  string                    `json:"charge_id"`
		Amount    json.Number               `json:"amount"`
		Currency  string                    `json:"currency"`
		Reason    string                    `json:"reason"`
		Reference struct{ Merchant string } `json:"reference"`
		Metadata  json.RawMessage           `json:"metadata"`
	}
	d := json.NewDecoder(strings.NewReader(string(body)))
	d.UseNumber()
	if err := d.Decode(&req); err != nil || req.ChargeID == "" || req.Amount == "" || req.Currency == "" || req.Reference.Merchant == "" {
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"errors":[{"code":"1102","description":"Invalid refund request"}],"http_code":"400"}`)
		return
	}
	if _, ok := f.charges[req.ChargeID]; !ok {
		w.WriteHeader(http.StatusNotFound)
		io.WriteString(w, `{"errors":[{"code":"1140","description":"Charge not found"}]}`)
		return
	}
	f.refunds++
	state, code := f.refundState, f.refundCode
	if state == "" && code == "" {
		state, code = "REFUNDED", "000"
	}
	amount := req.Amount.String()
	if f.refundAmount != "" {
		amount = f.refundAmount
	}
	if len(req.Metadata) == 0 {
		req.Metadata = json.RawMessage(`{}`)
	}
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	fmt.Fprintf(w, `{"id":"re_TS0%dA1320231018Rf5607%04d","object":"refund","api_version":"V2","live_mode":false,`+
		`"amount":%s,"currency":%s,"charge_id":%s,"created":1671563800000,"status":%s,`+
		`"response":{"code":%s,"message":%s},"reason":%s,"reference":{"merchant":%s,"gateway":"202235421476999"},`+
		`"metadata":%s}`,
		f.refunds, f.refunds, amount, q(req.Currency), q(req.ChargeID), q(state), q(code), q(refundMessages[code]),
		q(req.Reason), q(req.Reference.Merchant), req.Metadata)
}
