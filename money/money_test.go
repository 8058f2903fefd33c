package money_test

import (
	"cmp"
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/bawaba/checkout/money"
	"github.com/shopspring/decimal"
)

func TestLookupCurrency(t *testing.T) {
	t.Parallel()
	tests := []money.Currency{
		{Code: "KWD", Scale: 3, SymbolEN: "KD", SymbolAR: "\u062f.\u0643"},
		{Code: "BHD", Scale: 3, SymbolEN: "BD", SymbolAR: "\u062f.\u0628"},
		{Code: "OMR", Scale: 3, SymbolEN: "OMR", SymbolAR: "\u0631.\u0639."},
		{Code: "JOD", Scale: 3, SymbolEN: "JD", SymbolAR: "\u062f.\u0623"},
		{Code: "IQD", Scale: 3, SymbolEN: "IQD", SymbolAR: "\u062f.\u0639"},
		{Code: "TND", Scale: 3, SymbolEN: "DT", SymbolAR: "\u062f.\u062a"},
		{Code: "LYD", Scale: 3, SymbolEN: "LD", SymbolAR: "\u062f.\u0644"},
		{Code: "SAR", Scale: 2, SymbolEN: "SAR", SymbolAR: "\u0631.\u0633"},
		{Code: "AED", Scale: 2, SymbolEN: "AED", SymbolAR: "\u062f.\u0625"},
		{Code: "QAR", Scale: 2, SymbolEN: "QAR", SymbolAR: "\u0631.\u0642"},
		{Code: "EGP", Scale: 2, SymbolEN: "EGP", SymbolAR: "\u062c.\u0645"},
		{Code: "THB", Scale: 2, SymbolEN: "THB", SymbolAR: "\u0628\u0627\u062a"},
		{Code: "USD", Scale: 2, SymbolEN: "USD", SymbolAR: "\u062f\u0648\u0644\u0627\u0631"},
		{Code: "EUR", Scale: 2, SymbolEN: "EUR", SymbolAR: "\u064a\u0648\u0631\u0648"},
		{Code: "GBP", Scale: 2, SymbolEN: "GBP", SymbolAR: "\u062c\u0646\u064a\u0647"},
		{Code: "CNY", Scale: 2, SymbolEN: "CNY", SymbolAR: "\u064a\u0648\u0627\u0646"},
		{Code: "JPY", Scale: 0, SymbolEN: "JPY", SymbolAR: "\u064a\u0646"},
		{Code: "KRW", Scale: 0, SymbolEN: "KRW", SymbolAR: "\u0648\u0648\u0646"},
	}
	for _, want := range tests {
		t.Run(want.Code, func(t *testing.T) {
			got, ok := money.LookupCurrency(want.Code)
			if !ok || got != want {
				t.Errorf("LookupCurrency(%q) = %+v, %v; want %+v, true", want.Code, got, ok, want)
			}
		})
	}
	for _, code := range []string{"", "kwd", "Kwd", " KWD", "KWD ", "XXX", "KW"} {
		if c, ok := money.LookupCurrency(code); ok {
			t.Errorf("LookupCurrency(%q) = %+v, true; want not found", code, c)
		}
	}
}

func TestCurrencies(t *testing.T) {
	t.Parallel()
	list := money.Currencies()
	if len(list) < 18 {
		t.Fatalf("Currencies() has %d entries, want at least 18", len(list))
	}
	if !slices.IsSortedFunc(list, func(a, b money.Currency) int { return cmp.Compare(a.Code, b.Code) }) {
		t.Errorf("Currencies() not sorted by code: %v", list)
	}
	for _, c := range list {
		if got, ok := money.LookupCurrency(c.Code); !ok || got != c {
			t.Errorf("LookupCurrency(%q) = %+v, %v; want %+v", c.Code, got, ok, c)
		}
	}
	list[0].Scale = 99
	if money.Currencies()[0].Scale == 99 {
		t.Error("Currencies() shares its backing array with the caller")
	}
}

