package adyen

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/gateway/internal/wire"
	"github.com/bawaba/checkout/money"
)

// TestHMACVectors checks the spec §7 vectors. A1, A2, A5, A6 and A7 are the spec's table; A3
// and A4 (numbers the table skips) are the two Java-library vectors the spec cites in its
// subtleties: REPORT_AVAILABLE with amount value "0", and the unescaped merchantReference.
func TestHMACVectors(t *testing.T) {
	const a7Payload = `{
    "type": "merchant.created",
    "environment": "test",
    "createdAt": "01-01-2024",
    "data": {
        "capabilities": {
            "sendToTransferInstrument": {
                "requested": true,
                "requestedLevel": "notApplicable"
            }
        },
        "companyId": "YOUR_COMPANY_ID",
        "merchantId": YOUR_MERCHANT_ACCOUNT",
        "status": "PreActive"
    }
}`
	const a4Item = `{
  "additionalData": {
    "acquirerCode": "TestPmmAcquirer",
    "acquirerReference": "J8DXDJ2PV6P",
    "authCode": "052095",
    "avsResult": "5 No AVS data provided",
    "avsResultRaw": "5",
    "cardSummary": "1111",
    "checkout.cardAddedBrand": "visa",
    "cvcResult": "1 Matches",
    "cvcResultRaw": "M",
    "expiryDate": "03/2030",
    "hmacSignature": "CZErGCNQaSsxbaQfZaJlakqo7KPP+mIa8a+wx3yNs9A=",
    "paymentMethod": "visa",
    "refusalReasonRaw": "AUTHORISED",
    "retry.attempt1.acquirer": "TestPmmAcquirer",
    "retry.attempt1.acquirerAccount": "TestPmmAcquirerAccount",
    "retry.attempt1.avsResultRaw": "5",
    "retry.attempt1.rawResponse": "AUTHORISED",
    "retry.attempt1.responseCode": "Approved",
    "retry.attempt1.scaExemptionRequested": "lowValue",
    "scaExemptionRequested": "lowValue"
  },
  "amount": {
    "currency": "EUR",
    "value": 1000
  },
  "eventCode": "AUTHORISATION",
  "eventDate": "2023-01-10T13:42:29+01:00",
  "merchantAccountCode": "AntoniStroinski",
  "merchantReference": "\\:/\\/slashes are fun",
  "operations": [
    "CANCEL",
    "CAPTURE",
    "REFUND"
  ],
  "paymentMethod": "visa",
  "pspReference": "ZVWN7D3WSMK2WN82",
  "reason": "052095:1111:03/2030",
  "success": "true"
}`
	const a3Item = `{
    "additionalData": {
        "hmacSignature": "NuEkADFmlCC6VgX+wcoPAegIWxVPNBPCuKlM4Hzo5qc="
    },
    "amount": {
        "currency": "EUR",
        "value": "0"
    },
    "eventCode": "REPORT_AVAILABLE",
    "eventDate": "2019-11-20T14:35:36+01:00",
    "merchantAccountCode": "Magento2Rik",
    "merchantReference": "testMerchantRef1",
    "pspReference": "test_REPORT_AVAILABLE",
    "reason": "will contain the url to the report",
    "success": "true"
}`
	tests := []struct {
		name string
		key  string
		item string // a NotificationRequestItem, or "" for a raw payload
		data string // the data to sign
		want string
	}{
		{name: "A1", key: "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056",
			item: `{"additionalData":{"hmacSignature":"coqCmt/IZ4E3CzPvMY8zTjQVL5hYJUiBRg8UU+iCWo0="},"amount":{"currency":"EUR","value":1130},` +
				`"eventCode":"AUTHORISATION","merchantAccountCode":"TestMerchant","merchantReference":"TestPayment-1407325143704",` +
				`"originalReference":"","pspReference":"7914073381342284","success":"true"}`,
			data: "7914073381342284::TestMerchant:TestPayment-1407325143704:1130:EUR:AUTHORISATION:true",
			want: "coqCmt/IZ4E3CzPvMY8zTjQVL5hYJUiBRg8UU+iCWo0="},
		{name: "A2", key: "DFB1EB5485895CFA84146406857104ABB4CBCABDC8AAF103A624C8F6A3EAAB00",
			item: `{"additionalData":{"hmacSignature":"ipnxGCaUZ4l8TUW75a71/ghd2Fe5ffvX0pV4TLTntIc="},"amount":{"currency":"EUR","value":1000},` +
				`"eventCode":"EVENT","eventDate":"1970-01-01T00:00:00Z","merchantAccountCode":"merchantAccount","merchantReference":"reference",` +
				`"originalReference":"originalReference","paymentMethod":"VISA","pspReference":"pspReference","reason":"reason","success":"true"}`,
			data: "pspReference:originalReference:merchantAccount:reference:1000:EUR:EVENT:true",
			want: "ipnxGCaUZ4l8TUW75a71/ghd2Fe5ffvX0pV4TLTntIc="},
		{name: "A3", key: "9064450A8892A093D9E97EFCC9639DE31B74F3A7803135555A3C96F5A57915D6", item: a3Item,
			data: "test_REPORT_AVAILABLE::Magento2Rik:testMerchantRef1:0:EUR:REPORT_AVAILABLE:true",
			want: "NuEkADFmlCC6VgX+wcoPAegIWxVPNBPCuKlM4Hzo5qc="},
		{name: "A4", key: "74F490DD33F7327BAECC88B2947C011FC02D014A473AAA33A8EC93E4DC069174", item: a4Item,
			data: `ZVWN7D3WSMK2WN82::AntoniStroinski:\:/\/slashes are fun:1000:EUR:AUTHORISATION:true`,
			want: "CZErGCNQaSsxbaQfZaJlakqo7KPP+mIa8a+wx3yNs9A="},
		{name: "A5", key: "9064450A8892A093D9E97EFCC9639DE31B74F3A7803135555A3C96F5A57915D6",
			data: "TestPayload", want: "YA9/UDjldIO4Gq68X4ATYYoEaPYH4f4k2uzBBzEF1PA="},
		{name: "A6", key: "DFB1EB5485895CFA84146406857104ABB4CBCABDC8AAF103A624C8F6A3EAAB00",
			data: `countryCode:currencyCode:merchantAccount:merchantReference:paymentAmount:sessionValidity:skinCode:NL:EUR:MagentoMerchantTest2:TEST-PAYMENT-2017-02-01-14\:02\:05:199:2017-02-02T14\:02\:05+01\:00:PKz2KML1`,
			want: "34oR8T1whkQWTv9P+SzKyp8zhusf9n0dpqrm9nsqSJs="},
		{name: "A7", key: "DFB1EB5485895CFA84146406857104ABB4CBCABDC8AAF103A624C8F6A3EAAB00",
			data: a7Payload, want: "yitBTPnDGtbAMG9rTxUa1e6lFGpa4PnrD6rErOmEhJ8="},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := calculateHMAC(tt.data, tt.key)
			if err != nil || got != tt.want {
				t.Errorf("calculateHMAC = %q, %v; want %q", got, err, tt.want)
			}
			// The key in lower case is the same key.
			if got, _ := calculateHMAC(tt.data, strings.ToLower(tt.key)); got != tt.want {
				t.Errorf("lower-case key: %q", got)
			}
			if tt.item == "" {
				return
			}
			var it notificationItem
			if err := wire.DecodeObject([]byte(tt.item), &it); err != nil {
				t.Fatal(err)
			}
			if d := it.signedData(); d[0] != tt.data {
				t.Errorf("signedData = %q, want %q", d[0], tt.data)
			}
			if !verifyItem(&it, tt.key) {
				t.Error("verifyItem = false")
			}
			it.AdditionalData["hmacSignature"] = wire.FlexString(strings.Replace(tt.want, tt.want[:4], "AAAA", 1))
			if verifyItem(&it, tt.key) {
				t.Error("verifyItem accepts a wrong signature")
			}
		})
	}
}

