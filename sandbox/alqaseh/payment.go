package alqaseh

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/bawaba/checkout/sandbox/internal/simkit"
)

// Payment statuses (spec §5, seed "Summary of Transaction Statuses").
const (
	statusPrepared   = "prepared"
	statusRetried    = "retried"
	statusSucceeded  = "succeeded"
	statusFailed     = "failed"
	statusDeclined   = "declined"
	statusExpired    = "expired"
	statusDuplicated = "duplicated"
	statusRevoked    = "revoked"
	statusUnknown    = "unknown"
)

var allStatuses = []string{statusPrepared, statusRevoked, statusFailed, statusRetried, statusSucceeded,
	statusExpired, statusDuplicated, statusDeclined, statusUnknown}

// Transaction types accepted by create (spec §3).
var transactionTypes = []string{"Retail", "Authorization", "Reversal", "CompleteSales"}

// currencies maps the accepted currencies to the decimals Al Qaseh takes:
// IQD in whole dinars (public clients send integers), USD in cents.
var currencies = map[string]int{"IQD": 0, "USD": 2}

// payment is one payment context. Retry gives it a new payment_id and token;
// earlier ids keep resolving to it (aliases), earlier tokens go stale.
type payment struct {
	id              string   // current payment_id
	ids             []string // every payment_id it had, oldest first
	token           string   // current payment token
	orderID         string
	amount          int64 // minor units of currency
	currency        string
	decimals        int
	description     string
	transactionType string
	country         string
	email           string
	customData      json.RawMessage // a JSON object, or nil
	redirectURL     string
	webhookURL      string
	ttl             time.Duration // token lifetime, renewed by retry

	status   string
	rc       string
	approval string
	rrn      string

	createdAt, updatedAt, expiresAt time.Time
	history                         []historyEntry
}

type historyEntry struct {
	PaymentID     string `json:"payment_id"`
	PaymentStatus string `json:"payment_status"`
	Details       string `json:"details"`
	CreatedAt     string `json:"created_at"`
}

// payable reports whether the context can still be paid (before expiry is applied).
func (p *payment) payable() bool {
	return p.status == statusPrepared || p.status == statusRetried
}

// expireIfDue applies the lazy prepared|retried → expired transition, dated
// at the token's expiry.
func (p *payment) expireIfDue(now time.Time) {
	if p.payable() && !now.Before(p.expiresAt) {
		p.setStatus(statusExpired, p.expiresAt, "payment token expired")
	}
}

// setStatus moves the context to status and records it in its history.
func (p *payment) setStatus(status string, at time.Time, details string) {
	p.status = status
	p.updatedAt = at
	p.history = append(p.history, historyEntry{
		PaymentID:     p.id,
		PaymentStatus: status,
		Details:       details,
		CreatedAt:     timestamp(at),
	})
}

// redirectStatus is the coarse status of the browser return (spec §7).
func redirectStatus(status string) string {
	switch status {
	case statusSucceeded:
		return "Success"
	case statusUnknown, statusPrepared, statusRetried:
		return "Pending"
	default:
		return "Failed"
	}
}

// outcome is what the card network answered for a card.
type outcome struct {
	status string
	rc     string // ISO 8583 style response code
}

var (
	outcomeSucceeded = outcome{statusSucceeded, "00"}
	outcomeDeclined  = outcome{statusDeclined, "05"} // do not honour
	outcomeFailed    = outcome{statusFailed, "96"}   // system malfunction
	outcomeUnknown   = outcome{statusUnknown, "91"}  // issuer unavailable
)

// Decline, failure and unknown test cards (the seed documents only the
// success card; these are the simulator's own, Luhn-valid).
const (
	declineCard = "4111111111111111"
	failCard    = "4000000000000002"
	unknownCard = "4000000000000119"
)

// decide maps card data to an outcome: the seed's card with its CVV and
// expiry succeeds; the same card with another CVV or expiry, 4111111111111111
// and any other card are declined; 4000000000000002 fails; 4000000000000119
// ends unknown.
func decide(pan, cvv string, month, year int) outcome {
	switch pan {
	case TestCardPAN:
		if cvv == TestCardCVV && month == 1 && year == 2027 {
			return outcomeSucceeded
		}
		return outcomeDeclined
	case failCard:
		return outcomeFailed
	case unknownCard:
		return outcomeUnknown
	default: // declineCard and every other card
		return outcomeDeclined
	}
}

// finish applies a card outcome to a payable context.
func (p *payment) finish(o outcome, at time.Time, details string) {
	p.rc = o.rc
	p.rrn = randomDigits(12)
	if o.status == statusSucceeded {
		p.approval = randomDigits(6)
	}
	p.setStatus(o.status, at, details)
}