func TestParseRoundTrip(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, code, str string
		minor         int64
	}{
		{"6.000", "KWD", "6.000", 6000},
		{"6", "KWD", "6.000", 6000},
		{"0.5", "KWD", "0.500", 500},
		{"12.345", "BHD", "12.345", 12345},
		{"0.001", "OMR", "0.001", 1},
		{"25.5", "JOD", "25.500", 25500},
		{"1500", "IQD", "1500.000", 1500000},
		{"3.14", "TND", "3.140", 3140},
		{"10.010", "LYD", "10.010", 10010},
		{"65", "SAR", "65.00", 6500},
		{"65.00", "AED", "65.00", 6500},
		{"0.01", "QAR", "0.01", 1},
		{"199.9", "EGP", "199.90", 19990},
		{"65.00", "THB", "65.00", 6500},
		{"007.50", "USD", "7.50", 750},
		{"1234.56", "EUR", "1234.56", 123456},
		{"0.99", "GBP", "0.99", 99},
		{"88.8", "CNY", "88.80", 8880},
		{"1500", "JPY", "1500", 1500},
		{"1", "KRW", "1", 1},
	}
	for _, tt := range tests {
		t.Run(tt.code+"/"+tt.in, func(t *testing.T) {
			a, err := money.Parse(tt.in, tt.code)
			if err != nil {
				t.Fatalf("Parse(%q, %q): %v", tt.in, tt.code, err)
			}
			if got := a.String(); got != tt.str {
				t.Errorf("String() = %q, want %q", got, tt.str)
			}
			if got := a.Minor(); got != tt.minor {
				t.Errorf("Minor() = %d, want %d", got, tt.minor)
			}
			if got := a.Currency().Code; got != tt.code {
				t.Errorf("Currency().Code = %q, want %q", got, tt.code)
			}
			if !a.IsPositive() || a.IsZero() {
				t.Errorf("IsPositive() = %v, IsZero() = %v; want true, false", a.IsPositive(), a.IsZero())
			}
			b, err := money.FromMinor(tt.minor, tt.code)
			if err != nil {
				t.Fatalf("FromMinor(%d, %q): %v", tt.minor, tt.code, err)
			}
			if !b.Equal(a) || b.String() != tt.str {
				t.Errorf("FromMinor(%d, %q) = %s, want %s", tt.minor, tt.code, b, a)
			}
			c, err := money.Parse(a.String(), tt.code)
			if err != nil || !c.Equal(a) {
				t.Errorf("Parse(String()) = %s, %v; want %s", c, err, a)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, code string
		want     error
	}{
		{"6", "XXX", money.ErrUnknownCurrency},
		{"6", "kwd", money.ErrUnknownCurrency},
		{"6", "", money.ErrUnknownCurrency},
		{"", "KWD", money.ErrSyntax},
		{".5", "KWD", money.ErrSyntax},
		{"6.", "KWD", money.ErrSyntax},
		{".", "KWD", money.ErrSyntax},
		{"+6", "KWD", money.ErrSyntax},
		{"-6", "KWD", money.ErrSyntax},
		{"\u22126", "KWD", money.ErrSyntax},
		{"1e3", "KWD", money.ErrSyntax},
		{"1E3", "KWD", money.ErrSyntax},
		{"6,000", "KWD", money.ErrSyntax},
		{"6,5", "KWD", money.ErrSyntax},
		{" 6", "KWD", money.ErrSyntax},
		{"6 ", "KWD", money.ErrSyntax},
		{"6\n", "KWD", money.ErrSyntax},
		{"6.0.0", "KWD", money.ErrSyntax},
		{"NaN", "KWD", money.ErrSyntax},
		{"Infinity", "KWD", money.ErrSyntax},
		{"0x10", "KWD", money.ErrSyntax},
		{"1_000", "KWD", money.ErrSyntax},
		{"\u0666", "KWD", money.ErrSyntax},             // ٦
		{"\u0666\u066b\u0665", "KWD", money.ErrSyntax}, // ٦٫٥
		{"\u06f6", "KWD", money.ErrSyntax},             // Extended Arabic-Indic ۶
		{"\uff16", "KWD", money.ErrSyntax},             // fullwidth ６
		{"6.0001", "KWD", money.ErrTooManyDecimals},
		{"6.0000", "KWD", money.ErrTooManyDecimals},
		{"0.0000", "KWD", money.ErrTooManyDecimals},
		{"1.999", "USD", money.ErrTooManyDecimals},
		{"1.5", "JPY", money.ErrTooManyDecimals},
		{"1.0", "JPY", money.ErrTooManyDecimals},
		{"0", "KWD", money.ErrNotPositive},
		{"0.000", "KWD", money.ErrNotPositive},
		{"000", "JPY", money.ErrNotPositive},
		{"1000000000", "KWD", money.ErrTooLarge},
		{"1000000000.000", "KWD", money.ErrTooLarge},
		{"1000000000.01", "USD", money.ErrTooLarge},
		{"99999999999999999999999999", "JPY", money.ErrTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.code+"/"+tt.in, func(t *testing.T) {
			a, err := money.Parse(tt.in, tt.code)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Parse(%q, %q) = %s, %v; want error %v", tt.in, tt.code, a, err, tt.want)
			}
			if err.Error() == tt.want.Error() {
				t.Errorf("error %q carries no detail", err)
			}
		})
	}
}

func TestParseBoundaries(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, code string
		ok       bool
	}{
		{"999999999.999", "KWD", true},
		{"999999999.99", "USD", true},
		{"999999999", "JPY", true},
		{"0.001", "KWD", true},
		{"0.01", "USD", true},
		{"1", "JPY", true},
		{"1000000000.000", "KWD", false},
		{"1000000000.00", "USD", false},
		{"1000000000", "JPY", false},
	}
	for _, tt := range tests {
		_, err := money.Parse(tt.in, tt.code)
		if (err == nil) != tt.ok {
			t.Errorf("Parse(%q, %q) error = %v, want ok %v", tt.in, tt.code, err, tt.ok)
		}
	}
}

