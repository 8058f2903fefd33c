package tap

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// captured returns the id of a CAPTURED charge of amount (raw JSON).
func (e *env) captured(amount string) string {
	e.t.Helper()
	c := e.create(chargeBody(amount, ""), nil)
	if status, b, _ := e.pay(submitForm(token(e.t, c), "8888880000000001", "09", "2030")); status != http.StatusSeeOther {
		e.t.Fatalf("pay: %d %s", status, b)
	}
	if got := e.retrieve(str(c, "id")); str(got, "status") != "CAPTURED" {
		e.t.Fatalf("charge not captured: %v", got)
	}
	return str(c, "id")
}

// refundBody is a valid refund body for chargeID; amount is raw JSON.
func refundBody(chargeID, amount, postURL string) string {
	post := ""
	if postURL != "" {
		post = `,"post":{"url":"` + postURL + `"}`
	}
	return `{"charge_id":"` + chargeID + `","amount":` + amount + `,"currency":"KWD",
	"description":"Refund for order 1001","reason":"requested_by_customer",
	"reference":{"merchant":"rf_1001"},"metadata":{"udf1":"att_1","udf2":2}` + post + `}`
}

// postRefund POSTs a refund body and returns the status and body.
func (e *env) postRefund(body string, header map[string]string) (int, []byte) {
	e.t.Helper()
	h := auth()
	for k, v := range header {
		h[k] = v
	}
	status, b, _ := e.do(http.MethodPost, testBase+"/v2/refunds", strings.NewReader(body), h)
	return status, b
}

// refund POSTs a refund that must succeed and returns it decoded.
func (e *env) refund(body string, header map[string]string) map[string]any {
	e.t.Helper()
	status, b := e.postRefund(body, header)
	if status != http.StatusOK {
		e.t.Fatalf("refund: status %d: %s", status, b)
	}
	return decode(e.t, b)
}

// refused POSTs a refund that must fail with one Tap error of code and
// returns that error's description.
func (e *env) refused(body, code string) string {
	e.t.Helper()
	status, b := e.postRefund(body, nil)
	if status != http.StatusBadRequest {
		e.t.Fatalf("status %d, want 400: %s", status, b)
	}
	m := decode(e.t, b)
	errs, _ := m["errors"].([]any)
	if at(m, "http_code") != "400" || len(errs) != 1 || at(errs[0].(map[string]any), "code") != code ||
		str(errs[0].(map[string]any), "description") == "" {
		e.t.Fatalf("errors = %s, want one with code %s", b, code)
	}
	return str(errs[0].(map[string]any), "description")
}

func TestRefundRequiresSecretKey(t *testing.T) {
	e := newEnv(t, nil)
	id := e.captured("6")
	for name, h := range map[string]map[string]string{
		"no header":   {},
		"wrong key":   {"Authorization": "Bearer sk_test_wrong"},
		"publishable": {"Authorization": "Bearer pk_test_EXAMPLEKEY0000000000"},
	} {
		t.Run(name, func(t *testing.T) {
			for _, req := range []struct{ method, path, body string }{
				{http.MethodPost, testBase + "/v2/refunds", refundBody(id, "1", "")},
				{http.MethodGet, testBase + "/v2/refunds/re_TS00A0020250301abcd1234567", ""},
			} {
				status, b, _ := e.do(req.method, req.path, strings.NewReader(req.body), h)
				m := decode(t, b)
				errs, _ := m["errors"].([]any)
				if status != http.StatusUnauthorized || at(m, "http_code") != "401" || len(errs) != 1 ||
					at(errs[0].(map[string]any), "code") != "2104" {
					t.Errorf("%s %s: %d %s, want 401 code 2104", req.method, req.path, status, b)
				}
			}
		})
	}
	if len(e.sim.refunds) != 0 {
		t.Errorf("%d refunds created without the key", len(e.sim.refunds))
	}
	if strings.Contains(e.logs.String(), testKey) {
		t.Error("secret key in logs")
	}
}

