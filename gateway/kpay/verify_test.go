package kpay

import (
	"context"
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

// TestMapState covers every (transaction_state, status) row of spec §3.6, §4.2, §4.8.1 and §8.
func TestMapState(t *testing.T) {
	for _, c := range []struct {
		state, status, code string
		fully               bool
		want                gateway.Status
		reason              string
	}{
		{"Authorized", "success", "", true, gateway.StatusPaid, ""},
		{"authorized", "SUCCESS", "", true, gateway.StatusPaid, ""},
		{"Authorized", "fail", "", true, gateway.StatusUnknown, ""}, // a failed void/settle's answer
		{"Authorized", "pending", "", true, gateway.StatusPending, ""},
		{"Authorized", "", "", true, gateway.StatusUnknown, ""},
		{"Pre-Authorized", "success", "", true, gateway.StatusPending, ""}, // Dynamic URL sent (§8.1)
		{"Pre-Authorized", "Pending", "", true, gateway.StatusPending, ""}, // OTP not entered yet
		{"Pre-Authorized", "fail", "", true, gateway.StatusFailed, gateway.ReasonDeclined},
		{"Pre-Authorized", "Failed", "50", true, gateway.StatusFailed, gateway.ReasonDeclined},   // authentication failed
		{"Pre-Authorized", "fail", "17", true, gateway.StatusCancelled, gateway.ReasonCancelled}, // Cancel on the OTP page
		{"Pre-Authorized", "success", "17", true, gateway.StatusPending, ""},
		{"Declined", "fail", "17", true, gateway.StatusCancelled, gateway.ReasonCancelled}, // Cancel on UnionPay/Alipay
		{"Initialize", "fail", "17", true, gateway.StatusCancelled, gateway.ReasonCancelled},
		{"Authorized", "success", "17", true, gateway.StatusPaid, ""},
		{"Initialize", "success", "", true, gateway.StatusPending, ""},
		{"Initialize", "fail", "", true, gateway.StatusFailed, gateway.ReasonDeclined},
		{"Declined", "fail", "05", true, gateway.StatusFailed, gateway.ReasonDeclined},
		{"Declined", "fail", "51", true, gateway.StatusFailed, gateway.ReasonInsufficient},
		{"Declined", "fail", "54", true, gateway.StatusFailed, gateway.ReasonCardExpired},
		{"Declined", "fail", "01", true, gateway.StatusFailed, gateway.ReasonDeclined},
		{"Declined", "fail", "", true, gateway.StatusFailed, gateway.ReasonDeclined},
		{"Reversed", "fail", "500", true, gateway.StatusFailed, gateway.ReasonTimeout},
		{"Reversed", "fail", "", true, gateway.StatusFailed, gateway.ReasonGatewayError},
		{"Voided", "success", "", true, gateway.StatusVoided, ""},
		{"VOID", "success", "", true, gateway.StatusVoided, ""}, // the Void QR sample's spelling
		{"Captured", "success", "", true, gateway.StatusPaid, ""},
		{"Settled", "success", "", true, gateway.StatusPaid, ""},
		{"Settled", "fail", "OBVAL", true, gateway.StatusPaid, ""}, // a failed refund's answer
		{"Refund Sent", "success", "", true, gateway.StatusRefunded, ""},
		{"Refund Sent", "success", "", false, gateway.StatusPaid, ""},
		{"Partial Refund", "success", "", true, gateway.StatusPaid, ""},
		{"Refunded", "success", "", true, gateway.StatusRefunded, ""},
		{"Authorized", "fail", "qr_expired", true, gateway.StatusExpired, ""},
		{"", "fail", "qr_cancelled", true, gateway.StatusCancelled, gateway.ReasonCancelled},
		{"", "", "", true, gateway.StatusUnknown, ""},
		{"Mystery", "success", "", true, gateway.StatusUnknown, ""},
	} {
		st, reason := mapState(c.state, c.status, c.code, c.fully)
		if st != c.want || reason != c.reason {
			t.Errorf("mapState(%q, %q, %q, %v) = %s/%s; want %s/%s", c.state, c.status, c.code, c.fully, st, reason, c.want, c.reason)
		}
	}
}

func TestFailureReason(t *testing.T) {
	for code, want := range map[string]string{
		"51": gateway.ReasonInsufficient, "61": gateway.ReasonInsufficient, "65": gateway.ReasonInsufficient,
		"33": gateway.ReasonCardExpired, "54": gateway.ReasonCardExpired,
		"17":  gateway.ReasonCancelled,
		"500": gateway.ReasonTimeout, "91": gateway.ReasonTimeout, "68": gateway.ReasonTimeout,
		"03": gateway.ReasonGatewayError, "96": gateway.ReasonGatewayError, "token_invalid": gateway.ReasonGatewayError, "used_token": gateway.ReasonGatewayError,
		"01": gateway.ReasonDeclined, "05": gateway.ReasonDeclined, "43": gateway.ReasonDeclined, "59": gateway.ReasonDeclined, "N7": gateway.ReasonDeclined,
		"card_error": gateway.ReasonDeclined,
	} {
		if got := failureReason(code, "default"); got != want {
			t.Errorf("failureReason(%s) = %s; want %s", code, got, want)
		}
	}
	if got := failureReason("99", "default"); got != "default" {
		t.Errorf("unknown code → %s", got)
	}
}

func TestChargeAmountAndCreated(t *testing.T) {
	for _, c := range []struct {
		lit, cur string
		want     string
		ok       bool
	}{
		{"305", "THB", "305.00", true}, {"200.50", "THB", "200.50", true}, {"11.5", "THB", "11.50", true},
		{"60.0", "THB", "60.00", true}, {"1500", "JPY", "1500", true}, {"1.005", "THB", "", false},
		{"1.5", "JPY", "", false}, {"", "THB", "", false}, {"10", "XXX", "", false}, {"-1", "THB", "", false},
	} {
		a, ok := chargeAmount(c.lit, c.cur)
		if ok != c.ok || (ok && a.String() != c.want) {
			t.Errorf("chargeAmount(%q, %s) = %s, %v", c.lit, c.cur, a.String(), ok)
		}
	}
	if got := parseCreated("20220307212451000"); !got.Equal(time.Date(2022, 3, 7, 14, 24, 51, 0, time.UTC)) {
		t.Errorf("created = %v", got)
	}
	if got := parseCreated("20190606134355773"); !got.Equal(time.Date(2019, 6, 6, 6, 43, 55, 773e6, time.UTC)) {
		t.Errorf("created with ms = %v", got)
	}
	if !parseCreated("2022").IsZero() {
		t.Error("short created parsed")
	}
}

// cardAttempt is a started card attempt.
func cardAttempt() gateway.Attempt {
	a := attempt("card")
	a.PaymentID = testChargeID
	return a
}

// qrAttempt is a started Thai QR attempt.
func qrAttempt() gateway.Attempt {
	a := attempt("thaiqr")
	a.PaymentID = testOrderID
	a.State = map[string]string{stateQRExpires: fixedNow.Add(20 * time.Minute).Format(time.RFC3339)}
	return a
}

// TestReturnCard: the Callback URL's parameters are a trigger only; the charge is read.
func TestReturnCard(t *testing.T) {
	forged := url.Values{"objectId": {testChargeID}, "status": {"true"}, "token": {"tokn_test_x"}, "saveCard": {"false"}}
	for _, c := range []struct {
		name   string
		method string
		query  url.Values
		body   string
		status gateway.Status
		ourRef string
		amount string
	}{
		{"forged success, OTP not entered", "card", forged, chargeJSON("transaction_state", `"Pre-Authorized"`), gateway.StatusPending, testAttemptID, "200.50"},
		{"forged success, declined", "card", forged, chargeJSON("transaction_state", `"Declined"`, "status", `"fail"`, "failure_code", `"05"`), gateway.StatusFailed, testAttemptID, "200.50"},
		{"verified success", "card", forged, chargeJSON(), gateway.StatusPaid, testAttemptID, "200.50"},
		{"status false but paid", "card", url.Values{"objectId": {testChargeID}, "status": {"false"}}, chargeJSON(), gateway.StatusPaid, testAttemptID, "200.50"},
		{"no parameters at all", "card", nil, chargeJSON(), gateway.StatusPaid, testAttemptID, "200.50"},
		{"other amount reported as is", "card", forged, chargeJSON("amount", `"2.50"`), gateway.StatusPaid, testAttemptID, "2.50"},
		{"another reference reported as is", "card", forged, chargeJSON("reference_order", `"INV0001"`), gateway.StatusPaid, "INV0001", "200.50"},
		{"UnionPay callback", "unionpay", url.Values{"objectId": {testChargeID}, "status": {"true"}}, chargeJSON("transaction_state", `"Initialize"`), gateway.StatusPending, testAttemptID, "200.50"},
		{"Alipay callback", "alipay", url.Values{"objectId": {testChargeID}, "status": {"true"}}, chargeJSON(), gateway.StatusPaid, testAttemptID, "200.50"},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFake(t)
			f.on("GET", "/card/v2/charge/"+testChargeID, http.StatusOK, c.body)
			a := cardAttempt()
			a.Method = c.method
			r, err := f.gateway().Return(context.Background(), a, c.query)
			if err != nil {
				t.Fatal(err)
			}
			if r.Status != c.status || r.OurReference != c.ourRef || r.Amount.String() != c.amount || r.PaymentID != testChargeID {
				t.Errorf("result %s ref %q amount %s payment %s", r.Status, r.OurReference, r.Amount.String(), r.PaymentID)
			}
			if s := f.stateChanging(); len(s) != 0 {
				t.Errorf("state-changing calls %v", s)
			}
		})
	}
	t.Run("objectId of another charge", func(t *testing.T) {
		f := newFake(t)
		_, err := f.gateway().Return(context.Background(), cardAttempt(), url.Values{"objectId": {"chrg_test_someoneelse"}, "status": {"true"}})
		if !errors.Is(err, gateway.ErrBadRequest) || len(f.calls()) != 0 {
			t.Errorf("err = %v, calls %v", err, f.calls())
		}
	})
	t.Run("attempt without a charge", func(t *testing.T) {
		f := newFake(t)
		_, err := f.gateway().Return(context.Background(), attempt("card"), url.Values{"objectId": {testChargeID}})
		if !errors.Is(err, gateway.ErrBadRequest) || len(f.calls()) != 0 {
			t.Errorf("err = %v, calls %v", err, f.calls())
		}
	})
	t.Run("K-Pay answers for another charge", func(t *testing.T) {
		f := newFake(t)
		f.on("GET", "/card/v2/charge/"+testChargeID, http.StatusOK, chargeJSON("id", `"chrg_test_other"`))
		if _, err := f.gateway().Return(context.Background(), cardAttempt(), nil); !errors.Is(err, gateway.ErrUnavailable) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("Raw never carries the secret key", func(t *testing.T) {
		f := newFake(t)
		f.on("GET", "/card/v2/charge/"+testChargeID, http.StatusOK, chargeJSON("ref_3", `"`+testSecret+`"`))
		r, err := f.gateway().Return(context.Background(), cardAttempt(), nil)
		if err != nil || strings.Contains(string(r.Raw), testSecret) || !strings.Contains(string(r.Raw), "[redacted]") {
			t.Errorf("raw %s err %v", r.Raw, err)
		}
	})
	t.Run("inquiry down", func(t *testing.T) {
		f := newFake(t)
		f.on("GET", "/card/v2/charge/"+testChargeID, http.StatusBadGateway, ``)
		if _, err := f.gateway().Return(context.Background(), cardAttempt(), nil); !errors.Is(err, gateway.ErrUnavailable) {
			t.Errorf("err = %v", err)
		}
	})
}

// TestReturnQR: the QR button's chargeId post is ignored; the order's charge is read.
func TestReturnQR(t *testing.T) {
	forged := url.Values{"chargeId": {"chrg_test_forged"}}
	t.Run("paid", func(t *testing.T) {
		f := newFake(t)
		f.on("GET", "/qr/v2/qr/"+testOrderID, http.StatusOK, qrChargeJSON())
		r, err := f.gateway().Return(context.Background(), qrAttempt(), forged)
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != gateway.StatusPaid || r.PaymentID != testOrderID || r.TransactionID != testQRChargeID ||
			r.OurReference != testAttemptID || !r.Amount.Equal(money.MustParse("200.50", "THB")) {
			t.Errorf("result %+v", r)
		}
		if !reflect.DeepEqual(f.calls(), []string{"GET /qr/v2/qr/" + testOrderID}) {
			t.Errorf("calls %v", f.calls())
		}
	})
	t.Run("forged post, nothing paid", func(t *testing.T) {
		f := newFake(t)
		r, err := f.gateway().Return(context.Background(), qrAttempt(), forged)
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != gateway.StatusPending {
			t.Errorf("status %s", r.Status)
		}
		if s := f.stateChanging(); len(s) != 0 {
			t.Errorf("state-changing calls %v", s)
		}
	})
	t.Run("unpaid after the QR expired", func(t *testing.T) {
		f := newFake(t)
		g := f.gateway()
		g.now = func() time.Time { return fixedNow.Add(time.Hour) }
		r, err := g.Return(context.Background(), qrAttempt(), nil)
		if err != nil || r.Status != gateway.StatusExpired {
			t.Errorf("status %s err %v", r.Status, err)
		}
	})
	t.Run("QR expired at K-Pay", func(t *testing.T) {
		f := newFake(t)
		f.on("GET", "/qr/v2/qr/"+testOrderID, http.StatusOK, qrChargeJSON("transaction_state", `""`, "status", `"fail"`, "failure_code", `"qr_expired"`))
		r, err := f.gateway().Return(context.Background(), qrAttempt(), nil)
		if err != nil || r.Status != gateway.StatusExpired {
			t.Errorf("status %s err %v", r.Status, err)
		}
	})
	for code, want := range map[string]gateway.Status{"qr_expired": gateway.StatusExpired, "qr_cancelled": gateway.StatusCancelled} {
		t.Run("K-Pay answers the error "+code, func(t *testing.T) {
			f := newFake(t)
			f.on("GET", "/qr/v2/qr/"+testOrderID, http.StatusBadRequest, `{"object":"error","code":"`+code+`","message":"QR can no longer be paid"}`)
			r, err := f.gateway().Return(context.Background(), qrAttempt(), forged)
			if err != nil || r.Status != want {
				t.Errorf("status %s err %v, want %s", r.Status, err, want)
			}
		})
	}
	t.Run("K-Pay answers with the unpaid order itself", func(t *testing.T) {
		f := newFake(t)
		f.on("GET", "/qr/v2/qr/"+testOrderID, http.StatusOK, `{"id":"`+testOrderID+`","object":"order","amount":200.5,"currency":"THB","status":"success","livemode":false}`)
		r, err := f.gateway().Return(context.Background(), qrAttempt(), forged)
		if err != nil || r.Status != gateway.StatusPending {
			t.Errorf("status %s err %v", r.Status, err)
		}
	})
	t.Run("no charge for the order yet (invalid_order_id)", func(t *testing.T) {
		f := newFake(t)
		f.on("GET", "/qr/v2/qr/"+testOrderID, http.StatusBadRequest, `{"object":"error","code":"invalid_order_id","message":"Order ID cannot found in system"}`)
		r, err := f.gateway().Return(context.Background(), qrAttempt(), forged)
		if err != nil || r.Status != gateway.StatusPending {
			t.Errorf("status %s err %v", r.Status, err)
		}
	})
	t.Run("a charge of another order", func(t *testing.T) {
		f := newFake(t)
		f.on("GET", "/qr/v2/qr/"+testOrderID, http.StatusOK, qrChargeJSON("order_id", `"order_test_other"`))
		if _, err := f.gateway().Return(context.Background(), qrAttempt(), nil); !errors.Is(err, gateway.ErrUnavailable) {
			t.Errorf("err = %v", err)
		}
	})
}

func TestInquire(t *testing.T) {
	t.Run("card by charge id", func(t *testing.T) {
		f := newFake(t)
		f.on("GET", "/card/v2/charge/"+testChargeID, http.StatusOK, chargeJSON("transaction_state", `"Settled"`))
		r, err := f.gateway().Inquire(context.Background(), cardAttempt())
		if err != nil || r.Status != gateway.StatusPaid {
			t.Errorf("status %s err %v", r.Status, err)
		}
	})
	t.Run("card without charge id: by reference_order", func(t *testing.T) {
		f := newFake(t)
		f.on("GET", "/card/v2/charge/"+testRef, http.StatusOK, chargeJSON())
		r, err := f.gateway().Inquire(context.Background(), attempt("card"))
		if err != nil || r.Status != gateway.StatusPaid || r.PaymentID != testChargeID {
			t.Errorf("result %+v err %v", r, err)
		}
	})
	t.Run("card never charged", func(t *testing.T) {
		f := newFake(t)
		r, err := f.gateway().Inquire(context.Background(), attempt("card"))
		if err != nil || r.Status != gateway.StatusPending {
			t.Errorf("status %s err %v", r.Status, err)
		}
	})
	t.Run("known charge vanished", func(t *testing.T) {
		f := newFake(t)
		if _, err := f.gateway().Inquire(context.Background(), cardAttempt()); !errors.Is(err, gateway.ErrRejected) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("malformed charge id", func(t *testing.T) {
		f := newFake(t)
		a := cardAttempt()
		a.PaymentID = "chrg_x/../../customer"
		if _, err := f.gateway().Inquire(context.Background(), a); !errors.Is(err, gateway.ErrBadRequest) || len(f.calls()) != 0 {
			t.Errorf("err = %v calls %v", err, f.calls())
		}
	})
	t.Run("QR by order id", func(t *testing.T) {
		f := newFake(t)
		f.on("GET", "/qr/v2/qr/"+testOrderID, http.StatusOK, qrChargeJSON("transaction_state", `"Voided"`))
		r, err := f.gateway().Inquire(context.Background(), qrAttempt())
		if err != nil || r.Status != gateway.StatusVoided || r.PaymentID != testOrderID {
			t.Errorf("result %+v err %v", r, err)
		}
	})
	t.Run("QR not started", func(t *testing.T) {
		f := newFake(t)
		r, err := f.gateway().Inquire(context.Background(), attempt("wechat"))
		if err != nil || r.Status != gateway.StatusUnknown || len(f.calls()) != 0 {
			t.Errorf("status %s err %v", r.Status, err)
		}
	})
	t.Run("live connector refuses a test charge", func(t *testing.T) {
		f := newFake(t)
		f.on("GET", "/card/v2/charge/"+testChargeID, http.StatusOK, chargeJSON("livemode", "false"))
		if _, err := f.gateway(func(c *Config) { c.Live = true }).Inquire(context.Background(), cardAttempt()); !errors.Is(err, gateway.ErrBadRequest) {
			t.Errorf("err = %v", err)
		}
		f.on("GET", "/card/v2/charge/"+testChargeID, http.StatusOK, chargeJSON("livemode", "true"))
		if r, err := f.gateway().Inquire(context.Background(), cardAttempt()); err != nil || r.Status != gateway.StatusPaid {
			t.Errorf("sandbox with livemode true: %v %v", r.Status, err)
		}
	})
}

// signed returns a webhook body signed with testSecret by the normative formula (§6.1).
func signed(id, amount, state, status string, extra string) []byte {
	sum := checksum(id + amount + "THB" + status + state + testSecret)
	return []byte(`{"id":"` + id + `","amount":` + amount + `,"currency":"THB","transaction_state":"` + state +
		`","status":"` + status + `"` + extra + `,"checksum":"` + sum + `"}`)
}

func TestWebhook(t *testing.T) {
	ctx := context.Background()
	qrBody := signed(testQRChargeID, "200.5000", "Authorized", "success",
		`,"order_id":"`+testOrderID+`","object":"qr","reference_order":"`+testRef+`","failure_code":""`)
	cardBody := signed(testChargeID, "200.5000", "Authorized", "success",
		`,"object":"charge","reference_order":"`+testRef+`","failure_code":null`)
	t.Run("QR: verified, confirmed by Inquiry QR", func(t *testing.T) {
		f := newFake(t)
		f.on("GET", "/qr/v2/qr/"+testQRChargeID, http.StatusOK, qrChargeJSON())
		notes, err := f.gateway().Webhook(ctx, gateway.WebhookRequest{Body: qrBody})
		if err != nil {
			t.Fatal(err)
		}
		if len(notes) != 1 {
			t.Fatalf("notes %v", notes)
		}
		n := notes[0]
		if n.Ref != (gateway.AttemptRef{AttemptID: testAttemptID, PaymentID: testOrderID}) || n.Result.Status != gateway.StatusPaid ||
			n.Result.TransactionID != testQRChargeID || !n.Result.Amount.Equal(money.MustParse("200.50", "THB")) {
			t.Errorf("note %+v", n)
		}
		if !reflect.DeepEqual(f.calls(), []string{"GET /qr/v2/qr/" + testQRChargeID}) {
			t.Errorf("calls %v", f.calls())
		}
	})
	t.Run("card: verified, confirmed by Inquiry Transaction", func(t *testing.T) {
		f := newFake(t)
		f.on("GET", "/card/v2/charge/"+testChargeID, http.StatusOK, chargeJSON())
		notes, err := f.gateway().Webhook(ctx, gateway.WebhookRequest{Body: cardBody})
		if err != nil {
			t.Fatal(err)
		}
		if notes[0].Ref != (gateway.AttemptRef{AttemptID: testAttemptID, PaymentID: testChargeID}) || notes[0].Result.Status != gateway.StatusPaid {
			t.Errorf("note %+v", notes[0])
		}
	})
	t.Run("the inquiry wins over the notification", func(t *testing.T) {
		f := newFake(t)
		f.on("GET", "/card/v2/charge/"+testChargeID, http.StatusOK, chargeJSON("transaction_state", `"Declined"`, "status", `"fail"`, "failure_code", `"51"`))
		notes, err := f.gateway().Webhook(ctx, gateway.WebhookRequest{Body: cardBody})
		if err != nil || notes[0].Result.Status != gateway.StatusFailed || notes[0].Result.Reason != gateway.ReasonInsufficient {
			t.Errorf("notes %+v err %v", notes, err)
		}
	})
	t.Run("Java variant with failure_code", func(t *testing.T) {
		f := newFake(t)
		f.on("GET", "/card/v2/charge/"+testChargeID, http.StatusOK, chargeJSON("transaction_state", `"Declined"`, "status", `"fail"`, "failure_code", `"05"`))
		sum := checksum(testChargeID + "200.5000THBfailDeclined05" + testSecret)
		body := `{"id":"` + testChargeID + `","amount":"200.50","currency":"THB","transaction_state":"Declined","status":"fail","failure_code":"05","reference_order":"` + testRef + `","checksum":"` + sum + `"}`
		notes, err := f.gateway().Webhook(ctx, gateway.WebhookRequest{Body: []byte(body)})
		if err != nil || notes[0].Result.Status != gateway.StatusFailed {
			t.Errorf("notes %+v err %v", notes, err)
		}
	})
	for _, c := range []struct {
		name string
		body []byte
		want error
	}{
		{"checksum one character off", flipChecksum(cardBody), gateway.ErrSignature},
		{"amount changed after signing", []byte(strings.Replace(string(cardBody), `"amount":200.5000`, `"amount":2.5000`, 1)), gateway.ErrSignature},
		{"state changed after signing", []byte(strings.Replace(string(cardBody), `"Authorized"`, `"Refunded"`, 1)), gateway.ErrSignature},
		{"no checksum", []byte(`{"id":"` + testChargeID + `","amount":200.5,"currency":"THB","transaction_state":"Authorized","status":"success"}`), gateway.ErrSignature},
		{"not JSON", []byte(`id=chrg_test_1&status=success`), gateway.ErrBadRequest},
		{"empty", nil, gateway.ErrBadRequest},
		{"verified but malformed id", signed("chrg_test_../../x", "200.5000", "Authorized", "success", ""), gateway.ErrBadRequest},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFake(t)
			f.on("GET", "/card/v2/charge/"+testChargeID, http.StatusOK, chargeJSON())
			notes, err := f.gateway().Webhook(ctx, gateway.WebhookRequest{Body: c.body})
			if !errors.Is(err, c.want) || notes != nil {
				t.Errorf("notes %v err %v; want %v", notes, err, c.want)
			}
			if calls := f.calls(); len(calls) != 0 {
				t.Errorf("K-Pay was called: %v", calls)
			}
		})
	}
	t.Run("signed with another key", func(t *testing.T) {
		f := newFake(t)
		sum := checksum(testChargeID + "200.5000THBsuccessAuthorized" + "skey_test_someone_else")
		body := `{"id":"` + testChargeID + `","amount":200.5,"currency":"THB","transaction_state":"Authorized","status":"success","checksum":"` + sum + `"}`
		if _, err := f.gateway().Webhook(ctx, gateway.WebhookRequest{Body: []byte(body)}); !errors.Is(err, gateway.ErrSignature) || len(f.calls()) != 0 {
			t.Errorf("err %v calls %v", err, f.calls())
		}
	})
	t.Run("confirmation unavailable", func(t *testing.T) {
		f := newFake(t)
		f.on("GET", "/card/v2/charge/"+testChargeID, http.StatusServiceUnavailable, ``)
		if _, err := f.gateway().Webhook(ctx, gateway.WebhookRequest{Body: cardBody}); !errors.Is(err, gateway.ErrUnavailable) {
			t.Errorf("err = %v", err)
		}
	})
}

// flipChecksum changes the first character of the body's checksum.
func flipChecksum(body []byte) []byte {
	s := string(body)
	i := strings.Index(s, `"checksum":"`) + len(`"checksum":"`)
	r := "0"
	if s[i] == '0' {
		r = "1"
	}
	return []byte(s[:i] + r + s[i+1:])
}

func TestAcknowledge(t *testing.T) {
	g := newFake(t).gateway()
	ok := g.Acknowledge(nil, nil, func(string) string { return "" })
	if ok.Status != http.StatusOK || len(ok.Body) != 0 {
		t.Errorf("ok reply %+v", ok)
	}
	if bad := g.Acknowledge(nil, gateway.ErrSignature, func(string) string { return "" }); bad.Status != 0 {
		t.Errorf("error reply %+v; want the handler's own", bad)
	}
}

// TestRefundStatesOfACharge: "Refund Sent" is refunded unless refund_info leaves an amount.
func TestRefundStatesOfACharge(t *testing.T) {
	g := newFake(t).gateway()
	for _, c := range []struct {
		name string
		body string
		want gateway.Status
	}{
		{"no refund_info", settledJSON("Refund Sent", `null`), gateway.StatusRefunded},
		{"one object, part refunded", settledJSON("Refund Sent", `{"refund_amount":100.0}`), gateway.StatusPaid},
		{"array, all refunded", settledJSON("Refund Sent", `[{"refund_amount":100.0},{"refund_amount":"100.50"}]`), gateway.StatusRefunded},
		{"failed refund does not count", settledJSON("Refund Sent", `[{"refund_amount":200.5,"error_code":"OBAVL"}]`), gateway.StatusPaid},
		{"Refunded whatever the entries", settledJSON("Refunded", `[{"refund_amount":1.0}]`), gateway.StatusRefunded},
	} {
		c2, err := decodeCharge([]byte(c.body))
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := g.chargeResult([]byte(c.body), c2, false).Status; got != c.want {
			t.Errorf("%s: %s; want %s", c.name, got, c.want)
		}
	}
}

// The one registered Callback URL carries the charge id as objectId: it locates the attempt,
// nothing more.
func TestLocateReturn(t *testing.T) {
	g := New(Config{})
	tests := []struct {
		query string
		want  string
		ok    bool
	}{
		{"objectId=chrg_test_0123abcd&status=true", "chrg_test_0123abcd", true},
		{"objectid=chrg_test_0123abcd", "chrg_test_0123abcd", true},
		{"status=true", "", false},
		{"objectId=chrg/../x", "", false},
		{"objectId=a&objectId=b", "", false},
	}
	for _, tt := range tests {
		q, _ := url.ParseQuery(tt.query)
		ref, err := g.LocateReturn(q)
		if (err == nil) != tt.ok || ref.PaymentID != tt.want {
			t.Errorf("LocateReturn(%s) = %+v, %v; want %q ok=%v", tt.query, ref, err, tt.want, tt.ok)
		}
	}
}

// TestContinueQR: the QR button's post (a chargeId) only makes Continue read the attempt's own
// order; K-Pay down is no Result and no error (the attempt must not fail for it); a method
// without a K-Pay button is refused before any call.
func TestContinueQR(t *testing.T) {
	forged := url.Values{"chargeId": {"chrg_test_forged"}}
	t.Run("paid", func(t *testing.T) {
		f := newFake(t)
		f.on("GET", "/qr/v2/qr/"+testOrderID, http.StatusOK, qrChargeJSON())
		st, err := f.gateway().Continue(context.Background(), qrAttempt(), forged)
		if err != nil {
			t.Fatal(err)
		}
		if st.Result == nil || st.Result.Status != gateway.StatusPaid || st.Result.TransactionID != testQRChargeID ||
			st.Action.Kind != "" || st.PaymentID != "" {
			t.Errorf("started %+v", st)
		}
		if !reflect.DeepEqual(f.calls(), []string{"GET /qr/v2/qr/" + testOrderID}) {
			t.Errorf("calls %v", f.calls())
		}
	})
	t.Run("K-Pay down", func(t *testing.T) {
		f := newFake(t)
		f.on("GET", "/qr/v2/qr/"+testOrderID, http.StatusBadGateway, `down`)
		st, err := f.gateway().Continue(context.Background(), qrAttempt(), forged)
		if err != nil || st.Result != nil || st.Action.Kind != "" {
			t.Errorf("started %+v err %v; want nothing", st, err)
		}
	})
	t.Run("no button for alipay", func(t *testing.T) {
		f := newFake(t)
		_, err := f.gateway().Continue(context.Background(), attempt("alipay"), tokenPost())
		if !errors.Is(err, gateway.ErrBadRequest) || len(f.calls()) != 0 {
			t.Errorf("err %v calls %v", err, f.calls())
		}
	})
}
