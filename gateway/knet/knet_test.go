package knet

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/money"
)

func testAttemptFor(amount string) gateway.Attempt {
	return gateway.Attempt{
		ID:          testAttempt,
		Seq:         42,
		OrderID:     "ord_01HABC",
		Reference:   "INV-1001 / #7",
		Method:      gateway.MethodKNET,
		Amount:      money.MustParse(amount, "KWD"),
		Description: "Order INV-1001",
		Locale:      "en",
		ReturnURL:   "https://pay.example/return/knet/" + testAttempt,
		WebhookURL:  "https://pay.example/webhooks/knet",
		State:       map[string]string{"trackid": testTrackID},
	}
}

func TestNameSupports(t *testing.T) {
	g := New(Config{})
	if g.Name() != "knet" {
		t.Errorf("Name() = %q", g.Name())
	}
	tests := []struct {
		method, currency string
		want             bool
	}{
		{"knet", "KWD", true},
		{"knet", "kwd", false},
		{"knet", "BHD", false},
		{"knet", "USD", false},
		{"card", "KWD", false},
		{"", "KWD", false},
	}
	for _, tt := range tests {
		if got := g.Supports(tt.method, tt.currency); got != tt.want {
			t.Errorf("Supports(%q, %q) = %v, want %v", tt.method, tt.currency, got, tt.want)
		}
	}
}

// TestStartMatchesK3 builds the spec's K3 request through Start and expects its exact trandata.
func TestStartMatchesK3(t *testing.T) {
	g := New(Config{BaseURL: "https://kpaytest.com.kw/kpg/", TranportalID: "123456", TranportalPassword: "123456pg", ResourceKey: testKey})
	a := gateway.Attempt{ID: "att_ORD10001", Amount: money.MustParse("15.75", "KWD"), Locale: "en",
		WebhookURL: "https://merchant.example/knet/notify", ReturnURL: "https://merchant.example/knet/error"}
	st, err := g.Start(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	want := "https://kpaytest.com.kw/kpg/PaymentHTTP.htm?param=paymentInit" +
		"&trandata=9dea97cb750eca668118cbad1cdd93e2b4e62481393146fe3376b729b2c2693b0d3ca44019a1809645b0ec4c0bd2b6de6568e920e636cadee09c8887acbd360668a796bc51205a0b44c4909932ba4a154abf837728f266c5c48ca9da33c190640db4ce0b2e26282b0f4ad88fbaf2973ca9efb6b82b86b41121f3bbeb1b96cdb6ea78622cf09e42e09bd801aea7f619e2761fc923d04ab5668c05e76c468a440d4fc3a9d2b0ab012a5bde9a86c50f62c649e5562a57a67e159c359fe76334dd97e67075895ed8e30f4852400fa362a3ce6979bd1bd6f420052704e42382b4f4ed" +
		"&tranportalId=123456" +
		"&responseURL=https%3A%2F%2Fmerchant.example%2Fknet%2Fnotify" +
		"&errorURL=https%3A%2F%2Fmerchant.example%2Fknet%2Ferror"
	if st.Action.Kind != gateway.ActionRedirect || st.Action.URL != want {
		t.Errorf("Action = %+v\nwant URL %s", st.Action, want)
	}
	if st.PaymentID != "" || st.Result != nil || st.State["trackid"] != "ORD10001" || len(st.State) != 1 {
		t.Errorf("Started = %+v", st)
	}
}

func TestStartRequest(t *testing.T) {
	f := newFakeKNET(t)
	g := f.gateway()
	for _, tt := range []struct{ locale, langid string }{{"en", "USA"}, {"ar", "AR"}, {"", "USA"}} {
		t.Run("locale "+tt.locale, func(t *testing.T) {
			a := testAttemptFor("6")
			a.Locale = tt.locale
			st, err := g.Start(context.Background(), a)
			if err != nil {
				t.Fatal(err)
			}
			u, err := url.Parse(st.Action.URL)
			if err != nil {
				t.Fatal(err)
			}
			if u.Path != "/sandbox/knet/kpg/PaymentHTTP.htm" {
				t.Errorf("path = %q", u.Path)
			}
			// The parameters, in the spec's order (§3.3).
			var names []string
			for _, kv := range strings.Split(u.RawQuery, "&") {
				k, _, _ := strings.Cut(kv, "=")
				names = append(names, k)
			}
			if got := strings.Join(names, ","); got != "param,trandata,tranportalId,responseURL,errorURL" {
				t.Errorf("parameters = %s", got)
			}
			q := u.Query()
			if q.Get("param") != "paymentInit" || q.Get("tranportalId") != testID ||
				q.Get("responseURL") != a.WebhookURL || q.Get("errorURL") != a.ReturnURL {
				t.Errorf("query = %v", q)
			}
			td := q.Get("trandata")
			if td != strings.ToLower(td) {
				t.Error("trandata is not lower-case hex")
			}
			plain, err := decryptTrandata([]byte(testKey), td)
			if err != nil {
				t.Fatal(err)
			}
			want := "id=123456&password=123456pg&action=1&langid=" + tt.langid + "&currencycode=414&amt=6.000" +
				"&responseURL=https://pay.example/webhooks/knet&errorURL=https://pay.example/return/knet/att_01HXYZabc9" +
				"&trackid=01HXYZabc9&udf1=ord_01HABC&udf2=INV-10017&udf3=&udf4=&udf5="
			if plain != want {
				t.Errorf("plain text =\n%s\nwant\n%s", plain, want)
			}
			for _, secret := range []string{testPassword, testKey} {
				if strings.Contains(st.Action.URL, secret) {
					t.Errorf("the URL holds a secret: %s", st.Action.URL)
				}
			}
			if st.State["trackid"] != testTrackID || st.PaymentID != "" || st.Result != nil {
				t.Errorf("Started = %+v", st)
			}
		})
	}
	if f.count() != 0 {
		t.Errorf("Start called KNET %d times", f.count())
	}
}

func TestStartRefuses(t *testing.T) {
	f := newFakeKNET(t)
	tests := map[string]struct {
		cfg func(*Config)
		mod func(*gateway.Attempt)
	}{
		"not KWD":            {mod: func(a *gateway.Attempt) { a.Amount = money.MustParse("6.00", "USD") }},
		"no amount":          {mod: func(a *gateway.Attempt) { a.Amount = money.Amount{} }},
		"amount too long":    {mod: func(a *gateway.Attempt) { a.Amount = money.MustParse("123456789", "KWD") }},
		"no att_ prefix":     {mod: func(a *gateway.Attempt) { a.ID = "01HXYZ" }},
		"attempt id symbols": {mod: func(a *gateway.Attempt) { a.ID = "att_01-HX" }},
		"attempt id too long": {mod: func(a *gateway.Attempt) {
			a.ID = "att_" + strings.Repeat("a", 41)
		}},
		"return URL query":    {mod: func(a *gateway.Attempt) { a.ReturnURL += "?x=1" }},
		"webhook URL missing": {mod: func(a *gateway.Attempt) { a.WebhookURL = "" }},
		"webhook relative":    {mod: func(a *gateway.Attempt) { a.WebhookURL = "/webhooks/knet" }},
		"webhook ampersand":   {mod: func(a *gateway.Attempt) { a.WebhookURL = "https://pay.example/a&b" }},
		"key not 16 bytes":    {cfg: func(c *Config) { c.ResourceKey = "0123456789ABCDE" }},
		"password with &":     {cfg: func(c *Config) { c.TranportalPassword = "pa&ss=word" }},
		"no tranportal id":    {cfg: func(c *Config) { c.TranportalID = "" }},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			cfg := Config{BaseURL: f.srv.URL, TranportalID: testID, TranportalPassword: testPassword, ResourceKey: testKey}
			if tt.cfg != nil {
				tt.cfg(&cfg)
			}
			a := testAttemptFor("6")
			if tt.mod != nil {
				tt.mod(&a)
			}
			_, err := New(cfg).Start(context.Background(), a)
			if !errors.Is(err, gateway.ErrRejected) {
				t.Fatalf("err = %v, want ErrRejected", err)
			}
			for _, secret := range []string{"pa&ss=word", testPassword, testKey, "0123456789ABCDE"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("a secret is in the error: %v", err)
				}
			}
		})
	}
}

