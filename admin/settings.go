package admin

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bawaba/checkout/order"
	"github.com/bawaba/checkout/settings"
	"github.com/bawaba/checkout/views"
	"github.com/bawaba/checkout/webhook"
)

// overlaps are the choices of how long the previous webhook secret keeps signing after a rotation.
var overlaps = []time.Duration{time.Hour, 24 * time.Hour, 72 * time.Hour}

// settingsShow is the settings form.
func (c *Console) settingsShow(ctx *fiber.Ctx) error {
	return c.renderSettings(ctx, fiber.StatusOK, c.cfg.Shop.Get(), nil, views.AdminSettingsExtra{})
}

func (c *Console) renderSettings(ctx *fiber.Ctx, status int, s settings.Shop, errs map[string]string, extra views.AdminSettingsExtra) error {
	p := c.Page(ctx, "admin.settings.title", "settings")
	f := views.AdminSettingsForm{Name: s.Name, Logo: s.Logo, Brand: s.Brand, Lang: s.Lang, WebhookURL: s.WebhookURL,
		Errors: map[string]string{}, SecretFixed: c.cfg.Secrets.Fixed()}
	for k, v := range errs {
		f.Errors[k] = p.T(v, "ratio", strconv.FormatFloat(settings.MinContrast, 'f', 1, 64))
	}
	if f.Brand == "" {
		f.Brand = "#0b5cad"
	}
	for _, o := range overlaps {
		f.Overlaps = append(f.Overlaps, views.Option{Value: o.String(), Label: p.Lang.N("admin.settings.hours", int(o.Hours()))})
	}
	if _, until := c.cfg.Secrets.Previous(); !until.IsZero() {
		f.PreviousUntil = c.when(ctx, until)
	}
	return c.Render(ctx, status, views.AdminSettings(p, f, extra))
}

// settingsSave validates and saves the form; nothing changes when a field is refused.
func (c *Console) settingsSave(ctx *fiber.Ctx) error {
	s := settings.Shop{
		Name: ctx.FormValue("name"), Logo: ctx.FormValue("logo"), Brand: ctx.FormValue("brand"),
		Lang: ctx.FormValue("lang"), WebhookURL: ctx.FormValue("webhook_url"),
	}
	if s.Brand == "#0b5cad" {
		s.Brand = "" // Bawaba's own blue: no brand stylesheet
	}
	errs, err := c.cfg.Shop.Save(ctx.UserContext(), s)
	if err != nil {
		return err
	}
	if len(errs) > 0 {
		return c.renderSettings(ctx, fiber.StatusUnprocessableEntity, s, errs, views.AdminSettingsExtra{})
	}
	c.log.Info("admin: settings saved", "user", c.user(ctx).ID)
	return c.renderSettings(ctx, fiber.StatusOK, c.cfg.Shop.Get(), nil, views.AdminSettingsExtra{Notice: c.lang(ctx).T("admin.settings.saved")})
}

// settingsTestWebhook sends a signed "test.ping" event to the saved webhook URL at once and
// shows the answer. It goes around the outbox: it belongs to no order, and is not retried.
func (c *Console) settingsTestWebhook(ctx *fiber.Ctx) error {
	l := c.lang(ctx)
	target := c.cfg.Shop.Get().WebhookURL
	extra := views.AdminSettingsExtra{}
	if target == "" {
		extra.TestError = l.T("admin.settings.test_no_url")
		return c.renderSettings(ctx, fiber.StatusUnprocessableEntity, c.cfg.Shop.Get(), nil, extra)
	}
	now := c.cfg.Now()
	id := order.NewID("evt")
	body, _ := json.Marshal(map[string]any{"id": id, "object": "event", "type": "test.ping", "created": now.Unix(), "data": map[string]any{}})
	req, err := http.NewRequestWithContext(ctx.UserContext(), http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Bawaba-Webhooks/1")
	req.Header.Set(webhook.SignatureHeader, webhook.SignAll(c.cfg.Secrets.Signing(), now, body))
	req.Header.Set("Bawaba-Event-Id", id)
	start := time.Now()
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	ms := strconv.FormatInt(time.Since(start).Milliseconds(), 10)
	if err != nil {
		extra.TestError = l.T("admin.settings.test_failed", "error", err.Error())
	} else {
		head, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		resp.Body.Close()
		extra.TestStatus = resp.StatusCode
		extra.TestOK = resp.StatusCode >= 200 && resp.StatusCode < 300
		extra.TestResult = l.T("admin.settings.test_answer", "status", strconv.Itoa(resp.StatusCode), "ms", ms)
		extra.TestBody = strings.ToValidUTF8(string(head), "\uFFFD")
	}
	c.log.Info("admin: test webhook", "user", c.user(ctx).ID, "status", extra.TestStatus)
	return c.renderSettings(ctx, fiber.StatusOK, c.cfg.Shop.Get(), nil, extra)
}

// settingsRevealSecret shows the webhook secret (a POST: it never sits in a URL or history).
func (c *Console) settingsRevealSecret(ctx *fiber.Ctx) error {
	extra := views.AdminSettingsExtra{Secret: c.cfg.Secrets.Current()}
	extra.PreviousSecret, _ = c.cfg.Secrets.Previous()
	c.log.Info("admin: webhook secret revealed", "user", c.user(ctx).ID)
	return c.renderSettings(ctx, fiber.StatusOK, c.cfg.Shop.Get(), nil, extra)
}

// settingsRotateSecret rotates the webhook secret after a confirmation; the previous one keeps
// signing webhooks for the chosen overlap.
func (c *Console) settingsRotateSecret(ctx *fiber.Ctx) error {
	overlap, err := time.ParseDuration(ctx.FormValue("overlap"))
	if err != nil || !containsDuration(overlaps, overlap) {
		overlap = 24 * time.Hour
	}
	p := c.Page(ctx, "admin.settings.rotate_title", "settings")
	if ctx.FormValue("confirm") != "yes" {
		return c.Render(ctx, fiber.StatusOK, views.AdminConfirm(p, views.AdminConfirmation{
			Question: p.T("admin.settings.rotate_question"),
			Detail:   p.T("admin.settings.rotate_detail", "hours", p.Lang.N("admin.settings.hours", int(overlap.Hours()))),
			Action:   "/admin/settings/secret/rotate", Fields: map[string]string{"overlap": overlap.String()},
			Button: p.T("admin.settings.rotate"), Back: "/admin/settings", Danger: true,
		}))
	}
	fresh, err := c.cfg.Secrets.Rotate(ctx.UserContext(), overlap)
	if errors.Is(err, settings.ErrSecretFixed) {
		return fiber.ErrConflict
	}
	if err != nil {
		return err
	}
	c.log.Info("admin: webhook secret rotated", "user", c.user(ctx).ID, "overlap", overlap)
	extra := views.AdminSettingsExtra{Secret: fresh, Notice: p.T("admin.settings.rotated")}
	extra.PreviousSecret, _ = c.cfg.Secrets.Previous()
	return c.renderSettings(ctx, fiber.StatusOK, c.cfg.Shop.Get(), nil, extra)
}

func containsDuration(list []time.Duration, d time.Duration) bool {
	for _, x := range list {
		if x == d {
			return true
		}
	}
	return false
}
