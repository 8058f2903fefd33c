package kpay

import (
	"context"
	"errors"
	"testing"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/money"
)

func TestInquireRefund(t *testing.T) {
	thb := func(s string) money.Amount { return money.MustParse(s, "THB") }
	entry := func(id, amount, code string) string {
		e := `{"refund_amount":` + amount + `,"baht_amount":` + amount + `,"refund_id":"` + id + `","refund_date":"20260301101500000"`
		if code != "" {
			e += `,"error_code":"` + code + `","error_message":"Insufficient Balance"`
		}
		return e + `}`
	}
	two := `[` + entry("refd_test_A", "50", "") + `,` + entry("refd_test_B", "50", "") + `]`
	for _, c := range []struct {
		name    string
		charge  string
		q       gateway.RefundQuery
		want    gateway.Status
		wantRef string
		err     error
	}{
		{name: "by its refund id", charge: settledJSON("Refund Sent", two),
			q: gateway.RefundQuery{GatewayRef: "refd_test_B", Amount: thb("50")}, want: gateway.StatusRefunded, wantRef: "refd_test_B"},
		{name: "lost answer: the first unclaimed entry of its amount", charge: settledJSON("Partial Refund", two),
			q: gateway.RefundQuery{Amount: thb("50")}, want: gateway.StatusRefunded, wantRef: "refd_test_A"},
		{name: "lost answer: a claimed entry is skipped", charge: settledJSON("Partial Refund", two),
			q: gateway.RefundQuery{Amount: thb("50"), Claimed: []string{"refd_test_A"}}, want: gateway.StatusRefunded, wantRef: "refd_test_B"},
		{name: "lost answer: every entry claimed: never made", charge: settledJSON("Partial Refund", two),
			q: gateway.RefundQuery{Amount: thb("50"), Claimed: []string{"refd_test_A", "refd_test_B"}}, err: gateway.ErrRefundNotFound},
		{name: "lost answer: no entry of its amount", charge: settledJSON("Partial Refund", two),
			q: gateway.RefundQuery{Amount: thb("20")}, err: gateway.ErrRefundNotFound},
		{name: "no refund at all", charge: settledJSON("Settled", "null"),
			q: gateway.RefundQuery{Amount: thb("20")}, err: gateway.ErrRefundNotFound},
		{name: "an entry with an error code: failed", charge: settledJSON("Settled", `[`+entry("refd_test_C", "20", "OBAVL")+`]`),
			q: gateway.RefundQuery{Amount: thb("20")}, want: gateway.StatusFailed, wantRef: "refd_test_C"},
		{name: "our refund id not listed yet: pending", charge: settledJSON("Refund Sent", "null"),
			q: gateway.RefundQuery{GatewayRef: "refd_test_Z", Amount: thb("20")}, want: gateway.StatusPending, wantRef: "refd_test_Z"},
		{name: "voided charge: a void of the whole amount", charge: chargeJSON("transaction_state", `"Voided"`),
			q: gateway.RefundQuery{Amount: thb("200.50")}, want: gateway.StatusVoided, wantRef: testChargeID},
		{name: "voided charge is no partial refund", charge: chargeJSON("transaction_state", `"Voided"`),
			q: gateway.RefundQuery{Amount: thb("20")}, err: gateway.ErrRefundNotFound},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFake(t)
			f.on("GET", chargePath, 200, c.charge)
			c.q.RefundID = "ref_1"
			r, err := f.gateway().InquireRefund(context.Background(), cardAttempt(), c.q)
			if c.err != nil {
				if !errors.Is(err, c.err) {
					t.Fatalf("err = %v, want %v", err, c.err)
				}
			} else if err != nil || r.Status != c.want || r.PaymentID != c.wantRef {
				t.Fatalf("result %+v, %v; want %s %s", r, err, c.want, c.wantRef)
			}
			if got := f.stateChanging(); len(got) != 0 {
				t.Errorf("an inquiry changed something at K-Pay: %v", got)
			}
		})
	}
}
