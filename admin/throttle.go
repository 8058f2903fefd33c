package admin

import (
	"sync"
	"time"
)

// Throttle slows down password guessing. Each key (an account's email, or a client IP) may fail
// FreeFailures times; every failure after that locks the key for a delay that doubles from
// BaseDelay up to MaxDelay. A key's count is forgotten after Forget without a failure, and a
// successful login clears its account's count (not its IP's: one good account must not let an IP
// guess others).
//
// Decision: the counts live in memory. Bawaba is one process; a restart forgets them, which
// costs an attacker a restart they cannot cause. The limits follow the issue's "5 a minute,
// then a growing delay": five free tries, then 15 s, 30 s, 1 min … capped at 15 minutes.
type Throttle struct {
	FreeFailures int
	BaseDelay    time.Duration
	MaxDelay     time.Duration
	Forget       time.Duration
	Now          func() time.Time

	mu   sync.Mutex
	keys map[string]*throttleEntry
}

type throttleEntry struct {
	failures int
	last     time.Time
	until    time.Time
}

// NewThrottle returns a throttle with the console's limits.
func NewThrottle() *Throttle {
	return &Throttle{FreeFailures: 5, BaseDelay: 15 * time.Second, MaxDelay: 15 * time.Minute, Forget: 15 * time.Minute, Now: time.Now}
}

// maxThrottleKeys bounds the memory an attacker spraying IPs or emails can make us use.
const maxThrottleKeys = 100_000

// Wait returns how long the caller must still wait before a try with any of keys is allowed
// (zero: allowed now).
func (t *Throttle) Wait(keys ...string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.Now()
	var wait time.Duration
	for _, k := range keys {
		if e, ok := t.keys[k]; ok && e.until.After(now) {
			wait = max(wait, e.until.Sub(now))
		}
	}
	return wait
}

// Fail records a failed try for each key and returns the delay it now imposes (zero while the
// free failures last).
func (t *Throttle) Fail(keys ...string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.Now()
	if t.keys == nil {
		t.keys = map[string]*throttleEntry{}
	}
	if len(t.keys) >= maxThrottleKeys {
		t.prune(now)
	}
	var wait time.Duration
	for _, k := range keys {
		e, ok := t.keys[k]
		if !ok || now.Sub(e.last) > t.Forget {
			e = &throttleEntry{}
			t.keys[k] = e
		}
		e.failures++
		e.last = now
		if over := e.failures - t.FreeFailures; over > 0 {
			d := t.BaseDelay
			for i := 1; i < over && d < t.MaxDelay; i++ {
				d *= 2
			}
			d = min(d, t.MaxDelay)
			e.until = now.Add(d)
			wait = max(wait, d)
		}
	}
	return wait
}

// Succeed forgets the failures of key.
func (t *Throttle) Succeed(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.keys, key)
}

// prune drops entries neither locked nor recent; if that frees nothing, it drops them all
// rather than grow without bound.
func (t *Throttle) prune(now time.Time) {
	for k, e := range t.keys {
		if e.until.Before(now) && now.Sub(e.last) > t.Forget {
			delete(t.keys, k)
		}
	}
	if len(t.keys) >= maxThrottleKeys {
		clear(t.keys)
	}
}
