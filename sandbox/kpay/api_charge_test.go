package kpay

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestAuthentication(t *testing.T) {
	e := newEnv(t, nil)
	for name, key := range map[string]string{
		"missing":       "",
		"wrong":         "skey_test_wrong",
		"public key":    SandboxPublicKey,
		"spec prod key": specSecret,
		"longer key":    SandboxSecretKey + "x",
	} {
		t.Run(name, func(t *testing.T) {
			for _, route := range [][2]string{
				{"POST", "/card/v2/charge"}, {"GET", "/card/v2/charge/chrg_test_x"}, {"POST", "/card/v2/charge/x/void"},
				{"POST", "/card/v2/charge/x/settle"}, {"POST", "/card/v2/charge/x/refund"}, {"POST", "/qr/v2/order"},
				{"GET", "/qr/v2/order/x"}, {"GET", "/qr/v2/qr/x"}, {"POST", "/qr/v2/qr/x/void"}, {"POST", "/qr/v2/qr/x/cancel"},
				{"POST", "/card/v2/customer"}, {"GET", "/card/v2/customer/x"}, {"DELETE", "/card/v2/customer/x"},
			} {
				h := map[string]string{"Content-Type": "application/json"}
				if key != "" {
					h["x-api-key"] = key
				}
				r := e.do(route[0], testBase+route[1], strings.NewReader(`{}`), h)
				wantError(t, r, http.StatusUnauthorized, "authentication_failure")
			}
		})
	}
	if strings.Contains(e.logs.String(), SandboxSecretKey) || strings.Contains(e.logs.String(), "skey_test_wrong") {
		t.Error("a key was logged")
	}
}

func TestCreateChargeValidation(t *testing.T) {
	e := newEnv(t, nil)
	tok := e.token("4024007134786226", SandboxMID, nil)
	base := `"currency":"THB","description":"D","source_type":"card","mode":"token","token":"` + tok + `","additional_data":{"mid":"` + SandboxMID + `"}`
	for _, tc := range []struct {
		name, body string
		status     int
		code       string
	}{
		{"bad JSON", `{"amount":`, 400, "bad_request"},
		{"no amount", `{` + base + `,"reference_order":"R1"}`, 400, "mandatory_is_empty"},
		{"no reference", `{"amount":1,` + base + `}`, 400, "mandatory_is_empty"},
		{"no description", `{"amount":1,"currency":"THB","source_type":"card","reference_order":"R1"}`, 400, "mandatory_is_empty"},
		{"zero", `{"amount":0,` + base + `,"reference_order":"R1"}`, 400, "amount_invalid"},
		{"negative", `{"amount":-5,` + base + `,"reference_order":"R1"}`, 400, "amount_invalid"},
		{"3 decimals", `{"amount":"1.005",` + base + `,"reference_order":"R1"}`, 400, "amount_invalid"},
		{"exponent", `{"amount":1e2,` + base + `,"reference_order":"R1"}`, 400, "amount_invalid"},
		{"currency", `{"amount":1,"currency":"XYZ","description":"D","source_type":"card","reference_order":"R1"}`, 400, "currency_invalid"},
		{"JPY decimals", `{"amount":1.5,"currency":"JPY","description":"D","source_type":"card","reference_order":"R1"}`, 400, "float_not_support"},
		{"source type", `{"amount":1,"currency":"THB","description":"D","source_type":"paypal","reference_order":"R1"}`, 400, "invalid_parameter"},
		{"no mode", `{"amount":1,"currency":"THB","description":"D","source_type":"card","reference_order":"R1","additional_data":{"mid":"` + SandboxMID + `"}}`, 400, "mandatory_is_empty"},
		{"bad mode", `{"amount":1,"currency":"THB","description":"D","source_type":"card","mode":"cash","reference_order":"R1","additional_data":{"mid":"` + SandboxMID + `"}}`, 400, "invalid_parameter"},
		{"no mid", `{"amount":1,"currency":"THB","description":"D","source_type":"card","mode":"token","token":"` + tok + `","reference_order":"R1"}`, 400, "mandatory_is_empty"},
		{"unknown mid", `{"amount":1,"currency":"THB","description":"D","source_type":"card","mode":"token","token":"` + tok + `","reference_order":"R1","additional_data":{"mid":"401999999999001"}}`, 400, "mid_and_tid_not_exist"},
		{"no token", `{"amount":1,"currency":"THB","description":"D","source_type":"card","mode":"token","reference_order":"R1","additional_data":{"mid":"` + SandboxMID + `"}}`, 400, "mandatory_is_empty"},
		{"unknown token", `{"amount":1,"currency":"THB","description":"D","source_type":"card","mode":"token","token":"tokn_test_nope","reference_order":"R1","additional_data":{"mid":"` + SandboxMID + `"}}`, 400, "token_invalid"},
		{"token of another MID", `{"amount":1,"currency":"THB","description":"D","source_type":"card","mode":"token","token":"` + tok + `","reference_order":"R1","additional_data":{"mid":"` + SandboxDCCMID + `"},"dcc_data":{"dcc_currency":"THB"}}`, 400, "token_conflict"},
		{"callback_type", `{"amount":1,` + base + `,"reference_order":"R1","callback_type":"tv"}`, 400, "invalid_parameter"},
		{"metadata not a hash", `{"amount":1,` + base + `,"reference_order":"R1","metadata":[1]}`, 400, "invalid_parameter"},
		{"unionpay in USD", `{"amount":1,"currency":"USD","description":"D","source_type":"unionpay","reference_order":"R1"}`, 400, "currency_invalid"},
		{"unknown order", `{"amount":1,` + base + `,"reference_order":"R1","order_id":"order_test_nope"}`, 404, "invalid_order_id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, e.api("POST", "/card/v2/charge", tc.body), tc.status, tc.code)
		})
	}
	// None of the refusals spent the token.
	ch := e.ok("POST", "/card/v2/charge", `{"amount":"1.00",`+base+`,"reference_order":"R1"}`)
	if ch["transaction_state"] != "Authorized" {
		t.Fatalf("charge: %v", ch)
	}
	// Token is single-use; reference_order unique.
	wantError(t, e.api("POST", "/card/v2/charge", `{"amount":1,`+base+`,"reference_order":"R2"}`), 400, "used_token")
	tok2 := e.token("4024007134786226", SandboxMID, nil)
	wantError(t, e.api("POST", "/card/v2/charge", `{"amount":1,"currency":"THB","description":"D","source_type":"card","mode":"token","token":"`+tok2+`","reference_order":"R1","additional_data":{"mid":"`+SandboxMID+`"}}`), 400, "duplicate_request")
}

