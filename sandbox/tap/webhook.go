package tap

import (
	"bytes"
	"io"
	"net/http"
	"time"
)

// notify sends the webhook of a charge that just became final (spec §6,
// §9.3a). With WebhookFirst the first attempt runs before it returns (so
// before the browser is redirected); otherwise everything runs in the
// background. Failed attempts are retried in the background until Close.
func (s *Simulator) notify(id string) {
	if s.hookFirst {
		first := s.now()
		if !s.deliver(id) {
			s.spawn(func() { s.retry(id, first) })
		}
		return
	}
	s.spawn(func() {
		first := s.now()
		if !s.deliver(id) {
			s.retry(id, first)
		}
	})
}

// retry re-delivers after RetryBase, doubling the delay up to 5 minutes,
// until a 2xx, Close, or 24h after the first attempt.
func (s *Simulator) retry(id string, first time.Time) {
	delay := s.retryBase
	for {
		timer := time.NewTimer(delay)
		select {
		case <-s.ctx.Done():
			timer.Stop()
			return
		case <-timer.C:
		}
		if s.now().Sub(first) >= retryWindow {
			s.mu.Lock()
			s.charges[id].Post.Status = "FAILED"
			s.mu.Unlock()
			s.log.Warn("tap sandbox: webhook given up after 24h", "charge", id)
			return
		}
		if s.deliver(id) {
			return
		}
		delay = min(2*delay, maxRetryDelay)
	}
}

// deliver makes one webhook attempt and reports whether it got a 2xx.
// post.attempt counts the attempts, this one included.
func (s *Simulator) deliver(id string) bool {
	s.mu.Lock()
	c := s.charges[id]
	c.Post.Attempt++
	attempt, target := c.Post.Attempt, c.Post.URL
	body := c.render(http.MethodPost)
	sig := hashString(s.secret, c.signedFields())
	s.mu.Unlock()

	req, err := http.NewRequestWithContext(s.ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		s.log.Error("tap sandbox: webhook request", "charge", id, "err", err)
		return false
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header["hashstring"] = []string{sig} // lower-case, as Tap sends it
	resp, err := s.client.Do(req)
	if err != nil {
		s.log.Warn("tap sandbox: webhook failed", "charge", id, "attempt", attempt, "err", err)
		return false
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		s.log.Warn("tap sandbox: webhook refused", "charge", id, "attempt", attempt, "status", resp.StatusCode)
		return false
	}
	s.mu.Lock()
	c.Post.Status = "SUCCESS"
	s.mu.Unlock()
	s.log.Info("tap sandbox: webhook delivered", "charge", id, "attempt", attempt, "status", resp.StatusCode)
	return true
}