func TestNew(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		d       decimal.Decimal
		code    string
		want    string
		wantErr error
	}{
		{"zero", decimal.Zero, "KWD", "0.000", nil},
		{"negative refund", decimal.New(-1500, -3), "KWD", "-1.500", nil},
		{"trailing zeros within scale", decimal.New(6500, -3), "KWD", "6.500", nil},
		{"fewer decimals than scale", decimal.New(65, -1), "KWD", "6.500", nil},
		{"insignificant zeros beyond scale", decimal.New(65000000, -7), "KWD", "6.500", nil},
		{"positive exponent", decimal.New(15, 2), "JPY", "1500", nil},
		{"zero scale with zero decimals", decimal.New(1500000, -3), "JPY", "1500", nil},
		{"just under limit", decimal.New(999_999_999_999_999, -3), "KWD", "999999999999.999", nil},
		{"negative just under limit", decimal.New(-999_999_999_999, 0), "JPY", "-999999999999", nil},
		{"significant decimal beyond scale", decimal.New(65001, -4), "KWD", "", money.ErrTooManyDecimals},
		{"half yen", decimal.New(15, -1), "JPY", "", money.ErrTooManyDecimals},
		{"limit", decimal.New(1, 12), "KWD", "", money.ErrTooLarge},
		{"negative limit", decimal.New(-1, 12), "KWD", "", money.ErrTooLarge},
		{"huge", decimal.New(1, 30), "USD", "", money.ErrTooLarge},
		{"unknown currency", decimal.New(1, 0), "XYZ", "", money.ErrUnknownCurrency},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := money.New(tt.d, tt.code)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("New(%s, %q) error = %v, want %v", tt.d, tt.code, err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if got := a.String(); got != tt.want {
				t.Errorf("New(%s, %q) = %q, want %q", tt.d, tt.code, got, tt.want)
			}
			if !a.Decimal().Equal(tt.d) {
				t.Errorf("Decimal() = %s, want %s", a.Decimal(), tt.d)
			}
		})
	}
}

