package tap

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/money"
)

// TestHashstringVectors checks the spec §6 vectors V1–V3.
func TestHashstringVectors(t *testing.T) {
	tests := []struct {
		name                                                      string
		key, id, amount, currency, gwRef, payRef, status, created string
		canonical, want                                           string
	}{
		{
			name: "V1", key: "sk_test_secret", id: "chg_2", amount: "65.00", currency: "AED",
			gwRef: "g", payRef: "p", status: "CAPTURED", created: "1700000000",
			canonical: "x_idchg_2x_amount65.00x_currencyAEDx_gateway_referencegx_payment_referencepx_statusCAPTUREDx_created1700000000",
			want:      "f76d3bf45346f71785f8c2431da6cdba706b7ebcf0d96a19b82172754f014f84",
		},
		{
			name: "V2", key: "sk_test_secret", id: "chg_1", amount: "10.500", currency: "KWD",
			gwRef: "g1", payRef: "p1", status: "CAPTURED", created: "1700000000",
			canonical: "x_idchg_1x_amount10.500x_currencyKWDx_gateway_referenceg1x_payment_referencep1x_statusCAPTUREDx_created1700000000",
			want:      "ed5fb54d44f519731d467a58d7c7795616e05e15db3e9da7c2c2c97a3e6970f1",
		},
		{
			name: "V3", key: "sk_test_EXAMPLEKEY0000000000", id: "chg_TS05A1320231018Hy56070XXXX", amount: "0.500",
			currency: "KWD", gwRef: "202235421476242", payRef: "9720221916128348054", status: "CAPTURED",
			created:   "1671563769240",
			canonical: "x_idchg_TS05A1320231018Hy56070XXXXx_amount0.500x_currencyKWDx_gateway_reference202235421476242x_payment_reference9720221916128348054x_statusCAPTUREDx_created1671563769240",
			want:      "a44ea62f20d44ae74d0a14821ecd9897a3013fd16e168fcf55548863f34ededd",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := canonical(tt.id, tt.amount, tt.currency, tt.gwRef, tt.payRef, tt.status, tt.created); got != tt.canonical {
				t.Errorf("canonical = %q, want %q", got, tt.canonical)
			}
			if got := hashString(tt.key, tt.id, tt.amount, tt.currency, tt.gwRef, tt.payRef, tt.status, tt.created); got != tt.want {
				t.Errorf("hashString = %s, want %s", got, tt.want)
			}
		})
	}
}

// TestHashstringSeedCharge: V3 is the seed's charge, whose JSON amount is 0.5; the webhook
// verification must format it to 0.500 (KWD) before hashing.
func TestHashstringSeedCharge(t *testing.T) {
	c, err := decodeCharge([]byte(seedCharge().JSON()))
	if err != nil {
		t.Fatal(err)
	}
	g := New(Config{SecretKey: "sk_test_EXAMPLEKEY0000000000"})
	if !g.verifyHash(c, "a44ea62f20d44ae74d0a14821ecd9897a3013fd16e168fcf55548863f34ededd") {
		t.Error("V3 does not verify against the seed charge")
	}
}

func TestNameSupports(t *testing.T) {
	g := New(Config{})
	if g.Name() != "tap" {
		t.Errorf("Name() = %q", g.Name())
	}
	tests := []struct {
		method, currency string
		want             bool
	}{
		{"knet", "KWD", true},
		{"knet", "BHD", false},
		{"knet", "kwd", false},
		{"card", "KWD", false},
		{"", "KWD", false},
	}
	for _, tt := range tests {
		if got := g.Supports(tt.method, tt.currency); got != tt.want {
			t.Errorf("Supports(%q, %q) = %v, want %v", tt.method, tt.currency, got, tt.want)
		}
	}
}

func testAttempt() gateway.Attempt {
	return gateway.Attempt{
		ID:          "att_01HXYZ",
		OrderID:     "ord_01HABC",
		Reference:   "INV-1001",
		Method:      gateway.MethodKNET,
		Amount:      money.MustParse("6", "KWD"),
		Description: "Order INV-1001 & more",
		Customer:    gateway.Customer{Name: "  Fatima  Al Sabah ", Email: "fatima@example.com", Phone: "+965 5123-4567"},
		Locale:      "ar",
		ReturnURL:   "https://pay.example/return/tap/att_01HXYZ",
		WebhookURL:  "https://pay.example/webhooks/tap",
	}
}

