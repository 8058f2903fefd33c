package adyen

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/money"
)

func TestNameSupports(t *testing.T) {
	g := New(Config{})
	if g.Name() != "adyen" {
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
		{"KNET", "KWD", false},
		{"", "KWD", false},
	}
	for _, tt := range tests {
		if got := g.Supports(tt.method, tt.currency); got != tt.want {
			t.Errorf("Supports(%q, %q) = %v, want %v", tt.method, tt.currency, got, tt.want)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	good := Config{BaseURL: "https://checkout-test.adyen.com/v71", APIKey: testAPIKey, MerchantAccount: testMerchant, HMACKey: testHMACKey}
	if err := good.Validate(); err != nil {
		t.Errorf("good config: %v", err)
	}
	tests := map[string]func(*Config){
		"relative base": func(c *Config) { c.BaseURL = "/v71" },
		"no api key":    func(c *Config) { c.APIKey = "" },
		"no merchant":   func(c *Config) { c.MerchantAccount = "" },
		"no hmac key":   func(c *Config) { c.HMACKey = "" },
		"hmac not hex":  func(c *Config) { c.HMACKey = "not-hex-SECRET" },
	}
	for name, mod := range tests {
		t.Run(name, func(t *testing.T) {
			c := good
			mod(&c)
			err := c.Validate()
			if err == nil {
				t.Fatal("no error")
			}
			for _, secret := range []string{c.APIKey, c.HMACKey} {
				if secret != "" && strings.Contains(err.Error(), secret) {
					t.Errorf("a secret is in the error: %v", err)
				}
			}
		})
	}
}

func testAttempt() gateway.Attempt {
	return gateway.Attempt{
		ID:          "att_01HXYZ",
		Seq:         42,
		OrderID:     "ord_01HABC",
		Reference:   "INV-1001",
		Method:      gateway.MethodKNET,
		Amount:      money.MustParse("6", "KWD"),
		Description: "Order INV-1001",
		Customer:    gateway.Customer{Name: "  Fatima  Al Sabah ", Email: " fatima@example.com ", Phone: "+965 5123-4567"},
		Locale:      "ar",
		ReturnURL:   "https://pay.example/return/adyen/att_01HXYZ?a=1&b=2",
		WebhookURL:  "https://pay.example/webhooks/adyen",
	}
}

const redirectGET = `{"resultCode":"RedirectShopper","action":{"paymentMethodType":"knet","method":"GET",` +
	`"url":"https://checkoutshopper-test.adyen.com/checkoutshopper/checkoutPaymentRedirect?redirectData=X3XtfGC7%21H4sIAAA","type":"redirect"}}`

// decodeBody decodes a JSON request body keeping numbers exact.
func decodeBody(t *testing.T, b []byte) map[string]any {
	t.Helper()
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		t.Fatalf("body %s: %v", b, err)
	}
	return m
}

func get(m map[string]any, path string) any {
	var v any = m
	for _, k := range strings.Split(path, ".") {
		mm, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = mm[k]
	}
	return v
}

func TestStartRequest(t *testing.T) {
	f := newFakeAdyen(t)
	f.paymentBody = redirectGET
	st, err := f.gateway().Start(context.Background(), testAttempt())
	if err != nil {
		t.Fatal(err)
	}
	want := gateway.Action{Kind: gateway.ActionRedirect,
		URL: "https://checkoutshopper-test.adyen.com/checkoutshopper/checkoutPaymentRedirect?redirectData=X3XtfGC7%21H4sIAAA"}
	if !reflect.DeepEqual(st.Action, want) {
		t.Errorf("Action = %+v, want %+v", st.Action, want)
	}
	if st.Result != nil || st.PaymentID != "" || st.State[stateResultCode] != "RedirectShopper" {
		t.Errorf("Started = %+v", st)
	}

	r := f.last()
	if r.Method != http.MethodPost || r.Path != fakePrefix+"/payments" {
		t.Errorf("request = %s %s", r.Method, r.Path)
	}
	for h, w := range map[string]string{
		"X-API-Key":       testAPIKey,
		"Content-Type":    "application/json",
		"Accept":          "application/json",
		"Idempotency-Key": "att_01HXYZ",
	} {
		if got := r.Header.Get(h); got != w {
			t.Errorf("header %s = %q, want %q", h, got, w)
		}
	}
	if !bytes.Contains(r.Body, []byte(`"amount":{"currency":"KWD","value":6000}`)) {
		t.Errorf("amount is not 6000 minor units: %s", r.Body)
	}
	if !bytes.Contains(r.Body, []byte(`?a=1&b=2"`)) {
		t.Errorf("returnUrl was HTML-escaped: %s", r.Body)
	}
	body := decodeBody(t, r.Body)
	fields := map[string]any{
		"merchantAccount":       testMerchant,
		"amount.currency":       "KWD",
		"amount.value":          json.Number("6000"),
		"reference":             "att_01HXYZ",
		"paymentMethod.type":    "knet",
		"returnUrl":             "https://pay.example/return/adyen/att_01HXYZ?a=1&b=2",
		"countryCode":           "KW",
		"shopperLocale":         "ar-KW",
		"channel":               "Web",
		"shopperEmail":          "fatima@example.com",
		"telephoneNumber":       "+96551234567",
		"shopperName.firstName": "Fatima",
		"shopperName.lastName":  "Al Sabah",
	}
	for path, w := range fields {
		if got := get(body, path); got != w {
			t.Errorf("body %s = %#v, want %#v", path, got, w)
		}
	}
	if len(body) != 11 {
		t.Errorf("body has %d top-level fields, want 11: %s", len(body), r.Body)
	}
	if bytes.Contains(r.Body, []byte(testAPIKey)) || bytes.Contains(r.Body, []byte(testHMACKey)) {
		t.Error("a secret is in the body")
	}
}

func TestStartLocaleAndCustomer(t *testing.T) {
	tests := []struct {
		name     string
		locale   string
		customer gateway.Customer
		amount   string
		want     map[string]any // path → value; nil value means absent
	}{
		{"english, nobody", "en", gateway.Customer{}, "1.5", map[string]any{
			"shopperLocale": "en-US", "amount.value": json.Number("1500"),
			"shopperName": nil, "shopperEmail": nil, "telephoneNumber": nil}},
		{"unknown locale", "fr", gateway.Customer{Name: "Fatima"}, "0.001", map[string]any{
			"shopperLocale": "en-US", "amount.value": json.Number("1"), "shopperName": nil}},
		{"arabic name", "ar", gateway.Customer{Name: "فاطمة الصباح", Phone: "5123 4567"}, "999999.999", map[string]any{
			"shopperLocale": "ar-KW", "amount.value": json.Number("999999999"),
			"shopperName.firstName": "فاطمة", "shopperName.lastName": "الصباح", "telephoneNumber": "51234567"}},
		{"phone without digits", "ar", gateway.Customer{Phone: "n/a"}, "6", map[string]any{"telephoneNumber": nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAdyen(t)
			f.paymentBody = redirectGET
			a := testAttempt()
			a.Locale, a.Customer, a.Amount = tt.locale, tt.customer, money.MustParse(tt.amount, "KWD")
			if _, err := f.gateway().Start(context.Background(), a); err != nil {
				t.Fatal(err)
			}
			body := decodeBody(t, f.last().Body)
			for path, w := range tt.want {
				if got := get(body, path); got != w {
					t.Errorf("%s = %#v, want %#v", path, got, w)
				}
			}
		})
	}
}

func TestStartRefusesBadAttempt(t *testing.T) {
	f := newFakeAdyen(t)
	f.paymentBody = redirectGET
	tests := map[string]func(*gateway.Attempt, *Config){
		"not KWD":            func(a *gateway.Attempt, _ *Config) { a.Amount = money.MustParse("6.00", "USD") },
		"no amount":          func(a *gateway.Attempt, _ *Config) { a.Amount = money.Amount{} },
		"not knet":           func(a *gateway.Attempt, _ *Config) { a.Method = gateway.MethodCard },
		"no return URL":      func(a *gateway.Attempt, _ *Config) { a.ReturnURL = "" },
		"relative return":    func(a *gateway.Attempt, _ *Config) { a.ReturnURL = "/return/adyen/att_1" },
		"no attempt id":      func(a *gateway.Attempt, _ *Config) { a.ID = "" },
		"reference too long": func(a *gateway.Attempt, _ *Config) { a.ID = "att_" + strings.Repeat("x", 80) },
		"no merchant":        func(_ *gateway.Attempt, c *Config) { c.MerchantAccount = "" },
	}
	for name, mod := range tests {
		t.Run(name, func(t *testing.T) {
			a, c := testAttempt(), f.config()
			mod(&a, &c)
			if _, err := New(c).Start(context.Background(), a); !errors.Is(err, gateway.ErrRejected) {
				t.Errorf("err = %v, want ErrRejected", err)
			}
		})
	}
	if n := f.count(); n != 0 {
		t.Errorf("%d requests sent", n)
	}
}

func TestStartResponses(t *testing.T) {
	amount6 := money.MustParse("6", "KWD")
	tests := []struct {
		name       string
		body       string
		wantErr    error
		wantAction gateway.Action
		wantPSP    string
		wantResult *gateway.Result // Status, Reason, Amount, OurReference compared
		wantState  map[string]string
	}{
		{name: "redirect GET", body: redirectGET,
			wantAction: gateway.Action{Kind: gateway.ActionRedirect, URL: "https://checkoutshopper-test.adyen.com/checkoutshopper/checkoutPaymentRedirect?redirectData=X3XtfGC7%21H4sIAAA"},
			wantState:  map[string]string{"resultCode": "RedirectShopper"}},
		{name: "redirect without method, with pspReference",
			body:       `{"resultCode":"RedirectShopper","pspReference":"V4HZ4RBFJGXXGN82","action":{"type":"redirect","url":"https://knet.example/pay"}}`,
			wantAction: gateway.Action{Kind: gateway.ActionRedirect, URL: "https://knet.example/pay"}, wantPSP: "V4HZ4RBFJGXXGN82",
			wantState: map[string]string{"resultCode": "RedirectShopper"}},
		{name: "redirect POST keeps data order",
			body: `{"resultCode":"RedirectShopper","action":{"type":"redirect","method":"POST","url":"https://knet.example/post",` +
				`"data":{"PaReq":"eNpVUt1u","TermUrl":"https://pay.example/x?a=1&b=2","MD":"M2RmY","n":5},"paymentData":"Ab02b4c0"}}`,
			wantAction: gateway.Action{Kind: gateway.ActionPostForm, URL: "https://knet.example/post", Fields: []gateway.Field{
				{Name: "PaReq", Value: "eNpVUt1u"}, {Name: "TermUrl", Value: "https://pay.example/x?a=1&b=2"}, {Name: "MD", Value: "M2RmY"}, {Name: "n", Value: "5"}}},
			wantState: map[string]string{"resultCode": "RedirectShopper", "paymentData": "Ab02b4c0"}},
		{name: "redirect POST without data", body: `{"resultCode":"RedirectShopper","action":{"type":"redirect","method":"post","url":"https://knet.example/post"}}`,
			wantAction: gateway.Action{Kind: gateway.ActionPostForm, URL: "https://knet.example/post"},
			wantState:  map[string]string{"resultCode": "RedirectShopper"}},
		{name: "refused at once", body: `{"resultCode":"Refused","pspReference":"8815658961765250","refusalReason":"Refused","refusalReasonCode":"2","merchantReference":"att_01HXYZ"}`,
			wantAction: gateway.Action{Kind: gateway.ActionWait}, wantPSP: "8815658961765250",
			wantResult: &gateway.Result{Status: gateway.StatusFailed, Reason: gateway.ReasonDeclined, OurReference: "att_01HXYZ"},
			wantState:  map[string]string{"resultCode": "Refused", "refusalReason": "Refused"}},
		{name: "error at once", body: `{"resultCode":"Error","pspReference":"8815658961765251","refusalReason":"Acquirer Error"}`,
			wantAction: gateway.Action{Kind: gateway.ActionWait}, wantPSP: "8815658961765251",
			wantResult: &gateway.Result{Status: gateway.StatusFailed, Reason: gateway.ReasonGatewayError},
			wantState:  map[string]string{"resultCode": "Error", "refusalReason": "Acquirer Error"}},
		{name: "cancelled at once", body: `{"resultCode":"Cancelled","pspReference":"8815658961765252"}`,
			wantAction: gateway.Action{Kind: gateway.ActionWait}, wantPSP: "8815658961765252",
			wantResult: &gateway.Result{Status: gateway.StatusCancelled, Reason: gateway.ReasonCancelled},
			wantState:  map[string]string{"resultCode": "Cancelled"}},
		{name: "received", body: `{"resultCode":"Received","pspReference":"8815658961765253"}`,
			wantAction: gateway.Action{Kind: gateway.ActionWait}, wantPSP: "8815658961765253",
			wantResult: &gateway.Result{Status: gateway.StatusPending}, wantState: map[string]string{"resultCode": "Received"}},
		{name: "authorised with amount", body: `{"resultCode":"Authorised","pspReference":"8815658961765254","merchantReference":"att_01HXYZ","amount":{"currency":"KWD","value":6000}}`,
			wantAction: gateway.Action{Kind: gateway.ActionWait}, wantPSP: "8815658961765254",
			wantResult: &gateway.Result{Status: gateway.StatusPaid, Amount: amount6, OurReference: "att_01HXYZ"},
			wantState:  map[string]string{"resultCode": "Authorised"}},
		{name: "authorised without amount", body: `{"resultCode":"Authorised","pspReference":"8815658961765255"}`,
			wantAction: gateway.Action{Kind: gateway.ActionWait}, wantPSP: "8815658961765255",
			wantResult: &gateway.Result{Status: gateway.StatusPending}, wantState: map[string]string{"resultCode": "Authorised"}},
		{name: "unsupported action type", body: `{"resultCode":"IdentifyShopper","action":{"type":"threeDS2","token":"x"}}`, wantErr: gateway.ErrRejected},
		{name: "relative action url", body: `{"resultCode":"RedirectShopper","action":{"type":"redirect","method":"GET","url":"/pay"}}`, wantErr: gateway.ErrUnavailable},
		{name: "javascript action url", body: `{"resultCode":"RedirectShopper","action":{"type":"redirect","method":"GET","url":"javascript:alert(1)"}}`, wantErr: gateway.ErrUnavailable},
		{name: "unknown redirect method", body: `{"resultCode":"RedirectShopper","action":{"type":"redirect","method":"PUT","url":"https://knet.example/"}}`, wantErr: gateway.ErrUnavailable},
		{name: "POST data not an object", body: `{"resultCode":"RedirectShopper","action":{"type":"redirect","method":"POST","url":"https://knet.example/","data":["x"]}}`, wantErr: gateway.ErrUnavailable},
		{name: "malformed pspReference", body: `{"resultCode":"Refused","pspReference":"../../x"}`, wantErr: gateway.ErrUnavailable},
		{name: "no resultCode", body: `{"pspReference":"8815658961765256"}`, wantErr: gateway.ErrUnavailable},
		{name: "not json", body: `<html>oops</html>`, wantErr: gateway.ErrUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAdyen(t)
			f.paymentBody = tt.body
			st, err := f.gateway().Start(context.Background(), testAttempt())
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("err = %v, want %v", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(st.Action, tt.wantAction) {
				t.Errorf("Action = %+v, want %+v", st.Action, tt.wantAction)
			}
			if st.PaymentID != tt.wantPSP {
				t.Errorf("PaymentID = %q, want %q", st.PaymentID, tt.wantPSP)
			}
			if !reflect.DeepEqual(st.State, tt.wantState) {
				t.Errorf("State = %v, want %v", st.State, tt.wantState)
			}
			if tt.wantResult == nil {
				if st.Result != nil {
					t.Errorf("Result = %+v, want none", st.Result)
				}
				return
			}
			r := st.Result
			if r == nil {
				t.Fatal("no Result")
			}
			w := tt.wantResult
			if r.Status != w.Status || r.Reason != w.Reason || !sameAmount(r.Amount, w.Amount) || r.OurReference != w.OurReference || r.PaymentID != tt.wantPSP {
				t.Errorf("Result = %+v, want %+v", *r, *w)
			}
			if string(r.Raw) != tt.body {
				t.Errorf("Raw = %s", r.Raw)
			}
		})
	}
}

// sameAmount compares amounts, two zero Amounts included.
func sameAmount(a, b money.Amount) bool {
	if a.Currency().Code == "" || b.Currency().Code == "" {
		return a.Currency().Code == b.Currency().Code
	}
	return a.Equal(b)
}

func TestResultCodeMapping(t *testing.T) {
	tests := []struct {
		code, refusal string
		want          gateway.Status
		reason        string
	}{
		{"Authorised", "", gateway.StatusPaid, ""},
		{"Cancelled", "", gateway.StatusCancelled, gateway.ReasonCancelled},
		{"Error", "Acquirer Error", gateway.StatusFailed, gateway.ReasonGatewayError},
		{"Error", "", gateway.StatusFailed, gateway.ReasonGatewayError},
		{"Refused", "Refused", gateway.StatusFailed, gateway.ReasonDeclined},
		{"Refused", "", gateway.StatusFailed, gateway.ReasonDeclined},
		{"Refused", "Not enough balance", gateway.StatusFailed, gateway.ReasonInsufficient},
		{"Refused", "Expired Card", gateway.StatusFailed, gateway.ReasonCardExpired},
		{"Refused", "FRAUD", gateway.StatusFailed, gateway.ReasonRisk},
		{"Refused", "FRAUD-CANCELLED", gateway.StatusFailed, gateway.ReasonRisk},
		{"Refused", "Issuer Unavailable", gateway.StatusFailed, gateway.ReasonTimeout},
		{"Refused", "Shopper Cancelled", gateway.StatusFailed, gateway.ReasonCancelled},
		{"Refused", "Acquirer Error", gateway.StatusFailed, gateway.ReasonGatewayError},
		{"Refused", "NOT CAPTURED", gateway.StatusFailed, gateway.ReasonDeclined},
		{"Pending", "", gateway.StatusPending, ""},
		{"Received", "", gateway.StatusPending, ""},
		{"RedirectShopper", "", gateway.StatusUnknown, ""},
		{"PartiallyAuthorised", "", gateway.StatusUnknown, ""},
		{"SomethingNew", "", gateway.StatusUnknown, ""},
		{"", "", gateway.StatusUnknown, ""},
	}
	for _, tt := range tests {
		st, reason := mapResultCode(tt.code, tt.refusal)
		if st != tt.want || reason != tt.reason {
			t.Errorf("mapResultCode(%q, %q) = %s/%q, want %s/%q", tt.code, tt.refusal, st, reason, tt.want, tt.reason)
		}
	}
}

func detailsAnswer(code, psp, ref, amount, refusal string) string {
	m := map[string]any{"resultCode": code}
	if psp != "" {
		m["pspReference"] = psp
	}
	if ref != "" {
		m["merchantReference"] = ref
	}
	if amount != "" {
		m["amount"] = json.RawMessage(amount)
	}
	if refusal != "" {
		m["refusalReason"] = refusal
	}
	b, _ := json.Marshal(m)
	return string(b)
}

func TestReturnMapping(t *testing.T) {
	const psp = "V4HZ4RBFJGXXGN82"
	kwd6 := `{"currency":"KWD","value":6000}`
	tests := []struct {
		name    string
		answer  string
		status  gateway.Status
		reason  string
		amount  money.Amount
		ourRef  string
		message string
	}{
		{"authorised", detailsAnswer("Authorised", psp, "att_01HXYZ", kwd6, ""), gateway.StatusPaid, "", money.MustParse("6", "KWD"), "att_01HXYZ", ""},
		{"authorised, other amount (the order service flags it)", detailsAnswer("Authorised", psp, "att_01HXYZ", `{"currency":"KWD","value":5000}`, ""),
			gateway.StatusPaid, "", money.MustParse("5", "KWD"), "att_01HXYZ", ""},
		{"authorised, other currency", detailsAnswer("Authorised", psp, "att_01HXYZ", `{"currency":"BHD","value":6000}`, ""),
			gateway.StatusPaid, "", money.MustParse("6", "BHD"), "att_01HXYZ", ""},
		{"authorised, amount not in minor units", detailsAnswer("Authorised", psp, "att_01HXYZ", `{"currency":"KWD","value":6.5}`, ""),
			gateway.StatusPending, "", money.Amount{}, "att_01HXYZ", "waiting for the AUTHORISATION webhook"},
		{"authorised without amount", detailsAnswer("Authorised", psp, "", "", ""),
			gateway.StatusPending, "", money.Amount{}, "", "waiting for the AUTHORISATION webhook"},
		{"cancelled", detailsAnswer("Cancelled", psp, "att_01HXYZ", "", ""), gateway.StatusCancelled, gateway.ReasonCancelled, money.Amount{}, "att_01HXYZ", ""},
		{"error", detailsAnswer("Error", psp, "att_01HXYZ", kwd6, "Acquirer Error"), gateway.StatusFailed, gateway.ReasonGatewayError,
			money.MustParse("6", "KWD"), "att_01HXYZ", "Acquirer Error"},
		{"refused", detailsAnswer("Refused", psp, "att_01HXYZ", kwd6, "Refused"), gateway.StatusFailed, gateway.ReasonDeclined,
			money.MustParse("6", "KWD"), "att_01HXYZ", "Refused"},
		{"pending", detailsAnswer("Pending", psp, "att_01HXYZ", "", ""), gateway.StatusPending, "", money.Amount{}, "att_01HXYZ", ""},
		{"received", detailsAnswer("Received", psp, "att_01HXYZ", "", ""), gateway.StatusPending, "", money.Amount{}, "att_01HXYZ", ""},
		{"unlisted", detailsAnswer("PresentToShopper", psp, "att_01HXYZ", "", ""), gateway.StatusUnknown, "", money.Amount{}, "att_01HXYZ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAdyen(t)
			f.details["Ab02b4c0!BQABAgA="] = tt.answer
			a := testAttempt()
			res, err := f.gateway().Return(context.Background(), a, url.Values{"redirectResult": {"Ab02b4c0!BQABAgA="}})
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != tt.status || res.Reason != tt.reason || res.OurReference != tt.ourRef || res.PaymentID != psp {
				t.Errorf("Result = %+v", res)
			}
			if !sameAmount(res.Amount, tt.amount) {
				t.Errorf("Amount = %v %s, want %v %s", res.Amount, res.Amount.Currency().Code, tt.amount, tt.amount.Currency().Code)
			}
			if !strings.Contains(res.GatewayMessage, tt.message) {
				t.Errorf("GatewayMessage = %q, want %q", res.GatewayMessage, tt.message)
			}
			if string(res.Raw) != tt.answer {
				t.Errorf("Raw = %s", res.Raw)
			}
		})
	}
}

