package handlers

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bawaba/checkout/assets"
)

func mountShopper(app *fiber.App, d Deps) {
	app.Get("/assets/:name", serveAsset)
	app.Get("/", demoShow(d))
	app.Post("/demo/orders", demoCreate(d))
	app.Get("/demo/return", demoReturn(d))
	app.Get("/pay/:id", payShow(d))
	app.Get("/pay/:id/confirm", confirmShow(d))
	app.Post("/pay/:id/confirm", confirmPay(d))
	app.Get("/pay/:id/attempt/:attempt", attemptShow(d))
	app.Get("/pay/:id/result", resultShow(d))
	app.Get("/pay/:id/status", statusJSON(d))
	app.Get("/return/:gateway", gatewayReturn(d))
	app.Post("/return/:gateway", gatewayReturn(d))
	app.Get("/return/:gateway/:attempt", gatewayReturn(d))
	app.Post("/return/:gateway/:attempt", gatewayReturn(d))
	app.Post("/webhooks/:gateway", gatewayWebhook(d))
}

// serveAsset serves a fingerprinted file, cached for a year: its name changes with its content.
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
	return c.Send(a.Body)
}
