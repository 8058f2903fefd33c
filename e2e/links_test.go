package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/playwright-community/playwright-go"

	"github.com/bawaba/checkout/internal/qrtest"
)

// Payment links as a shopper sees them: made through the API (the merchant console's form
// comes with the console), opened in Arabic and English, paid with KNET through the Tap
// simulator; the link's figures move, a used single-use link shows 410, the QR code scans
// to the link.

func createLink(t *testing.T, s *server, body map[string]any) map[string]any {
	t.Helper()
	code, b := s.do(t, http.MethodPost, "/api/v1/payment_links", s.APIKey, body)
	if code != http.StatusCreated {
		t.Fatalf("POST /api/v1/payment_links: %d %s", code, b)
	}
	var l map[string]any
	must(t, json.Unmarshal(b, &l))
	return l
}

func apiLink(t *testing.T, s *server, id string) map[string]any {
	t.Helper()
	code, b := s.do(t, http.MethodGet, "/api/v1/payment_links/"+id, s.APIKey, nil)
	if code != http.StatusOK {
		t.Fatalf("GET link %s: %d %s", id, code, b)
	}
	var l map[string]any
	must(t, json.Unmarshal(b, &l))
	return l
}

// payFromPay goes from /pay/{id} (where Continue on a link lands) through KNET to the result.
func payFromPay(t *testing.T, page playwright.Page, lang string) {
	t.Helper()
	must(t, page.Locator("[data-testid=method-knet]").Check())
	must(t, page.Locator("[data-testid=continue]").Click())
	must(t, page.Locator("[data-testid=pay]").Click())
	must(t, expect.Locator(page.Locator("[data-testid=knet-card]")).ToBeVisible())
	fillKNET(t, page, "2030", false)
	status(t, page, "paid")
	checkPage(t, page, lang, "link-result-paid")
}

func TestPaymentLinkPaidWithKNET(t *testing.T) {
	s := shop(t)
	hook := newReceiver(t)
	single := createLink(t, s, map[string]any{
		"amount": "6.000", "currency": "KWD", "description": "Arabic coffee set",
		"items":      []map[string]any{{"name": "Dallah", "quantity": 2, "unit_amount": "3.000"}},
		"single_use": true, "collect": []string{"name", "phone"}, "webhook_url": hook.URL,
	})
	open := createLink(t, s, map[string]any{
		"currency": "KWD", "min_amount": "1.000", "max_amount": "50.000", "description": "Gift for the shop",
		"collect": []string{"email"}, "webhook_url": hook.URL,
	})
	singleURL, openURL := single["url"].(string), open["url"].(string)

	// Arabic: the single-use link, name and phone.
	ar := newPage(t, "ar")
	_, err := ar.Goto(singleURL)
	must(t, err)
	checkPage(t, ar, "ar", "link")
	must(t, expect.Locator(ar.Locator(".summary")).ToContainText("Dallah"))
	// Continue with nothing filled: the form again, each field saying what is wrong.
	must(t, ar.Locator("[data-testid=link-continue]").Click())
	must(t, expect.Locator(ar.Locator("[data-testid=link-phone-error]")).ToBeVisible())
	checkPage(t, ar, "ar", "link-errors")
	must(t, ar.Locator("[data-testid=link-name]").Fill("فاطمة الصباح"))
	must(t, ar.Locator("[data-testid=link-phone]").Fill("+965 5123 4567"))
	must(t, ar.Locator("[data-testid=link-continue]").Click())
	must(t, ar.WaitForURL("**/pay/ord_*"))
	payFromPay(t, ar, "ar")

	l := apiLink(t, s, single["id"].(string))
	if l["paid_count"].(float64) != 1 || l["paid_amount"] != "6.000" || l["status"] != "used_up" || l["orders"].(float64) != 1 {
		t.Fatalf("single-use link after paying: %v", l)
	}
	// Used: 410 in both languages, and no order made.
	for _, lang := range []string{"ar", "en"} {
		p := newPage(t, lang)
		res, err := p.Goto(singleURL + "?lang=" + lang)
		must(t, err)
		if res.Status() != http.StatusGone {
			t.Fatalf("used single-use link: %d, want 410", res.Status())
		}
		checkPage(t, p, lang, "link-gone")
	}
	if n := apiLink(t, s, single["id"].(string))["orders"].(float64); n != 1 {
		t.Fatalf("a used link made more orders: %v", n)
	}

	// English: the reusable link, amount entered by the shopper.
	en := newPage(t, "en")
	_, err = en.Goto(openURL)
	must(t, err)
	checkPage(t, en, "en", "link-open-amount")
	must(t, en.Locator("[data-testid=link-amount]").Fill("12.5"))
	must(t, en.Locator("[data-testid=link-email]").Fill("shopper@example.com"))
	must(t, en.Locator("[data-testid=link-continue]").Click())
	must(t, en.WaitForURL("**/pay/ord_*"))
	must(t, expect.Locator(en.Locator("[data-testid=order-total]")).ToContainText("12.500"))
	payFromPay(t, en, "en")
	lo := apiLink(t, s, open["id"].(string))
	if lo["paid_count"].(float64) != 1 || lo["paid_amount"] != "12.500" || lo["status"] != "active" {
		t.Fatalf("reusable link after paying: %v", lo)
	}

	// The merchant's order.paid webhooks name the links.
	deadline := time.Now().Add(15 * time.Second)
	for len(hook.events("order.paid")) < 2 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	paid := hook.events("order.paid")
	if len(paid) != 2 {
		t.Fatalf("order.paid deliveries: %d, want 2", len(paid))
	}
	for _, d := range paid {
		body := string(d.Body)
		if !strings.Contains(body, `"payment_link":"`+single["id"].(string)+`"`) && !strings.Contains(body, `"payment_link":"`+open["id"].(string)+`"`) {
			t.Errorf("order.paid without its payment_link: %s", body)
		}
	}

	// The QR code scans to the link.
	resp, err := httpClient.Get(single["qr_svg_url"].(string))
	must(t, err)
	svg, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if got, err := qrtest.DecodeSVG(svg); err != nil || got != singleURL {
		t.Fatalf("QR decodes to %q (%v), want %q", got, err, singleURL)
	}
}

