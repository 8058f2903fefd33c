package tap

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bawaba/checkout/sandbox/internal/simkit"
)

// Charge statuses the simulator emits (spec §5).
const (
	statusInitiated = "INITIATED"
	statusCaptured  = "CAPTURED"
	statusDeclined  = "DECLINED"
	statusCancelled = "CANCELLED"
	statusAbandoned = "ABANDONED"
)

const (
	sourceKNET   = "src_kw.knet"
	currencyKWD  = "KWD"
	kwdDecimals  = 3
	chargeExpiry = 30 * time.Minute
)

// kuwait is the zone Tap reports ("timezone":"UTC+03:00") and dates ids in.
var kuwait = time.FixedZone("UTC+03:00", 3*60*60)

// responses maps a status to Tap's response.{code,message} (spec §5).
var responses = map[string]codeMessage{
	statusInitiated: {"100", "Initiated"},
	statusCaptured:  {"000", "Captured"},
	statusDeclined:  {"507", "Declined, Card Issuer"},
	statusCancelled: {"302", "Canceled"},
	statusAbandoned: {"301", "Abandoned"},
}

// charge is Tap's charge object (spec §3, §4, seed) plus the simulator's own
// unexported bookkeeping. Field order follows the seed.
type charge struct {
	ID                  string         `json:"id"`
	Object              string         `json:"object"`
	LiveMode            bool           `json:"live_mode"`
	CustomerInitiated   bool           `json:"customer_initiated"`
	APIVersion          string         `json:"api_version"`
	Method              string         `json:"method"`
	Status              string         `json:"status"`
	Amount              json.Number    `json:"amount"`
	Currency            string         `json:"currency"`
	ThreeDSecure        bool           `json:"threeDSecure"`
	CardThreeDSecure    bool           `json:"card_threeDSecure"`
	SaveCard            bool           `json:"save_card"`
	MerchantID          string         `json:"merchant_id"`
	Product             string         `json:"product"`
	StatementDescriptor string         `json:"statement_descriptor,omitempty"`
	Description         string         `json:"description,omitempty"`
	Metadata            map[string]any `json:"metadata,omitempty"`
	Transaction         transaction    `json:"transaction"`
	Reference           reference      `json:"reference"`
	Response            codeMessage    `json:"response"`
	Gateway             *gatewayInfo   `json:"gateway,omitempty"`
	Receipt             receipt        `json:"receipt"`
	Customer            customer       `json:"customer"`
	Merchant            merchant       `json:"merchant"`
	Source              source         `json:"source"`
	Redirect            redirectInfo   `json:"redirect"`
	Post                *postInfo      `json:"post,omitempty"`
	Activities          []activity     `json:"activities"`
	AutoReversed        bool           `json:"auto_reversed"`

	amount   string    // exact amount with 3 decimals ("6.000"): signed and shown on the page
	token    string    // opaque capability in transaction.url (chg=…)
	lang     string    // hosted page default language, from the lang_code header
	created  time.Time // transaction.created as a time
	refunded int64     // sum of its refunds, in minor units (fils)
}

type transaction struct {
	AuthorizationID string      `json:"authorization_id,omitempty"`
	Timezone        string      `json:"timezone"`
	Created         string      `json:"created"` // epoch ms as a string (seed)
	URL             string      `json:"url"`
	Expiry          expiry      `json:"expiry"`
	Asynchronous    bool        `json:"asynchronous"`
	Amount          json.Number `json:"amount"`
	Currency        string      `json:"currency"`
}

type expiry struct {
	Period int    `json:"period"`
	Type   string `json:"type"`
}

type reference struct {
	Track       string `json:"track,omitempty"`
	Payment     string `json:"payment,omitempty"`
	Gateway     string `json:"gateway,omitempty"`
	Acquirer    string `json:"acquirer,omitempty"`
	Transaction string `json:"transaction,omitempty"`
	Order       string `json:"order,omitempty"`
}

type codeMessage struct {
	Code    string `json:"code,omitempty"`
	Message string `json:"message"`
}