func TestTokenExpires(t *testing.T) {
	e := newEnv(t, nil)
	tok := e.token("4024007134786226", SandboxMID, nil)
	e.clock.Advance(tokenTTL)
	body := `{"amount":1,"currency":"THB","description":"D","source_type":"card","mode":"token","token":"` + tok + `","reference_order":"R1","additional_data":{"mid":"` + SandboxMID + `"}}`
	wantError(t, e.api("POST", "/card/v2/charge", body), 400, "token_invalid")
}

func TestTokenAPI(t *testing.T) {
	e := newEnv(t, nil)
	post := func(key, body string) response {
		return e.do("POST", testBase+"/ui/v2/tokens", strings.NewReader(body), map[string]string{"x-api-key": key, "Content-Type": "application/json"})
	}
	good := `"name":"A","number":"4024007134786226","expiration_month":12,"expiration_year":2030,"security_code":"123","mid":"` + SandboxMID + `"`
	wantError(t, post(SandboxSecretKey, `{`+good+`}`), 401, "authentication_failure")
	wantError(t, post(SandboxPublicKey, `{"name":"A"}`), 400, "mandatory_is_empty")
	wantError(t, post(SandboxPublicKey, `{"name":"A","number":"6210947764000027","expiration_month":12,"expiration_year":2030,"security_code":"123","mid":"`+SandboxMID+`"}`), 400, "card_error")
	wantError(t, post(SandboxPublicKey, `{"name":"A","number":"4024007134786227","expiration_month":12,"expiration_year":2030,"security_code":"123","mid":"`+SandboxMID+`"}`), 400, "invalid_parameter")
	wantError(t, post(SandboxPublicKey, `{"name":"A","number":"4024007134786226","expiration_month":1,"expiration_year":2025,"security_code":"123","mid":"`+SandboxMID+`"}`), 400, "invalid_parameter")
	r := post(SandboxPublicKey, `{`+good+`}`)
	m := r.json(t)
	if r.status != 200 || !strings.HasPrefix(m["id"].(string), "tokn_test_") || m["object"] != "token" || m["livemode"] != false {
		t.Fatalf("token: %d %v", r.status, m)
	}
	if card := m["card"].(map[string]any); card["card_masking"] != "402400*****6226" || card["brand"] != "visa" {
		t.Errorf("card %v", card)
	}
	if r.header.Get("Access-Control-Allow-Origin") != "*" {
		t.Error("no CORS header")
	}
	pre := e.do("OPTIONS", testBase+"/ui/v2/tokens", nil, map[string]string{"Origin": "https://shop.example", "Access-Control-Request-Method": "POST"})
	if pre.status != http.StatusNoContent || !strings.Contains(pre.header.Get("Access-Control-Allow-Headers"), "x-api-key") {
		t.Errorf("preflight: %d %v", pre.status, pre.header)
	}
}

