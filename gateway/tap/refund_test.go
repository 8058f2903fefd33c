package tap

import (
	"context"
	"errors"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/money"
)

const refundCharge = "chg_TS05A1320231018Hy56070XXXX"

// paidAttempt is testAttempt after its 6 KWD charge was captured, with the charge stored in f.
func paidAttempt(f *fakeTap) gateway.Attempt {
	c := seedCharge()
	c.ID, c.Amount = refundCharge, "6"
	f.store(c)
	a := testAttempt()
	a.PaymentID = refundCharge
	return a
}

func TestRefundRequest(t *testing.T) {
	f := newFakeTap(t)
	a := paidAttempt(f)
	var g gateway.Gateway = f.gateway(false)
	rf, ok := g.(gateway.Refunder)
	if !ok {
		t.Fatal("the Tap connector is not a gateway.Refunder")
	}
	res, err := rf.Refund(context.Background(), a, money.MustParse("2.5", "KWD"))
	if err != nil {
		t.Fatal(err)
	}

	r := f.last()
	if r.Method != http.MethodPost || r.Path != "/sandbox/tap/v2/refunds" {
		t.Errorf("request = %s %s", r.Method, r.Path)
	}
	for h, want := range map[string]string{
		"Authorization": "Bearer " + testKey,
		"Content-Type":  "application/json",
		"Accept":        "application/json",
	} {
		if got := r.Header.Get(h); got != want {
			t.Errorf("header %s = %q, want %q", h, got, want)
		}
	}
	if key := r.Header.Get("Idempotency-Key"); !regexp.MustCompile(`^att_01HXYZ:refund:[0-9a-f]{32}$`).MatchString(key) {
		t.Errorf("Idempotency-Key = %q, want att_01HXYZ:refund:<32 hex>", key)
	}
	wantBody := `{"charge_id":"chg_TS05A1320231018Hy56070XXXX","amount":2.500,"currency":"KWD",` +
		`"reason":"requested_by_customer","reference":{"merchant":"att_01HXYZ"},` +
		`"metadata":{"udf1":"INV-1001","udf2":"ord_01HABC"}}`
	if string(r.Body) != wantBody {
		t.Errorf("body =\n%s\nwant\n%s", r.Body, wantBody)
	}

	want := gateway.Result{
		Status:        gateway.StatusRefunded,
		PaymentID:     "re_TS01A1320231018Rf56070001",
		TransactionID: "re_TS01A1320231018Rf56070001",
		Reference:     "202235421476999",
		OurReference:  "att_01HXYZ",
		GatewayCode:   "000",
		Amount:        money.MustParse("2.500", "KWD"),
		At:            time.UnixMilli(1671563800000).UTC(),
	}
	if !equalRefund(res, want) {
		t.Errorf("Result =\n%+v\nwant\n%+v", res, want)
	}
	if res.GatewayMessage != "Refunded" || len(res.Raw) == 0 {
		t.Errorf("GatewayMessage = %q, Raw = %d bytes", res.GatewayMessage, len(res.Raw))
	}
}

func equalRefund(a, b gateway.Result) bool {
	return a.Status == b.Status && a.PaymentID == b.PaymentID && a.TransactionID == b.TransactionID &&
		a.Reference == b.Reference && a.OurReference == b.OurReference && a.GatewayCode == b.GatewayCode &&
		a.Amount.Equal(b.Amount) && a.At.Equal(b.At) && a.Reason == b.Reason
}

// TestRefundIdempotencyKeys: two equal partial refunds are two refunds at Tap, never merged.
func TestRefundIdempotencyKeys(t *testing.T) {
	f := newFakeTap(t)
	a := paidAttempt(f)
	g := f.gateway(false)
	var keys, ids []string
	for range 2 {
		res, err := g.Refund(context.Background(), a, money.MustParse("1", "KWD"))
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, f.last().Header.Get("Idempotency-Key"))
		ids = append(ids, res.PaymentID)
	}
	if keys[0] == keys[1] || !strings.HasPrefix(keys[0], "att_01HXYZ:refund:") {
		t.Errorf("keys = %q: want two distinct att_01HXYZ:refund:… keys", keys)
	}
	if ids[0] == ids[1] || f.count(http.MethodPost) != 2 {
		t.Errorf("refund ids = %q, %d POSTs", ids, f.count(http.MethodPost))
	}
}