func TestReturnRequest(t *testing.T) {
	f := newFakeAdyen(t)
	// The opaque value as it arrives, already URL-decoded by the caller (GET query or POST form).
	rr := "Ab02b4c0!BQABAgCW5sxB4e/==XyZ+/&%"
	f.details[rr] = detailsAnswer("Authorised", "V4HZ4RBFJGXXGN82", "att_01HXYZ", `{"currency":"KWD","value":6000}`, "")
	a := testAttempt()
	a.PaymentID = "V4HZ4RBFJGXXGN82"
	res, err := f.gateway().Return(context.Background(), a, url.Values{"redirectResult": {rr}, "other": {"ignored"}})
	if err != nil || res.Status != gateway.StatusPaid {
		t.Fatalf("Return = %+v, %v", res, err)
	}
	r := f.last()
	if r.Path != fakePrefix+"/payments/details" || r.Header.Get("X-API-Key") != testAPIKey || r.Header.Get("Idempotency-Key") != "" {
		t.Errorf("request = %s %v", r.Path, r.Header)
	}
	want := `{"details":{"redirectResult":"Ab02b4c0!BQABAgCW5sxB4e/==XyZ+/&%"}}`
	if string(r.Body) != want {
		t.Errorf("body = %s, want %s", r.Body, want)
	}

	// With an older-style paymentData kept in State, it goes along.
	a.State = map[string]string{"resultCode": "RedirectShopper", "paymentData": "Ab02b4c0PD"}
	if _, err := f.gateway().Return(context.Background(), a, url.Values{"redirectResult": {rr}}); err != nil {
		t.Fatal(err)
	}
	want = `{"details":{"redirectResult":"Ab02b4c0!BQABAgCW5sxB4e/==XyZ+/&%"},"paymentData":"Ab02b4c0PD"}`
	if got := string(f.last().Body); got != want {
		t.Errorf("body = %s, want %s", got, want)
	}

	// The payment id is filled from the attempt when Adyen does not repeat it.
	f.details["x"] = detailsAnswer("Received", "", "", "", "")
	res, err = f.gateway().Return(context.Background(), a, url.Values{"redirectResult": {"x"}})
	if err != nil || res.PaymentID != "V4HZ4RBFJGXXGN82" {
		t.Errorf("Return = %+v, %v", res, err)
	}
}

