package click

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
	"unicode/utf8"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/gateway/internal/wire"
	"github.com/bawaba/checkout/money"
)

func testAttempt() gateway.Attempt {
	return gateway.Attempt{
		ID:          "att_01HXYZ",
		Seq:         356,
		OrderID:     "ord_01HABC",
		Reference:   "INV-1001",
		Method:      gateway.MethodClick,
		Amount:      money.MustParse("6", "KWD"),
		Description: "Order INV-1001",
		Customer:    gateway.Customer{Name: " Fatima Al Sabah ", Email: "fatima@example.com", Phone: "+965 5123-4567"},
		Locale:      "ar",
		ReturnURL:   "https://pay.example/return/click/att_01HXYZ",
		WebhookURL:  "https://pay.example/webhooks/click",
	}
}

// started runs Start against f and returns the attempt as the order service would keep it.
func started(t *testing.T, f *fakeClick, g *Gateway) gateway.Attempt {
	t.Helper()
	a := testAttempt()
	st, err := g.Start(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	a.PaymentID, a.State = st.PaymentID, st.State
	return a
}

func TestNameSupports(t *testing.T) {
	g := New(Config{})
	if g.Name() != "click" {
		t.Errorf("Name() = %q", g.Name())
	}
	tests := []struct {
		method, currency string
		want             bool
	}{
		{"click", "KWD", true},
		{"click", "USD", false},
		{"click", "kwd", false},
		{"knet", "KWD", false},
		{"card", "KWD", false},
		{"", "KWD", false},
	}
	for _, tt := range tests {
		if got := g.Supports(tt.method, tt.currency); got != tt.want {
			t.Errorf("Supports(%q, %q) = %v, want %v", tt.method, tt.currency, got, tt.want)
		}
	}
}

func TestStartRequests(t *testing.T) {
	for _, locale := range []string{"ar", "en", ""} {
		t.Run("locale "+locale, func(t *testing.T) {
			f := newFakeClick(t)
			f.expire = seedExpire
			a := testAttempt()
			a.Locale = locale
			st, err := f.gateway().Start(context.Background(), a)
			if err != nil {
				t.Fatal(err)
			}
			wantURL := f.srv.URL + "/sandbox/click/pay/" + seedSession
			if st.Action.Kind != gateway.ActionRedirect || st.Action.URL != wantURL || st.Result != nil {
				t.Errorf("Started = %+v, want redirect to %s", st, wantURL)
			}
			if st.PaymentID != seedSession {
				t.Errorf("PaymentID = %q (the seed's spaces must be trimmed)", st.PaymentID)
			}
			wantState := map[string]string{
				"session_id":      seedSession,
				"indicator":       seedIndicator,
				"order_id":        "356",
				"amount":          "6.00",
				"session_expires": "2019-01-20T11:46:16Z",
			}
			if len(st.State) != len(wantState) {
				t.Errorf("State = %v", st.State)
			}
			for k, v := range wantState {
				if st.State[k] != v {
					t.Errorf("State[%s] = %q, want %q", k, st.State[k], v)
				}
			}

			reqs := f.all()
			if len(reqs) != 2 {
				t.Fatalf("%d requests, want 2", len(reqs))
			}
			wantLang := "en"
			if locale == "ar" {
				wantLang = "ar"
			}
			for i, want := range []string{
				"/sandbox/click/api/developer/gatedeveloper/Dev1",
				"/sandbox/click/api/developer/gatedeveloper/sessionupdate/Dev1/" + wantLang,
			} {
				r := reqs[i]
				if r.Path != want {
					t.Errorf("request %d path = %s, want %s", i, r.Path, want)
				}
				for h, v := range map[string]string{"Authorization": "Bearer " + testToken, "Content-Type": "application/json"} {
					if got := r.Header.Get(h); got != v {
						t.Errorf("request %d header %s = %q", i, h, got)
					}
				}
			}
			if len(reqs[0].Body) != 0 {
				t.Errorf("Create Session has a body: %q", reqs[0].Body)
			}
			body := reqs[1].Body
			if !bytes.Contains(body, []byte(`"order_amout":6.00,`)) || !bytes.Contains(body, []byte(`"order_id":356,`)) {
				t.Errorf("amount or order id not sent as JSON numbers: %s", body)
			}
			var got map[string]any
			d := json.NewDecoder(bytes.NewReader(body))
			d.UseNumber()
			if err := d.Decode(&got); err != nil {
				t.Fatal(err)
			}
			want := map[string]any{
				"session_id":       seedSession,
				"order_id":         json.Number("356"),
				"order_amout":      json.Number("6.00"),
				"return_url":       "https://pay.example/return/click/att_01HXYZ",
				"customer_name":    "Fatima Al Sabah",
				"customer_phone":   "96551234567",
				"customer_email":   "fatima@example.com",
				"customer_comment": "INV-1001 / att_01HXYZ",
			}
			if len(got) != len(want) {
				t.Errorf("body has %d fields, want %d: %s", len(got), len(want), body)
			}
			for k, v := range want {
				if got[k] != v {
					t.Errorf("body %s = %#v, want %#v", k, got[k], v)
				}
			}
			for _, r := range reqs {
				if bytes.Contains(r.Body, []byte(testToken)) {
					t.Error("the token is in a body")
				}
			}
		})
	}
}

func TestStartOptionalFields(t *testing.T) {
	f := newFakeClick(t)
	a := testAttempt()
	a.Customer, a.Reference = gateway.Customer{Phone: "n/a"}, ""
	if _, err := f.gateway().Start(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	body := f.all()[1].Body
	for _, k := range []string{"customer_name", "customer_phone", "customer_email"} {
		if bytes.Contains(body, []byte(k)) {
			t.Errorf("%s sent though empty: %s", k, body)
		}
	}
	if !bytes.Contains(body, []byte(`"customer_comment":"att_01HXYZ"`)) {
		t.Errorf("comment: %s", body)
	}
}

func TestStartAmounts(t *testing.T) {
	tests := []struct {
		amount string
		want   string // the order_amout literal; "" = refused before any call
	}{
		{"6", "6.00"},
		{"6.000", "6.00"},
		{"0.5", "0.50"},
		{"0.01", "0.01"},
		{"12.25", "12.25"},
		{"999999.99", "999999.99"},
		{"6.125", ""},
		{"0.001", ""},
		{"1000000", ""},
	}
	for _, tt := range tests {
		t.Run(tt.amount, func(t *testing.T) {
			f := newFakeClick(t)
			a := testAttempt()
			a.Amount = money.MustParse(tt.amount, "KWD")
			st, err := f.gateway().Start(context.Background(), a)
			if tt.want == "" {
				checkErr(t, err, gateway.ErrRejected, "2 decimals", "999999.99")
				if f.count() != 0 {
					t.Errorf("%d calls made for a refused amount", f.count())
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Contains(f.all()[1].Body, []byte(`"order_amout":`+tt.want+`,`)) {
				t.Errorf("body = %s, want order_amout %s", f.all()[1].Body, tt.want)
			}
			if st.State["amount"] != tt.want {
				t.Errorf("State amount = %q", st.State["amount"])
			}
		})
	}
}

func TestStartRefusesBadAttempt(t *testing.T) {
	tests := map[string]func(*gateway.Attempt){
		"not KWD":             func(a *gateway.Attempt) { a.Amount = money.MustParse("6.00", "USD") },
		"no amount":           func(a *gateway.Attempt) { a.Amount = money.Amount{} },
		"no seq":              func(a *gateway.Attempt) { a.Seq = 0 },
		"seq beyond int(11)":  func(a *gateway.Attempt) { a.Seq = 1 << 31 },
		"no attempt id":       func(a *gateway.Attempt) { a.ID = "" },
		"no return URL":       func(a *gateway.Attempt) { a.ReturnURL = "" },
		"relative return URL": func(a *gateway.Attempt) { a.ReturnURL = "/return/click/att_1" },
		"long return URL":     func(a *gateway.Attempt) { a.ReturnURL = "https://pay.example/" + strings.Repeat("x", 240) },
	}
	for name, mod := range tests {
		t.Run(name, func(t *testing.T) {
			f := newFakeClick(t)
			a := testAttempt()
			mod(&a)
			_, err := f.gateway().Start(context.Background(), a)
			checkErr(t, err, gateway.ErrRejected)
			var ce *Error
			if !errors.As(err, &ce) || ce.Reason != gateway.ReasonGatewayError {
				t.Errorf("err = %#v, want *Error with reason gateway_error", err)
			}
			if f.count() != 0 {
				t.Errorf("%d calls made", f.count())
			}
		})
	}
	t.Run("not configured", func(t *testing.T) {
		f := newFakeClick(t)
		for _, cfg := range []Config{
			{BaseURL: f.base(), DeveloperUser: testDev},
			{BaseURL: f.base(), Token: testToken},
			{DeveloperUser: testDev, Token: testToken},
		} {
			cfg.HTTPClient = f.srv.Client()
			_, err := New(cfg).Start(context.Background(), testAttempt())
			checkErr(t, err, gateway.ErrRejected, "configured")
		}
		if f.count() != 0 {
			t.Errorf("%d calls made", f.count())
		}
	})
}

// TestStartPaymentPage covers how the shopper reaches Click's page (spec §3.2 gap).
func TestStartPaymentPage(t *testing.T) {
	tests := []struct {
		name     string
		update   canned
		pageTmpl string
		want     string // "" with wantErr
		wantErr  error
	}{
		{name: "payment_url absolute", update: canned{body: `{"payment_url":"https://clickkw.com/gateway/pay/abc"}`},
			want: "https://clickkw.com/gateway/pay/abc"},
		{name: "payment_url relative", update: canned{body: `{"payment_url":"/sandbox/click/pay/abc?x=1"}`},
			want: "{srv}/sandbox/click/pay/abc?x=1"},
		{name: "inside gatewayResponse", update: canned{body: `{"apiVersion":1,"gatewayResponse":{"result":"SUCCESS","payment_url":"https://clickkw.com/p/1"}}`},
			want: "https://clickkw.com/p/1"},
		{name: "url key", update: canned{body: `{"url":"https://clickkw.com/p/2"}`}, want: "https://clickkw.com/p/2"},
		{name: "302 Location", update: canned{status: http.StatusFound, header: map[string]string{"Location": "https://clickkw.com/gateway/abc"}},
			want: "https://clickkw.com/gateway/abc"},
		{name: "303 relative Location", update: canned{status: http.StatusSeeOther, header: map[string]string{"Location": "/gw/abc"}},
			want: "{srv}/gw/abc"},
		{name: "302 without Location", update: canned{status: http.StatusFound}, wantErr: gateway.ErrUnavailable},
		{name: "html without url, template", update: canned{header: map[string]string{"Content-Type": "text/html"}, body: `<html>CLK</html>`},
			pageTmpl: "https://clickkw.com/gateway?session_id={session_id}", want: "https://clickkw.com/gateway?session_id=" + seedSession},
		{name: "html without url, no template", update: canned{body: `<html>CLK</html>`}, wantErr: gateway.ErrUnavailable},
		{name: "success without url", update: canned{body: `{"apiVersion":1,"gatewayResponse":{"result":"SUCCESS"}}`}, wantErr: gateway.ErrUnavailable},
		{name: "javascript url", update: canned{body: `{"payment_url":"javascript:alert(1)"}`}, wantErr: gateway.ErrUnavailable},
		{name: "javascript url beats template", update: canned{body: `{"payment_url":"javascript:alert(1)"}`},
			pageTmpl: "https://clickkw.com/g?s={session_id}", wantErr: gateway.ErrUnavailable},
		{name: "result not success", update: canned{body: `{"apiVersion":1,"gatewayResponse":{"result":"ERROR"}}`}, wantErr: gateway.ErrRejected},
		{name: "update answers 500", update: canned{status: 500, body: `oops`}, wantErr: gateway.ErrUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeClick(t)
			up := tt.update
			f.update = &up
			g := New(Config{BaseURL: f.base(), DeveloperUser: testDev, Token: testToken, HTTPClient: f.srv.Client(), PayPageURL: tt.pageTmpl})
			st, err := g.Start(context.Background(), testAttempt())
			if tt.wantErr != nil {
				checkErr(t, err, tt.wantErr)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := strings.ReplaceAll(tt.want, "{srv}", f.srv.URL)
			if st.Action.Kind != gateway.ActionRedirect || st.Action.URL != want {
				t.Errorf("Action = %+v, want redirect to %s", st.Action, want)
			}
		})
	}
}

// TestClientRedirectPolicy: our no-follow policy must not leak into the caller's client.
func TestClientRedirectPolicy(t *testing.T) {
	c := &http.Client{}
	New(Config{HTTPClient: c})
	if c.CheckRedirect != nil {
		t.Error("New changed the caller's http.Client")
	}
}

// TestErrorCatalog maps every error of spec §5 on every call.
func TestErrorCatalog(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		want   error
		code   string
		reason string
	}{
		{"INVALID_REQUEST", 200, bodyInvalidRequest, gateway.ErrRejected, "INVALID_REQUEST", gateway.ReasonGatewayError},
		{"INVALID_AUTH", 200, bodyInvalidAuth, gateway.ErrRejected, "INVALID_AUTH", gateway.ReasonGatewayError},
		{"INVALID_AUTH 401", 401, bodyInvalidAuth, gateway.ErrRejected, "INVALID_AUTH", gateway.ReasonGatewayError},
		{"INVALID_HEADER", 200, bodyInvalidHeader, gateway.ErrRejected, "INVALID_HEADER", gateway.ReasonGatewayError},
		{"Developer Not Supported", 200, bodyDevNotSupport, gateway.ErrRejected, "Developer Not Supported", gateway.ReasonGatewayError},
		{"Developer Not Accepted", 200, bodyDevNotAccept, gateway.ErrRejected, "Developer Not Accepted", gateway.ReasonGatewayError},
		{"Developer Suspended", 403, bodyDevSuspended, gateway.ErrRejected, "Developer Suspended", gateway.ReasonGatewayError},
		{"ORDER Duplicate", 200, bodyDuplicate, gateway.ErrRejected, "ORDER Duplicate", gateway.ReasonGatewayError},
		{"Session Expire", 200, bodySessionExpire, gateway.ErrUnavailable, "Session Expire", gateway.ReasonTimeout},
		{"INVALID SESSION", 200, bodyInvalidSession, gateway.ErrRejected, "INVALID SESSION", gateway.ReasonGatewayError},
		{"unknown gateway error", 200, `{"apiVersion":"1","gatewayResponse":{"error":"NEW_THING","status":"false"}}`, gateway.ErrRejected, "NEW_THING", gateway.ReasonGatewayError},
		{"unknown message status 0", 200, `{"message":" Something New ","status":0}`, gateway.ErrRejected, "Something New", gateway.ReasonGatewayError},
		{"unknown message 502", 502, `{"message":"Bad gateway","status":-1}`, gateway.ErrUnavailable, "Bad gateway", gateway.ReasonGatewayError},
		{"HTTP 404", 404, `not found`, gateway.ErrRejected, "HTTP 404", gateway.ReasonGatewayError},
		{"HTTP 429", 429, ``, gateway.ErrUnavailable, "HTTP 429", gateway.ReasonGatewayError},
		{"HTTP 500", 500, `<html>`, gateway.ErrUnavailable, "HTTP 500", gateway.ReasonGatewayError},
		{"HTTP 503", 503, `{}`, gateway.ErrUnavailable, "HTTP 503", gateway.ReasonGatewayError},
		{"echoed token", 200, `{"message":"bad token ` + testToken + `","status":0}`, gateway.ErrRejected, "[redacted]", gateway.ReasonGatewayError},
	}
	for _, tt := range tests {
		for _, call := range []string{"create", "update", "status"} {
			t.Run(tt.name+"/"+call, func(t *testing.T) {
				f := newFakeClick(t)
				g := f.gateway()
				c := &canned{status: tt.status, body: tt.body}
				var err error
				switch call {
				case "create":
					f.create = c
					_, err = g.Start(context.Background(), testAttempt())
				case "update":
					f.update = c
					_, err = g.Start(context.Background(), testAttempt())
				case "status":
					a := started(t, f, g)
					f.status = c
					var res gateway.Result
					res, err = g.Inquire(context.Background(), a)
					if tt.code == "Session Expire" {
						// On Payment Status an expired session is a result, not an error.
						if err != nil || res.Status != gateway.StatusExpired || res.Reason != gateway.ReasonTimeout {
							t.Fatalf("Inquire = %+v, %v; want expired/timeout", res, err)
						}
						return
					}
				}
				checkErr(t, err, tt.want, tt.code)
				var ce *Error
				if !errors.As(err, &ce) || ce.Reason != tt.reason {
					t.Errorf("err = %#v, want reason %q", err, tt.reason)
				}
			})
		}
	}

	t.Run("fake's own auth checks", func(t *testing.T) {
		f := newFakeClick(t)
		for _, tc := range []struct {
			cfg  Config
			code string
		}{
			{Config{BaseURL: f.base(), DeveloperUser: testDev, Token: "wrong-token-123"}, "INVALID_AUTH"},
			{Config{BaseURL: f.base(), DeveloperUser: "Dev2", Token: testToken}, "Developer Not Supported"},
		} {
			tc.cfg.HTTPClient = f.srv.Client()
			_, err := New(tc.cfg).Start(context.Background(), testAttempt())
			checkErr(t, err, gateway.ErrRejected, tc.code)
			if strings.Contains(err.Error(), "wrong-token-123") {
				t.Error("the token is in the error")
			}
		}
	})

	t.Run("duplicate order_id", func(t *testing.T) {
		f := newFakeClick(t)
		g := f.gateway()
		started(t, f, g)
		_, err := g.Start(context.Background(), testAttempt())
		checkErr(t, err, gateway.ErrRejected, "ORDER Duplicate", "unique")
	})

	t.Run("network", func(t *testing.T) {
		f := newFakeClick(t)
		g := f.gateway()
		a := started(t, f, g)
		f.srv.Close()
		_, err := g.Start(context.Background(), testAttempt())
		checkErr(t, err, gateway.ErrUnavailable, "NETWORK")
		_, err = g.Inquire(context.Background(), a)
		checkErr(t, err, gateway.ErrUnavailable, "NETWORK")
		q := url.Values{"message": {"success"}, "message_type": {"success"}, "indicator_status": {seedIndicator}}
		_, err = g.Return(context.Background(), a, q)
		checkErr(t, err, gateway.ErrUnavailable, "NETWORK")
	})

	t.Run("create without session", func(t *testing.T) {
		for _, body := range []string{
			`{"apiVersion":1,"gatewayResponse":{"result":"SUCCESS","indicator_status":"x"}}`,
			`{"apiVersion":1,"gatewayResponse":{"result":"SUCCESS","session_id":"x"}}`,
			`{"apiVersion":1}`,
			`<html>`,
		} {
			f := newFakeClick(t)
			f.create = &canned{body: body}
			_, err := f.gateway().Start(context.Background(), testAttempt())
			checkErr(t, err, gateway.ErrUnavailable)
		}
	})
}

func checkErr(t *testing.T, err, want error, contains ...string) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("err = %v, want %v", err, want)
	}
	msg := err.Error()
	found := len(contains) == 0
	for _, c := range contains {
		if strings.Contains(msg, c) {
			found = true
		}
	}
	if !found {
		t.Errorf("err = %q, want it to contain one of %q", msg, contains)
	}
	if strings.Contains(msg, testToken) {
		t.Errorf("the token is in the error: %q", msg)
	}
}

// TestInquireStatusMapping covers every row of the Payment Status mapping.
func TestInquireStatusMapping(t *testing.T) {
	exp := time.Date(2019, 1, 20, 11, 46, 16, 0, time.UTC) // the seed's session_expire
	tests := []struct {
		name   string
		body   string
		now    time.Time
		want   gateway.Status
		reason string
	}{
		{"seed sample as printed", "{\n  \"Order_id\": 356,\n  \"Status\": success,\n  \"Response\": success\n}", exp, gateway.StatusPaid, ""},
		{"success", `{"Order_id":356,"Status":"success","Response":"success"}`, exp, gateway.StatusPaid, ""},
		{"success upper case", `{"Order_id":"356","Status":"SUCCESS","Response":"Success"}`, exp, gateway.StatusPaid, ""},
		{"success without Response", `{"Order_id":356,"Status":"success"}`, exp, gateway.StatusPaid, ""},
		{"success lower-case keys", `{"order_id":356,"status":"success","response":"success"}`, exp, gateway.StatusPaid, ""},
		{"success but Response not", `{"Order_id":356,"Status":"success","Response":"pending"}`, exp, gateway.StatusUnknown, ""},
		{"No_status", `{"Order_id":356,"Status":"No_status","Response":"No_status"}`, exp, gateway.StatusPending, ""},
		{"No_status just after expiry", `{"Order_id":356,"Status":"No_status"}`, exp.Add(10 * time.Minute), gateway.StatusPending, ""},
		{"No_status long after expiry", `{"Order_id":356,"Status":"No_status"}`, exp.Add(16 * time.Minute), gateway.StatusExpired, gateway.ReasonTimeout},
		{"error", `{"Order_id":356,"Status":"error","Response":"error"}`, exp, gateway.StatusFailed, gateway.ReasonNotCompleted},
		{"failed", `{"Order_id":356,"Status":"failed","Response":"failed"}`, exp, gateway.StatusFailed, gateway.ReasonNotCompleted},
		{"wrong", `{"Order_id":356,"Status":"wrong"}`, exp, gateway.StatusFailed, gateway.ReasonNotCompleted},
		{"declined", `{"Order_id":356,"Status":"declined"}`, exp, gateway.StatusFailed, gateway.ReasonDeclined},
		{"cancelled", `{"Order_id":356,"Status":"cancelled"}`, exp, gateway.StatusCancelled, gateway.ReasonCancelled},
		{"expired", `{"Order_id":356,"Status":"expired"}`, exp, gateway.StatusExpired, gateway.ReasonTimeout},
		{"Session Expire body", bodySessionExpire, exp, gateway.StatusExpired, gateway.ReasonTimeout},
		{"something new", `{"Order_id":356,"Status":"processing","Response":"processing"}`, exp, gateway.StatusUnknown, ""},
		{"number", `{"Order_id":356,"Status":1,"Response":1}`, exp, gateway.StatusUnknown, ""},
		{"true", `{"Order_id":356,"Status":true}`, exp, gateway.StatusUnknown, ""},
		{"empty status", `{"Order_id":356,"Status":""}`, exp, gateway.StatusUnknown, ""},
		{"no status", `{"Order_id":356}`, exp, gateway.StatusUnknown, ""},
		{"empty object", `{}`, exp, gateway.StatusUnknown, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeClick(t)
			f.expire = seedExpire
			g := f.gateway()
			a := started(t, f, g)
			g.now = func() time.Time { return tt.now }
			f.status = &canned{body: tt.body}
			res, err := g.Inquire(context.Background(), a)
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != tt.want || res.Reason != tt.reason {
				t.Errorf("got %s/%q, want %s/%q", res.Status, res.Reason, tt.want, tt.reason)
			}
			if res.PaymentID != seedSession || string(res.Raw) != tt.body {
				t.Errorf("PaymentID %q, Raw %q", res.PaymentID, res.Raw)
			}
			if res.Status == gateway.StatusPaid && !res.Amount.Equal(money.MustParse("6", "KWD")) {
				t.Errorf("Amount = %s %s", res.Amount, res.Amount.Currency().Code)
			}
			if strings.Contains(tt.body, "356") && (res.OurReference != "att_01HXYZ" || res.TrackID != "356") {
				t.Errorf("OurReference %q, TrackID %q", res.OurReference, res.TrackID)
			}
			last := f.all()[len(f.all())-1]
			if last.Path != "/sandbox/click/api/developer/gatedeveloper/paymentstatus/Dev1" ||
				string(last.Body) != `{"session_id":"`+seedSession+`","order_id":356}` {
				t.Errorf("request %s %s", last.Path, last.Body)
			}
		})
	}
}

