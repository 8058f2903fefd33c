package checkouttest

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/bawaba/checkout/api"
)

// The merchant API's answers are checked against its OpenAPI document (api/openapi.json, the
// one the server serves at /api/v1/openapi.json) with kin-openapi: the status is documented for
// the route, the content type and the body follow its schema (JSON Schema 2020-12, which
// openapi3filter switches on for a 3.1 document; schemas say "additionalProperties": false, so
// an undocumented field fails). Server.Do checks every answer it gets; the project's own API
// and e2e tests use ValidateResponse for theirs, so the document cannot drift from the server.

var (
	specOnce   sync.Once
	specDoc    *openapi3.T
	specRouter routers.Router
	specErr    error
)

// Spec is the OpenAPI document, loaded and validated once.
func Spec() (*openapi3.T, error) {
	doc, _, err := loadSpec()
	return doc, err
}

func loadSpec() (*openapi3.T, routers.Router, error) {
	specOnce.Do(func() {
		specDoc, specErr = openapi3.NewLoader().LoadFromData(api.OpenAPI)
		if specErr != nil {
			return
		}
		if specErr = specDoc.Validate(context.Background()); specErr != nil {
			return
		}
		specRouter, specErr = legacy.NewRouter(specDoc)
	})
	return specDoc, specRouter, specErr
}

// Validated reports whether ValidateResponse checks answers to this path: the merchant API
// (/api/…) and /healthz.
func Validated(path string) bool {
	return strings.HasPrefix(path, "/api/") || path == "/healthz"
}

// ValidateResponse checks one answer (res with its body already read) to req against the
// OpenAPI document; nil when it follows it. An undocumented path or method must still answer a
// documented problem (404 or 405 as problem+json).
func ValidateResponse(req *http.Request, res *http.Response, body []byte) error {
	doc, router, err := loadSpec()
	if err != nil {
		return err
	}
	// The legacy router matches the document's servers ("/" when none): match on the path.
	r := req.Clone(context.Background())
	r.URL.Scheme, r.URL.Host, r.Host = "", "", ""
	route, params, err := router.FindRoute(r)
	if err != nil {
		var re *routers.RouteError
		if !errors.As(err, &re) || (res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusMethodNotAllowed) {
			return err
		}
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
			return errors.New("content type " + ct + ", want application/problem+json")
		}
		var v any
		if err := json.Unmarshal(body, &v); err != nil {
			return err
		}
		return doc.Components.Schemas["Problem"].Value.VisitJSON(v, openapi3.EnableJSONSchema2020(), openapi3.MultiErrors())
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: r, PathParams: params, Route: route},
		Status:                 res.StatusCode,
		Header:                 res.Header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	in.SetBodyBytes(body)
	return openapi3filter.ValidateResponse(context.Background(), in)
}
