package knet

import (
	"crypto/rand"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/bawaba/checkout/sandbox/internal/simkit"
)

// Transaction results (spec §4.1, §5).
const (
	resultCaptured    = "CAPTURED"
	resultNotCaptured = "NOT CAPTURED"
	resultCanceled    = "CANCELED"
	resultHostTimeout = "HOST TIMEOUT"
	resultDenied      = "DENIED BY RISK"
)

// Test cards (spec §7, §9.2). The first two follow the magic-expiry rule; the
// others are the simulator's special cards, whatever their expiry.
const (
	cardTest1       = "8888880000000001"
	cardTest2       = "8888880000000002"
	cardHostTimeout = "8888880000000003"
	cardDenied      = "8888880000000004"
)

// state is where a payment stands.
type state int

const (
	stateCard       state = iota // the card page
	stateConfirm                 // card details accepted, waiting for Confirm
	stateProcessing              // result decided, notification handshake in flight
	stateDone                    // handshake finished (receiptURL set, or voided)
	stateExpired                 // time limit passed before a result
)

// kuwait is the zone of KNET's postdate.
var kuwait = time.FixedZone("AST", 3*60*60)

// payment is one paymentInit and what became of it.
type payment struct {
	paymentID   string
	trackID     string
	amt         int64 // fils (1/1000 KWD)
	lang        string
	responseURL string
	errorURL    string
	udf         [5]string
	created     time.Time
	state       state

	// What the shopper entered (card page, kept for Back; never the PIN).
	bank, card, month, year string
	pending                 string // result decided at Submit, applied at Confirm

	// The outcome.
	result      string
	tranID, ref string
	auth        string // auth code as notified ("" unless CAPTURED)
	issuerAuth  string // auth code the issuer finally gave (HOST TIMEOUT: shown by inquiry)
	postdate    string
	respCode    string // authResponseCode
	voided      bool   // auto-void after a failed handshake
	voidCode    string // IPAY0100249 or IPAY0200014
	receiptURL  string
	refunded    int64     // fils refunded so far
	settleAt    time.Time // HOST TIMEOUT: when inquiries start showing the late approval
}

// expireIfDue moves an unfinished payment past the time limit to stateExpired.
func (p *payment) expireIfDue(now time.Time) {
	if (p.state == stateCard || p.state == stateConfirm) && now.Sub(p.created) >= SessionTimeout {
		p.state = stateExpired
	}
}

// captured reports whether money is (still) taken: CAPTURED, or HOST TIMEOUT
// that the issuer approved, and not auto-voided.
func (p *payment) captured() bool {
	return (p.result == resultCaptured || p.result == resultHostTimeout) && !p.voided
}

// decide is the test environment's rule (spec §7): the two test cards are
// CAPTURED with the magic expiry and NOT CAPTURED with any other; card …0003
// is HOST TIMEOUT, …0004 DENIED BY RISK; any other card is NOT CAPTURED.
func (s *Simulator) decide(card string, month, year int) string {
	switch card {
	case cardTest1, cardTest2:
		if month == s.magicMonth && year == s.magicYear {
			return resultCaptured
		}
		return resultNotCaptured
	case cardHostTimeout:
		return resultHostTimeout
	case cardDenied:
		return resultDenied
	}
	return resultNotCaptured
}

// finish records result at now with fresh PG identifiers; the caller holds s.mu.
func (s *Simulator) finish(p *payment, result string, now time.Time) {
	p.result = result
	p.state = stateProcessing
	if result == resultHostTimeout {
		p.settleAt = now.Add(s.hostSettle)
	}
	if result == resultCanceled { // manual §5 CANCELED sample: no tranid, ref, postdate
		return
	}
	p.tranID = s.uniqueID(16, func(id string) bool { return s.byTranID[id] == nil })
	p.ref = s.uniqueID(12, func(id string) bool { return s.byRef[id] == nil })
	s.byTranID[p.tranID] = p
	s.byRef[p.ref] = p
	p.postdate = now.In(kuwait).Format("0102")
	switch result {
	case resultCaptured:
		p.auth = randomDigits(6)
		p.issuerAuth = p.auth
		p.respCode = "00"
	case resultHostTimeout:
		p.issuerAuth = randomDigits(6) // the issuer approved late: inquiry shows it
	case resultNotCaptured:
		p.respCode = "05"
	}
}

// responseText is the decrypted notification (spec §4.1): form-urlencoded
// pairs in the manual's order; authResponseCode only when there is one.
func (p *payment) responseText() string {
	pairs := [][2]string{
		{"paymentid", p.paymentID},
		{"result", p.result},
		{"auth", p.auth},
		{"avr", "N"},
		{"ref", p.ref},
		{"tranid", p.tranID},
		{"postdate", p.postdate},
		{"trackid", p.trackID},
		{"udf1", p.udf[0]},
		{"udf2", p.udf[1]},
		{"udf3", p.udf[2]},
		{"udf4", p.udf[3]},
		{"udf5", p.udf[4]},
		{"amt", formatAmount(p.amt)},
	}
	if p.respCode != "" {
		pairs = append(pairs, [2]string{"authResponseCode", p.respCode})
	}
	return encodePairs(pairs)
}

// errorQuery is what KNET appends to errorURL (spec §4.5): Error, ErrorText,
// paymentid, trackid, amt, udf1..udf5.
func (p *payment) errorQuery(code string) string {
	return encodePairs([][2]string{
		{"Error", code},
		{"ErrorText", errorText(code)},
		{"paymentid", p.paymentID},
		{"trackid", p.trackID},
		{"amt", formatAmount(p.amt)},
		{"udf1", p.udf[0]},
		{"udf2", p.udf[1]},
		{"udf3", p.udf[2]},
		{"udf4", p.udf[3]},
		{"udf5", p.udf[4]},
	})
}

// encodePairs form-encodes pairs in the given order (spaces as "+").
func encodePairs(pairs [][2]string) string {
	var b strings.Builder
	for i, kv := range pairs {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(kv[0]))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(kv[1]))
	}
	return b.String()
}

// parseAmount reads a KWD amount: digits with an optional point and 1 to 3
// decimals, at most 10 characters, more than zero; it returns fils. Never a float.
func parseAmount(s string) (int64, bool) {
	if s == "" || len(s) > 10 {
		return 0, false
	}
	whole, frac, dot := strings.Cut(s, ".")
	if !simkit.Digits(whole) || (dot && (len(frac) > 3 || !simkit.Digits(frac))) {
		return 0, false
	}
	frac += strings.Repeat("0", 3-len(frac))
	w, err1 := strconv.ParseInt(whole, 10, 64)
	f, err2 := strconv.ParseInt(frac, 10, 64)
	if err1 != nil || err2 != nil || w*1000+f <= 0 {
		return 0, false
	}
	return w*1000 + f, true
}

// formatAmount writes fils with KWD's three decimals: 6000 => "6.000".
func formatAmount(fils int64) string {
	return fmt.Sprintf("%d.%03d", fils/1000, fils%1000)
}

// uniqueID draws n-digit ids (first digit 1..9) until free reports true.
func (s *Simulator) uniqueID(n int, free func(string) bool) string {
	for {
		first := '1' + (randomDigits(1)[0]-'0')%9
		id := string(rune(first)) + randomDigits(n-1)
		if free(id) {
			return id
		}
	}
}

// randomDigits returns n random decimal digits.
func randomDigits(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = '0' + b[i]%10
	}
	return string(b)
}
