package kpay

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/money"
)

func TestNameAndStartsOffline(t *testing.T) {
	g := newFake(t).gateway()
	if g.Name() != "kpay" {
		t.Errorf("Name = %q", g.Name())
	}
	for m, want := range map[string]bool{"card": true, "thaiqr": false, "wechat": false, "unionpay": false, "alipay": false, "knet": false} {
		if got := g.StartsOffline(m); got != want {
			t.Errorf("StartsOffline(%s) = %v; want %v", m, got, want)
		}
	}
}

func TestSupports(t *testing.T) {
	f := newFake(t)
	full := f.gateway()
	multi := f.gateway(func(c *Config) { c.CardCurrencies = []string{"THB", "USD", "JPY", "KWD"} })
	dcc := f.gateway(func(c *Config) { c.CardMode = CardModeDCC; c.CardCurrencies = []string{"THB", "USD"} })
	noMID := f.gateway(func(c *Config) { c.MID = "" })
	for _, c := range []struct {
		name     string
		g        *Gateway
		method   string
		currency string
		want     bool
	}{
		{"card THB by default", full, "card", "THB", true},
		{"card USD not listed", full, "card", "USD", false},
		{"card USD listed", multi, "card", "USD", true},
		{"card JPY (0 decimals) listed", multi, "card", "JPY", true},
		{"card KWD (3 decimals) never", multi, "card", "KWD", false},
		{"card in DCC mode: THB", dcc, "card", "THB", true},
		{"card in DCC mode: never USD", dcc, "card", "USD", false},
		{"card without a MID", noMID, "card", "THB", false},
		{"thaiqr THB", full, "thaiqr", "THB", true},
		{"thaiqr USD", full, "thaiqr", "USD", false},
		{"wechat THB", full, "wechat", "THB", true},
		{"unionpay THB", full, "unionpay", "THB", true},
		{"unionpay without a MID", noMID, "unionpay", "THB", false},
		{"alipay THB", full, "alipay", "THB", true},
		{"alipay CNY", full, "alipay", "CNY", false},
		{"knet", full, "knet", "KWD", false},
		{"click", full, "click", "THB", false},
	} {
		if got := c.g.Supports(c.method, c.currency); got != c.want {
			t.Errorf("%s: Supports(%s, %s) = %v; want %v", c.name, c.method, c.currency, got, c.want)
		}
	}
}

