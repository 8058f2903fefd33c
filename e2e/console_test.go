package e2e

import (
	"net/http"
	"os/exec"
	"strings"
	"testing"

	"github.com/playwright-community/playwright-go"
)

// The merchant console under /admin, in Chromium, in English and Arabic.

const consoleEmail, consolePassword = "owner@shop.test", "correct horse battery"

// addUser runs `checkout user add EMAIL --password-stdin` against the server's database, as a
// merchant does on the server.
func addUser(t *testing.T, s *server, email, password string) {
	t.Helper()
	cmd := exec.Command(binaryPath, "user", "add", email, "--password-stdin")
	cmd.Env = append(environWithout("CHECKOUT_"), "CHECKOUT_DB="+s.DBPath)
	cmd.Stdin = strings.NewReader(password + "\n")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("checkout user add: %v\n%s", err, out)
	}
}

func TestConsoleLoginAndAPIKeys(t *testing.T) {
	for _, lang := range []string{"en", "ar"} {
		t.Run(lang, func(t *testing.T) {
			page := newPage(t, lang)
			s := startServer(t)
			addUser(t, s, consoleEmail, consolePassword)

			// Without a session the console sends the browser to the login.
			_, err := page.Goto(s.BaseURL + "/admin/keys?lang=" + lang)
			must(t, err)
			must(t, expect.Page(page).ToHaveURL(s.BaseURL+"/admin/login?next=%2Fadmin%2Fkeys%3Flang%3D"+lang))
			checkPage(t, page, lang, "admin-login")

			// A wrong password says so and lets no one in.
			must(t, page.Locator("[data-testid=login-email]").Fill(consoleEmail))
			must(t, page.Locator("[data-testid=login-password]").Fill("not the password"))
			must(t, page.Locator("[data-testid=login-submit]").Click())
			must(t, expect.Locator(page.Locator("[data-testid=login-error]")).ToBeVisible())
			checkPage(t, page, lang, "admin-login-wrong")

			// The right one goes back where the merchant was going.
			must(t, page.Locator("[data-testid=login-password]").Fill(consolePassword))
			must(t, page.Locator("[data-testid=login-submit]").Click())
			must(t, expect.Locator(page.Locator("[data-testid=keys]")).ToBeVisible())
			must(t, expect.Page(page).ToHaveURL(s.BaseURL+"/admin/keys?lang="+lang))

			// Create a key: its secret is shown once and works on the API.
			must(t, page.Locator("[data-testid=key-name]").Fill("web shop"))
			must(t, page.Locator("[data-testid=key-create]").Click())
			secret, err := page.Locator("[data-testid=new-key-secret]").InputValue()
			must(t, err)
			if !strings.HasPrefix(secret, "bwb_sk_") {
				t.Fatalf("new key secret %q", secret)
			}
			checkPage(t, page, lang, "admin-keys-created")
			if code, body := s.do(t, "GET", "/api/v1/orders?reference=x", secret, nil); code != http.StatusOK {
				t.Fatalf("API with the new key: %d %s", code, body)
			}
			// The sandbox demo key keeps working beside it.
			if code, _ := s.do(t, "GET", "/api/v1/orders?reference=x", s.APIKey, nil); code != http.StatusOK {
				t.Fatalf("API with the demo key: %d", code)
			}

			// Revoke it, after a confirmation: the API refuses it at once.
			_, err = page.Goto(s.BaseURL + "/admin/keys")
			must(t, err)
			row := page.Locator("tr", playwright.PageLocatorOptions{HasText: "web shop"})
			must(t, row.Locator("a.danger-link").Click())
			must(t, expect.Locator(page.Locator("[data-testid=confirm-question]")).ToContainText("web shop"))
			checkPage(t, page, lang, "admin-key-revoke")
			must(t, page.Locator("[data-testid=confirm]").Click())
			must(t, expect.Locator(row.Locator(".pill-muted")).ToBeVisible())
			if code, _ := s.do(t, "GET", "/api/v1/orders?reference=x", secret, nil); code != http.StatusUnauthorized {
				t.Fatalf("API with the revoked key: %d, want 401", code)
			}
			if code, _ := s.do(t, "GET", "/api/v1/orders?reference=x", s.APIKey, nil); code != http.StatusOK {
				t.Fatalf("API with the demo key after revoking another: %d", code)
			}

			// Logout ends the session.
			must(t, page.Locator("[data-testid=logout]").Click())
			must(t, expect.Locator(page.Locator("[data-testid=login-submit]")).ToBeVisible())
			_, err = page.Goto(s.BaseURL + "/admin/keys")
			must(t, err)
			must(t, expect.Locator(page.Locator("[data-testid=login-submit]")).ToBeVisible())
		})
	}
}
