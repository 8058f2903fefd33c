package e2e

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/playwright-community/playwright-go"

	"github.com/bawaba/checkout/checkouttest"
)

// Kasikornbank K-Payment: one embed path — Pay on our confirm page starts the attempt, and the
// attempt page shows the K-Pay button (the card form, or the QR and WeChat Pay code once the
// order is created at K-Pay), whose post comes back to that page's URL — UnionPay and Alipay by
// redirect, and refunds through the API.

func kpayShop(t *testing.T, env ...string) *server {
	return startServer(t, append([]string{"CHECKOUT_TICK=200ms", "CHECKOUT_WEBHOOK_SECRET=" + webhookSecret,
		"CHECKOUT_RECONCILE_AFTER=1s", "CHECKOUT_SANDBOX_SETTLE_AFTER=1s"}, env...)...)
}

func thbOrder(t *testing.T, s *server, extra map[string]any) map[string]any {
	t.Helper()
	body := map[string]any{
		"amount": "590.00", "currency": "THB", "reference": "e2e-" + t.Name(),
		"description": "Thai silk scarf", "return_url": s.BaseURL + "/demo/return",
	}
	for k, v := range extra {
		body[k] = v
	}
	return s.createOrder(t, body)
}

// kpayFrame is the K-Payment form the K-Pay script opens in an iframe.
func kpayFrame(page playwright.Page) playwright.FrameLocator {
	return checkouttest.KPayFrame(page)
}

// toKPayCardForm goes through our confirm page for the card method to the attempt page, which
// embeds the K-Pay button, and opens the K-Payment form.
func toKPayCardForm(t *testing.T, page playwright.Page, checkoutURL, lang string, shots bool) playwright.FrameLocator {
	t.Helper()
	_, err := page.Goto(checkoutURL + "?lang=" + lang)
	must(t, err)
	if shots {
		checkPage(t, page, lang, "pay-thb")
	}
	must(t, page.Locator("[data-testid=method-card]").Check())
	must(t, page.Locator("[data-testid=continue]").Click())
	must(t, expect.Locator(page.Locator("[data-testid=pay]")).ToBeVisible())
	if shots {
		checkPage(t, page, lang, "confirm-kpay-card")
	}
	must(t, page.Locator("[data-testid=pay]").Click())
	must(t, expect.Locator(page.Locator("[data-testid=kpay-button]")).ToBeVisible())
	if shots {
		checkPage(t, page, lang, "kpay-embed-card")
	}
	must(t, page.Locator("[data-testid=kpay-button]").Click())
	f := kpayFrame(page)
	must(t, expect.Locator(f.Locator("[data-testid=kpay-number]")).ToBeVisible())
	if shots {
		checkA11y(t, page, "kpay-form-"+lang)
		screenshot(t, page, "kpay-form-"+lang)
	}
	return f
}

func kpayCard(t *testing.T, f playwright.FrameLocator, number string) {
	t.Helper()
	must(t, checkouttest.FillKPayCard(f, number))
}

func waitStatus(t *testing.T, page playwright.Page, want string) {
	t.Helper()
	must(t, expect.Locator(page.Locator("[data-testid=order-status]")).ToHaveAttribute("data-status", want,
		playwright.LocatorAssertionsToHaveAttributeOptions{Timeout: playwright.Float(30000)}))
}

