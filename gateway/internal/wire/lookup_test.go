package wire

import (
	"context"
	"errors"
	"net/url"
	"regexp"
	"testing"

	"github.com/bawaba/checkout/gateway"
)

func TestLookup(t *testing.T) {
	l := Lookup{Gateway: "gw", Param: "pid", Noun: "payment", Shape: regexp.MustCompile(`^p_[0-9]+$`)}
	reads := 0
	read := func(_ context.Context, a gateway.Attempt) (gateway.Result, error) {
		reads++
		return gateway.Result{Status: gateway.StatusPaid, PaymentID: a.PaymentID}, nil
	}
	ctx := context.Background()
	for _, tt := range []struct {
		name, paymentID, query string
		want                   gateway.Status // "" = refused with ErrBadRequest, nothing read
		wantErr                string
	}{
		{"the attempt's own", "p_1", "pid=p_1&status=FAILED", gateway.StatusPaid, ""},
		{"another payment", "p_1", "pid=p_2", "", "gw: return: gateway: malformed request: pid is not the attempt's payment"},
		{"no parameter", "p_1", "status=CAPTURED", "", "gw: return: gateway: malformed request: pid is not the attempt's payment"},
		{"no payment yet", "", "pid=p_1", "", "gw: return: gateway: malformed request: pid is not the attempt's payment"},
		{"malformed, though equal", "x/../1", "pid=x/../1", "", "gw: return: gateway: malformed request: pid is not the attempt's payment"},
	} {
		reads = 0
		q, _ := url.ParseQuery(tt.query)
		res, err := l.Return(ctx, gateway.Attempt{PaymentID: tt.paymentID}, q, read)
		if res.Status != tt.want || (err == nil) != (tt.wantErr == "") || (err != nil && (err.Error() != tt.wantErr || !errors.Is(err, gateway.ErrBadRequest))) {
			t.Errorf("Return %s = %q, %v; want %q, %q", tt.name, res.Status, err, tt.want, tt.wantErr)
		}
		if wantReads := map[bool]int{true: 1, false: 0}[tt.want != ""]; reads != wantReads {
			t.Errorf("Return %s read %d times", tt.name, reads)
		}
	}

	reads = 0
	if res, err := l.Inquire(ctx, gateway.Attempt{}, read); err != nil || res.Status != gateway.StatusUnknown || reads != 0 {
		t.Errorf("Inquire without a payment = %q, %v (%d reads)", res.Status, err, reads)
	}
	if _, err := l.Inquire(ctx, gateway.Attempt{PaymentID: "p_1/x"}, read); !errors.Is(err, gateway.ErrBadRequest) || err.Error() != "gw: inquire: gateway: malformed request: malformed payment id" || reads != 0 {
		t.Errorf("Inquire a malformed id = %v (%d reads)", err, reads)
	}
	if res, err := l.Inquire(ctx, gateway.Attempt{PaymentID: "p_7"}, read); err != nil || res.PaymentID != "p_7" || reads != 1 {
		t.Errorf("Inquire = %+v, %v (%d reads)", res, err, reads)
	}
}
