package tap

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/gateway/internal/gwtest"
)

const fuzzKey = "sk_test_fuzz"

// fuzzGateway is a Tap connector whose Tap is down (gwtest.Down).
func fuzzGateway(f *testing.F) (*Gateway, func() int64) {
	base, calls := gwtest.Down(f)
	return New(Config{BaseURL: base, SecretKey: fuzzKey}), calls.Load
}

// seedWebhook is the spec §4 webhook body (the seed's captured KNET charge) and its
// hashstring under fuzzKey.
func seedWebhook() (string, string) {
	c := seedCharge()
	return c.JSON(), hashString(fuzzKey, c.ID, "0.500", c.Currency, c.GatewayRef, c.Payment, c.Status, "1671563769240")
}

// FuzzWebhook posts any body with any hashstring: nothing panics, Tap is called only for a
// charge whose hashstring verifies, and nothing unverified reports money moved.
func FuzzWebhook(f *testing.F) {
	body, sig := seedWebhook()
	f.Add(body, sig)
	f.Add(body, "")
	f.Add(`{"id":"chg_1","amount":1e999999,"currency":"KWD"}`, sig)
	f.Add(`{"id":"chg_1","amount":-0.5,"currency":"KWD","reference":{"gateway":7}}`, sig)
	f.Add(`[]`, sig)
	g, calls := fuzzGateway(f)
	f.Fuzz(func(t *testing.T, body, sig string) {
		before := calls()
		notes, err := g.Webhook(context.Background(), gateway.WebhookRequest{Header: gwtest.Header("hashstring", sig), Body: []byte(body)})
		gwtest.NoMoneyMoved(t, notes)
		if err == nil {
			t.Fatalf("Webhook with Tap down: no error, notes %+v", notes)
		}
		if calls() != before && (errors.Is(err, gateway.ErrSignature) || errors.Is(err, gateway.ErrBadRequest)) {
			t.Fatalf("Tap called for a refused webhook: %v", err)
		}
	})
}

// FuzzHashstring signs any charge body, then changes one byte of the hashstring: the right
// one verifies (and only then is Tap asked), a changed one never does, nor one made with
// another key.
func FuzzHashstring(f *testing.F) {
	body, _ := seedWebhook()
	f.Add(body, 0, byte(1))
	f.Add(`{"id":"chg_x","amount":"1.5","currency":"BHD","status":"CAPTURED","transaction":{"created":123}}`, 63, byte(0x20))
	g, calls := fuzzGateway(f)
	f.Fuzz(func(t *testing.T, body string, at int, xor byte) {
		c, err := decodeCharge([]byte(body))
		if err != nil || !idPattern.MatchString(c.ID) {
			return
		}
		cands := amountCandidates(c.Amount.String(), c.Currency)
		if len(cands) == 0 {
			return
		}
		sig := hashString(fuzzKey, c.ID, cands[0], c.Currency, string(c.Reference.Gateway),
			string(c.Reference.Payment), c.Status, string(c.Transaction.Created))
		if !g.verifyHash(c, sig) {
			t.Fatalf("the right hashstring does not verify: %s", body)
		}
		before := calls()
		if _, err := g.Webhook(context.Background(), gateway.WebhookRequest{Header: gwtest.Header("hashstring", sig), Body: []byte(body)}); errors.Is(err, gateway.ErrSignature) || calls() == before {
			t.Fatalf("a signed webhook was not re-read from Tap: %v", err)
		}
		other := New(Config{BaseURL: "http://127.0.0.1:0", SecretKey: fuzzKey + "x"})
		if other.verifyHash(c, sig) {
			t.Fatal("a hashstring verifies under another key")
		}
		if xor == 0 {
			return
		}
		b := []byte(sig)
		i := int(uint(at) % uint(len(b)))
		b[i] ^= xor
		if strings.EqualFold(string(b), sig) {
			return // the same hex in another case: the same signature (Webhook lowercases it)
		}
		if g.verifyHash(c, string(b)) {
			t.Fatalf("a changed hashstring %q verifies", b)
		}
		_, err = g.Webhook(context.Background(), gateway.WebhookRequest{Header: gwtest.Header("hashstring", string(b)), Body: []byte(body)})
		if !errors.Is(err, gateway.ErrSignature) && !errors.Is(err, gateway.ErrBadRequest) {
			t.Fatalf("a changed hashstring: %v", err)
		}
	})
}

// FuzzReturn brings the browser back with any query: only the attempt's own charge id makes
// Tap be asked.
func FuzzReturn(f *testing.F) {
	f.Add("tap_id=chg_TS05A1320231018Hy56070XXXX&tap_status=CAPTURED")
	f.Add("tap_id=chg_other")
	f.Add("tap_id=%zz")
	g, calls := fuzzGateway(f)
	a := gateway.Attempt{ID: "att_1", PaymentID: "chg_TS05A1320231018Hy56070XXXX"}
	f.Fuzz(func(t *testing.T, query string) {
		q, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		before := calls()
		_, err = g.Return(context.Background(), a, q)
		if err == nil {
			t.Fatal("Return with Tap down: no error")
		}
		if asked := calls() != before; asked != (q.Get("tap_id") == a.PaymentID) {
			t.Fatalf("tap_id %q: Tap asked %v", q.Get("tap_id"), asked)
		}
	})
}
