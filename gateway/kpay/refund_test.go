package kpay

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/money"
)

const (
	chargePath = "/card/v2/charge/" + testChargeID
	qrPath     = "/qr/v2/qr/" + testOrderID
)

// settledJSON is a settled 200.50 THB charge with refunds (refund_info items, §4.2).
func settledJSON(state string, refunds string) string {
	return chargeJSON("transaction_state", `"`+state+`"`,
		"settlement_info", `{"settle_amount":200.5,"baht_amount":200.5,"exchange_rate":1,"orig_amount":200.5,"orig_mdr":0.28,"orig_vat":0.02,"orig_net_amount":200.2}`,
		"refund_info", refunds)
}

func TestRefund(t *testing.T) {
	thb := func(s string) money.Amount { return money.MustParse(s, "THB") }
	refundOK := chargeJSON("transaction_state", `"Refund Sent"`, "refund_id", `"refd_test_2081713a23c14b5033adb074b5464fb6c66"`)
	voidOK := chargeJSON("transaction_state", `"Voided"`)
	for _, c := range []struct {
		name    string
		a       gateway.Attempt
		amount  money.Amount
		routes  map[string]answer
		want    error          // nil: success
		status  gateway.Status // on success
		calls   []string
		checkFn func(t *testing.T, f *fakeKPay, r gateway.Result)
	}{
		{
			name: "unsettled, full amount: void", a: cardAttempt(), amount: thb("200.50"),
			routes: map[string]answer{"GET " + chargePath: {200, chargeJSON()}, "POST " + chargePath + "/void": {200, voidOK}},
			status: gateway.StatusVoided, calls: []string{"GET " + chargePath, "POST " + chargePath + "/void"},
			checkFn: func(t *testing.T, f *fakeKPay, r gateway.Result) {
				if b := f.lastJSON(); b["reason"] == "" || len(b) != 1 {
					t.Errorf("void body %v", b)
				}
				if r.PaymentID != testChargeID {
					t.Errorf("payment id %s", r.PaymentID)
				}
			},
		},
		{
			name: "unsettled, part of it: refused", a: cardAttempt(), amount: thb("50.00"),
			routes: map[string]answer{"GET " + chargePath: {200, chargeJSON()}},
			want:   gateway.ErrRejected, calls: []string{"GET " + chargePath},
		},
		{
			name: "unsettled void fails", a: cardAttempt(), amount: thb("200.50"),
			routes: map[string]answer{"GET " + chargePath: {200, chargeJSON()},
				"POST " + chargePath + "/void": {200, chargeJSON("status", `"fail"`, "failure_code", `"void_state_invalid"`)}},
			want: gateway.ErrRejected, calls: []string{"GET " + chargePath, "POST " + chargePath + "/void"},
		},
		{
			name: "settlement in progress: refused", a: cardAttempt(), amount: thb("200.50"),
			routes: map[string]answer{"GET " + chargePath: {200, chargeJSON("transaction_state", `"Captured"`)}},
			want:   gateway.ErrRejected, calls: []string{"GET " + chargePath},
		},
		{
			name: "settled: refund what remains", a: cardAttempt(), amount: thb("100.50"),
			routes: map[string]answer{
				"GET " + chargePath:              {200, settledJSON("Partial Refund", `[{"refund_amount":100.0,"refund_id":"refd_test_1"},{"refund_amount":50.0,"error_code":"OBAVL","error_message":"Insufficient Balance"}]`)},
				"POST " + chargePath + "/refund": {200, refundOK},
			},
			status: gateway.StatusRefunded, calls: []string{"GET " + chargePath, "POST " + chargePath + "/refund"},
			checkFn: func(t *testing.T, f *fakeKPay, r gateway.Result) {
				want := map[string]any{"reason": "Refund requested by merchant", "amount": json.Number("100.50"), "transaction_date": "20220307"}
				if b := f.lastJSON(); !reflect.DeepEqual(b, want) {
					t.Errorf("refund body %v; want %v", b, want)
				}
				if r.PaymentID != "refd_test_2081713a23c14b5033adb074b5464fb6c66" || r.TransactionID != testChargeID || !r.Amount.Equal(thb("100.50")) {
					t.Errorf("result %+v", r)
				}
			},
		},
		{
			name: "settled: more than remains, refused before any refund call", a: cardAttempt(), amount: thb("100.51"),
			routes: map[string]answer{"GET " + chargePath: {200, settledJSON("Partial Refund", `[{"refund_amount":100.0}]`)}},
			want:   gateway.ErrRejected, calls: []string{"GET " + chargePath},
		},
		{
			name: "settled: the Inquiry sample's settle_amount spelling counts", a: cardAttempt(), amount: thb("0.51"),
			routes: map[string]answer{"GET " + chargePath: {200, settledJSON("Refund Sent", `[{"settle_amount":200.0,"refund_id":"refd_test_1"}]`)}},
			want:   gateway.ErrRejected, calls: []string{"GET " + chargePath},
		},
		{
			name: "partially settled: only the settled amount", a: cardAttempt(), amount: thb("150.00"),
			routes: map[string]answer{"GET " + chargePath: {200, chargeJSON("transaction_state", `"Settled"`, "settlement_info", `{"settle_amount":"100.00"}`)}},
			want:   gateway.ErrRejected, calls: []string{"GET " + chargePath},
		},
		{
			name: "settled: refund fails (Settled + fail)", a: cardAttempt(), amount: thb("10.00"),
			routes: map[string]answer{
				"GET " + chargePath:              {200, settledJSON("Settled", `null`)},
				"POST " + chargePath + "/refund": {200, chargeJSON("transaction_state", `"Settled"`, "status", `"fail"`, "failure_code", `"OBVAL"`)},
			},
			want: gateway.ErrRejected, calls: []string{"GET " + chargePath, "POST " + chargePath + "/refund"},
		},
		{
			name: "settled: K-Pay refuses (amount_exceed)", a: cardAttempt(), amount: thb("10.00"),
			routes: map[string]answer{
				"GET " + chargePath:              {200, settledJSON("Settled", `null`)},
				"POST " + chargePath + "/refund": {400, `{"object":"error","code":"amount_exceed","message":"Refund amount cannot exceed the available limit"}`},
			},
			want: gateway.ErrRejected, calls: []string{"GET " + chargePath, "POST " + chargePath + "/refund"},
		},
		{
			name: "already refunded", a: cardAttempt(), amount: thb("1.00"),
			routes: map[string]answer{"GET " + chargePath: {200, settledJSON("Refunded", `null`)}},
			want:   gateway.ErrRejected, calls: []string{"GET " + chargePath},
		},
		{
			name: "declined charge", a: cardAttempt(), amount: thb("1.00"),
			routes: map[string]answer{"GET " + chargePath: {200, chargeJSON("transaction_state", `"Declined"`, "status", `"fail"`)}},
			want:   gateway.ErrRejected, calls: []string{"GET " + chargePath},
		},
		{
			name: "another currency", a: cardAttempt(), amount: money.MustParse("1.00", "USD"),
			want: gateway.ErrRejected,
		},
		{
			name: "no charge", a: attempt("card"), amount: thb("1.00"),
			want: gateway.ErrRejected,
		},
		{
			name: "QR, full amount: void QR", a: qrAttempt(), amount: thb("200.50"),
			routes: map[string]answer{"GET " + qrPath: {200, qrChargeJSON()},
				"POST /qr/v2/qr/" + testQRChargeID + "/void": {200, qrChargeJSON("transaction_state", `"VOID"`, "reference_order", "null")}},
			status: gateway.StatusVoided, calls: []string{"GET " + qrPath, "POST /qr/v2/qr/" + testQRChargeID + "/void"},
			checkFn: func(t *testing.T, f *fakeKPay, r gateway.Result) {
				if len(f.last().Body) != 0 {
					t.Errorf("void QR body %q", f.last().Body)
				}
				if r.PaymentID != testQRChargeID {
					t.Errorf("payment id %s", r.PaymentID)
				}
			},
		},
		{
			name: "QR, part of it: refused", a: qrAttempt(), amount: thb("100.00"),
			routes: map[string]answer{"GET " + qrPath: {200, qrChargeJSON()}},
			want:   gateway.ErrRejected, calls: []string{"GET " + qrPath},
		},
		{
			name: "QR settled: refused", a: qrAttempt(), amount: thb("200.50"),
			routes: map[string]answer{"GET " + qrPath: {200, qrChargeJSON("transaction_state", `"Settled"`)}},
			want:   gateway.ErrRejected, calls: []string{"GET " + qrPath},
		},
		{
			name: "QR void refused by K-Pay (other channel)", a: qrAttempt(), amount: thb("200.50"),
			routes: map[string]answer{"GET " + qrPath: {200, qrChargeJSON()},
				"POST /qr/v2/qr/" + testQRChargeID + "/void": {200, qrChargeJSON("status", `"fail"`, "failure_code", `"qr_void"`, "failure_message", `"Cannot void other channel. (EMQRVOTCH)"`)}},
			want: gateway.ErrRejected, calls: []string{"GET " + qrPath, "POST /qr/v2/qr/" + testQRChargeID + "/void"},
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFake(t)
			for k, v := range c.routes {
				m, p, _ := strings.Cut(k, " ")
				f.on(m, p, v.status, v.body)
			}
			r, err := f.gateway().Refund(context.Background(), c.a, c.amount)
			if c.want != nil {
				if !errors.Is(err, c.want) {
					t.Errorf("err = %v; want %v", err, c.want)
				}
			} else if err != nil {
				t.Fatalf("err = %v", err)
			} else if r.Status != c.status {
				t.Errorf("status %s; want %s", r.Status, c.status)
			}
			if calls := f.calls(); !reflect.DeepEqual(calls, c.calls) && !(len(calls) == 0 && len(c.calls) == 0) {
				t.Errorf("calls %v; want %v", calls, c.calls)
			}
			if c.checkFn != nil && err == nil {
				c.checkFn(t, f, r)
			}
		})
	}
}

