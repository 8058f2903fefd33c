package metrics

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bawaba/checkout/gateway"
)

type fakeSource struct{ err error }

func (f fakeSource) OutboxBacklog(context.Context) (int, error) { return 3, f.err }
func (f fakeSource) ReconcileBacklog(context.Context, time.Time) (int, int, error) {
	return 5, 2, f.err
}
func (fakeSource) WriterStats() sql.DBStats {
	return sql.DBStats{WaitCount: 7, WaitDuration: 1500 * time.Millisecond, InUse: 1}
}

// gather returns "name{label values}" → value of every sample.
func gather(t *testing.T, m *Metrics) map[string]float64 {
	t.Helper()
	mfs, err := m.Registry().Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, mf := range mfs {
		for _, s := range mf.GetMetric() {
			var lv []string
			for _, l := range s.GetLabel() {
				lv = append(lv, l.GetValue())
			}
			v := s.GetGauge().GetValue() + s.GetCounter().GetValue() + float64(s.GetHistogram().GetSampleCount())
			out[mf.GetName()+"{"+strings.Join(lv, ",")+"}"] = v
		}
	}
	return out
}

func exercise(m *Metrics) {
	m.Request("/api/v1/orders", "POST", 201, 30*time.Millisecond)
	m.OrderCreated("KWD")
	m.AttemptMoved("tap", "knet", gateway.StatusPaid)
	m.AttemptMoved("kpay", "card", gateway.StatusFailed)
	m.AttemptMoved("kpay", "card", gateway.StatusPending) // not an ending: not counted
	m.GatewayCall("tap", "start", 200*time.Millisecond, nil)
	m.GatewayCall("tap", "inquire", time.Second, errors.New("down"))
	m.WebhookDelivery("order.paid", true, 50*time.Millisecond)
	m.WebhookDelivery("order.paid", false, 10*time.Second)
	m.WriterWait(2 * time.Millisecond)
}

func TestMetrics(t *testing.T) {
	m := New(fakeSource{})
	exercise(m)
	got := gather(t, m)
	for k, want := range map[string]float64{
		"bawaba_http_requests_total{POST,/api/v1/orders,201}":       1,
		"bawaba_http_request_duration_seconds{POST,/api/v1/orders}": 1,
		"bawaba_orders_created_total{KWD}":                          1,
		"bawaba_orders_paid_total{tap,knet}":                        1,
		"bawaba_payments_failed_total{kpay,card,failed}":            1,
		"bawaba_gateway_call_duration_seconds{tap,start}":           1,
		"bawaba_gateway_call_errors_total{tap,inquire}":             1,
		"bawaba_webhook_deliveries_total{delivered,order.paid}":     1,
		"bawaba_webhook_deliveries_total{failed,order.paid}":        1,
		"bawaba_webhook_outbox_backlog{}":                           3,
		"bawaba_reconcile_backlog{scheduled}":                       5,
		"bawaba_reconcile_backlog{due}":                             2,
		"bawaba_sqlite_writer_waits_total{}":                        7,
		"bawaba_sqlite_writer_wait_seconds_total{}":                 1.5,
		"bawaba_sqlite_writer_in_use{}":                             1,
		"bawaba_metrics_store_errors{}":                             0,
		"bawaba_sqlite_writer_queue_seconds{}":                      1,
	} {
		if got[k] != want {
			t.Errorf("%s = %v, want %v", k, got[k], want)
		}
	}
	if _, ok := got["bawaba_gateway_call_errors_total{tap,start}"]; ok {
		t.Error("a call without error counted as an error")
	}
	if _, ok := got["bawaba_payments_failed_total{kpay,card,pending}"]; ok {
		t.Error("a pending attempt counted as failed")
	}

	broken := gather(t, New(fakeSource{err: errors.New("locked")}))
	if broken["bawaba_metrics_store_errors{}"] != 1 {
		t.Error("a store error is not reported")
	}
}

// Every metric the Grafana dashboard queries exists.
func TestDashboardQueriesKnownMetrics(t *testing.T) {
	raw, err := os.ReadFile("../deploy/grafana/bawaba-dashboard.json")
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Panels []struct {
			Title   string
			Targets []struct{ Expr string }
		}
	}
	if err := json.Unmarshal(raw, &dash); err != nil {
		t.Fatal(err)
	}
	m := New(fakeSource{})
	exercise(m)
	known := map[string]bool{}
	for k := range gather(t, m) {
		known[k[:strings.IndexByte(k, '{')]] = true
	}
	nameRE := regexp.MustCompile(`bawaba_[a-z_]+`)
	n := 0
	for _, p := range dash.Panels {
		for _, tg := range p.Targets {
			for _, name := range nameRE.FindAllString(tg.Expr, -1) {
				n++
				base := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(name, "_bucket"), "_count"), "_sum")
				if !known[base] {
					t.Errorf("panel %q queries %s, which Bawaba does not export", p.Title, name)
				}
			}
		}
	}
	if n < 10 {
		t.Errorf("the dashboard queries only %d metrics", n)
	}
}

// The cost every HTTP request pays for being counted.
func BenchmarkRequest(b *testing.B) {
	m := New(nil)
	b.ReportAllocs()
	for b.Loop() {
		m.Request("/api/v1/orders/:id", "GET", 200, 3*time.Millisecond)
	}
}

// One scrape of everything but the store.
func BenchmarkGather(b *testing.B) {
	m := New(fakeSource{})
	exercise(m)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := m.Registry().Gather(); err != nil {
			b.Fatal(err)
		}
	}
}