// The non-3-D Secure test cards of §11.2 answer at once.
func TestNon3DSCardOutcomes(t *testing.T) {
	e := newEnv(t, nil)
	for pan, want := range map[string][3]string{
		"5431289719925031": {"Authorized", "success", ""},
		"5565694828631115": {"Authorized", "success", ""},
		"4024007134786226": {"Authorized", "success", ""},
		"4485169016314923": {"Authorized", "success", ""},
		"3536353014086177": {"Authorized", "success", ""},
		"4877300371267473": {"Declined", "fail", "01"},
		"3540000981507917": {"Declined", "fail", "01"},
		"4532741632025415": {"Declined", "fail", "05"},
		"3539074482135968": {"Declined", "fail", "05"},
		"4147602662715373": {"Declined", "fail", "51"},
		"3528730936342392": {"Declined", "fail", "51"},
		"5363314260912204": {"Reversed", "fail", "500"},
		"4024007121398514": {"Reversed", "fail", "500"},
		"3532598050794027": {"Reversed", "fail", "500"},
	} {
		ch := e.cardCharge(pan, SandboxMID, "74.00", "")
		if ch["transaction_state"] != want[0] || ch["status"] != want[1] || ch["redirect_url"] != nil {
			t.Errorf("%s: %v/%v redirect %v, want %v", pan, ch["transaction_state"], ch["status"], ch["redirect_url"], want)
		}
		fc, _ := ch["failure_code"].(string)
		if fc != want[2] {
			t.Errorf("%s: failure_code %q, want %q", pan, fc, want[2])
		}
		if want[2] != "" && ch["failure_message"] != failureMessages[want[2]] {
			t.Errorf("%s: failure_message %v", pan, ch["failure_message"])
		}
		if want[1] == "success" && (ch["approval_code"] == nil || len(ch["approval_code"].(string)) != 6) {
			t.Errorf("%s: approval_code %v", pan, ch["approval_code"])
		}
		src := ch["source"].(map[string]any)
		if src["object"] != "card" || src["card_masking"] != pan[:6]+"*****"+pan[12:] || !strings.HasPrefix(src["id"].(string), "card_test_") {
			t.Errorf("%s: source %v", pan, src)
		}
	}
}

// complete3DS walks a Pre-Authorized charge through its 3-D Secure page.
func (e *env) complete3DS(ch map[string]any, otp string) response {
	e.t.Helper()
	if ch["transaction_state"] != "Pre-Authorized" || ch["status"] != "success" {
		e.t.Fatalf("not waiting for 3-D Secure: %v", ch)
	}
	path := e.pathOf(ch["redirect_url"].(string))
	if r := e.page(path); r.status != 200 || !strings.Contains(r.text(), `data-testid="kpay-otp"`) {
		e.t.Fatalf("3DS page: %d", r.status)
	}
	return e.post(path, url.Values{"action": {"submit"}, "otp": {otp}})
}

