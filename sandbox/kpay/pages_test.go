package kpay

import (
	"encoding/json"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var (
	tokenRe   = regexp.MustCompile(`data-testid="kpay-token">(tokn_test_[0-9a-f]+)<`)
	messageRe = regexp.MustCompile(`data-message="([^"]*)"`)
	draftRe   = regexp.MustCompile(`name="draft" value="([0-9a-f]+)"`)
	styleRe   = regexp.MustCompile(`<style>([\s\S]*?)</style>`)
)

// checkPage makes the checks every hosted page must pass.
func checkPage(t *testing.T, r response, lang string) {
	t.Helper()
	body := r.text()
	dir := map[string]string{"en": "ltr", "ar": "rtl"}[lang]
	if !strings.Contains(body, `<html lang="`+lang+`" dir="`+dir+`">`) {
		t.Errorf("not a %s page", lang)
	}
	contains(t, body, `data-testid="lang-switch"`)
	if strings.Contains(body, ` style="`) {
		t.Error("inline style attribute")
	}
	if m := styleRe.FindStringSubmatch(body); m != nil {
		noPhysical(t, "page CSS", m[1])
	}
	if strings.Contains(body, SandboxSecretKey) {
		t.Error("the secret key is on the page")
	}
	// Every input but hidden ones has a label.
	for _, m := range regexp.MustCompile(`<input [^>]*?\sid="([^"]+)"`).FindAllStringSubmatch(body, -1) {
		if !strings.Contains(body, `<label for="`+m[1]+`"`) {
			t.Errorf("input %s has no label", m[1])
		}
	}
	if r.header.Get("Content-Security-Policy") == "" || r.header.Get("Cache-Control") != "no-store" {
		t.Error("security headers missing")
	}
}

// message reads the token post a done page hands to the K-Pay script.
func message(t *testing.T, r response) (string, [][2]string) {
	t.Helper()
	m := messageRe.FindStringSubmatch(r.text())
	if r.status != 200 || m == nil {
		t.Fatalf("not a done page: %d %s", r.status, r.body)
	}
	var msg struct {
		Type   string      `json:"type"`
		Fields [][2]string `json:"fields"`
	}
	if err := json.Unmarshal([]byte(html.UnescapeString(m[1])), &msg); err != nil || msg.Type != "kpay:token" {
		t.Fatalf("message %s: %v", m[1], err)
	}
	if !strings.Contains(r.text(), `data-origin="https://shop.example"`) {
		t.Error("bridge has no origin")
	}
	return msg.Fields[0][1], msg.Fields
}

func names(fields [][2]string) string {
	var n []string
	for _, f := range fields {
		n = append(n, f[0]+"="+f[1])
	}
	return strings.Join(n, "&")
}

var cardFields = url.Values{"name": {"SOMCHAI J"}, "number": {"4024 0071 3478 6226"}, "expiry": {"12/30"}, "cvv": {"123"}, "action": {"pay"}}

func with(v url.Values, kv ...string) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = vs
	}
	for i := 0; i < len(kv); i += 2 {
		out.Set(kv[i], kv[i+1])
	}
	return out
}

func TestCardFormBothLanguages(t *testing.T) {
	e := newEnv(t, nil)
	for _, lang := range []string{"en", "ar"} {
		r := e.page(formURL(map[string]string{"method": "card", "amount": "1000.50", "currency": "THB", "mid": SandboxMID, "name": "Your Shop Name", "lang": lang}))
		if r.status != 200 {
			t.Fatalf("%s: %d %s", lang, r.status, r.body)
		}
		checkPage(t, r, lang)
		contains(t, r.text(), `data-testid="kpay-name"`, `data-testid="kpay-number"`, `data-testid="kpay-expiry"`,
			`data-testid="kpay-cvv"`, `data-testid="kpay-remember"`, `data-testid="kpay-submit"`, `data-testid="kpay-amount"`,
			"1,000.50 THB", "Your Shop Name", catalog[lang]["remember"], catalog[lang]["pay"], catalog[lang]["powered"],
			`<script src="/sandbox/kpay/ui/v2/frame.js" defer></script>`)
		if strings.Contains(r.text(), "kpay-term") || strings.Contains(r.text(), "kpay-dcc") {
			t.Error("MCC form shows SmartPay or DCC")
		}
		if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors https://shop.example") || !strings.Contains(csp, "script-src 'self'") {
			t.Errorf("CSP %q", csp)
		}
	}
	// Arabic from the page language the script passes, e.g. "ar-KW".
	r := e.page(formURL(map[string]string{"method": "card", "amount": "1", "mid": SandboxMID, "lang": "ar-KW"}))
	checkPage(t, r, "ar")
}

