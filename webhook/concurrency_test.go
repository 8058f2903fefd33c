package webhook_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/bawaba/checkout/order"
	"github.com/bawaba/checkout/webhook"
)

// listOutbox hands out a fixed list of due messages once and records the deliveries.
type listOutbox struct {
	mu      sync.Mutex
	due     []webhook.Pending
	records []webhook.Delivery
}

func (o *listOutbox) DueMessages(context.Context, time.Time, int) ([]webhook.Pending, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	due := o.due
	o.due = nil
	return due, nil
}

func (o *listOutbox) RecordDelivery(_ context.Context, d webhook.Delivery) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.records = append(o.records, d)
	return nil
}

// A shop whose endpoint hangs holds at most PerEndpoint deliveries; the other shops' messages
// of the same batch are delivered meanwhile, not after it.
func TestDispatcherHungEndpointHoldsOnlyItsOwn(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	var mu sync.Mutex
	inHung, maxHung := 0, 0
	hung := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		inHung++
		maxHung = max(maxHung, inHung)
		mu.Unlock()
		<-release
		mu.Lock()
		inHung--
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	defer hung.Close()
	got := make(chan string, 10)
	good := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- r.Header.Get("Bawaba-Event-Id")
		w.WriteHeader(http.StatusNoContent)
	}))
	defer good.Close()

	out := &listOutbox{}
	for i := range 6 {
		out.due = append(out.due, webhook.Pending{Message: order.Message{ID: "evt_hung_" + strconv.Itoa(i), URL: hung.URL + "/hook",
			Type: "order.paid", Payload: []byte(`{}`), CreatedAt: time.Now()}})
	}
	for i := range 3 {
		out.due = append(out.due, webhook.Pending{Message: order.Message{ID: "evt_good_" + strconv.Itoa(i), URL: good.URL + "/hook",
			Type: "order.paid", Payload: []byte(`{}`), CreatedAt: time.Now()}})
	}
	d := &webhook.Dispatcher{Outbox: out, Secret: webhookSecret, PerEndpoint: 2, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Client: &http.Client{Timeout: time.Minute}}
	done := make(chan int)
	go func() {
		n, _ := d.RunOnce(context.Background())
		done <- n
	}()
	for range 3 {
		select {
		case <-got:
		case <-time.After(20 * time.Second):
			t.Fatal("the healthy shop's webhooks waited for the hung endpoint")
		}
	}
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		mu.Lock()
		n := inHung
		mu.Unlock()
		if n == 2 || time.Now().After(deadline) {
			break
		}
	}
	time.Sleep(100 * time.Millisecond) // a third one would have arrived by now
	mu.Lock()
	if maxHung != 2 {
		t.Errorf("%d deliveries at once to the hung endpoint, want the per-endpoint limit 2", maxHung)
	}
	mu.Unlock()
	close(release)
	if n := <-done; n != 9 {
		t.Errorf("RunOnce tried %d, want 9", n)
	}
	out.mu.Lock()
	defer out.mu.Unlock()
	if len(out.records) != 9 {
		t.Errorf("%d deliveries recorded, want 9", len(out.records))
	}
	for _, r := range out.records {
		if !r.Delivered {
			t.Errorf("%s not delivered: %s", r.MessageID, r.Err)
		}
	}
}
