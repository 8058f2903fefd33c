package alqaseh

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
)

// The p_sign formula is the simulator's own (spec §6: Al Qaseh's is not
// public), so these vectors were computed independently (Python hmac) from
// the formula documented in doc.go, with the sandbox client secret.
func TestPSignVectors(t *testing.T) {
	for _, tt := range []struct {
		name string
		body webhookBody
		want string
	}{
		{
			name: "succeeded IQD",
			body: webhookBody{Amount: "25000", Currency: "IQD", TerminalID: "90010001", OrderID: "ORD-1001",
				TrType: "Retail", RC: "00", Approval: "123456", RRN: "500112345678",
				Nonce: "0123456789abcdef0123456789abcdef", Timestamp: "20250301090000", PaymentStatus: "succeeded"},
			want: "100955B1AD8D2F0465E3183A4668778EB6661BE97B411C5BDDC6772C6FE42FE5",
		},
		{
			name: "cancelled USD, empty fields",
			body: webhookBody{Amount: "12.5", Currency: "USD", TerminalID: "90010001", OrderID: "ORD-1002",
				TrType: "Retail", Nonce: "fedcba9876543210fedcba9876543210", Timestamp: "20250301091500",
				PaymentStatus: "failed"},
			want: "0C27ECB2A840670F18DD5D328A89AB33B7DE256E6D088F61FEEDE1FADA10D072",
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := pSign(SandboxClientSecret, tt.body); got != tt.want {
				t.Errorf("pSign = %s, want %s", got, tt.want)
			}
			if got := pSign("another secret", tt.body); got == tt.want {
				t.Error("p_sign does not depend on the secret")
			}
		})
	}
}

// verifyPSign recomputes a received webhook's p_sign the way a merchant
// would, from the JSON as received, and returns the decoded body.
func verifyPSign(t *testing.T, call hookCall) map[string]any {
	t.Helper()
	if ct := call.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("webhook Content-Type %q", ct)
	}
	body := decode(t, call.body)
	var msg strings.Builder
	for _, k := range []string{"amount", "currency", "terminal_id", "order_id", "trtype", "rc", "approval",
		"rrn", "nonce", "timestamp", "payment_status"} {
		v := str(body, k)
		if n, ok := body[k].(json.Number); ok {
			v = string(n)
		}
		if v == "" {
			msg.WriteString("-")
		} else {
			msg.WriteString(strconv.Itoa(len(v)) + v)
		}
	}
	mac := hmac.New(sha256.New, []byte(SandboxClientSecret))
	mac.Write([]byte(msg.String()))
	want := strings.ToUpper(hex.EncodeToString(mac.Sum(nil)))
	if got := str(body, "p_sign"); !hmac.Equal([]byte(got), []byte(want)) {
		t.Errorf("p_sign = %q, want %q over %q", got, want, msg.String())
	}
	return body
}
