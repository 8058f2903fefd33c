package handlers

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/gorilla/sessions"

	"github.com/bawaba/checkout/assets"
	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/i18n"
	"github.com/bawaba/checkout/settings"
	"github.com/bawaba/checkout/views"
)

// SecretStore keeps keys that must survive restarts.
type SecretStore interface {
	Secret(ctx context.Context, name string, n int) ([]byte, error)
}

// ShopperConfig is what the shopper pages need to know.
type ShopperConfig struct {
	MerchantName string
	MerchantLogo string
	BaseURL      string
	// ReturnSecret signs the shopper's way back to the shop (order_id, status, signature).
	ReturnSecret string
	Sandbox      bool
	Secrets      SecretStore
	// Shop, when set, gives the merchant's name, logo, brand colour and default language as
	// saved in the console (it wins over MerchantName and MerchantLogo).
	Shop *settings.Live
	// WebhookSecrets, when set, gives the secret that signs return links (it wins over
	// ReturnSecret: the console can rotate it).
	WebhookSecrets *settings.Secrets
}

// ShopperDeps holds the shopper pages' configuration and session store.
type ShopperDeps struct {
	cfg      ShopperConfig
	sessions *sessions.CookieStore
	keep     *keep
}

const sessionName = "bawaba"

// NewShopper prepares the shopper pages. The cookie keys are generated once and kept in the
// database, so a restart logs no one out.
func NewShopper(ctx context.Context, cfg ShopperConfig) (*ShopperDeps, error) {
	hashKey, err := cfg.Secrets.Secret(ctx, "session_hash_key", 64)
	if err != nil {
		return nil, err
	}
	blockKey, err := cfg.Secrets.Secret(ctx, "session_block_key", 32)
	if err != nil {
		return nil, err
	}
	cs := sessions.NewCookieStore(hashKey, blockKey)
	cs.Options = &sessions.Options{
		Path: "/", MaxAge: 7 * 24 * 3600, HttpOnly: true,
		Secure: strings.HasPrefix(cfg.BaseURL, "https://"), SameSite: http.SameSiteLaxMode,
	}
	return &ShopperDeps{cfg: cfg, sessions: cs, keep: newKeep()}, nil
}

// session loads the shopper's session through a net/http bridge; a missing or tampered cookie
// gives a fresh session. A cookie decoded within sessionKeep is not decoded again (keep).
func (s *ShopperDeps) session(c *fiber.Ctx) *sessions.Session {
	if sess, ok := c.Locals("session").(*sessions.Session); ok {
		return sess
	}
	cookie := c.Cookies(sessionName)
	now := time.Now()
	var sess *sessions.Session
	if cookie == "" {
		// No cookie: a fresh session, as gorilla's store would make, without building a
		// net/http request for it (that bridge was a tenth of a first-visit page view).
		sess = s.newSession()
	} else if values, ok := s.keep.session(cookie, now); ok {
		sess = s.newSession()
		sess.Values, sess.IsNew = values, false
	} else {
		r, err := adaptor.ConvertRequest(c, false)
		if err == nil {
			sess, err = s.sessions.Get(r, sessionName)
		}
		if err != nil || sess == nil {
			sess = s.newSession()
		} else if !sess.IsNew {
			s.keep.putSession(strings.Clone(cookie), sess.Values, now)
		}
	}
	c.Locals("session", sess)
	c.Locals("session.loaded", maps.Clone(sess.Values))
	return sess
}

// newSession is an empty, new session with its own copy of the store's cookie options.
func (s *ShopperDeps) newSession() *sessions.Session {
	sess := sessions.NewSession(s.sessions, sessionName)
	opts := *s.sessions.Options
	sess.Options, sess.IsNew = &opts, true
	return sess
}

// headerWriter collects the headers gorilla writes (Set-Cookie) for copying into fiber.
type headerWriter struct{ h http.Header }

