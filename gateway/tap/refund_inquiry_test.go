package tap

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/money"
)

func TestInquireRefund(t *testing.T) {
	const id = "re_TS05A1320231018Rf56070001"
	object := func(status, code, amount, charge string) string {
		return `{"id":"` + id + `","object":"refund","amount":` + amount + `,"currency":"KWD","charge_id":"` + charge +
			`","created":1671563800000,"status":"` + status + `","response":{"code":"` + code + `","message":"m"},` +
			`"reference":{"merchant":"att_01HXYZ","gateway":"202235421476999"}}`
	}
	for _, c := range []struct {
		name   string
		ref    string
		stored string // "" : Tap answers 404
		want   gateway.Status
		err    error
		calls  int
	}{
		{name: "refunded", ref: id, stored: object("REFUNDED", "000", "2.500", refundCharge), want: gateway.StatusRefunded, calls: 1},
		{name: "declined: failed", ref: id, stored: object("DECLINED", "501", "2.500", refundCharge), want: gateway.StatusFailed, calls: 1},
		{name: "in progress: pending", ref: id, stored: object("IN_PROGRESS", "200", "2.500", refundCharge), want: gateway.StatusPending, calls: 1},
		{name: "timed out: pending", ref: id, stored: object("TIMEDOUT", "701", "2.500", refundCharge), want: gateway.StatusPending, calls: 1},
		{name: "another amount: nothing recorded", ref: id, stored: object("REFUNDED", "000", "3.000", refundCharge), err: gateway.ErrUnavailable, calls: 1},
		{name: "another charge: nothing recorded", ref: id, stored: object("REFUNDED", "000", "2.500", "chg_other"), err: gateway.ErrUnavailable, calls: 1},
		{name: "404: never made", ref: id, err: gateway.ErrRefundNotFound, calls: 1},
		{name: "no refund id: replay it", ref: "", err: gateway.ErrRefundNotFound},
		{name: "malformed refund id", ref: "re_x/../..", err: gateway.ErrRejected},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFakeTap(t)
			a := paidAttempt(f)
			if c.stored != "" {
				f.storedRefund = map[string]string{id: c.stored}
			}
			r, err := f.gateway(false).InquireRefund(context.Background(), a,
				gateway.RefundQuery{RefundID: "ref_1", GatewayRef: c.ref, Amount: money.MustParse("2.5", "KWD")})
			if c.err != nil {
				if !errors.Is(err, c.err) {
					t.Fatalf("err = %v, want %v", err, c.err)
				}
			} else if err != nil || r.Status != c.want || r.PaymentID != id {
				t.Fatalf("result %+v, %v; want %s", r, err, c.want)
			}
			if n := f.count(http.MethodGet); n != c.calls {
				t.Errorf("%d GETs, want %d", n, c.calls)
			}
			if n := f.count(http.MethodPost); n != 0 {
				t.Errorf("an inquiry POSTed %d times", n)
			}
		})
	}
}
