package webhook_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bawaba/checkout/api"
	"github.com/bawaba/checkout/order"
	"github.com/bawaba/checkout/webhook"
)

const webhookSecret = "whsec_test_3f9a"

// verify checks a Bawaba-Signature header the way a merchant would, from the documented
// format alone: "t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>".
func verify(secret, header string, body []byte) (ts int64, ok bool) {
	var tPart, v1 string
	for _, kv := range strings.Split(header, ",") {
		k, v, _ := strings.Cut(kv, "=")
		switch k {
		case "t":
			tPart = v
		case "v1":
			v1 = v
		}
	}
	ts, err := strconv.ParseInt(tPart, 10, 64)
	if err != nil {
		return 0, false
	}
	got, err := hex.DecodeString(v1)
	if err != nil {
		return 0, false
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(tPart + "." + string(body)))
	return ts, hmac.Equal(got, mac.Sum(nil))
}

func TestSign(t *testing.T) {
	t.Parallel()
	at := time.Unix(1767225600, 0) // 2026-01-01T00:00:00Z
	body := []byte(`{"id":"evt_1","type":"order.paid"}`)

	// Computed outside Go:
	// printf '1767225600.{"id":"evt_1","type":"order.paid"}' | openssl dgst -sha256 -hmac whsec_test_3f9a
	const want = "t=1767225600,v1=553d61c8670bf8aa1384e29533ffbbb9d8a6846cbf2f0afe2aead6000307df32"

	if got := webhook.Sign(webhookSecret, at, body); got != want {
		t.Errorf("Sign = %s\nwant   %s", got, want)
	}
	if _, ok := verify(webhookSecret, webhook.Sign(webhookSecret, at, body), body); !ok {
		t.Error("a merchant cannot verify the signature")
	}

	differs := []struct {
		name   string
		secret string
		at     time.Time
		body   []byte
	}{
		{"other secret", "whsec_other", at, body},
		{"other time", webhookSecret, at.Add(time.Second), body},
		{"one byte more", webhookSecret, at, append([]byte(nil), append(body, ' ')...)},
		{"re-encoded body", webhookSecret, at, []byte(`{"id": "evt_1", "type": "order.paid"}`)},
	}
	for _, d := range differs {
		if webhook.Sign(d.secret, d.at, d.body) == want {
			t.Errorf("%s: same signature", d.name)
		}
	}
}

// merchant is an httptest server standing in for a shop's webhook endpoint.
type merchant struct {
	srv *httptest.Server

	mu       sync.Mutex
	status   int
	requests []received
}

type received struct {
	header http.Header
	body   []byte
}

func newMerchant(t *testing.T, status int) *merchant {
	m := &merchant{status: status}
	m.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		m.mu.Lock()
		defer m.mu.Unlock()
		m.requests = append(m.requests, received{header: r.Header.Clone(), body: body})
		w.WriteHeader(m.status)
	}))
	t.Cleanup(m.srv.Close)
	return m
}

func (m *merchant) got() []received {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]received(nil), m.requests...)
}

// recordingOutbox passes through to the real store and keeps every Delivery it records.
type recordingOutbox struct {
	webhook.Outbox
	mu         sync.Mutex
	deliveries []webhook.Delivery
}

func (r *recordingOutbox) RecordDelivery(ctx context.Context, d webhook.Delivery) error {
	r.mu.Lock()
	r.deliveries = append(r.deliveries, d)
	r.mu.Unlock()
	return r.Outbox.RecordDelivery(ctx, d)
}

func (e *env) dispatcher(m *merchant, out webhook.Outbox) *webhook.Dispatcher {
	return &webhook.Dispatcher{
		Outbox:   out,
		Secret:   webhookSecret,
		Client:   m.srv.Client(),
		Now:      e.clk.Now,
		Logger:   slog.New(slog.NewTextHandler(io.Discard, nil)),
		RetryFor: time.Minute,
	}
}

func runOnce(t *testing.T, d *webhook.Dispatcher) int {
	t.Helper()
	n, err := d.RunOnce(context.Background())
	if err != nil {
		t.Fatalf("RunOnce: %v", err)
	}
	return n
}