func initiated(id string) string {
	return testCharge{ID: id, Live: boolPtr(false), Status: "INITIATED", Amount: "6", Currency: "KWD",
		Created: `"1671563769240"`, URL: "https://sandbox.payments.tap.company/test_gosell/v2/payment/tap_process.aspx?chg=d6aP%2fzEY%3d",
		Transaction: "att_01HXYZ", Order: "att_01HXYZ", Code: "100", Message: "Initiated"}.JSON()
}

func TestStartRequest(t *testing.T) {
	f := newFakeTap(t)
	f.createBody = initiated("chg_TS05A1320231018Hy56070XXXX")
	g := f.gateway(false)
	st, err := g.Start(context.Background(), testAttempt())
	if err != nil {
		t.Fatal(err)
	}
	wantURL := "https://sandbox.payments.tap.company/test_gosell/v2/payment/tap_process.aspx?chg=d6aP%2fzEY%3d"
	if st.Action.Kind != gateway.ActionRedirect || st.Action.URL != wantURL {
		t.Errorf("Action = %+v", st.Action)
	}
	if st.PaymentID != "chg_TS05A1320231018Hy56070XXXX" || st.Result != nil {
		t.Errorf("Started = %+v", st)
	}

	r := f.last()
	if r.Method != http.MethodPost || r.Path != "/sandbox/tap/v2/charges" {
		t.Errorf("request = %s %s", r.Method, r.Path)
	}
	for h, want := range map[string]string{
		"Authorization":   "Bearer " + testKey,
		"Content-Type":    "application/json",
		"Accept":          "application/json",
		"Idempotency-Key": "att_01HXYZ",
		"Lang_code":       "ar",
	} {
		if got := r.Header.Get(h); got != want {
			t.Errorf("header %s = %q, want %q", h, got, want)
		}
	}
	if !bytes.Contains(r.Body, []byte(`"amount":6.000,`)) {
		t.Errorf("amount is not the literal 6.000: %s", r.Body)
	}
	d := json.NewDecoder(bytes.NewReader(r.Body))
	d.UseNumber()
	var body map[string]any
	if err := d.Decode(&body); err != nil {
		t.Fatal(err)
	}
	get := func(path string) any {
		var v any = body
		for _, k := range strings.Split(path, ".") {
			m, ok := v.(map[string]any)
			if !ok {
				return nil
			}
			v = m[k]
		}
		return v
	}
	want := map[string]any{
		"amount":                      json.Number("6.000"),
		"currency":                    "KWD",
		"customer_initiated":          true,
		"threeDSecure":                true,
		"save_card":                   false,
		"description":                 "Order INV-1001 & more",
		"reference.transaction":       "att_01HXYZ",
		"reference.order":             "att_01HXYZ",
		"metadata.udf1":               "INV-1001",
		"metadata.udf2":               "ord_01HABC",
		"customer.first_name":         "Fatima",
		"customer.last_name":          "Al Sabah",
		"customer.email":              "fatima@example.com",
		"customer.phone.country_code": "965",
		"customer.phone.number":       "51234567",
		"source.id":                   "src_kw.knet",
		"post.url":                    "https://pay.example/webhooks/tap",
		"redirect.url":                "https://pay.example/return/tap/att_01HXYZ",
	}
	for path, w := range want {
		if got := get(path); got != w {
			t.Errorf("body %s = %#v, want %#v", path, got, w)
		}
	}
	if len(body) != 12 {
		t.Errorf("body has %d top-level fields, want 12: %s", len(body), r.Body)
	}
	if bytes.Contains(r.Body, []byte(testKey)) {
		t.Error("the secret key is in the body")
	}
}

