package e2e

import (
	"io"
	"net"
	"net/http"
	"os/exec"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

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

// consoleLogin logs in through the form and waits for the console to show.
func consoleLogin(t *testing.T, page playwright.Page, s *server, lang string) {
	t.Helper()
	_, err := page.Goto(s.BaseURL + "/admin/login?lang=" + lang)
	must(t, err)
	must(t, page.Locator("[data-testid=login-email]").Fill(consoleEmail))
	must(t, page.Locator("[data-testid=login-password]").Fill(consolePassword))
	must(t, page.Locator("[data-testid=login-submit]").Click())
	must(t, expect.Locator(page.Locator("[data-testid=logout]")).ToBeVisible())
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

// paidOrder creates a KWD order and pays it through the simulated KNET page (Tap).
func paidOrder(t *testing.T, s *server, ref string) map[string]any {
	t.Helper()
	o := kwdOrder(t, s, map[string]any{"reference": ref})
	page := newPage(t, "en")
	toKNET(t, page, o["checkout_url"].(string), "en", false)
	fillKNET(t, page, "2030", false)
	status(t, page, "paid")
	return o
}

func TestConsoleOrders(t *testing.T) {
	for _, lang := range []string{"en", "ar"} {
		t.Run(lang, func(t *testing.T) {
			page := newPage(t, lang)
			s := shop(t)
			addUser(t, s, consoleEmail, consolePassword)
			ref := "R-" + lang + "-1001"
			paid := paidOrder(t, s, ref)
			open := kwdOrder(t, s, map[string]any{"reference": "R-" + lang + "-open", "amount": "2.500",
				"items": []map[string]any{{"name": "Cup", "quantity": 1, "unit_amount": "2.500"}}})
			consoleLogin(t, page, s, lang)

			// Find the paid order by its reference.
			_, err := page.Goto(s.BaseURL + "/admin/orders")
			must(t, err)
			must(t, expect.Locator(page.Locator("[data-testid=order-row]")).ToHaveCount(2))
			checkPage(t, page, lang, "admin-orders")
			must(t, page.Locator("[data-testid=search]").Fill(ref))
			must(t, page.Locator("[data-testid=filter-submit]").Click())
			must(t, expect.Locator(page.Locator("[data-testid=order-row]")).ToHaveCount(1))
			must(t, expect.Locator(page.Locator("[data-testid=totals]")).ToContainText("6.000"))
			must(t, page.Locator("[data-testid=order-row] a").First().Click())
			must(t, expect.Locator(page.Locator("[data-testid=order-reference]")).ToHaveText(ref))
			must(t, expect.Locator(page.Locator("[data-testid=attempt]")).ToHaveCount(1))
			checkPage(t, page, lang, "admin-order-paid")

			// Refund part of it, with a confirmation step; it shows in the timeline and the API.
			must(t, page.Locator("[data-testid=refund]").Click())
			must(t, expect.Locator(page.Locator("[data-testid=refund-amount]")).ToHaveValue("6.000"))
			must(t, page.Locator("[data-testid=refund-amount]").Fill("9.000"))
			must(t, page.Locator("[data-testid=refund-continue]").Click())
			must(t, page.Locator("[data-testid=confirm]").Click())
			must(t, expect.Locator(page.Locator("[data-testid=refund-error]")).ToBeVisible())
			checkPage(t, page, lang, "admin-refund-too-large")
			must(t, page.Locator("[data-testid=refund-amount]").Fill("2.000"))
			must(t, page.Locator("[data-testid=refund-reason]").Fill("one cup returned"))
			must(t, page.Locator("[data-testid=refund-continue]").Click())
			must(t, expect.Locator(page.Locator("[data-testid=confirm-question]")).ToContainText("2.000"))
			checkPage(t, page, lang, "admin-refund-confirm")
			must(t, page.Locator("[data-testid=confirm]").Click())
			must(t, expect.Locator(page.Locator("[data-testid=notice]")).ToBeVisible())
			must(t, expect.Locator(page.Locator("[data-testid=timeline]")).ToContainText(consoleEmail))
			must(t, expect.Locator(page.Locator("[data-testid=refunds]")).ToContainText("2.000"))
			checkPage(t, page, lang, "admin-order-refunded")
			api := apiOrder(t, s, paid["id"].(string))
			if api["status"] != "partially_refunded" || api["refunded_amount"] != "2.000" {
				t.Fatalf("API after the console refund: status %v, refunded %v", api["status"], api["refunded_amount"])
			}

			// Cancel the open order, after a confirmation.
			_, err = page.Goto(s.BaseURL + "/admin/orders/" + open["id"].(string))
			must(t, err)
			must(t, page.Locator("[data-testid=cancel]").Click())
			checkPage(t, page, lang, "admin-cancel-confirm")
			must(t, page.Locator("[data-testid=confirm]").Click())
			must(t, expect.Locator(page.Locator("[data-testid=notice]")).ToBeVisible())
			must(t, expect.Locator(page.Locator("h1 .pill")).ToHaveAttribute("data-status", "cancelled"))
			if api := apiOrder(t, s, open["id"].(string)); api["status"] != "cancelled" {
				t.Fatalf("API after the console cancel: %v", api["status"])
			}

			// The CSV export holds exactly what the filter shows; without a session it is 401.
			resp, err := page.Context().Request().Get(s.BaseURL + "/admin/orders.csv?status=cancelled")
			must(t, err)
			body, err := resp.Text()
			must(t, err)
			lines := strings.Split(strings.TrimSpace(body), "\n")
			if resp.Status() != 200 || len(lines) != 2 || !strings.HasPrefix(lines[0], "id,created_at,status,amount,currency,reference") ||
				!strings.Contains(lines[1], open["id"].(string)+",") || !strings.Contains(lines[1], ",cancelled,2.500,KWD,R-"+lang+"-open,") {
				t.Fatalf("CSV export: %d\n%s", resp.Status(), body)
			}
			if code := s.get("/admin/orders.csv"); code != http.StatusUnauthorized {
				t.Fatalf("CSV without a session: %d, want 401", code)
			}

			// The home page: today's paid total, counts by status, the 30-day chart.
			_, err = page.Goto(s.BaseURL + "/admin")
			must(t, err)
			must(t, expect.Locator(page.Locator("[data-testid=home-today]")).ToContainText("6.000"))
			must(t, expect.Locator(page.Locator("[data-testid=count-cancelled]")).ToHaveText("1"))
			must(t, expect.Locator(page.Locator("[data-testid=chart] rect")).ToHaveCount(30))
			checkPage(t, page, lang, "admin-home")
		})
	}
}

// flakyReceiver is a shop endpoint that answers 500 until accept is set, then 204.
type flakyReceiver struct {
	URL    string
	accept atomic.Bool
	hits   atomic.Int32
}

func newFlakyReceiver(t *testing.T) *flakyReceiver {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	r := &flakyReceiver{URL: "http://" + ln.Addr().String() + "/hook"}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		_, _ = io.Copy(io.Discard, req.Body)
		r.hits.Add(1)
		if !r.accept.Load() {
			http.Error(w, "database is down, try later", http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return r
}

func TestConsoleRedeliversAFailedWebhook(t *testing.T) {
	for _, lang := range []string{"en", "ar"} {
		t.Run(lang, func(t *testing.T) {
			page := newPage(t, lang)
			// A slow tick: the automatic retry (10 s after the failure) cannot beat the button.
			s := startServer(t, "CHECKOUT_TICK=1s", "CHECKOUT_WEBHOOK_SECRET="+webhookSecret)
			addUser(t, s, consoleEmail, consolePassword)
			hook := newFlakyReceiver(t)
			o := kwdOrder(t, s, map[string]any{"webhook_url": hook.URL})
			if code, body := s.do(t, "POST", "/api/v1/orders/"+o["id"].(string)+"/cancel", s.APIKey, nil); code != http.StatusOK {
				t.Fatalf("cancel: %d %s", code, body)
			}
			deadline := time.Now().Add(15 * time.Second)
			for hook.hits.Load() == 0 && time.Now().Before(deadline) {
				time.Sleep(100 * time.Millisecond)
			}
			if hook.hits.Load() == 0 {
				t.Fatal("the webhook was never tried")
			}

			consoleLogin(t, page, s, lang)
			_, err := page.Goto(s.BaseURL + "/admin/webhooks?failing=1")
			must(t, err)
			ev := page.Locator("[data-testid=webhook-event]")
			must(t, expect.Locator(ev).ToHaveCount(1))
			must(t, expect.Locator(ev.Locator("[data-testid=try]")).ToContainText([]string{"500"}))
			must(t, expect.Locator(ev.Locator("pre.preview")).ToContainText("database is down"))
			checkPage(t, page, lang, "admin-webhooks-failing")

			hook.accept.Store(true)
			must(t, ev.Locator("[data-testid=redeliver]").Click())
			must(t, expect.Locator(page.Locator("[data-testid=notice]")).ToBeVisible())
			// The dispatcher was woken: the delivery is recorded within a moment.
			_, err = page.Goto(s.BaseURL + "/admin/webhooks")
			must(t, err)
			for i := 0; i < 30; i++ {
				if n, _ := page.Locator("[data-testid=webhook-event] [data-testid=try]").Count(); n >= 2 {
					break
				}
				time.Sleep(200 * time.Millisecond)
				_, err = page.Reload()
				must(t, err)
			}
			ev = page.Locator("[data-testid=webhook-event]")
			must(t, expect.Locator(ev.Locator("[data-testid=try]")).ToHaveCount(2))
			must(t, expect.Locator(ev.Locator("[data-testid=try]").First()).ToContainText("204"))
			must(t, expect.Locator(ev.Locator("[data-testid=webhook-state]")).ToHaveClass(regexp.MustCompile(`pill-ok`)))
			checkPage(t, page, lang, "admin-webhooks-redelivered")
			_, err = page.Goto(s.BaseURL + "/admin/webhooks?failing=1")
			must(t, err)
			must(t, expect.Locator(page.Locator("[data-testid=no-events]")).ToBeVisible())
		})
	}
}

func TestConsoleSettings(t *testing.T) {
	for _, lang := range []string{"en", "ar"} {
		t.Run(lang, func(t *testing.T) {
			page := newPage(t, lang)
			s := startServer(t)
			addUser(t, s, consoleEmail, consolePassword)
			hook := newReceiver(t)
			consoleLogin(t, page, s, lang)
			_, err := page.Goto(s.BaseURL + "/admin/settings")
			must(t, err)
			checkPage(t, page, lang, "admin-settings")

			// A colour too pale for white text is refused, and nothing is saved.
			must(t, page.Locator("[data-testid=settings-name]").Fill("Dar Al Qahwa"))
			must(t, page.Locator("[data-testid=settings-brand]").Fill("#ffcc00"))
			must(t, page.Locator("[data-testid=settings-logo]").Fill("javascript:alert(1)"))
			must(t, page.Locator("[data-testid=settings-save]").Click())
			must(t, expect.Locator(page.Locator("[data-testid=error-brand]")).ToBeVisible())
			must(t, expect.Locator(page.Locator("[data-testid=error-logo]")).ToBeVisible())
			checkPage(t, page, lang, "admin-settings-refused")

			must(t, page.Locator("[data-testid=settings-brand]").Fill("#7a1f3d"))
			must(t, page.Locator("[data-testid=settings-logo]").Fill(""))
			must(t, page.Locator("[data-testid=settings-webhook]").Fill(hook.URL))
			must(t, page.Locator("[data-testid=settings-save]").Click())
			must(t, expect.Locator(page.Locator("[data-testid=notice]")).ToBeVisible())

			// The checkout pages use them at once.
			o := kwdOrder(t, s, nil)
			shopper := newPage(t, lang)
			_, err = shopper.Goto(o["checkout_url"].(string))
			must(t, err)
			must(t, expect.Locator(shopper.Locator(".merchant-name")).ToHaveText("Dar Al Qahwa"))
			must(t, expect.Locator(shopper.Locator("link[href^='/brand.css']")).ToHaveCount(1))

			// A test webhook reaches the shop, signed with the secret the page reveals.
			must(t, page.Locator("[data-testid=test-webhook]").Click())
			must(t, expect.Locator(page.Locator("[data-testid=test-result]")).ToContainText("204"))
			must(t, page.Locator("[data-testid=secret-reveal]").Click())
			secret, err := page.Locator("[data-testid=secret]").InputValue()
			must(t, err)
			pings := hook.events("test.ping")
			if len(pings) != 1 || !verifySignature(secret, pings[0].Signature, pings[0].Body) {
				t.Fatalf("test.ping deliveries %d, signed with the revealed secret: %v", len(pings), len(pings) == 1 && verifySignature(secret, pings[0].Signature, pings[0].Body))
			}

			// Rotate with an overlap: both secrets sign the next webhook.
			must(t, page.Locator("[data-testid=secret-rotate]").Click())
			must(t, page.Locator("[data-testid=confirm]").Click())
			fresh, err := page.Locator("[data-testid=secret]").InputValue()
			must(t, err)
			must(t, expect.Locator(page.Locator("[data-testid=secret-previous]")).ToHaveValue(secret))
			checkPage(t, page, lang, "admin-settings-rotated")
			if fresh == secret {
				t.Fatal("the secret did not change")
			}
			must(t, page.Locator("[data-testid=test-webhook]").Click())
			must(t, expect.Locator(page.Locator("[data-testid=test-result]")).ToContainText("204"))
			pings = hook.events("test.ping")
			last := pings[len(pings)-1]
			ts, sigs, _ := strings.Cut(last.Signature, ",")
			okNew, okOld := false, false
			for _, sig := range strings.Split(sigs, ",") {
				okNew = okNew || verifySignature(fresh, ts+","+sig, last.Body)
				okOld = okOld || verifySignature(secret, ts+","+sig, last.Body)
			}
			if !okNew || !okOld {
				t.Fatalf("during the overlap: new secret verifies %v, old %v (%s)", okNew, okOld, last.Signature)
			}
		})
	}
}