// The 3-D Secure test cards of §11.1: OTP 123456, then the card's response code.
func Test3DSCardOutcomes(t *testing.T) {
	e := newEnv(t, nil)
	n := 0
	for pan, want := range map[string][3]string{
		"5239620007270264": {"Authorized", "success", ""},
		"5404888000072727": {"Authorized", "success", ""},
		"5404888005380836": {"Authorized", "success", ""},
		"5411768003140872": {"Authorized", "success", ""},
		"5411768003141953": {"Authorized", "success", ""},
		"4417706600005830": {"Authorized", "success", ""},
		"3564580000056476": {"Authorized", "success", ""},
		"4242424242424242": {"Authorized", "success", ""}, // not a listed card: 3-D Secure, approved
		"2221000604647064": {"Declined", "fail", "01"},
		"5596886582263266": {"Declined", "fail", "05"},
		"5149504001969007": {"Declined", "fail", "51"},
		"5265434283867885": {"Declined", "fail", "51"},
	} {
		ch := e.cardCharge(pan, SandboxMID, "305", "")
		if !strings.HasPrefix(ch["redirect_url"].(string), e.srv.URL+testBase+"/3ds/auth_test_") {
			t.Fatalf("%s: redirect_url %v", pan, ch["redirect_url"])
		}
		r := e.complete3DS(ch, sandboxOTP)
		if r.status != http.StatusSeeOther {
			t.Fatalf("%s: status %d", pan, r.status)
		}
		loc, _ := url.Parse(r.header.Get("Location"))
		ok := want[1] == "success"
		if loc.Host != "shop.example" || !strings.HasPrefix(loc.Path, "/return/kpay/INV") ||
			loc.Query().Get("objectId") != ch["id"] || loc.Query().Get("status") != map[bool]string{true: "true", false: "false"}[ok] ||
			!strings.HasPrefix(loc.Query().Get("token"), "tokn_test_") || loc.Query().Get("saveCard") != "false" {
			t.Errorf("%s: callback %s", pan, loc)
		}
		got := e.ok("GET", "/card/v2/charge/"+ch["id"].(string), "")
		fc, _ := got["failure_code"].(string)
		if got["transaction_state"] != want[0] || got["status"] != want[1] || fc != want[2] {
			t.Errorf("%s: %v/%v/%q, want %v", pan, got["transaction_state"], got["status"], fc, want)
		}
		if mpi, _ := got["mpi"].(map[string]any); mpi == nil || mpi["kbank_mpi"] != true {
			t.Errorf("%s: mpi %v", pan, got["mpi"])
		}
		n++
		hook := decodeJSON(t, e.hooks.wait(t, n)[n-1])
		if hook["id"] != ch["id"] || hook["transaction_state"] != want[0] || hook["status"] != want[1] {
			t.Errorf("%s: webhook %v", pan, hook)
		}
	}
}