func TestStartLangAndCustomerDefaults(t *testing.T) {
	f := newFakeTap(t)
	f.createBody = initiated("chg_1")
	a := testAttempt()
	a.Locale = "en"
	a.Customer = gateway.Customer{}
	a.Amount = money.MustParse("1.5", "KWD")
	if _, err := f.gateway(false).Start(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	r := f.last()
	if got := r.Header.Get("lang_code"); got != "en" {
		t.Errorf("lang_code = %q", got)
	}
	if !bytes.Contains(r.Body, []byte(`"amount":1.500,`)) {
		t.Errorf("amount: %s", r.Body)
	}
	if !bytes.Contains(r.Body, []byte(`"customer":{"first_name":"Customer"}`)) {
		t.Errorf("customer: %s", r.Body)
	}
}

func TestStartRefusesBadAttempt(t *testing.T) {
	f := newFakeTap(t)
	f.createBody = initiated("chg_1")
	tests := map[string]func(*gateway.Attempt){
		"not KWD":       func(a *gateway.Attempt) { a.Amount = money.MustParse("6.00", "USD") },
		"no amount":     func(a *gateway.Attempt) { a.Amount = money.Amount{} },
		"no return URL": func(a *gateway.Attempt) { a.ReturnURL = "" },
		"no attempt id": func(a *gateway.Attempt) { a.ID = "" },
	}
	for name, mod := range tests {
		t.Run(name, func(t *testing.T) {
			a := testAttempt()
			mod(&a)
			if _, err := f.gateway(false).Start(context.Background(), a); !errors.Is(err, gateway.ErrRejected) {
				t.Errorf("err = %v, want ErrRejected", err)
			}
		})
	}
	if n := f.count(http.MethodPost); n != 0 {
		t.Errorf("%d charges created", n)
	}
}

func TestStartResponses(t *testing.T) {
	base := testCharge{ID: "chg_abc123", Live: boolPtr(false), Status: "INITIATED", Amount: "6", Currency: "KWD",
		URL: "https://knet.example/pay?x=1", Created: `"1671563769240"`, Transaction: "att_01HXYZ", Code: "100", Message: "Initiated"}
	mod := func(f func(*testCharge)) string { c := base; f(&c); return c.JSON() }
	tests := []struct {
		name       string
		status     int
		body       string
		wantErr    error
		wantKind   gateway.ActionKind
		wantResult gateway.Status
	}{
		{name: "initiated", body: base.JSON(), wantKind: gateway.ActionRedirect},
		{name: "initiated no url", body: mod(func(c *testCharge) { c.URL = "" }), wantErr: gateway.ErrUnavailable},
		{name: "initiated relative url", body: mod(func(c *testCharge) { c.URL = "/pay?x=1" }), wantErr: gateway.ErrUnavailable},
		{name: "initiated javascript url", body: mod(func(c *testCharge) { c.URL = "javascript:alert(1)" }), wantErr: gateway.ErrUnavailable},
		{name: "malformed id", body: mod(func(c *testCharge) { c.ID = "chg_../../x" }), wantErr: gateway.ErrUnavailable},
		{name: "declined at once", body: mod(func(c *testCharge) { c.Status, c.URL, c.Code = "DECLINED", "", "501" }),
			wantKind: gateway.ActionWait, wantResult: gateway.StatusFailed},
		{name: "in progress", body: mod(func(c *testCharge) { c.Status = "IN_PROGRESS" }),
			wantKind: gateway.ActionRedirect, wantResult: gateway.StatusPending},
		{name: "live charge in test", body: mod(func(c *testCharge) { c.Live = boolPtr(true) }), wantErr: gateway.ErrBadRequest},
		{name: "not json", body: `<html>oops</html>`, wantErr: gateway.ErrUnavailable},
		{name: "errors with 200", body: `{"errors":[{"code":"1102","description":"Source id is invalid"}]}`, wantErr: gateway.ErrRejected},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeTap(t)
			f.createBody = tt.body
			st, err := f.gateway(false).Start(context.Background(), testAttempt())
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if st.Action.Kind != tt.wantKind || st.PaymentID == "" {
				t.Errorf("Started = %+v", st)
			}
			if tt.wantKind == gateway.ActionRedirect && st.Action.URL != "https://knet.example/pay?x=1" {
				t.Errorf("URL = %q", st.Action.URL)
			}
			if tt.wantResult == "" {
				if st.Result != nil {
					t.Errorf("Result = %+v, want none", st.Result)
				}
			} else if st.Result == nil || st.Result.Status != tt.wantResult {
				t.Errorf("Result = %+v, want %s", st.Result, tt.wantResult)
			}
		})
	}
}

