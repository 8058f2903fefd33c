package tap

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestCreateRequiresSecretKey(t *testing.T) {
	e := newEnv(t, nil)
	for name, h := range map[string]map[string]string{
		"no header":    {},
		"wrong key":    {"Authorization": "Bearer sk_test_wrong"},
		"basic scheme": {"Authorization": "Basic " + testKey},
		"empty bearer": {"Authorization": "Bearer "},
		"publishable":  {"Authorization": "Bearer pk_test_EXAMPLEKEY0000000000"},
	} {
		t.Run(name, func(t *testing.T) {
			status, b, hdr := e.do(http.MethodPost, testBase+"/v2/charges", strings.NewReader(chargeBody("6", "")), h)
			if status != http.StatusUnauthorized {
				t.Fatalf("status %d, want 401: %s", status, b)
			}
			if ct := hdr.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
				t.Errorf("content-type %q", ct)
			}
			m := decode(t, b)
			if at(m, "http_code") != "401" || strings.Contains(string(b), testKey) {
				t.Errorf("body %s", b)
			}
			errs, _ := m["errors"].([]any)
			if len(errs) != 1 || at(errs[0].(map[string]any), "code") != "2104" {
				t.Errorf("errors = %v, want code 2104", m["errors"])
			}
		})
	}
	status, _, _ := e.do(http.MethodGet, testBase+"/v2/charges/chg_TS00A0020250301abcd1234567", nil, nil)
	if status != http.StatusUnauthorized {
		t.Errorf("retrieve without key: status %d, want 401", status)
	}
	if strings.Contains(e.logs.String(), testKey) {
		t.Error("secret key in logs")
	}
}

func TestCreateValidation(t *testing.T) {
	e := newEnv(t, nil)
	valid := chargeBody("6", "")
	tests := []struct {
		name, body, code string
	}{
		{"not JSON", `{"amount":`, "1100"},
		{"array", `[]`, "1100"},
		{"two objects", valid + valid, "1100"},
		{"currency as number", strings.Replace(valid, `"KWD"`, `414`, 1), "1100"},
		{"metadata not object", strings.Replace(valid, `{"udf1":"att_1","udf2":2}`, `"x"`, 1), "1125"},
		{"USD", strings.Replace(valid, `"KWD"`, `"USD"`, 1), "1106"},
		{"no currency", strings.Replace(valid, `"currency":"KWD",`, ``, 1), "1106"},
		{"amount zero", chargeBody("0", ""), "1105"},
		{"amount 0.000 string", chargeBody(`"0.000"`, ""), "1105"},
		{"amount negative", chargeBody("-1", ""), "1105"},
		{"amount four decimals", chargeBody("1.2345", ""), "1105"},
		{"amount exponent", chargeBody("1e3", ""), "1105"},
		{"amount words", chargeBody(`"six"`, ""), "1105"},
		{"amount bool", chargeBody(`true`, ""), "1105"},
		{"amount missing", strings.Replace(valid, `"amount":6,`, ``, 1), "1105"},
		{"source card", strings.Replace(valid, `src_kw.knet`, `src_card`, 1), "1108"},
		{"no source", strings.Replace(valid, `"source":{"id":"src_kw.knet"},`, ``, 1), "1108"},
		{"no redirect", strings.Replace(valid, `"redirect":{"url":"https://shop.example/return/tap/att_1?x=1"}`, `"redirect":{}`, 1), "1112"},
		{"relative redirect", strings.Replace(valid, `https://shop.example/return/tap/att_1?x=1`, `/return`, 1), "1112"},
		{"ftp redirect", strings.Replace(valid, `https://shop.example/return/tap/att_1?x=1`, `ftp://shop.example/r`, 1), "1112"},
		{"bad post url", chargeBody("6", "mailto:x@example.com"), "1113"},
		{"no customer", regexp.MustCompile(`"customer":\{.*?\}\},`).ReplaceAllString(valid, ``), "1120"},
		{"nameless customer", regexp.MustCompile(`"customer":\{.*?\}\},`).ReplaceAllString(valid, `"customer":{"last_name":"X"},`), "1121"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, b, _ := e.do(http.MethodPost, testBase+"/v2/charges", strings.NewReader(tt.body), auth())
			if status != http.StatusBadRequest {
				t.Fatalf("status %d, want 400: %s", status, b)
			}
			m := decode(t, b)
			if at(m, "http_code") != "400" {
				t.Errorf("http_code in %s", b)
			}
			errs, _ := m["errors"].([]any)
			if len(errs) != 1 || at(errs[0].(map[string]any), "code") != tt.code ||
				str(errs[0].(map[string]any), "description") == "" {
				t.Errorf("errors = %s, want one with code %s", b, tt.code)
			}
		})
	}
	t.Run("all errors listed", func(t *testing.T) {
		_, b, _ := e.do(http.MethodPost, testBase+"/v2/charges", strings.NewReader(`{"amount":0,"currency":"USD"}`), auth())
		errs, _ := decode(t, b)["errors"].([]any)
		if len(errs) != 5 { // amount, currency, source, redirect, customer
			t.Errorf("got %d errors, want 5: %s", len(errs), b)
		}
	})
	if len(e.sim.charges) != 0 {
		t.Errorf("%d charges created by invalid requests", len(e.sim.charges))
	}
}

