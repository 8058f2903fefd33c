package tap

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/bawaba/checkout/sandbox/internal/simkit"
)

// Refund statuses and Tap's refund response codes (spec §5): 000 Refunded,
// 100 Pending, 200 In Progress, 301 Canceled, 401–403 Failed, 501–504
// Declined, 601–602 Restricted, 701 Timed Out, 801 Unknown. The sandbox
// refunds at once, so it only ever emits REFUNDED / 000.
const statusRefunded = "REFUNDED"

var responseRefunded = codeMessage{"000", "Refunded"}

// Refund error codes, invented in Tap's 4-digit style next to the charge
// ones (1100 bad body, 1113 post url, 1125 metadata and 1130 charge id are
// shared with charges; 1249 "Charge not found" is Tap's).
var (
	errRefundCurrency   = tapError{"1141", "Invalid currency: a 3-letter ISO 4217 code is required"}
	errRefundReason     = tapError{"1142", "Refund reason is required"}
	errRefundNotCapture = tapError{"1143", "Charge is not captured: only a CAPTURED charge can be refunded"}
	errRefundID         = tapError{"1131", "Invalid refund id"}
	errRefundMissing    = tapError{"1250", "Refund not found"}
)

// errRefundAmount is 1140: the amount is not a positive decimal with at
// most the currency's decimals.
func errRefundAmount(currency string, decimals int) tapError {
	return tapError{"1140", fmt.Sprintf("Invalid refund amount: a positive decimal with at most %d decimals is expected for %s", decimals, currency)}
}

// errRefundCurrencyMismatch is 1144: the refund is not in the charge's currency.
func errRefundCurrencyMismatch(chargeCurrency string) tapError {
	return tapError{"1144", "Invalid currency: the refund currency must be the charge currency " + chargeCurrency}
}

// errRefundExceeds is 1145: this refund would take the refunds of the charge
// past its amount.
func errRefundExceeds(left, currency string) tapError {
	return tapError{"1145", "Refund amount exceeds the amount left to refund on the charge: " + left + " " + currency}
}

// threeDecimals are the currencies Tap amounts carry with 3 decimals (spec
// §6); every other currency has 2.
var threeDecimals = map[string]bool{"BHD": true, "IQD": true, "JOD": true, "KWD": true, "LYD": true, "OMR": true, "TND": true}

func currencyDecimals(currency string) int {
	if threeDecimals[strings.ToUpper(currency)] {
		return 3
	}
	return 2
}

var currencyPattern = regexp.MustCompile(`^[A-Za-z]{3}$`)

// refund is Tap's refund object (developers.tap.company/docs/refunds) plus
// the simulator's bookkeeping. Field order follows Tap's sample.
type refund struct {
	ID          string          `json:"id"`
	Object      string          `json:"object"`
	APIVersion  string          `json:"api_version"`
	LiveMode    bool            `json:"live_mode"`
	Amount      json.Number     `json:"amount"`
	ChargeID    string          `json:"charge_id"`
	Created     string          `json:"created"` // epoch ms as a string, like transaction.created
	Currency    string          `json:"currency"`
	Status      string          `json:"status"`
	Reference   refundReference `json:"reference"`
	Response    codeMessage     `json:"response"`
	Metadata    map[string]any  `json:"metadata,omitempty"`
	Description string          `json:"description,omitempty"`
	Reason      string          `json:"reason"`
	Post        *postInfo       `json:"post,omitempty"`

	amount string // exact amount with the currency's decimals ("1.500"): signed in the webhook
}

type refundReference struct {
	Merchant string `json:"merchant,omitempty"` // echoed from the request
	Gateway  string `json:"gateway"`            // 15 digits, like a KNET PaymentID
}

func (f *refund) hookPost() *postInfo         { return f.Post }
func (f *refund) hookBody() []byte            { return f.render() }
func (f *refund) hookName() (kind, id string) { return "refund", f.ID }

// signedFields are the refund's values signed in its webhook's hashstring:
// the charge formula (spec §6) over the refund's own fields, with no payment
// reference.
func (f *refund) signedFields() signedFields {
	return signedFields{
		ID:               f.ID,
		Amount:           f.amount,
		Currency:         f.Currency,
		GatewayReference: f.Reference.Gateway,
		PaymentReference: "",
		Status:           f.Status,
		Created:          f.Created,
	}
}

func (f *refund) render() []byte {
	v := *f
	if f.Post != nil {
		p := *f.Post
		v.Post = &p
	}
	b, err := marshal(v)
	if err != nil { // only plain data: cannot happen
		panic(fmt.Sprintf("tap: marshal refund %s: %v", f.ID, err))
	}
	return b
}

// refundRequest is the create-refund body (spec §1; Tap's docs add
// description).
type refundRequest struct {
	ChargeID    string         `json:"charge_id"`
	Amount      any            `json:"amount"` // json.Number or string
	Currency    string         `json:"currency"`
	Reason      string         `json:"reason"`
	Description string         `json:"description"`
	Metadata    map[string]any `json:"metadata"`
	Reference   struct {
		Merchant string `json:"merchant"`
	} `json:"reference"`
	Post struct {
		URL string `json:"url"`
	} `json:"post"`
}