type gatewayInfo struct {
	Response codeMessage `json:"response"`
}

type receipt struct {
	ID    string `json:"id"`
	Email bool   `json:"email"`
	SMS   bool   `json:"sms"`
}

type customer struct {
	ID         string `json:"id"`
	FirstName  string `json:"first_name,omitempty"`
	MiddleName string `json:"middle_name,omitempty"`
	LastName   string `json:"last_name,omitempty"`
	Email      string `json:"email,omitempty"`
	Phone      *phone `json:"phone,omitempty"`
}

type phone struct {
	CountryCode string `json:"country_code"`
	Number      string `json:"number"`
}

type merchant struct {
	Country  string `json:"country"`
	Currency string `json:"currency"`
	ID       string `json:"id,omitempty"`
}

type source struct {
	Object        string `json:"object"`
	Type          string `json:"type"`
	PaymentType   string `json:"payment_type"`
	PaymentMethod string `json:"payment_method"`
	Channel       string `json:"channel"`
	ID            string `json:"id"`
}

type redirectInfo struct {
	Status string `json:"status"`
	URL    string `json:"url"`
}

type postInfo struct {
	Attempt int    `json:"attempt"`
	Status  string `json:"status"`
	URL     string `json:"url"`
}

type activity struct {
	ID       string      `json:"id"`
	Object   string      `json:"object"`
	Created  int64       `json:"created"` // epoch ms as a number (seed)
	Status   string      `json:"status"`
	Currency string      `json:"currency"`
	Amount   json.Number `json:"amount"`
	Remarks  string      `json:"remarks"`
}

// expired reports whether an INITIATED charge is past its 30-minute expiry.
func (c *charge) expired(now time.Time) bool {
	return c.Status == statusInitiated && !now.Before(c.created.Add(chargeExpiry))
}

// abandonIfExpired applies the lazy INITIATED → ABANDONED transition.
func (c *charge) abandonIfExpired(now time.Time) {
	if c.expired(now) {
		c.setStatus(statusAbandoned, c.created.Add(chargeExpiry))
	}
}

// setStatus moves the charge to status and records the activity.
func (c *charge) setStatus(status string, at time.Time) {
	c.Status = status
	c.Response = responses[status]
	remark := strings.ToLower(status) // "charge - captured", "charge - declined", … (seed)
	if status == statusInitiated {
		remark = "created"
	}
	c.Activities = append(c.Activities, activity{
		ID:       tapID("activity_", at),
		Object:   "activity",
		Created:  at.UnixMilli(),
		Status:   status,
		Currency: c.Currency,
		Amount:   c.Amount,
		Remarks:  "charge - " + remark,
	})
}

// outcome is what the KNET page decided for a charge.
type outcome struct {
	status  string
	gateway codeMessage // KNET's raw result (spec §4 gateway.response)
}

var (
	outcomeCaptured  = outcome{statusCaptured, codeMessage{"00", "CAPTURED"}}
	outcomeDeclined  = outcome{statusDeclined, codeMessage{"05", "NOT CAPTURED"}}
	outcomeCancelled = outcome{statusCancelled, codeMessage{"", "CANCELED"}}
)

// testCards are KNET's sandbox cards (spec §8); only expiry 09/2030 captures.
var testCards = map[string]bool{"8888880000000001": true, "8888880000000002": true}

// decide maps the card data entered on the KNET page to an outcome
// (spec §8, §9.2). Any other card, or a test card with another expiry, is
// NOT CAPTURED at KNET, which Tap reports as DECLINED.
func decide(card string, month, year int) outcome {
	if testCards[card] && month == 9 && year == 2030 {
		return outcomeCaptured
	}
	return outcomeDeclined
}

// finish applies a KNET outcome to an INITIATED charge; a final charge is
// left as it is.
func (c *charge) finish(o outcome, now time.Time) {
	if c.Status != statusInitiated {
		return
	}
	c.Reference.Gateway = randomDigits(15) // KNET PaymentID
	if o.status == statusCaptured {
		c.Reference.Acquirer = randomDigits(12) // KNET ref (RRN)
		c.Transaction.AuthorizationID = string(rune('A'+rand.IntN(26))) + randomDigits(5)
	}
	c.Gateway = &gatewayInfo{Response: o.gateway}
	c.setStatus(o.status, now)
}