// TestReturnForged: a return that is not a redeemable redirectResult of this attempt changes
// nothing: an error, and no result.
func TestReturnForged(t *testing.T) {
	tests := []struct {
		name      string
		query     url.Values
		paymentID string
		answer    string // for redirectResult "known"
		wantCalls int
	}{
		{name: "no redirectResult", query: url.Values{"resultCode": {"Authorised"}}, wantCalls: 0},
		{name: "empty redirectResult", query: url.Values{"redirectResult": {""}}, wantCalls: 0},
		{name: "too long", query: url.Values{"redirectResult": {strings.Repeat("A", maxRedirectResult+1)}}, wantCalls: 0},
		{name: "made up (Adyen answers 422)", query: url.Values{"redirectResult": {"forged"}, "resultCode": {"Authorised"}}, wantCalls: 1},
		{name: "another attempt's result", query: url.Values{"redirectResult": {"known"}},
			answer: detailsAnswer("Authorised", "V4HZ4RBFJGXXGN82", "att_OTHER", `{"currency":"KWD","value":6000}`, ""), wantCalls: 1},
		{name: "another attempt's refusal", query: url.Values{"redirectResult": {"known"}},
			answer: detailsAnswer("Refused", "V4HZ4RBFJGXXGN82", "att_OTHER", "", "Refused"), wantCalls: 1},
		{name: "another payment", query: url.Values{"redirectResult": {"known"}}, paymentID: "AAAABBBBCCCCDDDD",
			answer: detailsAnswer("Refused", "V4HZ4RBFJGXXGN82", "", "", "Refused"), wantCalls: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAdyen(t)
			if tt.answer != "" {
				f.details["known"] = tt.answer
			}
			a := testAttempt()
			a.PaymentID = tt.paymentID
			res, err := f.gateway().Return(context.Background(), a, tt.query)
			if !errors.Is(err, gateway.ErrBadRequest) {
				t.Fatalf("err = %v, want ErrBadRequest", err)
			}
			if res.Status != "" {
				t.Errorf("Result = %+v, want none", res)
			}
			if n := f.count(); n != tt.wantCalls {
				t.Errorf("%d calls, want %d", n, tt.wantCalls)
			}
		})
	}
}