func TestErrorMapping(t *testing.T) {
	tests := []struct {
		status  int
		body    string
		want    error
		wantMsg string
	}{
		{400, `{"errors":[{"code":"1216","description":"Agreement id is missing"}],"http_code":"400"}`, gateway.ErrRejected, "1216 Agreement id is missing"},
		{401, `{"errors":[{"code":"2107","description":"Invalid API key"}]}`, gateway.ErrRejected, "HTTP 401"},
		{402, `{"errors":[{"code":1117,"description":"Request failed"}]}`, gateway.ErrRejected, "1117 Request failed"},
		{403, ``, gateway.ErrRejected, "HTTP 403"},
		{404, `not json`, gateway.ErrRejected, "HTTP 404"},
		{409, `{}`, gateway.ErrRejected, "HTTP 409"},
		{429, `{}`, gateway.ErrUnavailable, "HTTP 429"},
		{500, `{"errors":[{"code":"0","description":"Internal error"}]}`, gateway.ErrUnavailable, "HTTP 500"},
		{502, `<html>`, gateway.ErrUnavailable, "HTTP 502"},
		{503, ``, gateway.ErrUnavailable, "HTTP 503"},
		{504, ``, gateway.ErrUnavailable, "HTTP 504"},
		// Tap echoing the key must not leak it into our errors.
		{400, `{"errors":[{"code":"1","description":"bad key ` + testKey + `"}]}`, gateway.ErrRejected, "[redacted]"},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			f := newFakeTap(t)
			f.createStatus, f.createBody = tt.status, tt.body
			f.getStatus, f.getBody = tt.status, tt.body
			g := f.gateway(false)
			_, err := g.Start(context.Background(), testAttempt())
			checkErr(t, "Start", err, tt.want, tt.wantMsg)
			a := testAttempt()
			a.PaymentID = "chg_abc"
			_, err = g.Inquire(context.Background(), a)
			checkErr(t, "Inquire", err, tt.want, tt.wantMsg)
		})
	}

	t.Run("wrong key", func(t *testing.T) {
		f := newFakeTap(t)
		g := New(Config{BaseURL: f.srv.URL + "/sandbox/tap", SecretKey: "sk_test_wrong", HTTPClient: f.srv.Client()})
		_, err := g.Start(context.Background(), testAttempt())
		checkErr(t, "Start", err, gateway.ErrRejected, "2107 Invalid API key")
		if strings.Contains(err.Error(), "sk_test_wrong") {
			t.Error("the key is in the error")
		}
	})

	t.Run("network", func(t *testing.T) {
		f := newFakeTap(t)
		g := f.gateway(false)
		f.srv.Close()
		_, err := g.Start(context.Background(), testAttempt())
		checkErr(t, "Start", err, gateway.ErrUnavailable, "")
		a := testAttempt()
		a.PaymentID = "chg_abc"
		_, err = g.Inquire(context.Background(), a)
		checkErr(t, "Inquire", err, gateway.ErrUnavailable, "")
	})
}

func checkErr(t *testing.T, what string, err, want error, msg string) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("%s: err = %v, want %v", what, err, want)
	}
	if !strings.Contains(err.Error(), msg) {
		t.Errorf("%s: err = %q, want it to contain %q", what, err, msg)
	}
	if strings.Contains(err.Error(), testKey) {
		t.Errorf("%s: the secret key is in the error: %q", what, err)
	}
}

func TestStatusMapping(t *testing.T) {
	tests := []struct {
		status, code, gwMessage string
		want                    gateway.Status
		reason                  string
	}{
		{"CAPTURED", "000", "CAPTURED", gateway.StatusPaid, ""},
		{"AUTHORIZED", "001", "", gateway.StatusAuthorized, ""},
		{"INITIATED", "100", "", gateway.StatusPending, ""},
		{"IN_PROGRESS", "200", "", gateway.StatusPending, ""},
		{"ABANDONED", "301", "", gateway.StatusExpired, ""},
		{"EXPIRED", "304", "", gateway.StatusExpired, ""},
		{"CANCELLED", "302", "", gateway.StatusCancelled, gateway.ReasonCancelled},
		{"CANCELED", "302", "", gateway.StatusCancelled, gateway.ReasonCancelled},
		{"DEFERRED", "303", "", gateway.StatusUnknown, ""},
		{"DECLINED", "501", "NOT CAPTURED", gateway.StatusFailed, gateway.ReasonDeclined},
		{"DECLINED", "507", "NOT CAPTURED", gateway.StatusFailed, gateway.ReasonDeclined},
		{"DECLINED", "505", "", gateway.StatusFailed, gateway.ReasonInsufficient},
		{"DECLINED", "508", "", gateway.StatusFailed, gateway.ReasonTimeout},
		{"DECLINED", "514", "", gateway.StatusFailed, gateway.ReasonRisk},
		{"DECLINED", "513", "", gateway.StatusFailed, gateway.ReasonGatewayError},
		{"DECLINED", "", "", gateway.StatusFailed, gateway.ReasonDeclined},
		{"FAILED", "401", "", gateway.StatusFailed, gateway.ReasonDeclined},
		{"FAILED", "402", "", gateway.StatusFailed, gateway.ReasonGatewayError},
		{"FAILED", "406", "", gateway.StatusFailed, gateway.ReasonCardExpired},
		{"FAILED", "407", "", gateway.StatusFailed, gateway.ReasonCardExpired},
		{"FAILED", "408", "", gateway.StatusFailed, gateway.ReasonDeclined},
		{"RESTRICTED", "701", "", gateway.StatusFailed, gateway.ReasonRisk},
		{"RESTRICTED", "702", "", gateway.StatusFailed, gateway.ReasonRisk},
		{"VOID", "601", "", gateway.StatusVoided, ""},
		{"TIMEDOUT", "801", "", gateway.StatusUnknown, ""},
		{"UNKNOWN", "901", "", gateway.StatusUnknown, ""},
		{"SETTLED_SOMEDAY", "999", "", gateway.StatusUnknown, ""},
		{"", "", "", gateway.StatusUnknown, ""},
	}
	for _, tt := range tests {
		t.Run(tt.status+"_"+tt.code, func(t *testing.T) {
			f := newFakeTap(t)
			c := seedCharge()
			c.Status, c.Code, c.GwMessage = tt.status, tt.code, tt.gwMessage
			f.store(c)
			a := testAttempt()
			a.PaymentID = c.ID
			res, err := f.gateway(false).Inquire(context.Background(), a)
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != tt.want || res.Reason != tt.reason {
				t.Errorf("got %s/%q, want %s/%q", res.Status, res.Reason, tt.want, tt.reason)
			}
		})
	}
}

