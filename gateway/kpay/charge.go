package kpay

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/big"
	"regexp"
	"strings"
	"time"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/gateway/internal/wire"
	"github.com/bawaba/checkout/money"
)

// charge is what we read of K-Pay's charge object: Create Charge, Inquiry Transaction, Void,
// Settle, Refund (spec §4.1–§4.5) and Inquiry/Void QR (§4.8), all lenient per §10.1.
type charge struct {
	ID               string          `json:"id"`
	Object           string          `json:"object"`
	OrderID          wire.FlexString `json:"order_id"`
	Amount           flexNumber      `json:"amount"`
	Currency         string          `json:"currency"`
	TransactionState string          `json:"transaction_state"`
	Status           string          `json:"status"`
	Created          wire.FlexString `json:"created"`
	Livemode         *bool           `json:"livemode"`
	FailureCode      wire.FlexString `json:"failure_code"`
	FailureMessage   wire.FlexString `json:"failure_message"`
	RedirectURL      wire.FlexString `json:"redirect_url"`
	ApprovalCode     wire.FlexString `json:"approval_code"`
	ReferenceOrder   wire.FlexString `json:"reference_order"`
	RefundID         wire.FlexString `json:"refund_id"`
	SettlementInfo   *struct {
		SettleAmount     flexNumber `json:"settle_amount"`
		SettlementAmount flexNumber `json:"settlement_amount"`
	} `json:"settlement_info"`
	RefundInfo refundList `json:"refund_info"`
}

// order is what we read of the Order object (spec §4.7).
type order struct {
	ID                string          `json:"id"`
	Status            string          `json:"status"`
	Livemode          *bool           `json:"livemode"`
	FailureCode       wire.FlexString `json:"failure_code"`
	FailureMessage    wire.FlexString `json:"failure_message"`
	ExpireTimeSeconds wire.FlexString `json:"expire_time_seconds"`
}

// refundEntry is one refund_info item; the seed names its amount refund_amount, settle_amount
// in the Inquiry sample (§14.27).
type refundEntry struct {
	RefundAmount flexNumber      `json:"refund_amount"`
	SettleAmount flexNumber      `json:"settle_amount"`
	OrigAmount   flexNumber      `json:"orig_amount"`
	RefundID     wire.FlexString `json:"refund_id"`
	ErrorCode    wire.FlexString `json:"error_code"`
	ErrorMessage wire.FlexString `json:"error_message"`
	RefundDate   wire.FlexString `json:"refund_date"`
}

func (e refundEntry) amount() string {
	return wire.FirstNonEmpty(string(e.RefundAmount), string(e.SettleAmount), string(e.OrigAmount))
}

// refundList reads refund_info as null, one object or an array (spec §10.1).
type refundList []refundEntry

// UnmarshalJSON implements json.Unmarshaler.
func (l *refundList) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		*l = nil
		return nil
	case b[0] == '{':
		var e refundEntry
		if err := json.Unmarshal(b, &e); err != nil {
			return err
		}
		*l = refundList{e}
		return nil
	}
	var es []refundEntry
	if err := json.Unmarshal(b, &es); err != nil {
		return err
	}
	*l = es
	return nil
}

// flexNumber reads an amount written as a JSON number (200.50) or a string ("200.50"), keeping
// its exact text; null reads as "".
type flexNumber string

// UnmarshalJSON implements json.Unmarshaler.
func (f *flexNumber) UnmarshalJSON(b []byte) error {
	var s wire.FlexString
	if err := s.UnmarshalJSON(b); err != nil {
		return err
	}
	*f = flexNumber(strings.TrimSpace(string(s)))
	return nil
}

// decodeJSON decodes one JSON object.
func decodeJSON(raw []byte, v any) error {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return errors.New("kpay: not a JSON object")
	}
	return json.Unmarshal(raw, v)
}

// decodeCharge reads a charge object.
func decodeCharge(raw []byte) (*charge, error) {
	var c charge
	if err := decodeJSON(raw, &c); err != nil {
		return nil, err
	}
	return &c, nil
}

