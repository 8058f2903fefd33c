package kpay

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/gateway/internal/gwtest"
)

// fuzzGateway is a K-Pay connector keyed with the spec's sample secret, its K-Pay down.
func fuzzGateway(f *testing.F) (*Gateway, func() int64) {
	base, calls := gwtest.Down(f)
	return New(Config{UIBaseURL: base, PublicKey: testPublic, SecretKey: specSecret, MID: testMID}), calls.Load
}

// FuzzWebhook posts any body: nothing panics, K-Pay is asked only about a notification whose
// checksum verifies, and nothing unverified reports money moved.
func FuzzWebhook(f *testing.F) {
	f.Add(specWebhook)
	f.Add(strings.Replace(specWebhook, `"amount": 15,`, `"amount": 1e99999,`, 1))
	f.Add(`{"id":"chrg_prod_1","amount":null,"checksum":null}`)
	f.Add(`{"amount":"x"}`)
	g, calls := fuzzGateway(f)
	f.Fuzz(func(t *testing.T, body string) {
		before := calls()
		notes, err := g.Webhook(context.Background(), gateway.WebhookRequest{Body: []byte(body)})
		gwtest.NoMoneyMoved(t, notes)
		if err == nil {
			t.Fatalf("Webhook with K-Pay down: no error, notes %+v", notes)
		}
		if calls() != before && (errors.Is(err, gateway.ErrSignature) || errors.Is(err, gateway.ErrBadRequest)) {
			t.Fatalf("K-Pay asked about a refused notification: %v", err)
		}
	})
}

// FuzzChecksum gives any notification its right checksum: it verifies (and only then is K-Pay
// asked); one changed checksum character (other than its case), or another key, never does.
func FuzzChecksum(f *testing.F) {
	f.Add(specWebhook, 0, byte(1))
	f.Add(`{"id":"chrg_x","amount":"0.07","currency":"THB","status":"fail","transaction_state":"Declined","failure_code":"05"}`, 5, byte(0x20))
	g, calls := fuzzGateway(f)
	f.Fuzz(func(t *testing.T, body string, at int, xor byte) {
		n, err := parseNotify([]byte(body))
		if err != nil {
			return
		}
		in := n.checksumInputs(specSecret)
		if len(in) == 0 {
			return
		}
		sum := checksum(in[0])
		with := func(sum string) []byte {
			n.fields["checksum"], _ = json.Marshal(sum)
			b, err := json.Marshal(n.fields)
			if err != nil {
				t.Skip("not re-encodable:", err)
			}
			return b
		}
		signed, err := parseNotify(with(sum))
		if err != nil || !verifyChecksum(signed, specSecret) {
			t.Fatalf("the right checksum does not verify (%v): %s", err, body)
		}
		if verifyChecksum(signed, specSecret+"x") {
			t.Fatal("a checksum verifies under another key")
		}
		before := calls()
		if _, err := g.Webhook(context.Background(), gateway.WebhookRequest{Body: with(sum)}); errors.Is(err, gateway.ErrSignature) {
			t.Fatalf("a verified notification refused: %v", err)
		} else if calls() == before && chargeIDPattern.MatchString(signed.str("id")) {
			t.Fatal("a verified notification was not re-read from K-Pay")
		}
		b := []byte(sum)
		b[int(uint(at)%uint(len(b)))] ^= xor
		if strings.EqualFold(string(b), sum) {
			return
		}
		changed, _ := parseNotify(with(string(b)))
		if verifyChecksum(changed, specSecret) {
			t.Fatalf("a changed checksum %q verifies", b)
		}
	})
}

// FuzzReturn brings the browser back with any query: an objectId that is not the attempt's
// charge is refused without asking K-Pay, and with K-Pay down nothing is reported.
func FuzzReturn(f *testing.F) {
	f.Add("objectId=" + testChargeID)
	f.Add("objectId=chrg_other&objectid=" + testChargeID)
	f.Add("OBJECTID=")
	g, calls := fuzzGateway(f)
	a := attempt(gateway.MethodCard)
	a.PaymentID = testChargeID
	f.Fuzz(func(t *testing.T, query string) {
		q, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		before := calls()
		if _, err := g.Return(context.Background(), a, q); err == nil {
			t.Fatal("Return with K-Pay down: no error")
		}
		if id, err := formValue(q, "objectId"); (err != nil || (id != "" && id != testChargeID)) && calls() != before {
			t.Fatalf("objectId %q: K-Pay asked", id)
		}
	})
}