func TestKPayCardNon3DS(t *testing.T) {
	cases := []struct{ name, lang, card, want string }{
		{"paid", "en", "4024007134786226", "paid"},
		{"paid", "ar", "4024007134786226", "paid"},
		{"declined", "en", "4532741632025415", "failed"},
		{"declined", "ar", "4532741632025415", "failed"},
	}
	for _, tc := range cases {
		t.Run(tc.name+"-"+tc.lang, func(t *testing.T) {
			s := kpayShop(t)
			o := thbOrder(t, s, nil)
			page := newPage(t, tc.lang)
			f := toKPayCardForm(t, page, o["checkout_url"].(string), tc.lang, tc.name == "paid")
			kpayCard(t, f, tc.card)
			must(t, f.Locator("[data-testid=kpay-submit]").Click())
			waitStatus(t, page, tc.want)
			checkPage(t, page, tc.lang, "kpay-card-"+tc.name)
			atts := attemptsOf(apiOrder(t, s, o["id"].(string)))
			if len(atts) != 1 || atts[0]["gateway"] != "kpay" || atts[0]["method"] != "card" {
				t.Fatalf("attempts = %v, want one card attempt through kpay", atts)
			}
		})
	}
}

func TestKPayCard3DS(t *testing.T) {
	cases := []struct{ name, lang, otp, want string }{
		{"paid", "en", "123456", "paid"},
		{"paid", "ar", "123456", "paid"},
		{"wrong-otp", "en", "000000", "failed"},
	}
	for _, tc := range cases {
		t.Run(tc.name+"-"+tc.lang, func(t *testing.T) {
			s := kpayShop(t)
			o := thbOrder(t, s, nil)
			page := newPage(t, tc.lang)
			f := toKPayCardForm(t, page, o["checkout_url"].(string), tc.lang, false)
			kpayCard(t, f, "5404888000072727")
			must(t, f.Locator("[data-testid=kpay-submit]").Click())
			must(t, page.Locator("[data-testid=kpay-otp-request]").Click())
			must(t, page.Locator("[data-testid=kpay-otp]").Fill(tc.otp))
			if tc.name == "paid" {
				checkPage(t, page, tc.lang, "kpay-3ds")
			}
			must(t, page.Locator("[data-testid=kpay-otp-submit]").Click())
			waitStatus(t, page, tc.want)
		})
	}
}

func TestKPayDCC(t *testing.T) {
	s := kpayShop(t, "CHECKOUT_KPAY_CARD_MODE=dcc")
	o := thbOrder(t, s, nil)
	page := newPage(t, "en")
	f := toKPayCardForm(t, page, o["checkout_url"].(string), "en", false)
	kpayCard(t, f, "5372074248113841")
	must(t, f.Locator("[data-testid=kpay-submit]").Click())
	must(t, expect.Locator(f.Locator("[data-testid=kpay-dcc-offer]")).ToBeVisible())
	checkA11y(t, page, "kpay-dcc-en")
	screenshot(t, page, "kpay-dcc-en")
	must(t, f.Locator("[data-testid=kpay-dcc-foreign]").Click()) // pay in USD: the form goes on by itself
	waitStatus(t, page, "paid")
}

func TestKPaySmartPay10Terms(t *testing.T) {
	s := kpayShop(t, "CHECKOUT_KPAY_CARD_MODE=smartpay_id")
	o := thbOrder(t, s, map[string]any{"amount": "5900.00"})
	page := newPage(t, "en")
	f := toKPayCardForm(t, page, o["checkout_url"].(string), "en", false)
	kpayCard(t, f, "4024007134786226")
	_, err := f.Locator("[data-testid=kpay-term]").SelectOption(playwright.SelectOptionValues{Values: &[]string{"10"}})
	must(t, err)
	screenshot(t, page, "kpay-smartpay-en")
	must(t, f.Locator("[data-testid=kpay-submit]").Click())
	waitStatus(t, page, "paid")
}

// toKPayQR confirms a QR method and opens the K-Pay QR; it returns the QR id shown.
func toKPayQR(t *testing.T, page playwright.Page, checkoutURL, lang, method string, shots bool) string {
	t.Helper()
	toGateway(t, page, checkoutURL, lang, method, false)
	must(t, expect.Locator(page.Locator("[data-testid=kpay-button]")).ToBeVisible())
	if shots {
		checkPage(t, page, lang, "kpay-embed-"+method)
	}
	must(t, page.Locator("[data-testid=kpay-button]").Click())
	id := kpayFrame(page).Locator("[data-testid=kpay-qr-id]")
	must(t, expect.Locator(id).ToBeVisible())
	if shots {
		checkA11y(t, page, "kpay-qr-"+method+"-"+lang)
		screenshot(t, page, "kpay-qr-"+method+"-"+lang)
	}
	qr, err := id.TextContent()
	must(t, err)
	return qr
}