// TestSignedDataWithoutAmount: Adyen's Java library signs an item without amount with empty
// value and currency; its Go library with value "0".
func TestSignedDataWithoutAmount(t *testing.T) {
	var it notificationItem
	err := wire.DecodeObject([]byte(`{"eventCode":"REPORT_AVAILABLE","merchantAccountCode":"Magento2Rik","merchantReference":"testMerchantRef1",`+
		`"pspReference":"test_REPORT_AVAILABLE","success":"true"}`), &it)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"test_REPORT_AVAILABLE::Magento2Rik:testMerchantRef1:::REPORT_AVAILABLE:true",
		"test_REPORT_AVAILABLE::Magento2Rik:testMerchantRef1:0::REPORT_AVAILABLE:true",
	}
	got := it.signedData()
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("signedData = %q, want %q", got, want)
	}
}

// specExample is the webhook body of spec §6 (its signature is vector A1).
const specExample = `{"live":"false",
 "notificationItems":[{"NotificationRequestItem":{
    "additionalData":{"hmacSignature":"coqCmt/IZ4E3CzPvMY8zTjQVL5hYJUiBRg8UU+iCWo0=", "…":"…"},
    "amount":{"currency":"EUR","value":1130},
    "eventCode":"AUTHORISATION","eventDate":"2019-11-20T14:35:36+01:00",
    "merchantAccountCode":"TestMerchant","merchantReference":"TestPayment-1407325143704",
    "originalReference":"", "operations":["CANCEL","CAPTURE","REFUND"],
    "paymentMethod":"knet","pspReference":"7914073381342284","reason":"…","success":"true"}}]}`

