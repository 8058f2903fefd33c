package admin

import (
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/bawaba/checkout/i18n"
	"github.com/bawaba/checkout/store"
	"github.com/bawaba/checkout/views"
)

// webhooksShow lists the webhook events sent to the shop, newest first, each with its tries
// (HTTP status, latency, the first bytes of the answer); ?failing=1 keeps the failing ones.
func (c *Console) webhooksShow(ctx *fiber.Ctx) error {
	failing := ctx.Query("failing") == "1"
	var after *store.WebhookCursor
	if cur, ok := store.ParseOrderCursor(ctx.Query("after")); ok {
		after = &cur
	}
	events, err := c.cfg.Store.ListWebhookEvents(ctx.UserContext(), failing, after, pageSize+1)
	if err != nil {
		return err
	}
	p := c.Page(ctx, "admin.webhooks.title", "webhooks")
	d := views.AdminWebhooks{Failing: failing}
	q := url.Values{}
	if failing {
		q.Set("failing", "1")
	}
	if len(events) > pageSize {
		events = events[:pageSize]
		next := url.Values{"after": {events[len(events)-1].Cursor().String()}}
		if failing {
			next.Set("failing", "1")
		}
		d.NextURL = "/admin/webhooks?" + next.Encode()
	}
	if after != nil {
		d.FirstURL = "/admin/webhooks?" + q.Encode()
	}
	if ctx.Query("done") == "queued" {
		d.Notice = p.T("admin.webhooks.queued")
	}
	for _, e := range events {
		d.Events = append(d.Events, c.webhookEvent(ctx, p.Lang, e))
	}
	return c.Render(ctx, fiber.StatusOK, views.AdminWebhookList(p, d))
}

func (c *Console) webhookEvent(ctx *fiber.Ctx, l i18n.Lang, e store.WebhookEvent) views.AdminWebhookEvent {
	state, class := "admin.webhook.pending", "wait"
	switch {
	case !e.DeliveredAt.IsZero():
		state, class = "admin.webhook.delivered", "ok"
	case !e.FailedAt.IsZero():
		state, class = "admin.webhook.given_up", "bad"
	case e.Attempts > 0:
		state, class = "admin.webhook.failing", "bad"
	}
	v := views.AdminWebhookEvent{
		ID: e.ID, OrderID: e.OrderID, Type: e.Type, URL: e.URL, Created: c.when(ctx, e.CreatedAt),
		State: l.T(state), StateClass: class, Failing: e.Failing(),
	}
	if e.DeliveredAt.IsZero() && e.FailedAt.IsZero() && !e.NextAttemptAt.IsZero() {
		v.Next = c.when(ctx, e.NextAttemptAt)
	}
	for _, t := range e.Tries {
		status := strconv.Itoa(t.StatusCode)
		if t.StatusCode == 0 {
			status = l.T("admin.webhooks.no_answer")
		}
		v.Tries = append(v.Tries, views.AdminDeliveryTry{
			At: c.when(ctx, t.At), Status: status, OK: t.StatusCode >= 200 && t.StatusCode < 300,
			Latency: l.T("admin.webhooks.ms", "n", strconv.FormatInt(t.Duration.Milliseconds(), 10)),
			Error:   t.Err, Response: t.Response,
		})
	}
	return v
}

// webhookRedeliver makes an event due now and wakes the dispatcher: the try shows on the list
// within a moment.
func (c *Console) webhookRedeliver(ctx *fiber.Ctx) error {
	id := ctx.Params("id")
	ok, err := c.cfg.Store.Redeliver(ctx.UserContext(), id, c.cfg.Now())
	if err != nil {
		return err
	}
	if !ok {
		return fiber.ErrNotFound
	}
	c.log.Info("admin: webhook redelivery", "event", id, "user", c.user(ctx).ID)
	if c.cfg.WakeWorkers != nil {
		c.cfg.WakeWorkers()
	}
	to := "/admin/webhooks?done=queued"
	if ctx.FormValue("failing") == "1" {
		to += "&failing=1"
	}
	return c.redirect(ctx, to)
}