func TestInquire(t *testing.T) {
	tests := []struct {
		name   string
		state  map[string]string
		status gateway.Status
		reason string
	}{
		{"no state", nil, gateway.StatusPending, ""},
		{"redirected", map[string]string{"resultCode": "RedirectShopper"}, gateway.StatusPending, ""},
		{"received", map[string]string{"resultCode": "Received"}, gateway.StatusPending, ""},
		{"authorised at start", map[string]string{"resultCode": "Authorised"}, gateway.StatusPending, ""},
		{"refused at start", map[string]string{"resultCode": "Refused", "refusalReason": "Not enough balance"}, gateway.StatusFailed, gateway.ReasonInsufficient},
		{"error at start", map[string]string{"resultCode": "Error"}, gateway.StatusFailed, gateway.ReasonGatewayError},
		{"cancelled at start", map[string]string{"resultCode": "Cancelled"}, gateway.StatusCancelled, gateway.ReasonCancelled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAdyen(t)
			a := testAttempt()
			a.PaymentID, a.State = "V4HZ4RBFJGXXGN82", tt.state
			res, err := f.gateway().Inquire(context.Background(), a)
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != tt.status || res.Reason != tt.reason || res.PaymentID != "V4HZ4RBFJGXXGN82" {
				t.Errorf("Result = %+v", res)
			}
			if res.Status == gateway.StatusPending && !strings.Contains(res.GatewayMessage, "webhook") {
				t.Errorf("GatewayMessage = %q", res.GatewayMessage)
			}
			if f.count() != 0 {
				t.Error("Inquire called Adyen")
			}
		})
	}
}

