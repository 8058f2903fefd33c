// Package webhook delivers merchant webhooks: it takes the messages the order service put in
// the outbox (in the transaction that decided them), signs each body with the merchant's
// secret (Bawaba-Signature: t=…,v1=…) and POSTs it, retrying with exponential backoff.
package webhook

import (
	"bytes"
	"cmp"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/bawaba/checkout/order"
)

// Outbox is what the dispatcher needs of the store.
type Outbox interface {
	// DueMessages returns undelivered messages whose next try is due at now, claimed for the
	// caller: no other node delivers them at the same time.
	DueMessages(ctx context.Context, now time.Time, limit int) ([]Pending, error)
	// RecordDelivery stores one try and its outcome, and schedules the next (zero next: give up).
	RecordDelivery(ctx context.Context, d Delivery) error
}

// Pending is an outbox message with its delivery bookkeeping.
type Pending struct {
	order.Message
	Attempts int
}

// Delivery is one try to deliver a message.
type Delivery struct {
	MessageID   string
	At          time.Time
	StatusCode  int
	Duration    time.Duration
	Err         string
	Response    string // the first bytes of the endpoint's answer (for the console)
	Delivered   bool
	NextAttempt time.Time // zero with !Delivered: given up
}

// Dispatcher delivers merchant webhooks from the outbox, signed, with exponential backoff for
// at least RetryFor after the event.
type Dispatcher struct {
	Outbox Outbox
	Secret string // signs "t.body" with HMAC-SHA256
	// Secrets, when set, gives the secrets to sign with instead of Secret: the current one and,
	// while a rotation's overlap lasts, the previous one (one v1= per secret).
	Secrets  func() []string
	Client   *http.Client
	Now      func() time.Time
	Logger   *slog.Logger
	RetryFor time.Duration // default 72h
	// Observe, when set, hears each try: its event type, whether it was delivered, how long it took.
	Observe func(eventType string, delivered bool, took time.Duration)
	// Concurrency is how many deliveries run at once (default 16); PerEndpoint how many of them
	// may go to one endpoint, scheme and host (default 2).
	Concurrency, PerEndpoint int
}

// SignatureHeader is the header carrying a merchant webhook's signature.
const SignatureHeader = "Bawaba-Signature"

// Sign returns the Bawaba-Signature value for body at time t:
// "t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>".
func Sign(secret string, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts))
	mac.Write([]byte("."))
	mac.Write(body)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac.Sum(nil))
}

// responsePreview is how much of an endpoint's answer is kept with each delivery try.
const responsePreview = 512

// SignAll is Sign with several secrets: "t=<unix seconds>,v1=<hex>,v1=<hex>…", one signature
// per secret in order, so a shop verifying with either the new or the old secret during a
// rotation accepts the message.
func SignAll(secrets []string, t time.Time, body []byte) string {
	out := ""
	for i, secret := range secrets {
		sig := Sign(secret, t, body)
		if i > 0 {
			_, sig, _ = strings.Cut(sig, ",")
		}
		if out != "" {
			out += ","
		}
		out += sig
	}
	return out
}

// retryDelay is the wait after the n-th failed try: 10s, 20s, 40s … capped at one hour.
func retryDelay(n int) time.Duration {
	d := 10 * time.Second
	for i := 1; i < n && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

// batchSize is how many due messages one RunOnce takes.
const batchSize = 50

// Default concurrency of deliveries (Dispatcher.Concurrency, Dispatcher.PerEndpoint).
const (
	defaultConcurrency = 16
	defaultPerEndpoint = 2
)

// RunOnce delivers every due message once (at most a batch) and returns how many it tried.
// Deliveries run concurrently, at most Concurrency at a time and PerEndpoint to any one
// endpoint (scheme and host): a shop whose endpoint hangs holds PerEndpoint deliveries until the
// client's timeout, while the other shops' messages go on. It returns when every delivery of the
// batch has been recorded.
func (d *Dispatcher) RunOnce(ctx context.Context) (int, error) {
	now := d.now()
	due, err := d.Outbox.DueMessages(ctx, now, batchSize)
	if err != nil {
		return 0, err
	}
	all := make(chan struct{}, cmp.Or(d.Concurrency, defaultConcurrency))
	endpoints := map[string]chan struct{}{}
	var wg sync.WaitGroup
	for _, m := range due {
		key := endpointOf(m.URL)
		one, ok := endpoints[key]
		if !ok {
			one = make(chan struct{}, cmp.Or(d.PerEndpoint, defaultPerEndpoint))
			endpoints[key] = one
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			one <- struct{}{}
			all <- struct{}{}
			defer func() { <-all; <-one }()
			d.deliver(ctx, m)
		}()
	}
	wg.Wait()
	return len(due), nil
}

// RunDue runs batches until a batch is not full: every message due now is tried once.
func (d *Dispatcher) RunDue(ctx context.Context) (int, error) {
	n := 0
	for ctx.Err() == nil {
		tried, err := d.RunOnce(ctx)
		n += tried
		if err != nil || tried < batchSize {
			return n, err
		}
	}
	return n, nil
}

// endpointOf is what the per-endpoint limit counts by: the URL's scheme and host.
func endpointOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	return u.Scheme + "://" + u.Host
}

func (d *Dispatcher) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

func (d *Dispatcher) deliver(ctx context.Context, m Pending) {
	log := d.Logger
	if log == nil {
		log = slog.Default()
	}
	client := d.Client
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	start := d.now()
	rec := Delivery{MessageID: m.ID, At: start}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, m.URL, bytes.NewReader(m.Payload))
	if err == nil {
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("User-Agent", "Bawaba-Webhooks/1")
		secrets := []string{d.Secret}
		if d.Secrets != nil {
			secrets = d.Secrets()
		}
		req.Header.Set(SignatureHeader, SignAll(secrets, start, m.Payload))
		req.Header.Set("Bawaba-Event-Id", m.ID)
		var resp *http.Response
		resp, err = client.Do(req)
		if err == nil {
			head, _ := io.ReadAll(io.LimitReader(resp.Body, responsePreview))
			rec.Response = strings.ToValidUTF8(string(head), "\uFFFD")
			io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
			resp.Body.Close()
			rec.StatusCode = resp.StatusCode
			if resp.StatusCode < 200 || resp.StatusCode > 299 {
				err = fmt.Errorf("answered %d", resp.StatusCode)
			}
		}
	}
	rec.Duration = d.now().Sub(start)
	if d.Observe != nil {
		d.Observe(m.Type, err == nil, rec.Duration)
	}
	if err == nil {
		rec.Delivered = true
	} else {
		rec.Err = err.Error()
		retryFor := d.RetryFor
		if retryFor == 0 {
			retryFor = 72 * time.Hour
		}
		next := start.Add(retryDelay(m.Attempts + 1))
		if next.Sub(m.CreatedAt) <= retryFor {
			rec.NextAttempt = next
		}
		log.Warn("webhook delivery failed", "event", m.ID, "type", m.Type, "order", m.OrderID, "try", m.Attempts+1, "err", err, "next", rec.NextAttempt)
	}
	if err := d.Outbox.RecordDelivery(ctx, rec); err != nil {
		log.Error("record webhook delivery", "event", m.ID, "err", err)
	}
}