// TestEmbedAttributes pins the script tag of each card mode (spec §2.2–§2.4): a card attempt
// starts with it, without any call to K-Pay.
func TestEmbedAttributes(t *testing.T) {
	f := newFake(t)
	plan := InstallmentPlan{PlanID: "999", IPanMode: "03", ProductType: "003", SupplierNo: "99903", ModelNo: "123456"}
	for _, c := range []struct {
		name string
		edit func(*Config)
		amt  money.Amount
		want []gateway.Field
	}{
		{"full MCC", nil, money.MustParse("74.00", "THB"), []gateway.Field{
			{Name: "data-apikey", Value: testPublic}, {Name: "data-amount", Value: "74.00"}, {Name: "data-currency", Value: "THB"},
			{Name: "data-payment-methods", Value: "card"}, {Name: "data-name", Value: "Bawaba Test"}, {Name: "data-mid", Value: testMID},
		}},
		{"full MCC in JPY", func(c *Config) { c.CardCurrencies = []string{"JPY"} }, money.MustParse("1500", "JPY"), []gateway.Field{
			{Name: "data-apikey", Value: testPublic}, {Name: "data-amount", Value: "1500"}, {Name: "data-currency", Value: "JPY"},
			{Name: "data-payment-methods", Value: "card"}, {Name: "data-name", Value: "Bawaba Test"}, {Name: "data-mid", Value: testMID},
		}},
		{"full DCC: DCC MID, no data-currency", func(c *Config) { c.CardMode = CardModeDCC }, money.MustParse("1.00", "THB"), []gateway.Field{
			{Name: "data-apikey", Value: testPublic}, {Name: "data-amount", Value: "1.00"},
			{Name: "data-payment-methods", Value: "card"}, {Name: "data-name", Value: "Bawaba Test"}, {Name: "data-mid", Value: testDCCMID},
		}},
		{"SmartpayID, one term", func(c *Config) {
			c.CardMode = CardModeSmartPayID
			c.SmartPayID = "0001"
			c.Terms = []int{10}
			c.ShopName = ""
		},
			money.MustParse("1000.50", "THB"), []gateway.Field{
				{Name: "data-apikey", Value: testPublic}, {Name: "data-amount", Value: "1000.50"}, {Name: "data-currency", Value: "THB"},
				{Name: "data-payment-methods", Value: "card"}, {Name: "data-mid", Value: testMID},
				{Name: "data-smartpay-id", Value: "0001"}, {Name: "data-smartpayid", Value: "0001"}, {Name: "data-term", Value: "10"},
			}},
		{"SmartpayID, several terms: no data-term", func(c *Config) { c.CardMode = CardModeSmartPayID; c.SmartPayID = "0001"; c.Terms = []int{3, 4, 6, 10} },
			money.MustParse("1000.50", "THB"), []gateway.Field{
				{Name: "data-apikey", Value: testPublic}, {Name: "data-amount", Value: "1000.50"}, {Name: "data-currency", Value: "THB"},
				{Name: "data-payment-methods", Value: "card"}, {Name: "data-name", Value: "Bawaba Test"}, {Name: "data-mid", Value: testMID},
				{Name: "data-smartpay-id", Value: "0001"}, {Name: "data-smartpayid", Value: "0001"},
			}},
		{"installment plan", func(c *Config) { c.CardMode = CardModeInstallmentPlan; c.Plan = plan; c.Terms = []int{10} },
			money.MustParse("1.00", "THB"), []gateway.Field{
				{Name: "data-apikey", Value: testPublic}, {Name: "data-amount", Value: "1.00"}, {Name: "data-currency", Value: "THB"},
				{Name: "data-payment-methods", Value: "card"}, {Name: "data-name", Value: "Bawaba Test"}, {Name: "data-mid", Value: testMID},
				{Name: "data-plan-id", Value: "999"}, {Name: "data-ipan-mode", Value: "03"}, {Name: "data-product-type", Value: "003"},
				{Name: "data-supplier-no", Value: "99903"}, {Name: "data-model-no", Value: "123456"}, {Name: "data-term", Value: "10"},
			}},
	} {
		t.Run(c.name, func(t *testing.T) {
			edits := []func(*Config){}
			if c.edit != nil {
				edits = append(edits, c.edit)
			}
			g := f.gateway(edits...)
			a := attempt("card")
			a.Amount = c.amt
			st, err := g.Start(context.Background(), a)
			if err != nil {
				t.Fatal(err)
			}
			if st.Action.Kind != gateway.ActionEmbed || st.PaymentID != "" || st.Result != nil || st.State != nil {
				t.Fatalf("started %+v; want only the card button", st)
			}
			e := st.Action.Embed
			if !reflect.DeepEqual(e.Attributes, c.want) {
				t.Errorf("attributes\n got %v\nwant %v", e.Attributes, c.want)
			}
			if e.ScriptURL != f.base()+"/ui/v2/kpayment.min.js" {
				t.Errorf("script %q", e.ScriptURL)
			}
			if !reflect.DeepEqual(e.ScriptOrigins, []string{f.srv.URL}) || !reflect.DeepEqual(e.FrameOrigins, []string{f.srv.URL}) {
				t.Errorf("origins %v %v; want %s", e.ScriptOrigins, e.FrameOrigins, f.srv.URL)
			}
			for _, a := range e.Attributes {
				if strings.Contains(a.Value, testSecret) {
					t.Errorf("secret key on the page in %s", a.Name)
				}
			}
		})
	}
	if n := len(f.calls()); n != 0 {
		t.Errorf("starting a card attempt called K-Pay %d times", n)
	}
	usd := attempt("card")
	usd.Amount = money.MustParse("10.00", "USD")
	if _, err := f.gateway().Start(context.Background(), usd); !errors.Is(err, gateway.ErrRejected) {
		t.Errorf("Start(card USD) err = %v", err)
	}
}

