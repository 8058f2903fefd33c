// Package metrics holds Bawaba's Prometheus metrics: HTTP requests by route, orders and
// payments, gateway calls, webhook deliveries, and the backlogs and SQLite writer waits read
// from the store when /metrics is scraped. Every metric is named bawaba_…; deploy/grafana has a
// dashboard of them.
package metrics

import (
	"context"
	"database/sql"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/bawaba/checkout/gateway"
)

// Source is what the scrape-time metrics read from the store.
type Source interface {
	// OutboxBacklog counts merchant webhooks not delivered yet and not given up.
	OutboxBacklog(ctx context.Context) (int, error)
	// ReconcileBacklog counts attempts the reconciler must still ask about: all scheduled, and
	// those whose check is already due at now.
	ReconcileBacklog(ctx context.Context, now time.Time) (scheduled, due int, err error)
	// WriterStats are the database/sql statistics of the one-connection SQLite writer pool:
	// WaitCount and WaitDuration are the writer queue.
	WriterStats() sql.DBStats
}

// latency buckets, in seconds: from a cached page (1 ms) to a slow gateway (30 s).
var buckets = []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}

// Metrics is the set of Bawaba's metrics with their own registry.
type Metrics struct {
	reg *prometheus.Registry

	httpRequests  *prometheus.CounterVec
	httpDuration  *prometheus.HistogramVec
	ordersCreated *prometheus.CounterVec
	ordersPaid    *prometheus.CounterVec
	payFailed     *prometheus.CounterVec
	gwDuration    *prometheus.HistogramVec
	gwErrors      *prometheus.CounterVec
	deliveries    *prometheus.CounterVec
	deliveryTime  prometheus.Histogram
	writerQueue   prometheus.Histogram
}

// New builds the metrics. src may be nil (no backlog or SQLite metrics).
func New(src Source) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.httpRequests = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "bawaba_http_requests_total",
		Help: "HTTP requests answered, by route pattern, method and status code."}, []string{"route", "method", "status"})
	m.httpDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "bawaba_http_request_duration_seconds",
		Help: "Time to answer an HTTP request, by route pattern and method.", Buckets: buckets}, []string{"route", "method"})
	m.ordersCreated = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "bawaba_orders_created_total",
		Help: "Orders created (idempotent replays not counted), by currency."}, []string{"currency"})
	m.ordersPaid = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "bawaba_orders_paid_total",
		Help: "Payments that succeeded, by gateway and method."}, []string{"gateway", "method"})
	m.payFailed = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "bawaba_payments_failed_total",
		Help: "Attempts that ended without payment, by gateway, method and status (failed, cancelled, expired)."},
		[]string{"gateway", "method", "status"})
	m.gwDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "bawaba_gateway_call_duration_seconds",
		Help: "Time of a call to a gateway connector, by gateway and operation.", Buckets: buckets}, []string{"gateway", "operation"})
	m.gwErrors = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "bawaba_gateway_call_errors_total",
		Help: "Gateway connector calls that returned an error, by gateway and operation."}, []string{"gateway", "operation"})
	m.deliveries = prometheus.NewCounterVec(prometheus.CounterOpts{Name: "bawaba_webhook_deliveries_total",
		Help: "Merchant webhook delivery tries, by event type and result (delivered, failed)."}, []string{"type", "result"})
	m.deliveryTime = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "bawaba_webhook_delivery_duration_seconds",
		Help: "Time of one merchant webhook delivery try.", Buckets: buckets})
	m.writerQueue = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "bawaba_sqlite_writer_queue_seconds",
		Help:    "Time a write transaction waited to begin on the one SQLite writer connection.",
		Buckets: []float64{.0001, .00025, .0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 5}})
	m.reg.MustRegister(m.writerQueue, m.httpRequests, m.httpDuration, m.ordersCreated, m.ordersPaid, m.payFailed,
		m.gwDuration, m.gwErrors, m.deliveries, m.deliveryTime,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if src != nil {
		m.reg.MustRegister(storeCollector{src})
	}
	return m
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}

// Registry is for tests that read values.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// Request records one answered HTTP request. route is the route pattern ("/pay/:id"), never
// the raw path, so that ids do not make a series each.
func (m *Metrics) Request(route, method string, status int, took time.Duration) {
	m.httpRequests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.httpDuration.WithLabelValues(route, method).Observe(took.Seconds())
}

