package alqaseh

import (
	"context"
	"net/url"
	"testing"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/gateway/internal/gwtest"
)

func fuzzGateway(f *testing.F) (*Gateway, func() int64) {
	base, calls := gwtest.Down(f)
	return New(Config{BaseURL: base, ClientID: testClientID, ClientSecret: testSecret, PaymentPageURL: base + "/pay"}), calls.Load
}

// FuzzWebhook posts any body, JSON or form (spec §6; p_sign's formula is not public, so the
// webhook is only a trigger): nothing panics, Al Qaseh is asked only about well-formed ids,
// and with Al Qaseh down nothing is reported.
func FuzzWebhook(f *testing.F) {
	f.Add(`{"amount":1500.0,"currency":"IQD","terminal_id":"T1","order_id":"h_0123456789abcdef0123456789ab","trtype":"0","rc":"00","approval":"123456","rrn":"411857974849","p_sign":"ab12","nonce":"n1","timestamp":"20260301100000","payment_status":"success"}`)
	f.Add("order_id=h_1&payment_id=pay_1&payment_status=success")
	f.Add(`{"payment_id":{"x":1},"order_id":["a"]}`)
	f.Add("payment_id=../../admin")
	g, calls := fuzzGateway(f)
	f.Fuzz(func(t *testing.T, body string) {
		before := calls()
		notes, err := g.Webhook(context.Background(), gateway.WebhookRequest{Body: []byte(body)})
		if err == nil || len(notes) > 0 {
			t.Fatalf("Webhook with Al Qaseh down: %d notes, %v", len(notes), err)
		}
		if calls() == before {
			return
		}
		fields, perr := parseWebhook([]byte(body))
		if perr != nil {
			t.Fatalf("Al Qaseh asked about an unreadable body: %v", perr)
		}
		if id := fields["payment_id"]; id != "" && !idPattern.MatchString(id) {
			t.Fatalf("Al Qaseh asked about a malformed payment_id %q", id)
		}
		if oid := fields["order_id"]; oid != "" && !orderIDPattern.MatchString(oid) {
			t.Fatalf("Al Qaseh asked about a malformed order_id %q", oid)
		}
	})
}

// FuzzReturn brings the browser back with any query: only the attempt's own payment_id makes
// Al Qaseh be asked.
func FuzzReturn(f *testing.F) {
	f.Add("payment_id=pay_0001&order_id=h_1")
	f.Add("payment_id=pay_0002")
	f.Add("payment_id=")
	g, calls := fuzzGateway(f)
	a := testAttempt()
	a.PaymentID = "pay_0001"
	f.Fuzz(func(t *testing.T, query string) {
		q, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		before := calls()
		if _, err := g.Return(context.Background(), a, q); err == nil {
			t.Fatal("Return with Al Qaseh down: no error")
		}
		if asked := calls() != before; asked != (q.Get("payment_id") == a.PaymentID) {
			t.Fatalf("payment_id %q: Al Qaseh asked %v", q.Get("payment_id"), asked)
		}
	})
}

// FuzzPayment reads any answer as Al Qaseh's payment: nothing panics, and every answer maps
// to a status.
func FuzzPayment(f *testing.F) {
	f.Add(fakePayment{}.JSON())
	f.Add(`{"payment_id":"pay_1","status":"Success","amount":"1e9999","currency":"IQD","rc":7}`)
	g, _ := fuzzGateway(f)
	f.Fuzz(func(t *testing.T, raw string) {
		p, err := decodePayment([]byte(raw))
		if err != nil {
			return
		}
		if r := g.result([]byte(raw), p); r.Status == "" {
			t.Fatalf("no status for %s", raw)
		}
	})
}
