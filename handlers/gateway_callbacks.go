package handlers

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/order"
)

// mountGateways mounts what gateways call: the shopper's browser coming back, and their
// server-to-server notifications. Both work with the shopper pages off (Deps.Shopper nil): a
// payment under way must still be verified and recorded.
func mountGateways(app *fiber.App, d Deps) {
	app.Get("/return/:gateway", gatewayReturn(d))
	app.Post("/return/:gateway", gatewayReturn(d))
	app.Get("/return/:gateway/:attempt", gatewayReturn(d))
	app.Post("/return/:gateway/:attempt", gatewayReturn(d))
	app.Post("/webhooks/:gateway", gatewayWebhook(d))
}

// gatewayReturn is /return/{gateway}/{attempt} (or /return/{gateway} for gateways with one
// registered return URL): the browser back from the gateway. Its query
// (or form) is only a hint: the service verifies with the gateway before anything changes.
func gatewayReturn(d Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		q, _ := url.ParseQuery(string(c.Request().URI().QueryString()))
		if c.Method() == fiber.MethodPost {
			form, _ := url.ParseQuery(string(c.Body()))
			for k, v := range form {
				q[k] = append(q[k], v...)
			}
		}
		var o order.Order
		var err error
		if attempt := c.Params("attempt"); attempt != "" {
			o, err = d.Orders.Return(c.UserContext(), c.Params("gateway"), attempt, q)
		} else {
			// The gateway's one registered return URL: the connector finds the attempt.
			o, err = d.Orders.ReturnTo(c.UserContext(), c.Params("gateway"), q)
		}
		if err != nil {
			return shopperOrderError(c, err)
		}
		if d.Shopper == nil {
			c.Set(fiber.HeaderCacheControl, "no-store")
			return c.Redirect(resultPath(o.ID), fiber.StatusSeeOther)
		}
		return d.Shopper.redirect(c, resultPath(o.ID))
	}
}

// gatewayWebhook is POST /webhooks/{gateway}: a gateway's server telling us something. The
// connector verifies it (signature first, then the gateway's API) before the service applies it.
func gatewayWebhook(d Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		h := http.Header{}
		c.Request().Header.VisitAll(func(k, v []byte) { h.Add(string(k), string(v)) })
		q, _ := url.ParseQuery(string(c.Request().URI().QueryString()))
		req := gateway.WebhookRequest{Header: h, Query: q, Body: bytes.Clone(c.Body())}
		reply, err := d.Orders.Webhook(c.UserContext(), c.Params("gateway"), req)
		if reply.Status != 0 && (err == nil || reply.Status >= 200 && reply.Status < 300) {
			// The gateway's own answer (on success, or when it must hear 2xx whatever happened).
			c.Set(fiber.HeaderContentType, reply.ContentType)
			return c.Status(reply.Status).Send(reply.Body)
		}
		switch {
		case err == nil:
			return c.Status(fiber.StatusOK).SendString("ok")
		case errors.Is(err, gateway.ErrSignature):
			d.Logger.WarnContext(c.UserContext(), "webhook signature rejected", "gateway", c.Params("gateway"), "ip", c.IP())
			return c.Status(fiber.StatusUnauthorized).SendString("signature does not verify")
		case errors.Is(err, gateway.ErrBadRequest):
			d.Logger.WarnContext(c.UserContext(), "webhook rejected", "gateway", c.Params("gateway"), "err", err)
			return c.Status(fiber.StatusBadRequest).SendString("malformed")
		case errors.Is(err, order.ErrNotFound):
			return c.Status(fiber.StatusNotFound).SendString("unknown gateway")
		}
		d.Logger.ErrorContext(c.UserContext(), "webhook failed", "gateway", c.Params("gateway"), "err", err)
		return c.Status(fiber.StatusServiceUnavailable).SendString("try again")
	}
}
