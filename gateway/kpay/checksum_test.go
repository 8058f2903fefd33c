package kpay

import (
	"strings"
	"testing"
)

// specWebhook is the worked example of spec §6.2, verbatim.
const specWebhook = `{
  "id": "chrg_prod_12345678",
  "order_id": "order_prod_12345678",
  "object": "qr",
  "amount": 15,
  "currency": "THB",
  "transaction_state": "Authorized",
  "source": {
    "id": "qr_prod_12345678",
    "object": "qr",
    "brand": "ThaiQR"
  },
  "created": "20180322121944000",
  "status": "success",
  "reference_order": "WT123456",
  "description": "TestDescription",
  "livemode": true,
  "failure_code": "",
  "failure_message": "",
  "checksum": "cc1152742bc4a1169341f8fee95baf2d5886510d577fa95e751cdc6c29162a3a"
}`

// TestChecksumVectors checks the SHA-256 of the spec's input strings (§6.2, §6.3 table).
func TestChecksumVectors(t *testing.T) {
	for _, v := range []struct{ in, want string }{
		{"chrg_prod_1234567815.0000THBsuccessAuthorized" + specSecret, "cc1152742bc4a1169341f8fee95baf2d5886510d577fa95e751cdc6c29162a3a"},
		{"chrg_prod_12345678200.5000THBsuccessAuthorized" + specSecret, "7962a2a92d54955b79f0ffbc24d0a8a03529d1d5927c56cbf9b8609f85d2e1e1"},
		{"chrg_prod_12345678200.5000THBfailDeclined" + specSecret, "62c44d2888ca93d953b259e418246045d49719b85ad7ec3d9c23c9af5b456942"},
		{"chrg_prod_12345678200.5000THBfailDeclined05" + specSecret, "52c718573bd61ea90a346e3f8f7857aa24892f9b07a41aae33330b779b2ff25e"},
		{"chrg_prod_1234567815.0000THBsuccessAuthorizednull" + specSecret, "69531d0f4aaaff412a35eb7549a9a20c0d28414dedf4038b7fd50663dd2de10b"},
	} {
		if got := checksum(v.in); got != v.want {
			t.Errorf("checksum(%q) = %s; want %s", v.in, got, v.want)
		}
	}
}

// TestVerifyChecksum runs whole webhook bodies through verifyChecksum: the spec's worked
// example verifies, and any one-character change to a hashed field, the checksum or the key
// fails it.
func TestVerifyChecksum(t *testing.T) {
	card := `{"id":"chrg_prod_12345678","object":"charge","amount":200.50,"currency":"THB","transaction_state":"Authorized","status":"success","failure_code":null,"checksum":"7962a2a92d54955b79f0ffbc24d0a8a03529d1d5927c56cbf9b8609f85d2e1e1"}`
	declinedJava := `{"id":"chrg_prod_12345678","amount":"200.50","currency":"THB","transaction_state":"Declined","status":"fail","failure_code":"05","checksum":"52c718573bd61ea90a346e3f8f7857aa24892f9b07a41aae33330b779b2ff25e"}`
	declinedPlain := `{"id":"chrg_prod_12345678","amount":200.5,"currency":"THB","transaction_state":"Declined","status":"fail","failure_code":"05","checksum":"62c44d2888ca93d953b259e418246045d49719b85ad7ec3d9c23c9af5b456942"}`
	javaNull := `{"id":"chrg_prod_12345678","amount":15.0,"currency":"THB","transaction_state":"Authorized","status":"success","failure_code":null,"checksum":"69531d0f4aaaff412a35eb7549a9a20c0d28414dedf4038b7fd50663dd2de10b"}`
	for _, c := range []struct {
		name, body, key string
		want            bool
	}{
		{"spec §6.2 worked example", specWebhook, specSecret, true},
		{"spec example, checksum in upper case", strings.Replace(specWebhook, "cc1152742b", "CC1152742B", 1), specSecret, true},
		{"spec example, one checksum character changed", strings.Replace(specWebhook, "cc1152742b", "cc1152742c", 1), specSecret, false},
		{"spec example, one id character changed", strings.Replace(specWebhook, `"chrg_prod_12345678"`, `"chrg_prod_12345679"`, 1), specSecret, false},
		{"spec example, amount changed", strings.Replace(specWebhook, `"amount": 15,`, `"amount": 16,`, 1), specSecret, false},
		{"spec example, amount written 15.0", strings.Replace(specWebhook, `"amount": 15,`, `"amount": 15.0,`, 1), specSecret, true},
		{"spec example, amount written as a string", strings.Replace(specWebhook, `"amount": 15,`, `"amount": "15.00",`, 1), specSecret, true},
		{"spec example, currency changed", strings.Replace(specWebhook, `"THB"`, `"USD"`, 1), specSecret, false},
		{"spec example, status changed", strings.Replace(specWebhook, `"status": "success"`, `"status": "fail"`, 1), specSecret, false},
		{"spec example, state changed", strings.Replace(specWebhook, `"transaction_state": "Authorized"`, `"transaction_state": "Authorised"`, 1), specSecret, false},
		{"spec example, OCR-damaged key ZaXgghLp", specWebhook, "skey_prod_41Bbw6At8dJjVyKV3ZaXgghLpRro5oAtR", false},
		{"spec example, one key character changed", specWebhook, specSecret[:len(specSecret)-1] + "S", false},
		{"spec example, empty key", specWebhook, "", false},
		{"unhashed fields may change", strings.Replace(specWebhook, `"WT123456"`, `"att_other"`, 1), specSecret, true},
		{"card example §5.2 (null failure_code)", card, specSecret, true},
		{"Java variant with failure_code 05", declinedJava, specSecret, true},
		{"normative formula with failure_code 05", declinedPlain, specSecret, true},
		{"Java variant with null failure_code as \"null\"", javaNull, specSecret, true},
		{"Java variant, failure_code changed", strings.Replace(declinedJava, `"05"`, `"51"`, 1), specSecret, false},
		{"no checksum", strings.Replace(card, `,"checksum":"7962a2a92d54955b79f0ffbc24d0a8a03529d1d5927c56cbf9b8609f85d2e1e1"`, "", 1), specSecret, false},
		{"checksum too short", strings.Replace(card, "7962a2a92d", "7962", 1), specSecret, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			n, err := parseNotify([]byte(c.body))
			if err != nil {
				t.Fatal(err)
			}
			if got := verifyChecksum(n, c.key); got != c.want {
				t.Errorf("verifyChecksum = %v; want %v", got, c.want)
			}
		})
	}
}

// TestChecksumAmountFormatting pins the 4-decimal formatting of §6.1.
func TestChecksumAmountFormatting(t *testing.T) {
	for lit, want := range map[string]string{
		"15": "15.0000", "200.50": "200.5000", "1.0": "1.0000", "0.07": "0.0700", "12.68": "12.6800", "1.23455": "1.2346",
	} {
		r, ok := parseDecimal(lit)
		if !ok {
			t.Fatalf("parseDecimal(%q) failed", lit)
		}
		if got := r.FloatString(4); got != want {
			t.Errorf("%s → %s; want %s", lit, got, want)
		}
	}
	for _, bad := range []string{"", "-1", "1e3", "NaN", "1,5", " 1"} {
		if _, ok := parseDecimal(bad); ok {
			t.Errorf("parseDecimal(%q) accepted", bad)
		}
	}
}
