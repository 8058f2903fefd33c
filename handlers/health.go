package handlers

import (
	"context"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
)

// WriteChecker proves the database can be written (store.DB.CheckWrite: a real write in a
// scratch table).
type WriteChecker interface {
	CheckWrite(ctx context.Context) error
}

// writeCheckEvery bounds how often /healthz writes: at most one write per period, whatever
// the polling rate; the answer in between is the last one.
const writeCheckEvery = 5 * time.Second

// writeProbe caches the last write check.
type writeProbe struct {
	db  WriteChecker
	now func() time.Time

	mu   sync.Mutex
	at   time.Time
	last error
}

// check returns the last write check's result, writing again once it is writeCheckEvery old.
// Concurrent callers wait for one write rather than each writing.
func (p *writeProbe) check(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if now := p.now(); p.at.IsZero() || now.Sub(p.at) >= writeCheckEvery {
		p.last, p.at = p.db.CheckWrite(ctx), now
	}
	return p.last
}

// health serves /healthz (is this process healthy: the database answers a read and takes a
// write, checked at most every writeCheckEvery) and, with ready, /readyz (should traffic come
// here: the same, and the server is not shutting down). Both answer 503 when not.
func health(d Deps, ready bool) fiber.Handler {
	var probe *writeProbe
	if wc, ok := d.DB.(WriteChecker); ok {
		probe = &writeProbe{db: wc, now: time.Now}
	}
	return func(c *fiber.Ctx) error {
		ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
		defer cancel()
		body := fiber.Map{"status": "ok", "version": d.Version, "sandbox": d.Sandbox, "database": "ok"}
		status := fiber.StatusOK
		if err := d.DB.Ping(ctx); err != nil {
			d.Logger.ErrorContext(c.UserContext(), "health: database", "err", err)
			body["status"], body["database"] = "unavailable", "unavailable"
			status = fiber.StatusServiceUnavailable
		} else if probe != nil {
			if err := probe.check(ctx); err != nil {
				d.Logger.ErrorContext(c.UserContext(), "health: database cannot be written", "err", err)
				body["status"], body["database"] = "unavailable", "read_only"
				status = fiber.StatusServiceUnavailable
			}
		}
		if ready && d.Draining != nil && d.Draining() {
			body["status"] = "draining"
			status = fiber.StatusServiceUnavailable
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.Status(status).JSON(body)
	}
}
