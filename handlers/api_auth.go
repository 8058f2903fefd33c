package handlers

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// apiAuth requires "Authorization: Bearer <api key>" and keeps the key's id in Locals("key").
// Failures are throttled per client IP (api_throttle.go): a valid key is always served.
func apiAuth(d Deps) fiber.Handler {
	throttle := newAuthThrottle(time.Now)
	return func(c *fiber.Ctx) error {
		scheme, key, ok := strings.Cut(c.Get(fiber.HeaderAuthorization), " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(key) == "" {
			if wait := throttle.failed(c.IP()); wait > 0 {
				return tooMany(c, wait)
			}
			c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="bawaba"`)
			return problem(c, fiber.StatusUnauthorized, ProblemUnauthorized, "Unauthorized",
				`send your API key as "Authorization: Bearer <key>"`)
		}
		id, err := d.Keys.APIKeyID(c.UserContext(), strings.TrimSpace(key))
		if err != nil {
			return err
		}
		if id == "" {
			if wait := throttle.failed(c.IP()); wait > 0 {
				return tooMany(c, wait) // not logged: the first failures were
			}
			d.Logger.WarnContext(c.UserContext(), "api: unknown or revoked key", "ip", c.IP(), "path", c.Path())
			c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="bawaba", error="invalid_token"`)
			return problem(c, fiber.StatusUnauthorized, ProblemUnauthorized, "Unauthorized", "the API key is not valid")
		}
		c.Locals("key", id)
		return c.Next()
	}
}