func TestDispatcherDeliversSignedWebhook(t *testing.T) {
	t.Parallel()
	for _, status := range []int{http.StatusOK, http.StatusNoContent} {
		t.Run(http.StatusText(status), func(t *testing.T) {
			e := newEnv(t)
			m := newMerchant(t, status)
			o := e.cancelledOrder(t, m.srv.URL+"/hooks")
			d := e.dispatcher(m, e.st)

			if n := runOnce(t, d); n != 1 {
				t.Fatalf("RunOnce tried %d messages, want 1", n)
			}
			reqs := m.got()
			if len(reqs) != 1 {
				t.Fatalf("merchant got %d requests, want 1", len(reqs))
			}
			r := reqs[0]
			ts, ok := verify(webhookSecret, r.header.Get(webhook.SignatureHeader), r.body)
			if !ok {
				t.Errorf("%s %q does not verify over the body received", webhook.SignatureHeader, r.header.Get(webhook.SignatureHeader))
			}
			if ts != e.clk.Now().Unix() {
				t.Errorf("signature time %d, want %d", ts, e.clk.Now().Unix())
			}
			if ct := r.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("Content-Type = %q", ct)
			}
			var ev api.WebhookEvent
			if err := json.Unmarshal(r.body, &ev); err != nil {
				t.Fatalf("body is not JSON: %v", err)
			}
			if ev.Type != order.NotifyCancelled || ev.Data.Order.ID != o.ID || ev.Data.Order.Status != order.StatusCancelled || ev.Data.Order.Amount != "6.000" {
				t.Errorf("event = %s for %s (%s, %s), want order.cancelled for %s", ev.Type, ev.Data.Order.ID, ev.Data.Order.Status, ev.Data.Order.Amount, o.ID)
			}
			if id := r.header.Get("Bawaba-Event-Id"); id != ev.ID || !strings.HasPrefix(id, "evt_") {
				t.Errorf("Bawaba-Event-Id = %q, body id %q", id, ev.ID)
			}

			msgs, err := e.st.OutboxFor(context.Background(), o.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(msgs) != 1 || !msgs[0].Delivered || msgs[0].Attempts != 1 || msgs[0].LastStatus != status {
				t.Errorf("outbox = %+v, want one delivered message, 1 attempt, last status %d", msgs, status)
			}
			// Delivered: never sent again.
			e.clk.Advance(time.Hour)
			if n := runOnce(t, d); n != 0 {
				t.Errorf("RunOnce after delivery tried %d messages, want 0", n)
			}
		})
	}
}

func TestDispatcherRetriesThenGivesUp(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	m := newMerchant(t, http.StatusInternalServerError)
	o := e.cancelledOrder(t, m.srv.URL)
	rec := &recordingOutbox{Outbox: e.st}
	d := e.dispatcher(m, rec) // RetryFor: one minute
	t0 := e.clk.Now()

	// Tries at +0s, +10s and +30s; the next would be at +70s, past RetryFor: give up.
	steps := []struct {
		at       time.Duration // since the event
		tried    int
		nextTry  time.Duration // since the event; -1: given up
		attempts int
	}{
		{0, 1, 10 * time.Second, 1},
		{5 * time.Second, 0, 0, 1}, // not due yet
		{9 * time.Second, 0, 0, 1}, // not due yet
		{10 * time.Second, 1, 30 * time.Second, 2},
		{29 * time.Second, 0, 0, 2},
		{30 * time.Second, 1, -1, 3},
		{time.Hour, 0, 0, 3}, // given up: never again
		{100 * time.Hour, 0, 0, 3},
	}
	for _, s := range steps {
		e.clk.Advance(t0.Add(s.at).Sub(e.clk.Now()))
		before := len(rec.deliveries)
		if n := runOnce(t, d); n != s.tried {
			t.Fatalf("at +%v: RunOnce tried %d, want %d", s.at, n, s.tried)
		}
		if s.tried == 1 {
			got := rec.deliveries[before]
			if got.Delivered || got.StatusCode != 500 || got.Err == "" {
				t.Errorf("at +%v: delivery = %+v, want failed with 500", s.at, got)
			}
			switch {
			case s.nextTry < 0 && !got.NextAttempt.IsZero():
				t.Errorf("at +%v: next try %v, want none (given up)", s.at, got.NextAttempt.Sub(t0))
			case s.nextTry >= 0 && !got.NextAttempt.Equal(t0.Add(s.nextTry)):
				t.Errorf("at +%v: next try at +%v, want +%v", s.at, got.NextAttempt.Sub(t0), s.nextTry)
			}
		}
		msgs, err := e.st.OutboxFor(context.Background(), o.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) != 1 || msgs[0].Delivered || msgs[0].Attempts != s.attempts || msgs[0].LastStatus != 500 {
			t.Errorf("at +%v: outbox = %+v, want undelivered, %d attempts, last status 500", s.at, msgs, s.attempts)
		}
	}
	if got := len(m.got()); got != 3 {
		t.Errorf("merchant got %d requests, want 3", got)
	}
}