func TestFromMinorAndZero(t *testing.T) {
	t.Parallel()
	tests := []struct {
		minor   int64
		code    string
		want    string
		wantErr error
	}{
		{6000, "KWD", "6.000", nil},
		{5, "KWD", "0.005", nil},
		{-1000, "KWD", "-1.000", nil},
		{6500, "THB", "65.00", nil},
		{1500, "JPY", "1500", nil},
		{999_999_999_999_999, "KWD", "999999999999.999", nil},
		{1_000_000_000_000_000, "KWD", "", money.ErrTooLarge},
		{math.MaxInt64, "JPY", "", money.ErrTooLarge},
		{math.MinInt64, "USD", "", money.ErrTooLarge},
		{1, "XXX", "", money.ErrUnknownCurrency},
	}
	for _, tt := range tests {
		a, err := money.FromMinor(tt.minor, tt.code)
		if !errors.Is(err, tt.wantErr) {
			t.Errorf("FromMinor(%d, %q) error = %v, want %v", tt.minor, tt.code, err, tt.wantErr)
			continue
		}
		if err == nil && (a.String() != tt.want || a.Minor() != tt.minor) {
			t.Errorf("FromMinor(%d, %q) = %q (minor %d), want %q", tt.minor, tt.code, a, a.Minor(), tt.want)
		}
	}

	z, err := money.Zero("KWD")
	if err != nil || !z.IsZero() || z.IsPositive() || z.String() != "0.000" || z.Currency().Code != "KWD" {
		t.Errorf("Zero(KWD) = %q (%+v), %v", z, z.Currency(), err)
	}
	if _, err := money.Zero("kwd"); !errors.Is(err, money.ErrUnknownCurrency) {
		t.Errorf("Zero(kwd) error = %v, want ErrUnknownCurrency", err)
	}
}

func TestMustParse(t *testing.T) {
	t.Parallel()
	if got := money.MustParse("6.5", "KWD").String(); got != "6.500" {
		t.Errorf("MustParse = %q, want 6.500", got)
	}
	defer func() {
		if recover() == nil {
			t.Error("MustParse(\"6.0001\", \"KWD\") did not panic")
		}
	}()
	money.MustParse("6.0001", "KWD")
}

func TestAddSub(t *testing.T) {
	t.Parallel()
	kwd := func(s string) money.Amount { return money.MustParse(s, "KWD") }
	nearMax := kwd("999999999.999")
	tests := []struct {
		name     string
		op       func(a, b money.Amount) (money.Amount, error)
		a, b     money.Amount
		want     string
		wantErr  error
		wantCode string
	}{
		{"add", money.Amount.Add, kwd("6.5"), kwd("0.001"), "6.501", nil, "KWD"},
		{"sub", money.Amount.Sub, kwd("6.5"), kwd("0.5"), "6.000", nil, "KWD"},
		{"sub to zero", money.Amount.Sub, kwd("6.5"), kwd("6.500"), "0.000", nil, "KWD"},
		{"sub to negative", money.Amount.Sub, kwd("1"), kwd("2.5"), "-1.500", nil, "KWD"},
		{"add past MaxMajor is fine", money.Amount.Add, nearMax, nearMax, "1999999999.998", nil, "KWD"},
		{"add mismatch", money.Amount.Add, kwd("1"), money.MustParse("1", "BHD"), "", money.ErrCurrencyMismatch, ""},
		{"sub mismatch", money.Amount.Sub, money.MustParse("1", "USD"), money.MustParse("1", "EUR"), "", money.ErrCurrencyMismatch, ""},
		{"add to zero Amount", money.Amount.Add, money.Amount{}, kwd("1"), "", money.ErrCurrencyMismatch, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.op(tt.a, tt.b)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("%s(%s, %s) error = %v, want %v", tt.name, tt.a, tt.b, err, tt.wantErr)
			}
			if err == nil && (got.String() != tt.want || got.Currency().Code != tt.wantCode) {
				t.Errorf("%s(%s, %s) = %s %s, want %s %s", tt.name, tt.a, tt.b, got.Currency().Code, got, tt.wantCode, tt.want)
			}
		})
	}

	// Repeated addition eventually crosses the overflow guard instead of wrapping.
	sum := nearMax
	var err error
	for range 1001 {
		if sum, err = sum.Add(nearMax); err != nil {
			break
		}
	}
	if !errors.Is(err, money.ErrTooLarge) {
		t.Errorf("1001 additions of %s: err = %v, want ErrTooLarge", nearMax, err)
	}
}

