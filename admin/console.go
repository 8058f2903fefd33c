// Package admin is the merchant console under /admin: login with a session, API keys, orders,
// webhook deliveries. Every page is server-rendered (views/admin*.templ), works without
// JavaScript, in Arabic and English. Nothing here is reachable with an API key: the console
// knows only its own session cookie.
//
// Adding a section (payment links, …): before handlers.New mounts the console, call
// console.Extend(NavItem{ID: "links", Path: "/admin/links", LabelKey: "admin.nav.links"}, func(r
// fiber.Router) { r.Get("/links", …) }). The routes run behind the session and CSRF checks; a
// handler builds its layout with console.Page(ctx, titleKey, "links"), renders a views.Admin…
// component through console.Render, and its forms carry @csrfField(p).
package admin

import (
	"context"
	"log/slog"
	"net/url"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"
	"github.com/gorilla/sessions"

	"github.com/bawaba/checkout/assets"
	"github.com/bawaba/checkout/i18n"
	"github.com/bawaba/checkout/order"
	"github.com/bawaba/checkout/settings"
	"github.com/bawaba/checkout/store"
	"github.com/bawaba/checkout/views"
)

// Store is what the console needs of persistence. store.DB implements it.
type Store interface {
	Secret(ctx context.Context, name string, n int) ([]byte, error)
	UserByEmail(ctx context.Context, email string) (store.User, error)
	UserByID(ctx context.Context, id string) (store.User, error)
	RecordLogin(ctx context.Context, id string, at time.Time) error
	APIKeys(ctx context.Context) ([]store.APIKey, error)
	CreateAPIKey(ctx context.Context, name string) (id, key string, err error)
	RevokeAPIKey(ctx context.Context, id string) (bool, error)
	ListOrders(ctx context.Context, f store.OrderFilter, after *store.OrderCursor, limit int) ([]store.OrderRow, error)
	OrderTotals(ctx context.Context, f store.OrderFilter) ([]store.CurrencyTotal, error)
	EachOrder(ctx context.Context, f store.OrderFilter, fn func(store.OrderRow) error) error
	AppendOrderNote(ctx context.Context, orderID, typ string, data map[string]string, at time.Time) error
	OutboxFor(ctx context.Context, orderID string) ([]store.OutboxEntry, error)
	ListWebhookEvents(ctx context.Context, failing bool, after *store.WebhookCursor, limit int) ([]store.WebhookEvent, error)
	Redeliver(ctx context.Context, id string, now time.Time) (bool, error)
	FailingEndpoints(ctx context.Context) (map[string]int, error)
	PaidSince(ctx context.Context, since time.Time) ([]store.PaidLine, error)
	StatusCounts(ctx context.Context, since time.Time) (map[string]int, error)
	NeedsReviewCount(ctx context.Context) (int, error)
}

// Config is the console's configuration and collaborators.
type Config struct {
	BaseURL      string // public URL; https makes the session cookie Secure
	MerchantName string
	Sandbox      bool
	Store        Store
	Orders       *order.Service
	Logger       *slog.Logger
	Now          func() time.Time
	// WakeWorkers, when set, asks the background workers (webhook delivery) to run now rather
	// than at their next tick: a redelivery then happens at once.
	WakeWorkers func()
	// Shop and Secrets are the settings the console edits; nil leaves /admin/settings out.
	Shop    *settings.Live
	Secrets *settings.Secrets
	// Session rules; zero values take the defaults (30 minutes idle, 12 hours at most).
	IdleTimeout time.Duration
	MaxSession  time.Duration
}

// NavItem is one entry of the console's navigation.
type NavItem struct {
	ID       string // compared with a page's Active
	Path     string // /admin/…
	LabelKey string // i18n key
}

// Console is the mounted merchant console.
type Console struct {
	cfg      Config
	log      *slog.Logger
	sessions *sessions.CookieStore
	rules    sessionRules
	throttle *Throttle
	nav      []NavItem
	extra    []func(fiber.Router)
	origin   string // scheme://host of the base URL
}

