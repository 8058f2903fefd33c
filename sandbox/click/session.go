package click

import (
	"crypto/rand"
	"math/big"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Payment methods offered on CLK's page (seed §1.1: "KNET - Credit Card").
const (
	methodKNET = "knet"
	methodCard = "card"
)

// state of a session.
type state string

const (
	stateOpen    state = "open"    // created (and maybe updated); not finished
	statePaid    state = "paid"    // the shopper paid: Payment Status answers success
	stateFailed  state = "failed"  // KNET declined or cancelled, or the amount was below the fee
	stateExpired state = "expired" // SessionTTL passed before the payment finished
)

// Why a session failed; shown on the result page.
const (
	reasonDeclined  = "declined"
	reasonCancelled = "cancelled"
	reasonFee       = "fee"
	reasonExpired   = "expired"
)

// kuwait is Asia/Kuwait: UTC+3 all year, without daylight saving time.
var kuwait = time.FixedZone("AST", 3*60*60)

// session is one CLK payment session: created by Create Session, given its
// order by Update Session, finished on the hosted pages.
type session struct {
	id        string
	indicator string // indicator_status of Create Session, echoed on a success return
	created   time.Time
	expires   time.Time
	lang      string // "en" or "ar", from Update Session

	hasOrder  bool
	orderID   int64
	amount    int64 // in fils (KWD has 3 decimals)
	returnURL string
	customer  map[string]string

	method string // chosen by Pay on the confirm page; "" before
	state  state
	reason string // when failed or expired

	errIndicator string    // ERROR<16 digits>, made when the session fails
	finishedAt   time.Time // paid, failed or expired at

	// K-Net identifiers of a paid K-Net payment; CLK only shows them.
	paymentID, transactionID, refID string
}

func newSession(now time.Time, ttl time.Duration) *session {
	return &session{
		// "U0VTU0lPTj" is base64 for "SESSION", as the seed's ids start.
		id:        "U0VTU0lPTj" + randomString(alnum, 26),
		indicator: randomString(alnum, 39),
		created:   now,
		expires:   now.Add(ttl),
		lang:      "en",
		state:     stateOpen,
	}
}

// expireIfDue turns an open session whose TTL has passed into an expired
// one, dated at the expiry instant. The caller holds the simulator's lock.
func (se *session) expireIfDue(now time.Time) {
	if se.state == stateOpen && !now.Before(se.expires) {
		se.fail(reasonExpired, se.expires)
		se.state = stateExpired
	}
}

// updatable reports whether Update Session may (re)set the order: the
// session is open and the shopper has not pressed Pay yet.
func (se *session) updatable() bool { return se.state == stateOpen && se.method == "" }

func (se *session) fail(reason string, at time.Time) {
	se.state = stateFailed
	se.reason = reason
	se.finishedAt = at
	se.errIndicator = "ERROR" + randomString(digits, 16)
}

func (se *session) pay(at time.Time) {
	se.state = statePaid
	se.finishedAt = at
	if se.method == methodKNET {
		se.paymentID = randomString(digits, 16)
		se.transactionID = randomString(digits, 16)
		se.refID = randomString(digits, 12)
	}
}

func (se *session) finished() bool { return se.state != stateOpen }

// backURL is where CLK sends the browser back once the session is finished
// (spec §3.3): return_url with message, message_type and indicator_status.
func (se *session) backURL() string {
	q := "message=error&message_type=wrong&indicator_status=" + url.QueryEscape(se.errIndicator)
	if se.state == statePaid {
		q = "message=success&message_type=success&indicator_status=" + url.QueryEscape(se.indicator)
	}
	return appendQuery(se.returnURL, q)
}

// appendQuery adds q to u's query, keeping u's own query and fragment.
func appendQuery(u, q string) string {
	base, frag, hasFrag := strings.Cut(u, "#")
	switch {
	case !strings.Contains(base, "?"):
		base += "?"
	case !strings.HasSuffix(base, "?") && !strings.HasSuffix(base, "&"):
		base += "&"
	}
	base += q
	if hasFrag {
		base += "#" + frag
	}
	return base
}

// amountRe is an order_amout: decimal(8,2) allows 6 integer digits; KWD's
// third decimal (fils) is accepted, see the package doc.
var amountRe = regexp.MustCompile(`^[0-9]{1,6}(\.[0-9]{1,3})?$`)

// parseAmount reads a KWD amount into fils without floating point.
func parseAmount(s string) (int64, bool) {
	if !amountRe.MatchString(s) {
		return 0, false
	}
	whole, frac, _ := strings.Cut(s, ".")
	frac += strings.Repeat("0", 3-len(frac))
	w, err1 := strconv.ParseInt(whole, 10, 64)
	f, err2 := strconv.ParseInt(frac, 10, 64)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return w*1000 + f, true
}

// formatAmount writes fils as KWD with its 3 decimals: 6000 → "6.000".
func formatAmount(fils int64) string {
	return strconv.FormatInt(fils/1000, 10) + "." + pad3(fils%1000)
}

func pad3(n int64) string {
	s := strconv.FormatInt(n, 10)
	return strings.Repeat("0", 3-len(s)) + s
}

// kuwaitDate is PHP's DateTime "Y-m-d H:i:s.u" in Kuwait time (spec §3.1).
func kuwaitDate(t time.Time) string {
	return t.In(kuwait).Format("2006-01-02 15:04:05.000000")
}

// kuwaitSeconds is the time shown on CLK's result page ("2019-01-20 14:52:03").
func kuwaitSeconds(t time.Time) string {
	return t.In(kuwait).Format("2006-01-02 15:04:05")
}

const (
	alnum  = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	digits = "0123456789"
)

func randomString(alphabet string, n int) string {
	b := make([]byte, n)
	max := big.NewInt(int64(len(alphabet)))
	for i := range b {
		k, err := rand.Int(rand.Reader, max)
		if err != nil {
			panic("click sandbox: crypto/rand: " + err.Error())
		}
		b[i] = alphabet[k.Int64()]
	}
	return string(b)
}

// The KNET test card and its magic expiry (brief; the KNET test host's
// convention): anything else is NOT CAPTURED.
const (
	knetTestCard  = "8888880000000001"
	knetTestMonth = "09"
	knetTestYear  = "2030"
)

func knetApproved(card, month, year string) bool {
	return card == knetTestCard && month == knetTestMonth && year == knetTestYear
}

// Card step: Mastercard Gateway (MPGS) test conventions, since CLK's credit
// card leg is MPGS Hosted Checkout (seed §2.2). The expiry picks the
// response.gatewayCode; the card must be one of the test cards.
var cardTestNumbers = map[string]bool{
	"5123450000000008": true, // Mastercard
	"5111111111111118": true, // Mastercard
	"4508750015741019": true, // Visa
	"345678901234564":  true, // American Express (4-digit security code)
}

var cardExpiryCodes = map[string]string{
	"01/39": "APPROVED",
	"05/39": "DECLINED",
	"04/27": "EXPIRED_CARD",
	"08/28": "TIMED_OUT",
	"01/37": "ACQUIRER_SYSTEM_ERROR",
	"02/37": "UNSPECIFIED_FAILURE",
	"05/37": "UNKNOWN",
}

// cardGatewayCode is the MPGS gateway code of a card payment attempt.
func cardGatewayCode(card, month, year string) string {
	if !cardTestNumbers[card] {
		return "DECLINED"
	}
	if code, ok := cardExpiryCodes[month+"/"+year]; ok {
		return code
	}
	return "DECLINED"
}

func isAmex(card string) bool { return strings.HasPrefix(card, "34") || strings.HasPrefix(card, "37") }
