package alqaseh

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// The seed's test credentials (shared/seeds/004, spec §1).
const (
	testClientID = "public_test"
	testSecret   = "Lr10yWWmm1dXLoI7VgXCrQVnlq13c1G0"
)

// recorded is one request the fake Al Qaseh received.
type recorded struct {
	Method string
	Path   string
	Query  string
	Header http.Header
	Body   []byte
}

// fakePayment is one payment context of the fake.
type fakePayment struct {
	ID, Token, OrderID, Status string
	Amount                     string // JSON literal, e.g. 1500 or "1500"
	Currency                   string
	TransactionType            string
	Approval, RRN, RC          string
	UpdatedAt                  string
}

func (p fakePayment) JSON() string {
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	var b strings.Builder
	fmt.Fprintf(&b, `{"payment_id":%s,"order_id":%s,"payment_status":%s`, q(p.ID), q(p.OrderID), q(p.Status))
	if p.Amount != "" {
		fmt.Fprintf(&b, `,"amount":%s`, p.Amount)
	}
	fmt.Fprintf(&b, `,"currency":%s,"description":"Order INV-1001","country":"IQ"`, q(p.Currency))
	if p.TransactionType != "" {
		fmt.Fprintf(&b, `,"transaction_type":%s`, q(p.TransactionType))
	}
	if p.Approval != "" {
		fmt.Fprintf(&b, `,"approval_code":%s`, q(p.Approval))
	}
	if p.RRN != "" {
		fmt.Fprintf(&b, `,"rrn":%s`, q(p.RRN))
	}
	if p.RC != "" {
		fmt.Fprintf(&b, `,"rc":%s`, q(p.RC))
	}
	if p.UpdatedAt != "" {
		fmt.Fprintf(&b, `,"updated_at":%s`, q(p.UpdatedAt))
	}
	b.WriteString(`,"created_at":"2025-01-10T09:00:00Z","custom_data":{},"merchant_email":"shop@example.iq","webhook_url":"https://pay.example/webhooks/alqaseh","payment_status_histories":[{"status":"prepared"}]}`)
	return b.String()
}

// fakeAlqaseh is a minimal Al Qaseh Payment API v2 written from shared/spec/alqaseh.md §2–5
// and the seed: Basic auth (401 with the error body otherwise), create (status prepared,
// order_id unique: a second use gives a duplicated context), GET by payment_id, retry
// (from expired/declined/failed/unknown: new payment_id and token, status retried, the old
// context keeps its status), revoke (from prepared/retried: status revoked, new token),
// history filtered by order_id, newest first, as {"data":[…]}.
type fakeAlqaseh struct {
	t   *testing.T
	srv *httptest.Server

	mu       sync.Mutex
	requests []recorded
	payments map[string]*fakePayment
	order    []string // payment ids in creation order
	next     int

	// overrides: when status is non-zero, the route answers status with body.
	createStatus, getStatus, retryStatus, revokeStatus, historyStatus int
	createBody, getBody, retryBody, revokeBody, historyBody           string
	// afterRevoke, when set, changes the payment's status instead of revoking (a race).
	afterRevoke string
}