func TestWebhookSpecExample(t *testing.T) {
	f := newFakeAdyen(t)
	c := f.config()
	c.MerchantAccount = "TestMerchant"
	notes, err := New(c).Webhook(context.Background(), gateway.WebhookRequest{Body: []byte(specExample)})
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) != 1 {
		t.Fatalf("%d notifications", len(notes))
	}
	n := notes[0]
	if n.Ref != (gateway.AttemptRef{AttemptID: "TestPayment-1407325143704", PaymentID: "7914073381342284"}) {
		t.Errorf("Ref = %+v", n.Ref)
	}
	r := n.Result
	at := time.Date(2019, 11, 20, 13, 35, 36, 0, time.UTC)
	if r.Status != gateway.StatusPaid || r.PaymentID != "7914073381342284" || r.OurReference != "TestPayment-1407325143704" ||
		!r.Amount.Equal(money.MustParse("11.30", "EUR")) || !r.At.Equal(at) || r.GatewayCode != "AUTHORISATION success=true" {
		t.Errorf("Result = %+v", r)
	}
	if !json.Valid(r.Raw) || !strings.Contains(string(r.Raw), `"pspReference":"7914073381342284"`) {
		t.Errorf("Raw = %s", r.Raw)
	}
	if f.count() != 0 {
		t.Error("Webhook called Adyen")
	}
}

// item describes one NotificationRequestItem for tests.
type item struct {
	psp, original, merchant, ref string
	value                        string // JSON literal of amount.value; "" for no amount
	currency                     string
	event, success, reason, date string
	authCode                     string
	sig                          string // when set, used instead of the right signature
	key                          string // signing key; testHMACKey when empty
}

