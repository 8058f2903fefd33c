package handlers

import (
	"crypto/rand"
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/bawaba/checkout/i18n"
	"github.com/bawaba/checkout/order"
	"github.com/bawaba/checkout/views"
)

// linkShow is GET /l/{id}: a payment link's page, counted as a view. A link that can no longer
// be paid shows why, with 410.
func linkShow(d Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		l, err := d.Orders.ViewLink(c.UserContext(), c.Params("id"))
		if err != nil {
			return linkPageError(d, c, "", err)
		}
		if st := l.State(d.Orders.Now()); st != order.LinkActive {
			return linkPageError(d, c, l.Locale, &order.LinkGoneError{State: st})
		}
		return renderLink(d, c, &l, order.LinkInput{}, nil, fiber.StatusOK)
	}
}

// linkContinue is POST /l/{id} (behind the CSRF middleware): the order the shopper pays,
// then the normal checkout. Bad input shows the form again with each field's message (422).
func linkContinue(d Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		id := c.Params("id")
		in := order.LinkInput{Amount: c.FormValue("amount"), Name: c.FormValue("name"), Phone: c.FormValue("phone"),
			Email: c.FormValue("email"), Nonce: c.FormValue("nonce")}
		if len(in.Nonce) > 64 {
			in.Nonce = ""
		}
		o, err := d.Orders.LinkCheckout(c.UserContext(), id, in)
		var ve *order.ValidationError
		if errors.As(err, &ve) {
			l, lerr := d.Orders.Link(c.UserContext(), id)
			if lerr != nil {
				return linkPageError(d, c, "", lerr)
			}
			return renderLink(d, c, &l, in, ve, fiber.StatusUnprocessableEntity)
		}
		if err != nil {
			return linkPageError(d, c, "", err)
		}
		l := d.Shopper.lang(c, o.Locale)
		return d.Shopper.redirect(c, "/pay/"+o.ID+"?lang="+string(l))
	}
}

// linkPageError shows the friendly page for a link that is unknown (404), gone (410) or busy
// (409); anything else goes to the error handler.
func linkPageError(d Deps, c *fiber.Ctx, locale string, err error) error {
	s := d.Shopper
	var gone *order.LinkGoneError
	status, key := 0, ""
	switch {
	case errors.Is(err, order.ErrNotFound):
		status, key = fiber.StatusNotFound, "link.not_found"
	case errors.As(err, &gone):
		status, key = fiber.StatusGone, "link.gone."+string(gone.State)
	case errors.Is(err, order.ErrLinkBusy):
		status, key = fiber.StatusConflict, "link.busy"
	default:
		return err
	}
	l := s.lang(c, locale)
	p := s.page(c, l, key+".title")
	return s.render(c, status, views.ErrorPage(p, status, l.T(key+".title"), l.T(key+".message"), "", ""))
}

// renderLink shows a link's form, with the shopper's input and its errors when given.
func renderLink(d Deps, c *fiber.Ctx, l *order.Link, in order.LinkInput, ve *order.ValidationError, status int) error {
	s := d.Shopper
	lang := s.lang(c, l.Locale)
	p := s.page(c, lang, "link.title")
	p.Title = lang.T("link.title", "merchant", s.cfg.MerchantName)
	errs := map[string]string{}
	if ve != nil {
		for _, f := range ve.Fields {
			errs[f.Field] = linkMessage(lang, l, f.Message)
		}
	}
	o := order.Order{Description: l.Description, Items: l.Items, Amount: l.Amount}
	sum := summarize(lang, &o, d.Orders.Now())
	sum.TimeLeft, sum.OrderID = "", ""
	f := views.LinkForm{
		Summary: sum, OpenAmount: l.OpenAmount(), Currency: l.Currency.Code,
		HasErrors: len(errs) > 0, CSRF: s.csrfToken(c), Nonce: rand.Text(), Action: "/l/" + l.ID,
	}
	if l.OpenAmount() {
		f.Summary.Total = ""
		f.Amount = views.LinkField{Name: "amount", Type: "text", InputMode: "decimal", Autocomplete: "off", Dir: "ltr",
			Label: lang.T("link.amount", "currency", l.Currency.Code),
			Hint:  lang.T("link.amount_hint", "min", formatAmount(lang, l.MinAmount), "max", formatAmount(lang, l.MaxAmount)),
			Value: in.Amount, Error: errs["amount"]}
	}
	for _, name := range l.Collect {
		fl := views.LinkField{Name: name, Label: lang.T("link.field." + name), Error: errs[name]}
		switch name {
		case order.FieldName:
			fl.Type, fl.Autocomplete, fl.Value = "text", "name", in.Name
		case order.FieldPhone:
			fl.Type, fl.InputMode, fl.Autocomplete, fl.Dir, fl.Value = "tel", "tel", "tel", "ltr", in.Phone
			fl.Hint = lang.T("link.field.phone_hint")
		case order.FieldEmail:
			fl.Type, fl.Autocomplete, fl.Dir, fl.Value = "email", "email", "ltr", in.Email
		}
		f.Fields = append(f.Fields, fl)
	}
	return s.render(c, status, views.LinkPage(p, f))
}

// linkMessage turns a LinkCheckout message key into the shopper's language.
func linkMessage(lang i18n.Lang, l *order.Link, msg string) string {
	switch msg {
	case order.LinkMsgRange:
		return lang.T("link.msg.range", "min", formatAmount(lang, l.MinAmount), "max", formatAmount(lang, l.MaxAmount))
	case order.LinkMsgScale:
		return lang.T("link.msg.scale", "currency", l.Currency.Code, "scale", lang.Digits(strconv.Itoa(int(l.Currency.Scale))))
	case order.LinkMsgRequired:
		return lang.T("link.msg.required")
	}
	return lang.T("link.msg.invalid")
}
