package kpay

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"github.com/bawaba/checkout/gateway/internal/wire"
)

// notify is a WebHook Notify body (spec §5), kept field by field as received.
type notify struct {
	fields map[string]json.RawMessage
}

// parseNotify reads a webhook body: one JSON object.
func parseNotify(body []byte) (*notify, error) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '{' {
		return nil, errors.New("kpay: webhook body is not a JSON object")
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, err
	}
	return &notify{fields: m}, nil
}

// null reports whether the field is absent or null.
func (n *notify) null(name string) bool {
	v, ok := n.fields[name]
	return !ok || string(bytes.TrimSpace(v)) == "null"
}

// str returns the field as text (a string's value, a number's literal); "" when absent, null
// or an object.
func (n *notify) str(name string) string {
	var s wire.FlexString
	if v, ok := n.fields[name]; !ok || s.UnmarshalJSON(v) != nil {
		return ""
	}
	return string(s)
}

// isQR reports whether the notification is the QR/WeChat one (§5.3): it has an order_id, or
// says it is a QR.
func (n *notify) isQR() bool {
	if n.str("order_id") != "" || strings.EqualFold(n.str("object"), "qr") {
		return true
	}
	var src struct {
		Object string `json:"object"`
	}
	if v, ok := n.fields["source"]; ok && json.Unmarshal(v, &src) == nil {
		return strings.EqualFold(src.Object, "qr")
	}
	return false
}

// checksumInputs are the strings K-Pay may have hashed for this notification (spec §6):
//   - the normative formula: id, amount (4 decimals), currency, status, transaction_state and
//     the secret key, concatenated;
//   - as §6.3 recommends, the same with failure_code before the key when it is not empty;
//   - the Java sample's generateChecksum, where every null is the text "null" (failure_code
//     included).
func (n *notify) checksumInputs(secret string) []string {
	amount := "null" // Java's String.format fallback for a missing amount
	if !n.null("amount") {
		r, ok := parseDecimal(n.str("amount"))
		if !ok {
			return nil
		}
		amount = r.FloatString(4) // rounds half away from zero, as %.4f does for amounts
	}
	plain := func(name string) string { return n.str(name) }
	java := func(name string) string {
		if n.null(name) {
			return "null"
		}
		return n.str(name)
	}
	build := func(field func(string) string, withFailure bool) string {
		var b strings.Builder
		b.WriteString(field("id"))
		b.WriteString(amount)
		b.WriteString(field("currency"))
		b.WriteString(field("status"))
		b.WriteString(field("transaction_state"))
		if withFailure {
			b.WriteString(field("failure_code"))
		}
		b.WriteString(secret)
		return b.String()
	}
	out := []string{build(plain, false)}
	for _, s := range []string{build(plain, true), build(java, true)} {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// checksum is the lowercase hex SHA-256 of s.
func checksum(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// verifyChecksum reports whether the notification's checksum is one K-Pay's secret key makes.
// Every candidate is compared in constant time; an empty key verifies nothing.
func verifyChecksum(n *notify, secret string) bool {
	if secret == "" {
		return false
	}
	got := strings.ToLower(strings.TrimSpace(n.str("checksum")))
	if len(got) != sha256.Size*2 {
		return false
	}
	ok := 0
	for _, in := range n.checksumInputs(secret) {
		ok |= subtle.ConstantTimeCompare([]byte(checksum(in)), []byte(got))
	}
	return ok == 1
}
