package adyen

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

var pspRe = regexp.MustCompile(`^[A-Z0-9]{16}$`)

func TestAuthFailures(t *testing.T) {
	e := newEnv(t, nil, nil)
	for _, path := range []string{"/paymentMethods", "/payments", "/payments/details",
		"/payments/ABCDEFGHIJKLMNOP/refunds", "/payments/ABCDEFGHIJKLMNOP/cancels"} {
		for name, h := range map[string]map[string]string{
			"missing": {"Content-Type": "application/json"},
			"wrong":   {"Content-Type": "application/json", "X-API-Key": testAPIKey + "x"},
			"bearer":  {"Content-Type": "application/json", "Authorization": "Bearer " + testAPIKey},
		} {
			status, b, _ := e.do(http.MethodPost, testBase+"/v71"+path, paymentBody("en-US", ""), h)
			if status != http.StatusUnauthorized ||
				string(b) != `{"status":401,"errorCode":"000","message":"HTTP Status Response - Unauthorized","errorType":"security"}` {
				t.Errorf("%s %s: %d %s", path, name, status, b)
			}
		}
	}
	if len(e.sim.payments) != 0 {
		t.Error("an unauthorised call created a payment")
	}
}

func TestEmptyAPIKeyRejectsEverything(t *testing.T) {
	e := newEnv(t, nil, func(c *Config) { c.APIKey = "" })
	status, _, _ := e.do(http.MethodPost, testBase+"/v71/paymentMethods", `{}`,
		map[string]string{"X-API-Key": ""})
	if status != http.StatusUnauthorized {
		t.Errorf("status %d", status)
	}
}

func TestPaymentMethods(t *testing.T) {
	e := newEnv(t, nil, nil)
	for _, tt := range []struct {
		name, body string
		knet       bool
	}{
		{"KW KWD", `{"merchantAccount":"` + testMerchant + `","countryCode":"KW","amount":{"currency":"KWD","value":1500},"channel":"Web"}`, true},
		{"KW no amount", `{"merchantAccount":"` + testMerchant + `","countryCode":"KW"}`, true},
		{"KW USD", `{"merchantAccount":"` + testMerchant + `","countryCode":"KW","amount":{"currency":"USD","value":1500}}`, false},
		{"SA KWD", `{"merchantAccount":"` + testMerchant + `","countryCode":"SA","amount":{"currency":"KWD","value":1500}}`, false},
		{"no country", `{"merchantAccount":"` + testMerchant + `","amount":{"currency":"KWD","value":1500}}`, false},
	} {
		status, m := e.api("/paymentMethods", tt.body)
		if status != http.StatusOK {
			t.Fatalf("%s: status %d %v", tt.name, status, m)
		}
		methods, ok := m["paymentMethods"].([]any)
		if !ok {
			t.Fatalf("%s: %v", tt.name, m)
		}
		if tt.knet {
			if len(methods) != 1 || str(methods[0].(map[string]any), "type") != "knet" ||
				str(methods[0].(map[string]any), "name") != "KNET" {
				t.Errorf("%s: %v", tt.name, methods)
			}
		} else if len(methods) != 0 {
			t.Errorf("%s: %v", tt.name, methods)
		}
	}
	status, m := e.api("/paymentMethods", `{"merchantAccount":"Other","countryCode":"KW"}`)
	wantError(t, "other merchant", status, m, 403, "901", "security")
	status, m = e.api("/paymentMethods", `{"countryCode":"KW"}`)
	wantError(t, "no merchant", status, m, 422, "14_002", "validation")
}

func wantError(t *testing.T, name string, status int, m map[string]any, wantStatus int, code, typ string) {
	t.Helper()
	if status != wantStatus || str(m, "errorCode") != code || str(m, "errorType") != typ ||
		at(m, "status") != json.Number(jsonInt(wantStatus)) || str(m, "message") == "" {
		t.Errorf("%s: %d %v, want %d %s %s", name, status, m, wantStatus, code, typ)
	}
}

