// Package simkit holds the plumbing every simulator in sandbox/* shares: the hosted pages'
// frame and base style sheet (page.go), the KNET card form and error summaries (form.go),
// writing a page with the sandbox's security headers, a Config's defaults (Clock, Logger,
// HookClient), background goroutines that Close stops and waits for, the webhook retry
// schedule and one delivery attempt, and the state file kept across restarts (store.go).
//
// Only sandbox/* imports it; the connectors in gateway/* never do (a connector and its
// simulator share no code).
package simkit

import (
	"bytes"
	"context"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"
)

// CSP is the Content-Security-Policy of a hosted page with no script and no external asset
// that no one may frame.
const CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; frame-ancestors 'none'"

// WriteHTML renders the template name of t with v and writes it with status, no caching, no
// referrer, nosniff and csp; a page whose csp ends in "frame-ancestors 'none'" also gets
// X-Frame-Options: DENY. Headers the caller set before (Content-Language, Vary) stay. A
// template error is logged on log as "<who>: render page" and answered with a bare 500.
func WriteHTML(w http.ResponseWriter, log *slog.Logger, who string, status int, t *template.Template, name string, v any, csp string) {
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, v); err != nil {
		log.Error(who+": render page", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	if strings.HasSuffix(csp, "frame-ancestors 'none'") {
		h.Set("X-Frame-Options", "DENY")
	}
	h.Set("Content-Security-Policy", csp)
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// Background runs a simulator's goroutines (webhook deliveries, notifications): Close cancels
// their context and waits for them; after Close, Spawn does nothing. The zero value is ready.
type Background struct {
	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup
	ctx    context.Context
	cancel context.CancelFunc
}

func (b *Background) init() {
	if b.ctx == nil {
		b.ctx, b.cancel = context.WithCancel(context.Background())
	}
}

// Context is done once Close is called.
func (b *Background) Context() context.Context {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.init()
	return b.ctx
}

// Spawn runs fn in a goroutine that Close waits for; after Close it does nothing.
func (b *Background) Spawn(fn func()) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return
	}
	b.init()
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		fn()
	}()
}

// Hold registers work a request does itself (KNET's notification handshake) so that Close
// waits for it too; release ends it. After Close, ok is false and nothing is held.
func (b *Background) Hold() (release func(), ok bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil, false
	}
	b.init()
	b.wg.Add(1)
	return b.wg.Done, true
}

// Close stops background work and waits for it to end.
func (b *Background) Close() {
	b.mu.Lock()
	b.closed = true
	b.init()
	b.mu.Unlock()
	b.cancel()
	b.wg.Wait()
}

// Wait waits until the goroutines spawned so far have ended, without stopping anything: a
// test's way to know that a count of deliveries is final.
func (b *Background) Wait() { b.wg.Wait() }

// HookClient is c, or when nil a client for webhooks and notifications: a 10 s timeout and
// never a redirect followed.
func HookClient(c *http.Client) *http.Client {
	if c != nil {
		return c
	}
	return &http.Client{
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// maxReply is how much of a merchant's reply to a webhook PostJSON reads.
const maxReply = 64 << 10

// PostJSON makes one webhook attempt: it POSTs body as application/json to target on client,
// with the headers of header added as they are spelled (Tap's lower-case "hashstring"), and
// returns the merchant's status and up to 64 KiB of its reply. err is a request that could
// not be made or was not answered.
func PostJSON(ctx context.Context, client *http.Client, target string, body []byte, header http.Header) (status int, reply []byte, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	reply, _ = io.ReadAll(io.LimitReader(resp.Body, maxReply))
	return resp.StatusCode, reply, nil
}

// Deliver makes one webhook attempt with PostJSON and reports whether the merchant answered
// 2xx. It logs the attempt on log as "<who>: webhook failed", "… refused" or "… delivered",
// with args (the webhook's ids and its attempt).
func Deliver(ctx context.Context, client *http.Client, log *slog.Logger, who, target string, body []byte, header http.Header, args ...any) bool {
	status, _, err := PostJSON(ctx, client, target, body, header)
	switch {
	case err != nil:
		log.Warn(who+": webhook failed", append(args, "err", err)...)
	case !OK(status):
		log.Warn(who+": webhook refused", append(args, "status", status)...)
	default:
		log.Info(who+": webhook delivered", append(args, "status", status)...)
		return true
	}
	return false
}

// OK reports whether status is a 2xx.
func OK(status int) bool { return status >= 200 && status <= 299 }

// Sleep waits d, or less when ctx ends first; it reports whether the whole d passed.
func Sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// The webhook retry schedule every simulator that retries keeps (Webhooks).
const (
	DefaultRetryBase = 2 * time.Second // first retry delay when a Config's RetryBase is 0
	MaxRetryDelay    = 5 * time.Minute // the doubling delay's cap
	RetryWindow      = 24 * time.Hour  // retries stop this long after the first attempt
)

// Webhooks is the sandbox's webhook schedule on clock now: a first retry after base
// (DefaultRetryBase when base is 0 or less), doubling up to MaxRetryDelay, for RetryWindow.
func Webhooks(base time.Duration, now func() time.Time) Schedule {
	if base <= 0 {
		base = DefaultRetryBase
	}
	return Schedule{Base: base, Max: MaxRetryDelay, Window: RetryWindow, Now: now}
}

// Clock is now, or time.Now when now is nil (a Config's Now).
func Clock(now func() time.Time) func() time.Time {
	if now == nil {
		return time.Now
	}
	return now
}

// Logger is log, or slog.Default() when log is nil (a Config's Logger).
func Logger(log *slog.Logger) *slog.Logger {
	if log == nil {
		return slog.Default()
	}
	return log
}

// Retry runs sc.Retry in the background (see Spawn), stopped by Close.
func (b *Background) Retry(sc Schedule, deliver func(attempt int) bool, giveUp func(attempts int)) {
	b.Spawn(func() { sc.Retry(b.Context(), deliver, giveUp) })
}

// Schedule is the sandbox's webhook retry schedule: a first attempt, then another after Base,
// the delay doubling up to Max, until the merchant answers 2xx, the context ends, or Window has
// passed since the first attempt.
type Schedule struct {
	Base, Max, Window time.Duration
	Now               func() time.Time
}

// Retry delivers at once and then on the schedule. deliver reports a 2xx; attempt counts from
// 1. giveUp learns how many attempts were made when the window closes.
func (sc Schedule) Retry(ctx context.Context, deliver func(attempt int) bool, giveUp func(attempts int)) {
	first := sc.Now()
	if deliver(1) {
		return
	}
	sc.RetryAfter(ctx, first, deliver, giveUp)
}

// RetryAfter is Retry once a first attempt, made at first, has failed.
func (sc Schedule) RetryAfter(ctx context.Context, first time.Time, deliver func(attempt int) bool, giveUp func(attempts int)) {
	delay := sc.Base
	for attempt := 2; ; attempt++ {
		if !Sleep(ctx, delay) {
			return
		}
		if sc.Now().Sub(first) >= sc.Window {
			giveUp(attempt - 1)
			return
		}
		if deliver(attempt) {
			return
		}
		delay = min(2*delay, sc.Max)
	}
}
