package money

import (
	"cmp"
	"slices"
)

// Currency describes an ISO 4217 currency and how checkout displays it.
type Currency struct {
	Code     string // ISO 4217 alphabetic code, e.g. "KWD"
	Scale    int32  // ISO 4217 minor units: KWD 3, THB 2, JPY 0
	SymbolEN string // symbol shown in English, e.g. "KD"
	SymbolAR string // symbol shown in Arabic, e.g. "د.ك"
}

var currencies = map[string]Currency{
	// Three minor units.
	"BHD": {Code: "BHD", Scale: 3, SymbolEN: "BD", SymbolAR: "د.ب"},
	"IQD": {Code: "IQD", Scale: 3, SymbolEN: "IQD", SymbolAR: "د.ع"},
	"JOD": {Code: "JOD", Scale: 3, SymbolEN: "JD", SymbolAR: "د.أ"},
	"KWD": {Code: "KWD", Scale: 3, SymbolEN: "KD", SymbolAR: "د.ك"},
	"LYD": {Code: "LYD", Scale: 3, SymbolEN: "LD", SymbolAR: "د.ل"},
	"OMR": {Code: "OMR", Scale: 3, SymbolEN: "OMR", SymbolAR: "ر.ع."},
	"TND": {Code: "TND", Scale: 3, SymbolEN: "DT", SymbolAR: "د.ت"},
	// Two minor units.
	"AED": {Code: "AED", Scale: 2, SymbolEN: "AED", SymbolAR: "د.إ"},
	"CNY": {Code: "CNY", Scale: 2, SymbolEN: "CNY", SymbolAR: "يوان"},
	"EGP": {Code: "EGP", Scale: 2, SymbolEN: "EGP", SymbolAR: "ج.م"},
	"EUR": {Code: "EUR", Scale: 2, SymbolEN: "EUR", SymbolAR: "يورو"},
	"GBP": {Code: "GBP", Scale: 2, SymbolEN: "GBP", SymbolAR: "جنيه"},
	"QAR": {Code: "QAR", Scale: 2, SymbolEN: "QAR", SymbolAR: "ر.ق"},
	"SAR": {Code: "SAR", Scale: 2, SymbolEN: "SAR", SymbolAR: "ر.س"},
	"THB": {Code: "THB", Scale: 2, SymbolEN: "THB", SymbolAR: "بات"},
	"USD": {Code: "USD", Scale: 2, SymbolEN: "USD", SymbolAR: "دولار"},
	// No minor units.
	"JPY": {Code: "JPY", Scale: 0, SymbolEN: "JPY", SymbolAR: "ين"},
	"KRW": {Code: "KRW", Scale: 0, SymbolEN: "KRW", SymbolAR: "وون"},
}

// displayScales are the currencies shown with fewer decimals than their ISO 4217 minor unit,
// because that is how their shoppers read prices. The Iraqi dinar's ISO minor unit is 3
// (fils), but fils have not circulated for decades and every Iraqi price is whole dinars:
// "15,000 IQD", never "15,000.000 IQD". Amounts keep their ISO scale everywhere else (parsing,
// storage, gateways); only Format uses this.
var displayScales = map[string]int32{"IQD": 0}

// DisplayScale is the number of decimals Format shows for the currency: its ISO 4217 Scale
// unless displayScales says otherwise. Format never hides a non-zero digit to honour it.
func (c Currency) DisplayScale() int32 {
	if d, ok := displayScales[c.Code]; ok && d < c.Scale {
		return d
	}
	return c.Scale
}

// LookupCurrency returns the currency with the given ISO 4217 code.
// The code must match exactly, in upper case ("KWD", not "kwd").
func LookupCurrency(code string) (Currency, bool) {
	c, ok := currencies[code]
	return c, ok
}

// Currencies returns every supported currency, sorted by code.
// The slice is a fresh copy that the caller may modify.
func Currencies() []Currency {
	list := make([]Currency, 0, len(currencies))
	for _, c := range currencies {
		list = append(list, c)
	}
	slices.SortFunc(list, func(a, b Currency) int { return cmp.Compare(a.Code, b.Code) })
	return list
}