// New prepares the console. Its cookie keys are generated once and kept in the database,
// apart from the shopper's, so a restart logs no one out.
func New(ctx context.Context, cfg Config) (*Console, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	hashKey, err := cfg.Store.Secret(ctx, "admin_session_hash_key", 64)
	if err != nil {
		return nil, err
	}
	blockKey, err := cfg.Store.Secret(ctx, "admin_session_block_key", 32)
	if err != nil {
		return nil, err
	}
	rules := sessionRules{Idle: cfg.IdleTimeout, Max: cfg.MaxSession}.withDefaults()
	cs := sessions.NewCookieStore(hashKey, blockKey)
	cs.Options = cookieOptions(cfg.BaseURL, rules)
	cs.MaxAge(int(rules.Max.Seconds()))
	cs.Options.MaxAge = 0 // a browser-session cookie; the server enforces the limits
	origin := ""
	if u, err := url.Parse(cfg.BaseURL); err == nil {
		origin = u.Scheme + "://" + u.Host
	}
	c := &Console{cfg: cfg, log: cfg.Logger, sessions: cs, rules: rules, throttle: NewThrottle(), origin: origin}
	c.throttle.Now = cfg.Now
	c.nav = []NavItem{
		{ID: "home", Path: "/admin", LabelKey: "admin.nav.home"},
		{ID: "orders", Path: "/admin/orders", LabelKey: "admin.nav.orders"},
		{ID: "webhooks", Path: "/admin/webhooks", LabelKey: "admin.nav.webhooks"},
		{ID: "links", Path: "/admin/links", LabelKey: "admin.nav.links"},
		{ID: "keys", Path: "/admin/keys", LabelKey: "admin.nav.keys"},
	}
	if cfg.Shop != nil && cfg.Secrets != nil {
		c.nav = append(c.nav, NavItem{ID: "settings", Path: "/admin/settings", LabelKey: "admin.nav.settings"})
	}
	return c, nil
}

// Extend adds a navigation entry and the routes behind it; call it before Mount. The routes get
// the router of the signed-in console: a session is required and every POST is CSRF-checked.
func (c *Console) Extend(item NavItem, routes func(r fiber.Router)) {
	c.nav = append(c.nav, item)
	c.extra = append(c.extra, routes)
}

// Mount registers the console's routes on app.
func (c *Console) Mount(app *fiber.App) {
	csrf := c.csrf()
	app.Get("/admin/login", c.loginShow)
	app.Post("/admin/login", c.sameOrigin, csrf, c.loginCheck)
	r := app.Group("/admin", c.requireUser, c.sameOrigin, csrf)
	r.Post("/logout", c.logout)
	r.Get("/", c.homeShow)
	r.Get("/orders", c.ordersShow)
	r.Get("/orders.csv", c.ordersCSV)
	r.Get("/orders/:id", c.orderShow)
	r.Get("/orders/:id/cancel", c.orderCancelConfirm)
	r.Post("/orders/:id/cancel", c.orderCancel)
	r.Get("/orders/:id/refund", c.orderRefundForm)
	r.Post("/orders/:id/refund", c.orderRefund)
	r.Get("/webhooks", c.webhooksShow)
	r.Post("/webhooks/:id/redeliver", c.webhookRedeliver)
	r.Get("/links", c.linksShow)
	r.Post("/links", c.linkCreate)
	r.Get("/links/:id", c.linkShow)
	r.Post("/links/:id/deactivate", c.linkDeactivate)
	r.Get("/keys", c.keysShow)
	r.Post("/keys", c.keyCreate)
	r.Get("/keys/:id/revoke", c.keyRevokeConfirm)
	r.Post("/keys/:id/revoke", c.keyRevoke)
	if c.cfg.Shop != nil && c.cfg.Secrets != nil {
		r.Get("/settings", c.settingsShow)
		r.Post("/settings", c.settingsSave)
		r.Post("/settings/test-webhook", c.settingsTestWebhook)
		r.Post("/settings/secret/reveal", c.settingsRevealSecret)
		r.Post("/settings/secret/rotate", c.settingsRotateSecret)
	}
	for _, f := range c.extra {
		f(r)
	}
}

