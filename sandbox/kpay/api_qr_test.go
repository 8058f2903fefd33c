package kpay

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

func (e *env) order(source, amount string) map[string]any {
	e.t.Helper()
	o := e.ok("POST", "/qr/v2/order", `{"amount":`+amount+`,"currency":"THB","description":"TESTPRODUCT","source_type":"`+source+`","reference_order":"`+nextRef()+`","metadata":[{"item":"paper","qty":"6","amount":"10"}]}`)
	o["data-amount"] = amount // what the checkout puts in data-amount
	return o
}

// formURL is the K-Pay form's URL as the script builds it.
func formURL(params map[string]string) string {
	q := url.Values{"pkey": {SandboxPublicKey}, "origin": {"https://shop.example"}}
	for k, v := range params {
		q.Set(k, v)
	}
	return testBase + "/ui/v2/form?" + q.Encode()
}

var qrIDRe = regexp.MustCompile(`data-testid="kpay-qr-id">(qr_test_[0-9a-f]+)<`)

// showQR opens the K-Pay form of an order and returns the QR ID it shows.
func (e *env) showQR(o map[string]any, method string) string {
	e.t.Helper()
	r := e.page(formURL(map[string]string{"method": method, "order_id": o["id"].(string), "amount": o["data-amount"].(string), "lang": "en"}))
	m := qrIDRe.FindStringSubmatch(r.text())
	if r.status != 200 || m == nil {
		e.t.Fatalf("QR page: %d %s", r.status, r.body)
	}
	return m[1]
}

func (e *env) qrStatus(orderID string) map[string]any {
	e.t.Helper()
	r := e.page(testBase + "/ui/v2/qr-status?order_id=" + orderID + "&pkey=" + SandboxPublicKey)
	if r.status != 200 {
		e.t.Fatalf("qr-status: %d %s", r.status, r.body)
	}
	return r.json(e.t)
}

func TestOrderValidation(t *testing.T) {
	e := newEnv(t, nil)
	for _, tc := range []struct {
		name, body string
		code       string
	}{
		{"missing", `{"amount":1,"currency":"THB","source_type":"qr","reference_order":"R"}`, "mandatory_is_empty"},
		{"amount", `{"amount":-1,"currency":"THB","description":"D","source_type":"qr","reference_order":"R"}`, "amount_invalid"},
		{"currency", `{"amount":1,"currency":"USD","description":"D","source_type":"qr","reference_order":"R"}`, "currency_invalid"},
		{"card order", `{"amount":1,"currency":"THB","description":"D","source_type":"card","reference_order":"R"}`, "sof_is_empty"},
		{"source", `{"amount":1,"currency":"THB","description":"D","source_type":"cash","reference_order":"R"}`, "invalid_parameter"},
		{"mid", `{"amount":1,"currency":"THB","description":"D","source_type":"qr","reference_order":"R","additional_data":{"mid":"1"}}`, "mid_and_tid_not_exist"},
	} {
		wantError(t, e.api("POST", "/qr/v2/order", tc.body), 400, tc.code)
	}
	o := e.ok("POST", "/qr/v2/order", `{"amount":200,"currency":"THB","description":"TESTPRODUCT","source_type":"qr","reference_order":"WT1234567"}`)
	if !strings.HasPrefix(o["id"].(string), "order_test_") || o["object"] != "order" || o["source_type"] != "qr" || o["status"] != "success" ||
		o["expire_time_seconds"] != 3600.0 || o["amount"] != 200.0 || o["livemode"] != false {
		t.Errorf("order %v", o)
	}
	wantError(t, e.api("POST", "/qr/v2/order", `{"amount":200,"currency":"THB","description":"X","source_type":"qr","reference_order":"WT1234567"}`), 400, "duplicate_request")
	if g := e.ok("GET", "/qr/v2/order/"+o["id"].(string), ""); g["id"] != o["id"] || g["reference_order"] != "WT1234567" {
		t.Errorf("inquiry %v", g)
	}
	wantError(t, e.api("GET", "/qr/v2/order/order_test_nope", ""), 404, "invalid_order_id")
}

