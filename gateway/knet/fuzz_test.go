package knet

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/gateway/internal/gwtest"
)

// k4 is the spec §8 vector K4: the manual's §5 notification, encrypted with testKey.
const k4 = "beb801e147cf273b86626622ccb1056dc251115b31effb1dab32ecfc320f854a92bbd12d3df68f13e803df964021c31b52437e81febe0eb299d34e5dfbddeda5ae1da3ebf64580193e331e9d3da08fc6f707b50fa77e3c4ed126c31f2ee97eb07567b52a861a2cad839c2cf3d07a4fc25af81ef94d8f1d95a6feb65c7d6fa95205b611370438181dab2fc7417113a702252ecc21552cd7f82d500f405af3f5888a87a7bdb75eaeffde9ea2694e795bc7e86e04d1875da70456fcffd83e700d3c"

func fuzzGateway(f *testing.F) (*Gateway, func() int64) {
	base, calls := gwtest.Down(f)
	return New(Config{BaseURL: base, TranportalID: testID, TranportalPassword: testPassword, ResourceKey: testKey}), calls.Load
}

// FuzzTrandata decrypts any text: nothing panics, and whatever decrypts is exactly what
// encrypting it gives back (key = IV makes the scheme deterministic), so no two trandata
// strings (up to hex case) mean the same notification. Any printable text round-trips.
func FuzzTrandata(f *testing.F) {
	f.Add(k4, "paymentid=8962225231041180&result=CAPTURED&trackid=632186&amt=20.550")
	f.Add("39c480c277169080e26d1de692e2b21f", "abc") // K1
	f.Add(strings.ToUpper(k4[:64]), "")
	f.Add("zz", "\x01")
	key := []byte(testKey)
	f.Fuzz(func(t *testing.T, hexText, plain string) {
		if p, err := decryptTrandata(key, hexText); err == nil {
			again, err := encryptTrandata(key, p)
			if err != nil || again != strings.ToLower(hexText) {
				t.Fatalf("%q decrypts to %q, which encrypts to %q (%v)", hexText, p, again, err)
			}
		} else if !errors.Is(err, errTrandata) {
			t.Fatalf("decrypt: %v, want errTrandata", err)
		}
		enc, err := encryptTrandata(key, plain)
		if err != nil {
			t.Fatal(err)
		}
		got, err := decryptTrandata(key, enc)
		switch {
		case len(enc) > maxTrandataHex || !printable([]byte(plain)):
			if err == nil {
				t.Fatalf("%q (too long or not printable) decrypts", plain)
			}
		case err != nil || got != plain:
			t.Fatalf("round trip of %q: %q, %v", plain, got, err)
		}
	})
}

// FuzzWebhook posts any form: nothing panics, KNET is asked only about a well-formed track
// id, and with KNET down no notification says money moved (trandata has no MAC: only the
// inquiry confirms).
func FuzzWebhook(f *testing.F) {
	f.Add("trandata=" + k4)
	f.Add("trandata=" + k4 + "&trackid=632187")
	f.Add("Error=IPAY0100263&ErrorText=Transaction+denied&paymentid=8962225231041180&trackid=632186&amt=20.550")
	f.Add("trandata=zz%")
	g, calls := fuzzGateway(f)
	f.Fuzz(func(t *testing.T, body string) {
		before := calls()
		notes, err := g.Webhook(context.Background(), gateway.WebhookRequest{Body: []byte(body)})
		gwtest.NoMoneyMoved(t, notes)
		if calls() != before && err != nil {
			t.Fatalf("KNET asked about a refused notification: %v", err)
		}
		for _, n := range notes {
			if n.Result.Status != gateway.StatusUnknown || !trackIDPattern.MatchString(strings.TrimPrefix(n.Ref.AttemptID, attemptPrefix)) {
				t.Fatalf("with KNET down: %+v", n)
			}
		}
	})
}

// FuzzReturn brings the browser back to the errorURL with any query: a trackid that is not
// the attempt's is refused without asking KNET, and with KNET down nothing is reported.
func FuzzReturn(f *testing.F) {
	f.Add("Error=IPAY0100263&ErrorText=Transaction+denied&paymentid=8962225231041180&trackid=" + testTrackID)
	f.Add("trackid=other")
	f.Add("TRACKID=" + testTrackID + "&error=" + strings.Repeat("9", 40))
	g, calls := fuzzGateway(f)
	a := gateway.Attempt{ID: testAttempt}
	f.Fuzz(func(t *testing.T, query string) {
		q, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		before := calls()
		_, err = g.Return(context.Background(), a, q)
		if err == nil {
			t.Fatal("Return with KNET down: no error")
		}
		if tid := lowerKeys(q)["trackid"]; tid != "" && tid != testTrackID && calls() != before {
			t.Fatalf("trackid %q: KNET asked", tid)
		}
	})
}
