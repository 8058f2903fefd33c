package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// The real binary: JSON logs whose request lines carry the request id, and /metrics behind
// CHECKOUT_METRICS_TOKEN.
func TestLogsAndMetricsOfTheBinary(t *testing.T) {
	s := startServer(t, "CHECKOUT_LOG_FORMAT=json", "CHECKOUT_METRICS_TOKEN=metrics-e2e-token-7")
	body, _ := json.Marshal(map[string]any{"amount": "6.000", "currency": "KWD", "return_url": s.BaseURL + "/"})
	req, _ := http.NewRequest(http.MethodPost, s.BaseURL+"/api/v1/orders", bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+s.APIKey)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Request-Id", "qa-req-0001")
	res, err := httpClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusCreated || res.Header.Get("X-Request-Id") != "qa-req-0001" {
		t.Fatalf("create: %d, X-Request-Id %q", res.StatusCode, res.Header.Get("X-Request-Id"))
	}

	get := func(token string) (int, string) {
		req, _ := http.NewRequest(http.MethodGet, s.BaseURL+"/metrics", nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := httpClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	if st, _ := get(""); st != http.StatusUnauthorized {
		t.Errorf("/metrics without the token: %d, want 401", st)
	}
	st, scrape := get("metrics-e2e-token-7")
	if st != http.StatusOK || !strings.Contains(scrape, `bawaba_orders_created_total{currency="KWD"} 1`) ||
		!strings.Contains(scrape, `bawaba_http_requests_total{method="POST",route="/api/v1/orders",status="201"} 1`) {
		t.Errorf("/metrics: %d\n%s", st, scrape)
	}

	found := false
	for _, line := range strings.Split(strings.TrimSpace(s.Log()), "\n") {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Errorf("a log line is not JSON: %q", line)
			continue
		}
		if rec["msg"] == "order created" {
			found = true
			if rec["request_id"] != "qa-req-0001" {
				t.Errorf("order created logged with request_id %v, want qa-req-0001", rec["request_id"])
			}
		}
	}
	if !found {
		t.Errorf("no \"order created\" line in the log:\n%s", s.Log())
	}
}