func TestResultFields(t *testing.T) {
	f := newFakeTap(t)
	c := seedCharge()
	f.store(c)
	a := testAttempt()
	a.PaymentID = c.ID
	res, err := f.gateway(false).Inquire(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	if r := f.last(); r.Method != http.MethodGet || r.Path != "/sandbox/tap/v2/charges/"+c.ID || r.Header.Get("Authorization") != "Bearer "+testKey {
		t.Errorf("request = %s %s", r.Method, r.Path)
	}
	want := gateway.Result{
		Status:         gateway.StatusPaid,
		PaymentID:      "chg_TS05A1320231018Hy56070XXXX",
		TransactionID:  "9720221916128348054",
		AuthCode:       "B63465",
		Reference:      "235410001666",
		TrackID:        "tck_TS010920221916Hr112012834",
		OurReference:   "txn_0001",
		GatewayCode:    "000",
		GatewayMessage: "Captured / CAPTURED",
		At:             time.UnixMilli(1671563769240).UTC(),
	}
	if !equalResult(res, want) {
		t.Errorf("Result =\n%+v\nwant\n%+v", res, want)
	}
	if !res.Amount.Equal(money.MustParse("0.500", "KWD")) || res.Amount.String() != "0.500" {
		t.Errorf("Amount = %v", res.Amount)
	}
	if string(res.Raw) != c.JSON() {
		t.Errorf("Raw = %s", res.Raw)
	}
}

func equalResult(a, b gateway.Result) bool {
	return a.Status == b.Status && a.PaymentID == b.PaymentID && a.TransactionID == b.TransactionID &&
		a.AuthCode == b.AuthCode && a.Reference == b.Reference && a.TrackID == b.TrackID &&
		a.OurReference == b.OurReference && a.Reason == b.Reason && a.GatewayCode == b.GatewayCode &&
		a.GatewayMessage == b.GatewayMessage && a.At.Equal(b.At)
}

func TestResultEdges(t *testing.T) {
	tests := []struct {
		name       string
		mod        func(*testCharge)
		wantAmount string // "" = zero Amount
		wantRef    string
		wantAt     time.Time
	}{
		{"gateway ref when no acquirer", func(c *testCharge) { c.Acquirer = "" }, "0.500", "202235421476242", time.UnixMilli(1671563769240).UTC()},
		{"created as number", func(c *testCharge) { c.Created = "1671563769240" }, "0.500", "235410001666", time.UnixMilli(1671563769240).UTC()},
		{"no created", func(c *testCharge) { c.Created = "" }, "0.500", "235410001666", time.Time{}},
		{"amount with too many decimals", func(c *testCharge) { c.Amount = "0.5001" }, "", "235410001666", time.UnixMilli(1671563769240).UTC()},
		{"no amount", func(c *testCharge) { c.Amount = "" }, "", "235410001666", time.UnixMilli(1671563769240).UTC()},
		{"amount as string", func(c *testCharge) { c.Amount = `"12.25"` }, "12.250", "235410001666", time.UnixMilli(1671563769240).UTC()},
		{"unknown currency", func(c *testCharge) { c.Currency = "XYZ" }, "", "235410001666", time.UnixMilli(1671563769240).UTC()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeTap(t)
			c := seedCharge()
			tt.mod(&c)
			f.store(c)
			a := testAttempt()
			a.PaymentID = c.ID
			res, err := f.gateway(false).Inquire(context.Background(), a)
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantAmount == "" {
				if res.Amount.Currency().Code != "" {
					t.Errorf("Amount = %v %s, want the zero Amount", res.Amount, res.Amount.Currency().Code)
				}
			} else if res.Amount.String() != tt.wantAmount || res.Amount.Currency().Code != "KWD" {
				t.Errorf("Amount = %v", res.Amount)
			}
			if res.Reference != tt.wantRef || !res.At.Equal(tt.wantAt) {
				t.Errorf("Reference = %q, At = %v", res.Reference, res.At)
			}
		})
	}
}