func TestMulInt(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a       money.Amount
		n       int64
		want    string
		wantErr error
	}{
		{money.MustParse("6.5", "KWD"), 3, "19.500", nil},
		{money.MustParse("0.001", "KWD"), 1000, "1.000", nil},
		{money.MustParse("65", "THB"), 0, "0.00", nil},
		{money.MustParse("65", "THB"), -2, "-130.00", nil},
		{money.MustParse("1500", "JPY"), 12, "18000", nil},
		{money.MustParse("999999999.999", "KWD"), 1000, "999999999999.000", nil},
		{money.MustParse("999999999.999", "KWD"), 1001, "", money.ErrTooLarge},
		{money.MustParse("0.01", "USD"), math.MaxInt64, "", money.ErrTooLarge},
		{money.MustParse("0.01", "USD"), math.MinInt64, "", money.ErrTooLarge},
	}
	for _, tt := range tests {
		got, err := tt.a.MulInt(tt.n)
		if !errors.Is(err, tt.wantErr) {
			t.Errorf("%s.MulInt(%d) error = %v, want %v", tt.a, tt.n, err, tt.wantErr)
			continue
		}
		if err == nil && (got.String() != tt.want || !got.SameCurrency(tt.a)) {
			t.Errorf("%s.MulInt(%d) = %s %s, want %s", tt.a, tt.n, got.Currency().Code, got, tt.want)
		}
	}
}

func TestCmpEqual(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                string
		a, b                money.Amount
		cmp                 int
		sameCurrency, equal bool
	}{
		{"less", money.MustParse("1", "KWD"), money.MustParse("1.001", "KWD"), -1, true, false},
		{"greater", money.MustParse("2", "KWD"), money.MustParse("1.999", "KWD"), 1, true, false},
		{"equal", money.MustParse("6.5", "KWD"), money.MustParse("6.500", "KWD"), 0, true, true},
		{"equal via New", money.MustParse("6.5", "KWD"), mustNew(t, decimal.New(65, -1), "KWD"), 0, true, true},
		{"same value other currency", money.MustParse("1.00", "USD"), money.MustParse("1.00", "EUR"), 0, false, false},
		{"other currency greater", money.MustParse("2", "USD"), money.MustParse("1", "EUR"), 1, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.a.Cmp(tt.b); got != tt.cmp {
				t.Errorf("Cmp = %d, want %d", got, tt.cmp)
			}
			if got := tt.b.Cmp(tt.a); got != -tt.cmp {
				t.Errorf("reverse Cmp = %d, want %d", got, -tt.cmp)
			}
			if got := tt.a.SameCurrency(tt.b); got != tt.sameCurrency {
				t.Errorf("SameCurrency = %v, want %v", got, tt.sameCurrency)
			}
			if got := tt.a.Equal(tt.b); got != tt.equal {
				t.Errorf("Equal = %v, want %v", got, tt.equal)
			}
		})
	}
}