// payQR pays a QR id in the sandbox's QR simulator, in another tab, as the Merchant Portal does.
func payQR(t *testing.T, s *server, qr string) {
	t.Helper()
	sim := newPageWidth(t, "en", 360) // a phone: the open QRs' table must not scroll sideways
	_, err := sim.Goto(s.BaseURL + "/sandbox/kpay/qr-simulator")
	must(t, err)
	must(t, expect.Locator(sim.Locator("[data-testid=kpay-qrsim-open]")).ToBeVisible())
	noSidewaysScroll(t, sim, "qr-simulator")
	must(t, checkouttest.PayQRCode(sim, s.BaseURL, qr))
}

func TestKPayQR(t *testing.T) {
	cases := []struct{ method, lang string }{{"thaiqr", "en"}, {"thaiqr", "ar"}, {"wechat", "en"}}
	for _, tc := range cases {
		t.Run(tc.method+"-"+tc.lang, func(t *testing.T) {
			s := kpayShop(t)
			o := thbOrder(t, s, nil)
			page := newPage(t, tc.lang)
			qr := toKPayQR(t, page, o["checkout_url"].(string), tc.lang, tc.method, true)
			payQR(t, s, qr)
			waitStatus(t, page, "paid")
			checkPage(t, page, tc.lang, "kpay-qr-paid-"+tc.method)
		})
	}
}

func TestKPayQRExpired(t *testing.T) {
	s := kpayShop(t, "CHECKOUT_SANDBOX_QR_EXPIRY=10m")
	o := thbOrder(t, s, nil)
	page := newPage(t, "en")
	toKPayQR(t, page, o["checkout_url"].(string), "en", "thaiqr", false)
	must(t, checkouttest.AdvanceKPayClock(s.BaseURL, 10*time.Minute)) // the QR's lifetime passes at K-Pay
	_, err := page.Goto(s.BaseURL + "/pay/" + o["id"].(string) + "/result")
	must(t, err)
	waitStatus(t, page, "failed")
	must(t, expect.Locator(page.Locator(".message")).ToContainText("expired"))
	atts := attemptsOf(apiOrder(t, s, o["id"].(string)))
	if len(atts) != 1 || atts[0]["status"] != "expired" {
		t.Fatalf("attempts = %v, want the QR attempt expired", atts)
	}
}

func TestKPayUnionPay(t *testing.T) {
	cases := []struct{ name, card, want string }{
		{"paid", "6210947764000027", "paid"},
		{"declined", "6210947764000099", "failed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := kpayShop(t)
			o := thbOrder(t, s, nil)
			page := newPage(t, "en")
			toGateway(t, page, o["checkout_url"].(string), "en", "unionpay", tc.name == "paid")
			must(t, page.Locator("[data-testid=kpay-upi-card]").Fill(tc.card))
			must(t, page.Locator("[data-testid=kpay-upi-expiry]").Fill("10/30"))
			must(t, page.Locator("[data-testid=kpay-upi-cvn]").Fill("456"))
			must(t, page.Locator("[data-testid=kpay-upi-pin]").Fill("111111"))
			if tc.name == "paid" {
				checkPage(t, page, "en", "kpay-unionpay")
			}
			must(t, page.Locator("[data-testid=kpay-upi-submit]").Click())
			waitStatus(t, page, tc.want)
		})
	}
}

