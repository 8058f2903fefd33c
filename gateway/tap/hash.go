package tap

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/bawaba/checkout/gateway/internal/wire"
)

// hashString is Tap's webhook hashstring (spec §6): lower-case hex HMAC-SHA256, keyed with the
// secret API key, of
// "x_id{id}x_amount{amount}x_currency{currency}x_gateway_reference{gatewayRef}
// x_payment_reference{paymentRef}x_status{status}x_created{created}".
func hashString(key, id, amount, currency, gatewayRef, paymentRef, status, created string) string {
	return hmacHex(key, canonical(id, amount, currency, gatewayRef, paymentRef, status, created))
}

// canonical is the string signed by hashString.
func canonical(id, amount, currency, gatewayRef, paymentRef, status, created string) string {
	var b strings.Builder
	b.WriteString("x_id")
	b.WriteString(id)
	b.WriteString("x_amount")
	b.WriteString(amount)
	b.WriteString("x_currency")
	b.WriteString(currency)
	b.WriteString("x_gateway_reference")
	b.WriteString(gatewayRef)
	b.WriteString("x_payment_reference")
	b.WriteString(paymentRef)
	b.WriteString("x_status")
	b.WriteString(status)
	b.WriteString("x_created")
	b.WriteString(created)
	return b.String()
}

func hmacHex(key, msg string) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}

// amountCandidates returns the amount strings a webhook's hash may have been computed with:
// first the amount formatted to the currency's decimals (KWD "0.500"), then the raw JSON
// literal ("0.5"), the spec's fallback.
func amountCandidates(lit, currency string) []string {
	var out []string
	if amt, ok := wire.JSONAmount(lit, currency); ok {
		out = append(out, amt.String())
	}
	if lit != "" && (len(out) == 0 || out[0] != lit) {
		out = append(out, lit)
	}
	return out
}

// verifyHash reports whether sig (lower-case hex) is the hashstring of the posted charge c.
// Every candidate is compared in constant time.
func (g *Gateway) verifyHash(c *charge, sig string) bool {
	if g.key == "" || len(sig) != sha256.Size*2 {
		return false
	}
	ok := false
	for _, amount := range amountCandidates(c.Amount.String(), c.Currency) {
		want := hashString(g.key, c.ID, amount, c.Currency, string(c.Reference.Gateway),
			string(c.Reference.Payment), c.Status, string(c.Transaction.Created))
		if hmac.Equal([]byte(want), []byte(sig)) {
			ok = true
		}
	}
	return ok
}