func TestWebhookStatuses(t *testing.T) {
	const payid = "8962225231041180"
	tests := []struct {
		name        string
		note        notification
		answer      string // inquiry answer; "" = not found
		want        gateway.Status
		reason      string
		amount      string // "" = zero Amount
		gwCode      string
		wantInqAmt  string
		wantPayment string
	}{
		{name: "captured", note: captured(), answer: inquiryAnswer("CAPTURED", payid, testTrackID, "20.550"),
			want: gateway.StatusPaid, amount: "20.550", wantInqAmt: "20.550", wantPayment: payid},
		{name: "captured, inquiry SUCCESS without amount", note: captured(), answer: inquiryAnswer("SUCCESS", payid, testTrackID, ""),
			want: gateway.StatusPaid, amount: "20.550", wantInqAmt: "20.550", wantPayment: payid},
		{name: "captured, inquiry reports another amount", note: captured(), answer: inquiryAnswer("CAPTURED", payid, testTrackID, "2.055"),
			want: gateway.StatusPaid, amount: "2.055", wantInqAmt: "20.550", wantPayment: payid},
		{name: "captured notification, inquiry says not captured", note: captured(), answer: inquiryAnswer("NOT CAPTURED", payid, testTrackID, "20.550"),
			want: gateway.StatusFailed, reason: gateway.ReasonDeclined, amount: "20.550", wantInqAmt: "20.550", wantPayment: payid},
		{name: "not captured", note: func() notification { n := captured(); n.Result, n.Auth = "NOT CAPTURED", ""; return n }(),
			answer: inquiryAnswer("NOT CAPTURED", payid, testTrackID, "20.550"),
			want:   gateway.StatusFailed, reason: gateway.ReasonDeclined, amount: "20.550", wantInqAmt: "20.550", wantPayment: payid},
		{name: "not captured notification, inquiry says captured", note: func() notification { n := captured(); n.Result = "NOT CAPTURED"; return n }(),
			answer: inquiryAnswer("CAPTURED", payid, testTrackID, "20.550"),
			want:   gateway.StatusPaid, amount: "20.550", wantInqAmt: "20.550", wantPayment: payid},
		{name: "canceled", note: notification{PaymentID: payid, Result: "CANCELED", TrackID: testTrackID, Amt: "20.550"},
			answer: inquiryAnswer("CANCELED", payid, testTrackID, "20.550"),
			want:   gateway.StatusCancelled, reason: gateway.ReasonCancelled, amount: "20.550", wantInqAmt: "20.550", wantPayment: payid},
		{name: "canceled, inquiry says FAILURE", note: notification{PaymentID: payid, Result: "CANCELED", TrackID: testTrackID, Amt: "20.550"},
			answer: inquiryAnswer("FAILURE", payid, testTrackID, "20.550"),
			want:   gateway.StatusCancelled, reason: gateway.ReasonCancelled, amount: "20.550", wantInqAmt: "20.550", wantPayment: payid},
		{name: "host timeout", note: func() notification { n := captured(); n.Result = "HOST TIMEOUT"; return n }(),
			answer: inquiryAnswer("HOST TIMEOUT", payid, testTrackID, "20.550"),
			want:   gateway.StatusUnknown, amount: "20.550", wantInqAmt: "20.550", wantPayment: payid},
		{name: "host timeout, inquiry later captured", note: func() notification { n := captured(); n.Result = "HOST TIMEOUT"; return n }(),
			answer: inquiryAnswer("CAPTURED", payid, testTrackID, "20.550"),
			want:   gateway.StatusPaid, amount: "20.550", wantInqAmt: "20.550", wantPayment: payid},
		{name: "denied by risk", note: func() notification { n := captured(); n.Result = "DENIED BY RISK"; return n }(),
			answer: inquiryAnswer("DENIED BY RISK", payid, testTrackID, "20.550"),
			want:   gateway.StatusFailed, reason: gateway.ReasonRisk, amount: "20.550", wantInqAmt: "20.550", wantPayment: payid},
		{name: "denied by risk, inquiry FAILURE", note: func() notification { n := captured(); n.Result = "DENIED BY RISK"; return n }(),
			answer: inquiryAnswer("FAILURE", payid, testTrackID, "20.550"),
			want:   gateway.StatusFailed, reason: gateway.ReasonRisk, amount: "20.550", wantInqAmt: "20.550", wantPayment: payid},
		{name: "error cancelled, inquiry FAILURE", note: notification{PaymentID: payid, TrackID: testTrackID, Amt: "20.550", Error: "IPAY0100048", ErrorText: "Cancelled"},
			answer: inquiryAnswer("FAILURE", payid, testTrackID, ""),
			want:   gateway.StatusCancelled, reason: gateway.ReasonCancelled, amount: "20.550", gwCode: "IPAY0100048", wantInqAmt: "20.550", wantPayment: payid},
		{name: "error time limit, inquiry FAILURE", note: notification{PaymentID: payid, TrackID: testTrackID, Amt: "20.550", Error: "IPAY0100042", ErrorText: "Transaction time limit exceeds"},
			answer: inquiryAnswer("FAILURE", payid, testTrackID, ""),
			want:   gateway.StatusExpired, amount: "20.550", gwCode: "IPAY0100042", wantInqAmt: "20.550", wantPayment: payid},
		{name: "error cancelled but inquiry captured", note: notification{PaymentID: payid, TrackID: testTrackID, Amt: "20.550", Error: "IPAY0100048", ErrorText: "Cancelled"},
			answer: inquiryAnswer("CAPTURED", payid, testTrackID, "20.550"),
			want:   gateway.StatusPaid, amount: "20.550", wantInqAmt: "20.550", wantPayment: payid},
		{name: "captured but not found by inquiry", note: captured(), answer: "",
			want: gateway.StatusPending, amount: "20.550", gwCode: "IPAY0100263", wantInqAmt: "20.550", wantPayment: payid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeKNET(t)
			if tt.answer != "" {
				f.setInquiry(testTrackID, tt.answer)
			}
			notes, err := f.gateway().Webhook(context.Background(), gateway.WebhookRequest{
				Header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, Body: tt.note.body(t)})
			if err != nil {
				t.Fatal(err)
			}
			if len(notes) != 1 {
				t.Fatalf("%d notifications", len(notes))
			}
			n := notes[0]
			if n.Ref.AttemptID != testAttempt || n.Ref.PaymentID != tt.wantPayment {
				t.Errorf("Ref = %+v", n.Ref)
			}
			r := n.Result
			if r.Status != tt.want || r.Reason != tt.reason {
				t.Errorf("status = %s/%q, want %s/%q", r.Status, r.Reason, tt.want, tt.reason)
			}
			if tt.amount == "" {
				if r.Amount.Currency().Code != "" {
					t.Errorf("amount = %s, want none", r.Amount)
				}
			} else if !r.Amount.Equal(money.MustParse(tt.amount, "KWD")) {
				t.Errorf("amount = %s %s, want %s KWD", r.Amount, r.Amount.Currency().Code, tt.amount)
			}
			if tt.gwCode != "" && r.GatewayCode != tt.gwCode {
				t.Errorf("GatewayCode = %q, want %q", r.GatewayCode, tt.gwCode)
			}
			if r.OurReference != testAttempt || r.TrackID != testTrackID || r.PaymentID != tt.wantPayment {
				t.Errorf("ids = %+v", r)
			}
			if tt.want == gateway.StatusPaid && (r.TransactionID != "9929892231041180" || r.Reference != "411857974849" || r.AuthCode != "999554") {
				t.Errorf("ids = tranid %q ref %q auth %q", r.TransactionID, r.Reference, r.AuthCode)
			}
			if !bytes.Contains(r.Raw, []byte("postdate=0427")) || bytes.Contains(r.Raw, []byte(testPassword)) || bytes.Contains(r.Raw, []byte(testKey)) {
				t.Errorf("Raw = %s", r.Raw)
			}
			c := f.last()
			want := map[string]string{"id": testID, "password": testPassword, "action": "8", "amt": tt.wantInqAmt,
				"transid": testTrackID, "trackid": testTrackID, "udf5": "TrackID"}
			for k, v := range want {
				if c.Tags[k] != v {
					t.Errorf("inquiry <%s> = %q, want %q", k, c.Tags[k], v)
				}
			}
			if len(c.Tags) != len(want) || c.ContentType != "application/xml" || c.Query != "param=tranInit" || strings.HasPrefix(c.Body, "<?xml") {
				t.Errorf("inquiry request = %+v", c)
			}
		})
	}
}

