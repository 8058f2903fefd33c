package tap

import "testing"

// Spec §6 test vectors V1–V3.
func TestHashStringVectors(t *testing.T) {
	tests := []struct {
		name, key string
		f         signedFields
		want      string
	}{
		{"V1", "sk_test_secret",
			signedFields{"chg_2", "65.00", "AED", "g", "p", "CAPTURED", "1700000000"},
			"f76d3bf45346f71785f8c2431da6cdba706b7ebcf0d96a19b82172754f014f84"},
		{"V2", "sk_test_secret",
			signedFields{"chg_1", "10.500", "KWD", "g1", "p1", "CAPTURED", "1700000000"},
			"ed5fb54d44f519731d467a58d7c7795616e05e15db3e9da7c2c2c97a3e6970f1"},
		{"V3 seed charge", "sk_test_EXAMPLEKEY0000000000",
			signedFields{"chg_TS05A1320231018Hy56070XXXX", "0.500", "KWD", "202235421476242", "9720221916128348054", "CAPTURED", "1671563769240"},
			"a44ea62f20d44ae74d0a14821ecd9897a3013fd16e168fcf55548863f34ededd"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := hashString(tt.key, tt.f); got != tt.want {
				t.Errorf("hashString = %s, want %s", got, tt.want)
			}
		})
	}
}

// The seed charge, as the simulator holds it, signs to V3: the amount is
// signed with KWD's 3 decimals although its JSON says 0.5.
func TestChargeSignsSeedAsV3(t *testing.T) {
	amount, ok := parseAmount("0.5")
	if !ok {
		t.Fatal("parseAmount(0.5) failed")
	}
	c := &charge{
		ID:          "chg_TS05A1320231018Hy56070XXXX",
		Status:      statusCaptured,
		Amount:      jsonAmount(amount),
		Currency:    currencyKWD,
		Transaction: transaction{Created: "1671563769240"},
		Reference:   reference{Gateway: "202235421476242", Payment: "9720221916128348054"},
		amount:      amount,
	}
	if c.Amount != "0.5" {
		t.Errorf("JSON amount = %s, want 0.5 (seed)", c.Amount)
	}
	const want = "a44ea62f20d44ae74d0a14821ecd9897a3013fd16e168fcf55548863f34ededd"
	if got := hashString("sk_test_EXAMPLEKEY0000000000", c.signedFields()); got != want {
		t.Errorf("hashstring = %s, want %s", got, want)
	}
}
