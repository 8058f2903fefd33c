package admin

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bawaba/checkout/i18n"
	"github.com/bawaba/checkout/money"
	"github.com/bawaba/checkout/order"
	"github.com/bawaba/checkout/store"
	"github.com/bawaba/checkout/views"
)

// The console's payment links: /admin/links lists them with their figures and makes new ones
// through the same order.Service.CreateLink as the API; /admin/links/{id} shares one (copy,
// WhatsApp, QR) and deactivates it.

func (c *Console) linksShow(ctx *fiber.Ctx) error {
	return c.renderLinks(ctx, fiber.StatusOK, views.AdminLinkForm{Currency: "KWD", SingleUse: true})
}

func (c *Console) renderLinks(ctx *fiber.Ctx, status int, f views.AdminLinkForm) error {
	list, err := c.cfg.Orders.Links(ctx.UserContext(), 100)
	if err != nil {
		return err
	}
	p := c.Page(ctx, "admin.links.title", "links")
	rows := make([]views.AdminLinkRow, len(list))
	for i := range list {
		rows[i] = c.linkRow(ctx, p.Lang, &list[i])
	}
	for _, cur := range money.Currencies() {
		f.Currencies = append(f.Currencies, views.Option{Value: cur.Code, Label: cur.Code})
	}
	return c.Render(ctx, status, views.AdminLinks(p, rows, f))
}

func (c *Console) linkRow(ctx *fiber.Ctx, l i18n.Lang, k *order.Link) views.AdminLinkRow {
	st := k.State(c.cfg.Now())
	amt := ""
	if k.OpenAmount() {
		amt = amount(l, k.MinAmount) + " – " + amount(l, k.MaxAmount)
	} else {
		amt = amount(l, k.Amount)
	}
	return views.AdminLinkRow{
		ID: k.ID, Description: k.Description, Amount: amt, Status: string(st),
		StatusLabel: l.T("admin.links.state." + string(st)), Created: c.when(ctx, k.CreatedAt),
		Views: strconv.FormatInt(k.Views, 10), Orders: strconv.FormatInt(k.Stats.Orders, 10),
		Paid: strconv.FormatInt(k.Stats.Paid, 10), PaidSum: amount(l, k.Stats.Sum),
	}
}

// linkCreate makes a link from the form; bad input shows the form again with each field named.
// The date of expiry is the end of that day in the viewer's zone.
func (c *Console) linkCreate(ctx *fiber.Ctx) error {
	f := views.AdminLinkForm{
		Description: strings.TrimSpace(ctx.FormValue("description")), Currency: ctx.FormValue("currency"),
		Amount: strings.TrimSpace(ctx.FormValue("amount")), MinAmount: strings.TrimSpace(ctx.FormValue("min_amount")),
		MaxAmount: strings.TrimSpace(ctx.FormValue("max_amount")), MaxPayments: strings.TrimSpace(ctx.FormValue("max_payments")),
		Expires: ctx.FormValue("expires"), Locale: ctx.FormValue("locale"), SingleUse: ctx.FormValue("single_use") != "",
		Collect: map[string]bool{},
	}
	in := order.NewLink{Description: f.Description, Currency: f.Currency, Amount: f.Amount, MinAmount: f.MinAmount,
		MaxAmount: f.MaxAmount, Locale: f.Locale, SingleUse: f.SingleUse}
	for _, v := range ctx.Request().PostArgs().PeekMulti("collect") {
		f.Collect[string(v)] = true
		in.Collect = append(in.Collect, string(v))
	}
	l := c.lang(ctx)
	var formErrs []string
	if f.MaxPayments != "" {
		n, err := strconv.ParseInt(f.MaxPayments, 10, 64)
		if err != nil {
			formErrs = append(formErrs, l.T("admin.links.invalid", "field", l.T("admin.links.max_payments")))
		} else {
			in.MaxPayments = &n
		}
	}
	if f.Expires != "" {
		d, err := time.ParseInLocation("2006-01-02", f.Expires, c.zone(ctx))
		if err != nil {
			formErrs = append(formErrs, l.T("admin.links.invalid", "field", l.T("admin.links.expires")))
		} else {
			in.ExpiresAt = d.AddDate(0, 0, 1).UTC().Format(time.RFC3339)
		}
	}
	var res order.LinkCreated
	var err error
	if len(formErrs) == 0 {
		res, err = c.cfg.Orders.CreateLink(ctx.UserContext(), in, nil)
	}
	var ve *order.ValidationError
	if errors.As(err, &ve) {
		for _, fe := range ve.Fields {
			formErrs = append(formErrs, l.T("admin.links.invalid", "field", linkFieldLabel(l, fe.Field)))
		}
	} else if err != nil {
		return err
	}
	if len(formErrs) > 0 {
		f.Errors = formErrs
		return c.renderLinks(ctx, fiber.StatusUnprocessableEntity, f)
	}
	u, _ := ctx.Locals(userKey).(store.User)
	c.log.Info("admin: payment link created", "link", res.Link.ID, "user", u.ID)
	return c.redirect(ctx, "/admin/links/"+res.Link.ID+"?created=1")
}

