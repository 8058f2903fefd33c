// Package money owns exact decimal amounts in ISO 4217 minor units: currencies,
// strict parsing, overflow-checked arithmetic and bilingual (English/Arabic) display.
package money

import (
	"errors"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// MaxMajor is the exclusive upper bound, in major units, for amounts accepted
// by Parse. Anything at or above it is treated as absurd input.
const MaxMajor = 1_000_000_000

// maxAbsMajor bounds the magnitude of any Amount (sums, refunds, quantity
// times price) so that its minor units always fit in an int64.
const maxAbsMajor = MaxMajor * 1000

var (
	maxParse = decimal.NewFromInt(MaxMajor)
	maxAbs   = decimal.NewFromInt(maxAbsMajor)
)

// Sentinel errors. Returned errors wrap one of them with detail; test with errors.Is.
var (
	ErrUnknownCurrency  = errors.New("money: unknown currency")
	ErrSyntax           = errors.New("money: amount is not a plain decimal")
	ErrTooManyDecimals  = errors.New("money: more decimals than the currency allows")
	ErrNotPositive      = errors.New("money: amount is not positive")
	ErrTooLarge         = errors.New("money: amount is too large")
	ErrCurrencyMismatch = errors.New("money: currency mismatch")
)

// Amount is an exact decimal amount in one currency, always representable in
// whole minor units. The zero Amount has no currency; use Zero instead.
type Amount struct {
	value    decimal.Decimal // exponent is -currency.Scale
	currency Currency
}

// Parse strictly parses an API amount such as "6.000" or "65".
// s must be ASCII digits with an optional single '.' that has digits on both
// sides: no sign, exponent, spaces or separators. The amount must be positive,
// below MaxMajor, and have at most the currency's Scale fraction digits
// (trailing zeros count: "6.0000" is rejected for KWD).
func Parse(s, currency string) (Amount, error) {
	c, ok := LookupCurrency(currency)
	if !ok {
		return Amount{}, fmt.Errorf("%w: %q", ErrUnknownCurrency, currency)
	}
	intPart, frac, hasDot := strings.Cut(s, ".")
	if !isDigits(intPart) || (hasDot && !isDigits(frac)) {
		return Amount{}, fmt.Errorf("%w: %q", ErrSyntax, s)
	}
	if len(frac) > int(c.Scale) {
		return Amount{}, fmt.Errorf("%w: %q has %d decimals, %s allows %d", ErrTooManyDecimals, s, len(frac), c.Code, c.Scale)
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return Amount{}, fmt.Errorf("%w: %q: %v", ErrSyntax, s, err)
	}
	if !d.IsPositive() {
		return Amount{}, fmt.Errorf("%w: %q", ErrNotPositive, s)
	}
	if d.Cmp(maxParse) >= 0 {
		return Amount{}, fmt.Errorf("%w: %q is not below %d", ErrTooLarge, s, MaxMajor)
	}
	return newAmount(d, c)
}

// isDigits reports whether s is non-empty and consists of ASCII digits only.
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// New returns d as an Amount without rounding. Zero and negative values are
// allowed (sums, refunds). It fails if d has more significant decimals than
// the currency's Scale (6.500 is fine for KWD, 6.5001 is not) or if |d| is
// not below MaxMajor*1000.
func New(d decimal.Decimal, currency string) (Amount, error) {
	c, ok := LookupCurrency(currency)
	if !ok {
		return Amount{}, fmt.Errorf("%w: %q", ErrUnknownCurrency, currency)
	}
	return newAmount(d, c)
}

// FromMinor returns the Amount of minor units, e.g. 6000 KWD is 6.000.
func FromMinor(minor int64, currency string) (Amount, error) {
	c, ok := LookupCurrency(currency)
	if !ok {
		return Amount{}, fmt.Errorf("%w: %q", ErrUnknownCurrency, currency)
	}
	return newAmount(decimal.New(minor, -c.Scale), c)
}

// Zero returns a zero Amount in currency.
func Zero(currency string) (Amount, error) {
	return FromMinor(0, currency)
}

// MustParse is like Parse but panics on error. Use it for tests and constants.
func MustParse(s, currency string) Amount {
	a, err := Parse(s, currency)
	if err != nil {
		panic(err)
	}
	return a
}

// newAmount checks d against the magnitude limit and c's scale and stores it
// with exponent -c.Scale.
func newAmount(d decimal.Decimal, c Currency) (Amount, error) {
	if d.Abs().Cmp(maxAbs) >= 0 {
		return Amount{}, fmt.Errorf("%w: %s %s is not below %d", ErrTooLarge, c.Code, d, maxAbsMajor)
	}
	minor := d.Shift(c.Scale)
	if !minor.IsInteger() {
		return Amount{}, fmt.Errorf("%w: %s %s, scale %d", ErrTooManyDecimals, c.Code, d, c.Scale)
	}
	return Amount{value: decimal.New(minor.IntPart(), -c.Scale), currency: c}, nil
}

// Currency returns the amount's currency.
func (a Amount) Currency() Currency { return a.currency }

// Decimal returns the amount's exact value.
func (a Amount) Decimal() decimal.Decimal { return a.value }

// Minor returns the amount in minor units, e.g. 6.000 KWD is 6000.
func (a Amount) Minor() int64 { return a.value.Shift(a.currency.Scale).IntPart() }

// String returns the plain storage and gateway form: exactly Scale decimals,
// '.' separator, no grouping, e.g. "6.000", "65.00", "1500", "-1.000".
func (a Amount) String() string { return a.value.StringFixed(a.currency.Scale) }

// IsZero reports whether the amount is zero.
func (a Amount) IsZero() bool { return a.value.IsZero() }

// IsPositive reports whether the amount is greater than zero.
func (a Amount) IsPositive() bool { return a.value.IsPositive() }

// Add returns a+b. It fails if the currencies differ or the sum is too large.
func (a Amount) Add(b Amount) (Amount, error) {
	if !a.SameCurrency(b) {
		return Amount{}, mismatch("add", a, b)
	}
	return newAmount(a.value.Add(b.value), a.currency)
}

// Sub returns a-b. It fails if the currencies differ or the result is too large.
func (a Amount) Sub(b Amount) (Amount, error) {
	if !a.SameCurrency(b) {
		return Amount{}, mismatch("subtract", a, b)
	}
	return newAmount(a.value.Sub(b.value), a.currency)
}

func mismatch(op string, a, b Amount) error {
	return fmt.Errorf("%w: cannot %s %s and %s", ErrCurrencyMismatch, op, a.currency.Code, b.currency.Code)
}

// MulInt returns a*n, e.g. unit price times quantity. It fails with
// ErrTooLarge if the product leaves the range New accepts.
func (a Amount) MulInt(n int64) (Amount, error) {
	return newAmount(a.value.Mul(decimal.NewFromInt(n)), a.currency)
}

// Cmp compares the values of a and b, returning -1, 0 or +1. It ignores
// currency and never panics; callers must check SameCurrency first.
func (a Amount) Cmp(b Amount) int { return a.value.Cmp(b.value) }

// SameCurrency reports whether a and b have the same currency.
func (a Amount) SameCurrency(b Amount) bool { return a.currency.Code == b.currency.Code }

// Equal reports whether a and b have the same currency and value.
func (a Amount) Equal(b Amount) bool { return a.SameCurrency(b) && a.value.Equal(b.value) }

// Digits selects the digit shapes used by Format for Arabic.
type Digits int

const (
	LatinDigits       Digits = iota // 0-9 with ',' grouping and '.' decimals
	ArabicIndicDigits               // ٠-٩ (U+0660-U+0669) with '٬' (U+066C) grouping and '٫' (U+066B) decimals
)

var arabicIndic = strings.NewReplacer(
	"0", "٠", "1", "١", "2", "٢", "3", "٣", "4", "٤",
	"5", "٥", "6", "٦", "7", "٧", "8", "٨", "9", "٩",
	",", "٬", ".", "٫",
)

// Format returns the amount for display with thousands grouping and the
// currency's DisplayScale decimals (its ISO Scale, but whole dinars for IQD;
// non-zero decimals are never hidden). lang "ar" puts the Arabic symbol after the number
// ("1,234.500 د.ك", or "١٬٢٣٤٫٥٠٠ د.ك" with ArabicIndicDigits); any other lang
// puts the English symbol first with Latin digits ("KD 1,234.500").
// Negative amounts get a leading '-' on the number. Symbol and number are
// separated by an ASCII space.
func (a Amount) Format(lang string, digits Digits) string {
	num, neg := strings.CutPrefix(a.String(), "-")
	intPart, frac, hasFrac := strings.Cut(num, ".")
	// Fewer decimals for a currency read that way (IQD), but only trailing zeros go: an
	// amount with fils keeps all of its ISO decimals rather than being rounded for display.
	if d := int(a.currency.DisplayScale()); hasFrac && d < len(frac) && strings.Trim(frac[d:], "0") == "" {
		frac, hasFrac = frac[:d], d > 0
	}
	num = groupThousands(intPart)
	if hasFrac {
		num += "." + frac
	}
	if neg {
		num = "-" + num
	}
	if lang != "ar" {
		return a.currency.SymbolEN + " " + num
	}
	if digits == ArabicIndicDigits {
		num = arabicIndic.Replace(num)
	}
	return num + " " + a.currency.SymbolAR
}

// groupThousands inserts ',' every three digits from the right of an ASCII digit string.
func groupThousands(digits string) string {
	var b strings.Builder
	for i := 0; i < len(digits); i++ {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteByte(digits[i])
	}
	return b.String()
}