func TestKPayAlipay(t *testing.T) {
	cases := []struct{ name, button, want string }{
		{"paid", "kpay-alipay-approve", "paid"},
		{"cancelled", "kpay-alipay-cancel", "cancelled"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := kpayShop(t)
			o := thbOrder(t, s, nil)
			page := newPage(t, "en")
			toGateway(t, page, o["checkout_url"].(string), "en", "alipay", false)
			must(t, expect.Locator(page.Locator("[data-testid="+tc.button+"]")).ToBeVisible())
			if tc.name == "paid" {
				checkPage(t, page, "en", "kpay-alipay")
			}
			must(t, page.Locator("[data-testid="+tc.button+"]").Click())
			waitStatus(t, page, tc.want)
		})
	}
}

// A partial and then a full refund through the API: reflected on GET and told to the shop.
func TestKPayRefunds(t *testing.T) {
	s := kpayShop(t)
	hook := newReceiver(t)
	o := thbOrder(t, s, map[string]any{"webhook_url": hook.URL})
	page := newPage(t, "en")
	f := toKPayCardForm(t, page, o["checkout_url"].(string), "en", false)
	kpayCard(t, f, "4024007134786226")
	must(t, f.Locator("[data-testid=kpay-submit]").Click())
	waitStatus(t, page, "paid")
	must(t, checkouttest.AdvanceKPayClock(s.BaseURL, time.Second)) // K-Pay's "next day" (CHECKOUT_SANDBOX_SETTLE_AFTER=1s): settled

	id := o["id"].(string)
	refund := func(body map[string]any) (int, map[string]any) {
		code, raw := s.do(t, "POST", "/api/v1/orders/"+id+"/refund", s.APIKey, body)
		var v map[string]any
		_ = json.Unmarshal(raw, &v)
		return code, v
	}
	if code, v := refund(map[string]any{"amount": "600.00"}); code != http.StatusUnprocessableEntity {
		t.Fatalf("refund above the paid amount: %d %v, want 422", code, v)
	}
	code, v := refund(map[string]any{"amount": "90.00", "reason": "one scarf returned"})
	if code != http.StatusCreated || v["status"] != "partially_refunded" || v["refunded_amount"] != "90.00" {
		t.Fatalf("partial refund: %d %v", code, v)
	}
	code, v = refund(nil) // the rest
	if code != http.StatusCreated || v["status"] != "refunded" || v["refunded_amount"] != "590.00" {
		t.Fatalf("full refund of the rest: %d %v", code, v)
	}
	if code, _ := refund(nil); code != http.StatusConflict {
		t.Fatalf("a refund of a refunded order answered %d, want 409", code)
	}
	got := apiOrder(t, s, id)
	if got["status"] != "refunded" || len(got["refunds"].([]any)) != 2 {
		t.Fatalf("GET after refunds: %v", got)
	}
	deadline := time.Now().Add(10 * time.Second)
	for len(hook.events("order.refunded")) < 2 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if n := len(hook.events("order.refunded")); n != 2 {
		t.Fatalf("order.refunded webhooks = %d, want 2", n)
	}
}