func TestInquireAmountAndReference(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		state   map[string]string // replaces these State keys ("" deletes)
		amount  string            // "" = zero Amount
		ourRef  string
		wantErr error
	}{
		{name: "no amount reported: the amount sent", body: `{"Order_id":356,"Status":"success"}`, amount: "6.000", ourRef: "att_01HXYZ"},
		{name: "order_amout reported", body: `{"Order_id":356,"Status":"success","order_amout":"6.000"}`, amount: "6.000", ourRef: "att_01HXYZ"},
		{name: "Order_amout number", body: `{"Order_id":356,"Status":"success","Order_amout":5.5}`, amount: "5.500", ourRef: "att_01HXYZ"},
		{name: "amount reported different", body: `{"Order_id":356,"Status":"success","amount":"7"}`, amount: "7.000", ourRef: "att_01HXYZ"},
		{name: "amount unreadable", body: `{"Order_id":356,"Status":"success","amount":"six"}`, amount: "", ourRef: "att_01HXYZ"},
		{name: "amount with 4 decimals", body: `{"Order_id":356,"Status":"success","amount":6.0001}`, amount: "", ourRef: "att_01HXYZ"},
		{name: "no amount anywhere", body: `{"Order_id":356,"Status":"success"}`, state: map[string]string{"amount": ""}, amount: "", ourRef: "att_01HXYZ"},
		{name: "no order id echoed", body: `{"Status":"success"}`, amount: "6.000", ourRef: ""},
		{name: "another order id", body: `{"Order_id":357,"Status":"success"}`, wantErr: gateway.ErrUnavailable},
		{name: "state order id wins", body: `{"Order_id":900,"Status":"success"}`, state: map[string]string{"order_id": "900"}, amount: "6.000", ourRef: "att_01HXYZ"},
		{name: "bad state order id", body: `{}`, state: map[string]string{"order_id": "x"}, wantErr: gateway.ErrBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeClick(t)
			g := f.gateway()
			a := started(t, f, g)
			for k, v := range tt.state {
				if v == "" {
					delete(a.State, k)
				} else {
					a.State[k] = v
				}
			}
			f.status = &canned{body: tt.body}
			res, err := g.Inquire(context.Background(), a)
			if tt.wantErr != nil {
				checkErr(t, err, tt.wantErr)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.amount == "" {
				if res.Amount.Currency().Code != "" {
					t.Errorf("Amount = %s, want the zero Amount", res.Amount)
				}
			} else if !res.Amount.Equal(money.MustParse(tt.amount, "KWD")) {
				t.Errorf("Amount = %s, want %s", res.Amount, tt.amount)
			}
			if res.OurReference != tt.ourRef {
				t.Errorf("OurReference = %q, want %q", res.OurReference, tt.ourRef)
			}
		})
	}
}

