package admin

import (
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bawaba/checkout/store"
	"github.com/bawaba/checkout/views"
)

// loginShow is the login form; a live session goes straight on.
func (c *Console) loginShow(ctx *fiber.Ctx) error {
	p := c.Page(ctx, "admin.login.title", "")
	return c.Render(ctx, fiber.StatusOK, views.AdminLogin(p, views.AdminLoginForm{Next: safeNext(ctx.Query("next"))}))
}

// safeNext keeps a post-login destination only when it is a console path (no open redirect).
func safeNext(next string) string {
	if strings.HasPrefix(next, "/admin") && !strings.HasPrefix(next, "//") && !strings.ContainsAny(next, "\\\r\n") &&
		!strings.HasPrefix(next, "/admin/login") && !strings.HasPrefix(next, "/admin/logout") {
		return next
	}
	return ""
}

// loginCheck verifies an email and password, throttled per account and per client IP. Every
// failure is logged with the email and the IP (never the password). The answer is the same for
// an unknown email and a wrong password.
func (c *Console) loginCheck(ctx *fiber.Ctx) error {
	email := strings.ToLower(strings.TrimSpace(ctx.FormValue("email")))
	password := ctx.FormValue("password")
	next := safeNext(ctx.FormValue("next"))
	ip := ctx.IP()
	acct, ipKey := "acct:"+email, "ip:"+ip
	p := c.Page(ctx, "admin.login.title", "")
	form := views.AdminLoginForm{Email: email, Next: next}

	if wait := c.throttle.Wait(acct, ipKey); wait > 0 {
		c.log.Warn("admin: login throttled", "email", email, "ip", ip, "wait", wait.Round(time.Second))
		form.Error = p.T("admin.login.throttled", "seconds", strconv.Itoa(int(wait.Seconds()+0.999)))
		ctx.Set(fiber.HeaderRetryAfter, strconv.Itoa(int(wait.Seconds()+0.999)))
		return c.Render(ctx, fiber.StatusTooManyRequests, views.AdminLogin(p, form))
	}
	u, err := c.cfg.Store.UserByEmail(ctx.UserContext(), email)
	if err != nil && err != store.ErrNoUser {
		return err
	}
	hash := u.PasswordHash
	if err == store.ErrNoUser {
		hash = dummyHash // same work whether or not the account exists
	}
	ok, herr := CheckPassword(hash, password)
	if herr != nil {
		c.log.Error("admin: stored password hash unreadable", "user", u.ID, "err", herr)
	}
	if err == store.ErrNoUser || !ok || herr != nil {
		wait := c.throttle.Fail(acct, ipKey)
		c.log.Warn("admin: login failed", "email", email, "ip", ip, "known_user", err == nil, "delay", wait)
		form.Error = p.T("admin.login.wrong")
		return c.Render(ctx, fiber.StatusUnauthorized, views.AdminLogin(p, form))
	}
	c.throttle.Succeed(acct)
	now := c.cfg.Now()
	sess := c.session(ctx)
	// A fresh CSRF token at login: a token planted before login is worth nothing after it.
	c.endSession(sess)
	sess.Values["uid"] = u.ID
	sess.Values["born"] = now.Unix()
	sess.Values["seen"] = now.Unix()
	if err := c.cfg.Store.RecordLogin(ctx.UserContext(), u.ID, now); err != nil {
		c.log.Error("admin: record login", "user", u.ID, "err", err)
	}
	c.log.Info("admin: login", "user", u.ID, "email", u.Email, "ip", ip)
	if next == "" {
		next = "/admin"
	}
	return c.redirect(ctx, next)
}

// logout ends the session (POST with the CSRF token, so no other site can log a merchant out).
func (c *Console) logout(ctx *fiber.Ctx) error {
	sess := c.session(ctx)
	if u, ok := ctx.Locals(userKey).(store.User); ok {
		c.log.Info("admin: logout", "user", u.ID)
	}
	c.endSession(sess)
	return c.redirect(ctx, "/admin/login?logged_out=1")
}