// chargeResult maps a charge read from K-Pay (raw are its bytes) to a Result. For QR charges
// (qr true) the PaymentID is the order id, the attempt's payment, and the charge id is the
// TransactionID.
func (g *Gateway) chargeResult(raw []byte, c *charge, qr bool) gateway.Result {
	amount, amountOK := chargeAmount(string(c.Amount), c.Currency)
	fully := true // "Refund Sent" covers the whole amount unless refund_info says otherwise
	if amountOK && len(c.RefundInfo) > 0 {
		if left, ok := refundable(c, amount); ok && left.IsPositive() {
			fully = false
		}
	}
	st, reason := mapState(c.TransactionState, c.Status, string(c.FailureCode), fully)
	r := gateway.Result{
		Status:        st,
		Reason:        reason,
		PaymentID:     c.ID,
		TransactionID: c.ID,
		AuthCode:      string(c.ApprovalCode),
		TrackID:       string(c.ReferenceOrder),
		GatewayCode:   wire.FirstNonEmpty(strings.TrimSpace(string(c.FailureCode)), strings.TrimSpace(c.TransactionState)),
		Raw:           bytes.ReplaceAll(bytes.Clone(raw), []byte(g.cfg.SecretKey), []byte("[redacted]")),
		At:            parseCreated(string(c.Created)),
	}
	if g.cfg.SecretKey == "" {
		r.Raw = bytes.Clone(raw)
	}
	if qr && c.OrderID != "" {
		r.PaymentID = string(c.OrderID)
	}
	if amountOK {
		r.Amount = amount
	}
	if id, ok := attemptIDFromReference(string(c.ReferenceOrder)); ok {
		r.OurReference = id
	} else {
		r.OurReference = string(c.ReferenceOrder) // not ours: the order service flags it
	}
	msg := strings.TrimSpace(c.TransactionState + " " + c.Status)
	if m := strings.TrimSpace(string(c.FailureMessage)); m != "" {
		msg += ": " + m
	}
	r.GatewayMessage = clip(msg)
	return r
}

// stateKey normalizes a transaction_state for comparison: "Pre-Authorized", "Refund Sent" and
// "VOID" become "preauthorized", "refundsent" and "void".
func stateKey(s string) string {
	return strings.NewReplacer("-", "", " ", "", "_", "").Replace(strings.ToLower(strings.TrimSpace(s)))
}

// mapState maps transaction_state and status (spec §3.6, §8, FAQ 7: success only when
// Authorized and success) to a normalized status and, for failures, a reason. fullyRefunded
// says whether a "Refund Sent" covers the whole amount.
func mapState(state, status, failureCode string, fullyRefunded bool) (gateway.Status, string) {
	status = strings.ToLower(strings.TrimSpace(status))
	failed := status == "fail" || status == "failed"
	code := strings.ToLower(strings.TrimSpace(failureCode))
	if failed {
		switch code { // QR failures (spec §9.2)
		case "qr_expired":
			return gateway.StatusExpired, ""
		case "qr_cancelled":
			return gateway.StatusCancelled, gateway.ReasonCancelled
		}
	}
	if code == "17" { // §9.1 "Customer Cancellation" on a charge that did not go through
		switch stateKey(state) {
		case "declined":
			return gateway.StatusCancelled, gateway.ReasonCancelled
		case "preauthorized", "initialize", "initialized":
			if failed {
				return gateway.StatusCancelled, gateway.ReasonCancelled
			}
		}
	}
	switch stateKey(state) {
	case "authorized":
		switch {
		case status == "success":
			return gateway.StatusPaid, ""
		case status == "pending":
			return gateway.StatusPending, ""
		}
		// "Authorized" + fail is how a failed void or settle answers: ask again.
		return gateway.StatusUnknown, ""
	case "captured", "settled":
		// Settlement requested or done: the money is taken. (A failed refund answers Settled.)
		return gateway.StatusPaid, ""
	case "preauthorized", "initialize", "initialized":
		if failed { // 3-D Secure authentication failed, or the redirect payment failed
			return gateway.StatusFailed, failureReason(failureCode, gateway.ReasonDeclined)
		}
		return gateway.StatusPending, ""
	case "declined":
		return gateway.StatusFailed, failureReason(failureCode, gateway.ReasonDeclined)
	case "reversed":
		return gateway.StatusFailed, failureReason(failureCode, gateway.ReasonGatewayError)
	case "voided", "void":
		return gateway.StatusVoided, ""
	case "refunded":
		return gateway.StatusRefunded, ""
	case "refundsent":
		if fullyRefunded {
			return gateway.StatusRefunded, ""
		}
		return gateway.StatusPaid, ""
	case "partialrefund": // still paid; the order service keeps the refunds
		return gateway.StatusPaid, ""
	}
	return gateway.StatusUnknown, ""
}

