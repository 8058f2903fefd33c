package adyen

import (
	"encoding/hex"
	"testing"
)

// The vectors of spec §7. A3 and A4 are not in the spec's table; they come
// from the Adyen Java library test the spec cites (HMACValidatorTest:
// testValidateHMAC and testValidateHMACWithoutEscaping with its mock
// hmac-validation-webhook.json), and were checked with Python's hmac too.
const (
	keyA1   = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056"
	keyGo   = "DFB1EB5485895CFA84146406857104ABB4CBCABDC8AAF103A624C8F6A3EAAB00"
	keyJava = "9064450A8892A093D9E97EFCC9639DE31B74F3A7803135555A3C96F5A57915D6"
	keyA4   = "74F490DD33F7327BAECC88B2947C011FC02D014A473AAA33A8EC93E4DC069174"
)

// payloadA7 is payloadAsString of adyen-go-api-library
// src/hmacvalidator/hmacvalidator_test.go, byte for byte (malformed on purpose).
const payloadA7 = `{
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

func mustKey(t *testing.T, h string) []byte {
	t.Helper()
	k, err := hex.DecodeString(h)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestItemVectors signs notification items: the data to sign and the
// signature must both match (A1–A4).
func TestItemVectors(t *testing.T) {
	for _, tt := range []struct {
		name, key string
		item      notificationItem
		data, sig string
	}{
		{"A1 Adyen docs example", keyA1, notificationItem{
			PspReference: "7914073381342284", MerchantAccountCode: "TestMerchant",
			MerchantReference: "TestPayment-1407325143704", Amount: &amountJSON{"EUR", 1130},
			EventCode: "AUTHORISATION", Success: "true",
		}, "7914073381342284::TestMerchant:TestPayment-1407325143704:1130:EUR:AUTHORISATION:true",
			"coqCmt/IZ4E3CzPvMY8zTjQVL5hYJUiBRg8UU+iCWo0="},
		{"A2 Go library", keyGo, notificationItem{
			PspReference: "pspReference", OriginalReference: "originalReference",
			MerchantAccountCode: "merchantAccount", MerchantReference: "reference",
			Amount: &amountJSON{"EUR", 1000}, EventCode: "EVENT", Success: "true",
		}, "pspReference:originalReference:merchantAccount:reference:1000:EUR:EVENT:true",
			"ipnxGCaUZ4l8TUW75a71/ghd2Fe5ffvX0pV4TLTntIc="},
		{"A3 Java library REPORT_AVAILABLE", keyJava, notificationItem{
			PspReference: "test_REPORT_AVAILABLE", MerchantAccountCode: "Magento2Rik",
			MerchantReference: "testMerchantRef1", Amount: &amountJSON{"EUR", 0},
			EventCode: "REPORT_AVAILABLE", Success: "true",
		}, "test_REPORT_AVAILABLE::Magento2Rik:testMerchantRef1:0:EUR:REPORT_AVAILABLE:true",
			"NuEkADFmlCC6VgX+wcoPAegIWxVPNBPCuKlM4Hzo5qc="},
		{"A4 Java library without escaping", keyA4, notificationItem{
			PspReference: "ZVWN7D3WSMK2WN82", MerchantAccountCode: "AntoniStroinski",
			MerchantReference: `\:/\/slashes are fun`, Amount: &amountJSON{"EUR", 1000},
			EventCode: "AUTHORISATION", Success: "true",
		}, `ZVWN7D3WSMK2WN82::AntoniStroinski:\:/\/slashes are fun:1000:EUR:AUTHORISATION:true`,
			"CZErGCNQaSsxbaQfZaJlakqo7KPP+mIa8a+wx3yNs9A="},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := dataToSign(&tt.item); got != tt.data {
				t.Errorf("dataToSign = %q, want %q", got, tt.data)
			}
			if got := hmacBase64(mustKey(t, tt.key), dataToSign(&tt.item)); got != tt.sig {
				t.Errorf("signature = %q, want %q", got, tt.sig)
			}
		})
	}
}

// TestRawVectors signs raw strings (A5–A7), through the same HMAC function.
func TestRawVectors(t *testing.T) {
	for _, tt := range []struct{ name, key, data, sig string }{
		{"A5 Java calculateHMAC", keyJava, "TestPayload", "YA9/UDjldIO4Gq68X4ATYYoEaPYH4f4k2uzBBzEF1PA="},
		{"A6 Go legacy HPP (escaped, sorted)", keyGo,
			`countryCode:currencyCode:merchantAccount:merchantReference:paymentAmount:sessionValidity:skinCode:NL:EUR:MagentoMerchantTest2:TEST-PAYMENT-2017-02-01-14\:02\:05:199:2017-02-02T14\:02\:05+01\:00:PKz2KML1`,
			"34oR8T1whkQWTv9P+SzKyp8zhusf9n0dpqrm9nsqSJs="},
		{"A7 Go raw payload", keyGo, payloadA7, "yitBTPnDGtbAMG9rTxUa1e6lFGpa4PnrD6rErOmEhJ8="},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := hmacBase64(mustKey(t, tt.key), tt.data); got != tt.sig {
				t.Errorf("signature = %q, want %q", got, tt.sig)
			}
		})
	}
}

// TestDataToSignWithoutAmount follows the Java library: an absent amount
// gives two empty values (testValidateHMACMissingOptionalField).
func TestDataToSignWithoutAmount(t *testing.T) {
	it := notificationItem{PspReference: "test_REPORT_AVAILABLE", MerchantAccountCode: "Magento2Rik",
		MerchantReference: "testMerchantRef1", EventCode: "REPORT_AVAILABLE", Success: "true"}
	if got, want := dataToSign(&it), "test_REPORT_AVAILABLE::Magento2Rik:testMerchantRef1:::REPORT_AVAILABLE:true"; got != want {
		t.Errorf("dataToSign = %q, want %q", got, want)
	}
}

// TestSimulatorSignsWithConfigKey signs A1 through a Simulator configured
// with the hex key, as the webhooks are signed.
func TestSimulatorSignsWithConfigKey(t *testing.T) {
	s := New(Config{HMACKey: keyA1, MerchantAccount: "TestMerchant"})
	defer s.Close()
	it := notificationItem{PspReference: "7914073381342284", MerchantAccountCode: "TestMerchant",
		MerchantReference: "TestPayment-1407325143704", Amount: &amountJSON{"EUR", 1130},
		EventCode: "AUTHORISATION", Success: "true"}
	s.sign(&it)
	if got := it.AdditionalData["hmacSignature"]; got != "coqCmt/IZ4E3CzPvMY8zTjQVL5hYJUiBRg8UU+iCWo0=" {
		t.Errorf("hmacSignature = %q", got)
	}
	// Lower-case hex is the same key.
	s2 := New(Config{HMACKey: "44782def547aaa06c910c43932b1eb0c71fc68d9d0c057550c48ec2acf6ba056"})
	defer s2.Close()
	it2 := it
	it2.AdditionalData = nil
	s2.sign(&it2)
	if it2.AdditionalData["hmacSignature"] != it.AdditionalData["hmacSignature"] {
		t.Error("lower-case hex key signs differently")
	}
}