func TestLiveHosts(t *testing.T) {
	live := New(Config{Live: true, PublicKey: testPublic, SecretKey: testSecret, MID: testMID})
	e := live.cardEmbed(gateway.Attempt{Method: "card", Amount: money.MustParse("74.00", "THB")})
	if e.ScriptURL != "https://kpaymentgateway.kasikornbank.com/ui/v2/kpayment.min.js" || live.api != LiveAPIBaseURL {
		t.Errorf("live: script %s api %s", e.ScriptURL, live.api)
	}
	if !reflect.DeepEqual(e.ScriptOrigins, []string{"https://kpaymentgateway.kasikornbank.com"}) {
		t.Errorf("origins %v", e.ScriptOrigins)
	}
	dev := New(Config{})
	if dev.ui != SandboxUIBaseURL || dev.api != SandboxAPIBaseURL {
		t.Errorf("sandbox: %s %s", dev.ui, dev.api)
	}
	sim := New(Config{UIBaseURL: "http://127.0.0.1:8080/sandbox/kpay/"})
	if sim.ui != "http://127.0.0.1:8080/sandbox/kpay" || sim.api != sim.ui {
		t.Errorf("simulator: %s %s", sim.ui, sim.api)
	}
}

func TestConfigValidate(t *testing.T) {
	ok := Config{PublicKey: testPublic, SecretKey: testSecret, MID: testMID}
	if err := ok.Validate(); err != nil {
		t.Errorf("valid config: %v", err)
	}
	for name, c := range map[string]Config{
		"no secret":           {PublicKey: testPublic, MID: testMID},
		"dcc without DCC MID": {PublicKey: testPublic, SecretKey: testSecret, MID: testMID, CardMode: CardModeDCC},
		"smartpay without id": {PublicKey: testPublic, SecretKey: testSecret, MID: testMID, CardMode: CardModeSmartPayID},
		"plan without fields": {PublicKey: testPublic, SecretKey: testSecret, MID: testMID, CardMode: CardModeInstallmentPlan},
		"unknown mode":        {PublicKey: testPublic, SecretKey: testSecret, MID: testMID, CardMode: "inline"},
		"bad term":            {PublicKey: testPublic, SecretKey: testSecret, MID: testMID, Terms: []int{0}},
		"KWD cards":           {PublicKey: testPublic, SecretKey: testSecret, MID: testMID, CardCurrencies: []string{"KWD"}},
		"relative base URL":   {PublicKey: testPublic, SecretKey: testSecret, MID: testMID, UIBaseURL: "/sandbox/kpay"},
	} {
		err := c.Validate()
		if err == nil {
			t.Errorf("%s: no error", name)
		} else if strings.Contains(err.Error(), testSecret) {
			t.Errorf("%s: error shows the secret", name)
		}
	}
}

// tokenPost is the K-Pay button's post for Full Payment MCC (spec §2.7a).
func tokenPost(extra ...string) url.Values {
	v := url.Values{"token": {"tokn_test_1fadecb16520513a076c2d97df3b0841f9"}, "mid": {testMID}, "paymentMethods": {"card"}}
	for i := 0; i+1 < len(extra); i += 2 {
		if extra[i+1] == "-" {
			v.Del(extra[i])
			continue
		}
		v.Set(extra[i], extra[i+1])
	}
	return v
}

// TestContinueCardRefusesBadTokenPost: nothing is charged (no call at all) when the post lacks a
// token, names a foreign MID or is otherwise unusable.
func TestContinueCardRefusesBadTokenPost(t *testing.T) {
	smart := func(c *Config) { c.CardMode = CardModeSmartPayID; c.SmartPayID = "0001"; c.Terms = []int{3, 6, 10} }
	plan := func(c *Config) {
		c.CardMode = CardModeInstallmentPlan
		c.Plan = InstallmentPlan{PlanID: "999", IPanMode: "03", ProductType: "003", SupplierNo: "99903", ModelNo: "123456"}
	}
	for _, c := range []struct {
		name string
		edit func(*Config)
		form url.Values
	}{
		{"no form at all", nil, nil},
		{"no token", nil, tokenPost("token", "-")},
		{"empty token", nil, tokenPost("token", "")},
		{"malformed token", nil, tokenPost("token", "tokn test/../x")},
		{"foreign mid", nil, tokenPost("mid", "444123456789001")},
		{"no mid", nil, tokenPost("mid", "-")},
		{"DCC MID is ours but malformed", nil, tokenPost("mid", "4511x")},
		{"paymentMethods qr", nil, tokenPost("paymentMethods", "qr")},
		{"two different tokens", nil, url.Values{"token": {"tokn_test_a"}, "TOKEN": {"tokn_test_b"}, "mid": {testMID}}},
		{"savecard not boolean", nil, tokenPost("savecard", "yes please")},
		{"malformed dcc_currency", nil, tokenPost("dcc_currency", "US")},
		{"smartpay: foreign smartpayId", smart, tokenPost("smartpayId", "0002", "term", "10")},
		{"smartpay: term not offered", smart, tokenPost("smartpayid", "0001", "term", "24")},
		{"smartpay: no term", smart, tokenPost("smartpayid", "0001")},
		{"smartpay: term not a number", smart, tokenPost("smartpayid", "0001", "term", "ten")},
		{"plan: foreign planid", plan, tokenPost("planid", "998", "term", "10")},
		{"plan: foreign supplier", plan, tokenPost("planid", "999", "supplierno", "00001", "term", "10")},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFake(t)
			edits := []func(*Config){}
			if c.edit != nil {
				edits = append(edits, c.edit)
			}
			a := attempt("card")
			_, err := f.gateway(edits...).Continue(context.Background(), a, c.form)
			if !errors.Is(err, gateway.ErrBadRequest) {
				t.Errorf("err = %v; want ErrBadRequest", err)
			}
			if calls := f.calls(); len(calls) != 0 {
				t.Errorf("K-Pay was called: %v", calls)
			}
		})
	}
}

