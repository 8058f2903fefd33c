package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/playwright-community/playwright-go"
)

// Cancel on every gateway's own page, in Arabic and English: the result page says cancelled in
// the shopper's words, never "failed" or "the payment service could not start". Click is the one
// gateway whose spec has no cancel signal (a cancel returns exactly like a decline), so its cancel
// is an honest "not completed" failure (see gateway/click's doc).

// catalogText is the text of an i18n key in lang, from the catalog the server uses.
func catalogText(t *testing.T, lang, key string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, "i18n", "catalog", lang+".json"))
	must(t, err)
	var m map[string]string
	must(t, json.Unmarshal(b, &m))
	if m[key] == "" {
		t.Fatalf("catalog %s has no %s", lang, key)
	}
	return m[key]
}

func TestCancelOnEveryGatewayPage(t *testing.T) {
	knetCancel := func(prefix string) func(t *testing.T, page playwright.Page) {
		return func(t *testing.T, page playwright.Page) {
			must(t, page.Locator("[data-testid="+prefix+"-cancel]").Click())
		}
	}
	clickCancel := func(method string) func(t *testing.T, page playwright.Page) {
		return func(t *testing.T, page playwright.Page) {
			must(t, page.Locator("[data-testid=click-method-"+method+"]").Check())
			must(t, page.Locator("[data-testid=click-continue]").Click())
			must(t, page.Locator("[data-testid=click-pay]").Click())
			must(t, page.Locator("[data-testid=click-"+method+"-cancel]").Click())
			// Click's own result page: its button goes back now, instead of after the countdown.
			must(t, page.Locator("[data-testid=click-return]").Click())
		}
	}
	cases := []struct {
		name     string
		env      []string
		currency string // KWD, IQD or THB
		method   string
		cancel   func(t *testing.T, page playwright.Page)
		want     string // order-status
		words    string // i18n key of the words the page must show
	}{
		{"tap-knet", nil, "KWD", "knet", knetCancel("knet"), "cancelled", "result.cancelled.message"},
		{"adyen-knet", []string{"CHECKOUT_KNET_GATEWAY=adyen"}, "KWD", "knet", knetCancel("adyen-knet"), "cancelled", "result.cancelled.message"},
		{"knet-direct", []string{"CHECKOUT_KNET_GATEWAY=knet"}, "KWD", "knet", knetCancel("knet"), "cancelled", "result.cancelled.message"},
		{"click-knet", nil, "KWD", "click", clickCancel("knet"), "failed", "reason.not_completed"},
		{"click-card", nil, "KWD", "click", clickCancel("card"), "failed", "reason.not_completed"},
		{"alqaseh", nil, "IQD", "card", knetCancel("alqaseh"), "cancelled", "result.cancelled.message"},
		{"kpay-3ds", nil, "THB", "card", func(t *testing.T, page playwright.Page) {
			f := kpayFrame(page)
			must(t, page.Locator("[data-testid=kpay-button]").Click())
			kpayCard(t, f, "5404888000072727")
			must(t, f.Locator("[data-testid=kpay-submit]").Click())
			must(t, page.Locator("[data-testid=kpay-otp-cancel]").Click())
		}, "cancelled", "result.cancelled.message"},
		{"kpay-unionpay", nil, "THB", "unionpay", knetCancel("kpay-upi"), "cancelled", "result.cancelled.message"},
		{"kpay-alipay", nil, "THB", "alipay", knetCancel("kpay-alipay"), "cancelled", "result.cancelled.message"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := startServer(t, append([]string{"CHECKOUT_TICK=200ms"}, tc.env...)...)
			for _, lang := range []string{"en", "ar"} {
				amount := map[string]string{"KWD": "6.000", "IQD": "25000", "THB": "590.00"}[tc.currency]
				o := s.createOrder(t, map[string]any{
					"amount": amount, "currency": tc.currency, "reference": "e2e-cancel-" + tc.name + "-" + lang,
					"description": "Cancel test", "return_url": s.BaseURL + "/demo/return",
				})
				page := newPage(t, lang)
				toGateway(t, page, o["checkout_url"].(string), lang, tc.method, false)
				tc.cancel(t, page)
				waitStatus(t, page, tc.want)
				must(t, expect.Locator(page.Locator("main")).ToContainText(catalogText(t, lang, tc.words)))
				checkPage(t, page, lang, "cancel-"+tc.name)
				if tc.want == "cancelled" {
					atts := attemptsOf(apiOrder(t, s, o["id"].(string)))
					if len(atts) != 1 || atts[0]["status"] != "cancelled" {
						t.Fatalf("%s: attempts = %v, want one cancelled", lang, atts)
					}
				}
			}
		})
	}
}
