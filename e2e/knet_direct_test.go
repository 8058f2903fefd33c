package e2e

import (
	"net/http"
	"testing"

	"github.com/playwright-community/playwright-go"
)

// KNET through KNET's own gateway (no aggregator): the notification handshake decides.

func knetDirectShop(t *testing.T) *server {
	return startServer(t, "CHECKOUT_TICK=200ms", "CHECKOUT_WEBHOOK_SECRET="+webhookSecret,
		"CHECKOUT_KNET_GATEWAY=knet", "CHECKOUT_RECONCILE_AFTER=1s")
}

// knetConfirm presses the confirmation step KNET shows after the card page.
func knetConfirm(t *testing.T, page playwright.Page) {
	t.Helper()
	must(t, page.Locator("[data-testid=knet-confirm]").Click())
}

func TestKNETDirect(t *testing.T) {
	cases := []struct {
		name, lang, card, year string
		cancel                 bool
		want                   string
	}{
		{"paid", "en", "8888880000000001", "2030", false, "paid"},
		{"paid", "ar", "8888880000000001", "2030", false, "paid"},
		{"declined", "en", "8888880000000001", "2029", false, "failed"},
		{"cancelled", "en", "", "", true, "cancelled"},
		// HOST TIMEOUT: unknown at the notification, settled by inquiry a few seconds later.
		{"host-timeout", "en", "8888880000000003", "2030", false, "paid"},
	}
	for _, tc := range cases {
		t.Run(tc.name+"-"+tc.lang, func(t *testing.T) {
			s := knetDirectShop(t)
			o := kwdOrder(t, s, nil)
			page := newPage(t, tc.lang)
			toGateway(t, page, o["checkout_url"].(string), tc.lang, "knet", false)
			must(t, expect.Locator(page.Locator("[data-testid=knet-card]")).ToBeVisible())
			if tc.name == "paid" {
				checkPage(t, page, tc.lang, "knet-direct")
			}
			if tc.cancel {
				must(t, page.Locator("[data-testid=knet-cancel]").Click())
			} else {
				knetForm(t, page, "knet", "knet1", tc.card, tc.year)
				if tc.name == "paid" {
					checkPage(t, page, tc.lang, "knet-direct-confirm")
				}
				knetConfirm(t, page)
			}
			if tc.name == "host-timeout" {
				status(t, page, "pending")
			}
			must(t, expect.Locator(page.Locator("[data-testid=order-status]")).ToHaveAttribute("data-status", tc.want,
				playwright.LocatorAssertionsToHaveAttributeOptions{Timeout: playwright.Float(30000)}))
			atts := attemptsOf(apiOrder(t, s, o["id"].(string)))
			if len(atts) != 1 || atts[0]["gateway"] != "knet" {
				t.Fatalf("attempts = %v, want one through knet", atts)
			}
			if tc.want == "paid" {
				checkPage(t, page, tc.lang, "knet-direct-result-paid-"+tc.name)
			}
		})
	}
}

// The merchant cancels the order while the shopper is on KNET's page: when the card is then
// paid, we refuse KNET's handshake, KNET voids the transaction, and no money is taken.
func TestKNETDirectHandshakeRefusedForACancelledOrder(t *testing.T) {
	s := knetDirectShop(t)
	o := kwdOrder(t, s, nil)
	page := newPage(t, "en")
	toGateway(t, page, o["checkout_url"].(string), "en", "knet", false)
	must(t, expect.Locator(page.Locator("[data-testid=knet-card]")).ToBeVisible())

	if code, body := s.do(t, "POST", "/api/v1/orders/"+o["id"].(string)+"/cancel", s.APIKey, nil); code != http.StatusOK {
		t.Fatalf("cancel while at KNET: %d %s", code, body)
	}
	knetForm(t, page, "knet", "knet1", "8888880000000001", "2030")
	knetConfirm(t, page)
	must(t, expect.Locator(page.Locator("[data-testid=knet-void]")).ToBeVisible())
	checkPage(t, page, "en", "knet-direct-void")

	got := apiOrder(t, s, o["id"].(string))
	atts := attemptsOf(got)
	if got["status"] != "cancelled" || len(atts) != 1 || atts[0]["status"] != "voided" {
		t.Fatalf("order %v with attempts %v; want cancelled with the attempt voided", got["status"], atts)
	}
}
