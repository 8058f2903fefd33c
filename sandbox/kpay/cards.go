package kpay

import (
	"math/big"
	"strings"
)

// testCard is one of the sandbox cards of spec §11.1–§11.2.
type testCard struct {
	brand      string // visa | mastercard | jcb
	code       string // response code: 00 approves; 01, 05, 51 decline; 500 times out
	threeDS    bool   // listed under "3D Secure payments" (§11.1)
	nonThreeDS bool   // listed under "Non-3D Secure payments" (§11.2)
	dcc        string // the card's currency on a Full DCC MID ("" for Thai cards)
}

const (
	visa       = "visa"
	mastercard = "mastercard"
	jcb        = "jcb"
)

var testCards = map[string]testCard{
	// §11.1 3-D Secure, Full Payment MCC and SmartPay (+ DCC)
	"5239620007270264": {mastercard, "00", true, false, "USD"},
	"5404888000072727": {mastercard, "00", true, false, ""},
	"5404888005380836": {mastercard, "00", true, false, ""},
	"5411768003140872": {mastercard, "00", true, false, ""},
	"5411768003141953": {mastercard, "00", true, false, ""},
	"2221000604647064": {mastercard, "01", true, true, ""},
	"5596886582263266": {mastercard, "05", true, true, ""},
	"5149504001969007": {mastercard, "51", true, false, ""},
	"5265434283867885": {mastercard, "51", true, true, ""},
	"4417706600005830": {visa, "00", true, false, "JPY"},
	"3564580000056476": {jcb, "00", true, false, ""},
	// §11.2 Non-3-D Secure, Full Payment MCC and SmartPay (+ DCC)
	"5431289719925031": {mastercard, "00", false, true, ""},
	"5565694828631115": {mastercard, "00", false, true, ""},
	"5363314260912204": {mastercard, "500", false, true, ""},
	"4024007134786226": {visa, "00", false, true, ""},
	"4485169016314923": {visa, "00", false, true, ""},
	"4877300371267473": {visa, "01", false, true, ""},
	"4532741632025415": {visa, "05", false, true, ""},
	"4147602662715373": {visa, "51", false, true, ""},
	"4024007121398514": {visa, "500", false, true, ""},
	"3536353014086177": {jcb, "00", false, true, ""},
	"3540000981507917": {jcb, "01", false, true, ""},
	"3539074482135968": {jcb, "05", false, true, ""},
	"3528730936342392": {jcb, "51", false, true, ""},
	"3532598050794027": {jcb, "500", false, true, ""},
	"5372074248113841": {mastercard, "00", false, true, "USD"},
	"4205203648166408": {visa, "00", false, true, "JPY"},
}

// cardProfile is how the simulator treats a card number.
type cardProfile struct {
	brand   string
	code    string
	threeDS bool
	dcc     string
}

// profile applies the documented rule: a PAN listed only under 3-D Secure
// goes through 3-D Secure, one listed only under non-3-D Secure does not,
// one listed under both follows Config.OverlapNon3DS (default: 3-D Secure);
// any other Visa/Mastercard/JCB number goes through 3-D Secure and is
// approved (like 4242 4242 4242 4242 in the spec's screenshots).
func (s *Simulator) profile(pan string) cardProfile {
	tc, ok := testCards[pan]
	if !ok {
		return cardProfile{brand: cardBrand(pan), code: "00", threeDS: true}
	}
	threeDS := tc.threeDS
	if tc.threeDS && tc.nonThreeDS {
		threeDS = !s.overlapNon
	}
	return cardProfile{brand: tc.brand, code: tc.code, threeDS: threeDS, dcc: tc.dcc}
}

// cardBrand is the brand of a card number by its prefix, "" if K-Pay's card
// form does not take it (UnionPay goes through Redirect, spec §1.6).
func cardBrand(pan string) string {
	if len(pan) < 4 {
		return ""
	}
	p2 := atoiPrefix(pan, 2)
	p4 := atoiPrefix(pan, 4)
	switch {
	case pan[0] == '4':
		return visa
	case p2 >= 51 && p2 <= 55, p4 >= 2221 && p4 <= 2720:
		return mastercard
	case p4 >= 3528 && p4 <= 3589:
		return jcb
	}
	return ""
}

func atoiPrefix(s string, n int) int {
	v := 0
	for i := 0; i < n && i < len(s); i++ {
		v = v*10 + int(s[i]-'0')
	}
	return v
}

// maskPAN is KBank's card_masking: first six, five stars, last four ("441770*****1827").
func maskPAN(pan string) string {
	if len(pan) < 10 {
		return strings.Repeat("*", len(pan))
	}
	return pan[:6] + "*****" + pan[len(pan)-4:]
}

// upperBrand is the brand as the Customer API writes it ("MASTERCARD").
func upperBrand(b string) string { return strings.ToUpper(b) }

const issuerBank = "Kasikornbank Public Company Limited"

// failureMessages are the §9.1 (and §9.2) texts the simulator can emit.
var failureMessages = map[string]string{
	"01":  "Refer to Card Issuer",
	"05":  "Do Not Honor",
	"14":  "Invalid Card Number",
	"17":  "Customer Cancellation",
	"50":  "Failed Authentication",
	"51":  "Insufficient Funds",
	"54":  "Expired Card",
	"55":  "Incorrect PIN",
	"N7":  "Invalid CVV2",
	"500": "Timeout",
}

// dccRate is a Full DCC conversion: Baht per unit of the card's currency.
type dccRate struct {
	rate *big.Rat // THB per unit
	text string   // as shown and sent ("33.560")
	name string   // converted_currency_name
}

// dccRates: 33.560 Baht/USD is the spec's screenshot (§2.3); the JPY rate is a [GUESS].
var dccRates = map[string]dccRate{
	"USD": {big.NewRat(33560, 1000), "33.560", "USD (US Dollar)"},
	"JPY": {big.NewRat(2390, 10000), "0.2390", "JPY (Japanese Yen)"},
}

// convert returns THB cents in the card's currency as text with that
// currency's decimals, rounded half-up.
func (d dccRate) convert(cents int64, currency string) string {
	thb := big.NewRat(cents, 100)
	return ratText(new(big.Rat).Quo(thb, d.rate), isoDecimals[currency])
}

// unionPayCard is one of the §11.3 UnionPay test cards.
type unionPayCard struct {
	network string // TPN (Thai Payment Network) or UPI (UnionPay International)
	cvn     string
	expiry  string // MM/YY
}

var unionPayCards = map[string]unionPayCard{
	"6210947764000027": {"TPN", "456", "10/30"},
	"9100009764000010": {"TPN", "123", "03/25"},
	"9100008764000025": {"TPN", "123", "03/25"},
	"9100009764000015": {"TPN", "123", "03/25"},
	"6250947000000014": {"UPI", "123", "12/33"},
	"6250946000000016": {"UPI", "123", "12/33"},
}

const (
	unionPayPIN = "111111"
	sandboxOTP  = "123456"
)

// unionPaySMS: the merged SMS-code cell of §11.3 read as "111111 on PC or 123456 on mobile".
func unionPaySMS(code string) bool { return code == "111111" || code == "123456" }
