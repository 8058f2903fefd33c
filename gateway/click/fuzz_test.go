package click

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/gateway/internal/gwtest"
)

// FuzzReturn brings the browser back with any query (Click's return is unsigned, spec §5):
// nothing panics; a success whose indicator_status is not the session's, or a message Click
// does not send, is refused without asking Click; with Click down nothing is reported.
func FuzzReturn(f *testing.F) {
	const indicator = "VTU0IPTjQ1UHdjdkljslaskdjwdsdjwdsjldiaj" // spec §3's sample
	f.Add("message=success&message_type=success&indicator_status=" + indicator)
	f.Add("message=error&message_type=wrong&indicator_status=ERROR8541129656601357")
	f.Add("message=success&message_type=success&indicator_status=ERROR1")
	f.Add("message=success&message=error")
	base, calls := gwtest.Down(f)
	g := New(Config{BaseURL: base, DeveloperUser: testDev, Token: testToken})
	a := testAttempt()
	a.PaymentID = "SESSION0001"
	a.State = map[string]string{stateSession: "SESSION0001", stateIndicate: indicator}
	f.Fuzz(func(t *testing.T, query string) {
		q, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		before := calls.Load()
		_, err = g.Return(context.Background(), a, q)
		if err == nil {
			t.Fatal("Return with Click down: no error")
		}
		msg, _ := single(q, "message")
		typ, _ := single(q, "message_type")
		ind, _ := single(q, "indicator_status")
		success := strings.EqualFold(msg, "success") && strings.EqualFold(typ, "success")
		trusted := (success && ind == indicator) || (!success && strings.EqualFold(msg, "error"))
		if asked := calls.Load() != before; asked && !trusted {
			t.Fatalf("message %q/%q indicator %q: Click asked", msg, typ, ind)
		}
		if !errors.Is(err, gateway.ErrBadRequest) && !errors.Is(err, gateway.ErrUnavailable) {
			t.Fatalf("unexpected error kind: %v", err)
		}
	})
}

// FuzzAnswer reads any answer as Click's (lenient JSON, spec §3 and §4): nothing panics,
// and a status mapped from it is one of the gateway's.
func FuzzAnswer(f *testing.F) {
	f.Add(createBody("2026-03-01 13:00:00"))
	f.Add(`{"status":"CAPTURED","response":"00","gatewayResponse":{"result":"SUCCESS","payment_url":"https://x"},"order_amout":"6.000"}`)
	f.Add(`{'result':'ERROR','error':{'code':'4','message':'x'},}`)
	f.Add(`{"gatewayResponse":{"session_expire":{"date":"2026-13-45 99:99:99.000000","timezone":"Asia/Nowhere"}}}`)
	f.Fuzz(func(t *testing.T, raw string) {
		d := parseDoc([]byte(raw))
		if d == nil {
			return
		}
		_ = d.pageURLs()
		var exp time.Time
		if d.gw != nil && d.gw.SessionExpire != nil {
			exp = kuwaitTime(str(d.gw.SessionExpire.Date), str(d.gw.SessionExpire.Timezone))
		}
		st, _ := mapStatus(str(d.Status), str(d.Response), exp, time.Now())
		if st == "" {
			t.Fatalf("no status for %s", raw)
		}
		_ = reportedAmount(d, "6.000")
	})
}
