package handlers_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/bawaba/checkout/handlers"
)

// apiScenario is one merchant API request and what must come of it.
type apiScenario struct {
	name string
	// before prepares the state and returns values substituted for "{name}" in path, body,
	// headers and the expected substrings.
	before  func(t *testing.T, e *env) map[string]string
	method  string
	path    string
	headers map[string]string // sent as is; "Authorization" defaults to the test key
	noAuth  bool              // send no Authorization header at all
	body    string

	status         int
	problem        string            // expected problem type; "" for a success
	errorFields    []string          // fields the problem's errors[] must name
	contains       []string          // substrings of the body
	notContains    []string          // substrings that must not be in the body
	expectHeaders  map[string]string // header → required substring
	absentHeaders  []string
	after          func(t *testing.T, e *env, vars map[string]string, res *response)
	referenceCount map[string]int // reference → how many orders carry it afterwards
}

func (s *apiScenario) run(t *testing.T) {
	e := newEnv(t)
	vars := map[string]string{"base": e.base}
	if s.before != nil {
		for k, v := range s.before(t, e) {
			vars[k] = v
		}
	}
	sub := func(x string) string {
		for k, v := range vars {
			x = strings.ReplaceAll(x, "{"+k+"}", v)
		}
		return x
	}
	h := map[string]string{}
	if !s.noAuth {
		h["Authorization"] = "Bearer " + e.apiKey
	}
	if s.body != "" {
		h["Content-Type"] = "application/json"
	}
	for k, v := range s.headers {
		h[k] = sub(v)
	}
	res := e.do(nil, s.method, sub(s.path), h, sub(s.body))

	if res.StatusCode != s.status {
		t.Fatalf("status %d, want %d; body: %s", res.StatusCode, s.status, clip(res.body))
	}
	ct := res.Header.Get("Content-Type")
	if s.problem != "" {
		if !strings.HasPrefix(ct, "application/problem+json") {
			t.Errorf("Content-Type %q, want application/problem+json", ct)
		}
		var p handlers.Problem
		if err := json.Unmarshal(res.body, &p); err != nil {
			t.Fatalf("problem body: %v: %s", err, res.body)
		}
		if p.Type != s.problem || p.Status != s.status || p.Title == "" {
			t.Errorf("problem = %+v, want type %s status %d and a title", p, s.problem, s.status)
		}
		for _, f := range s.errorFields {
			found := false
			for _, fe := range p.Errors {
				found = found || fe.Field == f
			}
			if !found {
				t.Errorf("problem errors %+v do not name %q", p.Errors, f)
			}
		}
	} else if !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q, want application/json", ct)
	}
	for _, c := range s.contains {
		if !strings.Contains(res.text(), sub(c)) {
			t.Errorf("body does not contain %q: %s", sub(c), clip(res.body))
		}
	}
	for _, c := range s.notContains {
		if strings.Contains(res.text(), sub(c)) {
			t.Errorf("body contains %q: %s", sub(c), clip(res.body))
		}
	}
	for k, v := range s.expectHeaders {
		if got := res.Header.Get(k); !strings.Contains(got, sub(v)) {
			t.Errorf("header %s = %q, want it to contain %q", k, got, sub(v))
		}
	}
	for _, k := range s.absentHeaders {
		if got := res.Header.Get(k); got != "" {
			t.Errorf("header %s = %q, want none", k, got)
		}
	}
	for ref, n := range s.referenceCount {
		if got := e.countByReference(sub(ref)); got != n {
			t.Errorf("orders with reference %q: %d, want %d", sub(ref), got, n)
		}
	}
	if s.after != nil {
		s.after(t, e, vars, res)
	}
}

// withOrder creates an open order with reference "held-1" and exposes its id as {order}.
func withOrder(t *testing.T, e *env) map[string]string {
	return map[string]string{"order": e.createOrder("held-1").ID}
}

