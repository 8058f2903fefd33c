package tap

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
)

// signedFields are the charge values Tap signs in the webhook's hashstring
// header (spec §6), already in their signed text form: amount formatted with
// the currency's decimals ("0.500" for KWD), created verbatim in epoch ms, and
// "" for an absent reference.
type signedFields struct {
	ID, Amount, Currency, GatewayReference, PaymentReference, Status, Created string
}

// hashString returns lowercase hex HMAC-SHA256(key=secret, msg=canonical
// string) as sent in the webhook's hashstring header (spec §6).
func hashString(secret string, f signedFields) string {
	mac := hmac.New(sha256.New, []byte(secret))
	for _, part := range [...]string{
		"x_id", f.ID,
		"x_amount", f.Amount,
		"x_currency", f.Currency,
		"x_gateway_reference", f.GatewayReference,
		"x_payment_reference", f.PaymentReference,
		"x_status", f.Status,
		"x_created", f.Created,
	} {
		mac.Write([]byte(part))
	}
	return hex.EncodeToString(mac.Sum(nil))
}
