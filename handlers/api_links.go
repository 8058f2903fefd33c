package handlers

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/bawaba/checkout/api"
	"github.com/bawaba/checkout/order"
)

// createLinkRequest is the JSON body of POST /api/v1/payment_links.
type createLinkRequest struct {
	Amount      *string           `json:"amount"`
	Currency    string            `json:"currency"`
	MinAmount   *string           `json:"min_amount"`
	MaxAmount   *string           `json:"max_amount"`
	Description string            `json:"description"`
	Items       []createOrderItem `json:"items"`
	Locale      string            `json:"locale"`
	SingleUse   bool              `json:"single_use"`
	MaxPayments *int64            `json:"max_payments"`
	Collect     []string          `json:"collect"`
	ReturnURL   string            `json:"return_url"`
	WebhookURL  string            `json:"webhook_url"`
	Metadata    map[string]string `json:"metadata"`
	ExpiresAt   string            `json:"expires_at"`
}

func (r *createLinkRequest) toNewLink() order.NewLink {
	str := func(p *string) string {
		if p == nil {
			return ""
		}
		return *p
	}
	in := order.NewLink{
		Amount: str(r.Amount), Currency: r.Currency, MinAmount: str(r.MinAmount), MaxAmount: str(r.MaxAmount),
		Description: r.Description, Locale: r.Locale, SingleUse: r.SingleUse, MaxPayments: r.MaxPayments,
		Collect: r.Collect, ReturnURL: r.ReturnURL, WebhookURL: r.WebhookURL, Metadata: r.Metadata,
		ExpiresAt: r.ExpiresAt,
	}
	for _, it := range r.Items {
		in.Items = append(in.Items, order.NewItem{Name: it.Name, Quantity: it.Quantity, UnitAmount: str(it.UnitAmount)})
	}
	return in
}

func createLink(d Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var req createLinkRequest
		idem, ok, err := readCreate(c, &req)
		if !ok {
			return err
		}
		res, err := d.Orders.CreateLink(c.UserContext(), req.toNewLink(), idem)
		if err != nil {
			return linkError(c, err)
		}
		c.Set(fiber.HeaderLocation, "/api/v1/payment_links/"+res.Link.ID)
		c.Set(fiber.HeaderCacheControl, "no-store")
		if res.Replayed {
			c.Set("Idempotent-Replayed", "true")
		} else {
			d.Logger.InfoContext(c.UserContext(), "payment link created", "link", res.Link.ID)
		}
		// As for orders: the link as created, its status as at its creation, so that a replay
		// answers the first answer's bytes.
		created := res.Link.AsCreated()
		return c.Status(fiber.StatusCreated).JSON(d.Views.Link(&created, created.CreatedAt))
	}
}

func getLink(d Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		l, err := d.Orders.Link(c.UserContext(), c.Params("id"))
		if err != nil {
			return linkError(c, err)
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.JSON(d.Views.Link(&l, d.Orders.Now()))
	}
}

// maxLinkList is the most links GET /api/v1/payment_links answers (and its default).
const maxLinkList = 100

// listLinks answers the newest links first, ?limit= of them (1 to 100, default 100).
func listLinks(d Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		limit := maxLinkList
		if q := c.Query("limit"); q != "" {
			n, err := strconv.Atoi(q)
			if err != nil || n < 1 || n > maxLinkList {
				return problem(c, fiber.StatusUnprocessableEntity, ProblemValidation, "Invalid request", "",
					order.FieldError{Field: "limit", Message: "must be a whole number from 1 to 100"})
			}
			limit = n
		}
		list, err := d.Orders.Links(c.UserContext(), limit)
		if err != nil {
			return err
		}
		now := d.Orders.Now()
		views := make([]api.LinkView, len(list))
		for i := range list {
			views[i] = d.Views.Link(&list[i], now)
		}
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.JSON(fiber.Map{"object": "list", "data": views})
	}
}

func deactivateLink(d Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		l, err := d.Orders.DeactivateLink(c.UserContext(), c.Params("id"))
		if err != nil {
			return linkError(c, err)
		}
		d.Logger.InfoContext(c.UserContext(), "payment link deactivated", "link", l.ID)
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.JSON(d.Views.Link(&l, d.Orders.Now()))
	}
}

// linkError maps the link errors to problems (the rest as for orders).
func linkError(c *fiber.Ctx, err error) error {
	var ve *order.ValidationError
	switch {
	case errors.As(err, &ve):
		return problem(c, fiber.StatusUnprocessableEntity, ProblemValidation, "Invalid payment link", "see errors for each field at fault", ve.Fields...)
	case errors.Is(err, order.ErrNotFound):
		return problem(c, fiber.StatusNotFound, ProblemNotFound, "Payment link not found", "")
	}
	return orderError(c, err)
}