// testSign signs the item per spec §7, independently of the package's code.
func testSign(key, data string) string {
	k, err := hex.DecodeString(key)
	if err != nil {
		panic(err)
	}
	m := hmac.New(sha256.New, k)
	m.Write([]byte(data))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

func (it item) json() string {
	key := it.key
	if key == "" {
		key = testHMACKey
	}
	sig := it.sig
	if sig == "" {
		sig = testSign(key, strings.Join([]string{it.psp, it.original, it.merchant, it.ref, it.value, it.currency, it.event, it.success}, ":"))
	}
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	ad := `"hmacSignature":` + q(sig)
	if it.authCode != "" {
		ad += `,"authCode":` + q(it.authCode)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `{"additionalData":{%s},`, ad)
	if it.value != "" {
		fmt.Fprintf(&b, `"amount":{"currency":%s,"value":%s},`, q(it.currency), it.value)
	}
	fmt.Fprintf(&b, `"eventCode":%s,"eventDate":%s,"merchantAccountCode":%s,"merchantReference":%s,"originalReference":%s,`,
		q(it.event), q(it.date), q(it.merchant), q(it.ref), q(it.original))
	fmt.Fprintf(&b, `"paymentMethod":"knet","pspReference":%s,"reason":%s,"success":%s}`, q(it.psp), q(it.reason), q(it.success))
	return b.String()
}

func batch(live string, items ...item) []byte {
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = `{"NotificationRequestItem":` + it.json() + `}`
	}
	l := ""
	if live != "" {
		l = `"live":"` + live + `",`
	}
	return []byte(`{` + l + `"notificationItems":[` + strings.Join(parts, ",") + `]}`)
}

func auth(success string) item {
	return item{psp: "V4HZ4RBFJGXXGN82", merchant: testMerchant, ref: "att_01HXYZ", value: "6000", currency: "KWD",
		event: "AUTHORISATION", success: success, date: "2024-05-01T10:00:00+03:00"}
}

