package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/playwright-community/playwright-go"

	"github.com/bawaba/checkout/checkouttest"
)

// KNET through Adyen, and Click, against their simulators. Each gateway's KNET-style page has
// the same fields under its own testid prefix.

// knetForm fills a simulated KNET card form whose testids start with prefix ("adyen-knet",
// "click-knet") and submits it.
func knetForm(t *testing.T, page playwright.Page, prefix, bank, card, year string) {
	t.Helper()
	must(t, checkouttest.SubmitKNETCard(page, prefix, bank, card, year))
}

// toGateway goes from the checkout URL through our pages with method and presses Pay.
func toGateway(t *testing.T, page playwright.Page, checkoutURL, lang, method string, shots bool) {
	t.Helper()
	_, err := page.Goto(checkoutURL + "?lang=" + lang)
	must(t, err)
	must(t, page.Locator("[data-testid=method-"+method+"]").Check())
	must(t, page.Locator("[data-testid=continue]").Click())
	must(t, expect.Locator(page.Locator("[data-testid=pay]")).ToBeVisible())
	if shots {
		checkPage(t, page, lang, "confirm-"+method)
	}
	must(t, page.Locator("[data-testid=pay]").Click())
}

func adyenShop(t *testing.T) *server {
	return startServer(t, "CHECKOUT_TICK=200ms", "CHECKOUT_WEBHOOK_SECRET="+webhookSecret, "CHECKOUT_KNET_GATEWAY=adyen")
}

func TestKNETViaAdyen(t *testing.T) {
	cases := []struct {
		name, lang, card, year string
		cancel                 bool
		want                   string
	}{
		{"paid", "en", "8888880000000001", "2030", false, "paid"},
		{"paid", "ar", "8888880000000001", "2030", false, "paid"},
		{"declined", "en", "8888880000000001", "2029", false, "failed"},
		{"cancelled", "en", "", "", true, "cancelled"},
		// Pending at the return; the AUTHORISATION webhook completes it while the shopper waits.
		{"pending-then-paid", "en", "8888880000000003", "2030", false, "paid"},
	}
	for _, tc := range cases {
		t.Run(tc.name+"-"+tc.lang, func(t *testing.T) {
			s := adyenShop(t)
			o := kwdOrder(t, s, nil)
			page := newPage(t, tc.lang)
			toGateway(t, page, o["checkout_url"].(string), tc.lang, "knet", false)
			must(t, expect.Locator(page.Locator("[data-testid=adyen-knet-card]")).ToBeVisible())
			if tc.name == "paid" {
				checkPage(t, page, tc.lang, "adyen-knet")
			}
			if tc.cancel {
				must(t, page.Locator("[data-testid=adyen-knet-cancel]").Click())
			} else {
				knetForm(t, page, "adyen-knet", "KNET1", tc.card, tc.year)
			}
			if tc.name == "pending-then-paid" {
				status(t, page, "pending")
				checkPage(t, page, tc.lang, "adyen-pending")
			}
			must(t, expect.Locator(page.Locator("[data-testid=order-status]")).ToHaveAttribute("data-status", tc.want,
				playwright.LocatorAssertionsToHaveAttributeOptions{Timeout: playwright.Float(30000)}))
			atts := attemptsOf(apiOrder(t, s, o["id"].(string)))
			if len(atts) != 1 || atts[0]["gateway"] != "adyen" {
				t.Fatalf("attempts = %v, want one through adyen", atts)
			}
			if tc.want == "paid" {
				checkPage(t, page, tc.lang, "adyen-result-paid")
			}
		})
	}
}

func TestClick(t *testing.T) {
	cases := []struct {
		name, lang, year string
		cancel           bool
		want             string
	}{
		{"paid", "en", "2030", false, "paid"},
		{"paid", "ar", "2030", false, "paid"},
		{"declined", "en", "2029", false, "failed"},
		{"cancelled", "en", "", true, "failed"}, // Click returns a cancel as message=error (spec §3.3)
	}
	for _, tc := range cases {
		t.Run(tc.name+"-"+tc.lang, func(t *testing.T) {
			s := shop(t)
			o := kwdOrder(t, s, nil)
			page := newPage(t, tc.lang)
			toGateway(t, page, o["checkout_url"].(string), tc.lang, "click", tc.name == "paid")
			must(t, page.Locator("[data-testid=click-method-knet]").Check())
			must(t, page.Locator("[data-testid=click-continue]").Click())
			if tc.name == "paid" {
				checkPage(t, page, tc.lang, "click-confirm")
			}
			must(t, page.Locator("[data-testid=click-pay]").Click())
			must(t, expect.Locator(page.Locator("[data-testid=click-knet-card]")).ToBeVisible())
			if tc.cancel {
				must(t, page.Locator("[data-testid=click-knet-cancel]").Click())
			} else {
				knetForm(t, page, "click-knet", "knet1", "8888880000000001", tc.year)
			}
			// Click's own result page sends the shopper back after 5 seconds; the link does it now.
			if ret := page.Locator("[data-testid=click-return]"); tc.name == "paid" {
				must(t, expect.Locator(ret).ToBeVisible())
				must(t, ret.Click())
			}
			must(t, expect.Locator(page.Locator("[data-testid=order-status]")).ToHaveAttribute("data-status", tc.want,
				playwright.LocatorAssertionsToHaveAttributeOptions{Timeout: playwright.Float(20000)}))
			if tc.name == "paid" {
				checkPage(t, page, tc.lang, "click-result-paid")
				atts := attemptsOf(apiOrder(t, s, o["id"].(string)))
				if len(atts) != 1 || atts[0]["gateway"] != "click" || atts[0]["status"] != "paid" {
					t.Fatalf("attempts = %v, want one paid through click", atts)
				}
			}
		})
	}
}

// A return whose query claims success never marks an order paid, whichever KNET route.
func TestForgedReturnsOfEveryKNETRoute(t *testing.T) {
	cases := []struct {
		name, method, query string
		env                 []string
		page                string // a testid of the gateway's page, to know the attempt started
	}{
		{"adyen", "knet", "redirectResult=Zm9yZ2Vk", []string{"CHECKOUT_KNET_GATEWAY=adyen"}, "adyen-knet-card"},
		{"knet", "knet", "result=CAPTURED&trackid=%s", []string{"CHECKOUT_KNET_GATEWAY=knet"}, "knet-card"},
		{"click", "click", "message=success&message_type=success&indicator_status=forged", nil, "click-method-knet"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := startServer(t, append([]string{"CHECKOUT_TICK=200ms"}, tc.env...)...)
			o := kwdOrder(t, s, nil)
			page := newPage(t, "en")
			toGateway(t, page, o["checkout_url"].(string), "en", tc.method, false)
			must(t, expect.Locator(page.Locator("[data-testid="+tc.page+"]")).ToBeVisible())
			att := attemptsOf(apiOrder(t, s, o["id"].(string)))[0]
			q := tc.query
			if strings.Contains(q, "%s") {
				q = fmt.Sprintf(q, strings.TrimPrefix(att["id"].(string), "att_"))
			}
			_, err := page.Goto(s.BaseURL + "/return/" + tc.name + "/" + att["id"].(string) + "?" + q)
			must(t, err)
			if got := apiOrder(t, s, o["id"].(string))["status"]; got == "paid" {
				t.Fatalf("a forged %s return marked the order paid", tc.name)
			}
			st, err := page.Locator("[data-testid=order-status]").GetAttribute("data-status")
			must(t, err)
			if st == "paid" {
				t.Fatalf("the page says paid after a forged %s return", tc.name)
			}
		})
	}
}
