package admin

import (
	"crypto/rand"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/gorilla/sessions"

	"github.com/bawaba/checkout/handlers"
	"github.com/bawaba/checkout/store"
)

// sessionName is the console's cookie, apart from the shopper's "bawaba".
const sessionName = "bawaba_admin"

// userKey is the fiber Locals key holding the signed-in store.User.
const userKey = "admin_user"

// sessionRules are when a console session ends: after Idle without a request, and Max after the
// login whatever happens.
type sessionRules struct {
	Idle time.Duration
	Max  time.Duration
}

func (r sessionRules) withDefaults() sessionRules {
	if r.Idle <= 0 {
		r.Idle = 30 * time.Minute
	}
	if r.Max <= 0 {
		r.Max = 12 * time.Hour
	}
	return r
}

// valid reports whether a session logged in at born and last seen at seen is still alive at
// now. A time in the future (a clock change, a forged value) is not trusted.
func (r sessionRules) valid(born, seen, now time.Time) bool {
	if born.IsZero() || seen.IsZero() || seen.Before(born) || seen.After(now.Add(time.Minute)) {
		return false
	}
	return now.Sub(seen) < r.Idle && now.Sub(born) < r.Max
}

// cookieOptions: HttpOnly, SameSite=Strict (a link from another site arrives without the
// session), Secure when the console is served over https, scoped to /admin.
func cookieOptions(baseURL string, r sessionRules) *sessions.Options {
	return &sessions.Options{
		Path: "/admin", MaxAge: int(r.Max.Seconds()), HttpOnly: true,
		Secure: strings.HasPrefix(baseURL, "https://"), SameSite: http.SameSiteStrictMode,
	}
}

// session loads the console session; a missing, expired or tampered cookie gives a fresh one.
func (c *Console) session(ctx *fiber.Ctx) *sessions.Session {
	if sess, ok := ctx.Locals("admin_session").(*sessions.Session); ok {
		return sess
	}
	r, err := adaptor.ConvertRequest(ctx, false)
	var sess *sessions.Session
	if err == nil {
		sess, err = c.sessions.Get(r, sessionName)
	}
	if err != nil || sess == nil {
		sess = sessions.NewSession(c.sessions, sessionName)
		opts := *c.sessions.Options
		sess.Options = &opts
		sess.IsNew = true
	}
	ctx.Locals("admin_session", sess)
	return sess
}

type headerWriter struct{ h http.Header }

func (w *headerWriter) Header() http.Header         { return w.h }
func (w *headerWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *headerWriter) WriteHeader(int)             {}

// saveSession writes the session cookie when a session was loaded; call it before the body.
func (c *Console) saveSession(ctx *fiber.Ctx) error {
	sess, ok := ctx.Locals("admin_session").(*sessions.Session)
	if !ok {
		return nil
	}
	r, err := adaptor.ConvertRequest(ctx, false)
	if err != nil {
		return err
	}
	hw := &headerWriter{h: http.Header{}}
	if err := sess.Save(r, hw); err != nil {
		return err
	}
	for _, v := range hw.h.Values("Set-Cookie") {
		ctx.Response().Header.Add(fiber.HeaderSetCookie, v)
	}
	return nil
}

func unix(v any) time.Time {
	if n, ok := v.(int64); ok && n > 0 {
		return time.Unix(n, 0)
	}
	return time.Time{}
}

// requireUser lets a request through only with a live session of an existing user; else a
// page goes to the login (coming back afterwards) and the CSV export answers 401.
func (c *Console) requireUser(ctx *fiber.Ctx) error {
	sess := c.session(ctx)
	now := c.cfg.Now()
	uid, _ := sess.Values["uid"].(string)
	if uid != "" && c.rules.valid(unix(sess.Values["born"]), unix(sess.Values["seen"]), now) {
		u, err := c.cfg.Store.UserByID(ctx.UserContext(), uid)
		if err == nil {
			sess.Values["seen"] = now.Unix()
			ctx.Locals(userKey, u)
			return ctx.Next()
		}
		if err != store.ErrNoUser {
			return err
		}
	}
	if uid != "" {
		c.log.Info("admin: session ended", "reason", "expired or user removed", "ip", ctx.IP())
		c.endSession(sess)
	}
	if strings.HasSuffix(ctx.Path(), ".csv") {
		if err := c.saveSession(ctx); err != nil {
			return err
		}
		return ctx.Status(fiber.StatusUnauthorized).SendString("401 Unauthorized: log in to the console first\n")
	}
	next := ""
	if ctx.Method() == fiber.MethodGet {
		next = "?next=" + url.QueryEscape(string(ctx.Request().URI().RequestURI()))
	}
	return c.redirect(ctx, "/admin/login"+next)
}

// endSession forgets who was signed in (the language stays).
func (c *Console) endSession(sess *sessions.Session) {
	for _, k := range []string{"uid", "born", "seen", "csrf"} {
		delete(sess.Values, k)
	}
}

// csrfToken returns the session's CSRF token, creating it on first use.
func (c *Console) csrfToken(ctx *fiber.Ctx) string {
	sess := c.session(ctx)
	if t, ok := sess.Values["csrf"].(string); ok && t != "" {
		return t
	}
	t := rand.Text()
	sess.Values["csrf"] = t
	return t
}

// csrf is the shared CSRF middleware (handlers.CSRF) over the console's own session token.
func (c *Console) csrf() fiber.Handler {
	return handlers.CSRF(func(ctx *fiber.Ctx) string {
		t, _ := c.session(ctx).Values["csrf"].(string)
		return t
	}, c.log)
}

// sameOrigin refuses an unsafe request a browser says came from another site: Sec-Fetch-Site
// decides when the browser sends it; else an Origin, when sent, must be the console's (a
// "null" origin is refused). Requests with neither header (curl) still need the session cookie
// and the CSRF token.
func (c *Console) sameOrigin(ctx *fiber.Ctx) error {
	if ctx.Method() == fiber.MethodGet || ctx.Method() == fiber.MethodHead {
		return ctx.Next()
	}
	site := ctx.Get("Sec-Fetch-Site")
	origin := ctx.Get(fiber.HeaderOrigin)
	ok := site == "same-origin" || site == "none"
	if site == "" {
		ok = origin == "" || origin == c.origin
	}
	if !ok {
		c.log.Warn("admin: cross-origin request refused", "method", ctx.Method(), "path", ctx.Path(), "origin", origin, "sec_fetch_site", site, "ip", ctx.IP())
		return fiber.ErrForbidden
	}
	return ctx.Next()
}