func TestWebhookMapping(t *testing.T) {
	kwd := func(s string) money.Amount { return money.MustParse(s, "KWD") }
	mod := func(it item, f func(*item)) item { f(&it); return it }
	tests := []struct {
		name   string
		item   item
		want   bool // a notification is expected
		status gateway.Status
		reason string
		ref    gateway.AttemptRef
		payID  string
		txID   string
		ourRef string
		amount money.Amount
		auth   string
		refund *gateway.RefundNote
	}{
		{name: "AUTHORISATION true", item: mod(auth("true"), func(i *item) { i.authCode = "B63465" }), want: true, status: gateway.StatusPaid,
			ref: gateway.AttemptRef{AttemptID: "att_01HXYZ", PaymentID: "V4HZ4RBFJGXXGN82"}, payID: "V4HZ4RBFJGXXGN82",
			ourRef: "att_01HXYZ", amount: kwd("6"), auth: "B63465"},
		{name: "AUTHORISATION false", item: mod(auth("false"), func(i *item) { i.reason = "Refused" }), want: true,
			status: gateway.StatusFailed, reason: gateway.ReasonDeclined,
			ref: gateway.AttemptRef{AttemptID: "att_01HXYZ", PaymentID: "V4HZ4RBFJGXXGN82"}, payID: "V4HZ4RBFJGXXGN82",
			ourRef: "att_01HXYZ", amount: kwd("6")},
		{name: "AUTHORISATION false, not enough balance", item: mod(auth("false"), func(i *item) { i.reason = "Not enough balance" }), want: true,
			status: gateway.StatusFailed, reason: gateway.ReasonInsufficient,
			ref: gateway.AttemptRef{AttemptID: "att_01HXYZ", PaymentID: "V4HZ4RBFJGXXGN82"}, payID: "V4HZ4RBFJGXXGN82",
			ourRef: "att_01HXYZ", amount: kwd("6")},
		{name: "AUTHORISATION false, shopper cancelled", item: mod(auth("false"), func(i *item) { i.reason = "Shopper Cancelled" }), want: true,
			status: gateway.StatusCancelled, reason: gateway.ReasonCancelled,
			ref: gateway.AttemptRef{AttemptID: "att_01HXYZ", PaymentID: "V4HZ4RBFJGXXGN82"}, payID: "V4HZ4RBFJGXXGN82",
			ourRef: "att_01HXYZ", amount: kwd("6")},
		{name: "AUTHORISATION true, other amount passed on", item: mod(auth("true"), func(i *item) { i.value = "500" }), want: true,
			status: gateway.StatusPaid, ref: gateway.AttemptRef{AttemptID: "att_01HXYZ", PaymentID: "V4HZ4RBFJGXXGN82"},
			payID: "V4HZ4RBFJGXXGN82", ourRef: "att_01HXYZ", amount: kwd("0.5")},
		{name: "AUTHORISATION true, unknown currency: no amount", item: mod(auth("true"), func(i *item) { i.currency = "XYZ" }), want: true,
			status: gateway.StatusPaid, ref: gateway.AttemptRef{AttemptID: "att_01HXYZ", PaymentID: "V4HZ4RBFJGXXGN82"},
			payID: "V4HZ4RBFJGXXGN82", ourRef: "att_01HXYZ"},
		{name: "OFFER_CLOSED true", item: mod(auth("true"), func(i *item) { i.event = "OFFER_CLOSED" }), want: true,
			status: gateway.StatusExpired, ref: gateway.AttemptRef{AttemptID: "att_01HXYZ", PaymentID: "V4HZ4RBFJGXXGN82"},
			payID: "V4HZ4RBFJGXXGN82", ourRef: "att_01HXYZ", amount: kwd("6")},
		{name: "OFFER_CLOSED false ignored", item: mod(auth("false"), func(i *item) { i.event = "OFFER_CLOSED" })},
		{name: "CANCELLATION true", item: mod(auth("true"), func(i *item) {
			i.event, i.psp, i.original = "CANCELLATION", "QFQTPCQ8HXSKGK82", "V4HZ4RBFJGXXGN82"
		}), want: true, status: gateway.StatusVoided,
			ref:   gateway.AttemptRef{AttemptID: "att_01HXYZ", PaymentID: "V4HZ4RBFJGXXGN82"},
			payID: "V4HZ4RBFJGXXGN82", txID: "QFQTPCQ8HXSKGK82", amount: kwd("6")},
		{name: "CANCELLATION false ignored", item: mod(auth("false"), func(i *item) { i.event, i.original = "CANCELLATION", "V4HZ4RBFJGXXGN82" })},
		{name: "REFUND true", item: mod(auth("true"), func(i *item) {
			i.event, i.psp, i.original, i.value, i.ref = "REFUND", "JDD6LKT8MBLZNN84", "V4HZ4RBFJGXXGN82", "2500", "ref_01HXYZ"
		}), want: true, status: gateway.StatusRefunded,
			ref:   gateway.AttemptRef{AttemptID: "ref_01HXYZ", PaymentID: "V4HZ4RBFJGXXGN82"},
			payID: "V4HZ4RBFJGXXGN82", txID: "JDD6LKT8MBLZNN84", amount: kwd("2.5"),
			refund: &gateway.RefundNote{RefundID: "ref_01HXYZ", GatewayRef: "JDD6LKT8MBLZNN84"}},
		{name: "REFUND from the Customer Area (other reference)", item: mod(auth("true"), func(i *item) {
			i.event, i.psp, i.original, i.ref = "REFUND", "JDD6LKT8MBLZNN84", "V4HZ4RBFJGXXGN82", "manual refund 7"
		}), want: true, status: gateway.StatusRefunded,
			ref:   gateway.AttemptRef{AttemptID: "manual refund 7", PaymentID: "V4HZ4RBFJGXXGN82"},
			payID: "V4HZ4RBFJGXXGN82", txID: "JDD6LKT8MBLZNN84", amount: kwd("6"),
			refund: &gateway.RefundNote{RefundID: "manual refund 7", GatewayRef: "JDD6LKT8MBLZNN84"}},
		{name: "REFUND false: refused", item: mod(auth("false"), func(i *item) {
			i.event, i.psp, i.original, i.ref, i.reason = "REFUND", "JDD6LKT8MBLZNN84", "V4HZ4RBFJGXXGN82", "ref_01HXYZ", "Insufficient balance on payment"
		}), want: true, status: gateway.StatusFailed, reason: gateway.ReasonGatewayError,
			ref:   gateway.AttemptRef{AttemptID: "ref_01HXYZ", PaymentID: "V4HZ4RBFJGXXGN82"},
			payID: "V4HZ4RBFJGXXGN82", txID: "JDD6LKT8MBLZNN84", amount: kwd("6"),
			refund: &gateway.RefundNote{RefundID: "ref_01HXYZ", GatewayRef: "JDD6LKT8MBLZNN84"}},
		{name: "REFUND_FAILED true: failed after all", item: mod(auth("true"), func(i *item) {
			i.event, i.psp, i.original, i.ref = "REFUND_FAILED", "JDD6LKT8MBLZNN84", "V4HZ4RBFJGXXGN82", "ref_01HXYZ"
		}), want: true, status: gateway.StatusFailed, reason: gateway.ReasonGatewayError,
			ref:   gateway.AttemptRef{AttemptID: "ref_01HXYZ", PaymentID: "V4HZ4RBFJGXXGN82"},
			payID: "V4HZ4RBFJGXXGN82", txID: "JDD6LKT8MBLZNN84", amount: kwd("6"),
			refund: &gateway.RefundNote{RefundID: "ref_01HXYZ", GatewayRef: "JDD6LKT8MBLZNN84"}},
		{name: "CAPTURE ignored", item: mod(auth("true"), func(i *item) { i.event = "CAPTURE" })},
		{name: "CHARGEBACK ignored", item: mod(auth("true"), func(i *item) { i.event = "CHARGEBACK" })},
		{name: "REPORT_AVAILABLE ignored", item: item{psp: "test_REPORT_AVAILABLE", merchant: testMerchant, ref: "r1",
			event: "REPORT_AVAILABLE", success: "true", reason: "https://example/report.csv"}},
		{name: "lower-case event ignored", item: mod(auth("true"), func(i *item) { i.event = "authorisation" })},
		{name: "other merchant account ignored", item: mod(auth("true"), func(i *item) { i.merchant = "SomeoneElse" })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAdyen(t)
			notes, err := f.gateway().Webhook(context.Background(), gateway.WebhookRequest{Body: batch("false", tt.item)})
			if err != nil {
				t.Fatal(err)
			}
			if f.count() != 0 {
				t.Error("Webhook called Adyen")
			}
			if !tt.want {
				if len(notes) != 0 {
					t.Errorf("notifications = %+v, want none", notes)
				}
				return
			}
			if len(notes) != 1 {
				t.Fatalf("%d notifications", len(notes))
			}
			n, r := notes[0], notes[0].Result
			if n.Ref != tt.ref {
				t.Errorf("Ref = %+v, want %+v", n.Ref, tt.ref)
			}
			if (n.Refund == nil) != (tt.refund == nil) || (n.Refund != nil && *n.Refund != *tt.refund) {
				t.Errorf("Refund = %+v, want %+v", n.Refund, tt.refund)
			}
			if r.Status != tt.status || r.Reason != tt.reason || r.PaymentID != tt.payID || r.TransactionID != tt.txID ||
				r.OurReference != tt.ourRef || r.AuthCode != tt.auth || r.GatewayMessage != tt.item.reason {
				t.Errorf("Result = %+v", r)
			}
			if !sameAmount(r.Amount, tt.amount) {
				t.Errorf("Amount = %v %s, want %v", r.Amount, r.Amount.Currency().Code, tt.amount)
			}
			if r.At.IsZero() {
				t.Error("At not set")
			}
			if !strings.Contains(string(r.Raw), `"eventCode":"`+tt.item.event+`"`) {
				t.Errorf("Raw = %s", r.Raw)
			}
		})
	}
}

