package handlers

import (
	"errors"
	"net/url"
	"slices"

	"github.com/gofiber/fiber/v2"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/order"
	"github.com/bawaba/checkout/views"
)

// confirmShow is GET /pay/{id}/confirm?method=…: "You are paying KD 6.000 to … with KNET".
func confirmShow(d Deps) fiber.Handler {
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
		method := c.Query("method")
		if !slices.Contains(d.Orders.Methods(&o), method) {
			return s.redirect(c, "/pay/"+o.ID+"?error=method")
		}
		m := methodOption(l, method)
		sum := summarize(l, &o, d.Orders.Now())
		sentence := l.T("confirm.sentence", "amount", sum.Total, "merchant", s.shop().Name, "method", nowrap(m.Label))
		embed, err := d.Orders.EmbedFor(c.UserContext(), &o, method, string(l))
		if err != nil {
			return err
		}
		return s.renderEmbed(c, fiber.StatusOK, views.ConfirmPage(s.page(c, l, "confirm.title"), sum, m, sentence,
			s.csrfToken(c), "/pay/"+o.ID+"/confirm", "/pay/"+o.ID+"?method="+method, embedView(embed)), embed)
	}
}

// confirmPay is POST /pay/{id}/confirm: start (or reuse) the attempt and send the shopper on.
func confirmPay(d Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		s := d.Shopper
		id := c.Params("id")
		o, err := d.Orders.Get(c.UserContext(), id)
		if err != nil {
			return shopperOrderError(c, err)
		}
		l := s.lang(c, o.Locale)
		att, act, err := d.Orders.StartAttempt(c.UserContext(), id, c.FormValue("method"),
			order.StartOptions{Locale: string(l), Form: scriptFields(c)})
		switch {
		case errors.Is(err, order.ErrMethodUnavailable):
			return s.redirect(c, "/pay/"+id+"?error=method")
		case err != nil:
			// Not payable, expired, busy, or the gateway failed (recorded on the attempt):
			// the result page says which, and offers the way on.
			if att.ID == "" && !errors.Is(err, order.ErrNotPayable) && !errors.Is(err, order.ErrOrderExpired) && !errors.Is(err, order.ErrAttemptBusy) {
				return err
			}
			return s.redirect(c, resultPath(id))
		}
		d.Logger.InfoContext(c.UserContext(), "attempt started", "order", id, "attempt", att.ID, "gateway", att.Gateway, "action", act.Kind)
		switch act.Kind {
		case gateway.ActionRedirect:
			return s.redirect(c, act.URL)
		case gateway.ActionPostForm, gateway.ActionEmbed:
			// Post/Redirect/Get: a reload or the back button shows the page again, never
			// re-posts the confirmation.
			return s.redirect(c, attemptPath(id, att.ID))
		}
		return s.redirect(c, resultPath(id))
	}
}

func attemptPath(orderID, attemptID string) string {
	return "/pay/" + orderID + "/attempt/" + attemptID
}

// attemptShow is GET /pay/{id}/attempt/{attempt}: the page that hands a started attempt to
// its gateway when that is not a plain redirect — an auto-submitting form, or the gateway's
// script in our own form (K-Pay's QR). Once the attempt is no longer pending, the result.
func attemptShow(d Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		s := d.Shopper
		id := c.Params("id")
		o, err := d.Orders.Get(c.UserContext(), id)
		if err != nil {
			return shopperOrderError(c, err)
		}
		var att *order.Attempt
		for i := range o.Attempts {
			if o.Attempts[i].ID == c.Params("attempt") {
				att = &o.Attempts[i]
			}
		}
		if att == nil {
			return fiber.ErrNotFound
		}
		act := att.Action
		if att.Status != gateway.StatusPending || !o.Status.Payable() || o.Expired(d.Orders.Now()) {
			return s.redirect(c, resultPath(id))
		}
		l := s.lang(c, o.Locale)
		switch {
		case act.Kind == gateway.ActionPostForm:
			fields := make([][2]string, len(act.Fields))
			for i, f := range act.Fields {
				fields[i] = [2]string{f.Name, f.Value}
			}
			return s.render(c, fiber.StatusOK, views.PostFormPage(s.page(c, l, "go.title"), act.URL, fields))
		case act.Kind == gateway.ActionEmbed && act.Embed != nil:
			m := methodOption(l, att.Method)
			sum := summarize(l, &o, d.Orders.Now())
			sentence := l.T("confirm.sentence", "amount", sum.Total, "merchant", s.shop().Name, "method", nowrap(m.Label))
			return s.renderEmbed(c, fiber.StatusOK, views.EmbedPage(s.page(c, l, "embed.title"), sum, m, sentence,
				act.Embed.FormAction, *embedView(act.Embed), resultPath(id), "/pay/"+id), act.Embed)
		}
		return s.redirect(c, resultPath(id))
	}
}

// scriptFields are the fields a gateway's embedded script added to our confirm form: every
// posted field but our own.
func scriptFields(c *fiber.Ctx) url.Values {
	form, err := url.ParseQuery(string(c.Body()))
	if err != nil {
		return nil
	}
	for _, own := range []string{"csrf", "method", "lang"} {
		form.Del(own)
	}
	if len(form) == 0 {
		return nil
	}
	return form
}