func TestRefund(t *testing.T) {
	f := newFakeAdyen(t)
	f.refundBody = `{"merchantAccount":"BawabaKW","paymentPspReference":"V4HZ4RBFJGXXGN82","pspReference":"JDD6LKT8MBLZNN84",` +
		`"reference":"ref_01HXYZ","status":"received","amount":{"currency":"KWD","value":2500}}`
	a := testAttempt()
	a.PaymentID = "V4HZ4RBFJGXXGN82"
	res, err := f.gateway().Refund(gateway.WithRefundID(context.Background(), "ref_01HXYZ"), a, money.MustParse("2.5", "KWD"))
	if err != nil {
		t.Fatal(err)
	}
	// "received" is no refund yet: pending, its pspReference kept; the notification decides.
	if res.Status != gateway.StatusPending || res.PaymentID != "JDD6LKT8MBLZNN84" || res.OurReference != "ref_01HXYZ" ||
		!res.Amount.Equal(money.MustParse("2.5", "KWD")) || res.GatewayCode != "received" {
		t.Errorf("Result = %+v", res)
	}
	r := f.last()
	if r.Path != fakePrefix+"/payments/V4HZ4RBFJGXXGN82/refunds" || r.Header.Get("X-API-Key") != testAPIKey || r.Header.Get("Idempotency-Key") != "" {
		t.Errorf("request = %s %v", r.Path, r.Header)
	}
	want := `{"merchantAccount":"BawabaKW","amount":{"currency":"KWD","value":2500},"reference":"ref_01HXYZ"}`
	if string(r.Body) != want {
		t.Errorf("body = %s, want %s", r.Body, want)
	}
}

