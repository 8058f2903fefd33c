package adyen

import (
	"crypto/rand"
	"encoding/base64"
	"net/url"
	"strconv"
	"time"

	"github.com/bawaba/checkout/sandbox/internal/simkit"
)

// Payment states inside the simulator. They are not Adyen strings: Adyen
// speaks through resultCode (/payments, /payments/details) and webhooks.
const (
	stateOpen       = "open"       // RedirectShopper: the shopper is expected on the hosted page
	statePending    = "pending"    // submitted; the final result comes later, by webhook only
	stateAuthorised = "authorised" // AUTHORISATION success=true
	stateRefused    = "refused"    // AUTHORISATION success=false (KNET NOT CAPTURED)
	stateError      = "error"      // AUTHORISATION success=false (acquirer error)
	stateCancelled  = "cancelled"  // the shopper pressed Cancel on the page
	stateExpired    = "expired"    // left on the page too long: OFFER_CLOSED
	stateVoided     = "voided"     // cancelled by the merchant (/cancels), CANCELLATION success=true
)

// payment is one /payments call for knet.
type payment struct {
	psp          string // pspReference, 16 characters
	reference    string // the merchant's reference (merchantReference)
	value        int64  // amount in minor units
	currency     string
	returnURL    string
	lang         string // "ar" or "en", from shopperLocale
	postBack     bool   // redirectFromIssuerMethod=POST: the return to returnUrl is a form POST
	token        string // redirectData: the hosted page's opaque handle
	created      time.Time
	expires      time.Time
	state        string
	refusal      string // refusal reason of a refused/error/cancelled payment
	refusalCode  string // Adyen's refusalReasonCode
	pendingFinal string // statePending only: the state it will end in

	// The browser's way back: redirectResult is made when the shopper leaves
	// the page; result is what /payments/details answers for it (a snapshot
	// taken then: a Pending payment's redirectResult always redeems as Pending).
	redirectResult string
	result         *detailsResult
	redeemed       bool

	refunded int64 // sum of successful refunds, minor units
}

// detailsResult is the resultCode and refusal that /payments/details reports.
type detailsResult struct {
	ResultCode, RefusalReason, RefusalReasonCode string
}

// modification is a refund or cancel request.
type modification struct {
	psp, paymentPsp, reference, kind string
	value                            int64
	currency                         string
}

// Test cards (spec §8: Adyen's KNET uses Tap's KNET test cards, tap.md §8).
// The expiry 09/2030 is the KNET test host's "magic" expiry; any other expiry
// is NOT CAPTURED (Refused). The PIN is any 4 digits.
const (
	magicMonth = 9
	magicYear  = 2030
)

// outcome is what a submitted card leads to.
type outcome struct {
	state        string // final state, or statePending
	pendingFinal string // for statePending: the state the later webhook reports
	refusal      string
	refusalCode  string
}

var (
	outAuthorised = outcome{state: stateAuthorised}
	outRefused    = outcome{state: stateRefused, refusal: "Refused", refusalCode: "2"}
	outError      = outcome{state: stateError, refusal: "Acquirer Error", refusalCode: "4"}
	outPendingOK  = outcome{state: statePending, pendingFinal: stateAuthorised}
	outPendingNo  = outcome{state: statePending, pendingFinal: stateRefused}
	outCancelled  = outcome{state: stateCancelled, refusal: "Shopper Cancelled", refusalCode: "16"}
)

// testCards maps a card number to its outcome with the magic expiry.
var testCards = map[string]outcome{
	"8888880000000001": outAuthorised, // Tap/KNET: CAPTURED
	"8888880000000002": outAuthorised, // Tap/KNET: CAPTURED
	"8888880000000003": outPendingOK,  // simulator: Pending, then AUTHORISATION success=true
	"8888880000000004": outPendingNo,  // simulator: Pending, then AUTHORISATION success=false
	"8888880000000005": outError,      // simulator: Error (Acquirer Error)
}

// decide returns the outcome of a card with an expiry month and 4-digit year.
func decide(card string, month, year int) outcome {
	o, ok := testCards[card]
	if !ok || month != magicMonth || year != magicYear {
		return outRefused
	}
	return o
}

// detailsFor is the /payments/details answer matching a payment's state now.
func detailsFor(p *payment) *detailsResult {
	switch p.state {
	case stateAuthorised:
		return &detailsResult{ResultCode: "Authorised"}
	case stateRefused:
		return &detailsResult{"Refused", p.refusal, p.refusalCode}
	case stateError:
		return &detailsResult{"Error", p.refusal, p.refusalCode}
	case stateCancelled, stateVoided:
		return &detailsResult{ResultCode: "Cancelled"}
	case statePending:
		return &detailsResult{ResultCode: "Pending"}
	case stateExpired:
		return &detailsResult{ResultCode: "Error", RefusalReason: "Offer Closed"}
	}
	return nil
}

// finished reports whether the shopper can no longer pay on the page.
func (p *payment) finished() bool { return p.state != stateOpen }

// leave records the way back to the merchant the first time the shopper
// leaves the page (submit, cancel, or an expired or voided offer).
func (s *Simulator) leaveLocked(p *payment) {
	if p.redirectResult != "" {
		return
	}
	for {
		rr := redirectResultToken()
		if _, taken := s.results[rr]; !taken {
			p.redirectResult = rr
			s.results[rr] = p
			break
		}
	}
	p.result = detailsFor(p)
}

// returnLocation is returnUrl with redirectResult appended (GET return),
// keeping the URL's own query and fragment.
func (p *payment) returnLocation() string {
	return simkit.AppendQuery(p.returnURL, "redirectResult="+url.QueryEscape(p.redirectResult))
}

// pspChars are the characters of a pspReference (Adyen's look like
// "7914073381342284" or "ZVWN7D3WSMK2WN82").
const pspChars = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"

// newPSPLocked returns an unused 16-character pspReference.
func (s *Simulator) newPSPLocked() string {
	for {
		b := randomBytes(16)
		for i := range b {
			b[i] = pspChars[int(b[i])%len(pspChars)]
		}
		psp := string(b)
		_, p := s.payments[psp]
		_, m := s.mods[psp]
		if !p && !m {
			return psp
		}
	}
}

// pageToken is the redirectData of a hosted page URL: 24 random bytes, URL-safe.
func pageToken() string { return base64.RawURLEncoding.EncodeToString(randomBytes(24)) }

// redirectResultToken is an opaque redirectResult. Like Adyen's, it is
// standard base64 (with '+', '/' and '='), so it must be URL-decoded by the
// merchant before it is sent to /payments/details.
func redirectResultToken() string {
	return "Ab02b4c0!" + base64.StdEncoding.EncodeToString(randomBytes(47))
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("adyen sandbox: crypto/rand: " + err.Error())
	}
	return b
}

// currencyDecimals are Adyen's minor units for the currencies shown on the
// page (spec §2). Only KWD is accepted for knet.
var currencyDecimals = map[string]int{"KWD": 3, "BHD": 3, "JOD": 3, "OMR": 3, "IQD": 3, "THB": 2, "EUR": 2, "USD": 2}

// formatAmount renders minor units with the currency's decimals: 1500 KWD → "1.500".
func formatAmount(value int64, currency string) string {
	d, ok := currencyDecimals[currency]
	if !ok {
		d = 2
	}
	neg := value < 0
	if neg {
		value = -value
	}
	s := strconv.FormatInt(value, 10)
	if d > 0 {
		for len(s) <= d {
			s = "0" + s
		}
		s = s[:len(s)-d] + "." + s[len(s)-d:]
	}
	if neg {
		s = "-" + s
	}
	return s
}