// TestContinueCardRequest checks the Create Charge body built from each token post (spec §2.8).
func TestContinueCardRequest(t *testing.T) {
	threeDS := chargeJSON("transaction_state", `"Pre-Authorized"`, "redirect_url", `"https://dev-kpaymentgateway.kasikornbank.com/3ds/auth_test_1"`, "approval_code", "-")
	plan := InstallmentPlan{PlanID: "999", IPanMode: "02", ProductType: "003", SupplierNo: "99903", ModelNo: "123456"}
	for _, c := range []struct {
		name  string
		edit  func(*Config)
		form  url.Values
		check func(t *testing.T, body map[string]any)
	}{
		{"full MCC", nil, tokenPost(), func(t *testing.T, b map[string]any) {
			want := map[string]any{
				"amount": json.Number("200.50"), "currency": "THB", "description": "Two ceramic cups",
				"source_type": "card", "mode": "token", "token": "tokn_test_1fadecb16520513a076c2d97df3b0841f9",
				"reference_order": testRef, "ref_1": "ord_7pQ2xL9mN4rT6vY8zB1cD3", "ref_2": "INV-1001",
				"additional_data": map[string]any{"mid": testMID},
				"metadata":        map[string]any{"callback_url": "https://checkout.example/return/kpay/" + testAttemptID},
			}
			if !reflect.DeepEqual(b, want) {
				t.Errorf("body\n got %v\nwant %v", b, want)
			}
		}},
		{"remember card, spelled saveCard", nil, tokenPost("saveCard", "true"), func(t *testing.T, b map[string]any) {
			if b["savecard"] != true {
				t.Errorf("savecard = %v", b["savecard"])
			}
		}},
		{"DCC: the DCC MID and dcc_data", func(c *Config) { c.CardMode = CardModeDCC },
			tokenPost("mid", testDCCMID, "dcc_currency", "usd"), func(t *testing.T, b map[string]any) {
				if !reflect.DeepEqual(b["dcc_data"], map[string]any{"dcc_currency": "USD"}) ||
					!reflect.DeepEqual(b["additional_data"], map[string]any{"mid": testDCCMID}) {
					t.Errorf("dcc_data %v additional_data %v", b["dcc_data"], b["additional_data"])
				}
				if _, ok := b["savecard"]; ok {
					t.Error("savecard sent though not posted")
				}
			}},
		{"SmartpayID: smartpay_id and term in additional_data", func(c *Config) {
			c.CardMode, c.SmartPayID, c.Terms = CardModeSmartPayID, "0001", []int{3, 6, 10}
		}, tokenPost("smartpayid", "0001", "term", "10"), func(t *testing.T, b map[string]any) {
			want := map[string]any{"mid": testMID, "smartpay_id": "0001", "term": json.Number("10")}
			if !reflect.DeepEqual(b["additional_data"], want) {
				t.Errorf("additional_data %v; want %v", b["additional_data"], want)
			}
			if _, ok := b["smartpay"]; ok {
				t.Error("smartpay object sent in SmartpayID mode")
			}
		}},
		{"installment plan: the smartpay object", func(c *Config) {
			c.CardMode, c.Plan, c.Terms = CardModeInstallmentPlan, plan, []int{10}
		}, tokenPost("planid", "999", "ipanmode", "02", "producttype", "003", "supplierno", "99903", "modelno", "123456", "term", "10"),
			func(t *testing.T, b map[string]any) {
				want := map[string]any{"plan_id": "999", "ipan_mode": "02", "product_type": "003",
					"payment_term": "10", "supplier_no": "99903", "model_no": "123456"}
				if !reflect.DeepEqual(b["smartpay"], want) {
					t.Errorf("smartpay %v; want %v", b["smartpay"], want)
				}
				if !reflect.DeepEqual(b["additional_data"], map[string]any{"mid": testMID}) {
					t.Errorf("additional_data %v", b["additional_data"])
				}
			}},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFake(t)
			f.on("POST", "/card/v2/charge", http.StatusOK, threeDS)
			edits := []func(*Config){}
			if c.edit != nil {
				edits = append(edits, c.edit)
			}
			a := attempt("card")
			st, err := f.gateway(edits...).Continue(context.Background(), a, c.form)
			if err != nil {
				t.Fatal(err)
			}
			if st.Action.Kind != gateway.ActionRedirect || st.Action.URL != "https://dev-kpaymentgateway.kasikornbank.com/3ds/auth_test_1" ||
				st.PaymentID != testChargeID || st.Result != nil {
				t.Errorf("started %+v", st)
			}
			req := f.last()
			if req.Method != "POST" || req.Path != "/card/v2/charge" || req.Header.Get("x-api-key") != testSecret ||
				req.Header.Get("Content-Type") != "application/json" {
				t.Errorf("request %s %s %v", req.Method, req.Path, req.Header)
			}
			c.check(t, f.lastJSON())
		})
	}
}

