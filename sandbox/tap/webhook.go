package tap

import (
	"bytes"
	"io"
	"net/http"
	"time"
)

// hookable is an object whose JSON the simulator POSTs to its post.url: a
// charge that became final, or a refund. Every method but hookName is called
// with s.mu held.
type hookable interface {
	hookPost() *postInfo        // delivery bookkeeping (post.attempt, post.status, post.url)
	hookBody() []byte           // the JSON POSTed
	signedFields() signedFields // the values signed in the hashstring header (spec §6)
	hookName() (kind, id string)
}

// notify sends the webhook of a charge that just became final (spec §6,
// §9.3a).
func (s *Simulator) notify(id string) {
	s.mu.Lock()
	c := s.charges[id]
	s.mu.Unlock()
	s.notifyHook(c)
}

// notifyHook sends h's webhook. With WebhookFirst the first attempt runs
// before it returns (so before the browser is redirected, or the API call is
// answered); otherwise everything runs in the background. Failed attempts are
// retried in the background until Close.
func (s *Simulator) notifyHook(h hookable) {
	if s.hookFirst {
		first := s.now()
		if !s.deliver(h) {
			s.spawn(func() { s.retry(h, first) })
		}
		return
	}
	s.spawn(func() {
		first := s.now()
		if !s.deliver(h) {
			s.retry(h, first)
		}
	})
}

// retry re-delivers after RetryBase, doubling the delay up to 5 minutes,
// until a 2xx, Close, or 24h after the first attempt.
func (s *Simulator) retry(h hookable, first time.Time) {
	s.schedule().RetryAfter(s.bg.Context(), first, func(int) bool { return s.deliver(h) }, func(int) {
		s.mu.Lock()
		h.hookPost().Status = "FAILED"
		s.mu.Unlock()
		kind, id := h.hookName()
		s.log.Warn("tap sandbox: webhook given up after 24h", kind, id)
	})
}

// deliver makes one webhook attempt and reports whether it got a 2xx.
// post.attempt counts the attempts, this one included.
func (s *Simulator) deliver(h hookable) bool {
	kind, id := h.hookName()
	s.mu.Lock()
	post := h.hookPost()
	post.Attempt++
	attempt, target := post.Attempt, post.URL
	body := h.hookBody()
	sig := hashString(s.secret, h.signedFields())
	s.mu.Unlock()

	req, err := http.NewRequestWithContext(s.bg.Context(), http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		s.log.Error("tap sandbox: webhook request", kind, id, "err", err)
		return false
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header["hashstring"] = []string{sig} // lower-case, as Tap sends it
	resp, err := s.client.Do(req)
	if err != nil {
		s.log.Warn("tap sandbox: webhook failed", kind, id, "attempt", attempt, "err", err)
		return false
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		s.log.Warn("tap sandbox: webhook refused", kind, id, "attempt", attempt, "status", resp.StatusCode)
		return false
	}
	s.mu.Lock()
	post.Status = "SUCCESS"
	s.mu.Unlock()
	s.log.Info("tap sandbox: webhook delivered", kind, id, "attempt", attempt, "status", resp.StatusCode)
	return true
}
