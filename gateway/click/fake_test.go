package click

import (
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

// Test credentials: the seed's example token and developer user (spec §2).
const (
	testToken = "CIQC2Z5WUVTAKcBHISsOVMJIJE8PAbVe5"
	testDev   = "Dev1"
)

// The seed's Create Session sample (spec §3.1), spaces around the session id included.
const (
	seedSession   = "U0VTU0IPTjQ1UHdjdkljslaskdjwdsdaFEdd"
	seedIndicator = "VTU0IPTjQ1UHdjdkljslaskdjwdsdjwdsjldiaj"
	seedExpire    = "2019-01-20 14:46:16.834709"
)

// createBody is the seed's Create Session sample with the given session_expire date.
func createBody(date string) string {
	return `{
  "apiVersion": 1,
  "gatewayResponse": {
    "result": "SUCCESS",
    "session_id": " ` + seedSession + ` ",
    "session_expire": {
      "date": "` + date + `",
      "timezone_type": 3,
      "timezone": "Asia/Kuwait"
    },
    "indicator_status": "` + seedIndicator + `",
    "status": "No_status"
  }
}`
}

// The seed's error bodies (spec §5), printed with their trailing commas and odd spacing.
const (
	bodyInvalidRequest = "{\n  \"apiVersion\": \"1\",\n  \"gatewayResponse\": {\n    \"error\": \"INVALID_REQUEST\",\n    \"status\": \"false\",\n  }\n}"
	bodyInvalidAuth    = "{\n  \"apiVersion\": \"1\",\n  \"gatewayResponse\": {\n    \"error\": \"INVALID_AUTH\",\n    \"status\": \"false\",\n  }\n}"
	bodyInvalidHeader  = "{\n  \"apiVersion\": \"1\",\n  \"gatewayResponse\": {\n    \"error\": \"INVALID_HEADER\",\n    \"status\": \"false\",\n  }\n}"
	bodyDevNotSupport  = `{"message": "Developer Not Supported", "status": -1}`
	bodyDevNotAccept   = `{"message": " Developer Not Accepted ", "status": 0}`
	bodyDevSuspended   = `{"message": " Developer Suspended", "status": 0}`
	bodyDuplicate      = `{"message": " ORDER Duplicate ", "status": 0}`
	bodySessionExpire  = `{"message": " Session Expire", "status": 0}`
	bodyInvalidSession = `{"message": " INVALID SESSION", "status": 0}`
)

// recorded is one request the fake Click received.
type recorded struct {
	Path   string
	Header http.Header
	Body   []byte
}

// canned is a fixed answer.
type canned struct {
	status int
	header map[string]string
	body   string
}

// fakeClick is a minimal Click "gatedeveloper" API written from shared/spec/click.md §2–5:
// three POSTs under /sandbox/click/api/developer/gatedeveloper/, a Bearer check with the
// seed's error bodies, the developer user check, a duplicate order_id check, and Payment
// Status answering per session.
type fakeClick struct {
	t   *testing.T
	srv *httptest.Server

	mu       sync.Mutex
	requests []recorded
	create   *canned // nil: the seed's sample
	update   *canned // nil: {"payment_url": srv/pay/{session}}
	status   *canned // nil: statuses[session]
	statuses map[string]string
	orders   map[int64]bool
	expire   string // session_expire date; "": 45 minutes from now, Kuwait time
}

func newFakeClick(t *testing.T) *fakeClick {
	t.Helper()
	f := &fakeClick{t: t, statuses: map[string]string{}, orders: map[int64]bool{}}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeClick) base() string { return f.srv.URL + "/sandbox/click" }

func (f *fakeClick) gateway() *Gateway {
	return New(Config{BaseURL: f.base(), DeveloperUser: testDev, Token: testToken, HTTPClient: f.srv.Client()})
}

func (f *fakeClick) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = append(f.requests, recorded{Path: r.URL.Path, Header: r.Header.Clone(), Body: body})
	w.Header().Set("Content-Type", "application/json")
	answer := func(c canned) {
		for k, v := range c.header {
			w.Header().Set(k, v)
		}
		if c.status == 0 {
			c.status = http.StatusOK
		}
		w.WriteHeader(c.status)
		io.WriteString(w, c.body)
	}
	if r.Method != http.MethodPost {
		answer(canned{status: http.StatusMethodNotAllowed, body: bodyInvalidRequest})
		return
	}
	switch auth := r.Header.Get("Authorization"); {
	case auth == "":
		answer(canned{body: bodyInvalidHeader})
		return
	case auth != "Bearer "+testToken:
		answer(canned{body: bodyInvalidAuth})
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, "/sandbox/click/api/developer/gatedeveloper/")
	if !ok {
		answer(canned{status: http.StatusNotFound, body: bodyInvalidRequest})
		return
	}
	parts := strings.Split(rest, "/")
	switch {
	case len(parts) == 1: // Create Session
		if parts[0] != testDev {
			answer(canned{body: bodyDevNotSupport})
			return
		}
		if len(body) != 0 {
			answer(canned{body: bodyInvalidRequest})
			return
		}
		if f.create != nil {
			answer(*f.create)
			return
		}
		f.statuses[seedSession] = "No_status"
		date := f.expire
		if date == "" {
			date = time.Now().In(time.FixedZone("AST", 3*60*60)).Add(45 * time.Minute).Format("2006-01-02 15:04:05.000000")
		}
		answer(canned{body: createBody(date)})
	case parts[0] == "sessionupdate" && (len(parts) == 2 || len(parts) == 3):
		if parts[1] != testDev {
			answer(canned{body: bodyDevNotSupport})
			return
		}
		var in struct {
			SessionID string `json:"session_id"`
			OrderID   int64  `json:"order_id"`
		}
		if json.Unmarshal(body, &in) != nil {
			answer(canned{body: bodyInvalidRequest})
			return
		}
		if _, known := f.statuses[in.SessionID]; !known && f.create == nil {
			answer(canned{body: bodyInvalidSession})
			return
		}
		if f.orders[in.OrderID] {
			answer(canned{body: bodyDuplicate})
			return
		}
		f.orders[in.OrderID] = true
		if f.update != nil {
			answer(*f.update)
			return
		}
		answer(canned{body: fmt.Sprintf(`{"apiVersion":1,"gatewayResponse":{"result":"SUCCESS"},"payment_url":"%s/sandbox/click/pay/%s"}`, f.srv.URL, in.SessionID)})
	case parts[0] == "paymentstatus" && len(parts) == 2:
		if parts[1] != testDev {
			answer(canned{body: bodyDevNotSupport})
			return
		}
		if f.status != nil {
			answer(*f.status)
			return
		}
		var in struct {
			SessionID string `json:"session_id"`
			OrderID   int64  `json:"order_id"`
		}
		if json.Unmarshal(body, &in) != nil {
			answer(canned{body: bodyInvalidRequest})
			return
		}
		st, known := f.statuses[in.SessionID]
		if !known {
			answer(canned{body: bodyInvalidSession})
			return
		}
		answer(canned{body: fmt.Sprintf(`{"Order_id":%d,"Status":%q,"Response":%q}`, in.OrderID, st, st)})
	default:
		answer(canned{body: bodyDevNotSupport})
	}
}

func (f *fakeClick) setStatus(session, st string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.statuses[session] = st
}

// count returns how many requests the fake received.
func (f *fakeClick) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.requests)
}

func (f *fakeClick) all() []recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]recorded(nil), f.requests...)
}