// TestWebhookVerifiesFirst: anything that does not decrypt or read is refused before any call
// to KNET, with ErrSignature (trandata) or ErrBadRequest (the form).
func TestWebhookVerifiesFirst(t *testing.T) {
	good := captured().body(t)
	td := strings.TrimPrefix(string(good), "trandata=")
	otherKey, _ := encryptTrandata([]byte("FEDCBA9876543210"), captured().plain())
	enc := func(plain string) string {
		s, err := encryptTrandata([]byte(testKey), plain)
		if err != nil {
			t.Fatal(err)
		}
		return "trandata=" + s
	}
	flipped := []byte(td)
	flipped[40] ^= 1
	tests := []struct {
		name string
		body string
		want error
	}{
		{"other key", "trandata=" + otherKey, gateway.ErrSignature},
		{"bit flipped", "trandata=" + string(flipped), gateway.ErrSignature},
		{"truncated", "trandata=" + td[:len(td)-32], gateway.ErrSignature},
		{"not hex", "trandata=hello", gateway.ErrSignature},
		{"plain trackid contradicts", string(good) + "&trackid=OTHER1", gateway.ErrSignature},
		{"no trackid inside", enc("paymentid=1&result=CAPTURED&amt=1.000"), gateway.ErrSignature},
		{"bad trackid inside", enc("result=CAPTURED&trackid=a-b&amt=1.000"), gateway.ErrSignature},
		{"no result nor error inside", enc("paymentid=1&trackid=" + testTrackID), gateway.ErrSignature},
		{"bad amount inside", enc("result=CAPTURED&trackid=" + testTrackID + "&amt=1.0000"), gateway.ErrSignature},
		{"bad escape inside", enc("result=CAPTURED&trackid=" + testTrackID + "&udf1=%zz"), gateway.ErrSignature},
		{"not a form", "trandata=%zz", gateway.ErrBadRequest},
		{"empty", "", gateway.ErrBadRequest},
		{"json", `{"trandata":"` + td + `"}`, gateway.ErrBadRequest},
		{"plain without trackid", "Error=IPAY0100048&ErrorText=Cancelled", gateway.ErrBadRequest},
		{"plain bad trackid", "Error=IPAY0100048&trackid=../x", gateway.ErrBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeKNET(t)
			f.setInquiry(testTrackID, inquiryAnswer("CAPTURED", "1", testTrackID, "20.550"))
			notes, err := f.gateway().Webhook(context.Background(), gateway.WebhookRequest{Body: []byte(tt.body)})
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if notes != nil {
				t.Errorf("notes = %+v", notes)
			}
			if f.count() != 0 {
				t.Errorf("KNET was called %d times", f.count())
			}
			for _, s := range []string{testKey, testPassword, "CAPTURED"} {
				if strings.Contains(err.Error(), s) {
					t.Errorf("the error reveals %q: %v", s, err)
				}
			}
		})
	}
	t.Run("no key configured", func(t *testing.T) {
		g := New(Config{BaseURL: "http://127.0.0.1:1", TranportalID: testID, TranportalPassword: testPassword})
		if _, err := g.Webhook(context.Background(), gateway.WebhookRequest{Body: good}); !errors.Is(err, gateway.ErrSignature) {
			t.Errorf("err = %v", err)
		}
	})
}