func TestFormRefusesBadSetup(t *testing.T) {
	e := newEnv(t, nil)
	for name, p := range map[string]map[string]string{
		"secret key as apikey": {"pkey": SandboxSecretKey, "method": "card", "amount": "1", "mid": SandboxMID},
		"no amount":            {"method": "card", "mid": SandboxMID},
		"bad amount":           {"method": "card", "amount": "1.234", "mid": SandboxMID},
		"no mid":               {"method": "card", "amount": "1"},
		"unknown mid":          {"method": "card", "amount": "1", "mid": "401000000000000"},
		"method":               {"method": "redirect", "amount": "1", "mid": SandboxMID},
		"DCC in USD":           {"method": "card", "amount": "1", "currency": "USD", "mid": SandboxDCCMID},
		"both SmartPay sets":   {"method": "card", "amount": "1", "mid": SandboxMID, "smartpay_id": "0001", "plan_id": "999"},
		"incomplete plan":      {"method": "card", "amount": "1", "mid": SandboxMID, "plan_id": "999"},
		"qr without order":     {"method": "qr", "amount": "1"},
		"qr unknown order":     {"method": "qr", "amount": "1", "order_id": "order_test_x"},
		"bad origin":           {"method": "card", "amount": "1", "mid": SandboxMID, "origin": "https://shop.example/path"},
	} {
		t.Run(name, func(t *testing.T) {
			r := e.page(formURL(p))
			if r.status != http.StatusBadRequest || !strings.Contains(r.text(), `data-testid="kpay-frame-error"`) {
				t.Errorf("%d", r.status)
			}
			checkPage(t, r, "en")
		})
	}
}

func TestCardFormValidation(t *testing.T) {
	e := newEnv(t, nil)
	u := formURL(map[string]string{"method": "card", "amount": "74.00", "mid": SandboxMID, "lang": "ar"})
	for name, f := range map[string]url.Values{
		"empty":    {"action": {"pay"}},
		"luhn":     with(cardFields, "number", "4024007134786227"),
		"unionpay": with(cardFields, "number", "6250947000000014"),
		"expiry":   with(cardFields, "expiry", "13/30"),
		"expired":  with(cardFields, "expiry", "01/25"),
		"cvv":      with(cardFields, "cvv", "12"),
		"no name":  with(cardFields, "name", " "),
	} {
		r := e.post(u, f)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.text(), `data-testid="kpay-errors"`) || !strings.Contains(r.text(), `aria-invalid="true"`) {
			t.Errorf("%s: %d", name, r.status)
		}
		checkPage(t, r, "ar")
		// Bilingual: the Arabic message and the English one.
		if !strings.Contains(r.text(), catalog["ar"]["errors_title"]) || !strings.Contains(r.text(), catalog["en"]["errors_title"]) {
			t.Errorf("%s: not bilingual", name)
		}
	}
	contains(t, e.post(u, with(cardFields, "number", "6250947000000014")).text(), catalog["ar"]["err_brand"], catalog["en"]["err_brand"])
	contains(t, e.post(u, with(cardFields, "expiry", "01/25")).text(), catalog["ar"]["err_expired"])
	// The posted values come back, the CVV does not.
	r := e.post(u, with(cardFields, "cvv", "12"))
	contains(t, r.text(), `value="SOMCHAI J"`, `value="4024 0071 3478 6226"`, `value="12/30"`)
	if len(e.sim.tokens) != 0 {
		t.Errorf("%d tokens created by invalid forms", len(e.sim.tokens))
	}
}