// OrderCreated implements order.Observer.
func (m *Metrics) OrderCreated(currency string) { m.ordersCreated.WithLabelValues(currency).Inc() }

// AttemptMoved implements order.Observer: paid and unpaid endings are counted.
func (m *Metrics) AttemptMoved(gatewayName, method string, to gateway.Status) {
	switch to {
	case gateway.StatusPaid:
		m.ordersPaid.WithLabelValues(gatewayName, method).Inc()
	case gateway.StatusFailed, gateway.StatusCancelled, gateway.StatusExpired:
		m.payFailed.WithLabelValues(gatewayName, method, string(to)).Inc()
	}
}

// GatewayCall is a gateway.CallObserver.
func (m *Metrics) GatewayCall(gatewayName, operation string, took time.Duration, err error) {
	m.gwDuration.WithLabelValues(gatewayName, operation).Observe(took.Seconds())
	if err != nil {
		m.gwErrors.WithLabelValues(gatewayName, operation).Inc()
	}
}

// WebhookDelivery records one merchant webhook try (webhook.Dispatcher's Observe).
func (m *Metrics) WebhookDelivery(eventType string, delivered bool, took time.Duration) {
	result := "failed"
	if delivered {
		result = "delivered"
	}
	m.deliveries.WithLabelValues(eventType, result).Inc()
	m.deliveryTime.Observe(took.Seconds())
}

// WriterWait records how long a write transaction waited for the SQLite writer
// (store.DB.ObserveWriterWait).
func (m *Metrics) WriterWait(d time.Duration) { m.writerQueue.Observe(d.Seconds()) }

// storeCollector reads the backlogs and the writer queue when scraped.
type storeCollector struct{ src Source }

var (
	descOutbox     = prometheus.NewDesc("bawaba_webhook_outbox_backlog", "Merchant webhooks waiting for delivery (not delivered, not given up).", nil, nil)
	descReconcile  = prometheus.NewDesc("bawaba_reconcile_backlog", "Attempts the reconciler must still ask their gateway about; due: already due now.", []string{"state"}, nil)
	descWaits      = prometheus.NewDesc("bawaba_sqlite_writer_waits_total", "Times a write waited for the one SQLite writer connection.", nil, nil)
	descWaitTime   = prometheus.NewDesc("bawaba_sqlite_writer_wait_seconds_total", "Total time writes waited for the SQLite writer connection.", nil, nil)
	descWriterBusy = prometheus.NewDesc("bawaba_sqlite_writer_in_use", "1 while the SQLite writer connection is in use.", nil, nil)
	descScrapeErr  = prometheus.NewDesc("bawaba_metrics_store_errors", "1 when the store could not be read for this scrape.", nil, nil)
)

func (c storeCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descOutbox, descReconcile, descWaits, descWaitTime, descWriterBusy, descScrapeErr} {
		ch <- d
	}
}

func (c storeCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	failed := 0.0
	if n, err := c.src.OutboxBacklog(ctx); err == nil {
		ch <- prometheus.MustNewConstMetric(descOutbox, prometheus.GaugeValue, float64(n))
	} else {
		failed = 1
	}
	if scheduled, due, err := c.src.ReconcileBacklog(ctx, time.Now()); err == nil {
		ch <- prometheus.MustNewConstMetric(descReconcile, prometheus.GaugeValue, float64(scheduled), "scheduled")
		ch <- prometheus.MustNewConstMetric(descReconcile, prometheus.GaugeValue, float64(due), "due")
	} else {
		failed = 1
	}
	st := c.src.WriterStats()
	ch <- prometheus.MustNewConstMetric(descWaits, prometheus.CounterValue, float64(st.WaitCount))
	ch <- prometheus.MustNewConstMetric(descWaitTime, prometheus.CounterValue, st.WaitDuration.Seconds())
	ch <- prometheus.MustNewConstMetric(descWriterBusy, prometheus.GaugeValue, float64(st.InUse))
	ch <- prometheus.MustNewConstMetric(descScrapeErr, prometheus.GaugeValue, failed)
}
