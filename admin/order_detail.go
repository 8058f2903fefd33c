package admin

import (
	"errors"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bawaba/checkout/i18n"
	"github.com/bawaba/checkout/money"
	"github.com/bawaba/checkout/order"
	"github.com/bawaba/checkout/store"
	"github.com/bawaba/checkout/views"
)

// loadOrder reads the order of the route, or answers 404.
func (c *Console) loadOrder(ctx *fiber.Ctx) (order.Order, error) {
	o, err := c.cfg.Orders.Get(ctx.UserContext(), ctx.Params("id"))
	if errors.Is(err, order.ErrNotFound) {
		return o, fiber.ErrNotFound
	}
	return o, err
}

// doneNotices are the messages a finished action leaves (?done=…): fixed keys, never text from
// the URL.
var doneNotices = map[string]string{"cancelled": "admin.order.done_cancelled", "refunded": "admin.order.done_refunded",
	"refund_pending": "admin.order.done_refund_pending"}

// orderShow is one order: amount, status, link, attempts, timeline, refunds, webhooks, actions.
func (c *Console) orderShow(ctx *fiber.Ctx) error {
	o, err := c.loadOrder(ctx)
	if err != nil {
		return err
	}
	p := c.Page(ctx, "admin.order.title", "orders")
	d, err := c.orderDetail(ctx, p.Lang, &o)
	if err != nil {
		return err
	}
	if k, ok := doneNotices[ctx.Query("done")]; ok {
		d.Notice = p.T(k)
	}
	return c.Render(ctx, fiber.StatusOK, views.AdminOrder(p, d))
}

func (c *Console) orderDetail(ctx *fiber.Ctx, l i18n.Lang, o *order.Order) (views.AdminOrderDetail, error) {
	uctx := ctx.UserContext()
	events, err := c.cfg.Orders.Events(uctx, o.ID)
	if err != nil {
		return views.AdminOrderDetail{}, err
	}
	hooks, err := c.cfg.Store.OutboxFor(uctx, o.ID)
	if err != nil {
		return views.AdminOrderDetail{}, err
	}
	d := views.AdminOrderDetail{
		ID: o.ID, Reference: o.Reference, Amount: amount(l, o.Amount), Status: string(o.Status),
		StatusLabel: l.T("admin.status." + string(o.Status)), Description: o.Description,
		NeedsReview: o.NeedsReview, CheckoutURL: c.cfg.Orders.CheckoutURL(o.ID),
		CanCancel: o.Status.Payable(),
		CanRefund: o.Status == order.StatusPaid || o.Status == order.StatusPartiallyRefunded,
	}
	facts := []views.Row{
		{Label: l.T("admin.order.created"), Value: c.when(ctx, o.CreatedAt), Mono: true},
		{Label: l.T("admin.order.expires"), Value: c.when(ctx, o.ExpiresAt), Mono: true},
	}
	if o.PaymentLink != "" {
		facts = append(facts, views.Row{Label: l.T("admin.links.url"), Value: o.PaymentLink, Mono: true})
	}
	if !o.PaidAt.IsZero() {
		facts = append(facts, views.Row{Label: l.T("admin.order.paid_at"), Value: c.when(ctx, o.PaidAt), Mono: true})
	}
	if r := o.Refunded(); r.IsPositive() {
		facts = append(facts, views.Row{Label: l.T("admin.order.refunded"), Value: amount(l, r), Mono: true})
	}
	if who := strings.TrimSpace(o.Customer.Name + " " + o.Customer.Email + " " + o.Customer.Phone); who != "" {
		facts = append(facts, views.Row{Label: l.T("admin.order.customer"), Value: who})
	}
	d.Facts = facts
	for _, a := range o.Attempts {
		av := views.AdminAttempt{ID: a.ID, Method: l.T("method." + a.Method), Gateway: a.Gateway, Status: string(a.Status),
			StatusLabel: l.T("admin.attempt." + string(a.Status)), Created: c.when(ctx, a.CreatedAt), Failure: a.FailureReason}
		for _, kv := range [][2]string{{"payment_id", a.PaymentID}, {"transaction_id", a.TransactionID}, {"track_id", a.TrackID},
			{"auth_code", a.AuthCode}, {"bank_reference", a.BankReference}} {
			if kv[1] != "" {
				av.IDs = append(av.IDs, views.Row{Label: l.T("admin.attempt.id." + kv[0]), Value: kv[1], Mono: true})
			}
		}
		if !a.ReportedAmount.IsZero() {
			av.IDs = append(av.IDs, views.Row{Label: l.T("admin.attempt.reported"), Value: amount(l, a.ReportedAmount), Mono: true})
		}
		d.Attempts = append(d.Attempts, av)
	}
	for _, e := range events {
		d.Timeline = append(d.Timeline, views.AdminEvent{When: c.when(ctx, e.CreatedAt), Text: eventText(l, e), Detail: eventDetail(e)})
	}
	for _, r := range o.Refunds {
		d.Refunds = append(d.Refunds, views.AdminRefund{ID: r.ID, Amount: amount(l, r.Amount), Status: string(r.Status),
			StatusLabel: l.T("admin.refund." + string(r.Status)), Kind: r.Kind, Reason: r.Reason, When: c.when(ctx, r.CreatedAt), Failure: r.Failure})
	}
	for _, h := range hooks {
		d.Webhooks = append(d.Webhooks, webhookLine(l, h))
	}
	return d, nil
}