func TestCardFormTokenPost(t *testing.T) {
	e := newEnv(t, nil)
	u := formURL(map[string]string{"method": "card", "amount": "74.00", "mid": SandboxMID})
	// (a) Full Payment MCC.
	tok, f := message(t, e.post(u, cardFields))
	if got := names(f); got != "token="+tok+"&mid="+SandboxMID+"&paymentMethods=card" {
		t.Errorf("MCC fields %s", got)
	}
	// savecard only when "Remember card" is ticked.
	_, f = message(t, e.post(u, with(cardFields, "remember", "true")))
	if got := names(f); !strings.HasSuffix(got, "&paymentMethods=card&savecard=true") {
		t.Errorf("remember: %s", got)
	}
	// The token charges once.
	ch := e.ok("POST", "/card/v2/charge", `{"amount":74,"currency":"THB","description":"D","source_type":"card","mode":"token","token":"`+tok+`","reference_order":"F1","additional_data":{"mid":"`+SandboxMID+`"}}`)
	if ch["transaction_state"] != "Authorized" || ch["source"].(map[string]any)["card_masking"] != "402400*****6226" {
		t.Errorf("charge %v", ch)
	}
	// The language of the form carries to the 3-D Secure page.
	ua := formURL(map[string]string{"method": "card", "amount": "74.00", "mid": SandboxMID, "lang": "ar"})
	tok3, _ := message(t, e.post(ua, with(cardFields, "number", "4417706600005830")))
	ch = e.ok("POST", "/card/v2/charge", `{"amount":74,"currency":"THB","description":"D","source_type":"card","mode":"token","token":"`+tok3+`","reference_order":"F2","additional_data":{"mid":"`+SandboxMID+`"}}`)
	checkPage(t, e.page(e.pathOf(ch["redirect_url"].(string))), "ar")
}

func TestDCCForm(t *testing.T) {
	e := newEnv(t, nil)
	u := formURL(map[string]string{"method": "card", "amount": "1.00", "mid": SandboxDCCMID})
	// A Thai card on the DCC MID: no offer, dcc_currency THB.
	_, f := message(t, e.post(u, with(cardFields, "number", "5431289719925031")))
	if got := names(f); !strings.Contains(got, "&dcc_currency=THB&mid="+SandboxDCCMID+"&paymentMethods=card") {
		t.Errorf("Thai card on DCC: %s", got)
	}
	// A USD card: the offer (rate 33.560 THB/USD), then the choice.
	for _, lang := range []string{"en", "ar"} {
		r := e.post(formURL(map[string]string{"method": "card", "amount": "1.00", "mid": SandboxDCCMID, "lang": lang}), with(cardFields, "number", "5239620007270264"))
		checkPage(t, r, lang)
		contains(t, r.text(), `data-testid="kpay-dcc-thb"`, `data-testid="kpay-dcc-foreign"`, "33.560 THB/USD", "0.03 USD", "1.00 THB", "USD (US Dollar)", catalog[lang]["dcc_accept"])
	}
	r := e.post(u, with(cardFields, "number", "5239620007270264"))
	draft := draftRe.FindStringSubmatch(r.text())[1]
	tok, f := message(t, e.post(u, url.Values{"draft": {draft}, "action": {"dcc-foreign"}}))
	if got := names(f); got != "token="+tok+"&dcc_currency=USD&mid="+SandboxDCCMID+"&paymentMethods=card" {
		t.Errorf("DCC fields %s", got)
	}
	// A used or unknown offer sends the shopper back to the card form.
	if r := e.post(u, url.Values{"draft": {draft}, "action": {"dcc-thb"}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.text(), catalog["en"]["err_draft"]) {
		t.Errorf("reused draft: %d", r.status)
	}
	// JPY card, paying in THB.
	r = e.post(u, with(cardFields, "number", "4205203648166408"))
	draft = draftRe.FindStringSubmatch(r.text())[1]
	_, f = message(t, e.post(u, url.Values{"draft": {draft}, "action": {"dcc-thb"}}))
	if !strings.Contains(names(f), "dcc_currency=THB") {
		t.Errorf("JPY card paying THB: %s", names(f))
	}
}

func TestSmartPayForm(t *testing.T) {
	e := newEnv(t, nil)
	for _, lang := range []string{"en", "ar"} {
		r := e.page(formURL(map[string]string{"method": "card", "amount": "1.00", "mid": SandboxMID, "smartpay_id": "0001", "term": "10", "lang": lang}))
		checkPage(t, r, lang)
		contains(t, r.text(), `data-testid="kpay-term"`, `<option value="10" selected>`, `<option value="3">`)
	}
	contains(t, e.page(formURL(map[string]string{"method": "card", "amount": "1", "mid": SandboxMID, "smartpay_id": "0001", "lang": "ar"})).text(), "10 أشهر", "3 أشهر")
	u := formURL(map[string]string{"method": "card", "amount": "1.00", "mid": SandboxMID, "smartpay_id": "0001"})
	if r := e.post(u, with(cardFields, "term", "")); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.text(), catalog["en"]["err_term"]) {
		t.Errorf("no term: %d", r.status)
	}
	if r := e.post(u, with(cardFields, "term", "7")); r.status != http.StatusUnprocessableEntity {
		t.Errorf("term not offered: %d", r.status)
	}
	tok, f := message(t, e.post(u, with(cardFields, "term", "6")))
	if got := names(f); got != "token="+tok+"&smartpayId=0001&mid="+SandboxMID+"&term=6&paymentMethods=card" {
		t.Errorf("SmartpayID fields %s", got)
	}
	// Create Charge must keep the SmartPay choice made in the form.
	charge := func(ad string) response {
		return e.api("POST", "/card/v2/charge", `{"amount":1,"currency":"THB","description":"D","source_type":"card","mode":"token","token":"`+tok+`","reference_order":"`+nextRef()+`","additional_data":{"mid":"`+SandboxMID+`"`+ad+`}}`)
	}
	wantError(t, charge(`,"smartpay_id":"0001","term":"10"`), 400, "token_conflict")
	wantError(t, charge(``), 400, "token_conflict")
	if r := charge(`,"smartpay_id":"0001","term":"6"`); r.status != 200 {
		t.Errorf("SmartPay charge: %d %s", r.status, r.body)
	}
	// Installment Plan (§2.7 d).
	p := formURL(map[string]string{"method": "card", "amount": "1.00", "mid": SandboxMID, "plan_id": "999", "ipan_mode": "03",
		"product_type": "003", "supplier_no": "99903", "model_no": "123456", "term": "10"})
	tok, f = message(t, e.post(p, with(cardFields, "term", "10", "remember", "true")))
	if got := names(f); got != "token="+tok+"&mid="+SandboxMID+"&planid=999&ipanmode=03&producttype=003&supplierno=99903&modelno=123456&term=10&paymentMethods=card&savecard=true" {
		t.Errorf("plan fields %s", got)
	}
}