// TestContinueCardImmediate: a charge that is final at once (non-3-D Secure) waits on our page
// with its result.
func TestContinueCardImmediate(t *testing.T) {
	for _, c := range []struct {
		name   string
		body   string
		status gateway.Status
		reason string
	}{
		{"approved", chargeJSON(), gateway.StatusPaid, ""},
		{"declined 51", chargeJSON("transaction_state", `"Declined"`, "status", `"fail"`, "failure_code", `"51"`, "failure_message", `"Insufficient Funds"`), gateway.StatusFailed, gateway.ReasonInsufficient},
		{"declined 05", chargeJSON("transaction_state", `"Declined"`, "status", `"fail"`, "failure_code", `"05"`), gateway.StatusFailed, gateway.ReasonDeclined},
		{"timeout 500", chargeJSON("transaction_state", `"Reversed"`, "status", `"fail"`, "failure_code", `"500"`), gateway.StatusFailed, gateway.ReasonTimeout},
		{"token expired", chargeJSON("transaction_state", `"Declined"`, "status", `"fail"`, "failure_code", `"token_invalid"`), gateway.StatusFailed, gateway.ReasonGatewayError},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFake(t)
			f.on("POST", "/card/v2/charge", http.StatusOK, c.body)
			a := attempt("card")
			st, err := f.gateway().Continue(context.Background(), a, tokenPost())
			if err != nil {
				t.Fatal(err)
			}
			if st.Action.Kind != gateway.ActionWait || st.Result == nil || st.PaymentID != testChargeID {
				t.Fatalf("started %+v", st)
			}
			r := st.Result
			if r.Status != c.status || r.Reason != c.reason {
				t.Errorf("status %s/%s; want %s/%s", r.Status, r.Reason, c.status, c.reason)
			}
			if !r.Amount.Equal(a.Amount) || r.OurReference != testAttemptID || r.PaymentID != testChargeID || len(r.Raw) == 0 {
				t.Errorf("result %+v", r)
			}
			if c.status == gateway.StatusPaid && r.AuthCode != "000941" {
				t.Errorf("auth code %q", r.AuthCode)
			}
		})
	}
}