// failureReason reads failure_code (spec §9.1 card codes, §9.3 API codes) into a Reason;
// def is the reason when the code says nothing more precise.
func failureReason(code, def string) string {
	switch strings.ToLower(strings.TrimSpace(code)) {
	case "51", "61", "65": // insufficient funds, over the withdrawal limits
		return gateway.ReasonInsufficient
	case "33", "54": // expired card
		return gateway.ReasonCardExpired
	case "17": // customer cancellation
		return gateway.ReasonCancelled
	case "68", "91", "500": // response too late, issuer inoperative, timeout
		return gateway.ReasonTimeout
	case "03", "12", "13", "19", "22", "30", "90", "92", "96", "600",
		"token_invalid", "used_token", "token_conflict", "decrypt_card_error", "mid_and_tid_not_exist",
		"authentication_failure", "mandatory_is_empty", "ip_not_allow", "internal_error":
		return gateway.ReasonGatewayError
	case "01", "02", "04", "05", "06", "07", "14", "15", "34", "35", "36", "37", "41", "43",
		"50", "57", "59", "62", "63", "n7", "card_error", "processing_card_error":
		return gateway.ReasonDeclined
	}
	return def
}

// numberPattern is a plain decimal amount (no sign, no exponent).
var numberPattern = regexp.MustCompile(`^[0-9]{1,15}(\.[0-9]{1,8})?$`)

// parseDecimal reads an amount's text exactly.
func parseDecimal(lit string) (*big.Rat, bool) {
	if !numberPattern.MatchString(lit) {
		return nil, false
	}
	return new(big.Rat).SetString(lit)
}

// chargeAmount converts an amount's text ("200.5", "305") to an exact money.Amount in the
// currency; it fails when the currency is unknown or the value has more decimals than it.
func chargeAmount(lit, currency string) (money.Amount, bool) {
	r, ok := parseDecimal(lit)
	if !ok {
		return money.Amount{}, false
	}
	cur, ok := money.LookupCurrency(strings.ToUpper(strings.TrimSpace(currency)))
	if !ok {
		return money.Amount{}, false
	}
	return wire.Exact(r, cur)
}

// refundable is what may still be refunded of a charge of amount: the settled amount (when
// K-Pay reports one, at most the charge) less the refunds that did not fail. ok is false when
// an entry cannot be read.
func refundable(c *charge, amount money.Amount) (money.Amount, bool) {
	base := amount
	if s := c.SettlementInfo; s != nil {
		lit := wire.FirstNonEmpty(string(s.SettleAmount), string(s.SettlementAmount))
		if settled, ok := chargeAmount(lit, c.Currency); ok && settled.IsPositive() && settled.Cmp(amount) < 0 {
			base = settled
		}
	}
	left := base
	for _, e := range c.RefundInfo {
		if strings.TrimSpace(string(e.ErrorCode)) != "" {
			continue // a failed refund (e.g. OBAVL, insufficient merchant balance)
		}
		r, ok := chargeAmount(e.amount(), c.Currency)
		if !ok {
			return money.Amount{}, false
		}
		var err error
		if left, err = left.Sub(r); err != nil {
			return money.Amount{}, false
		}
	}
	if !left.IsPositive() {
		zero, _ := money.Zero(amount.Currency().Code)
		return zero, true
	}
	if strings.EqualFold(stateKey(c.TransactionState), "refunded") {
		zero, _ := money.Zero(amount.Currency().Code)
		return zero, true
	}
	return left, true
}

// bangkok is Thailand's time (UTC+7), the inferred zone of K-Pay's created (spec §4.0).
var bangkok = time.FixedZone("ICT", 7*3600)

// parseCreated reads created, "YYYYMMDDHHmmSS" with optional milliseconds; zero when it cannot.
func parseCreated(s string) time.Time {
	s = strings.TrimSpace(s)
	if len(s) < 14 {
		return time.Time{}
	}
	t, err := time.ParseInLocation("20060102150405", s[:14], bangkok)
	if err != nil {
		return time.Time{}
	}
	if ms := s[14:]; len(ms) == 3 {
		if d, err := time.ParseDuration(ms + "ms"); err == nil {
			t = t.Add(d)
		}
	}
	return t.UTC()
}