// lang picks the console's language: ?lang= (kept in the session), the session, the browser.
func (c *Console) lang(ctx *fiber.Ctx) i18n.Lang {
	sess := c.session(ctx)
	q := ctx.Query("lang")
	if l, ok := i18n.Parse(q); ok && sess.Values["lang"] != string(l) {
		sess.Values["lang"] = string(l)
	}
	saved, _ := sess.Values["lang"].(string)
	return i18n.Choose(q, saved, "", ctx.Get(fiber.HeaderAcceptLanguage))
}

// Page builds the layout data of a console page; active names the nav entry to highlight.
func (c *Console) Page(ctx *fiber.Ctx, titleKey, active string) views.AdminPage {
	l := c.lang(ctx)
	p := views.AdminPage{
		Lang: l, Title: l.T(titleKey), Merchant: c.merchant(), Sandbox: c.cfg.Sandbox,
		CSS: assets.Path("app.css"), AdminCSS: assets.Path("console.css"), JS: assets.Path("console.js"),
		CSRF: c.csrfToken(ctx), Active: active, SwitchURL: switchURL(ctx, l.Other()),
		TZ: c.zone(ctx).String(),
	}
	if u, ok := ctx.Locals(userKey).(store.User); ok {
		p.User = u.Email
		for _, n := range c.nav {
			p.Nav = append(p.Nav, views.AdminNav{ID: n.ID, Path: n.Path, Label: l.T(n.LabelKey)})
		}
	}
	return p
}

// merchant is the shop's name: as saved in the settings, else the configuration's.
func (c *Console) merchant() string {
	if c.cfg.Shop != nil {
		return c.cfg.Shop.Get().Name
	}
	return c.cfg.MerchantName
}

// switchURL is the current GET page in the other language.
func switchURL(ctx *fiber.Ctx, to i18n.Lang) string {
	if ctx.Method() != fiber.MethodGet {
		return "?lang=" + string(to)
	}
	q, _ := url.ParseQuery(string(ctx.Request().URI().QueryString()))
	q.Set("lang", string(to))
	return ctx.Path() + "?" + q.Encode()
}

// zone is the viewer's time zone: the tz cookie console.js sets from the browser, else UTC (the
// page says which zone it shows, so a viewer without JavaScript is not misled).
func (c *Console) zone(ctx *fiber.Ctx) *time.Location {
	if name := ctx.Cookies("tz"); name != "" && len(name) < 64 && !strings.ContainsAny(name, ". ") {
		if loc, err := time.LoadLocation(name); err == nil {
			return loc
		}
	}
	return time.UTC
}

// Render writes a console page: never cached, under a strict Content-Security-Policy.
func (c *Console) Render(ctx *fiber.Ctx, status int, comp templ.Component) error {
	if err := c.saveSession(ctx); err != nil {
		return err
	}
	ctx.Set(fiber.HeaderCacheControl, "no-store")
	// same-origin (not no-referrer): the browser then sends the console's Origin on its POSTs.
	ctx.Set(fiber.HeaderReferrerPolicy, "same-origin")
	ctx.Set(fiber.HeaderContentSecurityPolicy, "default-src 'self'; img-src 'self' data: https:; script-src 'self'; "+
		"style-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
	ctx.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	ctx.Status(status)
	return comp.Render(ctx.UserContext(), ctx.Response().BodyWriter())
}

// redirect sends the browser on with 303 after saving the session.
func (c *Console) redirect(ctx *fiber.Ctx, to string) error {
	if err := c.saveSession(ctx); err != nil {
		return err
	}
	ctx.Set(fiber.HeaderCacheControl, "no-store")
	return ctx.Redirect(to, fiber.StatusSeeOther)
}

// when formats a time in the viewer's zone.
func (c *Console) when(ctx *fiber.Ctx, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(c.zone(ctx)).Format("2006-01-02 15:04:05")
}
