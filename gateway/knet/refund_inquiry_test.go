package knet

import (
	"context"
	"errors"
	"testing"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/money"
)

func TestInquireRefund(t *testing.T) {
	const tranID = "9929892231041999"
	refundAnswer := func(result, tran string) string {
		return `<result>` + result + `</result><payid>100201719515482999</payid><trackid>` + testTrackID +
			`</trackid><ref>411857974850</ref><auth>999554</auth><tranid>` + tran + `</tranid><amt>1.000</amt>`
	}
	tests := []struct {
		name    string
		ref     string
		answer  string // "" : KNET's not-found error
		want    gateway.Status
		err     error
		noCalls bool
	}{
		{name: "captured: made", ref: tranID, answer: refundAnswer("CAPTURED", tranID), want: gateway.StatusRefunded},
		{name: "not captured: failed", ref: tranID, answer: refundAnswer("NOT CAPTURED", tranID), want: gateway.StatusFailed},
		{name: "not found yet: pending", ref: tranID, want: gateway.StatusPending},
		{name: "host timeout: pending", ref: tranID, answer: `<result>HOST TIMEOUT</result>`, want: gateway.StatusPending},
		{name: "suspect: unknown, nothing recorded", ref: tranID, answer: `<result>FAILURE(SUSPECT)</result>`, err: gateway.ErrUnavailable},
		{name: "another transaction", ref: tranID, answer: refundAnswer("CAPTURED", "1111111111111111"), err: gateway.ErrUnavailable},
		{name: "no tranid stored: no way to ask", ref: "", err: gateway.ErrRefundNoLookup, noCalls: true},
		{name: "malformed tranid", ref: "12/34", err: gateway.ErrRejected, noCalls: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeKNET(t)
			if tt.answer != "" {
				f.inquiry[testTrackID] = tt.answer
			}
			r, err := f.gateway().InquireRefund(context.Background(), testAttemptFor("6"),
				gateway.RefundQuery{RefundID: "ref_1", GatewayRef: tt.ref, Amount: money.MustParse("1", "KWD")})
			if errors.Is(err, gateway.ErrRefundNotFound) {
				t.Fatalf("KNET cannot tell a refund was never made: %v", err)
			}
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("err = %v, want %v", err, tt.err)
				}
			} else if err != nil || r.Status != tt.want || r.PaymentID != tranID {
				t.Fatalf("result %+v, %v; want %s", r, err, tt.want)
			}
			if tt.noCalls {
				if len(f.calls) != 0 {
					t.Errorf("%d calls to KNET", len(f.calls))
				}
				return
			}
			c := f.last()
			want := map[string]string{"id": testID, "password": testPassword, "action": "8", "amt": "1.000",
				"transid": tranID, "trackid": testTrackID, "udf5": "TransID"}
			for k, v := range want {
				if c.Tags[k] != v {
					t.Errorf("inquiry <%s> = %q, want %q", k, c.Tags[k], v)
				}
			}
		})
	}
}