func TestDispatcherRetryRecoversAfterMerchantIsBack(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	m := newMerchant(t, http.StatusServiceUnavailable)
	o := e.cancelledOrder(t, m.srv.URL)
	d := e.dispatcher(m, e.st)

	runOnce(t, d)
	m.mu.Lock()
	m.status = http.StatusOK
	m.mu.Unlock()
	e.clk.Advance(10 * time.Second)
	if n := runOnce(t, d); n != 1 {
		t.Fatalf("retry tried %d, want 1", n)
	}
	msgs, _ := e.st.OutboxFor(context.Background(), o.ID)
	if len(msgs) != 1 || !msgs[0].Delivered || msgs[0].Attempts != 2 || msgs[0].LastStatus != 200 {
		t.Errorf("outbox = %+v, want delivered on the second try", msgs)
	}
	// Every try is signed over the exact bytes sent.
	for i, r := range m.got() {
		if _, ok := verify(webhookSecret, r.header.Get(webhook.SignatureHeader), r.body); !ok {
			t.Errorf("try %d: signature does not verify", i+1)
		}
	}
}

func TestDispatcherUnreachableMerchantIsRetried(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	m := newMerchant(t, http.StatusOK)
	url := m.srv.URL
	m.srv.Close() // nobody listens any more
	o := e.cancelledOrder(t, url)
	rec := &recordingOutbox{Outbox: e.st}
	d := e.dispatcher(m, rec)

	if n := runOnce(t, d); n != 1 {
		t.Fatalf("RunOnce tried %d, want 1", n)
	}
	if len(rec.deliveries) != 1 || rec.deliveries[0].Delivered || rec.deliveries[0].NextAttempt.IsZero() {
		t.Errorf("deliveries = %+v, want one failed try with a next attempt", rec.deliveries)
	}
	if msgs, _ := e.st.OutboxFor(context.Background(), o.ID); len(msgs) != 1 || msgs[0].Delivered {
		t.Errorf("outbox = %+v, want undelivered", msgs)
	}
}

// TestSignAllDuringARotation: with two secrets each signs, so a shop verifying with either the
// new or the old secret (and accepting any v1=, as the README shows) takes the message.
func TestSignAllDuringARotation(t *testing.T) {
	at := time.Unix(1767225600, 0)
	body := []byte(`{"id":"evt_1","type":"order.paid"}`)
	if got := webhook.SignAll([]string{webhookSecret}, at, body); got != webhook.Sign(webhookSecret, at, body) {
		t.Errorf("one secret: %s", got)
	}
	h := webhook.SignAll([]string{"whsec_new", webhookSecret}, at, body)
	parts := strings.Split(h, ",")
	if len(parts) != 3 || parts[0] != "t=1767225600" {
		t.Fatalf("two secrets: %s", h)
	}
	for _, secret := range []string{"whsec_new", webhookSecret} {
		ok := false
		for _, p := range parts[1:] {
			if _, good := verify(secret, parts[0]+","+p, body); good {
				ok = true
			}
		}
		if !ok {
			t.Errorf("a shop with %s cannot verify %s", secret, h)
		}
	}
}
