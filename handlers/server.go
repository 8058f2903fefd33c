// Package handlers holds the thin fiber handlers: the merchant API, the shopper pages, the
// gateway returns and webhooks. Each parses its input, calls the order service and renders.
//
// One style: a handler is a factory, func name(d Deps) fiber.Handler, that takes what it needs
// from Deps once and returns the closure (a handler needing nothing, like openAPI, is a plain
// fiber.Handler). Files are named after the action they serve (pay_confirm.go, api_refund.go).
// Routes are mounted in groups: the API (New), the gateways' returns and webhooks
// (mountGateways, always), the shopper pages (mountShopper, when Deps.Shopper is set, every
// POST behind the CSRF middleware).
package handlers

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/adaptor"
	"github.com/gofiber/fiber/v2/middleware/compress"

	"github.com/bawaba/checkout/api"
	"github.com/bawaba/checkout/logging"
	"github.com/bawaba/checkout/metrics"
	"github.com/bawaba/checkout/order"
)

// KeyStore is what the API needs to authenticate merchants.
type KeyStore interface {
	APIKeyID(ctx context.Context, key string) (string, error)
}

// Pinger reports whether the database answers. When it is also a WriteChecker, /healthz and
// /readyz check that it can be written too.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Deps are the handlers' collaborators.
type Deps struct {
	Orders *order.Service
	// Views renders orders as the API answers them (the same api.Views the service encodes
	// merchant webhooks with).
	Views   api.Views
	Keys    KeyStore
	DB      Pinger
	Logger  *slog.Logger
	Version string
	Sandbox bool
	// Simulators are mounted in sandbox mode: path prefix ("/sandbox/tap") → handler.
	Simulators map[string]http.Handler
	// Shopper holds what the shopper pages need; nil leaves them out.
	Shopper *ShopperDeps
	// Metrics, when set, counts every request and is served at GET /metrics, to
	// "Authorization: Bearer <MetricsToken>" only when MetricsToken is set.
	Metrics      *metrics.Metrics
	MetricsToken string
	// Draining, when set and true, makes /readyz answer 503: the server is shutting down.
	Draining func() bool
	// HSTS sends Strict-Transport-Security on every response (the base URL is https).
	HSTS bool
	// Console is the merchant console (package admin), mounted under /admin; nil leaves it out.
	Console interface{ Mount(app *fiber.App) }
}

// maxAPIBody is the largest merchant API request body accepted.
const maxAPIBody = 64 << 10

// New builds the fiber app with every route.
func New(d Deps) *fiber.App {
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	app := fiber.New(fiber.Config{
		AppName:               "bawaba",
		Immutable:             true,
		DisableStartupMessage: true,
		BodyLimit:             1 << 20,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          30 * time.Second,
		IdleTimeout:           120 * time.Second,
		ErrorHandler:          errorHandler(d),
	})
	app.Use(requestID, observe(d), securityHeaders(d.HSTS), compressed)

	app.Get("/healthz", health(d, false))
	app.Get("/readyz", health(d, true))
	if d.Metrics != nil {
		app.Get("/metrics", metricsEndpoint(d))
	}

	app.Get("/api/v1/openapi.json", openAPI)
	api := app.Group("/api/v1", apiAuth(d))
	api.Post("/orders", createOrder(d))
	api.Get("/orders", listOrders(d))
	api.Get("/orders/:id", getOrder(d))
	api.Post("/orders/:id/cancel", cancelOrder(d))
	api.Post("/orders/:id/refund", refundOrder(d))
	api.Post("/payment_links", createLink(d))
	api.Get("/payment_links", listLinks(d))
	api.Get("/payment_links/:id", getLink(d))
	api.Post("/payment_links/:id/deactivate", deactivateLink(d))
	api.Use(func(c *fiber.Ctx) error {
		if allow := apiAllow(c.Path()); allow != "" {
			c.Set(fiber.HeaderAllow, allow)
			return problem(c, fiber.StatusMethodNotAllowed, ProblemMethod, "Method not allowed", c.Method()+" "+c.Path()+": use "+allow)
		}
		return problem(c, fiber.StatusNotFound, ProblemNotFound, "Not found", "no such API route: "+c.Method()+" "+c.Path())
	})

	mountGateways(app, d)
	if d.Shopper != nil {
		mountShopper(app, d)
	}
	if d.Console != nil {
		d.Console.Mount(app)
	}
	for prefix, h := range d.Simulators {
		app.All(prefix+"/*", adaptor.HTTPHandler(detached(h)))
	}
	app.Use(func(c *fiber.Ctx) error { return fiber.ErrNotFound })
	return app
}

// apiAllow returns the methods an API path takes, or "" when no route has that path.
func apiAllow(path string) string {
	path = strings.TrimSuffix(path, "/")
	if rest, ok := strings.CutPrefix(path, "/api/v1/payment_links"); ok {
		switch {
		case rest == "":
			return "GET, POST"
		case strings.Count(rest, "/") == 1:
			return "GET"
		case strings.Count(rest, "/") == 2 && strings.HasSuffix(rest, "/deactivate"):
			return "POST"
		}
		return ""
	}
	rest, ok := strings.CutPrefix(path, "/api/v1/orders")
	switch {
	case !ok:
		return ""
	case rest == "":
		return "GET, POST"
	case strings.Count(rest, "/") == 1:
		return "GET"
	case strings.Count(rest, "/") == 2 && (strings.HasSuffix(rest, "/cancel") || strings.HasSuffix(rest, "/refund")):
		return "POST"
	}
	return ""
}