func TestWebhookBatch(t *testing.T) {
	f := newFakeAdyen(t)
	report := item{psp: "test_REPORT_AVAILABLE", merchant: testMerchant, ref: "r1", event: "REPORT_AVAILABLE", success: "true"}
	second := auth("false")
	second.psp, second.ref = "AAAABBBBCCCCDDDD", "att_SECOND"
	body := batch("false", auth("true"), report, second, auth("true"))
	notes, err := f.gateway().Webhook(context.Background(), gateway.WebhookRequest{Body: body})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, n := range notes {
		got = append(got, n.Ref.AttemptID+"="+string(n.Result.Status))
	}
	want := "att_01HXYZ=paid att_SECOND=failed att_01HXYZ=paid" // duplicates are passed on
	if strings.Join(got, " ") != want {
		t.Errorf("notifications = %s, want %s", strings.Join(got, " "), want)
	}

	// An item without amount signed with value "0" (Adyen's Go library) verifies too.
	report.sig = testSign(testHMACKey, "test_REPORT_AVAILABLE::"+testMerchant+":r1:0::REPORT_AVAILABLE:true")
	if _, err := f.gateway().Webhook(context.Background(), gateway.WebhookRequest{Body: batch("false", report, auth("true"))}); err != nil {
		t.Errorf("Go-style signature without amount: %v", err)
	}
}

