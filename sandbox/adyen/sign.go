package adyen

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
)

// dataToSign is the text Adyen signs for a Standard webhook's notification
// item (spec §7): eight values joined with ":" in this order, with no
// escaping and no sorting. An absent amount gives two empty values (as the
// Java library does); success is the string "true" or "false".
func dataToSign(it *notificationItem) string {
	value, currency := "", ""
	if it.Amount != nil {
		value = strconv.FormatInt(it.Amount.Value, 10)
		currency = it.Amount.Currency
	}
	return strings.Join([]string{
		it.PspReference,
		it.OriginalReference,
		it.MerchantAccountCode,
		it.MerchantReference,
		value,
		currency,
		it.EventCode,
		it.Success,
	}, ":")
}

// hmacBase64 is base64 (standard, padded) of HMAC-SHA256 keyed with the
// hex-decoded HMAC key, over data's UTF-8 bytes (spec §7).
func hmacBase64(key []byte, data string) string {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(data))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// sign sets additionalData.hmacSignature of a notification item.
func (s *Simulator) sign(it *notificationItem) {
	if it.AdditionalData == nil {
		it.AdditionalData = map[string]string{}
	}
	sig := ""
	if s.hmacKey != nil {
		sig = hmacBase64(s.hmacKey, dataToSign(it))
	}
	it.AdditionalData["hmacSignature"] = sig
}
