package handlers

import (
	"errors"
	"math"
	"strconv"
	"time"

	"github.com/a-h/templ"
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
		o, version, keepable, err := s.keep.order(c.UserContext(), d.Orders, c.Params("id"))
		if err != nil {
			return shopperOrderError(c, err)
		}
		now := d.Orders.Now()
		if !o.Status.Payable() || o.Expired(now) {
			return s.redirect(c, resultPath(o.ID))
		}
		l := s.lang(c, o.Locale)
		key := ""
		if keepable {
			key = s.pageKey(c, "pay", version, string(l), leftToPay(l, &o, now))
		}
		return s.renderKept(c, fiber.StatusOK, key, func() templ.Component {
			errMsg := ""
			if c.Query("error") == "method" {
				errMsg = l.T("pay.error_method")
			}
			return views.PayPage(s.page(c, l, "pay.title"), summarize(l, &o, now), methodOptions(l, d.Orders.Methods(&o)),
				c.Query("method"), errMsg, "/pay/"+o.ID+"/confirm")
		})
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
	s.TimeLeft = leftToPay(l, o, now)
	return s
}

// leftToPay is the time left to pay the order, as its pages say it ("" once it cannot be paid).
func leftToPay(l i18n.Lang, o *order.Order, now time.Time) string {
	if o.Status.Payable() && !o.Expired(now) {
		return timeLeft(l, o.ExpiresAt.Sub(now))
	}
	return ""
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