func TestWebhookPlainErrorNotification(t *testing.T) {
	f := newFakeKNET(t)
	f.setInquiry(testTrackID, inquiryAnswer("FAILURE", "8962225231041180", testTrackID, ""))
	body := "Error=IPAY0100048&ErrorText=Cancelled&paymentid=8962225231041180&trackid=" + testTrackID + "&amt=20.550"
	notes, err := f.gateway().Webhook(context.Background(), gateway.WebhookRequest{Body: []byte(body)})
	if err != nil {
		t.Fatal(err)
	}
	r := notes[0].Result
	if notes[0].Ref.AttemptID != testAttempt || r.Status != gateway.StatusCancelled || r.Reason != gateway.ReasonCancelled {
		t.Errorf("notification = %+v", notes[0])
	}
	// The plain amt is not an amount KNET vouched for.
	if r.Amount.Currency().Code != "" {
		t.Errorf("amount = %s", r.Amount)
	}
	if got := f.last().Tags["amt"]; got != "20.550" {
		t.Errorf("inquiry amt = %q", got)
	}

	t.Run("plain says captured, inquiry not found", func(t *testing.T) {
		f := newFakeKNET(t)
		body := "result=CAPTURED&paymentid=1&trackid=" + testTrackID + "&amt=20.550"
		notes, err := f.gateway().Webhook(context.Background(), gateway.WebhookRequest{Body: []byte(body)})
		if err != nil {
			t.Fatal(err)
		}
		if r := notes[0].Result; r.Status != gateway.StatusPending || r.Amount.Currency().Code != "" {
			t.Errorf("result = %+v", r)
		}
	})
}