// linkFieldLabel names a NewLink field in the console's language.
func linkFieldLabel(l i18n.Lang, field string) string {
	name, _, _ := strings.Cut(field, "[")
	switch name {
	case "amount", "currency", "description", "locale":
		return l.T("admin.links." + name)
	case "min_amount":
		return l.T("admin.links.min")
	case "max_amount":
		return l.T("admin.links.max")
	case "max_payments":
		return l.T("admin.links.max_payments")
	case "expires_at":
		return l.T("admin.links.expires")
	case "collect":
		return l.T("admin.links.collect")
	}
	return field
}

func (c *Console) linkShow(ctx *fiber.Ctx) error {
	k, err := c.cfg.Orders.Link(ctx.UserContext(), ctx.Params("id"))
	if errors.Is(err, order.ErrNotFound) {
		return fiber.ErrNotFound
	}
	if err != nil {
		return err
	}
	p := c.Page(ctx, "admin.links.title", "links")
	l := p.Lang
	u := c.cfg.Orders.LinkURL(k.ID)
	d := views.AdminLink{
		Row: c.linkRow(ctx, l, &k), URL: u, QRPath: "/l/" + k.ID + "/qr.svg",
		WhatsApp: "https://wa.me/?text=" + url.QueryEscape(u),
		Active:   k.State(c.cfg.Now()) == order.LinkActive,
	}
	if ctx.Query("created") != "" {
		d.Notice = l.T("admin.links.created")
	}
	d.Facts = []views.Row{
		{Label: l.T("admin.links.amount"), Value: d.Row.Amount},
		{Label: l.T("admin.links.views"), Value: d.Row.Views},
		{Label: l.T("admin.links.orders"), Value: d.Row.Orders},
		{Label: l.T("admin.links.paid"), Value: d.Row.Paid},
		{Label: l.T("admin.links.paid_sum"), Value: d.Row.PaidSum},
		{Label: l.T("admin.links.created_at"), Value: d.Row.Created},
	}
	if !k.ExpiresAt.IsZero() {
		d.Facts = append(d.Facts, views.Row{Label: l.T("admin.links.expires"), Value: c.when(ctx, k.ExpiresAt)})
	}
	if k.SingleUse {
		d.Facts = append(d.Facts, views.Row{Label: l.T("admin.links.single_use"), Value: l.T("admin.links.yes")})
	} else if k.MaxPayments > 0 {
		d.Facts = append(d.Facts, views.Row{Label: l.T("admin.links.max_payments"), Value: strconv.FormatInt(k.MaxPayments, 10)})
	}
	return c.Render(ctx, fiber.StatusOK, views.AdminLinkPage(p, d))
}

// linkDeactivate switches a link off for good, after a confirmation: the link page's button
// posts without confirm=yes and gets the question (a page, so it works without JavaScript);
// the question's button posts again with it.
func (c *Console) linkDeactivate(ctx *fiber.Ctx) error {
	if ctx.FormValue("confirm") != "yes" {
		k, err := c.cfg.Orders.Link(ctx.UserContext(), ctx.Params("id"))
		if errors.Is(err, order.ErrNotFound) {
			return fiber.ErrNotFound
		}
		if err != nil {
			return err
		}
		p := c.Page(ctx, "admin.links.deactivate_title", "links")
		return c.Render(ctx, fiber.StatusOK, views.AdminConfirm(p, views.AdminConfirmation{
			Question: p.T("admin.links.deactivate_question", "name", k.Description),
			Detail:   p.T("admin.links.deactivate_hint"),
			Action:   "/admin/links/" + k.ID + "/deactivate", Button: p.T("admin.links.deactivate"),
			Back: "/admin/links/" + k.ID, Danger: true,
		}))
	}
	k, err := c.cfg.Orders.DeactivateLink(ctx.UserContext(), ctx.Params("id"))
	if errors.Is(err, order.ErrNotFound) {
		return fiber.ErrNotFound
	}
	if err != nil {
		return err
	}
	u, _ := ctx.Locals(userKey).(store.User)
	c.log.Info("admin: payment link deactivated", "link", k.ID, "user", u.ID)
	return c.redirect(ctx, "/admin/links/"+k.ID)
}
