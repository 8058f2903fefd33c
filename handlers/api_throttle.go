package handlers

import (
	"strconv"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
)

// Failed API authentications are counted per client IP: from the authFailLimit-th failure
// within authFailWindow (counted from the IP's first failure), each further failure is answered
// 429 with Retry-After until the window ends, and is no longer logged. A valid key is always
// served, from any IP, and does not clear the count: behind a reverse proxy every client has
// the proxy's address, and neither may a scanner lock merchants out nor a merchant's traffic
// hide a scanner. Keys are 256-bit random, so this is not what keeps them secret; it tells a
// scanner to back off and keeps it out of the logs.
const (
	authFailLimit  = 10
	authFailWindow = time.Minute
)

type authThrottle struct {
	now func() time.Time

	mu    sync.Mutex
	fails map[string]*authFails // by client IP
}

type authFails struct {
	n     int
	since time.Time
}

func newAuthThrottle(now func() time.Time) *authThrottle {
	return &authThrottle{now: now, fails: map[string]*authFails{}}
}

// failed counts one failed authentication from ip and returns how long ip should wait before
// trying again, or 0 while it is under the limit.
func (t *authThrottle) failed(ip string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	if len(t.fails) > 10000 { // bound the memory a spread-out scan can take
		for k, f := range t.fails {
			if now.Sub(f.since) >= authFailWindow {
				delete(t.fails, k)
			}
		}
	}
	f, ok := t.fails[ip]
	if !ok || now.Sub(f.since) >= authFailWindow {
		f = &authFails{since: now}
		t.fails[ip] = f
	}
	f.n++
	if f.n <= authFailLimit {
		return 0
	}
	return authFailWindow - now.Sub(f.since)
}

// tooMany answers 429 with Retry-After in whole seconds (rounded up).
func tooMany(c *fiber.Ctx, wait time.Duration) error {
	secs := int((wait + time.Second - 1) / time.Second)
	c.Set(fiber.HeaderRetryAfter, strconv.Itoa(secs))
	return problem(c, fiber.StatusTooManyRequests, ProblemRateLimited, "Too many failed authentications",
		"too many requests with a missing or invalid API key from this address; retry after "+strconv.Itoa(secs)+" s")
}