// TestStartErrors maps K-Pay's failures to the gateway errors, never showing the secret.
func TestStartErrors(t *testing.T) {
	for _, c := range []struct {
		name   string
		status int
		body   string
		want   error
	}{
		{"error object", http.StatusBadRequest, `{"object":"error","code":"used_token","message":"Token was already used"}`, gateway.ErrRejected},
		{"error object with 200", http.StatusOK, `{"object":"error","code":"mid_and_tid_not_exist","message":"MID and/or TID do not exist"}`, gateway.ErrRejected},
		{"server error", http.StatusInternalServerError, `oops`, gateway.ErrUnavailable},
		{"too many requests", http.StatusTooManyRequests, ``, gateway.ErrUnavailable},
		{"unreadable charge", http.StatusOK, `<html>`, gateway.ErrUnavailable},
		{"malformed charge id", http.StatusOK, chargeJSON("id", `"chrg_test/../../x"`), gateway.ErrUnavailable},
		{"3-D Secure without redirect_url", http.StatusOK, chargeJSON("transaction_state", `"Pre-Authorized"`), gateway.ErrUnavailable},
		{"echoes the key", http.StatusBadRequest, `{"object":"error","code":"authentication_failure","message":"bad key ` + testSecret + `"}`, gateway.ErrRejected},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFake(t)
			f.on("POST", "/card/v2/charge", c.status, c.body)
			a := attempt("card")
			_, err := f.gateway().Continue(context.Background(), a, tokenPost())
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v; want %v", err, c.want)
			}
			if strings.Contains(err.Error(), testSecret) {
				t.Errorf("error shows the secret: %v", err)
			}
		})
	}
	t.Run("wrong key", func(t *testing.T) {
		f := newFake(t)
		a := attempt("card")
		_, err := f.gateway(func(c *Config) { c.SecretKey = "skey_test_wrong" }).Continue(context.Background(), a, tokenPost())
		if !errors.Is(err, gateway.ErrRejected) || !strings.Contains(err.Error(), "authentication_failure") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("unreachable", func(t *testing.T) {
		f := newFake(t)
		g := f.gateway()
		f.srv.Close()
		a := attempt("card")
		if _, err := g.Continue(context.Background(), a, tokenPost()); !errors.Is(err, gateway.ErrUnavailable) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("unsupported method", func(t *testing.T) {
		f := newFake(t)
		if _, err := f.gateway().Start(context.Background(), attempt("knet")); !errors.Is(err, gateway.ErrRejected) || len(f.calls()) != 0 {
			t.Errorf("err = %v calls %v", err, f.calls())
		}
	})
	t.Run("attempt id not ours", func(t *testing.T) {
		f := newFake(t)
		a := attempt("alipay")
		a.ID = "attempt-1"
		if _, err := f.gateway().Start(context.Background(), a); !errors.Is(err, gateway.ErrRejected) || len(f.calls()) != 0 {
			t.Errorf("err = %v calls %v", err, f.calls())
		}
	})
}

// TestStartRedirectMethods: UnionPay and Alipay are Create Charge with their source_type and a
// redirect to the Dynamic URL (spec §3.4, §3.5).
func TestStartRedirectMethods(t *testing.T) {
	for _, method := range []string{"unionpay", "alipay"} {
		t.Run(method, func(t *testing.T) {
			f := newFake(t)
			f.on("POST", "/card/v2/charge", http.StatusOK, chargeJSON("transaction_state", `"Initialize"`,
				"redirect_url", `"http://kpgw.kasikornbank.com/alipay/dfesf31223/"`,
				"source", `{"id":"redr_test_1","object":"redirect","brand":"Alipay"}`))
			st, err := f.gateway().Start(context.Background(), attempt(method))
			if err != nil {
				t.Fatal(err)
			}
			if st.Action.Kind != gateway.ActionRedirect || st.Action.URL != "http://kpgw.kasikornbank.com/alipay/dfesf31223/" || st.PaymentID != testChargeID {
				t.Errorf("started %+v", st)
			}
			b := f.lastJSON()
			if b["source_type"] != method || b["reference_order"] != testRef || b["amount"] != json.Number("200.50") {
				t.Errorf("body %v", b)
			}
			for _, k := range []string{"token", "mode", "dcc_data", "smartpay"} {
				if _, ok := b[k]; ok {
					t.Errorf("%s sent", k)
				}
			}
			_, hasMID := b["additional_data"]
			if hasMID != (method == "unionpay") {
				t.Errorf("additional_data %v", b["additional_data"])
			}
		})
	}
	t.Run("refused at once", func(t *testing.T) {
		f := newFake(t)
		f.on("POST", "/card/v2/charge", http.StatusOK, chargeJSON("transaction_state", `"Initialize"`, "status", `"fail"`, "failure_code", `"card_error"`))
		st, err := f.gateway().Start(context.Background(), attempt("unionpay"))
		if err != nil {
			t.Fatal(err)
		}
		if st.Action.Kind != gateway.ActionWait || st.Result == nil || st.Result.Status != gateway.StatusFailed {
			t.Errorf("started %+v", st)
		}
	})
}

// TestStartQR: Thai QR and WeChat Pay create an Order and embed the QR button (spec §2.5,
// §3.3); its post goes to Continue (TestContinueQR).
func TestStartQR(t *testing.T) {
	for method, source := range map[string]string{"thaiqr": "qr", "wechat": "wechat"} {
		t.Run(method, func(t *testing.T) {
			f := newFake(t)
			f.on("POST", "/qr/v2/order", http.StatusOK, `{"id":"`+testOrderID+`","object":"order","amount":200.5,"currency":"THB",
				"reference_order":"`+testRef+`","source_type":"card","description":"x","status":"success","created":"20180625121550200",
				"livemode":false,"failure_code":null,"failure_message":null,"expire_time_seconds":" 3600"}`)
			a := attempt(method)
			st, err := f.gateway().Start(context.Background(), a)
			if err != nil {
				t.Fatal(err)
			}
			if st.Action.Kind != gateway.ActionEmbed || st.Action.Embed == nil || st.PaymentID != testOrderID {
				t.Fatalf("started %+v", st)
			}
			e := st.Action.Embed
			want := []gateway.Field{
				{Name: "data-apikey", Value: testPublic}, {Name: "data-amount", Value: "200.50"}, {Name: "data-payment-methods", Value: source},
				{Name: "data-order-id", Value: testOrderID}, {Name: "data-name", Value: "Bawaba Test"},
			}
			if !reflect.DeepEqual(e.Attributes, want) {
				t.Errorf("attributes\n got %v\nwant %v", e.Attributes, want)
			}
			if e.ScriptURL != f.base()+"/ui/v2/kpayment.min.js" || !reflect.DeepEqual(e.FrameOrigins, []string{f.srv.URL}) {
				t.Errorf("embed %+v", e)
			}
			// The order expires after 3600 s, but the checkout order's 30 minutes come first.
			if st.State[stateQRExpires] != fixedNow.Add(30*time.Minute).Format(time.RFC3339) {
				t.Errorf("state %v", st.State)
			}
			b := f.lastJSON()
			wantBody := map[string]any{"amount": json.Number("200.50"), "currency": "THB", "description": "Two ceramic cups",
				"source_type": source, "reference_order": testRef, "ref_1": "ord_7pQ2xL9mN4rT6vY8zB1cD3", "ref_2": "INV-1001"}
			if !reflect.DeepEqual(b, wantBody) {
				t.Errorf("body\n got %v\nwant %v", b, wantBody)
			}
		})
	}
	t.Run("order refused", func(t *testing.T) {
		f := newFake(t)
		f.on("POST", "/qr/v2/order", http.StatusOK, `{"id":"","object":"order","status":"fail","failure_code":"sof_is_empty","failure_message":"no source of fund"}`)
		_, err := f.gateway().Start(context.Background(), attempt("thaiqr"))
		if !errors.Is(err, gateway.ErrRejected) || !strings.Contains(err.Error(), "sof_is_empty") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("error object", func(t *testing.T) {
		f := newFake(t)
		f.on("POST", "/qr/v2/order", http.StatusBadRequest, `{"object":"error","code":"amount_invalid","message":"Amount must be positive"}`)
		if _, err := f.gateway().Start(context.Background(), attempt("wechat")); !errors.Is(err, gateway.ErrRejected) {
			t.Errorf("err = %v", err)
		}
	})
}

func TestReferenceRoundTrip(t *testing.T) {
	ref, err := referenceFor(testAttemptID)
	if err != nil || ref != testRef {
		t.Fatalf("referenceFor = %q, %v", ref, err)
	}
	if id, ok := attemptIDFromReference(ref); !ok || id != testAttemptID {
		t.Errorf("attemptIDFromReference = %q, %v", id, ok)
	}
	for _, bad := range []string{"", "att_", "ord_3hT9", "att_a-b", "att_" + strings.Repeat("x", 48)} {
		if _, err := referenceFor(bad); err == nil {
			t.Errorf("referenceFor(%q) accepted", bad)
		}
	}
	for _, bad := range []string{"WT123456", "att", "att_x", "20200530175600"} {
		if _, ok := attemptIDFromReference(bad); ok {
			t.Errorf("attemptIDFromReference(%q) accepted", bad)
		}
	}
}
