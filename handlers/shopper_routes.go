package handlers

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bawaba/checkout/assets"
)

// mountShopper mounts the shopper pages. Every POST goes through post, which puts the CSRF
// check in front of the handler: a shopper form cannot be mounted without it.
func mountShopper(app *fiber.App, d Deps) {
	csrf := d.Shopper.CSRF(d.Logger)
	post := func(path string, h fiber.Handler) { app.Post(path, csrf, h) }

	app.Get("/assets/:name", serveAsset)
	app.Get("/brand.css", d.Shopper.brandCSS)
	app.Get("/favicon.ico", serveFavicon) // for pages without a <link rel="icon">: the simulators'
	app.Get("/", demoShow(d))
	if d.Shopper.cfg.Sandbox {
		post("/demo/orders", demoCreate(d))
	}
	app.Get("/demo/return", demoReturn(d))
	app.Get("/pay/:id", payShow(d))
	app.Get("/pay/:id/confirm", confirmShow(d))
	post("/pay/:id/confirm", confirmPay(d))
	app.Get("/pay/:id/attempt/:attempt", attemptShow(d))
	post("/pay/:id/attempt/:attempt", attemptContinue(d))
	app.Get("/pay/:id/result", resultShow(d))
	app.Get("/pay/:id/status", statusJSON(d))
	app.Get("/l/:id", linkShow(d))
	post("/l/:id", linkContinue(d))
	app.Get("/l/:id/qr.svg", linkQR(d))
}

// serveAsset serves a fingerprinted file, cached for a year: its name changes with its content.
// serveFavicon answers /favicon.ico with the SVG icon, so that no page logs a 404 for it.
func serveFavicon(c *fiber.Ctx) error {
	a, _ := assets.Lookup(strings.TrimPrefix(assets.Path("favicon.svg"), "/assets/"))
	c.Set(fiber.HeaderCacheControl, "public, max-age=86400")
	c.Set(fiber.HeaderContentType, a.ContentType)
	c.Set(fiber.HeaderContentSecurityPolicy, "default-src 'none'; style-src 'unsafe-inline'")
	return c.Send(a.Body)
}

func serveAsset(c *fiber.Ctx) error {
	a, ok := assets.Lookup(c.Params("name"))
	if !ok {
		return fiber.ErrNotFound
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	c.Set(fiber.HeaderContentType, a.ContentType)
	if strings.HasSuffix(c.Params("name"), ".svg") {
		c.Set(fiber.HeaderContentSecurityPolicy, "default-src 'none'; style-src 'unsafe-inline'")
	}
	c.Vary(fiber.HeaderAcceptEncoding)
	switch {
	case a.Brotli != nil && acceptsEncoding(c, "br"):
		c.Set(fiber.HeaderContentEncoding, "br")
		return c.Send(a.Brotli)
	case a.Gzip != nil && acceptsEncoding(c, "gzip"):
		c.Set(fiber.HeaderContentEncoding, "gzip")
		return c.Send(a.Gzip)
	}
	return c.Send(a.Body)
}

// acceptsEncoding reports whether Accept-Encoding names enc without refusing it (q=0).
func acceptsEncoding(c *fiber.Ctx, enc string) bool {
	for _, part := range strings.Split(c.Get(fiber.HeaderAcceptEncoding), ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.EqualFold(strings.TrimSpace(name), enc) {
			q := strings.ReplaceAll(params, " ", "")
			return q != "q=0" && q != "q=0.0" && q != "q=0.00" && q != "q=0.000"
		}
	}
	return false
}