func TestRefundStatusMapping(t *testing.T) {
	tests := []struct {
		state, code string
		want        gateway.Status // "" when an error is expected
		reason      string
		wantErr     error
		wantMsg     string
	}{
		{state: "REFUNDED", code: "000", want: gateway.StatusRefunded},
		{state: "refunded", code: "000", want: gateway.StatusRefunded},
		{state: "REFUNDED", code: "", want: gateway.StatusRefunded},
		{state: "", code: "000", want: gateway.StatusRefunded},
		{state: "PENDING", code: "100", wantErr: gateway.ErrUnavailable, wantMsg: "pending at Tap"},
		{state: "IN_PROGRESS", code: "200", wantErr: gateway.ErrUnavailable, wantMsg: "pending at Tap"},
		{state: "", code: "100", wantErr: gateway.ErrUnavailable, wantMsg: "dashboard"},
		{state: "CANCELLED", code: "301", want: gateway.StatusFailed, reason: gateway.ReasonCancelled, wantMsg: "CANCELLED 301 Canceled"},
		{state: "CANCELED", code: "301", want: gateway.StatusFailed, reason: gateway.ReasonCancelled},
		{state: "FAILED", code: "401", want: gateway.StatusFailed, reason: gateway.ReasonGatewayError, wantMsg: "FAILED 401 Failed"},
		{state: "FAILED", code: "403", want: gateway.StatusFailed, reason: gateway.ReasonGatewayError},
		{state: "DECLINED", code: "501", want: gateway.StatusFailed, reason: gateway.ReasonDeclined, wantMsg: "DECLINED 501 Declined"},
		{state: "DECLINED", code: "504", want: gateway.StatusFailed, reason: gateway.ReasonDeclined},
		{state: "RESTRICTED", code: "601", want: gateway.StatusFailed, reason: gateway.ReasonRisk},
		{state: "RESTRICTED", code: "602", want: gateway.StatusFailed, reason: gateway.ReasonRisk, wantMsg: "RESTRICTED 602 Restricted"},
		{state: "", code: "502", want: gateway.StatusFailed, reason: gateway.ReasonDeclined},
		{state: "TIMEDOUT", code: "701", wantErr: gateway.ErrUnavailable, wantMsg: "outcome unknown"},
		{state: "UNKNOWN", code: "801", wantErr: gateway.ErrUnavailable, wantMsg: "outcome unknown"},
		{state: "SOMETHING_NEW", code: "999", wantErr: gateway.ErrUnavailable, wantMsg: "dashboard"},
		// Status and code disagree: never refunded, never failed on one of them alone.
		{state: "REFUNDED", code: "100", wantErr: gateway.ErrUnavailable, wantMsg: "outcome unknown"},
		{state: "REFUNDED", code: "501", wantErr: gateway.ErrUnavailable, wantMsg: "outcome unknown"},
		{state: "DECLINED", code: "000", wantErr: gateway.ErrUnavailable, wantMsg: "outcome unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.state+"_"+tt.code, func(t *testing.T) {
			f := newFakeTap(t)
			a := paidAttempt(f)
			f.refundState, f.refundCode = tt.state, tt.code
			if tt.state == "" && tt.code == "" {
				t.Fatal("bad case")
			}
			res, err := f.gateway(false).Refund(context.Background(), a, money.MustParse("2.5", "KWD"))
			if tt.wantErr != nil {
				checkErr(t, "Refund", err, tt.wantErr, tt.wantMsg)
				if res.Status != "" {
					t.Errorf("Result.Status = %q with an error", res.Status)
				}
				// The refund id Tap gave comes along, so that it is stored and asked about.
				if !strings.HasPrefix(res.PaymentID, "re_") {
					t.Errorf("PaymentID = %q beside the error", res.PaymentID)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != tt.want || res.Reason != tt.reason {
				t.Errorf("Status, Reason = %q, %q; want %q, %q", res.Status, res.Reason, tt.want, tt.reason)
			}
			if !strings.HasPrefix(res.PaymentID, "re_") || res.GatewayCode != tt.code {
				t.Errorf("PaymentID = %q, GatewayCode = %q", res.PaymentID, res.GatewayCode)
			}
			if !strings.Contains(res.GatewayMessage, tt.wantMsg) {
				t.Errorf("GatewayMessage = %q, want it to contain %q", res.GatewayMessage, tt.wantMsg)
			}
		})
	}
}

func TestRefundRefusedBeforeAnyCall(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(*gateway.Attempt)
		amount money.Amount
	}{
		{"zero", nil, minor(0, "KWD")},
		{"negative", nil, minor(-1000, "KWD")},
		{"zero Amount", nil, money.Amount{}},
		{"other currency", nil, money.MustParse("2.5", "BHD")},
		{"more than the charge", nil, money.MustParse("6.001", "KWD")},
		{"no charge id", func(a *gateway.Attempt) { a.PaymentID = "" }, money.MustParse("1", "KWD")},
		{"authorize id", func(a *gateway.Attempt) { a.PaymentID = "auth_abc" }, money.MustParse("1", "KWD")},
		{"path injection", func(a *gateway.Attempt) { a.PaymentID = "chg_abc/../x" }, money.MustParse("1", "KWD")},
		{"no attempt id", func(a *gateway.Attempt) { a.ID = "" }, money.MustParse("1", "KWD")},
		{"no charge currency", func(a *gateway.Attempt) { a.Amount = money.Amount{} }, money.MustParse("1", "KWD")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeTap(t)
			a := paidAttempt(f)
			if tt.edit != nil {
				tt.edit(&a)
			}
			_, err := f.gateway(false).Refund(context.Background(), a, tt.amount)
			checkErr(t, "Refund", err, gateway.ErrRejected, "")
			if n := f.count(http.MethodPost); n != 0 {
				t.Errorf("%d calls to Tap", n)
			}
		})
	}
}