func TestRefundRefused(t *testing.T) {
	tests := []struct {
		name      string
		paymentID string
		amount    money.Amount
		status    int
		body      string
		want      error
		wantCalls int
	}{
		{name: "no payment id", amount: money.MustParse("1", "KWD"), want: gateway.ErrRejected},
		{name: "payment id with a path", paymentID: "V4HZ/../x", amount: money.MustParse("1", "KWD"), want: gateway.ErrRejected},
		{name: "other currency", paymentID: "V4HZ4RBFJGXXGN82", amount: money.MustParse("1", "BHD"), want: gateway.ErrRejected},
		{name: "zero", paymentID: "V4HZ4RBFJGXXGN82", amount: money.Amount{}, want: gateway.ErrRejected},
		{name: "422", paymentID: "V4HZ4RBFJGXXGN82", amount: money.MustParse("1", "KWD"), status: 422,
			body: `{"status":422,"errorCode":"167","message":"Original pspReference required for this operation","errorType":"validation"}`, want: gateway.ErrRejected, wantCalls: 1},
		{name: "500", paymentID: "V4HZ4RBFJGXXGN82", amount: money.MustParse("1", "KWD"), status: 500, body: `{}`, want: gateway.ErrUnavailable, wantCalls: 1},
		{name: "unexpected status", paymentID: "V4HZ4RBFJGXXGN82", amount: money.MustParse("1", "KWD"), status: 201,
			body: `{"pspReference":"JDD6LKT8MBLZNN84","status":"refused"}`, want: gateway.ErrUnavailable, wantCalls: 1},
		{name: "not json", paymentID: "V4HZ4RBFJGXXGN82", amount: money.MustParse("1", "KWD"), status: 201, body: `ok`, want: gateway.ErrUnavailable, wantCalls: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAdyen(t)
			if tt.status != 0 {
				f.refundStatus, f.refundBody = tt.status, tt.body
			}
			a := testAttempt()
			a.PaymentID = tt.paymentID
			_, err := f.gateway().Refund(context.Background(), a, tt.amount)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if n := f.count(); n != tt.wantCalls {
				t.Errorf("%d calls, want %d", n, tt.wantCalls)
			}
		})
	}
}

