package handlers_test

import (
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/bawaba/checkout/handlers"
	"github.com/bawaba/checkout/i18n"
)

func TestTapPaysEndToEnd(t *testing.T) {
	e := newEnv(t)
	o := e.createOrder("tap-e2e-1")
	b := e.browser()

	// The method choice, in Arabic and in English.
	ar := e.get(b, "/pay/"+o.ID+"?lang=ar")
	expectStatus(t, ar, http.StatusOK)
	for _, want := range []string{`<html lang="ar" dir="rtl">`, `name="method"`, `data-testid="method-knet"`, `data-testid="lang-switch"`, `href="/pay/` + o.ID + `?lang=en"`} {
		if !strings.Contains(ar.text(), want) {
			t.Errorf("/pay?lang=ar lacks %q", want)
		}
	}
	noRawKeys(t, ar.body)
	en := e.get(b, "/pay/"+o.ID+"?lang=en")
	expectStatus(t, en, http.StatusOK)
	noRawKeys(t, en.body)
	for _, want := range []string{`<html lang="en" dir="ltr">`, `<input type="radio" name="method" id="method-knet" value="knet" data-testid="method-knet"`, `data-testid="lang-switch"`, `KD`} {
		if !strings.Contains(en.text(), want) {
			t.Errorf("/pay?lang=en lacks %q", want)
		}
	}
	// The session remembers the choice.
	if again := e.get(b, "/pay/"+o.ID); !strings.Contains(again.text(), `<html lang="en" dir="ltr">`) {
		t.Errorf("/pay without ?lang after ?lang=en is not English")
	}

	conf := e.get(b, "/pay/"+o.ID+"/confirm?method=knet")
	expectStatus(t, conf, http.StatusOK)
	csrf := inputValue(t, conf.body, "csrf")
	if csrf == "" {
		t.Fatal("empty CSRF token")
	}
	cookie := strings.Join(conf.Header.Values("Set-Cookie"), "\n")
	for _, want := range []string{"bawaba=", "HttpOnly", "SameSite=Lax", "Path=/"} {
		if !strings.Contains(cookie, want) {
			t.Errorf("session cookie %q lacks %s", cookie, want)
		}
	}
	if strings.Contains(cookie, csrf) {
		t.Errorf("the CSRF token is readable in the cookie")
	}
	noRawKeys(t, conf.body)
	for _, want := range []string{`data-testid="pay"`, `data-testid="confirm-sentence"`, `name="method" value="knet"`} {
		if !strings.Contains(conf.text(), want) {
			t.Errorf("confirm page lacks %q", want)
		}
	}

	// Without, with a wrong, or with another session's token: the friendly 403 page.
	stranger := e.browser()
	for name, tc := range map[string]struct {
		c    *http.Client
		form url.Values
	}{
		"no csrf":            {b, url.Values{"method": {"knet"}}},
		"wrong csrf":         {b, url.Values{"method": {"knet"}, "csrf": {"not-the-token"}}},
		"no session cookie":  {stranger, url.Values{"method": {"knet"}, "csrf": {csrf}}},
		"empty csrf":         {b, url.Values{"method": {"knet"}, "csrf": {""}}},
		"csrf in the query?": {b, url.Values{"method": {"knet"}}},
	} {
		target := "/pay/" + o.ID + "/confirm"
		if name == "csrf in the query?" {
			target += "?csrf=" + url.QueryEscape(csrf)
		}
		res := e.postForm(tc.c, target, tc.form)
		if res.StatusCode != http.StatusForbidden || !strings.Contains(res.text(), `data-testid="error-page"`) {
			t.Errorf("%s: status %d, want 403 with the error page: %s", name, res.StatusCode, clip(res.body))
		}
	}
	if v := e.getOrder(o.ID); len(v.Attempts) != 0 || v.Status != "open" {
		t.Fatalf("refused confirmations changed the order: %+v", v)
	}
	// The check comes before any read: an unknown order is not even looked up (403, not 404).
	if res := e.postForm(b, "/pay/ord_unknown/confirm", url.Values{"method": {"knet"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("confirm without a token for an unknown order: %d, want 403", res.StatusCode)
	}

	res := e.postForm(b, "/pay/"+o.ID+"/confirm", url.Values{"csrf": {csrf}, "method": {"knet"}})
	simURL := expectRedirect(t, res)
	if !strings.HasPrefix(simURL, e.base+"/sandbox/tap/knet/pay?chg=") {
		t.Fatalf("confirm redirected to %q", simURL)
	}
	// Double submit: the same place, still one attempt.
	dbl := e.postForm(b, "/pay/"+o.ID+"/confirm", url.Values{"csrf": {csrf}, "method": {"knet"}})
	if loc := expectRedirect(t, dbl); loc != simURL {
		t.Errorf("second POST went to %q, want %q", loc, simURL)
	}
	v := e.getOrder(o.ID)
	if len(v.Attempts) != 1 || v.Status != "processing" {
		t.Fatalf("after a double submit: status %s, %d attempts, want processing and 1", v.Status, len(v.Attempts))
	}
	att := v.Attempts[0]
	if att.Method != "knet" || att.Gateway != "tap" || att.Status != "pending" || !strings.HasPrefix(att.PaymentID, "chg_") {
		t.Fatalf("attempt: %+v", att)
	}

	co := checkout{orderID: o.ID, browser: b, simURL: simURL}
	ret := e.payAtSimulator(co, "submit", "2030")
	if want := e.base + "/return/tap/" + att.ID + "?tap_id=" + att.PaymentID; ret != want {
		t.Fatalf("simulator returned to %q, want %q", ret, want)
	}
	page, status := e.finish(co, ret)
	if status != "paid" {
		t.Fatalf("result data-status %q, want paid: %s", status, clip(page.body))
	}
	if cc := page.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("result page Cache-Control %q", cc)
	}
	v = e.getOrder(o.ID)
	if v.Status != "paid" || v.PaidAt == "" || len(v.Attempts) != 1 || v.Attempts[0].Status != "paid" {
		t.Fatalf("API after paying: %+v", v)
	}
	if v.Attempts[0].ReportedAmount != "6.000" || v.Attempts[0].ReportedCcy != "KWD" {
		t.Errorf("reported amount %q %q", v.Attempts[0].ReportedAmount, v.Attempts[0].ReportedCcy)
	}
	if strings.Contains(page.text(), sandboxTapKey) {
		t.Error("the result page shows the Tap secret key")
	}
}

func TestTapDeclinedThenCancelledThenPaid(t *testing.T) {
	e := newEnv(t)
	o := e.createOrder("tap-e2e-2")

	// Declined: a wrong expiry.
	co := e.startPayment(o.ID, nil)
	page, status := e.finish(co, e.payAtSimulator(co, "submit", "2025"))
	if status != "failed" {
		t.Fatalf("declined: data-status %q, want failed", status)
	}
	if href := hrefOf(t, page.body, "result-primary"); href != "/pay/"+o.ID {
		t.Errorf("failed page's main action %q, want /pay/%s", href, o.ID)
	}
	if v := e.getOrder(o.ID); v.Status != "open" || v.Attempts[0].Status != "failed" || v.Attempts[0].FailureReason == "" {
		t.Fatalf("after a decline: %+v", v)
	}

	// Cancelled at the KNET page.
	co = e.startPayment(o.ID, co.browser)
	_, status = e.finish(co, e.payAtSimulator(co, "cancel", ""))
	if status != "cancelled" {
		t.Fatalf("cancel: data-status %q, want cancelled", status)
	}
	v := e.getOrder(o.ID)
	if v.Status != "open" || len(v.Attempts) != 2 || v.Attempts[1].Status != "cancelled" {
		t.Fatalf("after a cancel at the gateway: %+v", v)
	}

	// A new attempt pays.
	co2 := e.startPayment(o.ID, co.browser)
	if co2.simURL == co.simURL {
		t.Errorf("the third attempt reused the cancelled attempt's page")
	}
	_, status = e.finish(co2, e.payAtSimulator(co2, "submit", "2030"))
	if status != "paid" {
		t.Fatalf("third attempt: data-status %q, want paid", status)
	}
	v = e.getOrder(o.ID)
	if v.Status != "paid" || len(v.Attempts) != 3 || v.Attempts[2].Status != "paid" {
		t.Fatalf("after paying: %+v", v)
	}
	for i, a := range v.Attempts[:2] {
		if a.Status == "paid" {
			t.Errorf("attempt %d became paid", i)
		}
	}
}

func TestPaidOrderPages(t *testing.T) {
	e := newEnv(t)
	o := e.createOrder("tap-e2e-3")
	co := e.startPayment(o.ID, nil)
	page, status := e.finish(co, e.payAtSimulator(co, "submit", "2030"))
	if status != "paid" {
		t.Fatalf("data-status %q, want paid", status)
	}

	// "Back to the shop" carries order_id, status and a signature the shop can verify.
	back := hrefOf(t, page.body, "result-primary")
	u, err := url.Parse(back)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	if u.Scheme != "https" || u.Host != "shop.example" || u.Path != "/return" || q.Get("cart") != "42" {
		t.Errorf("back link %q does not keep the shop's return_url", back)
	}
	if q.Get("order_id") != o.ID || q.Get("status") != "paid" {
		t.Errorf("back link %q: order_id/status", back)
	}
	if sig := q.Get("signature"); sig == "" || sig != handlers.ReturnSignature(testReturnSecret, o.ID, "paid") {
		t.Errorf("back link signature %q does not verify", sig)
	}
	if sig := q.Get("signature"); sig == handlers.ReturnSignature(testReturnSecret, o.ID, "failed") {
		t.Errorf("the signature does not depend on the status")
	}
	// The automatic return (a countdown with a Stay button) goes to the same signed link.
	if m := regexp.MustCompile(`<div[^>]*data-testid="countdown"[^>]*>`).Find(page.body); m == nil {
		t.Errorf("paid page has no countdown back to the shop")
	} else if h := regexp.MustCompile(`data-href="([^"]*)"`).FindSubmatch(m); h == nil || html.UnescapeString(string(h[1])) != back {
		t.Errorf("countdown %s does not go to the back link %q", m, back)
	}

	// The back button never pays twice: every way into paying now leads to the result.
	result := e.base + "/pay/" + o.ID + "/result"
	if loc := expectRedirect(t, e.get(co.browser, "/pay/"+o.ID)); loc != result {
		t.Errorf("GET /pay after paying → %q, want %q", loc, result)
	}
	if loc := expectRedirect(t, e.get(co.browser, "/pay/"+o.ID+"/confirm?method=knet")); loc != result {
		t.Errorf("GET confirm after paying → %q, want %q", loc, result)
	}
	// A stale confirm form re-posted from history, with the session's valid token (read from
	// another order's confirm page, since this one's is gone).
	o2 := e.createOrder("tap-e2e-3b")
	stale := e.postForm(co.browser, "/pay/"+o.ID+"/confirm", url.Values{"csrf": {sessionCSRF(t, e, co.browser, o2.ID)}, "method": {"knet"}})
	if loc := expectRedirect(t, stale); loc != result {
		t.Errorf("POST confirm after paying → %q, want %q", loc, result)
	}
	if v := e.getOrder(o.ID); len(v.Attempts) != 1 || v.Status != "paid" {
		t.Errorf("after revisiting: %d attempts, status %s", len(v.Attempts), v.Status)
	}
	if n := e.outbox(o.ID, "order.paid"); n != 1 {
		t.Errorf("%d order.paid messages, want 1", n)
	}
}

// sessionCSRF reads the CSRF token of browser b's session from another order's confirm page.
func sessionCSRF(t *testing.T, e *env, b *http.Client, otherOrder string) string {
	t.Helper()
	conf := e.get(b, "/pay/"+otherOrder+"/confirm?method=knet")
	expectStatus(t, conf, http.StatusOK)
	return inputValue(t, conf.body, "csrf")
}

// TestConcurrentConfirm: a burst of Pay clicks makes one attempt and sends every click to the
// same gateway page.
func TestConcurrentConfirm(t *testing.T) {
	e := newEnv(t)
	o := e.createOrder("tap-conc-1")
	b := e.browser()
	conf := e.get(b, "/pay/"+o.ID+"/confirm?method=knet")
	expectStatus(t, conf, http.StatusOK)
	csrf := inputValue(t, conf.body, "csrf")
	res := burst(10, func(int) *response {
		return e.postForm(b, "/pay/"+o.ID+"/confirm", url.Values{"csrf": {csrf}, "method": {"knet"}})
	})
	var first string
	for i, r := range res {
		loc := expectRedirect(t, r)
		if first == "" {
			first = loc
		}
		if loc != first {
			t.Errorf("click %d went to %q, click 0 to %q", i, loc, first)
		}
	}
	if !strings.HasPrefix(first, e.base+"/sandbox/tap/knet/pay?chg=") {
		t.Errorf("clicks went to %q", first)
	}
	if v := e.getOrder(o.ID); len(v.Attempts) != 1 {
		t.Errorf("%d attempts after 10 concurrent clicks, want 1", len(v.Attempts))
	}
	if n := e.events(o.ID, "attempt.started", ""); n != 1 {
		t.Errorf("%d attempt.started events, want 1", n)
	}
}

// TestArabicShopperAtTheGateway: the language chosen on our pages goes on to the gateway's.
func TestArabicShopperAtTheGateway(t *testing.T) {
	e := newEnv(t)
	o := e.createOrder("tap-ar-1")
	b := e.browser()
	expectStatus(t, e.get(b, "/pay/"+o.ID+"?lang=ar"), http.StatusOK)
	co := e.startPayment(o.ID, b)
	sim := e.get(b, co.simURL)
	expectStatus(t, sim, http.StatusOK)
	if !strings.Contains(sim.text(), `lang="ar"`) || !strings.Contains(sim.text(), `dir="rtl"`) {
		t.Errorf("the KNET page is not in Arabic for an Arabic shopper")
	}
	page, st := e.finish(co, e.payAtSimulator(co, "submit", "2030"))
	if st != "paid" {
		t.Fatalf("data-status %q", st)
	}
	if !strings.Contains(page.text(), `<html lang="ar" dir="rtl">`) || !strings.Contains(page.text(), i18n.AR.T("result.paid.title")) {
		t.Errorf("the result page is not in Arabic")
	}
}
