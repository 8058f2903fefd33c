package handlers

import (
	"crypto/hmac"
	"crypto/rand"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bawaba/checkout/money"
	"github.com/bawaba/checkout/order"
	"github.com/bawaba/checkout/views"
)

// The sandbox demo shop: it creates orders through the same service as the API, so a new user
// can pay a test order within a minute of starting the server.
type demoProduct struct {
	id, amount, currency string
}

var demoProducts = []demoProduct{
	{"coffee", "6.000", "KWD"},
	{"dates", "2.750", "KWD"},
	{"scarf", "590.00", "THB"},
	{"tea", "25000.000", "IQD"},
}

func demoShow(d Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		s := d.Shopper
		if !s.cfg.Sandbox {
			return fiber.ErrNotFound
		}
		l := s.lang(c, "")
		products := make([]views.DemoProduct, len(demoProducts))
		for i, p := range demoProducts {
			products[i] = views.DemoProduct{ID: p.id, Name: l.T("demo.product." + p.id),
				Price: formatAmount(l, money.MustParse(p.amount, p.currency))}
		}
		p := s.page(c, l, "demo.title")
		p.Indexable, p.Description = true, l.T("demo.description")
		return s.render(c, fiber.StatusOK, views.DemoPage(p, products, s.csrfToken(c), "/demo/orders"))
	}
}

func demoCreate(d Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		s := d.Shopper
		l := s.lang(c, "")
		var p *demoProduct
		for i := range demoProducts {
			if demoProducts[i].id == c.FormValue("product") {
				p = &demoProducts[i]
			}
		}
		if p == nil {
			return fiber.ErrBadRequest
		}
		name := l.T("demo.product." + p.id)
		res, err := d.Orders.Create(c.UserContext(), order.NewOrder{
			Amount: p.amount, Currency: p.currency, Reference: "demo-" + strings.ToLower(rand.Text()[:10]),
			Description: name, Items: []order.NewItem{{Name: name, Quantity: 1, UnitAmount: p.amount}},
			Locale: string(l), ReturnURL: s.cfg.BaseURL + "/demo/return", CancelURL: s.cfg.BaseURL + "/demo/return",
		}, nil)
		if err != nil {
			return err
		}
		return s.redirect(c, "/pay/"+res.Order.ID)
	}
}

// demoReturn is the demo shop's return page: it verifies the signature as a real shop would.
func demoReturn(d Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		s := d.Shopper
		if !s.cfg.Sandbox {
			return fiber.ErrNotFound
		}
		id, status := c.Query("order_id"), c.Query("status")
		want := ReturnSignature(s.returnSecret(), id, status)
		verified := id != "" && hmac.Equal([]byte(want), []byte(c.Query("signature")))
		switch status {
		case "paid", "failed", "cancelled", "expired", "refunded":
		default:
			verified, status = false, "failed"
		}
		l := s.lang(c, "")
		return s.render(c, fiber.StatusOK, views.DemoReturnPage(s.page(c, l, "demo.return_title"), verified, status, id))
	}
}