// TestWebhookForged: any item that does not verify refuses the whole batch, and nothing is
// read from it.
func TestWebhookForged(t *testing.T) {
	otherKey := "DFB1EB5485895CFA84146406857104ABB4CBCABDC8AAF103A624C8F6A3EAAB00"
	tampered := func(f func(*item)) item {
		it := auth("false")
		it.sig = testSign(testHMACKey, strings.Join([]string{it.psp, it.original, it.merchant, it.ref, it.value, it.currency, it.event, it.success}, ":"))
		f(&it) // changed after signing
		return it
	}
	tests := []struct {
		name  string
		body  []byte
		hmac  string // configured key; testHMACKey when empty
		unset bool   // no key configured
	}{
		{name: "one bad item among good ones", body: batch("false", auth("true"), tampered(func(i *item) { i.success = "true" }), auth("true"))},
		{name: "success flipped", body: batch("false", tampered(func(i *item) { i.success = "true" }))},
		{name: "amount changed", body: batch("false", tampered(func(i *item) { i.value = "6" }))},
		{name: "currency changed", body: batch("false", tampered(func(i *item) { i.currency = "BHD" }))},
		{name: "reference changed", body: batch("false", tampered(func(i *item) { i.ref = "att_OTHER" }))},
		{name: "psp changed", body: batch("false", tampered(func(i *item) { i.psp = "AAAABBBBCCCCDDDD" }))},
		{name: "event changed", body: batch("false", tampered(func(i *item) { i.event = "OFFER_CLOSED" }))},
		{name: "signed with another key", body: batch("false", func() item { i := auth("true"); i.key = otherKey; return i }())},
		{name: "signature not base64", body: batch("false", func() item { i := auth("true"); i.sig = "not a signature"; return i }())},
		{name: "no signature", body: []byte(strings.Replace(string(batch("false", auth("true"))), `"hmacSignature"`, `"hmacSignatureX"`, 1))},
		{name: "hex signature of the right MAC", body: batch("false", func() item {
			i := auth("true")
			raw, _ := base64.StdEncoding.DecodeString(testSign(testHMACKey, "V4HZ4RBFJGXXGN82::"+testMerchant+":att_01HXYZ:6000:KWD:AUTHORISATION:true"))
			i.sig = hex.EncodeToString(raw)
			return i
		}())},
		{name: "amount removed after signing", body: batch("false", tampered(func(i *item) { i.value = "" }))},
		{name: "configured key is not hex", body: batch("false", auth("true")), hmac: "zz" + testHMACKey[2:]},
		{name: "no key configured", body: batch("false", auth("true")), unset: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAdyen(t)
			c := f.config()
			if tt.hmac != "" {
				c.HMACKey = tt.hmac
			}
			if tt.unset {
				c.HMACKey = ""
			}
			notes, err := New(c).Webhook(context.Background(), gateway.WebhookRequest{Body: tt.body})
			if !errors.Is(err, gateway.ErrSignature) {
				t.Fatalf("err = %v, want ErrSignature", err)
			}
			if notes != nil {
				t.Errorf("notifications = %+v, want none", notes)
			}
			if strings.Contains(err.Error(), testHMACKey) || strings.Contains(err.Error(), c.HMACKey+"x") {
				t.Errorf("the key is in the error: %v", err)
			}
			if f.count() != 0 {
				t.Error("a call was made")
			}
		})
	}
}