func (w *headerWriter) Header() http.Header         { return w.h }
func (w *headerWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *headerWriter) WriteHeader(int)             {}

// saveSession writes the session cookie, only when the values changed during the request (a
// session still empty needs no cookie; an unchanged one keeps the cookie the browser has):
// encoding and signing it on every view cost a sixth of a page view. Call it before writing
// the body.
func (s *ShopperDeps) saveSession(c *fiber.Ctx) error {
	sess, ok := c.Locals("session").(*sessions.Session)
	if !ok {
		return nil
	}
	if loaded, ok := c.Locals("session.loaded").(map[any]any); ok && reflect.DeepEqual(loaded, sess.Values) {
		return nil
	}
	hw := &headerWriter{h: http.Header{}}
	r, err := adaptor.ConvertRequest(c, false)
	if err != nil {
		return err
	}
	if err := sess.Save(r, hw); err != nil {
		return err
	}
	for _, v := range hw.h.Values("Set-Cookie") {
		c.Response().Header.Add(fiber.HeaderSetCookie, v)
	}
	return nil
}

// lang chooses the page language: ?lang= (kept in the session) > session > order locale > browser.
func (s *ShopperDeps) lang(c *fiber.Ctx, orderLocale string) i18n.Lang {
	sess := s.session(c)
	q := c.Query("lang")
	if q == "" {
		q = c.FormValue("lang")
	}
	if l, ok := i18n.Parse(q); ok {
		if sess.Values["lang"] != string(l) {
			sess.Values["lang"] = string(l)
		}
	}
	saved, _ := sess.Values["lang"].(string)
	def := i18n.EN
	if l, ok := i18n.Parse(s.shop().Lang); ok {
		def = l
	}
	return i18n.ChooseOr(def, q, saved, orderLocale, c.Get(fiber.HeaderAcceptLanguage))
}

// page builds the layout data for a page in lang.
func (s *ShopperDeps) page(c *fiber.Ctx, l i18n.Lang, titleKey string) views.Page {
	shop := s.shop()
	brand := ""
	if shop.Brand != "" {
		brand = "/brand.css?c=" + strings.TrimPrefix(shop.Brand, "#")
	}
	return views.Page{
		Lang: l, Title: l.T(titleKey), Merchant: shop.Name, Logo: shop.Logo, BrandCSS: brand,
		Description: l.T("meta.description", "merchant", shop.Name),
		SwitchURL:   switchURL(c, l.Other()), Sandbox: s.cfg.Sandbox,
		CSS: assets.Path("app.css"), JS: assets.Path("app.js"), Icon: assets.Path("favicon.svg"),
	}
}

// switchURL is the current page in the other language (same path and query, lang replaced).
func switchURL(c *fiber.Ctx, to i18n.Lang) string {
	q, _ := url.ParseQuery(string(c.Request().URI().QueryString()))
	q.Set("lang", string(to))
	path := c.Path()
	if c.Method() != fiber.MethodGet {
		return ""
	}
	return path + "?" + q.Encode()
}

// render writes a page: no-store (payment pages must never come back from cache) and the CSP.
func (s *ShopperDeps) render(c *fiber.Ctx, status int, comp templ.Component) error {
	return s.renderEmbed(c, status, comp, nil)
}

// renderEmbed is render for the one page that embeds a gateway's script: its CSP also allows
// that script's origins and its frames, and no other page's does.
func (s *ShopperDeps) renderEmbed(c *fiber.Ctx, status int, comp templ.Component, e *gateway.Embed) error {
	if err := s.pageHeaders(c, status, e); err != nil {
		return err
	}
	return comp.Render(c.UserContext(), c.Response().BodyWriter())
}

