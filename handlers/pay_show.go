package handlers

import (
	"errors"
	"math"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bawaba/checkout/assets"
	"github.com/bawaba/checkout/i18n"
	"github.com/bawaba/checkout/money"
	"github.com/bawaba/checkout/order"
	"github.com/bawaba/checkout/views"
)

// payShow is /pay/{id}: the summary and the method choice. An order that can no longer be paid
// (paid, expired, cancelled) shows its result instead, so the back button never pays twice.
func payShow(d Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		s := d.Shopper
		o, err := d.Orders.Get(c.UserContext(), c.Params("id"))
		if err != nil {
			return shopperOrderError(c, err)
		}
		if !o.Status.Payable() || o.Expired(d.Orders.Now()) {
			return s.redirect(c, resultPath(o.ID))
		}
		l := s.lang(c, o.Locale)
		methods := methodOptions(l, d.Orders.Methods(&o))
		errMsg := ""
		if c.Query("error") == "method" {
			errMsg = l.T("pay.error_method")
		}
		return s.render(c, fiber.StatusOK, views.PayPage(s.page(c, l, "pay.title"), summarize(l, &o, d.Orders.Now()),
			methods, c.Query("method"), errMsg, "/pay/"+o.ID+"/confirm"))
	}
}

func resultPath(orderID string) string { return "/pay/" + orderID + "/result" }

// shopperOrderError shows the friendly page for a lookup failure.
func shopperOrderError(c *fiber.Ctx, err error) error {
	if errors.Is(err, order.ErrNotFound) {
		return fiber.ErrNotFound
	}
	return err
}

func methodOptions(l i18n.Lang, ids []string) []views.Method {
	out := make([]views.Method, len(ids))
	for i, id := range ids {
		out[i] = methodOption(l, id)
	}
	return out
}

func methodOption(l i18n.Lang, id string) views.Method {
	return views.Method{ID: id, Label: l.T("method." + id), Logo: assets.Path(id + ".svg")}
}

// formatAmount shows an amount in the page's language.
func formatAmount(l i18n.Lang, a money.Amount) string {
	return a.Format(string(l), money.LatinDigits)
}

// summarize is the order as the shopper sees it, in their language.
func summarize(l i18n.Lang, o *order.Order, now time.Time) views.Summary {
	s := views.Summary{OrderID: o.ID, Reference: o.Reference, Description: o.Description, Total: formatAmount(l, o.Amount)}
	for _, it := range o.Items {
		line, err := it.UnitAmount.MulInt(it.Quantity)
		if err != nil {
			line = it.UnitAmount
		}
		s.Items = append(s.Items, views.Line{Name: it.Name, Quantity: l.Digits(strconv.FormatInt(it.Quantity, 10)), Total: formatAmount(l, line)})
	}
	if o.Status.Payable() && !o.Expired(now) {
		s.TimeLeft = timeLeft(l, o.ExpiresAt.Sub(now))
	}
	return s
}

// timeLeft says how long the order can still be paid: minutes up to two hours, then whole
// hours (rounded down) up to two days, then days.
func timeLeft(l i18n.Lang, d time.Duration) string {
	mins := int(math.Ceil(d.Minutes()))
	switch {
	case mins <= 120:
		return l.N("time.minutes_left", mins)
	case mins <= 48*60:
		return l.N("time.hours_left", mins/60)
	}
	return l.N("time.days_left", mins/(24*60))
}