func webhookLine(l i18n.Lang, h store.OutboxEntry) views.AdminWebhookLine {
	state := "admin.webhook.pending"
	switch {
	case h.Delivered:
		state = "admin.webhook.delivered"
	case h.Attempts > 0:
		state = "admin.webhook.failing"
	}
	return views.AdminWebhookLine{ID: h.ID, Type: h.Type, State: l.T(state), Delivered: h.Delivered, Tries: h.Attempts, LastStatus: h.LastStatus}
}

// eventText says what a timeline event is, in the page's language (the type itself when the
// catalog has no words for it).
func eventText(l i18n.Lang, e order.Event) string {
	key := "admin.event." + strings.ReplaceAll(e.Type, ".", "_")
	if !l.Has(key) {
		return e.Type
	}
	args := make([]string, 0, 2*len(e.Data))
	for k, v := range e.Data {
		args = append(args, k, v)
	}
	return l.T(key, args...)
}

// eventDetail lists an event's data as "key: value", sorted, for the curious. The gateway's raw
// answer ("raw") is left out: it is long, and the attempt already shows what matters in it.
func eventDetail(e order.Event) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(e.Data)) {
		if k == "raw" {
			continue
		}
		v := e.Data[k]
		if r := []rune(v); len(r) > 120 {
			v = string(r[:120]) + "…"
		}
		parts = append(parts, k+": "+v)
	}
	return strings.Join(parts, " · ")
}

func (c *Console) user(ctx *fiber.Ctx) store.User {
	u, _ := ctx.Locals(userKey).(store.User)
	return u
}

// note records who did what from the console on the order's timeline; a failure to note is
// logged, never undoing the action.
func (c *Console) note(ctx *fiber.Ctx, orderID, typ string, data map[string]string) {
	u := c.user(ctx)
	data["by"] = u.Email
	if err := c.cfg.Store.AppendOrderNote(ctx.UserContext(), orderID, typ, data, c.cfg.Now()); err != nil {
		c.log.Error("admin: note on the order timeline", "order", orderID, "type", typ, "err", err)
	}
	c.log.Info("admin: "+typ, "order", orderID, "user", u.ID, "data", data)
}

// orderCancelConfirm asks before cancelling.
func (c *Console) orderCancelConfirm(ctx *fiber.Ctx) error {
	o, err := c.loadOrder(ctx)
	if err != nil {
		return err
	}
	p := c.Page(ctx, "admin.order.cancel_title", "orders")
	if !o.Status.Payable() {
		return c.orderError(ctx, &o, fiber.StatusConflict, p.T("admin.order.not_cancellable"))
	}
	return c.Render(ctx, fiber.StatusOK, views.AdminConfirm(p, views.AdminConfirmation{
		Question: p.T("admin.order.cancel_question", "amount", amount(p.Lang, o.Amount), "id", o.ID),
		Detail:   p.T("admin.order.cancel_detail"),
		Action:   "/admin/orders/" + o.ID + "/cancel", Button: p.T("admin.order.cancel"), Back: "/admin/orders/" + o.ID, Danger: true,
	}))
}

// orderCancel cancels through the order service (the API's rules: open or processing only).
func (c *Console) orderCancel(ctx *fiber.Ctx) error {
	id := ctx.Params("id")
	if ctx.FormValue("confirm") != "yes" {
		return c.redirect(ctx, "/admin/orders/"+id+"/cancel")
	}
	o, err := c.cfg.Orders.Cancel(ctx.UserContext(), id)
	switch {
	case errors.Is(err, order.ErrNotFound):
		return fiber.ErrNotFound
	case errors.Is(err, order.ErrNotCancellable):
		o, err := c.loadOrder(ctx)
		if err != nil {
			return err
		}
		return c.orderError(ctx, &o, fiber.StatusConflict, c.lang(ctx).T("admin.order.not_cancellable"))
	case err != nil:
		return err
	}
	c.note(ctx, o.ID, "console.cancel", map[string]string{})
	return c.redirect(ctx, "/admin/orders/"+o.ID+"?done=cancelled")
}

// orderError shows the order again with an error at the top.
func (c *Console) orderError(ctx *fiber.Ctx, o *order.Order, status int, msg string) error {
	p := c.Page(ctx, "admin.order.title", "orders")
	d, err := c.orderDetail(ctx, p.Lang, o)
	if err != nil {
		return err
	}
	d.Error = msg
	return c.Render(ctx, status, views.AdminOrder(p, d))
}