func jsonInt(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

func TestPaymentValidation(t *testing.T) {
	e := newEnv(t, nil, nil)
	valid := paymentBody("en-US", "")
	for _, tt := range []struct {
		name, body   string
		status       int
		code, errTyp string
	}{
		{"not json", `{"merchantAccount":`, 400, "000", "validation"},
		{"empty", ``, 400, "000", "validation"},
		{"wrong type", strings.Replace(valid, `"reference":"ord_1001-att_1"`, `"reference":5`, 1), 400, "000", "validation"},
		{"no merchant", strings.Replace(valid, `"merchantAccount":"`+testMerchant+`",`, ``, 1), 422, "14_002", "validation"},
		{"other merchant", strings.Replace(valid, testMerchant, "SomeoneElse", 1), 403, "901", "security"},
		{"no amount", strings.Replace(valid, `"amount":{"currency":"KWD","value":1500},`, ``, 1), 422, "100", "validation"},
		{"decimal value", strings.Replace(valid, `"value":1500`, `"value":1.5`, 1), 422, "137", "validation"},
		{"exponent value", strings.Replace(valid, `"value":1500`, `"value":1e3`, 1), 422, "137", "validation"},
		{"string value", strings.Replace(valid, `"value":1500`, `"value":"1500"`, 1), 422, "137", "validation"},
		{"zero value", strings.Replace(valid, `"value":1500`, `"value":0`, 1), 422, "137", "validation"},
		{"negative value", strings.Replace(valid, `"value":1500`, `"value":-1500`, 1), 422, "137", "validation"},
		{"no value", strings.Replace(valid, `,"value":1500`, ``, 1), 422, "137", "validation"},
		{"lower-case currency", strings.Replace(valid, `"KWD"`, `"kwd"`, 1), 422, "138", "validation"},
		{"no reference", strings.Replace(valid, `"reference":"ord_1001-att_1",`, ``, 1), 422, "130", "validation"},
		{"long reference", strings.Replace(valid, `ord_1001-att_1`, strings.Repeat("r", 81), 1), 422, "702", "validation"},
		{"no paymentMethod", strings.Replace(valid, `"paymentMethod":{"type":"knet"},`, ``, 1), 422, "14_002", "validation"},
		{"no returnUrl", strings.Replace(valid, `,
	"returnUrl":"`+testReturn+`"`, ``, 1), 422, "14_002", "validation"},
		{"relative returnUrl", strings.Replace(valid, testReturn, "/return/adyen/att_1", 1), 422, "702", "validation"},
		{"ftp returnUrl", strings.Replace(valid, testReturn, "ftp://shop.example/r", 1), 422, "702", "validation"},
		{"EUR", strings.Replace(valid, `"KWD"`, `"EUR"`, 1), 422, "905_1", "configuration"},
		{"scheme", strings.Replace(valid, `"type":"knet"`, `"type":"scheme"`, 1), 422, "905_1", "configuration"},
		{"bad redirectToIssuerMethod", paymentBody("en-US", `"redirectToIssuerMethod":"PUT",`), 422, "702", "validation"},
	} {
		status, b, _ := e.do(http.MethodPost, testBase+"/v71/payments", tt.body, apiHeaders())
		wantError(t, tt.name, status, decode(t, b), tt.status, tt.code, tt.errTyp)
	}
	if len(e.sim.payments) != 0 {
		t.Errorf("invalid requests created %d payments", len(e.sim.payments))
	}
	_, m := e.api("/payments", strings.Replace(valid, `"KWD"`, `"EUR"`, 1))
	if want := "Could not find an acquirer account for the provided txvariant (knet), currency (EUR), and action (AUTH)."; str(m, "message") != want {
		t.Errorf("905_1 message %q", str(m, "message"))
	}
}

func TestPaymentRedirectGET(t *testing.T) {
	e := newEnv(t, nil, nil)
	m := e.create("en-US", "")
	wantFields(t, "payment", m, map[string]any{
		"resultCode":               "RedirectShopper",
		"merchantReference":        "ord_1001-att_1",
		"action.type":              "redirect",
		"action.method":            "GET",
		"action.paymentMethodType": "knet",
		"action.data":              nil,
	})
	if !pspRe.MatchString(str(m, "pspReference")) {
		t.Errorf("pspReference %q", str(m, "pspReference"))
	}
	prefix := e.srv.URL + testBase + "/hpp/knet?redirectData="
	if u := str(m, "action.url"); !strings.HasPrefix(u, prefix) || len(u) < len(prefix)+20 {
		t.Errorf("action.url %q", u)
	}
	if status, html := e.page(tokenOf(t, m), ""); status != 200 || !strings.Contains(html, `data-testid="adyen-knet-submit"`) {
		t.Errorf("page: %d", status)
	}
	if e.state(str(m, "pspReference")) != stateOpen {
		t.Error("payment not open")
	}
}

func TestPaymentRedirectPOST(t *testing.T) {
	e := newEnv(t, nil, nil)
	m := e.create("en-US", `"redirectToIssuerMethod":"POST",`)
	wantFields(t, "payment", m, map[string]any{
		"action.method": "POST",
		"action.url":    e.srv.URL + testBase + "/hpp/knet",
		"action.type":   "redirect",
	})
	tok := str(m, "action.data.redirectData")
	if tok == "" {
		t.Fatalf("no action.data.redirectData: %v", m)
	}
	// The browser posts action.data to action.url: the page is shown.
	status, b, _ := e.submit(map[string][]string{"redirectData": {tok}})
	if status != 200 || !strings.Contains(string(b), `data-testid="adyen-knet-card"`) {
		t.Errorf("POST arrival: %d", status)
	}
}

func TestIdempotencyKey(t *testing.T) {
	e := newEnv(t, nil, nil)
	h := apiHeaders()
	h["Idempotency-Key"] = "att_1-start"
	body := paymentBody("en-US", "")
	s1, b1, _ := e.do(http.MethodPost, testBase+"/v71/payments", body, h)
	s2, b2, h2 := e.do(http.MethodPost, testBase+"/v71/payments", body, h)
	if s1 != 200 || s2 != 200 || string(b1) != string(b2) {
		t.Fatalf("replay differs: %d %s / %d %s", s1, b1, s2, b2)
	}
	if h2.Get("Idempotency-Key") != "att_1-start" {
		t.Errorf("replay header %v", h2)
	}
	if len(e.sim.payments) != 1 {
		t.Errorf("%d payments for one key", len(e.sim.payments))
	}
	s3, b3, _ := e.do(http.MethodPost, testBase+"/v71/payments", strings.Replace(body, "1500", "2500", 1), h)
	wantError(t, "same key, other body", s3, decode(t, b3), 422, "704", "validation")
	h["Idempotency-Key"] = "att_2-start"
	_, b4, _ := e.do(http.MethodPost, testBase+"/v71/payments", body, h)
	if str(decode(t, b4), "pspReference") == str(decode(t, b1), "pspReference") {
		t.Error("another key replayed the first payment")
	}
	// A rejected request is not stored: the key can be used again.
	h["Idempotency-Key"] = "att_3-start"
	s5, _, _ := e.do(http.MethodPost, testBase+"/v71/payments", strings.Replace(body, "KWD", "EUR", 1), h)
	s6, _, _ := e.do(http.MethodPost, testBase+"/v71/payments", body, h)
	if s5 != 422 || s6 != 200 {
		t.Errorf("after an error: %d then %d", s5, s6)
	}
}

func TestDetailsErrors(t *testing.T) {
	e := newEnv(t, nil, nil)
	status, m := e.api("/payments/details", `{}`)
	wantError(t, "no details", status, m, 422, "14_002", "validation")
	status, m = e.api("/payments/details", `{"details":{}}`)
	wantError(t, "no redirectResult", status, m, 422, "14_002", "validation")
	status, m = e.details("Ab02b4c0!unknown")
	wantError(t, "unknown", status, m, 422, "14_018", "validation")
	status, m = e.api("/payments/details", `nope`)
	wantError(t, "not json", status, m, 400, "000", "validation")
}

func TestDetailsRedeemOnce(t *testing.T) {
	e := newEnv(t, nil, nil)
	m := e.create("en-US", "")
	_, _, hdr := e.submit(submitForm(tokenOf(t, m), "8888880000000001", "09", "2030"))
	rr := redirectResultOf(t, hdr.Get("Location"))
	if status, d := e.details(rr); status != 200 || str(d, "resultCode") != "Authorised" {
		t.Fatalf("first redeem: %d %v", status, d)
	}
	status, d := e.details(rr)
	wantError(t, "second redeem", status, d, 422, "14_018", "validation")
}

func TestUnknownRoute(t *testing.T) {
	e := newEnv(t, nil, nil)
	status, b, _ := e.do(http.MethodPost, testBase+"/v70/payments", "{}", apiHeaders())
	wantError(t, "v70", status, decode(t, b), 404, "000", "validation")
}

// authorisedPayment runs a payment to Authorised and returns its pspReference.
func authorisedPayment(t *testing.T, e *env) string {
	t.Helper()
	m := e.create("en-US", "")
	status, _, _ := e.submit(submitForm(tokenOf(t, m), "8888880000000001", "09", "2030"))
	if status != http.StatusSeeOther {
		t.Fatalf("submit: %d", status)
	}
	return str(m, "pspReference")
}

func TestRefunds(t *testing.T) {
	h := newHook(t, accepted)
	e := newEnv(t, h, nil)
	psp := authorisedPayment(t, e)
	if it := h.next(t); str(it, "eventCode") != "AUTHORISATION" || str(it, "success") != "true" {
		t.Fatalf("authorisation webhook %v", it)
	}

	refund := func(value, ref string) (int, map[string]any) {
		return e.api("/payments/"+psp+"/refunds", `{"merchantAccount":"`+testMerchant+
			`","amount":{"currency":"KWD","value":`+value+`},"reference":"`+ref+`"}`)
	}
	status, r := refund("500", "rf_1")
	if status != http.StatusCreated {
		t.Fatalf("refund: %d %v", status, r)
	}
	wantFields(t, "refund", r, map[string]any{
		"status": "received", "paymentPspReference": psp, "merchantAccount": testMerchant,
		"reference": "rf_1", "amount.value": json.Number("500"), "amount.currency": "KWD",
	})
	if !pspRe.MatchString(str(r, "pspReference")) || str(r, "pspReference") == psp {
		t.Errorf("refund pspReference %q", str(r, "pspReference"))
	}
	wantFields(t, "REFUND webhook", h.next(t), map[string]any{
		"eventCode": "REFUND", "success": "true", "pspReference": str(r, "pspReference"),
		"originalReference": psp, "merchantReference": "rf_1",
		"amount.value": json.Number("500"), "amount.currency": "KWD",
	})

	// 500 + 1001 > 1500: refused by webhook.
	if status, _ := refund("1001", "rf_2"); status != http.StatusCreated {
		t.Fatalf("refund 2: %d", status)
	}
	wantFields(t, "over-refund webhook", h.next(t), map[string]any{
		"eventCode": "REFUND", "success": "false", "reason": "Insufficient balance on payment",
	})
	if status, _ := refund("1000", "rf_3"); status != http.StatusCreated {
		t.Fatalf("refund 3: %d", status)
	}
	wantFields(t, "rest refunded", h.next(t), map[string]any{"eventCode": "REFUND", "success": "true"})

	// Synchronous errors.
	status, m := e.api("/payments/ABCDEFGHJKLMNPQR/refunds", `{"merchantAccount":"`+testMerchant+`","amount":{"currency":"KWD","value":1}}`)
	wantError(t, "unknown payment", status, m, 422, "167", "validation")
	status, m = e.api("/payments/"+psp+"/refunds", `{"merchantAccount":"`+testMerchant+`"}`)
	wantError(t, "no amount", status, m, 422, "100", "validation")
	status, m = e.api("/payments/"+psp+"/refunds", `{"merchantAccount":"x","amount":{"currency":"KWD","value":1}}`)
	wantError(t, "other merchant", status, m, 403, "901", "security")
	h.none(t)
}

// A refund of x.013 is accepted, then fails (REFUND_FAILED, same pspReference), and its amount
// can be refunded again.
func TestRefundFailsLater(t *testing.T) {
	h := newHook(t, accepted)
	e := newEnv(t, h, nil)
	psp := authorisedPayment(t, e)
	h.next(t) // AUTHORISATION
	refund := func(value, ref string) map[string]any {
		t.Helper()
		status, r := e.api("/payments/"+psp+"/refunds", `{"merchantAccount":"`+testMerchant+
			`","amount":{"currency":"KWD","value":`+value+`},"reference":"`+ref+`"}`)
		if status != http.StatusCreated {
			t.Fatalf("refund %s: %d %v", value, status, r)
		}
		return r
	}
	r := refund("1013", "rf_1")
	refundPsp := str(r, "pspReference")
	wantFields(t, "REFUND webhook", h.next(t), map[string]any{
		"eventCode": "REFUND", "success": "true", "pspReference": refundPsp, "merchantReference": "rf_1",
	})
	wantFields(t, "REFUND_FAILED webhook", h.next(t), map[string]any{
		"eventCode": "REFUND_FAILED", "success": "true", "pspReference": refundPsp, "originalReference": psp,
		"merchantReference": "rf_1", "amount.value": json.Number("1013"), "amount.currency": "KWD",
		"reason": "Refund failed at the acquirer",
	})
	refund("1500", "rf_2") // the whole payment is refundable again
	wantFields(t, "full refund after the failure", h.next(t), map[string]any{"eventCode": "REFUND", "success": "true", "merchantReference": "rf_2"})
	h.none(t)
}

func TestRefundOfRefusedPayment(t *testing.T) {
	h := newHook(t, accepted)
	e := newEnv(t, h, nil)
	m := e.create("en-US", "")
	e.submit(submitForm(tokenOf(t, m), "8888880000000001", "05", "2021"))
	h.next(t)
	psp := str(m, "pspReference")
	status, _ := e.api("/payments/"+psp+"/refunds", `{"merchantAccount":"`+testMerchant+`","amount":{"currency":"KWD","value":1500}}`)
	if status != http.StatusCreated {
		t.Fatalf("status %d", status)
	}
	wantFields(t, "webhook", h.next(t), map[string]any{
		"eventCode": "REFUND", "success": "false", "reason": "Payment is not authorised",
		"merchantReference": "ord_1001-att_1", "originalReference": psp,
	})
}

func TestCancels(t *testing.T) {
	h := newHook(t, accepted)
	e := newEnv(t, h, nil)
	cancel := func(psp string) map[string]any {
		t.Helper()
		status, r := e.api("/payments/"+psp+"/cancels", `{"merchantAccount":"`+testMerchant+`","reference":"void_1"}`)
		if status != http.StatusCreated || str(r, "status") != "received" || str(r, "paymentPspReference") != psp {
			t.Fatalf("cancel: %d %v", status, r)
		}
		return r
	}

	// An offer still on the page: cancelled; the page then shows it.
	open := e.create("en-US", "")
	psp := str(open, "pspReference")
	r := cancel(psp)
	wantFields(t, "CANCELLATION open", h.next(t), map[string]any{
		"eventCode": "CANCELLATION", "success": "true", "originalReference": psp,
		"pspReference": str(r, "pspReference"), "merchantReference": "void_1", "amount.value": json.Number("1500"),
	})
	status, html := e.page(tokenOf(t, open), "")
	if status != 200 || !strings.Contains(html, `data-status="Cancelled"`) {
		t.Errorf("page after cancel: %d", status)
	}
	e.submit(submitForm(tokenOf(t, open), "8888880000000001", "09", "2030"))
	h.none(t) // no charge after a cancel

	// An authorised payment without refunds: cancelled.
	auth := authorisedPayment(t, e)
	h.next(t)
	cancel(auth)
	wantFields(t, "CANCELLATION authorised", h.next(t), map[string]any{"eventCode": "CANCELLATION", "success": "true"})
	if e.state(auth) != stateVoided {
		t.Errorf("state %s", e.state(auth))
	}
	// Cancelled twice: refused.
	cancel(auth)
	wantFields(t, "second CANCELLATION", h.next(t), map[string]any{"eventCode": "CANCELLATION", "success": "false"})

	status, m := e.api("/payments/NOPE/cancels", `{"merchantAccount":"`+testMerchant+`"}`)
	wantError(t, "unknown", status, m, 422, "167", "validation")
}
