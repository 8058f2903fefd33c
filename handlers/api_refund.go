package handlers

import (
	"errors"
	"mime"

	"github.com/gofiber/fiber/v2"

	"github.com/bawaba/checkout/order"
)

type refundRequest struct {
	Amount *string `json:"amount"`
	Reason string  `json:"reason"`
}

// refundOrder is POST /api/v1/orders/{id}/refund: the whole remaining amount, or "amount".
func refundOrder(d Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var req refundRequest
		if body := c.Body(); len(body) > 0 {
			if len(body) > maxAPIBody {
				return problem(c, fiber.StatusRequestEntityTooLarge, ProblemTooLarge, "Request body too large", "")
			}
			if mt, _, err := mime.ParseMediaType(c.Get(fiber.HeaderContentType)); err != nil || mt != "application/json" {
				return problem(c, fiber.StatusUnsupportedMediaType, ProblemMediaType, "Unsupported media type",
					`send the body as JSON with "Content-Type: application/json"`)
			}
			if derr := decodeStrict(body, &req); derr != nil {
				return derr.respond(c)
			}
		}
		amount := ""
		if req.Amount != nil {
			amount = *req.Amount
		}
		if len(req.Reason) > 500 {
			return problem(c, fiber.StatusUnprocessableEntity, ProblemValidation, "Invalid refund", "",
				order.FieldError{Field: "reason", Message: "at most 500 characters"})
		}
		o, ref, err := d.Orders.Refund(c.UserContext(), c.Params("id"), amount, req.Reason)
		switch {
		case errors.Is(err, order.ErrRefundTooLarge):
			return problem(c, fiber.StatusUnprocessableEntity, ProblemValidation, "Refund too large", err.Error(),
				order.FieldError{Field: "amount", Message: "is more than remains paid"})
		case errors.Is(err, order.ErrNotRefundable):
			return problem(c, fiber.StatusConflict, ProblemConflict, "Order cannot be refunded", "only a paid order can be refunded")
		case errors.Is(err, order.ErrRefundUnsupported):
			return problem(c, fiber.StatusConflict, ProblemConflict, "Refund not supported", err.Error())
		case errors.Is(err, order.ErrRefundGatewayError):
			d.Logger.WarnContext(c.UserContext(), "refund refused by gateway", "order", c.Params("id"), "refund", ref.ID, "err", err)
			return problem(c, fiber.StatusBadGateway, ProblemGateway, "The gateway refused the refund", ref.Failure)
		case errors.Is(err, order.ErrRefundPending):
			// The gateway's answer was not final: 202, the refund listed as pending; the refund
			// reconciler settles it and the order.refunded webhook tells the shop.
			d.Logger.WarnContext(c.UserContext(), "refund pending at gateway", "order", o.ID, "refund", ref.ID, "err", err)
			fresh, gerr := d.Orders.Get(c.UserContext(), o.ID)
			if gerr != nil {
				return gerr
			}
			c.Set(fiber.HeaderCacheControl, "no-store")
			return c.Status(fiber.StatusAccepted).JSON(d.Views.Order(&fresh))
		case err != nil:
			return orderError(c, err)
		}
		d.Logger.InfoContext(c.UserContext(), "order refunded", "order", o.ID, "refund", ref.ID, "amount", ref.Amount.String())
		c.Set(fiber.HeaderCacheControl, "no-store")
		fresh, err := d.Orders.Get(c.UserContext(), o.ID)
		if err != nil {
			return err
		}
		return c.Status(fiber.StatusCreated).JSON(d.Views.Order(&fresh))
	}
}