func TestQRPaidThroughSimulator(t *testing.T) {
	e := newEnv(t, nil)
	o := e.order("qr", "13.00")
	oid := o["id"].(string)
	// Before the QR is shown or paid, there is no transaction.
	wantError(t, e.api("GET", "/qr/v2/qr/"+oid, ""), 404, "no_transaction_found")
	qr := e.showQR(o, "qr")
	if again := e.showQR(o, "qr"); again != qr {
		t.Errorf("a second look shows another QR: %s", again)
	}
	if st := e.qrStatus(oid); st["status"] != "pending" || st["qr_id"] != qr || st["charge_id"] != nil || st["expires_in"] != 3600.0 {
		t.Errorf("pending: %v", st)
	}
	// The QR simulator: search, then Pay.
	r := e.post(testBase+"/qr-simulator", url.Values{"qr_id": {qr}, "action": {"search"}})
	if r.status != 200 || !strings.Contains(r.text(), `data-testid="kpay-qrsim-details" data-status="pending"`) {
		t.Fatalf("search: %d", r.status)
	}
	r = e.post(testBase+"/qr-simulator", url.Values{"qr_id": {qr}, "action": {"pay"}, "app": {"kplus"}})
	if r.status != 200 || !strings.Contains(r.text(), `data-testid="kpay-qrsim-result" data-status="paid"`) {
		t.Fatalf("pay: %d %s", r.status, r.body)
	}
	hook := decodeJSON(t, e.hooks.wait(t, 1)[0])
	st := e.qrStatus(oid)
	chargeID, _ := st["charge_id"].(string)
	if st["status"] != "paid" || !strings.HasPrefix(chargeID, "chrg_test_") {
		t.Fatalf("paid: %v", st)
	}
	// §5.3 webhook with the §6 checksum.
	src := hook["source"].(map[string]any)
	if hook["id"] != chargeID || hook["order_id"] != oid || hook["object"] != "qr" || hook["transaction_state"] != "Authorized" ||
		hook["status"] != "success" || hook["amount"] != 13.0 || src["id"] != qr || src["brand"] != "ThaiQR" || hook["failure_code"] != "" {
		t.Errorf("webhook %v", hook)
	}
	if want := checksum(chargeID, "13.0000", "THB", "success", "Authorized", SandboxSecretKey); hook["checksum"] != want {
		t.Errorf("checksum %v, want %s", hook["checksum"], want)
	}
	// Inquiry QR by order and by charge.
	for _, key := range []string{oid, chargeID} {
		g := e.ok("GET", "/qr/v2/qr/"+key, "")
		if g["id"] != chargeID || g["order_id"] != oid || g["transaction_state"] != "Authorized" || g["status"] != "success" || g["metadata"] == nil {
			t.Errorf("inquiry %s: %v", key, g)
		}
	}
	// The card endpoints do not see QR charges.
	wantError(t, e.api("GET", "/card/v2/charge/"+chargeID, ""), 404, "charge_id_not_exist")
	// The form now shows the success display; paying twice is refused.
	page := e.page(formURL(map[string]string{"method": "qr", "order_id": oid, "amount": "13.00"}))
	contains(t, page.text(), `data-testid="kpay-qr" data-status="paid"`, chargeID)
	r = e.post(testBase+"/qr-simulator", url.Values{"qr_id": {qr}, "action": {"pay"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.text(), "EMQRP") {
		t.Errorf("second pay: %d", r.status)
	}
	if e.hooks.count() != 1 {
		t.Errorf("%d webhooks", e.hooks.count())
	}
	// Cancel of a paid QR fails (§9.2 qr_paid).
	c := e.ok("POST", "/qr/v2/qr/"+qr+"/cancel", "")
	if c["status"] != "fail" || c["failure_code"] != "qr_paid" {
		t.Errorf("cancel paid: %v", c)
	}
}

func TestWeChatQR(t *testing.T) {
	e := newEnv(t, nil)
	o := e.order("wechat", "13.00")
	qr := e.showQR(o, "wechat")
	// A WeChat order is not a Thai QR order.
	if r := e.page(formURL(map[string]string{"method": "qr", "order_id": o["id"].(string), "amount": "13.00"})); r.status != 400 {
		t.Errorf("method mismatch: %d", r.status)
	}
	e.post(testBase+"/qr-simulator", url.Values{"qr_id": {qr}, "action": {"pay"}})
	hook := decodeJSON(t, e.hooks.wait(t, 1)[0])
	if hook["source"].(map[string]any)["brand"] != "WeChat" {
		t.Errorf("webhook %v", hook)
	}
	// Only Thai QR paid with K PLUS can be voided.
	v := e.ok("POST", "/qr/v2/qr/"+hook["id"].(string)+"/void", "")
	if v["status"] != "fail" || v["transaction_state"] != "Authorized" || !strings.Contains(v["failure_message"].(string), "EMQRVOTCH") {
		t.Errorf("void WeChat: %v", v)
	}
}

func TestQRExpires(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.QRExpiry = 10 * time.Minute })
	o := e.order("qr", "13.00")
	if o["expire_time_seconds"] != 600.0 {
		t.Errorf("expire_time_seconds %v", o["expire_time_seconds"])
	}
	qr := e.showQR(o, "qr")
	e.clock.Advance(10*time.Minute - time.Second)
	if st := e.qrStatus(o["id"].(string)); st["status"] != "pending" || st["expires_in"] != 1.0 {
		t.Errorf("just before: %v", st)
	}
	e.clock.Advance(time.Second)
	if st := e.qrStatus(o["id"].(string)); st["status"] != "expired" {
		t.Errorf("expired: %v", st)
	}
	wantError(t, e.api("GET", "/qr/v2/qr/"+o["id"].(string), ""), 404, "qr_expired")
	r := e.post(testBase+"/qr-simulator", url.Values{"qr_id": {qr}, "action": {"pay"}})
	if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.text(), "EMQRE") {
		t.Errorf("pay expired: %d", r.status)
	}
	page := e.page(formURL(map[string]string{"method": "qr", "order_id": o["id"].(string), "amount": "13.00"}))
	contains(t, page.text(), `data-testid="kpay-qr" data-status="expired"`)
	if c := e.ok("POST", "/qr/v2/qr/"+qr+"/cancel", ""); c["failure_code"] != "qr_expired" {
		t.Errorf("cancel expired: %v", c)
	}
	if e.hooks.count() != 0 {
		t.Error("webhook for an expired QR")
	}
}