func TestQRFormBothLanguages(t *testing.T) {
	e := newEnv(t, nil)
	o := e.order("qr", "13.00")
	for _, lang := range []string{"en", "ar"} {
		r := e.page(formURL(map[string]string{"method": "qr", "order_id": o["id"].(string), "amount": "13.00", "lang": lang}))
		checkPage(t, r, lang)
		contains(t, r.text(), `data-testid="kpay-qr" data-status="pending"`, `data-testid="kpay-qr-id"`, `data-testid="kpay-qr-countdown"`,
			`data-kpay-countdown="3600"`, ">1:00:00<", "13.00 THB", "<svg", `role="img"`, catalog[lang]["qr_title_qr"], `data-testid="kpay-qrsim-link"`)
	}
}

func Test3DSPageBothLanguages(t *testing.T) {
	e := newEnv(t, nil)
	ch := e.cardCharge("5404888000072727", SandboxMID, "1000.5", "")
	path := e.pathOf(ch["redirect_url"].(string))
	for _, lang := range []string{"en", "ar"} {
		r := e.page(path + "?lang=" + lang)
		checkPage(t, r, lang)
		contains(t, r.text(), `data-testid="kpay-otp"`, `data-testid="kpay-otp-submit"`, `data-testid="kpay-otp-request"`,
			`data-testid="kpay-otp-cancel"`, "540488*****2727", "1,000.50 THB", "Mastercard SecureCode", catalog[lang]["otp_note"])
	}
	// Accept-Language picks Arabic when no lang is given.
	r := e.do("GET", path, nil, map[string]string{"Accept-Language": "ar-KW,ar;q=0.9,en;q=0.5"})
	checkPage(t, r, "ar")
	// Request OTP shows a reference and changes nothing else.
	r = e.post(path+"?lang=en", url.Values{"action": {"request"}})
	contains(t, r.text(), `data-testid="kpay-otp-sent"`, catalog["en"]["otp_sent"])
	if strings.Contains(r.text(), `data-testid="kpay-otp-request"`) {
		t.Error("Request OTP still offered")
	}
	if g := e.ok("GET", "/card/v2/charge/"+ch["id"].(string), ""); g["transaction_state"] != "Pre-Authorized" || g["status"] != "success" {
		t.Errorf("after Request OTP: %v", g)
	}
	// Unknown page.
	r = e.page(testBase + "/3ds/auth_test_nope")
	if r.status != 404 || !strings.Contains(r.text(), `data-testid="kpay-page-error"`) {
		t.Errorf("unknown: %d", r.status)
	}
}