func TestCreateCharge(t *testing.T) {
	e := newEnv(t, nil)
	c := e.create(chargeBody("6", "https://shop.example/webhooks/tap"), nil)
	nowMS := strconv.FormatInt(e.clock.Now().UnixMilli(), 10)

	if !regexp.MustCompile(`^chg_TS[0-9]{2}A[0-9]{2}20250301[A-Za-z0-9]{4}[0-9]{7}$`).MatchString(str(c, "id")) {
		t.Errorf("id %q is not Tap-shaped", str(c, "id"))
	}
	want := map[string]any{
		"object":                       "charge",
		"live_mode":                    false,
		"api_version":                  "V2",
		"method":                       "POST",
		"status":                       "INITIATED",
		"amount":                       json.Number("6"),
		"currency":                     "KWD",
		"description":                  "Order 1001",
		"statement_descriptor":         "Bawaba Shop",
		"metadata.udf1":                "att_1",
		"metadata.udf2":                json.Number("2"),
		"transaction.timezone":         "UTC+03:00",
		"transaction.created":          nowMS,
		"transaction.expiry.period":    json.Number("30"),
		"transaction.expiry.type":      "MINUTE",
		"transaction.amount":           json.Number("6"),
		"transaction.currency":         "KWD",
		"reference.transaction":        "txn_1001",
		"reference.order":              "ord_1001",
		"response.code":                "100",
		"response.message":             "Initiated",
		"customer.first_name":          "Fatima",
		"customer.email":               "fatima@example.com",
		"customer.phone.country_code":  "965",
		"customer.phone.number":        "51234567",
		"merchant.id":                  "1234567",
		"source.id":                    "src_kw.knet",
		"source.payment_method":        "KNET",
		"source.payment_type":          "DEBIT",
		"redirect.url":                 "https://shop.example/return/tap/att_1?x=1",
		"redirect.status":              "PENDING",
		"post.url":                     "https://shop.example/webhooks/tap",
		"post.status":                  "PENDING",
		"post.attempt":                 json.Number("0"),
		"transaction.authorization_id": nil,
		"reference.gateway":            nil,
		"reference.acquirer":           nil,
		"gateway":                      nil,
		"auto_reversed":                false,
		"customer_initiated":           true,
		"threeDSecure":                 true,
		"save_card":                    false,
		"transaction.asynchronous":     false,
		"receipt.email":                false,
		"source.object":                "source",
		"source.channel":               "INTERNET",
		"source.type":                  "CARD_NOT_PRESENT",
		"merchant.currency":            "KWD",
		"customer.last_name":           "Al-Sabah",
	}
	for path, v := range want {
		if got := at(c, path); got != v {
			t.Errorf("%s = %#v, want %#v", path, got, v)
		}
	}
	if !strings.HasPrefix(str(c, "transaction.url"), e.srv.URL+testBase+"/knet/pay?chg=") || token(t, c) == "" {
		t.Errorf("transaction.url = %q", str(c, "transaction.url"))
	}
	if !regexp.MustCompile(`^tck_TS`).MatchString(str(c, "reference.track")) ||
		!regexp.MustCompile(`^[0-9]{19}$`).MatchString(str(c, "reference.payment")) {
		t.Errorf("reference = %v", c["reference"])
	}
	if !strings.HasPrefix(str(c, "customer.id"), "cus_TS") {
		t.Errorf("customer.id = %q", str(c, "customer.id"))
	}
	acts, _ := c["activities"].([]any)
	if len(acts) != 1 {
		t.Fatalf("activities = %v", c["activities"])
	}
	a := acts[0].(map[string]any)
	if a["status"] != "INITIATED" || a["created"] != json.Number(nowMS) || a["remarks"] != "charge - created" ||
		a["amount"] != json.Number("6") || !strings.HasPrefix(str(a, "id"), "activity_TS") {
		t.Errorf("activity = %v", a)
	}
	if strings.Contains(str(c, "transaction.url"), testKey) {
		t.Error("secret key in transaction.url")
	}
}

func TestCreateAmountForms(t *testing.T) {
	e := newEnv(t, nil)
	for _, tt := range []struct{ in, json, page string }{
		{`6`, "6", "KD 6.000"},
		{`6.000`, "6", "KD 6.000"},
		{`"6.000"`, "6", "KD 6.000"},
		{`0.5`, "0.5", "KD 0.500"},
		{`"10.25"`, "10.25", "KD 10.250"},
		{`1.5000`, "1.5", "KD 1.500"},
		{`0.001`, "0.001", "KD 0.001"},
		{`"007.100"`, "7.1", "KD 7.100"},
	} {
		t.Run(tt.in, func(t *testing.T) {
			c := e.create(chargeBody(tt.in, ""), nil)
			if at(c, "amount") != json.Number(tt.json) || at(c, "transaction.amount") != json.Number(tt.json) {
				t.Errorf("amount = %v, want %s", at(c, "amount"), tt.json)
			}
			_, page, _ := e.do(http.MethodGet, e.pagePath(c), nil, nil)
			if !strings.Contains(string(page), tt.page) {
				t.Errorf("page does not show %q", tt.page)
			}
		})
	}
}

