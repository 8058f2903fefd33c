package tap

import (
	"net/http"
	"time"

	"github.com/bawaba/checkout/sandbox/internal/simkit"
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
			s.bg.Spawn(func() { s.retry(h, first) })
		}
		return
	}
	s.bg.Spawn(func() {
		first := s.now()
		if !s.deliver(h) {
			s.retry(h, first)
		}
	})
}

// retry re-delivers after RetryBase, doubling the delay up to 5 minutes,
// until a 2xx, Close, or 24h after the first attempt.
func (s *Simulator) retry(h hookable, first time.Time) {
	s.sched.RetryAfter(s.bg.Context(), first, func(int) bool { return s.deliver(h) }, func(int) {
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

	// "hashstring" in lower case, as Tap sends it.
	if !simkit.Deliver(s.bg.Context(), s.client, s.log, "tap sandbox", target, body, http.Header{"hashstring": {sig}}, kind, id, "attempt", attempt) {
		return false
	}
	s.mu.Lock()
	post.Status = "SUCCESS"
	s.mu.Unlock()
	return true
}
