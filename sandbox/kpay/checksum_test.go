package kpay

import (
	"testing"
)

// The spec's own secret key (§6.2): only this spelling reproduces its hash.
const specSecret = "skey_prod_41Bbw6At8dJjVyKV3ZaXghhLpRro5oAtR"

func TestChecksumWorkedExample(t *testing.T) {
	// §6.2: {"id":"chrg_prod_12345678","amount":15,"currency":"THB","status":"success","transaction_state":"Authorized",…}
	got := checksum("chrg_prod_12345678", amount4(1500), "THB", "success", "Authorized", specSecret)
	if want := "cc1152742bc4a1169341f8fee95baf2d5886510d577fa95e751cdc6c29162a3a"; got != want {
		t.Fatalf("checksum = %s, want %s", got, want)
	}
}

func TestChecksumVectors(t *testing.T) {
	// §6.3 extra vectors (normative formula).
	for _, tc := range []struct {
		cents         int64
		status, state string
		want          string
	}{
		{20050, "success", "Authorized", "7962a2a92d54955b79f0ffbc24d0a8a03529d1d5927c56cbf9b8609f85d2e1e1"},
		{20050, "fail", "Declined", "62c44d2888ca93d953b259e418246045d49719b85ad7ec3d9c23c9af5b456942"},
	} {
		if got := checksum("chrg_prod_12345678", amount4(tc.cents), "THB", tc.status, tc.state, specSecret); got != tc.want {
			t.Errorf("%d %s %s: %s, want %s", tc.cents, tc.status, tc.state, got, tc.want)
		}
	}
}

func TestChecksumOneCharacterChangeFails(t *testing.T) {
	want := "cc1152742bc4a1169341f8fee95baf2d5886510d577fa95e751cdc6c29162a3a"
	for name, got := range map[string]string{
		"id":       checksum("chrg_prod_12345679", "15.0000", "THB", "success", "Authorized", specSecret),
		"amount":   checksum("chrg_prod_12345678", "15.0001", "THB", "success", "Authorized", specSecret),
		"amount3":  checksum("chrg_prod_12345678", "15.000", "THB", "success", "Authorized", specSecret),
		"currency": checksum("chrg_prod_12345678", "15.0000", "THb", "success", "Authorized", specSecret),
		"status":   checksum("chrg_prod_12345678", "15.0000", "THB", "Success", "Authorized", specSecret),
		"state":    checksum("chrg_prod_12345678", "15.0000", "THB", "success", "Authorised", specSecret),
		"key (OCR spelling ZaXggh)": checksum("chrg_prod_12345678", "15.0000", "THB", "success", "Authorized",
			"skey_prod_41Bbw6At8dJjVyKV3ZaXgghLpRro5oAtR"),
	} {
		if got == want {
			t.Errorf("changing the %s still verifies", name)
		}
	}
}

func TestAmountText(t *testing.T) {
	for _, tc := range []struct {
		in      string
		cents   int64
		why     amountError
		json4   string
		display string
	}{
		{"15", 1500, amountOK, "15.0000", "15.00"},
		{"200.50", 20050, amountOK, "200.5000", "200.50"},
		{"200.5", 20050, amountOK, "200.5000", "200.50"},
		{"1.0", 100, amountOK, "1.0000", "1.00"},
		{"6.120", 612, amountOK, "6.1200", "6.12"},
		{"1234567.89", 123456789, amountOK, "1234567.8900", "1,234,567.89"},
		{"9999999999.99", 999999999999, amountOK, "9999999999.9900", "9,999,999,999.99"},
		{"0", 0, amountNotPositive, "", ""},
		{"0.00", 0, amountNotPositive, "", ""},
		{"12.345", 0, amountMalformed, "", ""},
		{"-1", 0, amountMalformed, "", ""},
		{"1e2", 0, amountMalformed, "", ""},
		{".5", 0, amountMalformed, "", ""},
		{"5.", 0, amountMalformed, "", ""},
		{"12345678901", 0, amountMalformed, "", ""},
		{"abc", 0, amountMalformed, "", ""},
	} {
		c, why := parseAmount(tc.in)
		if why != tc.why || c != tc.cents {
			t.Errorf("parseAmount(%q) = %d, %d; want %d, %d", tc.in, c, why, tc.cents, tc.why)
			continue
		}
		if why == amountOK {
			if got := amount4(c); got != tc.json4 {
				t.Errorf("amount4(%d) = %s, want %s", c, got, tc.json4)
			}
			if got := displayAmount(c, "THB"); got != tc.display {
				t.Errorf("displayAmount(%d) = %s, want %s", c, got, tc.display)
			}
		}
	}
	if got := displayAmount(612, "KWD"); got != "6.120" {
		t.Errorf("KWD shows %s, want 6.120 (3 decimals)", got)
	}
	if got := displayAmount(100000, "JPY"); got != "1,000" {
		t.Errorf("JPY shows %s, want 1,000", got)
	}
	if got := jsonAmount(100000, "JPY"); got != "1000" {
		t.Errorf("JPY JSON %s, want 1000", got)
	}
	if got := jsonAmount(20050, "THB"); got != "200.50" {
		t.Errorf("THB JSON %s, want 200.50", got)
	}
}

func TestDCCConversion(t *testing.T) {
	// 1.00 THB at 33.560 Baht/USD (the spec's screenshot) is 0.0298 → 0.03 USD.
	if got := dccRates["USD"].convert(100, "USD"); got != "0.03" {
		t.Errorf("1.00 THB = %s USD, want 0.03", got)
	}
	if got := dccRates["USD"].convert(100000, "USD"); got != "29.80" {
		t.Errorf("1000.00 THB = %s USD, want 29.80", got)
	}
	if got := dccRates["JPY"].convert(100000, "JPY"); got != "4184" {
		t.Errorf("1000.00 THB = %s JPY, want 4184", got)
	}
}