func TestWebhookUnconfirmed(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(f *fakeKNET)
		reason string
	}{
		{"KNET down", func(f *fakeKNET) { f.status, f.body = 503, "busy" }, "unavailable"},
		{"rejected credentials", func(f *fakeKNET) {
			f.status, f.body = 200, `<error_code_tag>IPAY0100015</error_code_tag><error_text>Invalid tranportal password `+testPassword+`</error_text>`
		}, "IPAY0100015"},
		{"answer for another track id", func(f *fakeKNET) {
			f.setInquiry(testTrackID, inquiryAnswer("CAPTURED", "8962225231041180", "OTHER", "20.550"))
		}, "another track id"},
		{"another payment id", func(f *fakeKNET) {
			f.setInquiry(testTrackID, inquiryAnswer("CAPTURED", "1111", testTrackID, "20.550"))
		}, "another payment id"},
		{"garbage", func(f *fakeKNET) { f.status, f.body = 200, "<html><body>oops</body></html>" }, "unreadable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeKNET(t)
			tt.setup(f)
			notes, err := f.gateway().Webhook(context.Background(), gateway.WebhookRequest{Body: captured().body(t)})
			if err != nil {
				t.Fatal(err)
			}
			n := notes[0]
			r := n.Result
			if n.Ref.AttemptID != testAttempt || n.Ref.PaymentID != "" {
				t.Errorf("Ref = %+v", n.Ref)
			}
			if r.Status != gateway.StatusUnknown || r.PaymentID != "" || r.Amount.Currency().Code != "" || r.OurReference != "" || r.TrackID != testTrackID {
				t.Errorf("result = %+v", r)
			}
			if !strings.Contains(r.GatewayMessage, tt.reason) || strings.Contains(r.GatewayMessage, testPassword) {
				t.Errorf("GatewayMessage = %q", r.GatewayMessage)
			}
		})
	}
}

func TestAcknowledge(t *testing.T) {
	g := New(Config{})
	orders := map[string]string{testAttempt: "ord_01HABC"}
	resultURL := func(id string) string {
		if o, ok := orders[id]; ok {
			return "https://pay.example/pay/" + o + "/result"
		}
		return "https://pay.example/"
	}
	note := []gateway.Notification{{Ref: gateway.AttemptRef{AttemptID: testAttempt}, Result: gateway.Result{Status: gateway.StatusPaid}}}
	unknown := []gateway.Notification{{Ref: gateway.AttemptRef{AttemptID: "att_nobody"}}}
	tests := []struct {
		name   string
		notes  []gateway.Notification
		err    error
		status int
		body   string
	}{
		{"applied", note, nil, 200, "REDIRECT=https://pay.example/pay/ord_01HABC/result"},
		{"failed to record", note, errors.New("store: database is locked"), 200, "REDIRECT=https://pay.example/pay/ord_01HABC/result"},
		{"unconfirmed", []gateway.Notification{{Ref: gateway.AttemptRef{AttemptID: testAttempt}, Result: gateway.Result{Status: gateway.StatusUnknown}}}, nil, 200, "REDIRECT=https://pay.example/pay/ord_01HABC/result"},
		{"bad trandata", nil, gateway.ErrSignature, 401, ""},
		{"wrapped bad trandata", nil, errors.Join(errors.New("x"), gateway.ErrSignature), 401, ""},
		{"unreadable", nil, gateway.ErrBadRequest, 400, ""},
		{"refused: order closed", note, errors.Join(errors.New("order closed"), gateway.ErrRefused), 409, ""},
		{"unknown attempt", unknown, nil, 404, ""},
		{"no notification", nil, nil, 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := g.Acknowledge(tt.notes, tt.err, resultURL)
			if r.Status != tt.status || !strings.HasPrefix(r.ContentType, "text/plain") {
				t.Errorf("reply = %d %q", r.Status, r.ContentType)
			}
			if tt.body != "" && string(r.Body) != tt.body {
				t.Errorf("body = %q, want %q", r.Body, tt.body)
			}
			if tt.body == "" && bytes.Contains(r.Body, []byte("REDIRECT=")) {
				t.Errorf("body = %q: KNET must not get REDIRECT= (it auto-voids)", r.Body)
			}
		})
	}
}