func TestRefundValidation(t *testing.T) {
	e := newEnv(t, nil)
	id := e.captured("6")
	initiated := str(e.create(chargeBody("6", ""), nil), "id")
	declinedCharge := e.create(chargeBody("6", ""), nil)
	e.pay(submitForm(token(t, declinedCharge), "8888880000000001", "05", "2021"))
	declined := str(declinedCharge, "id")

	valid := refundBody(id, "1", "")
	tests := []struct {
		name, body, code string
	}{
		{"not JSON", `{"charge_id":`, "1100"},
		{"array", `[]`, "1100"},
		{"two objects", valid + valid, "1100"},
		{"reason as number", strings.Replace(valid, `"requested_by_customer"`, `7`, 1), "1100"},
		{"metadata not object", strings.Replace(valid, `{"udf1":"att_1","udf2":2}`, `"x"`, 1), "1125"},
		{"no charge_id", strings.Replace(valid, `"charge_id":"`+id+`",`, ``, 1), "1130"},
		{"bad charge_id", refundBody("chg_../x", "1", ""), "1130"},
		{"re_ as charge_id", refundBody("re_TS00A0020250301abcd1234567", "1", ""), "1130"},
		{"amount zero", refundBody(id, "0", ""), "1140"},
		{"amount 0.000 string", refundBody(id, `"0.000"`, ""), "1140"},
		{"amount negative", refundBody(id, "-1", ""), "1140"},
		{"amount four decimals", refundBody(id, "1.0005", ""), "1140"},
		{"amount exponent", refundBody(id, "1e0", ""), "1140"},
		{"amount words", refundBody(id, `"one"`, ""), "1140"},
		{"amount bool", refundBody(id, "true", ""), "1140"},
		{"amount missing", strings.Replace(valid, `"amount":1,`, ``, 1), "1140"},
		{"no currency", strings.Replace(valid, `"currency":"KWD",`, ``, 1), "1141"},
		{"currency KW", strings.Replace(valid, `"KWD"`, `"KW"`, 1), "1141"},
		{"no reason", strings.Replace(valid, `"reason":"requested_by_customer",`, ``, 1), "1142"},
		{"blank reason", strings.Replace(valid, `"requested_by_customer"`, `"  "`, 1), "1142"},
		{"bad post url", refundBody(id, "1", "/relative"), "1113"},
		// Against the charge:
		{"unknown charge", refundBody("chg_TS00A0020250301abcd1234567", "1", ""), "1249"},
		{"initiated charge", refundBody(initiated, "1", ""), "1143"},
		{"declined charge", refundBody(declined, "1", ""), "1143"},
		{"USD for a KWD charge", strings.Replace(valid, `"KWD"`, `"USD"`, 1), "1144"},
		{"more than the charge", refundBody(id, "6.001", ""), "1145"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.refused(tt.body, tt.code)
		})
	}
	t.Run("USD amount with 3 decimals", func(t *testing.T) {
		// USD has 2 decimals: both the amount and the currency are wrong.
		_, b := e.postRefund(strings.Replace(refundBody(id, "1.005", ""), `"KWD"`, `"USD"`, 1), nil)
		if !strings.Contains(string(b), `"1140"`) || !strings.Contains(string(b), "2 decimals") {
			t.Errorf("body %s", b)
		}
	})
	t.Run("all body errors listed", func(t *testing.T) {
		_, b := e.postRefund(`{"amount":0,"currency":"K","post":{"url":"x"}}`, nil)
		errs, _ := decode(t, b)["errors"].([]any)
		if len(errs) != 5 { // charge_id, amount, currency, reason, post url
			t.Errorf("got %d errors, want 5: %s", len(errs), b)
		}
	})
	t.Run("not captured and currency listed together", func(t *testing.T) {
		_, b := e.postRefund(strings.Replace(refundBody(initiated, "1", ""), `"KWD"`, `"USD"`, 1), nil)
		if errs, _ := decode(t, b)["errors"].([]any); len(errs) != 2 {
			t.Errorf("got %d errors, want 2: %s", len(errs), b)
		}
	})
	if len(e.sim.refunds) != 0 {
		t.Errorf("%d refunds created by invalid requests", len(e.sim.refunds))
	}
	// Nothing was taken off the charge: the full amount is still refundable.
	e.refund(refundBody(id, "6", ""), nil)
}

