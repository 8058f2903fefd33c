package handlers_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/bawaba/checkout/api"
	"github.com/bawaba/checkout/checkouttest"
	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/handlers"
	"github.com/bawaba/checkout/order"
)

// The OpenAPI document is checked two ways: it is a valid OpenAPI 3.1 document, and every
// response the API tests receive (every request through env.client to /api/ or /healthz) is
// validated against it by validatingTransport, with kin-openapi: status documented, content
// type, and body against the schema (JSON Schema 2020-12, which openapi3filter switches on for
// a 3.1 document). Schemas say "additionalProperties": false, so a field the code adds without
// documenting it fails every API test that returns it.

func loadSpec() (*openapi3.T, error) { return checkouttest.Spec() }

// validatingTransport validates every answer of the merchant API against api/openapi.json.
type validatingTransport struct {
	t    testing.TB
	next http.RoundTripper
}

func (v validatingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := v.next.RoundTrip(req)
	if err != nil || !checkouttest.Validated(req.URL.Path) {
		return res, err
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		return nil, err
	}
	res.Body = io.NopCloser(bytes.NewReader(body))
	if verr := validateResponse(req, res, body); verr != nil {
		v.t.Errorf("OpenAPI: %s %s → %d does not follow api/openapi.json: %v\nbody: %s", req.Method, req.URL.Path, res.StatusCode, verr, clip(body))
	}
	return res, nil
}

func validateResponse(req *http.Request, res *http.Response, body []byte) error {
	return checkouttest.ValidateResponse(req, res, body)
}

func TestOpenAPIDocument(t *testing.T) {
	doc, err := loadSpec()
	if err != nil {
		t.Fatalf("api/openapi.json: %v", err)
	}
	if !doc.IsOpenAPI31OrLater() {
		t.Errorf("openapi %q, want 3.1", doc.OpenAPI)
	}

	// Every API route the server has is documented, with each of its methods.
	e := newEnv(t)
	app := handlers.New(handlers.Deps{Orders: e.svc, Keys: e.db, DB: e.db})
	for _, rt := range app.GetRoutes(true) {
		if !strings.HasPrefix(rt.Path, "/api/") || rt.Method == http.MethodHead || rt.Method == http.MethodOptions || strings.HasSuffix(rt.Path, "*") {
			continue
		}
		path := rt.Path
		for _, seg := range strings.Split(path, "/") {
			if name, ok := strings.CutPrefix(seg, ":"); ok {
				path = strings.Replace(path, seg, "{"+name+"}", 1)
			}
		}
		item := doc.Paths.Value(path)
		if item == nil || item.GetOperation(rt.Method) == nil {
			t.Errorf("route %s %s is not in api/openapi.json", rt.Method, path)
		}
	}

	// The enums say what the code has.
	enum := func(schema string, prop string) []string {
		s := doc.Components.Schemas[schema].Value
		if prop != "" {
			s = s.Properties[prop].Value
		}
		var out []string
		for _, v := range s.Enum {
			out = append(out, v.(string))
		}
		return out
	}
	same := func(what string, got, want []string) {
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: document has %v, code has %v", what, got, want)
		}
	}
	same("methods", enum("Method", ""), slices.Clone(gateway.AllMethods))
	var attempt []string
	for _, s := range gateway.Statuses {
		attempt = append(attempt, string(s))
	}
	same("attempt statuses", enum("Attempt", "status"), attempt)
	same("order statuses", enum("Order", "status"), []string{string(order.StatusOpen), string(order.StatusProcessing),
		string(order.StatusPaid), string(order.StatusExpired), string(order.StatusCancelled), string(order.StatusRefunded),
		string(order.StatusPartiallyRefunded)})
	same("webhook events", enum("WebhookEvent", "type"), []string{order.NotifyPaid, order.NotifyExpired,
		order.NotifyCancelled, order.NotifyRefunded, order.NotifyPaymentFailed})
	var events []string
	for name := range doc.Webhooks {
		events = append(events, name)
	}
	same("webhooks", events, enum("WebhookEvent", "type"))
	same("problem types", enum("Problem", "type"), []string{handlers.ProblemValidation, handlers.ProblemMalformed,
		handlers.ProblemUnauthorized, handlers.ProblemNotFound, handlers.ProblemConflict, handlers.ProblemTooLarge,
		handlers.ProblemMediaType, handlers.ProblemInternal, handlers.ProblemRateLimited, handlers.ProblemMethod, handlers.ProblemGateway})

	// Served as is, without a key.
	res := e.do(nil, "GET", "/api/v1/openapi.json", nil, "")
	expectStatus(t, res, http.StatusOK)
	if !bytes.Equal(res.body, api.OpenAPI) {
		t.Error("GET /api/v1/openapi.json is not api/openapi.json")
	}
}

// The validator is not a rubber stamp: answers that break the document are caught.
func TestOpenAPIValidatorCatchesDrift(t *testing.T) {
	e := newEnv(t)
	o := e.createOrder("drift-1")
	good, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	_ = json.Unmarshal(good, &m)
	extra := func(k string, v any) []byte {
		c := map[string]any{}
		for kk, vv := range m {
			c[kk] = vv
		}
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
		b, _ := json.Marshal(c)
		return b
	}
	req, _ := http.NewRequest("GET", e.base+"/api/v1/orders/"+o.ID, nil)
	for _, tc := range []struct {
		name   string
		status int
		ct     string
		body   []byte
		ok     bool
	}{
		{"the real order", 200, "application/json", good, true},
		{"an undocumented field", 200, "application/json", extra("secret_note", "x"), false},
		{"a number amount", 200, "application/json", extra("amount", 6), false},
		{"a missing required field", 200, "application/json", extra("checkout_url", nil), false},
		{"an unknown status", 200, "application/json", extra("status", "shipped"), false},
		{"an undocumented status code", 418, "application/json", good, false},
		{"a problem as plain JSON", 404, "application/json", []byte(`{"type":"urn:bawaba:problem:not-found","title":"x","status":404}`), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := &http.Response{StatusCode: tc.status, Header: http.Header{"Content-Type": {tc.ct}}}
			err := validateResponse(req, res, tc.body)
			if (err == nil) != tc.ok {
				t.Errorf("validate: %v, want ok=%v", err, tc.ok)
			}
		})
	}
}
