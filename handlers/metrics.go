package handlers

import (
	"crypto/subtle"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
)

// measure records every request by its route pattern ("/api/v1/orders/:id"), never the raw
// path: ids would make a series each. A request no route matched is counted as "unmatched".
func measure(d Deps) fiber.Handler {
	m := d.Metrics
	return func(c *fiber.Ctx) error {
		start := time.Now()
		err := c.Next()
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
		m.Request(route, c.Method(), status, time.Since(start))
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