func TestRefundFull(t *testing.T) {
	e := newEnv(t, nil)
	id := e.captured(`"6.000"`)
	before := e.retrieve(id)
	f := e.refund(strings.Replace(refundBody(id, `"6.000"`, ""), `"KWD"`, `"kwd"`, 1), nil)
	nowMS := strconv.FormatInt(e.clock.Now().UnixMilli(), 10)

	if !regexp.MustCompile(`^re_TS[0-9]{2}A[0-9]{2}20250301[A-Za-z0-9]{4}[0-9]{7}$`).MatchString(str(f, "id")) {
		t.Errorf("id %q is not Tap-shaped", str(f, "id"))
	}
	want := map[string]any{
		"object":             "refund",
		"api_version":        "V2",
		"live_mode":          false,
		"amount":             json.Number("6"),
		"currency":           "KWD",
		"charge_id":          id,
		"created":            nowMS,
		"status":             "REFUNDED",
		"response.code":      "000",
		"response.message":   "Refunded",
		"reason":             "requested_by_customer",
		"description":        "Refund for order 1001",
		"reference.merchant": "rf_1001",
		"metadata.udf1":      "att_1",
		"metadata.udf2":      json.Number("2"),
		"post":               nil,
		"redirect":           nil,
	}
	for path, v := range want {
		if got := at(f, path); got != v {
			t.Errorf("%s = %#v, want %#v", path, got, v)
		}
	}
	if !regexp.MustCompile(`^[0-9]{15}$`).MatchString(str(f, "reference.gateway")) {
		t.Errorf("reference.gateway = %q", str(f, "reference.gateway"))
	}

	// The charge is kept as it was: still CAPTURED, same amount, same activities.
	after := e.retrieve(id)
	if str(after, "status") != "CAPTURED" || at(after, "amount") != json.Number("6") ||
		len(after["activities"].([]any)) != len(before["activities"].([]any)) {
		t.Errorf("charge after full refund = %v", after)
	}
	if d := e.refused(refundBody(id, "0.001", ""), "1145"); !strings.Contains(d, "0.000 KWD") {
		t.Errorf("description %q does not say 0.000 KWD is left", d)
	}
}

func TestRefundPartials(t *testing.T) {
	e := newEnv(t, nil)
	id := e.captured("10.25")
	first := e.refund(refundBody(id, "4.1", ""), nil)
	second := e.refund(refundBody(id, `"5.000"`, ""), nil)
	if str(first, "id") == str(second, "id") || at(first, "amount") != json.Number("4.1") || at(second, "amount") != json.Number("5") {
		t.Errorf("refunds %v and %v", first, second)
	}
	if d := e.refused(refundBody(id, "1.151", ""), "1145"); !strings.Contains(d, "1.150 KWD") {
		t.Errorf("description %q does not say 1.150 KWD is left", d)
	}
	e.refund(refundBody(id, "1.15", ""), nil) // exactly what is left
	e.refused(refundBody(id, "0.001", ""), "1145")
	if len(e.sim.refunds) != 3 {
		t.Errorf("%d refunds, want 3", len(e.sim.refunds))
	}

	// Exact arithmetic: in float64, 0.1 + 0.2 > 0.3 would refuse the second.
	small := e.captured("0.3")
	e.refund(refundBody(small, "0.1", ""), nil)
	e.refund(refundBody(small, "0.2", ""), nil)
	e.refused(refundBody(small, "0.001", ""), "1145")
}

