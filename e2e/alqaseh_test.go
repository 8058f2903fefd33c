package e2e

import (
	"net/http"
	"testing"

	"github.com/playwright-community/playwright-go"

	"github.com/bawaba/checkout/checkouttest"
)

// Al Qaseh (Iraq): cards in IQD on Al Qaseh's hosted page.

func iqdOrder(t *testing.T, s *server) map[string]any {
	t.Helper()
	return s.createOrder(t, map[string]any{
		"amount": "25000.000", "currency": "IQD", "reference": "e2e-" + t.Name(),
		"description": "Iraqi tea glasses", "return_url": s.BaseURL + "/demo/return",
	})
}

// alqasehPay fills Al Qaseh's card page and presses Pay.
func alqasehPay(t *testing.T, page playwright.Page, card, cvv string) {
	t.Helper()
	must(t, checkouttest.SubmitAlqasehCard(page, card, cvv))
}

// toAlqaseh goes through our pages with the card method to Al Qaseh's page.
func toAlqaseh(t *testing.T, page playwright.Page, checkoutURL, lang string) {
	t.Helper()
	toGateway(t, page, checkoutURL, lang, "card", false)
	must(t, expect.Locator(page.Locator("[data-testid=alqaseh-card]")).ToBeVisible())
}

func TestAlqasehPaid(t *testing.T) {
	for _, lang := range []string{"en", "ar"} {
		t.Run(lang, func(t *testing.T) {
			s := shop(t)
			o := iqdOrder(t, s)
			page := newPage(t, lang)
			_, err := page.Goto(o["checkout_url"].(string) + "?lang=" + lang)
			must(t, err)
			checkPage(t, page, lang, "pay-iqd")
			toAlqaseh(t, page, o["checkout_url"].(string), lang)
			checkPage(t, page, lang, "alqaseh")
			alqasehPay(t, page, "5341432900077803", "971")
			status(t, page, "paid")
			checkPage(t, page, lang, "alqaseh-result-paid")
			if got := apiOrder(t, s, o["id"].(string))["status"]; got != "paid" {
				t.Fatalf("API status %v, want paid", got)
			}
		})
	}
}

// A decline, then "try another method" → card again: Al Qaseh's retry gives a new payment and
// token for the same context, and it pays.
func TestAlqasehDeclinedThenPaidThroughRetry(t *testing.T) {
	s := shop(t)
	o := iqdOrder(t, s)
	page := newPage(t, "en")
	toAlqaseh(t, page, o["checkout_url"].(string), "en")
	alqasehPay(t, page, "4111111111111111", "123")
	status(t, page, "failed")
	must(t, page.Locator("[data-testid=result-primary]").Click())
	toAlqaseh(t, page, o["checkout_url"].(string), "en")
	alqasehPay(t, page, "5341432900077803", "971")
	must(t, expect.Locator(page.Locator("[data-testid=order-status]")).ToHaveAttribute("data-status", "paid",
		playwright.LocatorAssertionsToHaveAttributeOptions{Timeout: playwright.Float(30000)}))
	atts := attemptsOf(apiOrder(t, s, o["id"].(string)))
	if len(atts) != 2 || atts[0]["status"] != "failed" || atts[1]["status"] != "paid" || atts[0]["payment_id"] == atts[1]["payment_id"] {
		t.Fatalf("attempts = %v, want failed then paid with a new payment id", atts)
	}
}

// The merchant cancels the order while Al Qaseh's page is open: the context is revoked, and the
// old page can no longer pay.
func TestAlqasehCancelledOrderRevokesThePage(t *testing.T) {
	s := shop(t)
	o := iqdOrder(t, s)
	page := newPage(t, "en")
	toAlqaseh(t, page, o["checkout_url"].(string), "en")
	if code, body := s.do(t, "POST", "/api/v1/orders/"+o["id"].(string)+"/cancel", s.APIKey, nil); code != http.StatusOK {
		t.Fatalf("cancel: %d %s", code, body)
	}
	_, err := page.Reload()
	must(t, err)
	must(t, expect.Locator(page.Locator("[data-testid=alqaseh-result]")).ToHaveAttribute("data-status", "revoked"))
	checkPage(t, page, "en", "alqaseh-revoked")
	if got := apiOrder(t, s, o["id"].(string))["status"]; got != "cancelled" {
		t.Fatalf("order %v, want cancelled", got)
	}
}

// A forged redirect saying status=Success leaves the order unpaid.
func TestAlqasehForgedSuccessRedirect(t *testing.T) {
	s := shop(t)
	o := iqdOrder(t, s)
	page := newPage(t, "en")
	toAlqaseh(t, page, o["checkout_url"].(string), "en")
	att := attemptsOf(apiOrder(t, s, o["id"].(string)))[0]
	_, err := page.Goto(s.BaseURL + "/return/alqaseh/" + att["id"].(string) + "?payment_id=" + att["payment_id"].(string) +
		"&order_id=" + att["id"].(string) + "&status=Success")
	must(t, err)
	status(t, page, "pending")
	if got := apiOrder(t, s, o["id"].(string))["status"]; got == "paid" {
		t.Fatal("a forged status=Success redirect marked the order paid")
	}
}