func TestReturn(t *testing.T) {
	const id = "chg_TS05A1320231018Hy56070XXXX"
	bad := []struct {
		name      string
		paymentID string
		query     url.Values
	}{
		{"mismatched tap_id", id, url.Values{"tap_id": {"chg_other123"}}},
		{"missing tap_id", id, url.Values{"tap_status": {"CAPTURED"}}},
		{"empty tap_id", id, url.Values{"tap_id": {""}}},
		{"no payment id yet", "", url.Values{"tap_id": {id}}},
		{"malformed id", "chg_../../v2/refunds", url.Values{"tap_id": {"chg_../../v2/refunds"}}},
		{"auth id too long", "auth_" + strings.Repeat("a", 65), url.Values{"tap_id": {"auth_" + strings.Repeat("a", 65)}}},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeTap(t)
			f.store(seedCharge())
			a := testAttempt()
			a.PaymentID = tt.paymentID
			_, err := f.gateway(false).Return(context.Background(), a, tt.query)
			if !errors.Is(err, gateway.ErrBadRequest) {
				t.Errorf("err = %v, want ErrBadRequest", err)
			}
			if n := f.count(http.MethodGet); n != 0 {
				t.Errorf("%d GETs, want none", n)
			}
		})
	}

	t.Run("query status ignored", func(t *testing.T) {
		f := newFakeTap(t)
		c := seedCharge()
		c.Status, c.Code, c.Message, c.GwMessage = "DECLINED", "507", "Declined, Card Issuer", "NOT CAPTURED"
		f.store(c)
		a := testAttempt()
		a.PaymentID = id
		res, err := f.gateway(false).Return(context.Background(), a, url.Values{"tap_id": {id}, "tap_status": {"CAPTURED"}})
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != gateway.StatusFailed || res.Reason != gateway.ReasonDeclined {
			t.Errorf("Result = %s/%s", res.Status, res.Reason)
		}
		if res.GatewayMessage != "Declined, Card Issuer / NOT CAPTURED" {
			t.Errorf("GatewayMessage = %q", res.GatewayMessage)
		}
		if n := f.count(http.MethodGet); n != 1 {
			t.Errorf("%d GETs, want 1", n)
		}
	})

	t.Run("charge not found", func(t *testing.T) {
		f := newFakeTap(t)
		a := testAttempt()
		a.PaymentID = "chg_missing1"
		_, err := f.gateway(false).Return(context.Background(), a, url.Values{"tap_id": {"chg_missing1"}})
		if !errors.Is(err, gateway.ErrRejected) {
			t.Errorf("err = %v", err)
		}
	})

	t.Run("Tap answers another charge", func(t *testing.T) {
		f := newFakeTap(t)
		f.getStatus, f.getBody = http.StatusOK, seedCharge().JSON()
		a := testAttempt()
		a.PaymentID = "chg_other123"
		_, err := f.gateway(false).Return(context.Background(), a, url.Values{"tap_id": {"chg_other123"}})
		if !errors.Is(err, gateway.ErrUnavailable) {
			t.Errorf("err = %v", err)
		}
	})
}

func TestInquireWithoutPaymentID(t *testing.T) {
	f := newFakeTap(t)
	res, err := f.gateway(false).Inquire(context.Background(), testAttempt())
	if err != nil || res.Status != gateway.StatusUnknown {
		t.Errorf("Inquire = %+v, %v", res, err)
	}
	if n := f.count(http.MethodGet); n != 0 {
		t.Errorf("%d GETs", n)
	}
	a := testAttempt()
	a.PaymentID = "chg_bad/../x"
	if _, err := f.gateway(false).Inquire(context.Background(), a); !errors.Is(err, gateway.ErrBadRequest) {
		t.Errorf("err = %v", err)
	}
}