// Without JavaScript, on a 360 px wide phone, the link's form works and fits.
func TestPaymentLinkWithoutJavaScriptAt360(t *testing.T) {
	s := shop(t)
	l := createLink(t, s, map[string]any{
		"currency": "KWD", "min_amount": "1.000", "max_amount": "50.000", "description": "Gift for the shop",
		"collect": []string{"name", "phone", "email"},
	})
	for _, lang := range []string{"ar", "en"} {
		ctx, err := sharedBrowser(t).NewContext(playwright.BrowserNewContextOptions{
			Locale: playwright.String(lang), JavaScriptEnabled: playwright.Bool(false),
			Viewport: &playwright.Size{Width: 360, Height: 740}, IsMobile: playwright.Bool(true),
		})
		must(t, err)
		t.Cleanup(func() { _ = ctx.Close() })
		page, err := ctx.NewPage()
		must(t, err)
		_, err = page.Goto(l["url"].(string) + "?lang=" + lang)
		must(t, err)
		// axe needs JavaScript: the same page is checked with it in TestPaymentLinkPaidWithKNET.
		must(t, expect.Locator(page.Locator("html")).ToHaveAttribute("dir", dirOf(lang)))
		screenshot(t, page, "link-nojs-360-"+lang)
		wide, err := page.Evaluate("() => document.documentElement.scrollWidth")
		must(t, err)
		if w, ok := wide.(int); !ok || w > 360 {
			t.Errorf("%s page is %v px wide at 360 px", lang, wide)
		}
		must(t, page.Locator("[data-testid=link-amount]").Fill("3"))
		must(t, page.Locator("[data-testid=link-name]").Fill("Fatima"))
		must(t, page.Locator("[data-testid=link-phone]").Fill("+965 5123 4567"))
		must(t, page.Locator("[data-testid=link-email]").Fill("f@example.com"))
		must(t, page.Locator("[data-testid=link-continue]").Click())
		must(t, page.WaitForURL("**/pay/ord_*"))
		must(t, expect.Locator(page.Locator("[data-testid=method-knet]")).ToBeVisible())
	}
	if n := apiLink(t, s, l["id"].(string))["orders"].(float64); n != 2 {
		t.Fatalf("orders = %v, want 2", n)
	}
}