func newFake(t *testing.T) *fakeAlqaseh {
	t.Helper()
	f := &fakeAlqaseh{t: t, payments: map[string]*fakePayment{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeAlqaseh) config() Config {
	return Config{
		BaseURL:        f.srv.URL + "/sandbox/alqaseh/v1",
		ClientID:       testClientID,
		ClientSecret:   testSecret,
		PaymentPageURL: f.srv.URL + "/sandbox/alqaseh/pay",
		HTTPClient:     f.srv.Client(),
	}
}

func (f *fakeAlqaseh) gateway() *Gateway {
	g := New(f.config())
	g.now = func() time.Time { return testNow }
	return g
}

func (f *fakeAlqaseh) writeErr(w http.ResponseWriter, status int, msg, code string) {
	w.WriteHeader(status)
	fmt.Fprintf(w, `{"err":%q,"error_code":%q,"reference_code":"3f1c2a9e-0000-4000-8000-00000000abcd"}`, msg, code)
}

func (f *fakeAlqaseh) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = append(f.requests, recorded{Method: r.Method, Path: r.URL.Path, Query: r.URL.RawQuery, Header: r.Header.Clone(), Body: body})
	w.Header().Set("Content-Type", "application/json")
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte(testClientID+":"+testSecret))
	if r.Header.Get("Authorization") != want {
		f.writeErr(w, http.StatusUnauthorized, "unauthorized", "AUTH_001")
		return
	}
	const prefix = "/sandbox/alqaseh/v1/egw/payments"
	override := func(status int, b string) bool {
		if status == 0 {
			return false
		}
		w.WriteHeader(status)
		io.WriteString(w, b)
		return true
	}
	switch {
	case r.Method == http.MethodPost && r.URL.Path == prefix+"/create":
		if override(f.createStatus, f.createBody) {
			return
		}
		var req map[string]json.RawMessage
		if json.Unmarshal(body, &req) != nil {
			f.writeErr(w, http.StatusBadRequest, "invalid json", "VAL_000")
			return
		}
		for _, k := range []string{"amount", "currency", "order_id", "description", "redirect_url", "transaction_type"} {
			if _, ok := req[k]; !ok {
				f.writeErr(w, http.StatusBadRequest, k+" is required", "VAL_001")
				return
			}
		}
		var orderID, currency string
		json.Unmarshal(req["order_id"], &orderID)
		json.Unmarshal(req["currency"], &currency)
		if len(orderID) > 32 {
			f.writeErr(w, http.StatusBadRequest, "order_id too long", "VAL_002")
			return
		}
		status := "prepared"
		for _, p := range f.payments {
			if p.OrderID == orderID {
				status = "duplicated"
			}
		}
		p := f.add(orderID, string(req["amount"]), currency, status)
		w.WriteHeader(http.StatusCreated)
		fmt.Fprintf(w, `{"payment_id":%q,"token":%q,"payment_status":%q}`, p.ID, p.Token, p.Status)
	case r.Method == http.MethodPost && r.URL.Path == prefix+"/retry":
		if override(f.retryStatus, f.retryBody) {
			return
		}
		p := f.byBody(body)
		if p == nil {
			f.writeErr(w, http.StatusNotFound, "payment not found", "PAY_404")
			return
		}
		switch strings.ToLower(p.Status) {
		case "expired", "declined", "failed", "unknown":
		default:
			f.writeErr(w, http.StatusUnprocessableEntity, "payment cannot be retried from "+p.Status, "PAY_409")
			return
		}
		n := f.add(p.OrderID, p.Amount, p.Currency, "retried")
		fmt.Fprintf(w, `{"payment_id":%q,"token":%q,"payment_status":"retried"}`, n.ID, n.Token)
	case r.Method == http.MethodPost && r.URL.Path == prefix+"/revoke":
		if override(f.revokeStatus, f.revokeBody) {
			return
		}
		p := f.byBody(body)
		if p == nil {
			f.writeErr(w, http.StatusNotFound, "payment not found", "PAY_404")
			return
		}
		if f.afterRevoke != "" {
			p.Status = f.afterRevoke
		}
		if st := strings.ToLower(p.Status); st != "prepared" && st != "retried" {
			f.writeErr(w, http.StatusUnprocessableEntity, "payment cannot be revoked from "+p.Status, "PAY_409")
			return
		}
		p.Status = "revoked"
		p.Token += "r"
		fmt.Fprintf(w, `{"payment_id":%q,"token":%q,"payment_status":"revoked"}`, p.ID, p.Token)
	case r.Method == http.MethodGet && r.URL.Path == prefix+"/history":
		if override(f.historyStatus, f.historyBody) {
			return
		}
		oid := r.URL.Query().Get("order_id")
		var items []string
		for i := len(f.order) - 1; i >= 0; i-- {
			if p := f.payments[f.order[i]]; oid == "" || p.OrderID == oid {
				items = append(items, p.JSON())
			}
		}
		fmt.Fprintf(w, `{"data":[%s],"total":%d}`, strings.Join(items, ","), len(items))
	case r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, prefix+"/"):
		if override(f.getStatus, f.getBody) {
			return
		}
		p, ok := f.payments[strings.TrimPrefix(r.URL.Path, prefix+"/")]
		if !ok {
			f.writeErr(w, http.StatusNotFound, "payment not found", "PAY_404")
			return
		}
		io.WriteString(w, p.JSON())
	default:
		f.writeErr(w, http.StatusNotFound, "not found", "NOT_FOUND")
	}
}

// add stores a new payment (the lock is held).
func (f *fakeAlqaseh) add(orderID, amount, currency, status string) *fakePayment {
	f.next++
	p := &fakePayment{
		ID: fmt.Sprintf("pay_%04d", f.next), Token: fmt.Sprintf("tok%04dAbC-_x", f.next),
		OrderID: orderID, Status: status, Amount: amount, Currency: currency, TransactionType: "Retail",
	}
	f.payments[p.ID] = p
	f.order = append(f.order, p.ID)
	return p
}

// byBody finds the payment named by a retry/revoke body (the lock is held).
func (f *fakeAlqaseh) byBody(body []byte) *fakePayment {
	var req struct {
		PaymentID string `json:"payment_id"`
	}
	if json.Unmarshal(body, &req) != nil {
		return nil
	}
	return f.payments[req.PaymentID]
}

// store adds or replaces a payment.
func (f *fakeAlqaseh) store(p fakePayment) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.payments[p.ID]; !ok {
		f.order = append(f.order, p.ID)
	}
	f.payments[p.ID] = &p
}

// payment returns a copy of a stored payment.
func (f *fakeAlqaseh) payment(id string) fakePayment {
	f.mu.Lock()
	defer f.mu.Unlock()
	p, ok := f.payments[id]
	if !ok {
		f.t.Fatalf("no payment %s", id)
	}
	return *p
}

// setStatus changes a stored payment's status (as the hosted page would).
func (f *fakeAlqaseh) setStatus(id, status string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.payments[id].Status = status
}

// calls returns the requests received, as "METHOD /path-after-egw/payments".
func (f *fakeAlqaseh) calls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, r := range f.requests {
		out = append(out, r.Method+" "+strings.TrimPrefix(r.Path, "/sandbox/alqaseh/v1/egw/payments"))
	}
	return out
}

// posts counts the state-changing requests received.
func (f *fakeAlqaseh) posts() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, r := range f.requests {
		if r.Method != http.MethodGet {
			n++
		}
	}
	return n
}

func (f *fakeAlqaseh) last() recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.requests) == 0 {
		f.t.Fatal("no request received")
	}
	return f.requests[len(f.requests)-1]
}

// find returns the last request with that method and path.
func (f *fakeAlqaseh) find(method, path string) (recorded, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := len(f.requests) - 1; i >= 0; i-- {
		r := f.requests[i]
		if r.Method == method && r.Path == "/sandbox/alqaseh/v1/egw/payments"+path {
			return r, true
		}
	}
	return recorded{}, false
}
