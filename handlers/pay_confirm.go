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
		return s.render(c, fiber.StatusOK, views.ConfirmPage(s.page(c, l, "confirm.title"), sum, m, sentence,
			s.csrfToken(c), "/pay/"+o.ID+"/confirm", "/pay/"+o.ID+"?method="+method))
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
			order.StartOptions{Locale: string(l)})
		if errors.Is(err, order.ErrMethodUnavailable) {
			return s.redirect(c, "/pay/"+id+"?error=method")
		}
		if err == nil {
			d.Logger.InfoContext(c.UserContext(), "attempt started", "order", id, "attempt", att.ID, "gateway", att.Gateway, "action", act.Kind)
		}
		return s.sendOn(c, id, att, act, err)
	}
}

// attemptContinue is POST /pay/{id}/attempt/{attempt}: what a gateway's script, embedded in
// the attempt page, posted there (a K-Pay card token, a paid QR's chargeId) goes to
// Service.ContinueAttempt, past the CSRF middleware. The post is only a trigger or a token to
// charge: the result is the gateway's answer. A double submit charges once (the service claims
// the attempt); fields the gateway refuses change nothing and get the friendly 400 page.
func attemptContinue(d Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		s := d.Shopper
		id := c.Params("id")
		// ContinueAttempt reads the order in its claim: an unknown order or attempt is
		// ErrNotFound there, so nothing is read before it.
		att, act, err := d.Orders.ContinueAttempt(c.UserContext(), id, c.Params("attempt"), scriptFields(c))
		switch {
		case errors.Is(err, order.ErrNotFound):
			return fiber.ErrNotFound
		case errors.Is(err, order.ErrBadForm):
			return s.errorPage(c, fiber.StatusBadRequest)
		case err == nil:
			d.Logger.InfoContext(c.UserContext(), "attempt continued", "order", id, "attempt", att.ID, "gateway", att.Gateway, "action", act.Kind)
		}
		if act.Kind == gateway.ActionEmbed {
			// Nothing new to show (a paid QR's post): the result page follows the attempt,
			// never the button again.
			act = gateway.Action{}
		}
		return s.sendOn(c, id, att, act, err)
	}
}

// sendOn sends the shopper where a started or continued attempt goes next: the gateway's page,
// our attempt page (a form to post, a script to show), else the result page, which follows
// the attempt. A failure the result page explains (not payable, expired, busy, a gateway that
// failed, recorded on the attempt) goes there too; any other is an error.
func (s *ShopperDeps) sendOn(c *fiber.Ctx, id string, att order.Attempt, act gateway.Action, err error) error {
	if err != nil {
		explained := att.ID != "" // the attempt records the gateway's failure
		for _, e := range []error{order.ErrNotPayable, order.ErrOrderExpired, order.ErrAttemptBusy, order.ErrAttemptClosed} {
			explained = explained || errors.Is(err, e)
		}
		if !explained {
			return err
		}
		return s.redirect(c, resultPath(id))
	}
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

func attemptPath(orderID, attemptID string) string {
	return "/pay/" + orderID + "/attempt/" + attemptID
}

// attemptShow is GET /pay/{id}/attempt/{attempt}: the page that hands a started attempt to
// its gateway when that is not a plain redirect — an auto-submitting form, or the gateway's
// script in our own form posting back here (K-Pay's card, QR and WeChat Pay buttons). Once the
// attempt is no longer pending, or while its script's post is being taken on, the result.
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
			// A code to scan says so and offers to check once paid; a card's form reads as the
			// confirm page did, with its way back.
			scan := att.Method == gateway.MethodThaiQR || att.Method == gateway.MethodWeChat
			title, back := "confirm.title", "/pay/"+id+"?method="+att.Method
			if scan {
				title, back = "embed.title", "/pay/"+id
			}
			return s.renderEmbed(c, fiber.StatusOK, views.EmbedPage(s.page(c, l, title), sum, m, sentence, s.csrfToken(c),
				attemptPath(id, att.ID), *embedView(act.Embed), scan, resultPath(id), back), act.Embed)
		}
		return s.redirect(c, resultPath(id))
	}
}

// scriptFields are the fields a gateway's embedded script added to our attempt page's form:
// every posted field but our own.
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