// signed returns the hashstring of the posted charge c with the given amount text.
func signed(key string, c testCharge, amount string) string {
	created := strings.Trim(c.Created, `"`)
	return hashString(key, c.ID, amount, c.Currency, c.GatewayRef, c.Payment, c.Status, created)
}

func TestWebhook(t *testing.T) {
	posted := seedCharge() // body says CAPTURED, amount 0.5
	body := []byte(posted.JSON())
	good := signed(testKey, posted, "0.500")

	// What Tap's API says when asked: DECLINED, for our attempt.
	fetched := seedCharge()
	fetched.Status, fetched.Code, fetched.Message, fetched.GwMessage = "DECLINED", "505", "Declined, Insufficient Funds", "NOT CAPTURED"
	fetched.Transaction = "att_01HXYZ"

	hdr := func(kv ...string) http.Header {
		h := http.Header{}
		for i := 0; i < len(kv); i += 2 {
			h[kv[i]] = []string{kv[i+1]} // as received, possibly non-canonical
		}
		return h
	}
	tests := []struct {
		name    string
		header  http.Header
		body    []byte
		wantErr error
	}{
		{"missing signature", hdr("Content-Type", "application/json"), body, gateway.ErrSignature},
		{"empty signature", hdr("Hashstring", ""), body, gateway.ErrSignature},
		{"wrong signature", hdr("Hashstring", strings.Repeat("ab", 32)), body, gateway.ErrSignature},
		{"other key", hdr("Hashstring", signed("sk_test_other", posted, "0.500")), body, gateway.ErrSignature},
		{"only the hash header", hdr("Hash", good), body, gateway.ErrSignature},
		{"tampered status", hdr("Hashstring", good), []byte(strings.Replace(string(body), `"status":"CAPTURED"`, `"status":"CAPTURED "`, 1)), gateway.ErrSignature},
		{"tampered amount", hdr("Hashstring", good), []byte(strings.Replace(string(body), `"amount":0.5,`, `"amount":5,`, 1)), gateway.ErrSignature},
		{"truncated signature", hdr("Hashstring", good[:63]), body, gateway.ErrSignature},
		{"not json", hdr("Hashstring", good), []byte("tap_id=chg_1"), gateway.ErrBadRequest},
		{"good, formatted amount", hdr("Hashstring", good), body, nil},
		{"good, raw literal amount", hdr("Hashstring", signed(testKey, posted, "0.5")), body, nil},
		{"good, upper case", hdr("Hashstring", strings.ToUpper(good)), body, nil},
		{"good, lower-case header key", hdr("hashstring", good), body, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeTap(t)
			f.store(fetched)
			notes, err := f.gateway(false).Webhook(context.Background(), gateway.WebhookRequest{Header: tt.header, Body: tt.body})
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Errorf("err = %v, want %v", err, tt.wantErr)
				}
				if n := f.count(http.MethodGet); n != 0 {
					t.Errorf("%d GETs, want none", n)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if n := f.count(http.MethodGet); n != 1 {
				t.Errorf("%d GETs, want 1", n)
			}
			if r := f.last(); r.Path != "/sandbox/tap/v2/charges/"+posted.ID {
				t.Errorf("GET %s", r.Path)
			}
			if len(notes) != 1 {
				t.Fatalf("%d notifications", len(notes))
			}
			n := notes[0]
			if n.Ref.PaymentID != posted.ID || n.Ref.AttemptID != "att_01HXYZ" {
				t.Errorf("Ref = %+v", n.Ref)
			}
			// The re-fetched charge wins over the posted body.
			if n.Result.Status != gateway.StatusFailed || n.Result.Reason != gateway.ReasonInsufficient {
				t.Errorf("Result = %s/%s, want failed/insufficient", n.Result.Status, n.Result.Reason)
			}
			if string(n.Result.Raw) != fetched.JSON() {
				t.Errorf("Raw is not the fetched charge")
			}
		})
	}

	t.Run("signed but malformed id", func(t *testing.T) {
		f := newFakeTap(t)
		c := seedCharge()
		c.ID = "chg_../refunds"
		h := hdr("Hashstring", signed(testKey, c, "0.500"))
		_, err := f.gateway(false).Webhook(context.Background(), gateway.WebhookRequest{Header: h, Body: []byte(c.JSON())})
		if !errors.Is(err, gateway.ErrBadRequest) {
			t.Errorf("err = %v", err)
		}
		if n := f.count(http.MethodGet); n != 0 {
			t.Errorf("%d GETs", n)
		}
	})

	t.Run("signed, Tap unreachable", func(t *testing.T) {
		f := newFakeTap(t)
		f.getStatus, f.getBody = http.StatusServiceUnavailable, ``
		_, err := f.gateway(false).Webhook(context.Background(), gateway.WebhookRequest{Header: hdr("Hashstring", good), Body: body})
		if !errors.Is(err, gateway.ErrUnavailable) {
			t.Errorf("err = %v", err)
		}
	})

	t.Run("no secret key configured", func(t *testing.T) {
		f := newFakeTap(t)
		g := New(Config{BaseURL: f.srv.URL + "/sandbox/tap", HTTPClient: f.srv.Client()})
		_, err := g.Webhook(context.Background(), gateway.WebhookRequest{Header: hdr("Hashstring", hmacHex("", "x")), Body: body})
		if !errors.Is(err, gateway.ErrSignature) {
			t.Errorf("err = %v", err)
		}
	})
}