func TestRefundIdempotencyKey(t *testing.T) {
	e := newEnv(t, nil)
	id := e.captured("6")
	key := map[string]string{"Idempotency-Key": "0b7e-refund-1"}
	first := e.refund(refundBody(id, "4", ""), key)
	_, firstRaw := e.postRefund(refundBody(id, "4", ""), key)
	again := e.refund(refundBody(id, "1", ""), key) // another body: still the first refund
	if str(again, "id") != str(first, "id") || at(again, "amount") != json.Number("4") ||
		!bytes.Equal(firstRaw, e.sim.refunds[str(first, "id")].render()) {
		t.Errorf("same key: got %v, want %v", again, first)
	}
	if len(e.sim.refunds) != 1 {
		t.Fatalf("%d refunds, want 1", len(e.sim.refunds))
	}
	// Only 4 was taken: 2 is left.
	if d := e.refused(refundBody(id, "2.001", ""), "1145"); !strings.Contains(d, "2.000 KWD") {
		t.Errorf("description %q", d)
	}
	other := e.refund(refundBody(id, "2", ""), map[string]string{"Idempotency-Key": "0b7e-refund-2"})
	if str(other, "id") == str(first, "id") {
		t.Error("another key returned the same refund")
	}
	// The charge is now fully refunded, yet a replay still answers its refund.
	if replay := e.refund(refundBody(id, "4", ""), key); str(replay, "id") != str(first, "id") {
		t.Errorf("replay after full refund: %v", replay)
	}
	// A charge's key does not replay a refund, nor the reverse.
	c := e.create(chargeBody("6", ""), key)
	if str(c, "object") != "charge" {
		t.Errorf("charge with a refund's key: %v", c)
	}
	// A refused request does not bind its key.
	bad := map[string]string{"Idempotency-Key": "0b7e-refund-3"}
	if status, _ := e.postRefund(refundBody(id, "1", ""), bad); status != http.StatusBadRequest {
		t.Errorf("over-refund with a new key: %d", status)
	}
	if _, ok := e.sim.refundIdem["0b7e-refund-3"]; ok {
		t.Error("a refused refund bound its Idempotency-Key")
	}
}

func TestRetrieveRefund(t *testing.T) {
	e := newEnv(t, nil)
	id := e.captured("6")
	_, created := e.postRefund(refundBody(id, "1.5", ""), nil)
	rid := str(decode(t, created), "id")
	status, got, _ := e.do(http.MethodGet, testBase+"/v2/refunds/"+rid, nil, auth())
	if status != http.StatusOK || !bytes.Equal(got, created) {
		t.Errorf("GET %s: %d\n%s\nwant\n%s", rid, status, got, created)
	}
	for _, tt := range []struct {
		id     string
		status int
		code   string
	}{
		{"re_TS00A0020250301abcd1234567", http.StatusNotFound, "1250"},
		{id, http.StatusBadRequest, "1131"},
		{"re_bad-id", http.StatusBadRequest, "1131"},
		{"re_" + strings.Repeat("a", 65), http.StatusBadRequest, "1131"},
	} {
		status, b, _ := e.do(http.MethodGet, testBase+"/v2/refunds/"+tt.id, nil, auth())
		m := decode(t, b)
		errs, _ := m["errors"].([]any)
		if status != tt.status || len(errs) != 1 || at(errs[0].(map[string]any), "code") != tt.code ||
			at(m, "http_code") != strconv.Itoa(tt.status) {
			t.Errorf("GET %s: %d %s, want %d code %s", tt.id, status, b, tt.status, tt.code)
		}
	}
}