func TestWebhookMalformed(t *testing.T) {
	tests := map[string]string{
		"empty":                 ``,
		"not json":              `notificationItems=1`,
		"array":                 `[{"NotificationRequestItem":{}}]`,
		"no items":              `{"live":"false","notificationItems":[]}`,
		"items missing":         `{"live":"false"}`,
		"item not an object":    `{"live":"false","notificationItems":[{"NotificationRequestItem":"x"}]}`,
		"item missing":          `{"live":"false","notificationItems":[{}]}`,
		"amount value not num":  `{"live":"false","notificationItems":[{"NotificationRequestItem":{"amount":{"currency":"KWD","value":"six"}}}]}`,
		"truncated":             string(batch("false", auth("true")))[:100],
		"event code not string": `{"live":"false","notificationItems":[{"NotificationRequestItem":{"eventCode":7}}]}`,
	}
	for name, body := range tests {
		t.Run(name, func(t *testing.T) {
			f := newFakeAdyen(t)
			notes, err := f.gateway().Webhook(context.Background(), gateway.WebhookRequest{Body: []byte(body)})
			if !errors.Is(err, gateway.ErrBadRequest) || notes != nil {
				t.Errorf("Webhook = %+v, %v; want ErrBadRequest", notes, err)
			}
		})
	}
}

func TestWebhookLive(t *testing.T) {
	tests := []struct {
		live     string
		cfgLive  bool
		wantErr  error
		wantNote bool
	}{
		{"false", false, nil, true},
		{"true", true, nil, true},
		{"", false, nil, true},
		{"", true, nil, true},
		{"true", false, gateway.ErrBadRequest, false},
		{"false", true, gateway.ErrBadRequest, false},
		{"TRUE", false, gateway.ErrBadRequest, false},
		{"TRUE", true, nil, true},
		{"yes", true, gateway.ErrBadRequest, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%q/%t", tt.live, tt.cfgLive), func(t *testing.T) {
			f := newFakeAdyen(t)
			c := f.config()
			c.Live = tt.cfgLive
			notes, err := New(c).Webhook(context.Background(), gateway.WebhookRequest{Body: batch(tt.live, auth("true"))})
			if !errors.Is(err, tt.wantErr) || (err == nil) != (tt.wantErr == nil) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if (len(notes) == 1) != tt.wantNote {
				t.Errorf("notifications = %+v", notes)
			}
		})
	}

	// A forged batch from "another environment" is a signature failure first.
	f := newFakeAdyen(t)
	bad := auth("true")
	bad.sig = "AAAA"
	if _, err := f.gateway().Webhook(context.Background(), gateway.WebhookRequest{Body: batch("true", bad)}); !errors.Is(err, gateway.ErrSignature) {
		t.Errorf("err = %v, want ErrSignature", err)
	}
}

func TestAcknowledge(t *testing.T) {
	tests := []struct {
		name   string
		err    error
		status int
		body   string
	}{
		{"applied", nil, http.StatusOK, "[accepted]"},
		{"malformed", fmt.Errorf("adyen: webhook: %w: x", gateway.ErrBadRequest), http.StatusOK, "[accepted]"},
		{"signature", fmt.Errorf("adyen: webhook: %w", gateway.ErrSignature), http.StatusUnauthorized, "signature does not verify"},
		{"store failure", errors.New("database is locked"), http.StatusServiceUnavailable, "try again"},
	}
	g := New(Config{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := g.Acknowledge(nil, tt.err, func(string) string { return "https://pay.example/" })
			if rep.Status != tt.status || string(rep.Body) != tt.body || rep.ContentType != "text/plain; charset=utf-8" {
				t.Errorf("Reply = %d %q %q", rep.Status, rep.ContentType, rep.Body)
			}
		})
	}
}