// paymentJSON is a payment context as the API answers it (spec §4).
type paymentJSON struct {
	PaymentID              string          `json:"payment_id"`
	OrderID                string          `json:"order_id"`
	Amount                 json.Number     `json:"amount"`
	Currency               string          `json:"currency"`
	Description            string          `json:"description"`
	TransactionType        string          `json:"transaction_type"`
	PaymentStatus          string          `json:"payment_status"`
	ApprovalCode           string          `json:"approval_code"`
	RC                     string          `json:"rc"`
	RRN                    string          `json:"rrn"`
	Country                string          `json:"country"`
	MerchantEmail          string          `json:"merchant_email"`
	CustomData             json.RawMessage `json:"custom_data"`
	RedirectURL            string          `json:"redirect_url"`
	WebhookURL             string          `json:"webhook_url"`
	CreatedAt              string          `json:"created_at"`
	UpdatedAt              string          `json:"updated_at"`
	PaymentStatusHistories []historyEntry  `json:"payment_status_histories"`
	Token                  string          `json:"token,omitempty"` // retry and revoke answers only
}

// view returns the API representation; the caller holds s.mu.
func (p *payment) view() paymentJSON {
	custom := p.customData
	if custom == nil {
		custom = json.RawMessage("null")
	}
	return paymentJSON{
		PaymentID:              p.id,
		OrderID:                p.orderID,
		Amount:                 jsonAmount(p.amount, p.decimals),
		Currency:               p.currency,
		Description:            p.description,
		TransactionType:        p.transactionType,
		PaymentStatus:          p.status,
		ApprovalCode:           p.approval,
		RC:                     p.rc,
		RRN:                    p.rrn,
		Country:                p.country,
		MerchantEmail:          p.email,
		CustomData:             custom,
		RedirectURL:            p.redirectURL,
		WebhookURL:             p.webhookURL,
		CreatedAt:              timestamp(p.createdAt),
		UpdatedAt:              timestamp(p.updatedAt),
		PaymentStatusHistories: append([]historyEntry(nil), p.history...),
	}
}

func timestamp(t time.Time) string { return t.UTC().Format(time.RFC3339) }

var amountText = regexp.MustCompile(`^(0|[1-9][0-9]{0,14})(?:\.([0-9]+))?$`)

// parseAmount reads a JSON number as minor units of a currency with the given
// decimals. It rejects signs, exponents, zero and more significant decimals
// than the currency has (IQD: whole dinars; "25000.0" is fine). Money never
// goes through float64.
func parseAmount(n json.Number, decimals int) (int64, string) {
	m := amountText.FindStringSubmatch(string(n))
	if m == nil {
		if strings.HasPrefix(string(n), "-") {
			return 0, "must be greater than 0"
		}
		return 0, "must be a plain decimal number"
	}
	frac := strings.TrimRight(m[2], "0")
	if len(frac) > decimals {
		if decimals == 0 {
			return 0, "must be a whole number for this currency"
		}
		return 0, fmt.Sprintf("must have at most %d decimals for this currency", decimals)
	}
	whole, _ := strconv.ParseInt(m[1], 10, 64)
	minor := whole
	for range decimals {
		minor *= 10
	}
	if frac != "" {
		f, _ := strconv.ParseInt(frac+strings.Repeat("0", decimals-len(frac)), 10, 64)
		minor += f
	}
	if minor <= 0 {
		return 0, "must be greater than 0"
	}
	return minor, ""
}

// jsonAmount is the amount as a JSON number without trailing zeros (25000, 12.5).
func jsonAmount(minor int64, decimals int) json.Number {
	s := simkit.Decimal(minor, decimals)
	if strings.Contains(s, ".") {
		s = strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
	}
	return json.Number(s)
}

// displayAmount groups thousands for the page: "25,000 IQD", "1,234.50 USD".
func displayAmount(minor int64, decimals int, currency string) string {
	whole, frac, _ := strings.Cut(simkit.Decimal(minor, decimals), ".")
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteString("." + frac)
	}
	return b.String() + " " + currency
}

// newPaymentID returns a random UUID (version 4), the simulator's payment_id format.
func newPaymentID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// newToken returns an opaque, URL-safe payment token (32 random bytes).
func newToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

func randomDigits(n int) string {
	b := make([]byte, n)
	for i := range b {
		d, _ := rand.Int(rand.Reader, big.NewInt(10))
		b[i] = byte('0' + d.Int64())
	}
	return string(b)
}

func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

var expiryText = regexp.MustCompile(`^([0-9]{1,2})\s*[-/]\s*([0-9]{2}|[0-9]{4})$`)

// parseExpiry reads a card expiry typed as MM-YYYY, MM/YY, MM/YYYY or MM-YY.
func parseExpiry(s string) (month, year int, ok bool) {
	m := expiryText.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return 0, 0, false
	}
	month, _ = strconv.Atoi(m[1])
	year, _ = strconv.Atoi(m[2])
	if len(m[2]) == 2 {
		year += 2000
	}
	return month, year, month >= 1 && month <= 12
}