// verifyRefundHashstring checks a refund webhook's signature: the charge
// formula (spec §6) over the refund's fields, no payment reference.
func verifyRefundHashstring(t *testing.T, call hookCall, fixedAmount string) map[string]any {
	t.Helper()
	body := decode(t, call.body)
	msg := "x_id" + str(body, "id") + "x_amount" + fixedAmount + "x_currency" + str(body, "currency") +
		"x_gateway_reference" + str(body, "reference.gateway") + "x_payment_reference" +
		"x_status" + str(body, "status") + "x_created" + str(body, "created")
	mac := hmac.New(sha256.New, []byte(testKey))
	mac.Write([]byte(msg))
	if got, want := call.header.Get("hashstring"), hex.EncodeToString(mac.Sum(nil)); got != want {
		t.Errorf("hashstring = %q, want %q (over %q)", got, want, msg)
	}
	if ct := call.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("webhook content-type %q", ct)
	}
	return body
}

func TestRefundWebhook(t *testing.T) {
	h := newHook(t, func(attempt int) int {
		if attempt == 1 {
			return http.StatusInternalServerError
		}
		return http.StatusOK
	})
	e := newEnv(t, nil)
	id := e.captured("6")
	f := e.refund(refundBody(id, "0.5", h.srv.URL+"/refunds"), nil)
	if str(f, "post.url") != h.srv.URL+"/refunds" || str(f, "post.status") != "PENDING" || at(f, "post.attempt") != json.Number("0") {
		t.Errorf("post = %v", f["post"])
	}
	first := verifyRefundHashstring(t, h.next(t), "0.500")
	second := verifyRefundHashstring(t, h.next(t), "0.500")
	if str(first, "id") != str(f, "id") || str(first, "object") != "refund" || str(first, "status") != "REFUNDED" ||
		at(first, "amount") != json.Number("0.5") || at(first, "post.attempt") != json.Number("1") ||
		at(second, "post.attempt") != json.Number("2") {
		t.Errorf("webhooks %v then %v", first, second)
	}
	h.none(t, e.sim)
	eventually(t, "post.status SUCCESS", func() bool {
		_, b, _ := e.do(http.MethodGet, testBase+"/v2/refunds/"+str(f, "id"), nil, auth())
		got := decode(t, b)
		return str(got, "post.status") == "SUCCESS" && at(got, "post.attempt") == json.Number("2")
	})
	// The charge's own webhook (it had no post.url) is not sent.
	if str(e.retrieve(id), "status") != "CAPTURED" {
		t.Error("charge changed")
	}
}

func TestRefundWebhookFirst(t *testing.T) {
	h := newHook(t, ok200)
	e := newEnv(t, func(cfg *Config) { cfg.WebhookFirst = true })
	id := e.captured("6")
	f := e.refund(refundBody(id, "6", h.srv.URL), nil)
	select { // already delivered when the API call was answered
	case call := <-h.calls:
		if str(verifyRefundHashstring(t, call, "6.000"), "id") != str(f, "id") {
			t.Error("webhook of another refund")
		}
	default:
		t.Fatal("refund webhook not delivered before the answer")
	}
}

func TestAmountHelpers(t *testing.T) {
	for _, tt := range []struct {
		in       string
		decimals int
		want     string
		ok       bool
	}{
		{"1.25", 2, "1.25", true}, {"1.255", 2, "", false}, {"1.250", 2, "1.25", true},
		{"10", 0, "10", true}, {"10.0", 0, "10", true}, {"10.5", 0, "", false}, {"0.001", 3, "0.001", true},
	} {
		got, ok := parseDecimal(json.Number(tt.in), tt.decimals)
		if got != tt.want || ok != tt.ok {
			t.Errorf("parseDecimal(%s, %d) = %q, %v", tt.in, tt.decimals, got, ok)
		}
		if ok && minorUnits(got) != mustAtoi(t, strings.Replace(got, ".", "", 1)) {
			t.Errorf("minorUnits(%q)", got)
		}
	}
	if jsonAmount("10") != "10" || jsonAmount("10.500") != "10.5" {
		t.Error("jsonAmount")
	}
	if currencyDecimals("kwd") != 3 || currencyDecimals("BHD") != 3 || currencyDecimals("USD") != 2 {
		t.Error("currencyDecimals")
	}
}

func mustAtoi(t *testing.T, s string) int64 {
	t.Helper()
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