func TestLiveMode(t *testing.T) {
	tests := []struct {
		name    string
		live    bool
		charge  *bool
		wantErr bool
	}{
		{"test key, test charge", false, boolPtr(false), false},
		{"test key, live charge", false, boolPtr(true), true},
		{"live key, test charge", true, boolPtr(false), true},
		{"live key, live charge", true, boolPtr(true), false},
		{"no live_mode", true, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeTap(t)
			c := seedCharge()
			c.Live = tt.charge
			f.store(c)
			g := f.gateway(tt.live)
			a := testAttempt()
			a.PaymentID = c.ID

			_, err := g.Inquire(context.Background(), a)
			if tt.wantErr != errors.Is(err, gateway.ErrBadRequest) || (!tt.wantErr && err != nil) {
				t.Errorf("Inquire err = %v", err)
			}
			_, err = g.Return(context.Background(), a, url.Values{"tap_id": {c.ID}})
			if tt.wantErr != errors.Is(err, gateway.ErrBadRequest) || (!tt.wantErr && err != nil) {
				t.Errorf("Return err = %v", err)
			}
			h := http.Header{"Hashstring": {signed(testKey, c, "0.500")}}
			_, err = g.Webhook(context.Background(), gateway.WebhookRequest{Header: h, Body: []byte(c.JSON())})
			if tt.wantErr != errors.Is(err, gateway.ErrBadRequest) || (!tt.wantErr && err != nil) {
				t.Errorf("Webhook err = %v", err)
			}
		})
	}
}

func TestSplitPhone(t *testing.T) {
	tests := []struct {
		in         string
		cc, number string // "" cc = no phone
	}{
		{"+965 5123 4567", "965", "51234567"},
		{"+96551234567", "965", "51234567"},
		{"0096551234567", "965", "51234567"},
		{"96551234567", "965", "51234567"},
		{"96512345", "965", "96512345"}, // an 8-digit local number starting with 965
		{"5123-4567", "965", "51234567"},
		{"(2) 224 5678", "965", "22245678"},
		{"+971 58 627 5033", "965", "971586275033"},
		{"", "", ""},
		{"n/a", "", ""},
	}
	for _, tt := range tests {
		p := splitPhone(tt.in)
		switch {
		case tt.cc == "" && p != nil:
			t.Errorf("splitPhone(%q) = %+v, want nil", tt.in, *p)
		case tt.cc != "" && (p == nil || p.CountryCode != tt.cc || p.Number != tt.number):
			t.Errorf("splitPhone(%q) = %+v, want %s/%s", tt.in, p, tt.cc, tt.number)
		}
	}
}

func TestSplitName(t *testing.T) {
	tests := []struct{ in, first, last string }{
		{"Waleed Asghar", "Waleed", "Asghar"},
		{"  Fatima  Al Sabah ", "Fatima", "Al Sabah"},
		{"Cher", "Cher", ""},
		{"", "Customer", ""},
		{"   ", "Customer", ""},
	}
	for _, tt := range tests {
		if f, l := splitName(tt.in); f != tt.first || l != tt.last {
			t.Errorf("splitName(%q) = %q, %q", tt.in, f, l)
		}
	}
}