func mustNew(t *testing.T, d decimal.Decimal, code string) money.Amount {
	t.Helper()
	a, err := money.New(d, code)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestFormat(t *testing.T) {
	t.Parallel()
	const kd = "\u062f.\u0643" // د.ك
	tests := []struct {
		amount, code string
		negate       bool
		lang         string
		digits       money.Digits
		want         string
	}{
		{"6", "KWD", false, "en", money.LatinDigits, "KD 6.000"},
		{"6", "KWD", false, "ar", money.LatinDigits, "6.000 " + kd},
		{"6", "KWD", false, "ar", money.ArabicIndicDigits, "\u0666\u066b\u0660\u0660\u0660 " + kd},
		{"0.5", "KWD", false, "en", money.LatinDigits, "KD 0.500"},
		{"999", "KWD", false, "en", money.LatinDigits, "KD 999.000"},
		{"1234.5", "KWD", false, "en", money.LatinDigits, "KD 1,234.500"},
		{"1234.5", "KWD", false, "ar", money.LatinDigits, "1,234.500 " + kd},
		{"1234.5", "KWD", false, "ar", money.ArabicIndicDigits, "١٬٢٣٤٫٥٠٠ د.ك"},
		{"123456", "KWD", false, "en", money.LatinDigits, "KD 123,456.000"},
		{"1234567", "KWD", false, "en", money.LatinDigits, "KD 1,234,567.000"},
		{"1234567.089", "KWD", false, "ar", money.ArabicIndicDigits, "١٬٢٣٤٬٥٦٧٫٠٨٩ د.ك"},
		{"999999999.999", "BHD", false, "en", money.LatinDigits, "BD 999,999,999.999"},
		{"65", "THB", false, "en", money.LatinDigits, "THB 65.00"},
		{"65", "THB", false, "ar", money.LatinDigits, "65.00 بات"},
		{"1500", "SAR", false, "ar", money.ArabicIndicDigits, "١٬٥٠٠٫٠٠ ر.س"},
		{"1500", "JPY", false, "en", money.LatinDigits, "JPY 1,500"},
		{"1500", "JPY", false, "ar", money.ArabicIndicDigits, "١٬٥٠٠ ين"},
		{"1234567", "KRW", false, "ar", money.LatinDigits, "1,234,567 وون"},
		{"7", "JPY", false, "en", money.LatinDigits, "JPY 7"},
		{"15000", "IQD", false, "en", money.LatinDigits, "IQD 15,000"}, // whole dinars, as Iraqis read prices
		{"15000", "IQD", false, "ar", money.LatinDigits, "15,000 د.ع"},
		{"15000.250", "IQD", false, "en", money.LatinDigits, "IQD 15,000.250"}, // fils are never hidden
		{"0.5", "IQD", false, "en", money.LatinDigits, "IQD 0.500"},
		{"6", "KWD", false, "en", money.ArabicIndicDigits, "KD 6.000"},
		{"6", "KWD", false, "fr", money.ArabicIndicDigits, "KD 6.000"},
		{"6", "KWD", false, "", money.LatinDigits, "KD 6.000"},
		{"1", "KWD", true, "en", money.LatinDigits, "KD -1.000"},
		{"1", "KWD", true, "ar", money.LatinDigits, "-1.000 " + kd},
		{"1234", "KWD", true, "ar", money.ArabicIndicDigits, "-١٬٢٣٤٫٠٠٠ د.ك"},
		{"1234", "JPY", true, "en", money.LatinDigits, "JPY -1,234"},
	}
	for _, tt := range tests {
		a := money.MustParse(tt.amount, tt.code)
		if tt.negate {
			var err error
			if a, err = a.MulInt(-1); err != nil {
				t.Fatal(err)
			}
		}
		if got := a.Format(tt.lang, tt.digits); got != tt.want {
			t.Errorf("%s %s Format(%q, %d) = %q, want %q", tt.code, a, tt.lang, tt.digits, got, tt.want)
		}
	}
}

func FuzzParseRoundTrip(f *testing.F) {
	for _, seed := range []struct{ s, code string }{
		{"6.000", "KWD"}, {"0.5", "KWD"}, {"999999999.999", "KWD"}, {"1000000000", "KWD"},
		{"65.00", "THB"}, {"1500", "JPY"}, {"1.5", "JPY"}, {"007", "USD"},
		{".5", "KWD"}, {"1e3", "KWD"}, {"-6", "KWD"}, {"٦", "KWD"}, {"6", "kwd"},
	} {
		f.Add(seed.s, seed.code)
	}
	sentinels := []error{money.ErrUnknownCurrency, money.ErrSyntax, money.ErrTooManyDecimals, money.ErrNotPositive, money.ErrTooLarge}
	f.Fuzz(func(t *testing.T, s, code string) {
		a, err := money.Parse(s, code)
		if err != nil {
			if !slices.ContainsFunc(sentinels, func(e error) bool { return errors.Is(err, e) }) {
				t.Fatalf("Parse(%q, %q) error %v wraps no sentinel", s, code, err)
			}
			return
		}
		if !a.IsPositive() || a.Currency().Code != code {
			t.Fatalf("Parse(%q, %q) = %s %s, want positive in %s", s, code, a.Currency().Code, a, code)
		}
		b, err := money.FromMinor(a.Minor(), code)
		if err != nil || !b.Equal(a) {
			t.Fatalf("FromMinor(%d, %q) = %s, %v; want %s", a.Minor(), code, b, err, a)
		}
		c, err := money.Parse(a.String(), code)
		if err != nil || !c.Equal(a) || c.String() != a.String() {
			t.Fatalf("Parse(%q, %q) = %s, %v; want %s", a.String(), code, c, err, a)
		}
	})
}
