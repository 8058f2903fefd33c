package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/bawaba/checkout/checkouttest"
)

// server is one running `checkout serve` with its own empty database, started by the QA kit
// (checkouttest.Start with Plain: sandbox mode, a free port, debug logs, the binary's own
// worker and secret defaults unless extraEnv sets them), plus the helpers the suites use on it.
type server struct {
	*checkouttest.Server
}

// httpClient is for the tests' own API calls; it never follows redirects so tests see them.
var httpClient = &http.Client{
	Timeout:       15 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// startServer runs the binary built by TestMain through checkouttest.Start; extraEnv entries
// ("KEY=value") override its defaults. Its log is kept for the secrets search (secrets_test.go).
func startServer(t *testing.T, extraEnv ...string) *server {
	t.Helper()
	s := &server{checkouttest.Start(t, checkouttest.Binary(binaryPath), checkouttest.Plain(), checkouttest.Env(extraEnv...))}
	serverLogs.add(s, s.Env)
	return s
}

// get returns the status of GET path, or 0 if the request failed.
func (s *server) get(path string) int {
	resp, err := httpClient.Get(s.BaseURL + path)
	if err != nil {
		return 0
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// do sends a request (body marshalled as JSON when not nil) with the given API key ("" for none)
// and returns the status and the response body; an API answer off the OpenAPI document fails t.
func (s *server) do(t *testing.T, method, path, apiKey string, body any) (int, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.BaseURL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	if apiKey != "" {
		req.Header.Set("Authorization", "Bearer "+apiKey)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", method, path, err)
	}
	// Every API answer the e2e tests get follows the OpenAPI document.
	if checkouttest.Validated(req.URL.Path) {
		if err := checkouttest.ValidateResponse(req, resp, b); err != nil {
			t.Errorf("OpenAPI: %s %s → %d does not follow api/openapi.json: %v\n%s", method, path, resp.StatusCode, err, b)
		}
	}
	return resp.StatusCode, b
}

// createOrder POSTs body to /api/v1/orders with the demo key, expects 201 and returns the decoded
// order (its "checkout_url" is where a shopper goes).
func (s *server) createOrder(t *testing.T, body map[string]any) map[string]any {
	t.Helper()
	if s.APIKey == "" {
		t.Fatalf("createOrder: the server printed no demo API key\n%s", s.Output())
	}
	status, b := s.do(t, http.MethodPost, "/api/v1/orders", s.APIKey, body)
	if status != http.StatusCreated {
		t.Fatalf("POST /api/v1/orders: status %d, want 201\n%s", status, b)
	}
	var order map[string]any
	if err := json.Unmarshal(b, &order); err != nil {
		t.Fatalf("POST /api/v1/orders: %v\n%s", err, b)
	}
	return order
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
