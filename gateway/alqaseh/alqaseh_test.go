package alqaseh

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/money"
)

var testNow = time.Date(2025, 1, 10, 10, 0, 0, 0, time.UTC)

const testAttemptID = "att_7Hq2LmN4pQ8rS1tU3vW5xY" // the shape of order.NewID("att"): 26 characters

func testAttempt() gateway.Attempt {
	return gateway.Attempt{
		ID:          testAttemptID,
		Seq:         42,
		OrderID:     "ord_0A1b2C3d4E5f6G7h8I9j0K",
		Reference:   "INV-1001",
		Method:      gateway.MethodCard,
		Amount:      money.MustParse("1500", "IQD"),
		Description: "Order INV-1001 & more",
		Customer:    gateway.Customer{Name: "Zainab Ali", Email: "zainab@example.iq", Phone: "+9647700000000"},
		Locale:      "ar",
		ReturnURL:   "https://pay.example/return/alqaseh/" + testAttemptID,
		WebhookURL:  "https://pay.example/webhooks/alqaseh",
		ExpiresAt:   testNow.Add(90 * time.Minute),
	}
}

// started runs Start against f and returns the attempt as the order service would keep it.
func started(t *testing.T, f *fakeAlqaseh, a gateway.Attempt) gateway.Attempt {
	t.Helper()
	st, err := f.gateway().Start(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	a.PaymentID, a.State, a.Prior = st.PaymentID, st.State, nil
	return a
}

func TestNameSupports(t *testing.T) {
	g := New(Config{})
	if g.Name() != "alqaseh" {
		t.Errorf("Name() = %q", g.Name())
	}
	usd := New(Config{Currencies: []string{"iqd", " USD "}})
	tests := []struct {
		g                *Gateway
		method, currency string
		want             bool
	}{
		{g, "card", "IQD", true},
		{g, "card", "USD", false},
		{g, "card", "KWD", false},
		{g, "card", "iqd", false},
		{g, "knet", "IQD", false},
		{g, "", "IQD", false},
		{usd, "card", "IQD", true},
		{usd, "card", "USD", true},
		{usd, "card", "EUR", false},
		{New(Config{Currencies: []string{"XXQ"}}), "card", "XXQ", false}, // unknown to money
	}
	for _, tt := range tests {
		if got := tt.g.Supports(tt.method, tt.currency); got != tt.want {
			t.Errorf("Supports(%q, %q) = %v, want %v (currencies %v)", tt.method, tt.currency, got, tt.want, tt.g.currencies)
		}
	}
}

func TestStartRequest(t *testing.T) {
	f := newFake(t)
	st, err := f.gateway().Start(context.Background(), testAttempt())
	if err != nil {
		t.Fatal(err)
	}
	wantURL := f.srv.URL + "/sandbox/alqaseh/pay/tok0001AbC-_x"
	if st.Action.Kind != gateway.ActionRedirect || st.Action.URL != wantURL || st.Result != nil {
		t.Errorf("Started = %+v, want redirect to %s", st, wantURL)
	}
	if st.PaymentID != "pay_0001" {
		t.Errorf("PaymentID = %q", st.PaymentID)
	}
	wantState := map[string]string{"payment_id": "pay_0001", "token": "tok0001AbC-_x", "order_id": testAttemptID}
	if !mapsEqual(st.State, wantState) {
		t.Errorf("State = %v, want %v", st.State, wantState)
	}
	if got := f.calls(); !slices.Equal(got, []string{"POST /create"}) {
		t.Errorf("calls = %v", got)
	}
	r := f.last()
	for h, want := range map[string]string{
		"Authorization": "Basic cHVibGljX3Rlc3Q6THIxMHlXV21tMWRYTG9JN1ZnWENyUVZubHExM2MxRzA=",
		"Content-Type":  "application/json",
		"Accept":        "application/json",
	} {
		if got := r.Header.Get(h); got != want {
			t.Errorf("header %s = %q, want %q", h, got, want)
		}
	}
	if !bytes.Contains(r.Body, []byte(`"amount":1500,`)) {
		t.Errorf("amount is not the integer literal 1500: %s", r.Body)
	}
	body := decodeBody(t, r.Body)
	want := map[string]any{
		"amount":               json.Number("1500"),
		"currency":             "IQD",
		"order_id":             testAttemptID,
		"description":          "Order INV-1001 & more",
		"redirect_url":         "https://pay.example/return/alqaseh/" + testAttemptID,
		"webhook_url":          "https://pay.example/webhooks/alqaseh",
		"transaction_type":     "Retail",
		"email":                "zainab@example.iq",
		"token_expiry_in_hour": json.Number("2"),
	}
	for k, w := range want {
		if got := body[k]; got != w {
			t.Errorf("body %s = %#v, want %#v", k, got, w)
		}
	}
	if len(body) != len(want) {
		t.Errorf("body has %d fields, want %d: %s", len(body), len(want), r.Body)
	}
	if bytes.Contains(r.Body, []byte(testSecret)) {
		t.Error("the secret is in the body")
	}
}

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

func mapsEqual(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func TestStartAmounts(t *testing.T) {
	tests := []struct {
		amount, currency string
		want             string // the JSON literal sent; "" = refused with ErrRejected
	}{
		{"1500", "IQD", "1500"},
		{"1500.000", "IQD", "1500"},
		{"250000", "IQD", "250000"},
		{"1500.5", "IQD", ""},
		{"1500.001", "IQD", ""},
		{"0.500", "IQD", ""},
		{"12.5", "USD", "12.50"},
		{"12", "USD", "12.00"},
		{"0.01", "USD", "0.01"},
	}
	for _, tt := range tests {
		t.Run(tt.amount+tt.currency, func(t *testing.T) {
			f := newFake(t)
			cfg := f.config()
			cfg.Currencies = []string{"IQD", "USD"}
			g := New(cfg)
			g.now = func() time.Time { return testNow }
			a := testAttempt()
			a.Amount = money.MustParse(tt.amount, tt.currency)
			_, err := g.Start(context.Background(), a)
			if tt.want == "" {
				if !errors.Is(err, gateway.ErrRejected) {
					t.Fatalf("err = %v, want ErrRejected", err)
				}
				if f.posts() != 0 {
					t.Errorf("calls = %v, want none", f.calls())
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if lit := `"amount":` + tt.want + `,`; !bytes.Contains(f.last().Body, []byte(lit)) {
				t.Errorf("body %s, want %s", f.last().Body, lit)
			}
		})
	}
}

func TestStartTokenHours(t *testing.T) {
	tests := []struct {
		name    string
		expires time.Time
		want    any // json.Number, or nil when not sent
	}{
		{"30 minutes", testNow.Add(30 * time.Minute), json.Number("1")},
		{"exactly one hour", testNow.Add(time.Hour), json.Number("1")},
		{"one hour and a second", testNow.Add(time.Hour + time.Second), json.Number("2")},
		{"three days", testNow.Add(72 * time.Hour), json.Number("72")},
		{"beyond 720 hours", testNow.Add(1000 * time.Hour), json.Number("720")},
		{"no expiry", time.Time{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			a := testAttempt()
			a.ExpiresAt = tt.expires
			if _, err := f.gateway().Start(context.Background(), a); err != nil {
				t.Fatal(err)
			}
			if got := decodeBody(t, f.last().Body)["token_expiry_in_hour"]; got != tt.want {
				t.Errorf("token_expiry_in_hour = %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestStartRefusesBadAttempt(t *testing.T) {
	tests := map[string]func(*gateway.Attempt){
		"method knet":          func(a *gateway.Attempt) { a.Method = gateway.MethodKNET },
		"no method":            func(a *gateway.Attempt) { a.Method = "" },
		"USD not configured":   func(a *gateway.Attempt) { a.Amount = money.MustParse("12.00", "USD") },
		"KWD":                  func(a *gateway.Attempt) { a.Amount = money.MustParse("6.000", "KWD") },
		"no amount":            func(a *gateway.Attempt) { a.Amount = money.Amount{} },
		"zero amount":          func(a *gateway.Attempt) { a.Amount, _ = money.Zero("IQD") },
		"IQD fraction":         func(a *gateway.Attempt) { a.Amount = money.MustParse("1500.250", "IQD") },
		"no attempt id":        func(a *gateway.Attempt) { a.ID = "" },
		"no return URL":        func(a *gateway.Attempt) { a.ReturnURL = "" },
		"relative return URL":  func(a *gateway.Attempt) { a.ReturnURL = "/return/alqaseh/x" },
		"javascript return":    func(a *gateway.Attempt) { a.ReturnURL = "javascript:alert(1)" },
		"relative webhook URL": func(a *gateway.Attempt) { a.WebhookURL = "/webhooks/alqaseh" },
		"order expired":        func(a *gateway.Attempt) { a.ExpiresAt = testNow.Add(-time.Second) },
	}
	for name, mod := range tests {
		t.Run(name, func(t *testing.T) {
			f := newFake(t)
			a := testAttempt()
			mod(&a)
			_, err := f.gateway().Start(context.Background(), a)
			if !errors.Is(err, gateway.ErrRejected) {
				t.Fatalf("err = %v, want ErrRejected", err)
			}
			var e *Error
			if !errors.As(err, &e) || e.Reason != gateway.ReasonGatewayError {
				t.Errorf("err = %#v, want an *Error with reason gateway_error", err)
			}
			if len(f.calls()) != 0 {
				t.Errorf("calls = %v, want none", f.calls())
			}
		})
	}
}

func TestOrderRef(t *testing.T) {
	if got := orderRef(testAttemptID); got != testAttemptID {
		t.Errorf("orderRef(%q) = %q", testAttemptID, got)
	}
	exact := "att_" + strings.Repeat("a", 28) // 32 characters: fits
	if got := orderRef(exact); got != exact {
		t.Errorf("orderRef(32 chars) = %q", got)
	}
	for _, id := range []string{"att_" + strings.Repeat("b", 29), "att_with space", "att_é"} {
		got := orderRef(id)
		if len(got) != 32 || !strings.HasPrefix(got, "h_") || !orderIDPattern.MatchString(got) {
			t.Errorf("orderRef(%q) = %q, want h_ + 30 hex digits", id, got)
		}
		if orderRef(id) != got {
			t.Errorf("orderRef(%q) is not deterministic", id)
		}
	}
	if orderRef("att_"+strings.Repeat("b", 29)) == orderRef("att_"+strings.Repeat("c", 29)) {
		t.Error("two long ids share an order_id")
	}

	// A long attempt id is sent hashed, and the payment is still recognized as ours.
	f := newFake(t)
	a := testAttempt()
	a.ID = "att_" + strings.Repeat("Z", 40)
	a = started(t, f, a)
	if sent := decodeBody(t, f.last().Body)["order_id"]; sent != orderRef(a.ID) || a.State["order_id"] != sent {
		t.Errorf("order_id sent %v, state %q", sent, a.State["order_id"])
	}
	f.setStatus(a.PaymentID, "succeeded")
	res, err := f.gateway().Inquire(context.Background(), a)
	if err != nil || res.OurReference != a.ID {
		t.Errorf("Inquire = %+v, %v", res, err)
	}
	a.State = nil // without the state, the order_id is derived again from the attempt id
	res, err = f.gateway().Inquire(context.Background(), a)
	if err != nil || res.OurReference != a.ID {
		t.Errorf("Inquire without state = %+v, %v", res, err)
	}
}

func TestStartResponses(t *testing.T) {
	tests := []struct {
		name       string
		status     int
		body       string
		page       string // PaymentPageURL when not the default
		wantErr    error
		wantURL    string // when redirecting; "PAGE/" is replaced by the default page + "/"
		wantResult gateway.Status
		wantMsg    string
	}{
		{name: "200 accepted", status: 200, body: `{"payment_id":"p-1","token":"t1"}`, wantURL: "PAGE/t1"},
		{name: "201 accepted", status: 201, body: `{"payment_id":"p-1","token":"t1","payment_status":"prepared"}`, wantURL: "PAGE/t1"},
		{name: "data envelope", status: 200, body: `{"data":{"payment_id":"p-1","token":"t1"}}`, wantURL: "PAGE/t1"},
		{name: "numeric payment id", status: 200, body: `{"payment_id":123456,"token":"t1"}`, wantURL: "PAGE/t1"},
		{name: "token escaped in path", status: 200, body: `{"payment_id":"p-1","token":"a+b=="}`, wantURL: "PAGE/a+b=="},
		{name: "page with placeholder", status: 200, body: `{"payment_id":"p-1","token":"t1"}`,
			page: "https://pay-test.alqaseh.com/pay/{token}?lang=ar", wantURL: "https://pay-test.alqaseh.com/pay/t1?lang=ar"},
		{name: "no token", status: 200, body: `{"payment_id":"p-1"}`, wantErr: gateway.ErrUnavailable},
		{name: "token with slash", status: 200, body: `{"payment_id":"p-1","token":"../admin"}`, wantErr: gateway.ErrUnavailable},
		{name: "no page configured", status: 200, body: `{"payment_id":"p-1","token":"t1"}`, page: "-", wantErr: gateway.ErrUnavailable},
		{name: "malformed payment id", status: 200, body: `{"payment_id":"../refunds","token":"t1"}`, wantErr: gateway.ErrUnavailable},
		{name: "not json", status: 200, body: `<html>maintenance</html>`, wantErr: gateway.ErrUnavailable},
		{name: "error body with 200", status: 200, body: `{"err":"amount below minimum","error_code":"VAL_010","reference_code":"ref-1"}`,
			wantErr: gateway.ErrRejected, wantMsg: "amount below minimum (error_code VAL_010, reference_code ref-1)"},
		{name: "duplicated at once", status: 200, body: `{"payment_id":"p-1","token":"t1","payment_status":"duplicated","order_id":"` + testAttemptID + `"}`,
			wantResult: gateway.StatusFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			f.createStatus, f.createBody = tt.status, tt.body
			cfg := f.config()
			switch tt.page {
			case "":
			case "-":
				cfg.PaymentPageURL = ""
			default:
				cfg.PaymentPageURL = tt.page
			}
			g := New(cfg)
			g.now = func() time.Time { return testNow }
			st, err := g.Start(context.Background(), testAttempt())
			if tt.wantErr != nil {
				checkErr(t, "Start", err, tt.wantErr, tt.wantMsg)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.wantResult != "" {
				if st.Result == nil || st.Result.Status != tt.wantResult || st.Action.Kind != gateway.ActionWait {
					t.Fatalf("Started = %+v", st)
				}
				if st.Result.Reason != gateway.ReasonGatewayError || st.Result.OurReference != testAttemptID || st.PaymentID != "p-1" {
					t.Errorf("Result = %+v", st.Result)
				}
				return
			}
			want := strings.Replace(tt.wantURL, "PAGE/", f.srv.URL+"/sandbox/alqaseh/pay/", 1)
			if st.Action.Kind != gateway.ActionRedirect || st.Action.URL != want || st.Result != nil {
				t.Errorf("Started = %+v, want redirect to %s", st, want)
			}
		})
	}
}

func TestStartDuplicatedOrderID(t *testing.T) {
	f := newFake(t)
	a := testAttempt()
	started(t, f, a)
	st, err := f.gateway().Start(context.Background(), a) // the same attempt id again
	if err != nil {
		t.Fatal(err)
	}
	if st.Result == nil || st.Result.Status != gateway.StatusFailed || st.Action.Kind != gateway.ActionWait {
		t.Errorf("Started = %+v, want an immediate failure", st)
	}
}

func TestStartDefaultDescription(t *testing.T) {
	tests := []struct {
		desc, ref, want string
	}{
		{"  Two\n lines ", "INV-1", "Two lines"},
		{"", "INV-1", "Order INV-1"},
		{"", "", "Order ord_0A1b2C3d4E5f6G7h8I9j0K"},
		{strings.Repeat("ب", 300), "", strings.Repeat("ب", 250)},
	}
	for _, tt := range tests {
		f := newFake(t)
		a := testAttempt()
		a.Description, a.Reference = tt.desc, tt.ref
		started(t, f, a)
		if got := decodeBody(t, f.last().Body)["description"]; got != tt.want {
			t.Errorf("description = %q, want %q", got, tt.want)
		}
	}
}

// priorAttempt starts an attempt at f, lets the fake move its payment to status, and returns
// it as the order service hands it over in Attempt.Prior.
func priorAttempt(t *testing.T, f *fakeAlqaseh, status string) gateway.Attempt {
	t.Helper()
	p := testAttempt()
	p.ID = "att_PRIOR000000000000000000"
	p.ReturnURL = "https://pay.example/return/alqaseh/" + p.ID
	p = started(t, f, p)
	f.setStatus(p.PaymentID, status)
	return p
}

func TestStartRetry(t *testing.T) {
	tests := []struct {
		status    string
		wantRetry bool
	}{
		{"expired", true},
		{"declined", true},
		{"failed", true},
		{"unknown", true},
		{"Declined", true},
		{"prepared", false},
		{"retried", false},
		{"succeeded", false},
		{"revoked", false},
		{"duplicated", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run("prior "+tt.status, func(t *testing.T) {
			f := newFake(t)
			prior := priorAttempt(t, f, tt.status)
			a := testAttempt()
			a.Prior = &prior
			st, err := f.gateway().Start(context.Background(), a)
			if err != nil {
				t.Fatal(err)
			}
			calls := f.calls()[1:] // after the prior's create
			if !tt.wantRetry {
				if !slices.Equal(calls, []string{"GET /pay_0001", "POST /create"}) {
					t.Errorf("calls = %v", calls)
				}
				if st.PaymentID != "pay_0002" || st.State["order_id"] != testAttemptID || st.State["retried_from"] != "" {
					t.Errorf("Started = %+v", st)
				}
				return
			}
			if !slices.Equal(calls, []string{"GET /pay_0001", "POST /retry"}) {
				t.Errorf("calls = %v", calls)
			}
			body := decodeBody(t, f.last().Body)
			if body["payment_id"] != "pay_0001" || body["details"] != "retry as "+testAttemptID {
				t.Errorf("retry body = %v", body)
			}
			wantState := map[string]string{"payment_id": "pay_0002", "token": "tok0002AbC-_x",
				"order_id": prior.ID, "retried_from": "pay_0001"}
			if st.PaymentID != "pay_0002" || !mapsEqual(st.State, wantState) {
				t.Errorf("Started = %+v, want state %v", st, wantState)
			}
			if st.Action.Kind != gateway.ActionRedirect || st.Action.URL != f.srv.URL+"/sandbox/alqaseh/pay/tok0002AbC-_x" {
				t.Errorf("Action = %+v", st.Action)
			}

			// The retried context keeps the prior's order_id: still recognized as this attempt's.
			a.PaymentID, a.State, a.Prior = st.PaymentID, st.State, nil
			f.setStatus("pay_0002", "succeeded")
			res, err := f.gateway().Return(context.Background(), a, url.Values{"payment_id": {"pay_0002"}, "order_id": {prior.ID}, "status": {"Success"}})
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != gateway.StatusPaid || res.OurReference != a.ID || !res.Amount.Equal(a.Amount) {
				t.Errorf("Return after retry = %+v", res)
			}
		})
	}
}

func TestStartRetryFallsBackToCreate(t *testing.T) {
	tests := []struct {
		name      string
		mod       func(f *fakeAlqaseh, prior *gateway.Attempt)
		wantCalls []string // after the prior's create
	}{
		{"prior without payment id", func(f *fakeAlqaseh, p *gateway.Attempt) { p.PaymentID = "" },
			[]string{"POST /create"}},
		{"malformed prior payment id", func(f *fakeAlqaseh, p *gateway.Attempt) { p.PaymentID = "../x" },
			[]string{"POST /create"}},
		{"prior not found", func(f *fakeAlqaseh, p *gateway.Attempt) { p.PaymentID = "pay_9999" },
			[]string{"GET /pay_9999", "POST /create"}},
		{"prior GET fails", func(f *fakeAlqaseh, p *gateway.Attempt) { f.getStatus, f.getBody = 503, `` },
			[]string{"GET /pay_0001", "POST /create"}},
		{"prior of another order_id", func(f *fakeAlqaseh, p *gateway.Attempt) { p.State["order_id"] = "att_someoneelse" },
			[]string{"GET /pay_0001", "POST /create"}},
		{"prior of another amount", func(f *fakeAlqaseh, p *gateway.Attempt) {
			q := f.payment(p.PaymentID)
			q.Amount = "1000"
			f.store(q)
		}, []string{"GET /pay_0001", "POST /create"}},
		{"prior of another currency", func(f *fakeAlqaseh, p *gateway.Attempt) {
			q := f.payment(p.PaymentID)
			q.Currency = "USD"
			f.store(q)
		}, []string{"GET /pay_0001", "POST /create"}},
		{"retry refused", func(f *fakeAlqaseh, p *gateway.Attempt) {
			f.retryStatus, f.retryBody = 422, `{"err":"cannot retry","error_code":"PAY_409","reference_code":"r"}`
		}, []string{"GET /pay_0001", "POST /retry", "POST /create"}},
		{"retry unavailable", func(f *fakeAlqaseh, p *gateway.Attempt) { f.retryStatus = 502 },
			[]string{"GET /pay_0001", "POST /retry", "POST /create"}},
		{"retry answers the same payment id", func(f *fakeAlqaseh, p *gateway.Attempt) {
			f.retryStatus, f.retryBody = 200, `{"payment_id":"pay_0001","token":"t2"}`
		}, []string{"GET /pay_0001", "POST /retry", "POST /create"}},
		{"retry answers no token", func(f *fakeAlqaseh, p *gateway.Attempt) {
			f.retryStatus, f.retryBody = 200, `{"payment_id":"pay_0777"}`
		}, []string{"GET /pay_0001", "POST /retry", "POST /revoke", "POST /create"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			prior := priorAttempt(t, f, "declined")
			tt.mod(f, &prior)
			a := testAttempt()
			a.Prior = &prior
			st, err := f.gateway().Start(context.Background(), a)
			if err != nil {
				t.Fatal(err)
			}
			if calls := f.calls()[1:]; !slices.Equal(calls, tt.wantCalls) {
				t.Errorf("calls = %v, want %v", calls, tt.wantCalls)
			}
			if st.Action.Kind != gateway.ActionRedirect || st.State["order_id"] != testAttemptID || st.State["retried_from"] != "" {
				t.Errorf("Started = %+v", st)
			}
			if r, _ := f.find(http.MethodPost, "/create"); decodeBody(t, r.Body)["order_id"] != testAttemptID {
				t.Errorf("create body = %s", r.Body)
			}
		})
	}
}

func TestReturn(t *testing.T) {
	bad := []struct {
		name      string
		paymentID string
		query     url.Values
	}{
		{"mismatched payment_id", "pay_0001", url.Values{"payment_id": {"pay_0002"}, "status": {"Success"}}},
		{"missing payment_id", "pay_0001", url.Values{"order_id": {testAttemptID}, "status": {"Success"}}},
		{"empty payment_id", "pay_0001", url.Values{"payment_id": {""}}},
		{"no payment id yet", "", url.Values{"payment_id": {"pay_0001"}}},
		{"malformed id", "pay/../0001", url.Values{"payment_id": {"pay/../0001"}}},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			a := started(t, f, testAttempt())
			a.PaymentID = tt.paymentID
			before := len(f.calls())
			_, err := f.gateway().Return(context.Background(), a, tt.query)
			if !errors.Is(err, gateway.ErrBadRequest) {
				t.Errorf("err = %v, want ErrBadRequest", err)
			}
			if n := len(f.calls()) - before; n != 0 {
				t.Errorf("%d calls, want none", n)
			}
		})
	}

	t.Run("query status ignored", func(t *testing.T) {
		f := newFake(t)
		a := started(t, f, testAttempt())
		f.setStatus(a.PaymentID, "declined")
		res, err := f.gateway().Return(context.Background(), a, url.Values{"payment_id": {a.PaymentID}, "order_id": {a.ID}, "status": {"Success"}})
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != gateway.StatusFailed || res.Reason != gateway.ReasonDeclined {
			t.Errorf("Result = %s/%s", res.Status, res.Reason)
		}
		if got := f.calls()[1:]; !slices.Equal(got, []string{"GET /pay_0001"}) {
			t.Errorf("calls = %v", got)
		}
	})

	t.Run("paid", func(t *testing.T) {
		f := newFake(t)
		a := started(t, f, testAttempt())
		p := f.payment(a.PaymentID)
		p.Status, p.Approval, p.RRN, p.RC, p.UpdatedAt = "succeeded", "A12345", "501012345678", "00", "2025-01-10T10:05:00Z"
		f.store(p)
		res, err := f.gateway().Return(context.Background(), a, url.Values{"payment_id": {a.PaymentID}, "order_id": {a.ID}, "status": {"Pending"}})
		if err != nil {
			t.Fatal(err)
		}
		want := gateway.Result{
			Status: gateway.StatusPaid, PaymentID: "pay_0001", AuthCode: "A12345", Reference: "501012345678",
			OurReference: testAttemptID, GatewayCode: "succeeded", GatewayMessage: "rc=00 transaction_type=Retail",
			At: time.Date(2025, 1, 10, 10, 5, 0, 0, time.UTC),
		}
		if !equalResult(res, want) {
			t.Errorf("Result =\n%+v\nwant\n%+v", res, want)
		}
		if !res.Amount.Equal(money.MustParse("1500", "IQD")) || res.Amount.String() != "1500.000" {
			t.Errorf("Amount = %v %s", res.Amount, res.Amount.Currency().Code)
		}
		if string(res.Raw) != p.JSON() {
			t.Errorf("Raw = %s", res.Raw)
		}
		if f.posts() != 1 { // the create only
			t.Errorf("calls = %v", f.calls())
		}
	})

	t.Run("another order_id", func(t *testing.T) {
		f := newFake(t)
		a := started(t, f, testAttempt())
		p := f.payment(a.PaymentID)
		p.Status, p.OrderID = "succeeded", "att_someone_else"
		f.store(p)
		res, err := f.gateway().Return(context.Background(), a, url.Values{"payment_id": {a.PaymentID}})
		if err != nil {
			t.Fatal(err)
		}
		if res.OurReference != "att_someone_else" {
			t.Errorf("OurReference = %q: the order service must see the mismatch", res.OurReference)
		}
	})

	t.Run("Al Qaseh answers for another payment", func(t *testing.T) {
		f := newFake(t)
		a := started(t, f, testAttempt())
		f.getStatus, f.getBody = 200, `{"payment_id":"pay_0002","order_id":"`+a.ID+`","payment_status":"succeeded","amount":1500,"currency":"IQD"}`
		_, err := f.gateway().Return(context.Background(), a, url.Values{"payment_id": {a.PaymentID}})
		if !errors.Is(err, gateway.ErrUnavailable) {
			t.Errorf("err = %v", err)
		}
	})

	t.Run("payment not found", func(t *testing.T) {
		f := newFake(t)
		a := testAttempt()
		a.PaymentID = "pay_0404"
		_, err := f.gateway().Return(context.Background(), a, url.Values{"payment_id": {"pay_0404"}})
		checkErr(t, "Return", err, gateway.ErrRejected, "payment not found (error_code PAY_404")
	})
}

func equalResult(a, b gateway.Result) bool {
	return a.Status == b.Status && a.PaymentID == b.PaymentID && a.TransactionID == b.TransactionID &&
		a.AuthCode == b.AuthCode && a.Reference == b.Reference && a.TrackID == b.TrackID &&
		a.OurReference == b.OurReference && a.Reason == b.Reason && a.GatewayCode == b.GatewayCode &&
		a.GatewayMessage == b.GatewayMessage && a.At.Equal(b.At)
}

// TestStatusMapping covers every status of the seed, its casing, and the guesses.
func TestStatusMapping(t *testing.T) {
	tests := []struct {
		status, trType, rc string
		want               gateway.Status
		reason             string
	}{
		{"prepared", "Retail", "", gateway.StatusPending, ""},
		{"retried", "Retail", "", gateway.StatusPending, ""},
		{"succeeded", "Retail", "00", gateway.StatusPaid, ""},
		{"succeeded", "", "", gateway.StatusPaid, ""},
		{"succeeded", "Authorization", "00", gateway.StatusAuthorized, ""},
		{"failed", "Retail", "", gateway.StatusFailed, gateway.ReasonGatewayError},
		{"failed", "Retail", "91", gateway.StatusFailed, gateway.ReasonTimeout},
		{"declined", "Retail", "", gateway.StatusFailed, gateway.ReasonDeclined},
		{"declined", "Retail", "05", gateway.StatusFailed, gateway.ReasonDeclined},
		{"declined", "Retail", "51", gateway.StatusFailed, gateway.ReasonInsufficient},
		{"declined", "Retail", "54", gateway.StatusFailed, gateway.ReasonCardExpired},
		{"declined", "Retail", "59", gateway.StatusFailed, gateway.ReasonRisk},
		{"declined", "Retail", "99", gateway.StatusFailed, gateway.ReasonDeclined},
		{"expired", "Retail", "", gateway.StatusExpired, ""},
		{"duplicated", "Retail", "", gateway.StatusFailed, gateway.ReasonGatewayError},
		{"revoked", "Retail", "", gateway.StatusCancelled, gateway.ReasonCancelled},
		{"unknown", "Retail", "", gateway.StatusUnknown, ""},
		{"SUCCEEDED", "Retail", "", gateway.StatusPaid, ""},
		{" Declined ", "Retail", "", gateway.StatusFailed, gateway.ReasonDeclined},
		// Not in the API's vocabulary: never paid, ask again.
		{"Success", "Retail", "", gateway.StatusUnknown, ""},
		{"Pending", "Retail", "", gateway.StatusUnknown, ""},
		{"draft", "Retail", "", gateway.StatusUnknown, ""},
		{"", "Retail", "", gateway.StatusUnknown, ""},
	}
	for _, tt := range tests {
		t.Run(tt.status+"_"+tt.trType+"_"+tt.rc, func(t *testing.T) {
			f := newFake(t)
			a := started(t, f, testAttempt())
			p := f.payment(a.PaymentID)
			p.Status, p.TransactionType, p.RC = tt.status, tt.trType, tt.rc
			f.store(p)
			res, err := f.gateway().Inquire(context.Background(), a)
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != tt.want || res.Reason != tt.reason {
				t.Errorf("got %s/%q, want %s/%q", res.Status, res.Reason, tt.want, tt.reason)
			}
			if res.GatewayCode != tt.status && strings.TrimSpace(tt.status) == tt.status {
				t.Errorf("GatewayCode = %q", res.GatewayCode)
			}
		})
	}
}

func TestInquireWithoutPayment(t *testing.T) {
	f := newFake(t)
	a := testAttempt()
	res, err := f.gateway().Inquire(context.Background(), a)
	if err != nil || res.Status != gateway.StatusUnknown {
		t.Errorf("Inquire = %+v, %v", res, err)
	}
	a.PaymentID = "x/../y"
	if _, err := f.gateway().Inquire(context.Background(), a); !errors.Is(err, gateway.ErrBadRequest) {
		t.Errorf("err = %v", err)
	}
	if len(f.calls()) != 0 {
		t.Errorf("calls = %v", f.calls())
	}
}

func TestReportedAmount(t *testing.T) {
	tests := []struct {
		lit, currency, want string // want "" = not ok (the zero Amount)
	}{
		{"1500", "IQD", "1500.000"},
		{"1500.0", "IQD", "1500.000"},
		{"1500.000", "IQD", "1500.000"},
		{"1500.5", "IQD", "1500.500"},
		{"1.5e3", "IQD", "1500.000"},
		{"1500", "iqd", "1500.000"},
		{"12.5", "USD", "12.50"},
		{"12.555", "USD", ""},
		{"1500.0001", "IQD", ""},
		{"1500", "XYZ", ""},
		{"1500", "", ""},
		{"", "IQD", ""},
		{"abc", "IQD", ""},
		{"1,500", "IQD", ""},
		{"1e999", "IQD", ""},
		{"01500", "IQD", ""},
	}
	for _, tt := range tests {
		amt, ok := reportedAmount(tt.lit, tt.currency)
		got := ""
		if ok {
			got = amt.String()
		}
		if got != tt.want {
			t.Errorf("reportedAmount(%q, %q) = %q, want %q", tt.lit, tt.currency, got, tt.want)
		}
	}

	// Through the API: a string amount, and an amount that cannot be an IQD amount.
	for _, tt := range []struct{ lit, want string }{{`"1500"`, "1500.000"}, {`1500.0001`, ""}, {``, ""}} {
		f := newFake(t)
		a := started(t, f, testAttempt())
		p := f.payment(a.PaymentID)
		p.Status, p.Amount = "succeeded", tt.lit
		f.store(p)
		res, err := f.gateway().Inquire(context.Background(), a)
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		if res.Amount.Currency().Code != "" {
			got = res.Amount.String()
		}
		if got != tt.want {
			t.Errorf("amount %s read as %q, want %q", tt.lit, got, tt.want)
		}
	}
}

func TestErrorMapping(t *testing.T) {
	tests := []struct {
		status     int
		body       string
		want       error
		wantMsg    string
		wantReason string
	}{
		{400, `{"err":"order_id is required","error_code":"VAL_001","reference_code":"ref-400"}`, gateway.ErrRejected,
			"HTTP 400: order_id is required (error_code VAL_001, reference_code ref-400)", gateway.ReasonGatewayError},
		{401, `{"err":"unauthorized","error_code":"AUTH_001","reference_code":"ref-401"}`, gateway.ErrRejected,
			"HTTP 401: unauthorized (error_code AUTH_001, reference_code ref-401): check the client id and secret", gateway.ReasonGatewayError},
		{403, ``, gateway.ErrRejected, "HTTP 403", gateway.ReasonGatewayError},
		{404, `not json`, gateway.ErrRejected, "HTTP 404", gateway.ReasonGatewayError},
		{422, `{"error":"bad currency","errorCode":"VAL_7"}`, gateway.ErrRejected, "HTTP 422: bad currency (error_code VAL_7)", gateway.ReasonGatewayError},
		{409, `{"message":"conflict"}`, gateway.ErrRejected, "HTTP 409: conflict", gateway.ReasonGatewayError},
		{302, ``, gateway.ErrUnavailable, "HTTP 302", gateway.ReasonGatewayError},
		{408, ``, gateway.ErrUnavailable, "HTTP 408", gateway.ReasonTimeout},
		{429, `{}`, gateway.ErrUnavailable, "HTTP 429", gateway.ReasonGatewayError},
		{500, `{"err":"internal error","error_code":"SYS_500","reference_code":"ref-500"}`, gateway.ErrUnavailable,
			"HTTP 500: internal error (error_code SYS_500, reference_code ref-500)", gateway.ReasonGatewayError},
		{502, `<html>`, gateway.ErrUnavailable, "HTTP 502", gateway.ReasonGatewayError},
		{504, ``, gateway.ErrUnavailable, "HTTP 504", gateway.ReasonTimeout},
		// Al Qaseh echoing the secret must not leak it into our errors.
		{400, `{"err":"bad secret ` + testSecret + `\n","error_code":"AUTH_2"}`, gateway.ErrRejected, "bad secret [redacted] (error_code AUTH_2)", gateway.ReasonGatewayError},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			f := newFake(t)
			f.createStatus, f.createBody = tt.status, tt.body
			f.getStatus, f.getBody = tt.status, tt.body
			f.revokeStatus, f.revokeBody = tt.status, tt.body
			g := f.gateway()
			_, err := g.Start(context.Background(), testAttempt())
			checkErr(t, "Start", err, tt.want, tt.wantMsg)
			var e *Error
			if !errors.As(err, &e) || e.Reason != tt.wantReason || e.HTTPStatus != tt.status || e.Op != "create payment" {
				t.Errorf("Start: err = %#v, want reason %q", err, tt.wantReason)
			}
			a := testAttempt()
			a.PaymentID = "pay_0001"
			_, err = g.Inquire(context.Background(), a)
			checkErr(t, "Inquire", err, tt.want, tt.wantMsg)
			err = g.Close(context.Background(), a)
			checkErr(t, "Close", err, tt.want, tt.wantMsg)
		})
	}

	t.Run("wrong secret", func(t *testing.T) {
		f := newFake(t)
		cfg := f.config()
		cfg.ClientSecret = "not-the-secret-123"
		g := New(cfg)
		g.now = func() time.Time { return testNow }
		_, err := g.Start(context.Background(), testAttempt())
		checkErr(t, "Start", err, gateway.ErrRejected, "HTTP 401: unauthorized (error_code AUTH_001")
		if strings.Contains(err.Error(), "not-the-secret-123") {
			t.Error("the secret is in the error")
		}
	})

	t.Run("network", func(t *testing.T) {
		f := newFake(t)
		g := f.gateway()
		f.srv.Close()
		_, err := g.Start(context.Background(), testAttempt())
		checkErr(t, "Start", err, gateway.ErrUnavailable, "network")
		a := testAttempt()
		a.PaymentID = "pay_0001"
		_, err = g.Inquire(context.Background(), a)
		checkErr(t, "Inquire", err, gateway.ErrUnavailable, "network")
	})

	t.Run("timeout", func(t *testing.T) {
		f := newFake(t)
		g := f.gateway()
		ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
		defer cancel()
		_, err := g.Start(ctx, testAttempt())
		var e *Error
		if !errors.Is(err, gateway.ErrUnavailable) || !errors.As(err, &e) || e.Reason != gateway.ReasonTimeout {
			t.Errorf("err = %v", err)
		}
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
	if strings.Contains(err.Error(), testSecret) {
		t.Errorf("%s: the secret is in the error: %q", what, err)
	}
}

func TestSecretNeverInRaw(t *testing.T) {
	f := newFake(t)
	a := started(t, f, testAttempt())
	f.getStatus, f.getBody = 200, `{"payment_id":"pay_0001","order_id":"`+a.ID+`","payment_status":"succeeded","amount":1500,"currency":"IQD","description":"`+testSecret+`"}`
	res, err := f.gateway().Inquire(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(res.Raw, []byte(testSecret)) || !bytes.Contains(res.Raw, []byte("[redacted]")) {
		t.Errorf("Raw = %s", res.Raw)
	}
}

func TestClose(t *testing.T) {
	tests := []struct {
		status     string
		wantRevoke bool
	}{
		{"prepared", true},
		{"retried", true},
		{"Prepared", true},
		{"succeeded", false},
		{"failed", false},
		{"declined", false},
		{"expired", false},
		{"duplicated", false},
		{"revoked", false},
		{"unknown", false},
	}
	for _, tt := range tests {
		t.Run(tt.status, func(t *testing.T) {
			f := newFake(t)
			a := started(t, f, testAttempt())
			f.setStatus(a.PaymentID, tt.status)
			if err := f.gateway().Close(context.Background(), a); err != nil {
				t.Fatal(err)
			}
			calls := f.calls()[1:]
			if !tt.wantRevoke {
				if !slices.Equal(calls, []string{"GET /pay_0001"}) {
					t.Errorf("calls = %v", calls)
				}
				return
			}
			if !slices.Equal(calls, []string{"GET /pay_0001", "POST /revoke"}) {
				t.Errorf("calls = %v", calls)
			}
			if body := decodeBody(t, f.last().Body); body["payment_id"] != "pay_0001" || body["details"] != "order closed" {
				t.Errorf("revoke body = %v", body)
			}
			if p := f.payment(a.PaymentID); p.Status != "revoked" || p.Token == a.State["token"] {
				t.Errorf("payment after Close = %+v", p)
			}
		})
	}

	t.Run("no payment yet", func(t *testing.T) {
		f := newFake(t)
		if err := f.gateway().Close(context.Background(), testAttempt()); err != nil || len(f.calls()) != 0 {
			t.Errorf("err = %v, calls = %v", err, f.calls())
		}
	})

	t.Run("paid meanwhile", func(t *testing.T) {
		f := newFake(t)
		a := started(t, f, testAttempt())
		f.afterRevoke = "succeeded"
		if err := f.gateway().Close(context.Background(), a); err != nil {
			t.Errorf("err = %v", err)
		}
		if calls := f.calls()[1:]; !slices.Equal(calls, []string{"GET /pay_0001", "POST /revoke", "GET /pay_0001"}) {
			t.Errorf("calls = %v", calls)
		}
	})

	t.Run("revoke unavailable", func(t *testing.T) {
		f := newFake(t)
		a := started(t, f, testAttempt())
		f.revokeStatus = 503
		checkErr(t, "Close", f.gateway().Close(context.Background(), a), gateway.ErrUnavailable, "revoke payment")
	})

	t.Run("revoke refused, still open", func(t *testing.T) {
		f := newFake(t)
		a := started(t, f, testAttempt())
		f.revokeStatus, f.revokeBody = 400, `{"err":"nope","error_code":"X","reference_code":"r"}`
		checkErr(t, "Close", f.gateway().Close(context.Background(), a), gateway.ErrRejected, "nope")
	})
}

func TestClientDoesNotFollowRedirects(t *testing.T) {
	f := newFake(t)
	f.createStatus, f.createBody = http.StatusFound, ``
	_, err := f.gateway().Start(context.Background(), testAttempt())
	checkErr(t, "Start", err, gateway.ErrUnavailable, "HTTP 302")
	if len(f.calls()) != 1 {
		t.Errorf("calls = %v", f.calls())
	}
}
