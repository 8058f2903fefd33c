package handlers

import (
	"crypto/rand"
	"crypto/subtle"
	"log/slog"

	"github.com/gofiber/fiber/v2"
)

// CSRF is the middleware that guards form posts. On an unsafe method (anything but GET, HEAD
// and OPTIONS) the "csrf" field of the POSTed form must equal, compared in constant time, the
// token that token(c) returns for the caller's session ("" means none: refused). It runs before
// the handler reads anything; a failure is logged once and answered 403 (the friendly page).
//
// The token is read from the POSTed form only, never from the URL (c.FormValue would also take
// ?csrf=), so that it is never accepted from a place where it leaks to logs and history.
//
// The shopper pages mount it on every POST (ShopperDeps.CSRF); the console under /admin mounts
// it with its own session's token.
func CSRF(token func(c *fiber.Ctx) string, log *slog.Logger) fiber.Handler {
	return func(c *fiber.Ctx) error {
		switch c.Method() {
		case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
			return c.Next()
		}
		want := token(c)
		got := c.Request().PostArgs().Peek("csrf")
		if want == "" || subtle.ConstantTimeCompare([]byte(want), got) != 1 {
			log.WarnContext(c.UserContext(), "csrf check failed", "method", c.Method(), "path", c.Path(), "ip", c.IP())
			return fiber.ErrForbidden
		}
		return c.Next()
	}
}

// CSRF is the CSRF middleware over the shopper's session (see CSRF).
func (s *ShopperDeps) CSRF(log *slog.Logger) fiber.Handler {
	return CSRF(func(c *fiber.Ctx) string {
		t, _ := s.session(c).Values["csrf"].(string)
		return t
	}, log)
}

// csrfToken returns the session's CSRF token for a form, creating it on first use.
func (s *ShopperDeps) csrfToken(c *fiber.Ctx) string {
	sess := s.session(c)
	if t, ok := sess.Values["csrf"].(string); ok && t != "" {
		return t
	}
	t := rand.Text()
	sess.Values["csrf"] = t
	return t
}