func TestReturn(t *testing.T) {
	tests := []struct {
		name   string
		query  url.Values
		answer string
		want   gateway.Status
		reason string
		amount string
	}{
		{name: "cancelled, inquiry FAILURE", query: url.Values{"Error": {"IPAY0100048"}, "ErrorText": {"Cancelled"}, "paymentid": {"1"}, "trackid": {testTrackID}},
			answer: inquiryAnswer("FAILURE", "1", testTrackID, ""), want: gateway.StatusCancelled, reason: gateway.ReasonCancelled},
		{name: "cancelled, inquiry CANCELED", query: url.Values{"Error": {"IPAY0100048"}, "trackid": {testTrackID}},
			answer: inquiryAnswer("CANCELED", "1", testTrackID, "6.000"), want: gateway.StatusCancelled, reason: gateway.ReasonCancelled, amount: "6.000"},
		{name: "cancelled, inquiry not found: stays pending", query: url.Values{"Error": {"IPAY0100048"}, "trackid": {testTrackID}},
			want: gateway.StatusPending},
		{name: "error says cancelled but inquiry captured", query: url.Values{"Error": {"IPAY0100048"}},
			answer: inquiryAnswer("CAPTURED", "1", testTrackID, "6.000"), want: gateway.StatusPaid, amount: "6.000"},
		{name: "captured without amount", query: url.Values{},
			answer: inquiryAnswer("CAPTURED", "1", testTrackID, ""), want: gateway.StatusPaid},
		{name: "other error, inquiry NOT CAPTURED", query: url.Values{"Error": {"IPAY0100114"}},
			answer: inquiryAnswer("NOT CAPTURED", "1", testTrackID, "6.000"), want: gateway.StatusFailed, reason: gateway.ReasonGatewayError, amount: "6.000"},
		{name: "time limit", query: url.Values{"Error": {"IPAY0100042"}},
			answer: `<error_code_tag>IPAY0100042</error_code_tag><error_text>Transaction time limit exceeds</error_text>`, want: gateway.StatusExpired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeKNET(t)
			if tt.answer != "" {
				f.setInquiry(testTrackID, tt.answer)
			}
			a := testAttemptFor("6")
			r, err := f.gateway().Return(context.Background(), a, tt.query)
			if err != nil {
				t.Fatal(err)
			}
			if r.Status != tt.want || r.Reason != tt.reason {
				t.Errorf("status = %s/%q, want %s/%q", r.Status, r.Reason, tt.want, tt.reason)
			}
			if tt.amount == "" {
				if r.Amount.Currency().Code != "" {
					t.Errorf("amount = %s, want none", r.Amount)
				}
			} else if !r.Amount.Equal(money.MustParse(tt.amount, "KWD")) {
				t.Errorf("amount = %s", r.Amount)
			}
			if r.TrackID != testTrackID {
				t.Errorf("TrackID = %q", r.TrackID)
			}
			if strings.Contains(tt.answer, "<trackid>") && r.OurReference != testAttempt {
				t.Errorf("OurReference = %q", r.OurReference)
			}
			if c := f.last(); c.Tags["amt"] != "6.000" || c.Tags["trackid"] != testTrackID || c.Tags["action"] != "8" {
				t.Errorf("inquiry = %v", c.Tags)
			}
		})
	}

	t.Run("forged trackid", func(t *testing.T) {
		f := newFakeKNET(t)
		_, err := f.gateway().Return(context.Background(), testAttemptFor("6"), url.Values{"trackid": {"SOMEONEELSE"}, "result": {"CAPTURED"}})
		if !errors.Is(err, gateway.ErrBadRequest) {
			t.Fatalf("err = %v", err)
		}
		if f.count() != 0 {
			t.Errorf("KNET was called %d times", f.count())
		}
	})
	t.Run("forged captured hint changes nothing", func(t *testing.T) {
		f := newFakeKNET(t)
		f.setInquiry(testTrackID, inquiryAnswer("NOT CAPTURED", "1", testTrackID, "6.000"))
		r, err := f.gateway().Return(context.Background(), testAttemptFor("6"), url.Values{"result": {"CAPTURED"}, "trackid": {testTrackID}})
		if err != nil || r.Status != gateway.StatusFailed {
			t.Errorf("result = %+v, %v", r, err)
		}
		if f.count() != 1 || f.last().Tags["action"] != "8" {
			t.Error("Return made a call other than one inquiry")
		}
	})
	t.Run("track id derived from the attempt id", func(t *testing.T) {
		f := newFakeKNET(t)
		f.setInquiry(testTrackID, inquiryAnswer("CAPTURED", "1", testTrackID, "6.000"))
		a := testAttemptFor("6")
		a.State = nil
		if r, err := f.gateway().Return(context.Background(), a, nil); err != nil || r.Status != gateway.StatusPaid {
			t.Errorf("result = %+v, %v", r, err)
		}
	})
	t.Run("malformed stored track id", func(t *testing.T) {
		f := newFakeKNET(t)
		a := testAttemptFor("6")
		a.State = map[string]string{"trackid": "a/b"}
		if _, err := f.gateway().Return(context.Background(), a, nil); !errors.Is(err, gateway.ErrBadRequest) {
			t.Errorf("err = %v", err)
		}
		if f.count() != 0 {
			t.Error("KNET was called")
		}
	})
}