func minor(n int64, cur string) money.Amount {
	a, err := money.FromMinor(n, cur)
	if err != nil {
		panic(err)
	}
	return a
}

func TestRefundErrors(t *testing.T) {
	tests := []struct {
		name    string
		http    int
		body    string
		amount  string // echoed amount literal override
		unknown bool   // refund an unknown charge
		want    error
		wantMsg string
	}{
		{name: "400", http: 400, body: `{"errors":[{"code":"1108","description":"Refund amount exceeds the charge"}],"http_code":"400"}`,
			want: gateway.ErrRejected, wantMsg: "1108 Refund amount exceeds the charge"},
		{name: "401", http: 401, body: `{"errors":[{"code":"2107","description":"Invalid API key"}]}`, want: gateway.ErrRejected, wantMsg: "HTTP 401"},
		{name: "unknown charge", unknown: true, want: gateway.ErrRejected, wantMsg: "1140 Charge not found"},
		{name: "409", http: 409, body: `{}`, want: gateway.ErrRejected, wantMsg: "HTTP 409"},
		{name: "429", http: 429, body: `{}`, want: gateway.ErrUnavailable, wantMsg: "dashboard"},
		{name: "500", http: 500, body: `{"errors":[{"code":"0","description":"Internal error"}]}`, want: gateway.ErrUnavailable, wantMsg: "HTTP 500"},
		{name: "503", http: 503, body: ``, want: gateway.ErrUnavailable, wantMsg: "dashboard"},
		{name: "key echoed", http: 400, body: `{"errors":[{"code":"1","description":"bad key ` + testKey + `"}]}`,
			want: gateway.ErrRejected, wantMsg: "[redacted]"},
		{name: "200 not JSON", http: 200, body: `<html>`, want: gateway.ErrUnavailable, wantMsg: "unreadable refund"},
		{name: "200 errors body", http: 200, body: `{"errors":[{"code":"1105","description":"Charge not captured"}]}`,
			want: gateway.ErrRejected, wantMsg: "1105 Charge not captured"},
		{name: "another charge", http: 200, body: `{"id":"re_1","status":"REFUNDED","charge_id":"chg_other","amount":2.5,"currency":"KWD","response":{"code":"000"}}`,
			want: gateway.ErrUnavailable, wantMsg: "another charge"},
		{name: "refunded without id", http: 200, body: `{"status":"REFUNDED","charge_id":"` + refundCharge + `","response":{"code":"000"}}`,
			want: gateway.ErrUnavailable, wantMsg: "without a refund id"},
		{name: "malformed id", http: 200, body: `{"id":"re 1<x>","status":"REFUNDED","response":{"code":"000"}}`,
			want: gateway.ErrUnavailable, wantMsg: "malformed refund id"},
		{name: "other amount refunded", amount: "2", want: gateway.ErrUnavailable, wantMsg: "tap refunded 2, asked 2.500"},
		{name: "other currency refunded", http: 200, body: `{"id":"re_1","status":"REFUNDED","amount":2.5,"currency":"BHD","response":{"code":"000"}}`,
			want: gateway.ErrUnavailable, wantMsg: "tap refunded in BHD"},
		{name: "empty object", http: 200, body: `{}`, want: gateway.ErrUnavailable, wantMsg: "unreadable refund"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeTap(t)
			a := paidAttempt(f)
			if tt.unknown {
				a.PaymentID = "chg_unknown"
			}
			f.refundHTTP, f.refundBody, f.refundAmount = tt.http, tt.body, tt.amount
			res, err := f.gateway(false).Refund(context.Background(), a, money.MustParse("2.5", "KWD"))
			checkErr(t, "Refund", err, tt.want, tt.wantMsg)
			if res.Status == gateway.StatusRefunded {
				t.Error("refunded with an error")
			}
		})
	}

	t.Run("wrong key", func(t *testing.T) {
		f := newFakeTap(t)
		a := paidAttempt(f)
		g := New(Config{BaseURL: f.srv.URL + "/sandbox/tap", SecretKey: "sk_test_wrong", HTTPClient: f.srv.Client()})
		_, err := g.Refund(context.Background(), a, money.MustParse("1", "KWD"))
		checkErr(t, "Refund", err, gateway.ErrRejected, "2107 Invalid API key")
		if strings.Contains(err.Error(), "sk_test_wrong") {
			t.Error("the key is in the error")
		}
	})

	t.Run("network", func(t *testing.T) {
		f := newFakeTap(t)
		a := paidAttempt(f)
		g := f.gateway(false)
		f.srv.Close()
		_, err := g.Refund(context.Background(), a, money.MustParse("1", "KWD"))
		checkErr(t, "Refund", err, gateway.ErrUnavailable, "dashboard")
	})

	t.Run("cancelled context", func(t *testing.T) {
		f := newFakeTap(t)
		a := paidAttempt(f)
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		_, err := f.gateway(false).Refund(ctx, a, money.MustParse("1", "KWD"))
		if !errors.Is(err, gateway.ErrUnavailable) {
			t.Errorf("err = %v, want ErrUnavailable", err)
		}
	})
}

func TestRefundWholeCharge(t *testing.T) {
	f := newFakeTap(t)
	a := paidAttempt(f)
	res, err := f.gateway(false).Refund(context.Background(), a, money.MustParse("6", "KWD"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Status != gateway.StatusRefunded || !res.Amount.Equal(money.MustParse("6", "KWD")) {
		t.Errorf("Result = %+v", res)
	}
	if !strings.Contains(string(f.last().Body), `"amount":6.000,`) {
		t.Errorf("amount is not the literal 6.000: %s", f.last().Body)
	}
}