func TestMerchantAPI(t *testing.T) {
	big := `{"amount":"6.000","currency":"KWD","reference":"big-1","return_url":"https://shop.example/",` +
		`"description":"` + strings.Repeat("x", 70<<10) + `"}`
	noStackTrace := []string{"goroutine", "panic", ".go:"}

	scenarios := []apiScenario{
		{
			name: "create KWD 6.000", method: "POST", path: "/api/v1/orders", body: orderBody("ok-1", "6.000"),
			status:         http.StatusCreated,
			contains:       []string{`"checkout_url":"{base}/pay/ord_`, `"amount":"6.000"`, `"currency":"KWD"`, `"status":"open"`, `"attempts":[]`, `"methods":["knet"]`},
			expectHeaders:  map[string]string{"Location": "/api/v1/orders/ord_", "Cache-Control": "no-store"},
			absentHeaders:  []string{"Idempotent-Replayed"},
			referenceCount: map[string]int{"ok-1": 1},
			after: func(t *testing.T, e *env, _ map[string]string, res *response) {
				var v struct {
					ID          string `json:"id"`
					CheckoutURL string `json:"checkout_url"`
				}
				if err := json.Unmarshal(res.body, &v); err != nil {
					t.Fatal(err)
				}
				if loc := res.Header.Get("Location"); loc != "/api/v1/orders/"+v.ID {
					t.Errorf("Location %q, want /api/v1/orders/%s", loc, v.ID)
				}
				if v.CheckoutURL != e.base+"/pay/"+v.ID {
					t.Errorf("checkout_url %q", v.CheckoutURL)
				}
				if got := e.getOrder(v.ID); got.Amount != "6.000" {
					t.Errorf("stored amount %q", got.Amount)
				}
			},
		},
		{
			name: "too many decimals for KWD", method: "POST", path: "/api/v1/orders", body: orderBody("dec-1", "6.0001"),
			status: http.StatusUnprocessableEntity, problem: handlers.ProblemValidation, errorFields: []string{"amount"},
			contains: []string{"KWD allows at most 3 decimals"}, referenceCount: map[string]int{"dec-1": 0},
		},
		{
			name: "malformed JSON", method: "POST", path: "/api/v1/orders", body: `{"amount":"6.000","currency":"KWD","reference":"bad-1"`,
			status: http.StatusBadRequest, problem: handlers.ProblemMalformed, notContains: noStackTrace,
			referenceCount: map[string]int{"bad-1": 0},
		},
		{
			name: "trailing data after the object", method: "POST", path: "/api/v1/orders", body: orderBody("trail-1", "6.000") + `{}`,
			status: http.StatusBadRequest, problem: handlers.ProblemMalformed, referenceCount: map[string]int{"trail-1": 0},
		},
		{
			name: "a JSON array instead of an object", method: "POST", path: "/api/v1/orders", body: `[]`,
			status: http.StatusBadRequest, problem: handlers.ProblemMalformed,
		},
		{
			name: "no API key", method: "POST", path: "/api/v1/orders", noAuth: true, body: orderBody("noauth-1", "6.000"),
			status: http.StatusUnauthorized, problem: handlers.ProblemUnauthorized,
			expectHeaders: map[string]string{"WWW-Authenticate": "Bearer"}, referenceCount: map[string]int{"noauth-1": 0},
		},
		{
			name: "wrong API key", method: "POST", path: "/api/v1/orders", body: orderBody("badkey-1", "6.000"),
			headers: map[string]string{"Authorization": "Bearer bwb_sk_NOTAREALKEY"},
			status:  http.StatusUnauthorized, problem: handlers.ProblemUnauthorized,
			expectHeaders: map[string]string{"WWW-Authenticate": "invalid_token"}, referenceCount: map[string]int{"badkey-1": 0},
		},
		{
			name: "basic auth is not a bearer key", method: "GET", path: "/api/v1/orders?reference=x",
			headers: map[string]string{"Authorization": "Basic dXNlcjpwYXNz"},
			status:  http.StatusUnauthorized, problem: handlers.ProblemUnauthorized,
			expectHeaders: map[string]string{"WWW-Authenticate": "Bearer"},
		},
		{
			name: "reads need the key too", method: "GET", path: "/api/v1/orders/{order}", noAuth: true, before: withOrder,
			status: http.StatusUnauthorized, problem: handlers.ProblemUnauthorized, notContains: []string{"{order}", `"amount"`},
		},
		{
			name: "non-JSON content type", method: "POST", path: "/api/v1/orders", body: orderBody("ct-1", "6.000"),
			headers: map[string]string{"Content-Type": "text/plain"},
			status:  http.StatusUnsupportedMediaType, problem: handlers.ProblemMediaType, referenceCount: map[string]int{"ct-1": 0},
		},
		{
			name: "JSON with a charset is JSON", method: "POST", path: "/api/v1/orders", body: orderBody("ct-2", "6.000"),
			headers: map[string]string{"Content-Type": "application/json; charset=utf-8"},
			status:  http.StatusCreated, referenceCount: map[string]int{"ct-2": 1},
		},
		{
			name: "body over 64 KiB", method: "POST", path: "/api/v1/orders", body: big,
			status: http.StatusRequestEntityTooLarge, problem: handlers.ProblemTooLarge, referenceCount: map[string]int{"big-1": 0},
		},
		{
			name: "unknown field", method: "POST", path: "/api/v1/orders",
			body:   `{"amount":"6.000","currency":"KWD","reference":"unk-1","return_url":"https://shop.example/","colour":"red"}`,
			status: http.StatusUnprocessableEntity, problem: handlers.ProblemValidation, errorFields: []string{"colour"},
			referenceCount: map[string]int{"unk-1": 0},
		},
		{
			name: "amount as a JSON number", method: "POST", path: "/api/v1/orders",
			body:   `{"amount":6.000,"currency":"KWD","reference":"num-1","return_url":"https://shop.example/"}`,
			status: http.StatusUnprocessableEntity, problem: handlers.ProblemValidation, errorFields: []string{"amount"},
			contains: []string{`not a number`}, referenceCount: map[string]int{"num-1": 0},
		},
		{
			name: "several faults are all named", method: "POST", path: "/api/v1/orders",
			body:   `{"amount":"0","currency":"KWD","reference":"many-1","return_url":"ftp://shop.example/","locale":"fr"}`,
			status: http.StatusUnprocessableEntity, problem: handlers.ProblemValidation,
			errorFields: []string{"amount", "return_url", "locale"}, referenceCount: map[string]int{"many-1": 0},
		},
		{
			name: "return_url must be http or https", method: "POST", path: "/api/v1/orders",
			body:   `{"amount":"6.000","currency":"KWD","reference":"js-1","return_url":"javascript:alert(1)","cancel_url":"//evil.example/"}`,
			status: http.StatusUnprocessableEntity, problem: handlers.ProblemValidation, errorFields: []string{"return_url", "cancel_url"},
			referenceCount: map[string]int{"js-1": 0},
		},
		{
			name: "a currency no configured method takes", method: "POST", path: "/api/v1/orders",
			body:   `{"amount":"6.00","currency":"USD","reference":"usd-1","return_url":"https://shop.example/"}`,
			status: http.StatusUnprocessableEntity, problem: handlers.ProblemValidation, errorFields: []string{"currency"},
			referenceCount: map[string]int{"usd-1": 0},
		},
		{
			name: "Idempotency-Key too long", method: "POST", path: "/api/v1/orders", body: orderBody("idem-long", "6.000"),
			headers: map[string]string{"Idempotency-Key": strings.Repeat("k", 256)},
			status:  http.StatusUnprocessableEntity, problem: handlers.ProblemValidation, errorFields: []string{"Idempotency-Key"},
			referenceCount: map[string]int{"idem-long": 0},
		},
		{
			name: "reference held by an open order", method: "POST", path: "/api/v1/orders", body: orderBody("held-1", "6.000"),
			before: withOrder,
			status: http.StatusConflict, problem: handlers.ProblemConflict, errorFields: []string{"reference"},
			referenceCount: map[string]int{"held-1": 1},
		},
		{
			name: "a cancelled order frees its reference", method: "POST", path: "/api/v1/orders", body: orderBody("held-1", "6.000"),
			before: func(t *testing.T, e *env) map[string]string {
				vars := withOrder(t, e)
				expectStatus(t, e.api("POST", "/api/v1/orders/"+vars["order"]+"/cancel", "", nil), http.StatusOK)
				return vars
			},
			status: http.StatusCreated, notContains: []string{"{order}"}, referenceCount: map[string]int{"held-1": 2},
		},
		{
			name: "get an order", method: "GET", path: "/api/v1/orders/{order}", before: withOrder,
			status:        http.StatusOK,
			contains:      []string{`"id":"{order}"`, `"object":"order"`, `"status":"open"`, `"reference":"held-1"`, `"amount_minor":6000`, `"attempts":[]`},
			expectHeaders: map[string]string{"Cache-Control": "no-store"},
		},
		{
			name: "list by reference", method: "GET", path: "/api/v1/orders?reference=held-1", before: withOrder,
			status: http.StatusOK, contains: []string{`"object":"list"`, `"data":[{`, `"id":"{order}"`},
		},
		{
			name: "list by an unused reference", method: "GET", path: "/api/v1/orders?reference=nobody",
			status: http.StatusOK, contains: []string{`"data":[]`},
		},
		{
			name: "list without a reference", method: "GET", path: "/api/v1/orders",
			status: http.StatusUnprocessableEntity, problem: handlers.ProblemValidation, errorFields: []string{"reference"},
		},
		{
			name: "unknown order", method: "GET", path: "/api/v1/orders/ord_doesnotexist",
			status: http.StatusNotFound, problem: handlers.ProblemNotFound,
		},
		{
			name: "unknown API route", method: "GET", path: "/api/v1/nothing",
			status: http.StatusNotFound, problem: handlers.ProblemNotFound,
		},
		{
			name: "cancel works once, then 409", method: "POST", path: "/api/v1/orders/{order}/cancel", before: withOrder,
			status: http.StatusOK, contains: []string{`"id":"{order}"`, `"status":"cancelled"`},
			after: func(t *testing.T, e *env, vars map[string]string, _ *response) {
				again := e.api("POST", "/api/v1/orders/"+vars["order"]+"/cancel", "", nil)
				expectStatus(t, again, http.StatusConflict)
				if !strings.Contains(again.text(), handlers.ProblemConflict) {
					t.Errorf("second cancel: %s", again.body)
				}
				if got := e.getOrder(vars["order"]).Status; got != "cancelled" {
					t.Errorf("status after second cancel: %s", got)
				}
				if n := e.events(vars["order"], "order.cancelled", ""); n != 1 {
					t.Errorf("%d order.cancelled events, want 1", n)
				}
			},
		},
		{
			name: "cancel an unknown order", method: "POST", path: "/api/v1/orders/ord_doesnotexist/cancel",
			status: http.StatusNotFound, problem: handlers.ProblemNotFound,
		},
	}
	for _, s := range scenarios {
		t.Run(s.name, s.run)
	}
}

