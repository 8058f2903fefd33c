package handlers_test

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/bawaba/checkout/metrics"
)

// metricValue returns the value of the sample line "name{labels} value" in a scrape, or -1.
func metricValue(t *testing.T, scrape, series string) float64 {
	t.Helper()
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` ([0-9.e+-]+)$`)
	m := re.FindStringSubmatch(scrape)
	if m == nil {
		return -1
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestMetrics(t *testing.T) {
	e := newEnv(t, withMetrics(metrics.New(nil), "metrics-token-1"))
	paid := e.createOrder("m-paid")
	co := e.startPayment(paid.ID, nil)
	if _, st := e.finish(co, e.payAtSimulator(co, "submit", "2025")); st != "failed" {
		t.Fatalf("declined: %s", st)
	}
	co = e.startPayment(paid.ID, nil)
	if _, st := e.finish(co, e.payAtSimulator(co, "submit", "2030")); st != "paid" {
		t.Fatalf("paid: %s", st)
	}
	e.createOrder("m-open")
	e.getOrder(paid.ID)
	expectStatus(t, e.do(nil, "GET", "/no/such/page", nil, ""), http.StatusNotFound)

	// The token is required.
	for _, h := range []map[string]string{nil, {"Authorization": "Bearer wrong"}} {
		expectStatus(t, e.do(nil, "GET", "/metrics", h, ""), http.StatusUnauthorized)
	}
	res := e.do(nil, "GET", "/metrics", map[string]string{"Authorization": "Bearer metrics-token-1"}, "")
	expectStatus(t, res, http.StatusOK)
	scrape := res.text()

	for series, want := range map[string]float64{
		`bawaba_orders_created_total{currency="KWD"}`:                                      2,
		`bawaba_orders_paid_total{gateway="tap",method="knet"}`:                            1,
		`bawaba_payments_failed_total{gateway="tap",method="knet",status="failed"}`:        1,
		`bawaba_http_requests_total{method="POST",route="/api/v1/orders",status="201"}`:    2,
		`bawaba_http_requests_total{method="GET",route="/api/v1/orders/:id",status="200"}`: 1,
		`bawaba_http_requests_total{method="GET",route="unmatched",status="404"}`:          1,
		`bawaba_http_requests_total{method="GET",route="/metrics",status="401"}`:           2,
		`bawaba_gateway_call_duration_seconds_count{gateway="tap",operation="start"}`:      2,
	} {
		if got := metricValue(t, scrape, series); got != want {
			t.Errorf("%s = %v, want %v", series, got, want)
		}
	}
	if got := metricValue(t, scrape, `bawaba_gateway_call_duration_seconds_count{gateway="tap",operation="return"}`); got < 2 {
		t.Errorf("tap return calls measured: %v, want ≥ 2", got)
	}
	// Route patterns, never raw ids.
	if strings.Contains(scrape, paid.ID) {
		t.Error("an order id is in a metric label")
	}
	if !strings.Contains(scrape, `bawaba_http_request_duration_seconds_bucket{method="POST",route="/api/v1/orders",le="0.1"}`) {
		t.Error("no latency histogram for POST /api/v1/orders")
	}
}

// The store-backed metrics: the outbox and reconciler backlogs and the writer queue.
func TestMetricsFromStore(t *testing.T) {
	e := newEnv(t)
	o := e.createOrder("m-store")
	expectStatus(t, e.api("POST", "/api/v1/orders/"+o.ID+"/cancel", "", nil), http.StatusOK) // an order.cancelled in the outbox
	e.startPayment(e.createOrder("m-pending").ID, nil)                                       // a pending attempt the reconciler will check
	m := metrics.New(e.db)
	n, err := e.db.OutboxBacklog(context.Background())
	if err != nil || n != 1 {
		t.Fatalf("OutboxBacklog = %d, %v; want 1", n, err)
	}
	mfs, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	found := map[string]float64{}
	for _, mf := range mfs {
		for _, s := range mf.GetMetric() {
			v := s.GetGauge().GetValue() + s.GetCounter().GetValue()
			name := mf.GetName()
			for _, l := range s.GetLabel() {
				name += "/" + l.GetValue()
			}
			found[name] = v
		}
	}
	for name, want := range map[string]float64{
		"bawaba_webhook_outbox_backlog": 1, "bawaba_reconcile_backlog/due": 0, "bawaba_metrics_store_errors": 0,
	} {
		if got, ok := found[name]; !ok || got != want {
			t.Errorf("%s = %v (present %v), want %v", name, got, ok, want)
		}
	}
	if found["bawaba_reconcile_backlog/scheduled"] != 1 {
		t.Errorf("reconcile backlog scheduled = %v, want 1 (the pending attempt)", found["bawaba_reconcile_backlog/scheduled"])
	}
	for _, name := range []string{"bawaba_sqlite_writer_waits_total", "bawaba_sqlite_writer_wait_seconds_total", "bawaba_sqlite_writer_in_use"} {
		if _, ok := found[name]; !ok {
			t.Errorf("%s missing", name)
		}
	}
}
