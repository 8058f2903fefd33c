package adyen

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// Fake credentials. testHMACKey is the key of the spec's vector A1.
const (
	testAPIKey   = "AQEyhmfxKo3NaRFBw0m_TEST_API_KEY_0123456789"
	testMerchant = "BawabaKW"
	testHMACKey  = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056"
	fakePrefix   = "/sandbox/adyen/v71"
)

// recorded is one request the fake Adyen received.
type recorded struct {
	Method string
	Path   string
	Header http.Header
	Body   []byte
}

// fakeAdyen is a minimal Checkout API v71 written from shared/spec/adyen.md §1, §3, §4, §5,
// §9: POST /paymentMethods answers the spec's sample (KNET) for countryCode KW and KWD, no
// method otherwise, or a configured status and body; POST /payments answers a configured body; POST /payments/details redeems a known redirectResult
// (unknown → 422); POST /payments/{psp}/refunds answers a configured body; a wrong X-API-Key
// gets 401 with Adyen's error body.
type fakeAdyen struct {
	t   *testing.T
	srv *httptest.Server

	mu            sync.Mutex
	requests      []recorded
	methodsStatus int // when non-zero, /paymentMethods answers this with methodsBody
	methodsBody   string
	paymentStatus int
	paymentBody   string
	details       map[string]string // redirectResult → /payments/details answer
	detailsStatus int               // when non-zero, every details call answers this with detailsBody
	detailsBody   string
	refundStatus  int
	refundBody    string
}

func newFakeAdyen(t *testing.T) *fakeAdyen {
	t.Helper()
	f := &fakeAdyen{t: t, details: map[string]string{}, paymentStatus: http.StatusOK, refundStatus: http.StatusCreated}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeAdyen) config() Config {
	return Config{BaseURL: f.srv.URL + fakePrefix, APIKey: testAPIKey, MerchantAccount: testMerchant,
		HMACKey: testHMACKey, HTTPClient: f.srv.Client()}
}

func (f *fakeAdyen) gateway() *Gateway { return New(f.config()) }

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	io.WriteString(w, body)
}

func (f *fakeAdyen) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.requests = append(f.requests, recorded{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Body: body})
	if r.Header.Get("X-API-Key") != testAPIKey {
		writeJSON(w, http.StatusUnauthorized, `{"status":401,"errorCode":"000","message":"HTTP Status Response - Unauthorized","errorType":"security"}`)
		return
	}
	if r.Method != http.MethodPost || r.Header.Get("Content-Type") != "application/json" {
		writeJSON(w, http.StatusMethodNotAllowed, `{"status":405,"errorCode":"000","message":"Method Not Allowed","errorType":"validation"}`)
		return
	}
	path := strings.TrimPrefix(r.URL.Path, fakePrefix)
	switch {
	case path == "/paymentMethods":
		if f.methodsStatus != 0 {
			writeJSON(w, f.methodsStatus, f.methodsBody)
			return
		}
		var req struct {
			MerchantAccount string `json:"merchantAccount"`
			CountryCode     string `json:"countryCode"`
			Amount          struct {
				Currency string `json:"currency"`
			} `json:"amount"`
		}
		if json.Unmarshal(body, &req) != nil || req.MerchantAccount == "" {
			writeJSON(w, http.StatusUnprocessableEntity, `{"status":422,"errorCode":"14_005","message":"Required field 'merchantAccount' is not provided.","errorType":"validation"}`)
			return
		}
		if req.CountryCode == "KW" && req.Amount.Currency == "KWD" {
			writeJSON(w, http.StatusOK, methodsKNET)
			return
		}
		writeJSON(w, http.StatusOK, `{"paymentMethods":[]}`)
	case path == "/payments":
		writeJSON(w, f.paymentStatus, f.paymentBody)
	case path == "/payments/details":
		if f.detailsStatus != 0 {
			writeJSON(w, f.detailsStatus, f.detailsBody)
			return
		}
		var req struct {
			Details struct {
				RedirectResult string `json:"redirectResult"`
			} `json:"details"`
		}
		json.Unmarshal(body, &req)
		ans, ok := f.details[req.Details.RedirectResult]
		if !ok {
			writeJSON(w, http.StatusUnprocessableEntity, `{"status":422,"errorCode":"14_018","message":"Invalid payload provided","errorType":"validation"}`)
			return
		}
		writeJSON(w, http.StatusOK, ans)
	case strings.HasPrefix(path, "/payments/") && strings.HasSuffix(path, "/refunds"):
		writeJSON(w, f.refundStatus, f.refundBody)
	default:
		writeJSON(w, http.StatusNotFound, `{"status":404,"errorCode":"000","message":"Not Found","errorType":"validation"}`)
	}
}

// methodsKNET is the /paymentMethods answer of the spec's §9.
const methodsKNET = `{"paymentMethods":[{"name":"KNET","type":"knet"}]}`

// calls counts the requests to path (without fakePrefix).
func (f *fakeAdyen) calls(path string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, r := range f.requests {
		if r.Path == fakePrefix+path {
			n++
		}
	}
	return n
}

// setMethods makes /paymentMethods answer status and body (status 0: the spec's behaviour).
func (f *fakeAdyen) setMethods(status int, body string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.methodsStatus, f.methodsBody = status, body
}

func (f *fakeAdyen) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.requests)
}

func (f *fakeAdyen) last() recorded {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.requests) == 0 {
		f.t.Fatal("no request received")
	}
	return f.requests[len(f.requests)-1]
}