func TestIdempotencyReplay(t *testing.T) {
	e := newEnv(t)
	key := map[string]string{"Idempotency-Key": "idem-replay-1"}
	first := e.api("POST", "/api/v1/orders", orderBody("replay-1", "6.000"), key)
	expectStatus(t, first, http.StatusCreated)
	if h := first.Header.Get("Idempotent-Replayed"); h != "" {
		t.Errorf("first answer has Idempotent-Replayed: %q", h)
	}
	var v struct{ ID string }
	if err := json.Unmarshal(first.body, &v); err != nil {
		t.Fatal(err)
	}
	// The order changes in between: the replay is still the stored answer, byte for byte.
	expectStatus(t, e.api("POST", "/api/v1/orders/"+v.ID+"/cancel", "", nil), http.StatusOK)

	again := e.api("POST", "/api/v1/orders", orderBody("replay-1", "6.000"), key)
	expectStatus(t, again, http.StatusCreated)
	if !bytes.Equal(first.body, again.body) {
		t.Errorf("replayed body differs:\nfirst: %s\nagain: %s", first.body, again.body)
	}
	if h := again.Header.Get("Idempotent-Replayed"); h != "true" {
		t.Errorf("Idempotent-Replayed = %q, want true", h)
	}
	if loc := again.Header.Get("Location"); loc != "/api/v1/orders/"+v.ID {
		t.Errorf("replay Location %q", loc)
	}

	other := e.api("POST", "/api/v1/orders", orderBody("replay-2", "7.000"), key)
	expectStatus(t, other, http.StatusConflict)
	if !strings.Contains(other.text(), `"field":"Idempotency-Key"`) || !strings.HasPrefix(other.Header.Get("Content-Type"), "application/problem+json") {
		t.Errorf("reused key: %s", other.body)
	}
	// Keys are per merchant API key: another key may use the same Idempotency-Key.
	_, key2, err := e.db.CreateAPIKey(t.Context(), "second key")
	if err != nil {
		t.Fatal(err)
	}
	second := e.api("POST", "/api/v1/orders", orderBody("replay-3", "6.000"),
		map[string]string{"Idempotency-Key": "idem-replay-1", "Authorization": "Bearer " + key2})
	expectStatus(t, second, http.StatusCreated)
	if second.Header.Get("Idempotent-Replayed") != "" || bytes.Equal(second.body, first.body) {
		t.Errorf("another API key got the first key's stored answer")
	}

	if n := e.countByReference("replay-1"); n != 1 {
		t.Errorf("%d orders replay-1, want 1", n)
	}
	if n := e.countByReference("replay-2"); n != 0 {
		t.Errorf("%d orders replay-2, want 0", n)
	}
}

// A known API path with the wrong method answers 405 with Allow; an unknown path 404.
func TestAPIMethodNotAllowed(t *testing.T) {
	e := newEnv(t)
	o := e.createOrder("allow-1")
	cases := []struct{ method, path, allow string }{
		{"PUT", "/api/v1/orders", "GET, POST"},
		{"DELETE", "/api/v1/orders/" + o.ID, "GET"},
		{"GET", "/api/v1/orders/" + o.ID + "/cancel", "POST"},
		{"GET", "/api/v1/orders/" + o.ID + "/refund", "POST"},
	}
	for _, tc := range cases {
		res := e.api(tc.method, tc.path, "", nil)
		if res.StatusCode != 405 || res.Header.Get("Allow") != tc.allow || res.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s %s: %d Allow=%q %s", tc.method, tc.path, res.StatusCode, res.Header.Get("Allow"), res.text())
		}
	}
	if res := e.api("GET", "/api/v1/nothing", "", nil); res.StatusCode != 404 {
		t.Errorf("unknown path: %d", res.StatusCode)
	}
}