func Test3DSWrongOTPAndCancel(t *testing.T) {
	e := newEnv(t, nil)
	ch := e.cardCharge("5404888000072727", SandboxMID, "10", "")
	// A malformed OTP only re-renders the page.
	path := e.pathOf(ch["redirect_url"].(string))
	r := e.post(path, url.Values{"action": {"submit"}, "otp": {"12"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.text(), catalog["en"]["err_otp"]) || !strings.Contains(r.text(), catalog["ar"]["err_otp"]) {
		t.Fatalf("malformed OTP: %d", r.status)
	}
	if got := e.ok("GET", "/card/v2/charge/"+ch["id"].(string), ""); got["transaction_state"] != "Pre-Authorized" || got["status"] != "success" {
		t.Fatalf("changed by a malformed OTP: %v", got)
	}
	// A wrong OTP fails the authentication (§8.1: Pre-Authorized + fail).
	r = e.complete3DS(ch, "654321")
	loc, _ := url.Parse(r.header.Get("Location"))
	if r.status != http.StatusSeeOther || loc.Query().Get("status") != "false" {
		t.Fatalf("wrong OTP: %d %s", r.status, loc)
	}
	got := e.ok("GET", "/card/v2/charge/"+ch["id"].(string), "")
	if got["transaction_state"] != "Pre-Authorized" || got["status"] != "fail" || got["failure_code"] != "50" {
		t.Errorf("wrong OTP: %v", got)
	}
	// The finished page never charges twice.
	r = e.post(path, url.Values{"action": {"submit"}, "otp": {sandboxOTP}})
	if r.status != 200 || !strings.Contains(r.text(), `data-testid="kpay-3ds-result" data-status="fail"`) {
		t.Errorf("finished page: %d", r.status)
	}
	if got := e.ok("GET", "/card/v2/charge/"+ch["id"].(string), ""); got["status"] != "fail" {
		t.Errorf("charged after the end: %v", got)
	}

	ch = e.cardCharge("5404888000072727", SandboxMID, "10", "")
	r = e.post(e.pathOf(ch["redirect_url"].(string)), url.Values{"action": {"cancel"}})
	if got := e.ok("GET", "/card/v2/charge/"+ch["id"].(string), ""); r.status != 303 || got["status"] != "fail" || got["transaction_state"] != "Pre-Authorized" {
		t.Errorf("cancel: %d %v", r.status, got)
	}
}

func Test3DSPageExpires(t *testing.T) {
	e := newEnv(t, nil)
	ch := e.cardCharge("5404888000072727", SandboxMID, "10", "")
	e.clock.Advance(redirectTTL)
	r := e.page(e.pathOf(ch["redirect_url"].(string)))
	if r.status != http.StatusGone || !strings.Contains(r.text(), catalog["en"]["res_expired_body"]) {
		t.Errorf("expired page: %d", r.status)
	}
	got := e.ok("GET", "/card/v2/charge/"+ch["id"].(string), "")
	if got["transaction_state"] != "Pre-Authorized" || got["status"] != "fail" {
		t.Errorf("expired charge: %v", got)
	}
}

func TestOverlapCards(t *testing.T) {
	// 2221000604647064 is listed both as 3-D Secure and not (§14.50).
	e := newEnv(t, nil)
	if ch := e.cardCharge("2221000604647064", SandboxMID, "10", ""); ch["transaction_state"] != "Pre-Authorized" {
		t.Errorf("default: %v", ch["transaction_state"])
	}
	e = newEnv(t, func(c *Config) { c.OverlapNon3DS = true })
	if ch := e.cardCharge("2221000604647064", SandboxMID, "10", ""); ch["transaction_state"] != "Declined" || ch["failure_code"] != "01" {
		t.Errorf("OverlapNon3DS: %v", ch)
	}
}

func TestNon3DSWebhook(t *testing.T) {
	e := newEnv(t, nil)
	ch := e.cardCharge("4532741632025415", SandboxMID, "200.50", "")
	hook := decodeJSON(t, e.hooks.wait(t, 1)[0])
	if hook["id"] != ch["id"] || hook["transaction_state"] != "Declined" || hook["failure_code"] != "05" {
		t.Fatalf("webhook %v", hook)
	}
	want := checksum(ch["id"].(string), "200.5000", "THB", "fail", "Declined", SandboxSecretKey)
	if hook["checksum"] != want {
		t.Errorf("checksum %v, want %s", hook["checksum"], want)
	}
}

func TestDCCCharge(t *testing.T) {
	e := newEnv(t, nil)
	dcc := func(pan, cur string, tokCur string) response {
		tok := e.token(pan, SandboxDCCMID, map[string]any{"dcc_currency": tokCur})
		return e.api("POST", "/card/v2/charge", `{"amount":"1000.00","currency":"THB","description":"D","source_type":"card","mode":"token","token":"`+tok+`","reference_order":"`+nextRef()+`","additional_data":{"mid":"`+SandboxDCCMID+`"},"dcc_data":{"dcc_currency":"`+cur+`"}}`)
	}
	// Non-3-D Secure DCC cards: USD and JPY.
	for pan, cur := range map[string]string{"5372074248113841": "USD", "4205203648166408": "JPY"} {
		r := dcc(pan, cur, cur)
		ch := r.json(t)
		d, _ := ch["dcc_data"].(map[string]any)
		if r.status != 200 || ch["transaction_state"] != "Authorized" || ch["currency"] != "THB" || d == nil ||
			d["converted_currency_code"] != cur || d["mid"] != SandboxDCCMID {
			t.Errorf("%s: %d %v", pan, r.status, ch)
		}
	}
	// USD: 1000 THB at 33.560 is 29.80 USD.
	ch := dcc("5372074248113841", "USD", "USD").json(t)
	if d := ch["dcc_data"].(map[string]any); d["converted_amount"] != 29.8 || d["rate"] != 33.56 || d["converted_currency_name"] != "USD (US Dollar)" {
		t.Errorf("dcc_data %v", d)
	}
	// Paying in THB: no conversion.
	if ch := dcc("5372074248113841", "THB", "THB").json(t); ch["dcc_data"] != nil || ch["transaction_state"] != "Authorized" {
		t.Errorf("THB: %v", ch)
	}
	// The card's currency only; the token's choice must be kept.
	wantError(t, dcc("5372074248113841", "JPY", "THB"), 400, "currency_invalid")
	wantError(t, dcc("5372074248113841", "USD", "THB"), 400, "token_conflict")
	// dcc_currency is mandatory on a DCC MID.
	tok := e.token("5372074248113841", SandboxDCCMID, nil)
	wantError(t, e.api("POST", "/card/v2/charge", `{"amount":1,"currency":"THB","description":"D","source_type":"card","mode":"token","token":"`+tok+`","reference_order":"X","additional_data":{"mid":"`+SandboxDCCMID+`"}}`), 400, "mandatory_is_empty")
	// 3-D Secure DCC card.
	r := dcc("5239620007270264", "USD", "USD")
	if ch := r.json(t); ch["transaction_state"] != "Pre-Authorized" || ch["dcc_data"] == nil {
		t.Errorf("3DS DCC: %v", ch)
	}
}

func TestSmartPayCharge(t *testing.T) {
	e := newEnv(t, nil)
	charge := func(extra string) response {
		tok := e.token("4024007134786226", SandboxMID, nil)
		return e.api("POST", "/card/v2/charge", `{"amount":"3000.00","currency":"THB","description":"D","source_type":"card","mode":"token","token":"`+tok+`","reference_order":"`+nextRef()+`",`+extra+`}`)
	}
	if r := charge(`"additional_data":{"mid":"` + SandboxMID + `","smartpay_id":"0001","term":"10"}`); r.status != 200 || r.json(t)["transaction_state"] != "Authorized" {
		t.Errorf("SmartpayID: %d %s", r.status, r.body)
	}
	if r := charge(`"additional_data":{"mid":"` + SandboxMID + `","smartpay_id":"0001","term":10}`); r.status != 200 {
		t.Errorf("term as a number: %d %s", r.status, r.body)
	}
	plan := `"smartpay":{"plan_id":"999","ipan_mode":"03","product_type":"003","payment_term":"10","supplier_no":"99903","model_no":"123456"}`
	if r := charge(`"additional_data":{"mid":"` + SandboxMID + `"},` + plan); r.status != 200 {
		t.Errorf("Installment Plan: %d %s", r.status, r.body)
	}
	wantError(t, charge(`"additional_data":{"mid":"`+SandboxMID+`","smartpay_id":"0001","term":"10"},`+plan), 400, "smartpay_invalid")
	wantError(t, charge(`"additional_data":{"mid":"`+SandboxMID+`","smartpay_id":"0001"}`), 400, "mandatory_is_empty")
	wantError(t, charge(`"additional_data":{"mid":"`+SandboxMID+`"},"smartpay":{"plan_id":"999"}`), 400, "mandatory_is_empty")

	e = newEnv(t, func(c *Config) { c.SmartPayMID = "401202106042001" })
	tok := e.token("4024007134786226", SandboxMID, nil)
	wantError(t, e.api("POST", "/card/v2/charge", `{"amount":1,"currency":"THB","description":"D","source_type":"card","mode":"token","token":"`+tok+`","reference_order":"X","additional_data":{"mid":"`+SandboxMID+`","smartpay_id":"0001","term":"10"}}`), 400, "mid_and_tid_not_exist")
}

func TestRegister3D(t *testing.T) {
	e := newEnv(t, nil)
	reg := func(pan, amount, mode string) response {
		tok := e.token(pan, SandboxMID, map[string]any{"savecard": true})
		return e.api("POST", "/card/v2/charge", `{"amount":`+amount+`,"currency":"THB","description":"register","source_type":"card","mode":"`+mode+`","token":"`+tok+`","savecard":"true","reference_order":"`+nextRef()+`","additional_data":{"mid":"`+SandboxMID+`"}}`)
	}
	wantError(t, reg("4024007134786226", "5", "register3D"), 400, "amount_invalid")
	wantError(t, reg("5372074248113841", "1", "register3D"), 400, "foreign_card_not_supported")
	// Even a non-3-D Secure card is authenticated; success ends Voided.
	r := reg("4024007134786226", "1", "register3d")
	ch := r.json(t)
	res := e.complete3DS(ch, sandboxOTP)
	loc, _ := url.Parse(res.header.Get("Location"))
	if loc.Query().Get("status") != "true" || loc.Query().Get("saveCard") != "true" {
		t.Errorf("callback %s", loc)
	}
	if got := e.ok("GET", "/card/v2/charge/"+ch["id"].(string), ""); got["transaction_state"] != "Voided" || got["status"] != "success" {
		t.Errorf("register3D: %v", got)
	}
}

func TestInquiry(t *testing.T) {
	e := newEnv(t, nil)
	o := e.ok("POST", "/qr/v2/order", `{"amount":100,"currency":"THB","description":"D","source_type":"qr","reference_order":"ORD-1"}`)
	tok := e.token("4024007134786226", SandboxMID, nil)
	ch := e.ok("POST", "/card/v2/charge", `{"amount":100,"currency":"THB","description":"D","source_type":"card","mode":"token","token":"`+tok+`","reference_order":"REF-1","order_id":"`+o["id"].(string)+`","ref_1":"a","additional_data":{"mid":"`+SandboxMID+`"}}`)
	id := ch["id"].(string)
	for _, key := range []string{id, "REF-1", o["id"].(string), id + "/20250301", "REF-1/20250301"} {
		got := e.ok("GET", "/card/v2/charge/"+key, "")
		if got["id"] != id || got["object"] != "charge" || got["livemode"] != false || got["ref_1"] != "a" || got["ref_2"] != nil || got["created"] != "20250301090000000" {
			t.Errorf("%s: %v", key, got)
		}
	}
	wantError(t, e.api("GET", "/card/v2/charge/chrg_test_nope", ""), 404, "charge_id_not_exist")
	wantError(t, e.api("GET", "/card/v2/charge/"+id+"/2025-03-01", ""), 400, "transaction_date_invalid")
	wantError(t, e.api("GET", "/card/v2/charge/"+id+"/20250302", ""), 400, "invalid_parameter")
	// After 180 days the date is needed; after 366 nothing is found.
	e.clock.Advance(181 * day)
	wantError(t, e.api("GET", "/card/v2/charge/"+id, ""), 404, "charge_id_not_exist")
	e.ok("GET", "/card/v2/charge/"+id+"/20250301", "")
	e.clock.Advance(186 * day)
	wantError(t, e.api("GET", "/card/v2/charge/"+id+"/20250301", ""), 404, "charge_id_not_exist")
}

func TestUnknownRoute(t *testing.T) {
	e := newEnv(t, nil)
	r := e.page(testBase + "/card/v3/nothing")
	wantError(t, r, 404, "not_found")
}

func TestCallbackOverride(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.CallbackURL = "" })
	// No Callback URL: the 3-D Secure page shows the result itself.
	ch := e.cardCharge("4417706600005830", SandboxMID, "10", "")
	r := e.complete3DS(ch, sandboxOTP)
	if r.status != 200 || !strings.Contains(r.text(), `data-testid="kpay-3ds-result" data-status="success"`) || strings.Contains(r.text(), "kpay-return") {
		t.Errorf("no callback: %d", r.status)
	}
	// metadata.callback_url overrides per charge.
	ch = e.cardCharge("4417706600005830", SandboxMID, "10", `,"metadata":{"callback_url":"https://shop.example/return/kpay/att_1?x=1"}`)
	r = e.complete3DS(ch, sandboxOTP)
	if loc := r.header.Get("Location"); !strings.HasPrefix(loc, "https://shop.example/return/kpay/att_1?x=1&") || !strings.Contains(loc, "objectId="+ch["id"].(string)) {
		t.Errorf("override: %s", loc)
	}
	if ch["metadata"].(map[string]any)["callback_url"] == nil {
		t.Error("metadata not echoed")
	}
	wantError(t, e.api("POST", "/card/v2/charge", `{"amount":1,"currency":"THB","description":"D","source_type":"alipay","reference_order":"Q","metadata":{"callback_url":"javascript:alert(1)"}}`), 400, "invalid_parameter")
}
