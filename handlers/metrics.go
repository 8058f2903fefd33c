package handlers

import (
	"crypto/subtle"
	"log/slog"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
)

// observe logs and measures every request once it is answered. The access log line is
// "request" with method, route, status, duration_ms and (from the context) request_id, at info
// (debug for the health checks and /metrics, which probes call every few seconds). Both name
// the route pattern ("/api/v1/orders/:id"), never the raw path or query: ids would make a
// metric series each, and a path is no place to look for what a line is about (the request id
// is). A request no route matched is "unmatched"; one a group's middleware refused (a bad API
// key) names the group ("/api/v1"). It runs after requestID, so its line carries the id.
func observe(d Deps) fiber.Handler {
	m, log := d.Metrics, d.Logger
	return func(c *fiber.Ctx) error {
		start := time.Now()
		err := c.Next()
		took := time.Since(start)
		status := c.Response().StatusCode()
		if err != nil {
			// The error handler writes the answer after the middleware returns; count what it
			// will answer.
			status = fiber.StatusInternalServerError
			if fe, ok := err.(*fiber.Error); ok {
				status = fe.Code
			}
		}
		route := c.Route().Path
		if status == fiber.StatusNotFound && (route == "/" || route == "") && c.Path() != "/" {
			route = "unmatched"
		}
		if m != nil {
			m.Request(route, c.Method(), status, took)
		}
		level := slog.LevelInfo
		switch route {
		case "/healthz", "/readyz", "/metrics":
			level = slog.LevelDebug
		}
		log.Log(c.UserContext(), level, "request", "method", c.Method(), "route", route, "status", status,
			"duration_ms", float64(took.Microseconds())/1000)
		return err
	}
}

// metricsEndpoint serves GET /metrics; with a token, only to "Authorization: Bearer <token>".
func metricsEndpoint(d Deps) fiber.Handler {
	h, token := adaptor.HTTPHandler(d.Metrics.Handler()), d.MetricsToken
	return func(c *fiber.Ctx) error {
		if token != "" {
			got := []byte(c.Get(fiber.HeaderAuthorization))
			if subtle.ConstantTimeCompare(got, []byte("Bearer "+token)) != 1 {
				c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="bawaba-metrics"`)
				return c.Status(fiber.StatusUnauthorized).SendString("metrics need the CHECKOUT_METRICS_TOKEN as a bearer token\n")
			}
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return h(c)
	}
}