func TestVoid(t *testing.T) {
	t.Run("card", func(t *testing.T) {
		f := newFake(t)
		f.on("POST", chargePath+"/void", 200, chargeJSON("transaction_state", `"Voided"`))
		r, err := f.gateway().Void(context.Background(), cardAttempt())
		if err != nil || r.Status != gateway.StatusVoided {
			t.Errorf("status %s err %v", r.Status, err)
		}
	})
	t.Run("card, void fails", func(t *testing.T) {
		f := newFake(t)
		f.on("POST", chargePath+"/void", 200, chargeJSON("status", `"fail"`))
		if _, err := f.gateway().Void(context.Background(), cardAttempt()); !errors.Is(err, gateway.ErrRejected) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("QR", func(t *testing.T) {
		f := newFake(t)
		f.on("GET", qrPath, 200, qrChargeJSON())
		f.on("POST", "/qr/v2/qr/"+testQRChargeID+"/void", 200, qrChargeJSON("transaction_state", `"Voided"`))
		r, err := f.gateway().Void(context.Background(), qrAttempt())
		if err != nil || r.Status != gateway.StatusVoided {
			t.Errorf("status %s err %v", r.Status, err)
		}
	})
	t.Run("no charge", func(t *testing.T) {
		f := newFake(t)
		if _, err := f.gateway().Void(context.Background(), attempt("card")); !errors.Is(err, gateway.ErrRejected) || len(f.calls()) != 0 {
			t.Errorf("err = %v", err)
		}
	})
}

func TestCapture(t *testing.T) {
	thb := func(s string) money.Amount { return money.MustParse(s, "THB") }
	for _, c := range []struct {
		name    string
		amount  money.Amount
		answer  string
		want    error
		reqType string
	}{
		{"full", thb("200.50"), chargeJSON("transaction_state", `"Captured"`), nil, "full"},
		{"partial", thb("100.00"), chargeJSON("transaction_state", `"Captured"`, "amount", "200.50"), nil, "partial"},
		{"settle fails", thb("200.50"), chargeJSON("status", `"fail"`, "failure_code", `"settle_state_invalid"`), gateway.ErrRejected, "full"},
		{"more than charged", thb("200.51"), "", gateway.ErrRejected, ""},
		{"zero", money.Amount{}, "", gateway.ErrRejected, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFake(t)
			f.on("POST", chargePath+"/settle", 200, c.answer)
			r, err := f.gateway().Capture(context.Background(), cardAttempt(), c.amount)
			if c.want != nil {
				if !errors.Is(err, c.want) {
					t.Errorf("err = %v", err)
				}
			} else if err != nil || r.Status != gateway.StatusPaid {
				t.Errorf("status %s err %v", r.Status, err)
			}
			if c.reqType == "" {
				if len(f.calls()) != 0 {
					t.Errorf("calls %v", f.calls())
				}
				return
			}
			want := map[string]any{"amount": json.Number(c.amount.String()), "type": c.reqType}
			if b := f.lastJSON(); !reflect.DeepEqual(b, want) {
				t.Errorf("settle body %v; want %v", b, want)
			}
		})
	}
	f := newFake(t)
	if _, err := f.gateway().Capture(context.Background(), qrAttempt(), thb("200.50")); !errors.Is(err, gateway.ErrRejected) || len(f.calls()) != 0 {
		t.Errorf("QR capture err = %v", err)
	}
}