// detached hands h a request that owns its memory. fiber's adaptor builds the *http.Request
// with strings that alias fasthttp's buffers (method, URL, headers, body), and fasthttp reuses
// those buffers for the next request: a simulator that keeps a header value (an
// Idempotency-Key in a map) would see it change under it. Found when a Tap refund came back as
// the previous one.
func detached(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, "unreadable body", http.StatusBadRequest)
			return
		}
		// fiber's Locals are the request context's values here: the simulator's log lines
		// written with r.Context() carry the request id, as ours do.
		ctx := r.Context()
		if id, ok := ctx.Value(requestIDKey{}).(string); ok {
			ctx = logging.WithRequestID(ctx, id)
		}
		r2 := r.Clone(ctx)
		r2.Method = strings.Clone(r.Method)
		r2.Host = strings.Clone(r.Host)
		r2.RequestURI = strings.Clone(r.RequestURI)
		if u, err := url.Parse(strings.Clone(r.URL.String())); err == nil {
			r2.URL = u
		}
		r2.Header = make(http.Header, len(r.Header))
		for k, vs := range r.Header {
			for _, v := range vs {
				r2.Header.Add(strings.Clone(k), strings.Clone(v))
			}
		}
		r2.Body = io.NopCloser(bytes.NewReader(body))
		h.ServeHTTP(w, r2)
	})
}

// requestID gives every request an id: the client's X-Request-Id when it is a short plain
// token, else a fresh one. It is answered in X-Request-Id, carried by the request's context (so
// every log line of the request names it: logging.New) and put in problem+json bodies.
func requestID(c *fiber.Ctx) error {
	id := c.Get(fiber.HeaderXRequestID)
	if !logging.ValidRequestID(id) {
		id = logging.NewRequestID()
	}
	c.Set(fiber.HeaderXRequestID, id)
	c.Locals(requestIDKey{}, id)
	c.SetUserContext(logging.WithRequestID(c.UserContext(), id))
	return c.Next()
}

type requestIDKey struct{}

// permissionsPolicy turns off the browser features no page of ours uses. payment is left alone:
// a gateway's own script (Apple Pay, Google Pay) may need it.
const permissionsPolicy = "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), usb=()"

// securityHeaders sets the headers every response carries; with hsts (an https base URL, as in
// live mode) Strict-Transport-Security too, for a year (without includeSubDomains: the shop's
// other hosts are not ours to decide for).
func securityHeaders(hsts bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		c.Set("X-Content-Type-Options", "nosniff")
		c.Set("Referrer-Policy", "no-referrer")
		c.Set("X-Frame-Options", "DENY")
		c.Set("Permissions-Policy", permissionsPolicy)
		if hsts {
			c.Set("Strict-Transport-Security", "max-age=31536000")
		}
		return c.Next()
	}
}

// errorHandler answers errors nobody handled: problem+json under /api, a friendly page for
// shoppers; never a stack trace.
func errorHandler(d Deps) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		status := fiber.StatusInternalServerError
		var fe *fiber.Error
		if errors.As(err, &fe) {
			status = fe.Code
		}
		if status >= 500 {
			d.Logger.ErrorContext(c.UserContext(), "request failed", "method", c.Method(), "path", c.Path(), "err", err)
		}
		if strings.HasPrefix(c.Path(), "/api/") || strings.HasPrefix(c.Path(), "/webhooks/") || c.Path() == "/healthz" || c.Path() == "/readyz" {
			switch status {
			case fiber.StatusRequestEntityTooLarge:
				return problem(c, status, ProblemTooLarge, "Request body too large", "the body must be at most 64 KiB")
			case fiber.StatusNotFound:
				return problem(c, status, ProblemNotFound, "Not found", "")
			case fiber.StatusMethodNotAllowed:
				return problem(c, status, ProblemMethod, "Method not allowed", "")
			}
			if status >= 500 {
				return problem(c, status, ProblemInternal, "Internal error", "something went wrong on our side; it was logged")
			}
			return problem(c, status, ProblemMalformed, http.StatusText(status), "")
		}
		if d.Shopper != nil {
			return d.Shopper.errorPage(c, status)
		}
		return c.Status(status).SendString(http.StatusText(status))
	}
}

// openAPI serves the OpenAPI 3.1 document of the merchant API (no key needed).
func openAPI(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	c.Set(fiber.HeaderAccessControlAllowOrigin, "*")
	return c.Send(api.OpenAPI)
}

// compressed sends HTML, CSS, JS and JSON with brotli or gzip to clients that accept them
// (fasthttp picks br first, then gzip, and leaves small bodies and other types alone). Assets
// are compressed once at start (assets package) and pass through as they are.
var compressed = compress.New(compress.Config{
	Level: compress.LevelBestSpeed,
	Next:  func(c *fiber.Ctx) bool { return strings.HasPrefix(c.Path(), "/assets/") },
})