func TestInquireWithoutSession(t *testing.T) {
	f := newFakeClick(t)
	res, err := f.gateway().Inquire(context.Background(), testAttempt())
	if err != nil || res.Status != gateway.StatusUnknown {
		t.Errorf("Inquire = %+v, %v", res, err)
	}
	if f.count() != 0 {
		t.Errorf("%d calls made", f.count())
	}
}

// TestReturn covers the browser return (spec §3.3): the query only triggers Payment Status.
func TestReturn(t *testing.T) {
	type q = url.Values
	ok := q{"message": {"success"}, "message_type": {"success"}, "indicator_status": {seedIndicator}}
	wrong := q{"message": {"error"}, "message_type": {"wrong"}, "indicator_status": {"ERROR8541129656601357"}}
	tests := []struct {
		name      string
		query     url.Values
		clickSays string // the session's Payment Status
		noState   bool
		want      gateway.Status
		reason    string
		wantErr   error
		calls     int // Payment Status calls expected
	}{
		{name: "success, paid", query: ok, clickSays: "success", want: gateway.StatusPaid, calls: 1},
		{name: "success as POST form, upper case", query: q{"message": {"SUCCESS"}, "message_type": {"Success"}, "indicator_status": {seedIndicator, seedIndicator}},
			clickSays: "success", want: gateway.StatusPaid, calls: 1},
		{name: "success, Click not caught up", query: ok, clickSays: "No_status", want: gateway.StatusUnknown, calls: 1},
		{name: "success, Click says failed", query: ok, clickSays: "failed", want: gateway.StatusFailed, reason: gateway.ReasonNotCompleted, calls: 1},
		{name: "success, Click says something new", query: ok, clickSays: "processing", want: gateway.StatusUnknown, calls: 1},
		{name: "forged: wrong indicator", query: q{"message": {"success"}, "message_type": {"success"}, "indicator_status": {"VTU0IPTjQ1UHdjdkljslaskdjwdsdjwdsjldiaX"}},
			clickSays: "success", wantErr: gateway.ErrBadRequest},
		{name: "forged: indicator prefix", query: q{"message": {"success"}, "message_type": {"success"}, "indicator_status": {seedIndicator[:10]}},
			clickSays: "success", wantErr: gateway.ErrBadRequest},
		{name: "forged: indicator other case", query: q{"message": {"success"}, "message_type": {"success"}, "indicator_status": {strings.ToLower(seedIndicator)}},
			clickSays: "success", wantErr: gateway.ErrBadRequest},
		{name: "forged: no indicator", query: q{"message": {"success"}, "message_type": {"success"}}, clickSays: "success", wantErr: gateway.ErrBadRequest},
		{name: "forged: the session id as indicator", query: q{"message": {"success"}, "message_type": {"success"}, "indicator_status": {seedSession}},
			clickSays: "success", wantErr: gateway.ErrBadRequest},
		{name: "two different indicators", query: q{"message": {"success"}, "message_type": {"success"}, "indicator_status": {seedIndicator, "x"}},
			clickSays: "success", wantErr: gateway.ErrBadRequest},
		{name: "success with message_type wrong", query: q{"message": {"success"}, "message_type": {"wrong"}, "indicator_status": {seedIndicator}},
			clickSays: "success", wantErr: gateway.ErrBadRequest},
		{name: "empty query", query: q{}, clickSays: "success", wantErr: gateway.ErrBadRequest},
		{name: "unknown message", query: q{"message": {"maybe"}}, clickSays: "success", wantErr: gateway.ErrBadRequest},
		{name: "attempt without state", query: ok, clickSays: "success", noState: true, wantErr: gateway.ErrBadRequest},
		{name: "error/wrong", query: wrong, clickSays: "No_status", want: gateway.StatusFailed, reason: gateway.ReasonNotCompleted, calls: 1},
		{name: "error/wrong, status unknown", query: wrong, clickSays: "processing", want: gateway.StatusFailed, reason: gateway.ReasonNotCompleted, calls: 1},
		{name: "error/wrong but Click says paid", query: wrong, clickSays: "success", want: gateway.StatusPaid, calls: 1},
		{name: "error/wrong, session expired", query: wrong, clickSays: "expired", want: gateway.StatusExpired, reason: gateway.ReasonTimeout, calls: 1},
		{name: "error/cancel", query: q{"message": {"error"}, "message_type": {"cancel"}, "indicator_status": {"ERROR1"}},
			clickSays: "No_status", want: gateway.StatusCancelled, reason: gateway.ReasonCancelled, calls: 1},
		{name: "error with our indicator", query: q{"message": {"error"}, "message_type": {"wrong"}, "indicator_status": {seedIndicator}},
			clickSays: "No_status", want: gateway.StatusFailed, reason: gateway.ReasonNotCompleted, calls: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeClick(t)
			g := f.gateway()
			a := started(t, f, g)
			if tt.noState {
				a.State, a.PaymentID = nil, ""
			}
			f.setStatus(seedSession, tt.clickSays)
			before := f.count()
			res, err := g.Return(context.Background(), a, tt.query)
			calls := f.count() - before
			if tt.wantErr != nil {
				checkErr(t, err, tt.wantErr)
				if calls != 0 {
					t.Errorf("%d calls made for a refused return", calls)
				}
				if strings.Contains(err.Error(), seedIndicator) {
					t.Errorf("the indicator is in the error: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if calls != tt.calls {
				t.Errorf("%d calls, want %d", calls, tt.calls)
			}
			if res.Status != tt.want || res.Reason != tt.reason {
				t.Errorf("got %s/%q, want %s/%q", res.Status, res.Reason, tt.want, tt.reason)
			}
			if res.Status == gateway.StatusPaid {
				if !res.Amount.Equal(a.Amount) || res.OurReference != a.ID || res.PaymentID != a.PaymentID {
					t.Errorf("paid result not bound to the attempt: %+v", res)
				}
			}
			if bytes.Contains(res.Raw, []byte(seedIndicator)) || bytes.Contains(res.Raw, []byte(testToken)) ||
				strings.Contains(res.GatewayMessage, seedIndicator) {
				t.Errorf("Raw carries a secret: %s", res.Raw)
			}
		})
	}
}

func TestWebhook(t *testing.T) {
	f := newFakeClick(t)
	notes, err := f.gateway().Webhook(context.Background(), gateway.WebhookRequest{
		Header: http.Header{"Content-Type": {"application/json"}},
		Body:   []byte(`{"Order_id":356,"Status":"success","Response":"success"}`),
	})
	if notes != nil {
		t.Errorf("notes = %v", notes)
	}
	checkErr(t, err, gateway.ErrBadRequest, "click sends no notifications")
	if f.count() != 0 {
		t.Errorf("%d calls made", f.count())
	}
}

func TestLenientJSON(t *testing.T) {
	tests := []struct{ in, want string }{
		{`{"a":1}`, `{"a":1}`},
		{"{\"a\": \"x\",\n}", "{\"a\": \"x\"\n}"},
		{`{"a":[1,2,],}`, `{"a":[1,2]}`},
		{`{"Status": success, "Response": success}`, `{"Status": "success", "Response": "success"}`},
		{`{"a":true,"b":false,"c":null,"d":-1.5e3}`, `{"a":true,"b":false,"c":null,"d":-1.5e3}`},
		{`{"s":"a, }\" b",}`, `{"s":"a, }\" b"}`},
		{`{lang:en}`, `{"lang":"en"}`},
	}
	for _, tt := range tests {
		if got := string(lenientJSON([]byte(tt.in))); got != tt.want {
			t.Errorf("lenientJSON(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestKuwaitTime(t *testing.T) {
	tests := []struct {
		date, tz string
		want     time.Time
	}{
		{"2019-01-20 14:46:16.834709", "Asia/Kuwait", time.Date(2019, 1, 20, 11, 46, 16, 834709000, time.UTC)},
		{"2019-01-20 14:46:16", "", time.Date(2019, 1, 20, 11, 46, 16, 0, time.UTC)},
		{"2019-01-20T14:46:16", "Asia/Kuwait", time.Time{}},
		{"2019-01-20 14:46:16", "Mars/Olympus", time.Time{}},
	}
	for _, tt := range tests {
		if got := kuwaitTime(tt.date, tt.tz); !got.Equal(tt.want) {
			t.Errorf("kuwaitTime(%q, %q) = %v, want %v", tt.date, tt.tz, got, tt.want)
		}
	}
}

// TestFullFlow: Start, the shopper pays at Click, returns, and the result is paid and bound.
func TestFullFlow(t *testing.T) {
	f := newFakeClick(t)
	g := f.gateway()
	a := started(t, f, g)
	res, err := g.Inquire(context.Background(), a)
	if err != nil || res.Status != gateway.StatusPending {
		t.Fatalf("before payment: %+v, %v", res, err)
	}
	f.setStatus(seedSession, "success")
	ret := url.Values{"message": {"success"}, "message_type": {"success"}, "indicator_status": {seedIndicator}}
	res, err = g.Return(context.Background(), a, ret)
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != gateway.StatusPaid || !res.Amount.Equal(a.Amount) || res.OurReference != a.ID ||
		res.PaymentID != seedSession || res.TrackID != "356" || res.GatewayCode != "success" {
		t.Errorf("result = %+v", res)
	}
}

func TestClipKeepsUTF8(t *testing.T) {
	name := strings.Repeat("فاطمة ", 60) // 660 bytes of two-byte runes and spaces
	got := wire.Clip(name, 255)
	if len(got) > 255 || !utf8.ValidString(got) {
		t.Errorf("clip = %d bytes, valid %v", len(got), utf8.ValidString(got))
	}
	if wire.Clip("abc", 255) != "abc" {
		t.Error("short string changed")
	}
}
