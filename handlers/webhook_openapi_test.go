package handlers_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/bawaba/checkout/webhook"
)

// The merchant webhooks the server really delivers (paid, failed, refunded, cancelled) follow
// the "webhooks" of api/openapi.json: body schema per event type, Bawaba-Signature and
// Bawaba-Event-Id headers.
func TestWebhookDeliveriesFollowOpenAPI(t *testing.T) {
	doc, err := loadSpec()
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t)

	type delivery struct {
		header http.Header
		body   []byte
	}
	var mu sync.Mutex
	var got []delivery
	shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, delivery{r.Header.Clone(), b})
		mu.Unlock()
	}))
	defer shop.Close()

	// payment.failed then order.paid, then order.refunded.
	paid := e.createOrder("wh-spec-paid")
	co := e.startPayment(paid.ID, nil)
	if _, st := e.finish(co, e.payAtSimulator(co, "submit", "2025")); st != "failed" {
		t.Fatalf("declined card: %s", st)
	}
	co = e.startPayment(paid.ID, nil)
	if _, st := e.finish(co, e.payAtSimulator(co, "submit", "2030")); st != "paid" {
		t.Fatalf("paid card: %s", st)
	}
	expectStatus(t, e.api("POST", "/api/v1/orders/"+paid.ID+"/refund", `{"amount":"1.000"}`, nil), http.StatusCreated)
	// order.cancelled.
	cancelled := e.createOrder("wh-spec-cancel")
	expectStatus(t, e.api("POST", "/api/v1/orders/"+cancelled.ID+"/cancel", "", nil), http.StatusOK)

	// The real dispatcher delivers the outbox to the shop.
	db := redirectOutbox{e.db, shop.URL}
	disp := &webhook.Dispatcher{Outbox: db, Secret: "whsec_spec", Client: shop.Client()}
	if _, err := disp.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}

	sigRE := regexp.MustCompile(doc.Webhooks["order.paid"].Post.Parameters.GetByInAndName("header", "Bawaba-Signature").Schema.Value.Pattern)
	types := map[string]bool{}
	for _, d := range got {
		var ev map[string]any
		if err := json.Unmarshal(d.body, &ev); err != nil {
			t.Fatalf("webhook body: %v: %s", err, d.body)
		}
		typ, _ := ev["type"].(string)
		types[typ] = true
		hook := doc.Webhooks[typ]
		if hook == nil || hook.Post == nil {
			t.Errorf("event type %q is not among the document's webhooks", typ)
			continue
		}
		schema := hook.Post.RequestBody.Value.Content.Get("application/json").Schema.Value
		if err := schema.VisitJSON(ev, openapi3.EnableJSONSchema2020(), openapi3.MultiErrors()); err != nil {
			t.Errorf("%s body does not follow the document: %v\n%s", typ, err, d.body)
		}
		if !sigRE.MatchString(d.header.Get("Bawaba-Signature")) {
			t.Errorf("%s: Bawaba-Signature %q does not match %s", typ, d.header.Get("Bawaba-Signature"), sigRE)
		}
		if d.header.Get("Bawaba-Event-Id") != ev["id"] {
			t.Errorf("%s: Bawaba-Event-Id %q, body id %v", typ, d.header.Get("Bawaba-Event-Id"), ev["id"])
		}
	}
	for _, want := range []string{"order.paid", "payment.failed", "order.refunded", "order.cancelled"} {
		if !types[want] {
			t.Errorf("no %s delivered (got %v)", want, types)
		}
	}
}

// redirectOutbox hands the dispatcher the due messages addressed to the test's shop.
type redirectOutbox struct {
	webhook.Outbox
	url string
}

func (r redirectOutbox) DueMessages(ctx context.Context, now time.Time, limit int) ([]webhook.Pending, error) {
	due, err := r.Outbox.DueMessages(ctx, now, limit)
	for i := range due {
		due[i].URL = r.url
	}
	return due, err
}