func TestErrorMapping(t *testing.T) {
	tests := []struct {
		status     int
		body       string
		want       error
		wantReturn error // for /payments/details
		wantMsg    string
	}{
		{400, `{"status":400,"errorCode":"702","message":"Structure of PaymentRequest contains the following unknown fields","errorType":"validation"}`,
			gateway.ErrRejected, gateway.ErrBadRequest, "702 Structure of PaymentRequest"},
		{401, `{"status":401,"errorCode":"000","message":"HTTP Status Response - Unauthorized","errorType":"security"}`, gateway.ErrRejected, gateway.ErrRejected, "HTTP 401: 000 HTTP Status Response - Unauthorized (security)"},
		{403, `{"status":403,"errorCode":"010","message":"Not allowed","errorType":"security"}`, gateway.ErrRejected, gateway.ErrRejected, "010 Not allowed"},
		{404, `not json`, gateway.ErrRejected, gateway.ErrRejected, "HTTP 404"},
		{422, `{"status":422,"errorCode":"14_0417","message":"The provided reference is too long","errorType":"validation"}`, gateway.ErrRejected, gateway.ErrBadRequest, "14_0417"},
		{408, ``, gateway.ErrUnavailable, gateway.ErrUnavailable, "HTTP 408"},
		{429, `{}`, gateway.ErrUnavailable, gateway.ErrUnavailable, "HTTP 429"},
		{500, `{"status":500,"errorCode":"905","message":"Payment details are not supported","errorType":"configuration"}`, gateway.ErrUnavailable, gateway.ErrUnavailable, "HTTP 500: 905"},
		{502, `<html>`, gateway.ErrUnavailable, gateway.ErrUnavailable, "HTTP 502"},
		{503, ``, gateway.ErrUnavailable, gateway.ErrUnavailable, "HTTP 503"},
		// Adyen echoing a key must not leak it into our errors.
		{400, `{"status":400,"errorCode":"1","message":"bad key ` + testAPIKey + ` and ` + testHMACKey + `","errorType":"validation"}`,
			gateway.ErrRejected, gateway.ErrBadRequest, "[redacted]"},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			f := newFakeAdyen(t)
			f.paymentStatus, f.paymentBody = tt.status, tt.body
			f.detailsStatus, f.detailsBody = tt.status, tt.body
			f.refundStatus, f.refundBody = tt.status, tt.body
			g := f.gateway()
			_, err := g.Start(context.Background(), testAttempt())
			checkErr(t, "Start", err, tt.want, tt.wantMsg)
			_, err = g.Return(context.Background(), testAttempt(), url.Values{"redirectResult": {"x"}})
			checkErr(t, "Return", err, tt.wantReturn, tt.wantMsg)
			a := testAttempt()
			a.PaymentID = "V4HZ4RBFJGXXGN82"
			_, err = g.Refund(context.Background(), a, money.MustParse("1", "KWD"))
			checkErr(t, "Refund", err, tt.want, tt.wantMsg)
		})
	}

	t.Run("wrong key", func(t *testing.T) {
		f := newFakeAdyen(t)
		c := f.config()
		c.APIKey = "AQE_WRONG_KEY_123456"
		_, err := New(c).Start(context.Background(), testAttempt())
		checkErr(t, "Start", err, gateway.ErrRejected, "HTTP 401")
		if strings.Contains(err.Error(), c.APIKey) {
			t.Error("the key is in the error")
		}
	})

	t.Run("network", func(t *testing.T) {
		f := newFakeAdyen(t)
		g := f.gateway()
		f.srv.Close()
		_, err := g.Start(context.Background(), testAttempt())
		checkErr(t, "Start", err, gateway.ErrUnavailable, "")
		_, err = g.Return(context.Background(), testAttempt(), url.Values{"redirectResult": {"x"}})
		checkErr(t, "Return", err, gateway.ErrUnavailable, "")
	})

	t.Run("bad base URL", func(t *testing.T) {
		g := New(Config{BaseURL: "http://bad host/\x7f", APIKey: testAPIKey, MerchantAccount: testMerchant})
		_, err := g.Start(context.Background(), testAttempt())
		checkErr(t, "Start", err, gateway.ErrRejected, "bad base URL")
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
	if strings.Contains(err.Error(), testAPIKey) || strings.Contains(err.Error(), testHMACKey) {
		t.Errorf("%s: a secret is in the error: %q", what, err)
	}
}