func TestUnionPay(t *testing.T) {
	e := newEnv(t, nil)
	newUPI := func() (map[string]any, string) {
		ch := e.ok("POST", "/card/v2/charge", `{"amount":15.00,"currency":"THB","description":"TEST UNIONPAY","source_type":"unionpay","reference_order":"`+nextRef()+`","additional_data":{"mid":"`+SandboxMID+`"}}`)
		if ch["transaction_state"] != "Initialize" || ch["status"] != "success" || !strings.HasPrefix(ch["redirect_url"].(string), e.srv.URL+testBase+"/unionpay/redr_test_") {
			t.Fatalf("unionpay charge %v", ch)
		}
		return ch, e.pathOf(ch["redirect_url"].(string))
	}
	_, path := newUPI()
	for _, lang := range []string{"en", "ar"} {
		r := e.page(path + "?lang=" + lang)
		checkPage(t, r, lang)
		contains(t, r.text(), `data-testid="kpay-upi-card"`, `data-testid="kpay-upi-expiry"`, `data-testid="kpay-upi-cvn"`,
			`data-testid="kpay-upi-pin"`, `data-testid="kpay-upi-sms"`, `data-testid="kpay-upi-submit"`, `data-testid="kpay-upi-cancel"`, "15.00 THB")
	}
	form := func(card, exp, cvn, pin, sms string) url.Values {
		return url.Values{"card": {card}, "expiry": {exp}, "cvn": {cvn}, "pin": {pin}, "sms": {sms}, "action": {"submit"}}
	}
	// Malformed entries re-render; a UPI card needs the SMS code.
	for name, f := range map[string]url.Values{
		"short card": form("621094", "10/30", "456", "111111", ""),
		"expiry":     form("6210947764000027", "1330", "456", "111111", ""),
		"pin":        form("6210947764000027", "10/30", "456", "11", ""),
		"UPI no SMS": form("6250947000000014", "12/33", "123", "111111", ""),
	} {
		if r := e.post(path, f); r.status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d", name, r.status)
		}
	}
	hooks := 0
	for _, tc := range []struct {
		form        url.Values
		state, code string
	}{
		{form("6210947764000027", "10/30", "456", "111111", ""), "Authorized", ""},
		{form("9100009764000010", "03/25", "123", "111111", ""), "Authorized", ""},
		{form("6250947000000014", "12/33", "123", "111111", "111111"), "Authorized", ""},
		{form("6250946000000016", "12/33", "123", "111111", "123456"), "Authorized", ""},
		{form("6250946000000016", "12/33", "123", "111111", "000000"), "Declined", "50"},
		{form("6210947764000027", "10/30", "456", "222222", ""), "Declined", "55"},
		{form("6210947764000027", "10/30", "123", "111111", ""), "Declined", "N7"},
		{form("6210947764000027", "11/30", "456", "111111", ""), "Declined", "54"},
		{form("6210940000000000", "10/30", "456", "111111", ""), "Declined", "14"},
		{url.Values{"action": {"cancel"}}, "Declined", "17"},
	} {
		ch, path := newUPI()
		r := e.post(path, tc.form)
		loc, _ := url.Parse(r.header.Get("Location"))
		status := map[bool]string{true: "true", false: "false"}[tc.state == "Authorized"]
		if r.status != 303 || loc.Query().Get("objectId") != ch["id"] || loc.Query().Get("status") != status || loc.Query().Has("token") {
			t.Errorf("%v: %d %s", tc.form, r.status, loc)
		}
		g := e.ok("GET", "/card/v2/charge/"+ch["id"].(string), "")
		fc, _ := g["failure_code"].(string)
		if g["transaction_state"] != tc.state || fc != tc.code {
			t.Errorf("%v: %v %q", tc.form, g["transaction_state"], fc)
		}
		hooks++
		hook := decodeJSON(t, e.hooks.wait(t, hooks)[hooks-1])
		if hook["id"] != ch["id"] || hook["object"] != "charge" || hook["transaction_state"] != tc.state {
			t.Errorf("webhook %v", hook)
		}
		// The finished page shows the result; posting again changes nothing.
		if r := e.post(path, form("6210947764000027", "10/30", "456", "111111", "")); r.status != 200 || !strings.Contains(r.text(), `data-testid="kpay-upi-result"`) {
			t.Errorf("finished page: %d", r.status)
		}
	}
	if e.hooks.count() != hooks {
		t.Errorf("%d webhooks, want %d", e.hooks.count(), hooks)
	}
}