// A token is single-use and bound to its order: posting one twice, or to another order's
// attempt, charges nothing more.
func TestKPayTokenReplay(t *testing.T) {
	s := kpayShop(t)
	o := thbOrder(t, s, nil)
	page := newPage(t, "en")
	f := toKPayCardForm(t, page, o["checkout_url"].(string), "en", false)
	kpayCard(t, f, "4024007134786226")
	var token, target string
	attemptPage := page.URL()
	page.OnRequest(func(r playwright.Request) {
		if r.Method() == "POST" && r.URL() == attemptPage {
			if body, err := r.PostData(); err == nil {
				token, target = body, r.URL()
			}
		}
	})
	must(t, f.Locator("[data-testid=kpay-submit]").Click())
	waitStatus(t, page, "paid")
	if token == "" {
		t.Fatal("did not see the token post to the attempt page")
	}
	// The same post again (a replay): the order is paid, nothing is charged.
	resp, err := page.Context().Request().Post(target, playwright.APIRequestContextPostOptions{
		Headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, Data: token,
		MaxRedirects: playwright.Int(0),
	})
	must(t, err)
	if resp.Status() != http.StatusSeeOther {
		t.Fatalf("replayed token post answered %d, want 303 to the result", resp.Status())
	}
	if atts := attemptsOf(apiOrder(t, s, o["id"].(string))); len(atts) != 1 || atts[0]["status"] != "paid" {
		t.Fatalf("attempts after a replayed token = %v, want the one paid", atts)
	}
	// The same token posted to another order's attempt: refused, charges nothing.
	o2 := thbOrder(t, s, map[string]any{"reference": "e2e-other"})
	page2 := newPage(t, "en")
	_, err = page2.Goto(o2["checkout_url"].(string) + "/confirm?method=card")
	must(t, err)
	must(t, page2.Locator("[data-testid=pay]").Click())
	must(t, expect.Locator(page2.Locator("[data-testid=kpay-button]")).ToBeVisible())
	csrf, err := page2.Locator("input[name=csrf]").GetAttribute("value")
	must(t, err)
	form := token
	// swap in the second page's csrf (the session differs)
	vals, _ := url.ParseQuery(form)
	vals.Set("csrf", csrf)
	resp, err = page2.Context().Request().Post(page2.URL(), playwright.APIRequestContextPostOptions{
		Headers: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, Data: vals.Encode(),
		MaxRedirects: playwright.Int(0),
	})
	must(t, err)
	if resp.Status() != http.StatusSeeOther {
		t.Fatalf("token for another order answered %d, want 303 to the result", resp.Status())
	}
	_, err = page2.Goto(s.BaseURL + "/pay/" + o2["id"].(string) + "/result")
	must(t, err)
	waitStatus(t, page2, "failed")
	if got := apiOrder(t, s, o2["id"].(string))["status"]; got == "paid" {
		t.Fatal("a token made for another order paid this one")
	}
}

// A forged Callback URL return (status=true) before the shopper passed 3-D Secure leaves the
// order unpaid, and a token posted after the order expired (the shopper still on the attempt
// page) charges nothing.
func TestKPayForgedCallbackAndExpiredOrder(t *testing.T) {
	s := kpayShop(t)
	o := thbOrder(t, s, nil)
	page := newPage(t, "en")
	f := toKPayCardForm(t, page, o["checkout_url"].(string), "en", false)
	kpayCard(t, f, "5404888000072727") // 3-D Secure
	must(t, f.Locator("[data-testid=kpay-submit]").Click())
	must(t, expect.Locator(page.Locator("[data-testid=kpay-otp-request]")).ToBeVisible())
	att := attemptsOf(apiOrder(t, s, o["id"].(string)))[0]
	_, err := page.Goto(s.BaseURL + "/return/kpay?objectId=" + att["payment_id"].(string) + "&status=true")
	must(t, err)
	status(t, page, "pending")
	if got := apiOrder(t, s, o["id"].(string))["status"]; got == "paid" {
		t.Fatal("a forged callback marked the order paid")
	}

	o2 := thbOrder(t, s, map[string]any{"reference": "e2e-expired"})
	page2 := newPage(t, "en")
	f2 := toKPayCardForm(t, page2, o2["checkout_url"].(string), "en", false)
	kpayCard(t, f2, "4024007134786226")
	expireNow(t, s, o2["id"].(string))
	must(t, f2.Locator("[data-testid=kpay-submit]").Click())
	status(t, page2, "expired")
	if atts := attemptsOf(apiOrder(t, s, o2["id"].(string))); len(atts) != 1 || atts[0]["payment_id"] != nil {
		t.Fatalf("attempts after a token posted after expiry = %v, want the one attempt, nothing charged", atts)
	}
}
