package adyen

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"strconv"
	"testing"
	"unicode/utf8"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/gateway/internal/gwtest"
	"github.com/bawaba/checkout/gateway/internal/wire"
)

// fuzzHMACKey is the key of the spec §6 example (vector A1); specWebhook is that example as
// printed in the spec, its hmacSignature valid under the key.
const (
	fuzzHMACKey = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056"
	specWebhook = `{"live":"false",
 "notificationItems":[{"NotificationRequestItem":{
    "additionalData":{"hmacSignature":"coqCmt/IZ4E3CzPvMY8zTjQVL5hYJUiBRg8UU+iCWo0=", "…":"…"},
    "amount":{"currency":"EUR","value":1130},
    "eventCode":"AUTHORISATION","eventDate":"2019-11-20T14:35:36+01:00",
    "merchantAccountCode":"TestMerchant","merchantReference":"TestPayment-1407325143704",
    "originalReference":"", "operations":["CANCEL","CAPTURE","REFUND"],
    "paymentMethod":"knet","pspReference":"7914073381342284","reason":"…","success":"true"}}]}`
)

func fuzzGateway(f *testing.F) (*Gateway, func() int64) {
	base, calls := gwtest.Down(f)
	return New(Config{BaseURL: base, APIKey: "AQE_fuzz", MerchantAccount: "TestMerchant", HMACKey: fuzzHMACKey}), calls.Load
}

// FuzzWebhook posts any body: nothing panics, Adyen is never called (its webhook is trusted
// by its HMAC alone), and a notification comes out only when every item of the batch verifies.
func FuzzWebhook(f *testing.F) {
	f.Add(specWebhook)
	f.Add(`{"live":"true","notificationItems":[]}`)
	f.Add(`{"notificationItems":[{"NotificationRequestItem":{"amount":{"value":1e400,"currency":"KWD"},"success":true}}]}`)
	f.Add(`{"notificationItems":[{"NotificationRequestItem":null}]}`)
	g, calls := fuzzGateway(f)
	f.Fuzz(func(t *testing.T, body string) {
		notes, err := g.Webhook(context.Background(), gateway.WebhookRequest{Body: []byte(body)})
		if calls() != 0 {
			t.Fatal("a webhook made the connector call Adyen")
		}
		if err != nil || len(notes) == 0 {
			return
		}
		_, items, derr := decodeWebhook([]byte(body))
		if derr != nil {
			t.Fatalf("notes from an undecodable body: %v", derr)
		}
		for i := range items {
			if !verifyItem(&items[i], fuzzHMACKey) {
				t.Fatalf("item %d does not verify, yet the batch gave %d notes", i, len(notes))
			}
		}
	})
}

// FuzzHMAC signs an item made of any field values: it is accepted; the same item with one
// byte of its hmacSignature changed, with a signed field changed, or signed with another key
// is refused as a signature failure.
func FuzzHMAC(f *testing.F) {
	f.Add("7914073381342284", "", "TestPayment-1407325143704", int64(1130), "EUR", "AUTHORISATION", "true", 0, byte(1))
	f.Add("psp:1", "orig", "ref_1", int64(-5), "KWD", "REFUND", "false", 43, byte(0x80))
	g, _ := fuzzGateway(f)
	f.Fuzz(func(t *testing.T, psp, orig, ref string, value int64, cur, event, success string, at int, xor byte) {
		for _, s := range []string{psp, orig, ref, cur, event, success} {
			if !utf8.ValidString(s) {
				return // JSON cannot carry it as it is
			}
		}
		item := map[string]any{
			"amount": map[string]any{"value": value, "currency": cur}, "pspReference": psp, "originalReference": orig,
			"merchantAccountCode": "TestMerchant", "merchantReference": ref, "eventCode": event, "success": success,
		}
		post := func(sig string) error {
			item["additionalData"] = map[string]string{"hmacSignature": sig}
			body, err := json.Marshal(map[string]any{"live": "false", "notificationItems": []any{map[string]any{"NotificationRequestItem": item}}})
			if err != nil {
				t.Fatal(err)
			}
			_, err = g.Webhook(context.Background(), gateway.WebhookRequest{Body: body})
			return err
		}
		it := notificationItem{PSPReference: psp, OriginalReference: orig, MerchantAccountCode: "TestMerchant",
			MerchantReference: ref, EventCode: event, Success: wire.FlexString(success),
			Amount: &respAmount{Currency: cur, Value: json.Number(strconv.FormatInt(value, 10))}}
		sig, err := calculateHMAC(it.signedData()[0], fuzzHMACKey)
		if err != nil {
			t.Fatal(err)
		}
		if err := post(sig); errors.Is(err, gateway.ErrSignature) {
			t.Fatalf("a signed item is refused: %v", err)
		}
		if other, _ := calculateHMAC(it.signedData()[0], "00"+fuzzHMACKey[2:]); post(other) == nil {
			t.Fatal("an item signed with another key is accepted")
		}
		item["merchantReference"] = ref + "x"
		if err := post(sig); !errors.Is(err, gateway.ErrSignature) {
			t.Fatalf("a changed merchantReference: %v", err)
		}
		item["merchantReference"] = ref
		if xor == 0 {
			return
		}
		b := []byte(sig)
		b[int(uint(at)%uint(len(b)))] ^= xor
		if err := post(string(b)); !errors.Is(err, gateway.ErrSignature) && !errors.Is(err, gateway.ErrBadRequest) {
			t.Fatalf("a changed hmacSignature %q: %v", b, err)
		}
	})
}

// FuzzReturn brings the browser back with any query: Adyen is asked only to redeem a
// redirectResult of a sane size, and with Adyen down nothing is reported.
func FuzzReturn(f *testing.F) {
	f.Add("redirectResult=X6XtfGC3%21Y...&type=complete")
	f.Add("redirectResult=")
	f.Add("payload=abc")
	g, calls := fuzzGateway(f)
	a := gateway.Attempt{ID: "att_1", PaymentID: "7914073381342284"}
	f.Fuzz(func(t *testing.T, query string) {
		q, err := url.ParseQuery(query)
		if err != nil {
			return
		}
		before := calls()
		if _, err := g.Return(context.Background(), a, q); err == nil {
			t.Fatal("Return with Adyen down: no error")
		}
		rr := q.Get("redirectResult")
		if asked := calls() != before; asked != (rr != "" && len(rr) <= maxRedirectResult) {
			t.Fatalf("redirectResult %q: Adyen asked %v", rr, asked)
		}
	})
}