// The console's part: a link made with the form, shared (copy, WhatsApp, QR), paid by a
// shopper in Arabic, its paid count up in the list; another one deactivated.
func TestPaymentLinkConsole(t *testing.T) {
	s := shop(t)
	addUser(t, s, consoleEmail, consolePassword)
	page := newPage(t, "en")
	consoleLogin(t, page, s, "en")
	_, err := page.Goto(s.BaseURL + "/admin/links?lang=en")
	must(t, err)
	checkPage(t, page, "en", "admin-links")
	must(t, page.Locator("[data-testid=l-description]").Fill("Abaya, size M"))
	must(t, page.Locator("[data-testid=l-amount]").Fill("25.000"))
	must(t, page.Locator("[data-testid=l-collect-name]").Check())
	must(t, page.Locator("[data-testid=l-create]").Click())
	must(t, expect.Locator(page.Locator("[data-testid=link-url]")).ToBeVisible())
	checkPage(t, page, "en", "admin-link")
	linkURL, err := page.Locator("[data-testid=link-url]").InputValue()
	must(t, err)
	if !strings.HasPrefix(linkURL, s.BaseURL+"/l/lnk_") {
		t.Fatalf("link URL %q", linkURL)
	}
	wa, err := page.Locator("[data-testid=link-whatsapp]").GetAttribute("href")
	must(t, err)
	if wa != "https://wa.me/?text="+url.QueryEscape(linkURL) {
		t.Errorf("WhatsApp share %q", wa)
	}
	qr, err := page.Locator("[data-testid=link-qr-download]").GetAttribute("href")
	must(t, err)
	resp, err := httpClient.Get(s.BaseURL + qr)
	must(t, err)
	svg, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if got, err := qrtest.DecodeSVG(svg); err != nil || got != linkURL {
		t.Fatalf("console QR decodes to %q (%v), want %q", got, err, linkURL)
	}

	shopper := newPage(t, "ar")
	_, err = shopper.Goto(linkURL)
	must(t, err)
	must(t, shopper.Locator("[data-testid=link-name]").Fill("نورة"))
	must(t, shopper.Locator("[data-testid=link-continue]").Click())
	must(t, shopper.WaitForURL("**/pay/ord_*"))
	payFromPay(t, shopper, "ar")

	_, err = page.Goto(s.BaseURL + "/admin/links?lang=ar")
	must(t, err)
	id := strings.TrimPrefix(linkURL, s.BaseURL+"/l/")
	must(t, expect.Locator(page.Locator("[data-testid=link-row-"+id+"] [data-testid=link-paid]")).ToHaveText("1"))
	checkPage(t, page, "ar", "admin-links")

	// A second link, amount left to the shopper, then deactivated.
	must(t, page.Locator("[data-testid=l-description]").Fill("تبرع"))
	must(t, page.Locator("[data-testid=l-min]").Fill("1"))
	must(t, page.Locator("[data-testid=l-max]").Fill("100"))
	must(t, page.Locator("[data-testid=l-single]").Uncheck())
	must(t, page.Locator("[data-testid=l-create]").Click())
	// Deactivating asks first: Back leaves the link active, the confirmation switches it off.
	active := catalogText(t, "ar", "admin.links.state.active")
	must(t, page.Locator("[data-testid=link-deactivate]").Click())
	must(t, expect.Locator(page.Locator("[data-testid=confirm-question]")).ToContainText("تبرع"))
	checkPage(t, page, "ar", "admin-link-deactivate")
	must(t, page.Locator("[data-testid=confirm-back]").Click())
	must(t, expect.Locator(page.Locator("[data-testid=link-state]")).ToHaveText(active))
	must(t, page.Locator("[data-testid=link-deactivate]").Click())
	must(t, page.Locator("[data-testid=confirm]").Click())
	must(t, expect.Locator(page.Locator("[data-testid=link-state]")).ToHaveText(catalogText(t, "ar", "admin.links.state.deactivated")))
	checkPage(t, page, "ar", "admin-link")
	second, err := page.Locator("[data-testid=link-url]").InputValue()
	must(t, err)
	if res, err := shopper.Goto(second); err != nil || res.Status() != http.StatusGone {
		t.Fatalf("deactivated link: %v %v", res, err)
	}
}
