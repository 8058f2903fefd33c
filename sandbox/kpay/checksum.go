package kpay

import (
	"crypto/sha256"
	"encoding/hex"
)

// checksum is the webhook checksum of spec §6.1: lowercase hex SHA-256 of
// id + amount (exactly four decimals) + currency + status +
// transaction_state + the merchant's secret key, concatenated without
// separators. A salted hash, not an HMAC. The simulator emits only this
// normative form (not the Java sample's variant with failure_code, §6.3).
func checksum(id, amount4dp, currency, status, state, secretKey string) string {
	sum := sha256.Sum256([]byte(id + amount4dp + currency + status + state + secretKey))
	return hex.EncodeToString(sum[:])
}