func TestInquireMapping(t *testing.T) {
	tests := []struct {
		name   string
		answer string
		want   gateway.Status
		reason string
		code   string
		err    error
	}{
		{name: "CAPTURED", answer: inquiryAnswer("CAPTURED", "1", testTrackID, "6.000"), want: gateway.StatusPaid},
		{name: "SUCCESS", answer: inquiryAnswer("SUCCESS", "1", testTrackID, "6.000"), want: gateway.StatusPaid},
		{name: "NOT CAPTURED", answer: inquiryAnswer("NOT CAPTURED", "1", testTrackID, "6.000"), want: gateway.StatusFailed, reason: gateway.ReasonDeclined},
		{name: "NOT APPROVED", answer: inquiryAnswer("NOT APPROVED", "1", testTrackID, "6.000"), want: gateway.StatusFailed, reason: gateway.ReasonDeclined},
		{name: "FAILURE", answer: inquiryAnswer("FAILURE", "1", testTrackID, "6.000"), want: gateway.StatusFailed, reason: gateway.ReasonDeclined},
		{name: "SUSPECTED", answer: inquiryAnswer("SUSPECTED", "1", testTrackID, "6.000"), want: gateway.StatusFailed, reason: gateway.ReasonRisk},
		{name: "FAILURE(SUSPECT)", answer: inquiryAnswer("FAILURE(SUSPECT)", "1", testTrackID, "6.000"), want: gateway.StatusFailed, reason: gateway.ReasonRisk},
		{name: "DENIED BY RISK", answer: inquiryAnswer("DENIED BY RISK", "1", testTrackID, "6.000"), want: gateway.StatusFailed, reason: gateway.ReasonRisk},
		{name: "CANCELED", answer: inquiryAnswer("CANCELED", "1", testTrackID, "6.000"), want: gateway.StatusCancelled, reason: gateway.ReasonCancelled},
		{name: "HOST TIMEOUT", answer: inquiryAnswer("HOST TIMEOUT", "1", testTrackID, "6.000"), want: gateway.StatusUnknown},
		{name: "APPROVED", answer: inquiryAnswer("APPROVED", "1", testTrackID, "6.000"), want: gateway.StatusAuthorized},
		{name: "VOIDED", answer: inquiryAnswer("VOIDED", "1", testTrackID, "6.000"), want: gateway.StatusVoided},
		{name: "NOT VOIDED", answer: inquiryAnswer("NOT VOIDED", "1", testTrackID, "6.000"), want: gateway.StatusUnknown},
		{name: "unlisted result", answer: inquiryAnswer("INITIALIZED", "1", testTrackID, "6.000"), want: gateway.StatusUnknown},
		{name: "with XML declaration and root", answer: `<?xml version="1.0"?><response>` + inquiryAnswer("CAPTURED", "1", testTrackID, "6.000") + `</response>`, want: gateway.StatusPaid},
		{name: "paymentid spelling", answer: `<result>CAPTURED</result><paymentid>1</paymentid><trackid>` + testTrackID + `</trackid><amt>6.000</amt>`, want: gateway.StatusPaid},
		{name: "error cancelled", answer: `<error_code_tag>IPAY0100048</error_code_tag><error_text>Cancelled</error_text>`, want: gateway.StatusCancelled, reason: gateway.ReasonCancelled, code: "IPAY0100048"},
		{name: "error time limit", answer: `<error_code_tag>IPAY0100042</error_code_tag>`, want: gateway.StatusExpired, code: "IPAY0100042"},
		{name: "error risk", answer: `<error_code_tag>IPAY0100045</error_code_tag>`, want: gateway.StatusFailed, reason: gateway.ReasonRisk, code: "IPAY0100045"},
		{name: "error host timeout", answer: `<error_code_tag>IPAY0100158</error_code_tag>`, want: gateway.StatusUnknown, code: "IPAY0100158"},
		{name: "error in progress", answer: `<error_code_tag>IPAY0100040</error_code_tag>`, want: gateway.StatusPending, code: "IPAY0100040"},
		{name: "error merchant down (auto-void)", answer: `<error_code_tag>IPAY0100249</error_code_tag>`, want: gateway.StatusFailed, reason: gateway.ReasonGatewayError, code: "IPAY0100249"},
		{name: "error merchant response (auto-void)", answer: `<error_code_tag>IPAY0200014</error_code_tag>`, want: gateway.StatusFailed, reason: gateway.ReasonGatewayError, code: "IPAY0200014"},
		{name: "bang error form", answer: `<result>!ERROR!-IPAY0100048-Cancelled</result>`, want: gateway.StatusCancelled, reason: gateway.ReasonCancelled, code: "IPAY0100048"},
		{name: "error null is no error", answer: `<error_code_tag>null</error_code_tag>` + inquiryAnswer("CAPTURED", "1", testTrackID, "6.000"), want: gateway.StatusPaid},
		{name: "not found", answer: "", want: gateway.StatusPending, code: "IPAY0100263"},
		{name: "bad password", answer: `<error_code_tag>IPAY0100015</error_code_tag><error_text>Invalid tranportal password</error_text>`, err: gateway.ErrRejected},
		{name: "bad terminal key", answer: `<error_code_tag>IPAY0100050</error_code_tag>`, err: gateway.ErrRejected},
		{name: "bad amount", answer: `<error_code_tag>IPAY0100024</error_code_tag><error_text>Invalid amount</error_text>`, err: gateway.ErrRejected},
		{name: "another track id", answer: inquiryAnswer("CAPTURED", "1", "SOMEONE", "6.000"), err: gateway.ErrUnavailable},
		{name: "no result, no error", answer: `<payid>1</payid>`, err: gateway.ErrUnavailable},
		{name: "html", answer: `<html><head><title>Error</title></head><body>Service down</body></html>`, err: gateway.ErrUnavailable},
		{name: "empty", answer: " ", err: gateway.ErrUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeKNET(t)
			if tt.answer != "" {
				f.setInquiry(testTrackID, tt.answer)
			}
			r, err := f.gateway().Inquire(context.Background(), testAttemptFor("6"))
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("err = %v, want %v", err, tt.err)
				}
				if strings.Contains(err.Error(), testPassword) {
					t.Errorf("the password is in the error")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.Status != tt.want || r.Reason != tt.reason {
				t.Errorf("status = %s/%q, want %s/%q", r.Status, r.Reason, tt.want, tt.reason)
			}
			if tt.code != "" && r.GatewayCode != tt.code {
				t.Errorf("GatewayCode = %q, want %q", r.GatewayCode, tt.code)
			}
			if r.TrackID != testTrackID || len(r.Raw) == 0 {
				t.Errorf("result = %+v", r)
			}
			if tt.want == gateway.StatusPaid {
				if r.PaymentID != "1" || r.OurReference != testAttempt || !r.Amount.Equal(money.MustParse("6", "KWD")) {
					t.Errorf("result = %+v", r)
				}
			}
		})
	}
}