// remaining is what is left to refund: paid minus succeeded and pending refunds.
func remaining(o *order.Order) money.Amount {
	left := o.Amount
	for _, r := range o.Refunds {
		if r.Status != order.RefundFailed {
			if l, err := left.Sub(r.Amount); err == nil {
				left = l
			}
		}
	}
	return left
}

// orderRefundForm is the refund form: the amount (the whole remaining amount by default) in the
// order's currency, and a reason.
func (c *Console) orderRefundForm(ctx *fiber.Ctx) error {
	o, err := c.loadOrder(ctx)
	if err != nil {
		return err
	}
	return c.renderRefundForm(ctx, &o, fiber.StatusOK, remaining(&o).String(), "", "")
}

func (c *Console) renderRefundForm(ctx *fiber.Ctx, o *order.Order, status int, amt, reason, msg string) error {
	p := c.Page(ctx, "admin.order.refund_title", "orders")
	cur := o.Amount.Currency()
	return c.Render(ctx, status, views.AdminRefundForm(p, views.AdminRefundInput{
		OrderID: o.ID, Amount: amt, Reason: reason, Error: msg, Currency: cur.Code,
		Remaining: amount(p.Lang, remaining(o)), Paid: amount(p.Lang, o.Amount), Scale: int(cur.Scale),
	}))
}

// orderRefund checks the amount, asks for confirmation, then refunds through the order service,
// which applies the API's rules (paid orders only, never more than remains, the gateway's say).
func (c *Console) orderRefund(ctx *fiber.Ctx) error {
	o, err := c.loadOrder(ctx)
	if err != nil {
		return err
	}
	l := c.lang(ctx)
	amt := strings.TrimSpace(ctx.FormValue("amount"))
	reason := strings.TrimSpace(ctx.FormValue("reason"))
	if len([]rune(reason)) > 500 {
		return c.renderRefundForm(ctx, &o, fiber.StatusUnprocessableEntity, amt, reason, l.T("admin.refund.reason_too_long"))
	}
	want, perr := money.Parse(amt, o.Amount.Currency().Code)
	if perr != nil || !want.IsPositive() {
		return c.renderRefundForm(ctx, &o, fiber.StatusUnprocessableEntity, amt, reason,
			l.T("admin.refund.amount_invalid", "currency", o.Amount.Currency().Code, "scale", strconv.Itoa(int(o.Amount.Currency().Scale))))
	}
	if ctx.FormValue("confirm") != "yes" {
		p := c.Page(ctx, "admin.order.refund_title", "orders")
		return c.Render(ctx, fiber.StatusOK, views.AdminConfirm(p, views.AdminConfirmation{
			Question: p.T("admin.refund.question", "amount", amount(l, want), "id", o.ID),
			Detail:   p.T("admin.refund.detail"),
			Action:   "/admin/orders/" + o.ID + "/refund", Fields: map[string]string{"amount": want.String(), "reason": reason},
			Button: p.T("admin.refund.submit"), Back: "/admin/orders/" + o.ID + "/refund", Danger: true,
		}))
	}
	_, ref, err := c.cfg.Orders.Refund(ctx.UserContext(), o.ID, want.String(), reason)
	var ve *order.ValidationError
	switch {
	case err == nil:
	case errors.As(err, &ve), errors.Is(err, order.ErrRefundTooLarge):
		return c.renderRefundForm(ctx, &o, fiber.StatusUnprocessableEntity, amt, reason, l.T("admin.refund.too_large", "remaining", amount(l, remaining(&o))))
	case errors.Is(err, order.ErrNotRefundable):
		return c.orderError(ctx, &o, fiber.StatusConflict, l.T("admin.refund.not_refundable"))
	case errors.Is(err, order.ErrRefundUnsupported):
		return c.orderError(ctx, &o, fiber.StatusConflict, l.T("admin.refund.unsupported"))
	case errors.Is(err, order.ErrRefundPending):
		c.note(ctx, o.ID, "console.refund", map[string]string{"amount": want.String(), "refund": ref.ID})
		o, _ = c.loadOrder(ctx)
		return c.orderError(ctx, &o, fiber.StatusAccepted, l.T("admin.refund.pending_note"))
	case errors.Is(err, order.ErrRefundPending):
		// The gateway's answer was not final: the refund stays reserved and the refund
		// reconciler asks again; the page says so instead of claiming it made.
		c.note(ctx, o.ID, "console.refund", map[string]string{"amount": want.String(), "refund": ref.ID})
		return c.redirect(ctx, "/admin/orders/"+o.ID+"?done=refund_pending")
	case errors.Is(err, order.ErrRefundGatewayError):
		c.note(ctx, o.ID, "console.refund_refused", map[string]string{"amount": want.String()})
		o, _ = c.loadOrder(ctx)
		return c.orderError(ctx, &o, fiber.StatusBadGateway, l.T("admin.refund.gateway_refused"))
	default:
		return err
	}
	c.note(ctx, o.ID, "console.refund", map[string]string{"amount": want.String(), "refund": ref.ID})
	return c.redirect(ctx, "/admin/orders/"+o.ID+"?done=refunded")
}
