package admin

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/bawaba/checkout/store"
	"github.com/bawaba/checkout/views"
)

// maxKeyName is the longest API key name kept.
const maxKeyName = 80

// keysShow lists the API keys: name, last characters, created, last used, revoked.
func (c *Console) keysShow(ctx *fiber.Ctx) error {
	return c.renderKeys(ctx, fiber.StatusOK, views.AdminKeysForm{})
}

func (c *Console) renderKeys(ctx *fiber.Ctx, status int, form views.AdminKeysForm) error {
	keys, err := c.cfg.Store.APIKeys(ctx.UserContext())
	if err != nil {
		return err
	}
	p := c.Page(ctx, "admin.keys.title", "keys")
	rows := make([]views.AdminKey, 0, len(keys))
	for _, k := range keys {
		rows = append(rows, views.AdminKey{
			ID: k.ID, Name: k.Name, Hint: k.Hint, Created: c.when(ctx, k.CreatedAt),
			LastUsed: c.when(ctx, k.LastUsedAt), Revoked: c.when(ctx, k.RevokedAt),
		})
	}
	return c.Render(ctx, status, views.AdminKeys(p, rows, form))
}

// keyCreate makes a key and shows its secret once, on this answer only (never in a URL, a
// redirect or the session).
func (c *Console) keyCreate(ctx *fiber.Ctx) error {
	name := strings.TrimSpace(ctx.FormValue("name"))
	p := c.Page(ctx, "admin.keys.title", "keys")
	if name == "" || len([]rune(name)) > maxKeyName {
		return c.renderKeys(ctx, fiber.StatusUnprocessableEntity, views.AdminKeysForm{Name: name, Error: p.T("admin.keys.name_invalid")})
	}
	id, secret, err := c.cfg.Store.CreateAPIKey(ctx.UserContext(), name)
	if err != nil {
		return err
	}
	u, _ := ctx.Locals(userKey).(store.User)
	c.log.Info("admin: API key created", "key", id, "name", name, "user", u.ID)
	return c.renderKeys(ctx, fiber.StatusOK, views.AdminKeysForm{NewID: id, NewSecret: secret})
}

// keyRevokeConfirm asks before revoking.
func (c *Console) keyRevokeConfirm(ctx *fiber.Ctx) error {
	k, ok, err := c.findKey(ctx, ctx.Params("id"))
	if err != nil {
		return err
	}
	if !ok || !k.RevokedAt.IsZero() {
		return fiber.ErrNotFound
	}
	p := c.Page(ctx, "admin.keys.revoke_title", "keys")
	return c.Render(ctx, fiber.StatusOK, views.AdminConfirm(p, views.AdminConfirmation{
		Question: p.T("admin.keys.revoke_question", "name", k.Name),
		Detail:   p.T("admin.keys.revoke_detail"),
		Action:   "/admin/keys/" + k.ID + "/revoke", Button: p.T("admin.keys.revoke"), Back: "/admin/keys",
		Danger: true,
	}))
}

// keyRevoke revokes a key: the next API request with it answers 401.
func (c *Console) keyRevoke(ctx *fiber.Ctx) error {
	id := ctx.Params("id")
	ok, err := c.cfg.Store.RevokeAPIKey(ctx.UserContext(), id)
	if err != nil {
		return err
	}
	if !ok {
		return fiber.ErrNotFound
	}
	u, _ := ctx.Locals(userKey).(store.User)
	c.log.Info("admin: API key revoked", "key", id, "user", u.ID)
	return c.redirect(ctx, "/admin/keys")
}

func (c *Console) findKey(ctx *fiber.Ctx, id string) (store.APIKey, bool, error) {
	keys, err := c.cfg.Store.APIKeys(ctx.UserContext())
	if err != nil {
		return store.APIKey{}, false, err
	}
	for _, k := range keys {
		if k.ID == id {
			return k, true, nil
		}
	}
	return store.APIKey{}, false, nil
}