func TestHTTPErrors(t *testing.T) {
	tests := []struct {
		status int
		body   string
		want   error
	}{
		{400, "bad", gateway.ErrRejected},
		{401, "", gateway.ErrRejected},
		{403, "", gateway.ErrRejected},
		{404, "", gateway.ErrRejected},
		{408, "", gateway.ErrUnavailable},
		{429, "", gateway.ErrUnavailable},
		{500, "<result>CAPTURED</result>", gateway.ErrUnavailable},
		{502, "", gateway.ErrUnavailable},
		{503, "", gateway.ErrUnavailable},
	}
	for _, tt := range tests {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			f := newFakeKNET(t)
			f.status, f.body = tt.status, tt.body
			g := f.gateway()
			a := testAttemptFor("6")
			if _, err := g.Inquire(context.Background(), a); !errors.Is(err, tt.want) {
				t.Errorf("Inquire: err = %v, want %v", err, tt.want)
			}
			if _, err := g.Return(context.Background(), a, nil); !errors.Is(err, tt.want) {
				t.Errorf("Return: err = %v, want %v", err, tt.want)
			}
			if _, err := g.Refund(context.Background(), a, money.MustParse("1", "KWD")); !errors.Is(err, tt.want) {
				t.Errorf("Refund: err = %v, want %v", err, tt.want)
			}
		})
	}
	t.Run("network", func(t *testing.T) {
		f := newFakeKNET(t)
		g := f.gateway()
		f.srv.Close()
		if _, err := g.Inquire(context.Background(), testAttemptFor("6")); !errors.Is(err, gateway.ErrUnavailable) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("wrong password", func(t *testing.T) {
		f := newFakeKNET(t)
		g := New(Config{BaseURL: f.srv.URL + "/sandbox/knet/kpg", TranportalID: testID, TranportalPassword: "wrongpass",
			ResourceKey: testKey, HTTPClient: f.srv.Client()})
		_, err := g.Inquire(context.Background(), testAttemptFor("6"))
		if !errors.Is(err, gateway.ErrRejected) || !strings.Contains(err.Error(), "IPAY0100015") || strings.Contains(err.Error(), "wrongpass") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("echoed secrets are redacted", func(t *testing.T) {
		f := newFakeKNET(t)
		f.setInquiry(testTrackID, inquiryAnswer("CAPTURED", "1", testTrackID, "6.000")+`<udf1>`+testPassword+` `+testKey+`</udf1>`)
		r, err := f.gateway().Inquire(context.Background(), testAttemptFor("6"))
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(r.Raw, []byte(testPassword)) || bytes.Contains(r.Raw, []byte(testKey)) || !bytes.Contains(r.Raw, []byte("[redacted]")) {
			t.Errorf("Raw = %s", r.Raw)
		}
	})
}

func TestRefund(t *testing.T) {
	tests := []struct {
		name   string
		answer string
		want   gateway.Status
		err    error
	}{
		{name: "captured", answer: "", want: gateway.StatusRefunded},
		{name: "not captured", answer: `<result>NOT CAPTURED</result><trackid>` + testTrackID + `</trackid>`, want: gateway.StatusFailed},
		{name: "error", answer: `<error_code_tag>IPAY0100024</error_code_tag><error_text>Invalid amount</error_text>`, err: gateway.ErrRejected},
		{name: "host timeout", answer: `<result>HOST TIMEOUT</result>`, err: gateway.ErrUnavailable},
		{name: "host timeout code", answer: `<error_code_tag>IPAY0100158</error_code_tag>`, err: gateway.ErrUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeKNET(t)
			if tt.answer != "" {
				f.refund = tt.answer
			}
			r, err := f.gateway().Refund(context.Background(), testAttemptFor("6"), money.MustParse("1", "KWD"))
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("err = %v, want %v", err, tt.err)
				}
			} else {
				if err != nil {
					t.Fatal(err)
				}
				if r.Status != tt.want {
					t.Errorf("status = %s, want %s", r.Status, tt.want)
				}
				if tt.want == gateway.StatusRefunded && (r.PaymentID != "9929892231041999" || r.TransactionID != "9929892231041999" ||
					!r.Amount.Equal(money.MustParse("1", "KWD"))) {
					t.Errorf("result = %+v", r)
				}
			}
			c := f.last()
			want := map[string]string{"id": testID, "password": testPassword, "action": "2", "amt": "1.000",
				"transid": testTrackID, "trackid": testTrackID, "udf5": "TrackID"}
			for k, v := range want {
				if c.Tags[k] != v {
					t.Errorf("refund <%s> = %q, want %q", k, c.Tags[k], v)
				}
			}
		})
	}
	t.Run("refused before any call", func(t *testing.T) {
		f := newFakeKNET(t)
		g := f.gateway()
		for name, amt := range map[string]money.Amount{
			"more than paid": money.MustParse("6.001", "KWD"),
			"other currency": money.MustParse("1", "USD"),
			"none":           {},
		} {
			if _, err := g.Refund(context.Background(), testAttemptFor("6"), amt); !errors.Is(err, gateway.ErrRejected) {
				t.Errorf("%s: err = %v", name, err)
			}
		}
		if f.count() != 0 {
			t.Errorf("KNET was called %d times", f.count())
		}
	})
	t.Run("full amount", func(t *testing.T) {
		f := newFakeKNET(t)
		if _, err := f.gateway().Refund(context.Background(), testAttemptFor("6"), money.MustParse("6", "KWD")); err != nil {
			t.Fatal(err)
		}
		if got := f.last().Tags["amt"]; got != "6.000" {
			t.Errorf("amt = %q", got)
		}
	})
}

func TestLowerKeysAndUDF(t *testing.T) {
	m := lowerKeys(url.Values{"Error": {"A"}, "error": {"B"}, "TrackID": {" x "}})
	if m["error"] != "B" || m["trackid"] != "x" {
		t.Errorf("lowerKeys = %v", m)
	}
	if got := safeUDF("ord_1 @/&=é.-" + strings.Repeat("x", 300)); got != "ord_1.-"+strings.Repeat("x", 248) {
		t.Errorf("safeUDF = %q", got)
	}
}
