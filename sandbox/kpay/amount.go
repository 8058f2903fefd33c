package kpay

import (
	"math/big"
	"strconv"
	"strings"

	"github.com/bawaba/checkout/sandbox/internal/simkit"
)

// Amounts are held as int64 hundredths of the currency unit ("cents"): every
// K-Pay amount is Decimal(12,2) (spec §4.0), so two decimals always suffice.
// Text is parsed exactly; no float ever touches money.

// isoDecimals are the minor units of the currencies the simulator accepts:
// the spec claims 36 MCC currencies without listing them (§14.48), so this
// list of 36 is a [GUESS]. They decide how amounts are shown (KWD 3, JPY 0)
// and which currencies refuse decimals (float_not_support).
var isoDecimals = map[string]int{
	"THB": 2, "USD": 2, "EUR": 2, "GBP": 2, "JPY": 0, "SGD": 2, "HKD": 2, "AUD": 2, "NZD": 2,
	"CAD": 2, "CHF": 2, "CNY": 2, "KRW": 0, "TWD": 2, "MYR": 2, "IDR": 2, "PHP": 2, "VND": 0,
	"INR": 2, "SEK": 2, "NOK": 2, "DKK": 2, "AED": 2, "SAR": 2, "QAR": 2, "KWD": 3, "BHD": 3,
	"OMR": 3, "BND": 2, "MMK": 2, "LAK": 2, "KHR": 2, "RUB": 2, "ZAR": 2, "MOP": 2, "PKR": 2,
}

// amountError says why parseAmount refused a text.
type amountError int

const (
	amountOK        amountError = iota
	amountMalformed             // not a plain decimal, too many digits or more than 2 decimals
	amountNotPositive
)

// parseAmount parses decimal text ("200.50", "15", "1.0") into cents. No
// sign, no exponent, at most 10 integer digits and 2 significant decimals.
func parseAmount(text string) (int64, amountError) {
	text = strings.TrimSpace(text)
	whole, frac, dot := strings.Cut(text, ".")
	if whole == "" || !simkit.Digits(whole) || dot && (frac == "" || !simkit.Digits(frac)) {
		return 0, amountMalformed
	}
	frac = strings.TrimRight(frac, "0")
	whole = strings.TrimLeft(whole, "0")
	if len(frac) > 2 || len(whole) > 10 {
		return 0, amountMalformed
	}
	frac += strings.Repeat("0", 2-len(frac))
	n, err := strconv.ParseInt(whole+frac, 10, 64) // "" + "00" is "00"
	if err != nil {
		return 0, amountMalformed
	}
	if n == 0 {
		return 0, amountNotPositive
	}
	return n, amountOK
}

// jsonAmount is cents as a JSON number with the currency's decimals, capped
// at the API's two: "200.50" THB, "1000" JPY.
func jsonAmount(c int64, currency string) string {
	if isoDecimals[currency] == 0 && c%100 == 0 {
		return itoa(c / 100)
	}
	return itoa(c/100) + "." + twoDigits(c%100)
}

// amount4 is cents with exactly four decimals ("15.0000"), the checksum's
// amount text (spec §6.1) and the Decimal(14,4) fields' JSON text.
func amount4(c int64) string {
	return itoa(c/100) + "." + twoDigits(c%100) + "00"
}

// displayAmount formats cents for people with the currency's ISO decimals
// and thousands separators: "1,000.50" THB, "6.120" KWD, "1,000" JPY.
func displayAmount(c int64, currency string) string {
	dec, ok := isoDecimals[currency]
	if !ok {
		dec = 2
	}
	whole := itoa(c / 100)
	var b strings.Builder
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	switch dec {
	case 0:
		if c%100 != 0 { // cannot happen for validated amounts
			b.WriteString("." + twoDigits(c%100))
		}
	case 2:
		b.WriteString("." + twoDigits(c%100))
	default:
		b.WriteString("." + twoDigits(c%100) + strings.Repeat("0", dec-2))
	}
	return b.String()
}

// ratText formats r rounded half-up to dec decimals.
func ratText(r *big.Rat, dec int) string {
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(dec)), nil)
	n := new(big.Rat).Mul(r, new(big.Rat).SetInt(scale))
	q := roundHalfUp(n)
	s := q.String()
	if dec == 0 {
		return s
	}
	for len(s) <= dec {
		s = "0" + s
	}
	return s[:len(s)-dec] + "." + s[len(s)-dec:]
}

// roundHalfUp rounds a non-negative rational to the nearest integer, halves up.
func roundHalfUp(r *big.Rat) *big.Int {
	num := new(big.Int).Mul(r.Num(), big.NewInt(2))
	num.Add(num, r.Denom())
	den := new(big.Int).Mul(r.Denom(), big.NewInt(2))
	return num.Quo(num, den)
}

// percentOf returns cents × permille / 1000, rounded half-up to a cent.
func percentOf(c, permille int64) int64 {
	return (c*permille*2 + 1000) / 2000
}

func twoDigits(n int64) string {
	if n < 10 {
		return "0" + itoa(n)
	}
	return itoa(n)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