func TestCreateIdempotencyKey(t *testing.T) {
	e := newEnv(t, nil)
	first := e.create(chargeBody("6", ""), map[string]string{"Idempotency-Key": "8d6c2d2e-1"})
	again := e.create(chargeBody("9", ""), map[string]string{"Idempotency-Key": "8d6c2d2e-1"})
	other := e.create(chargeBody("6", ""), map[string]string{"Idempotency-Key": "8d6c2d2e-2"})
	none := e.create(chargeBody("6", ""), nil)
	if str(again, "id") != str(first, "id") || at(again, "amount") != json.Number("6") ||
		str(again, "transaction.url") != str(first, "transaction.url") {
		t.Errorf("same key: got %s, want %s", str(again, "id"), str(first, "id"))
	}
	if str(other, "id") == str(first, "id") || str(none, "id") == str(first, "id") {
		t.Error("a different or no key returned the same charge")
	}
	if len(e.sim.charges) != 3 {
		t.Errorf("%d charges, want 3", len(e.sim.charges))
	}
}

func TestRetrieveCharge(t *testing.T) {
	e := newEnv(t, nil)
	c := e.create(chargeBody("6", ""), nil)
	got := e.retrieve(str(c, "id"))
	if str(got, "id") != str(c, "id") || str(got, "status") != "INITIATED" || str(got, "method") != "GET" ||
		str(got, "transaction.created") != str(c, "transaction.created") {
		t.Errorf("retrieve = %v", got)
	}
	for _, tt := range []struct {
		id     string
		status int
		code   string
	}{
		{"chg_TS00A0020250301abcd1234567", http.StatusNotFound, "1249"},
		{"auth_TS00A0020250301abcd1234567", http.StatusNotFound, "1249"},
		{"chg_bad-id", http.StatusBadRequest, "1130"},
		{"tok_123", http.StatusBadRequest, "1130"},
		{"chg_" + strings.Repeat("a", 65), http.StatusBadRequest, "1130"},
	} {
		status, b, _ := e.do(http.MethodGet, testBase+"/v2/charges/"+tt.id, nil, auth())
		m := decode(t, b)
		errs, _ := m["errors"].([]any)
		if status != tt.status || len(errs) != 1 || at(errs[0].(map[string]any), "code") != tt.code ||
			at(m, "http_code") != strconv.Itoa(tt.status) {
			t.Errorf("GET %s: %d %s, want %d code %s", tt.id, status, b, tt.status, tt.code)
		}
	}
	status, b, _ := e.do(http.MethodDelete, testBase+"/v2/charges/"+str(c, "id"), nil, auth())
	if status != http.StatusNotFound || !strings.Contains(string(b), `"errors"`) {
		t.Errorf("DELETE: %d %s", status, b)
	}
}

func TestExpiredChargeIsAbandoned(t *testing.T) {
	h := newHook(t, ok200)
	e := newEnv(t, nil)
	c := e.create(chargeBody("6", h.srv.URL), map[string]string{"Idempotency-Key": "k1"})
	id := str(c, "id")
	created := e.clock.Now()

	e.clock.Advance(chargeExpiry - time.Second)
	if got := e.retrieve(id); str(got, "status") != "INITIATED" {
		t.Fatalf("before expiry: status %s", str(got, "status"))
	}

	e.clock.Advance(2 * time.Second)
	got := e.retrieve(id)
	if str(got, "status") != "ABANDONED" || str(got, "response.code") != "301" || str(got, "response.message") != "Abandoned" {
		t.Errorf("after expiry: status %s response %v", str(got, "status"), got["response"])
	}
	acts, _ := got["activities"].([]any)
	if len(acts) != 2 || at(acts[1].(map[string]any), "status") != "ABANDONED" ||
		at(acts[1].(map[string]any), "created") != json.Number(strconv.FormatInt(created.Add(chargeExpiry).UnixMilli(), 10)) {
		t.Errorf("activities = %v", got["activities"])
	}
	if again := e.create(chargeBody("6", h.srv.URL), map[string]string{"Idempotency-Key": "k1"}); str(again, "status") != "ABANDONED" {
		t.Errorf("idempotent replay: status %s", str(again, "status"))
	}

	status, page, _ := e.do(http.MethodGet, e.pagePath(c), nil, nil)
	if status != http.StatusGone || !strings.Contains(string(page), `data-status="ABANDONED"`) ||
		!strings.Contains(string(page), "Payment session expired") {
		t.Errorf("page: %d\n%s", status, page)
	}
	status, _, _ = e.pay(submitForm(token(t, c), "8888880000000001", "09", "2030"))
	if status != http.StatusGone {
		t.Errorf("pay after expiry: status %d, want 410", status)
	}
	if got := e.retrieve(id); str(got, "status") != "ABANDONED" || len(got["activities"].([]any)) != 2 {
		t.Errorf("pay after expiry changed the charge: %v", got)
	}
	h.none(t, e.sim)
}