// pageHeaders saves the session and sets a page's status and headers (see renderEmbed).
func (s *ShopperDeps) pageHeaders(c *fiber.Ctx, status int, e *gateway.Embed) error {
	if err := s.saveSession(c); err != nil {
		return err
	}
	scripts, frames := "'self'", "'none'"
	if e != nil {
		scripts = strings.Join(append([]string{"'self'"}, e.ScriptOrigins...), " ")
		frames = strings.Join(append([]string{"'self'"}, e.FrameOrigins...), " ")
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentSecurityPolicy, "default-src 'self'; img-src 'self' data: https:; "+
		"script-src "+scripts+"; style-src "+scripts+"; connect-src "+scripts+"; frame-src "+frames+"; "+
		"form-action 'self' https:; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Status(status)
	return nil
}

// redirect sends the browser on with 303 after saving the session.
func (s *ShopperDeps) redirect(c *fiber.Ctx, to string) error {
	if err := s.saveSession(c); err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Redirect(to, fiber.StatusSeeOther)
}

// errorPage is the friendly bilingual page for an HTTP error status.
func (s *ShopperDeps) errorPage(c *fiber.Ctx, status int) error {
	l := s.lang(c, "")
	key := "error.generic"
	switch status {
	case fiber.StatusNotFound:
		key = "error.not_found"
	case fiber.StatusGone:
		key = "error.gone"
	case fiber.StatusForbidden:
		key = "error.forbidden"
	case fiber.StatusBadRequest, fiber.StatusUnprocessableEntity:
		key = "error.bad_request"
	case fiber.StatusRequestEntityTooLarge:
		key = "error.bad_request"
	}
	p := s.page(c, l, key+".title")
	return s.render(c, status, views.ErrorPage(p, status, l.T(key+".title"), l.T(key+".message"), "", ""))
}

// returnLink is the shop's URL with order_id, status and a signature the shop can verify:
// signature = hex(HMAC-SHA256(webhook secret, "<order_id>.<status>")).
func (s *ShopperDeps) returnLink(base, orderID, status string) string {
	u, err := url.Parse(base)
	if err != nil {
		return ""
	}
	q := u.Query()
	q.Set("order_id", orderID)
	q.Set("status", status)
	q.Set("signature", ReturnSignature(s.returnSecret(), orderID, status))
	u.RawQuery = q.Encode()
	return u.String()
}

// ReturnSignature signs the shopper's return to the shop.
func ReturnSignature(secret, orderID, status string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(orderID + "." + status))
	return hex.EncodeToString(m.Sum(nil))
}

// embedView turns a gateway's embed into the view's: the script tag's attributes.
func embedView(e *gateway.Embed) *views.Embed {
	if e == nil {
		return nil
	}
	attrs := templ.Attributes{}
	for _, f := range e.Attributes {
		attrs[f.Name] = f.Value
	}
	return &views.Embed{ScriptURL: e.ScriptURL, Attrs: attrs}
}

// shop is the merchant's settings: the console's when set, else the configuration's.
func (s *ShopperDeps) shop() settings.Shop {
	if s.cfg.Shop != nil {
		return s.cfg.Shop.Get()
	}
	return settings.Shop{Name: s.cfg.MerchantName, Logo: s.cfg.MerchantLogo}
}

// returnSecret is the secret that signs the shopper's way back to the shop.
func (s *ShopperDeps) returnSecret() string {
	if s.cfg.WebhookSecrets != nil {
		return s.cfg.WebhookSecrets.Current()
	}
	return s.cfg.ReturnSecret
}

// brandCSS serves the merchant's brand colour as a stylesheet (the pages' CSP allows no inline
// style). The colour is in the URL, so a change is a new URL and this one may be cached.
func (s *ShopperDeps) brandCSS(c *fiber.Ctx) error {
	brand := s.shop().Brand
	if brand == "" || strings.TrimPrefix(brand, "#") != c.Query("c") {
		return fiber.ErrNotFound
	}
	c.Set(fiber.HeaderContentType, "text/css; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "public, max-age=86400")
	return c.SendString(":root { --brand: " + brand + "; }\n.primary:hover { filter: brightness(0.9); background: var(--brand); }\n")
}