func TestQRCancel(t *testing.T) {
	e := newEnv(t, nil)
	o := e.order("qr", "13.00")
	qr := e.showQR(o, "qr")
	wantError(t, e.api("POST", "/qr/v2/qr/qr_test_nope/cancel", ""), 404, "no_transaction_found")
	c := e.ok("POST", "/qr/v2/qr/"+qr+"/cancel", "")
	if c["id"] != qr || c["object"] != "qr" || c["status"] != "success" || c["failure_code"] != nil {
		t.Fatalf("cancel: %v", c)
	}
	if c := e.ok("POST", "/qr/v2/qr/"+qr+"/cancel", ""); c["status"] != "fail" || c["failure_code"] != "qr_cancelled" {
		t.Errorf("cancel twice: %v", c)
	}
	if st := e.qrStatus(o["id"].(string)); st["status"] != "cancelled" {
		t.Errorf("status %v", st)
	}
	wantError(t, e.api("GET", "/qr/v2/qr/"+o["id"].(string), ""), 404, "qr_cancelled")
	if r := e.post(testBase+"/qr-simulator", url.Values{"qr_id": {qr}, "action": {"pay"}}); !strings.Contains(r.text(), "EMQRC") {
		t.Error("paid a cancelled QR")
	}
}

func TestQRVoid(t *testing.T) {
	e := newEnv(t, nil)
	pay := func(app string) string {
		o := e.order("qr", "20")
		qr := e.showQR(o, "qr")
		e.post(testBase+"/qr-simulator", url.Values{"qr_id": {qr}, "action": {"pay"}, "app": {app}})
		return e.qrStatus(o["id"].(string))["charge_id"].(string)
	}
	wantError(t, e.api("POST", "/qr/v2/qr/chrg_test_nope/void", ""), 404, "no_transaction_found")
	other := pay("other")
	if v := e.ok("POST", "/qr/v2/qr/"+other+"/void", ""); v["status"] != "fail" || v["failure_code"] != "qr_void" || !strings.Contains(v["failure_message"].(string), "EMQRVOTCH") {
		t.Errorf("other bank: %v", v)
	}
	kplus := pay("kplus")
	v := e.ok("POST", "/qr/v2/qr/"+kplus+"/void", "")
	if v["transaction_state"] != "Voided" || v["status"] != "success" {
		t.Fatalf("void: %v", v)
	}
	if v := e.ok("POST", "/qr/v2/qr/"+kplus+"/void", ""); v["status"] != "fail" || !strings.Contains(v["failure_message"].(string), "EMQRV)") {
		t.Errorf("void twice: %v", v)
	}
	late := pay("kplus")
	e.clock.Advance(day)
	if v := e.ok("POST", "/qr/v2/qr/"+late+"/void", ""); v["status"] != "fail" || !strings.Contains(v["failure_message"].(string), "EMQRVOD") {
		t.Errorf("next day: %v", v)
	}
	if g := e.ok("GET", "/qr/v2/qr/"+late, ""); g["transaction_state"] != "Settled" {
		t.Errorf("settled: %v", g["transaction_state"])
	}
}

func TestQRStatusAuth(t *testing.T) {
	e := newEnv(t, nil)
	o := e.order("qr", "1")
	r := e.page(testBase + "/ui/v2/qr-status?order_id=" + o["id"].(string) + "&pkey=" + SandboxSecretKey)
	wantError(t, r, 401, "authentication_failure")
	r = e.page(testBase + "/ui/v2/qr-status?order_id=order_test_nope&pkey=" + SandboxPublicKey)
	wantError(t, r, 404, "invalid_order_id")
}