func TestAlipay(t *testing.T) {
	e := newEnv(t, nil)
	newAlipay := func() (map[string]any, string) {
		ch := e.ok("POST", "/card/v2/charge", `{"amount":15.00,"currency":"THB","description":"TEST ALIPAY","source_type":"alipay","reference_order":"`+nextRef()+`","ref_1":"r1"}`)
		src := ch["source"].(map[string]any)
		if ch["transaction_state"] != "Initialize" || src["object"] != "redirect" || src["brand"] != "Alipay" || !strings.HasPrefix(src["id"].(string), "redr_test_") {
			t.Fatalf("alipay charge %v", ch)
		}
		return ch, e.pathOf(ch["redirect_url"].(string))
	}
	ch, path := newAlipay()
	for _, lang := range []string{"en", "ar"} {
		r := e.page(path + "?lang=" + lang)
		checkPage(t, r, lang)
		contains(t, r.text(), `data-testid="kpay-alipay-approve"`, `data-testid="kpay-alipay-cancel"`, "15.00 THB", "<svg")
	}
	r := e.post(path, url.Values{"action": {"approve"}})
	if loc, _ := url.Parse(r.header.Get("Location")); r.status != 303 || loc.Query().Get("status") != "true" || loc.Query().Get("objectId") != ch["id"] {
		t.Errorf("approve: %d %s", r.status, loc)
	}
	hook := decodeJSON(t, e.hooks.wait(t, 1)[0])
	if hook["object"] != "charge" || hook["transaction_state"] != "Authorized" || hook["ref_1"] != "r1" ||
		hook["source"].(map[string]any)["brand"] != "Alipay" || hook["checksum"] != checksum(ch["id"].(string), "15.0000", "THB", "success", "Authorized", SandboxSecretKey) {
		t.Errorf("webhook %v", hook)
	}
	if _, ok := hook["mpi"]; ok {
		t.Error("Alipay webhook has the card schema")
	}
	ch, path = newAlipay()
	e.post(path, url.Values{"action": {"cancel"}})
	if g := e.ok("GET", "/card/v2/charge/"+ch["id"].(string), ""); g["transaction_state"] != "Declined" || g["status"] != "fail" {
		t.Errorf("cancel: %v", g)
	}
	// An Alipay page left alone expires (Reversed, timeout).
	ch, path = newAlipay()
	e.clock.Advance(redirectTTL)
	if r := e.page(path); r.status != http.StatusGone {
		t.Errorf("expired page: %d", r.status)
	}
	if g := e.ok("GET", "/card/v2/charge/"+ch["id"].(string), ""); g["transaction_state"] != "Reversed" || g["failure_code"] != "500" {
		t.Errorf("expired: %v", g)
	}
}

func TestQRSimulatorPage(t *testing.T) {
	e := newEnv(t, nil)
	o := e.order("qr", "13.00")
	qr := e.showQR(o, "qr")
	for _, lang := range []string{"en", "ar"} {
		r := e.page(testBase + "/qr-simulator?lang=" + lang)
		checkPage(t, r, lang)
		contains(t, r.text(), `data-testid="kpay-qrsim-id"`, `data-testid="kpay-qrsim-pay"`, `data-testid="kpay-qrsim-search"`,
			`data-testid="kpay-qrsim-app"`, `data-testid="kpay-qrsim-open"`, `data-testid="kpay-qrsim-use-`+qr+`"`, catalog[lang]["qrsim_title"])
	}
	r := e.page(testBase + "/qr-simulator?qr_id=" + qr)
	contains(t, r.text(), `data-testid="kpay-qrsim-details" data-status="pending"`, `value="`+qr+`"`, "13.00 THB")
	if r := e.page(testBase + "/qr-simulator?qr_id=qr_test_nope"); r.status != 404 || !strings.Contains(r.text(), catalog["en"]["err_qr_unknown"]) {
		t.Errorf("unknown QR: %d", r.status)
	}
	if r := e.post(testBase+"/qr-simulator?lang=ar", url.Values{"action": {"pay"}}); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.text(), catalog["ar"]["err_qr_empty"]) {
		t.Errorf("empty: %d", r.status)
	}
	if e.hooks.count() != 0 {
		t.Error("webhook without a payment")
	}
}