// validate checks the body alone and returns the amount with the currency's
// decimals. Every error is listed.
func (req *refundRequest) validate() (string, []tapError) {
	var errs []tapError
	if !chargeIDPattern.MatchString(req.ChargeID) {
		errs = append(errs, errChargeID)
	}
	currencyOK := currencyPattern.MatchString(req.Currency)
	cur, decimals := strings.ToUpper(req.Currency), currencyDecimals(req.Currency)
	if !currencyOK {
		cur, decimals = currencyKWD, kwdDecimals // judge the amount as for KWD
	}
	amount, ok := parseDecimal(req.Amount, decimals)
	if !ok {
		errs = append(errs, errRefundAmount(cur, decimals))
	}
	if !currencyOK {
		errs = append(errs, errRefundCurrency)
	}
	if strings.TrimSpace(req.Reason) == "" {
		errs = append(errs, errRefundReason)
	}
	if req.Post.URL != "" && !absoluteHTTP(req.Post.URL) {
		errs = append(errs, errPost)
	}
	return amount, errs
}

// minorUnits turns an amount with fixed decimals ("1.500") into an integer
// of minor units (1500). Amounts have at most 15 integer digits and 3
// decimals, so it fits an int64.
func minorUnits(fixed string) int64 {
	n, err := strconv.ParseInt(strings.Replace(fixed, ".", "", 1), 10, 64)
	if err != nil { // parseDecimal output only: cannot happen
		panic(fmt.Sprintf("tap: amount %q: %v", fixed, err))
	}
	return n
}

// createRefund serves POST /v2/refunds (spec §1, §5).
func (s *Simulator) createRefund(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(r) {
		writeError(w, http.StatusUnauthorized, errInvalidKey)
		return
	}
	idemKey := r.Header.Get("Idempotency-Key")
	if idemKey != "" {
		s.mu.Lock()
		prev, ok := s.refundIdem[idemKey]
		var body []byte
		if ok {
			body = prev.render()
		}
		s.mu.Unlock()
		if ok {
			writeJSON(w, http.StatusOK, body)
			return
		}
	}
	var req refundRequest
	amount, ok := readRequest(w, r, &req)
	if !ok {
		return
	}

	s.mu.Lock()
	if prev, ok := s.refundIdem[idemKey]; ok && idemKey != "" { // a concurrent twin with the same key won
		body := prev.render()
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, body)
		return
	}
	f, errs := s.refundCharge(&req, amount)
	if len(errs) > 0 {
		s.mu.Unlock()
		writeError(w, http.StatusBadRequest, errs...)
		return
	}
	if idemKey != "" {
		s.refundIdem[idemKey] = f
	}
	body := f.render()
	s.mu.Unlock()
	s.log.InfoContext(r.Context(), "tap sandbox: refund created", "refund", f.ID, "charge", f.ChargeID, "amount", f.amount, "currency", f.Currency)

	if f.Post != nil && s.hookFirst {
		s.notifyHook(f)
	}
	writeJSON(w, http.StatusOK, body)
	if f.Post != nil && !s.hookFirst {
		s.notifyHook(f)
	}
}

// refundCharge checks the refund against its charge and records it. The
// caller holds s.mu.
func (s *Simulator) refundCharge(req *refundRequest, amount string) (*refund, []tapError) {
	c, ok := s.charges[req.ChargeID]
	if !ok {
		return nil, []tapError{errChargeMissing}
	}
	now := s.now()
	c.abandonIfExpired(now)
	var errs []tapError
	if c.Status != statusCaptured {
		errs = append(errs, errRefundNotCapture)
	}
	if !strings.EqualFold(req.Currency, c.Currency) {
		errs = append(errs, errRefundCurrencyMismatch(c.Currency))
	}
	if len(errs) > 0 {
		return nil, errs
	}
	decimals := currencyDecimals(c.Currency)
	want, total := minorUnits(amount), minorUnits(c.amount)
	if want > total-c.refunded {
		return nil, []tapError{errRefundExceeds(simkit.Decimal(total-c.refunded, decimals), c.Currency)}
	}
	c.refunded += want

	var post *postInfo
	if req.Post.URL != "" {
		post = &postInfo{Status: "PENDING", URL: req.Post.URL}
	}
	f := &refund{
		Object:      "refund",
		APIVersion:  "V2",
		LiveMode:    false,
		Amount:      jsonAmount(amount),
		ChargeID:    c.ID,
		Created:     strconv.FormatInt(now.UnixMilli(), 10),
		Currency:    c.Currency,
		Status:      statusRefunded,
		Reference:   refundReference{Merchant: req.Reference.Merchant, Gateway: randomDigits(15)},
		Response:    responseRefunded,
		Metadata:    req.Metadata,
		Description: req.Description,
		Reason:      req.Reason,
		Post:        post,
		amount:      amount,
	}
	f.ID = tapID("re_", now)
	for s.refunds[f.ID] != nil {
		f.ID = tapID("re_", now)
	}
	s.refunds[f.ID] = f
	return f, nil
}

var refundIDPattern = regexp.MustCompile(`^re_[A-Za-z0-9]{1,64}$`)

// retrieveRefund serves GET /v2/refunds/{id}.
func (s *Simulator) retrieveRefund(w http.ResponseWriter, r *http.Request) {
	s.retrieve(w, r, refundIDPattern, errRefundID, errRefundMissing, func(id string) ([]byte, bool) {
		f, ok := s.refunds[id]
		if !ok {
			return nil, false
		}
		return f.render(), true
	})
}