// signedFields returns the charge's values as signed in the webhook (spec §6).
func (c *charge) signedFields() signedFields {
	return signedFields{
		ID:               c.ID,
		Amount:           c.amount,
		Currency:         c.Currency,
		GatewayReference: c.Reference.Gateway,
		PaymentReference: c.Reference.Payment,
		Status:           c.Status,
		Created:          c.Transaction.Created,
	}
}

func (c *charge) hookPost() *postInfo         { return c.Post }
func (c *charge) hookBody() []byte            { return c.render(http.MethodPost) }
func (c *charge) hookName() (kind, id string) { return "charge", c.ID }

// render returns the charge as JSON, with method set to the HTTP method that
// produced this representation (as Tap does).
func (c *charge) render(method string) []byte {
	v := *c
	v.Method = method
	v.Activities = slices.Clone(c.Activities)
	b, err := marshal(v)
	if err != nil { // only plain data: cannot happen
		panic(fmt.Sprintf("tap: marshal charge %s: %v", c.ID, err))
	}
	return b
}

var amountText = regexp.MustCompile(`^([0-9]{1,15})(?:\.([0-9]+))?$`)

// parseAmount accepts the request's amount as a JSON number or a string of
// plain decimal digits (no sign, no exponent, at most 15 integer digits) and
// returns it with exactly 3 decimals ("6.000"). It rejects zero and more than
// 3 significant decimals. Money never goes through float64.
func parseAmount(v any) (string, bool) { return parseDecimal(v, kwdDecimals) }

// parseDecimal is parseAmount for a currency with the given decimals.
func parseDecimal(v any, decimals int) (string, bool) {
	var text string
	switch v := v.(type) {
	case json.Number:
		text = string(v)
	case string:
		text = v
	default:
		return "", false
	}
	m := amountText.FindStringSubmatch(text)
	if m == nil {
		return "", false
	}
	whole := strings.TrimLeft(m[1], "0")
	if whole == "" {
		whole = "0"
	}
	frac := strings.TrimRight(m[2], "0")
	if len(frac) > decimals || (whole == "0" && frac == "") {
		return "", false
	}
	if decimals == 0 {
		return whole, true
	}
	return whole + "." + frac + strings.Repeat("0", decimals-len(frac)), true
}

// jsonAmount is the amount as Tap's JSON carries it: a number without
// trailing zeros ("0.500" → 0.5, "6.000" → 6), as in the seed.
func jsonAmount(fixed string) json.Number {
	if !strings.Contains(fixed, ".") {
		return json.Number(fixed)
	}
	return json.Number(strings.TrimSuffix(strings.TrimRight(fixed, "0"), "."))
}

const alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// tapID returns an id shaped like Tap's (chg_TS05A1320231018Hy56070XXXX):
// prefix, "TS", two digits, "A", two digits, the Kuwait date, four random
// alphanumerics and seven digits.
func tapID(prefix string, t time.Time) string {
	return prefix + "TS" + randomDigits(2) + "A" + randomDigits(2) +
		t.In(kuwait).Format("20060102") + randomString(alnum, 4) + randomDigits(7)
}

func randomDigits(n int) string { return randomString("0123456789", n) }

func randomString(alphabet string, n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[rand.IntN(len(alphabet))]
	}
	return string(b)
}

// parseExpiry reads the page's month ("01".."12") and year ("2030" or "30").
func parseExpiry(month, year string) (int, int, bool) {
	if !simkit.Digits(month) || len(month) > 2 || !simkit.Digits(year) || (len(year) != 2 && len(year) != 4) {
		return 0, 0, false
	}
	m, _ := strconv.Atoi(month)
	y, _ := strconv.Atoi(year)
	if len(year) == 2 {
		y += 2000
	}
	return m, y, m >= 1 && m <= 12
}
