package e2e

import (
	"regexp"
	"testing"

	"github.com/playwright-community/playwright-go"
)

// K-Pay's card button is the bank's script: without JavaScript our Pay button still starts the
// attempt (a plain form post), and the attempt page says the bank's button needs JavaScript and
// offers the other methods, instead of promising "the button below".
func TestKPayWithoutJavaScript(t *testing.T) {
	s := kpayShop(t)
	for _, lang := range []string{"en", "ar"} {
		o := s.createOrder(t, map[string]any{"amount": "590.00", "currency": "THB", "reference": "e2e-nojs-" + lang,
			"return_url": s.BaseURL + "/demo/return"})
		ctx, err := sharedBrowser(t).NewContext(playwright.BrowserNewContextOptions{
			Locale: playwright.String(lang), JavaScriptEnabled: playwright.Bool(false),
			Viewport: &playwright.Size{Width: 360, Height: 800},
		})
		must(t, err)
		t.Cleanup(func() { _ = ctx.Close() })
		page, err := ctx.NewPage()
		must(t, err)
		_, err = page.Goto(o["checkout_url"].(string) + "/confirm?method=card&lang=" + lang)
		must(t, err)
		must(t, page.Locator("[data-testid=pay]").Click())
		must(t, expect.Locator(page.Locator("[data-testid=noscript]")).ToBeVisible())
		must(t, expect.Page(page).ToHaveURL(regexp.MustCompile(`/pay/ord_\w+/attempt/att_\w+$`)))
		must(t, expect.Locator(page.Locator("[data-testid=noscript]")).ToHaveText(catalogText(t, lang, "embed.noscript")))
		must(t, expect.Locator(page.Locator(".embed-hint")).ToBeHidden())
		screenshot(t, page, "kpay-embed-card-nojs-"+lang) // axe needs JavaScript: it runs on this page with it elsewhere
		// One way back to the other methods, not two links to the same place.
		must(t, expect.Locator(page.Locator("[data-testid=noscript-other]")).ToHaveCount(0))
		must(t, expect.Locator(page.Locator("main a[href*='/pay/']:visible")).ToHaveCount(1))
		must(t, page.Locator("[data-testid=back]").Click())
		must(t, expect.Locator(page.Locator("[data-testid=method-unionpay]")).ToBeVisible())
	}
}
