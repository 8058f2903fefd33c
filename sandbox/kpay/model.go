package kpay

import (
	"encoding/json"
	"time"
)

// transaction_state values (spec §8.3).
const (
	stateInitialize    = "Initialize"
	statePreAuthorized = "Pre-Authorized"
	stateAuthorized    = "Authorized"
	stateDeclined      = "Declined"
	stateReversed      = "Reversed"
	stateVoided        = "Voided"
	stateCaptured      = "Captured"
	stateSettled       = "Settled"
	stateRefundSent    = "Refund Sent"
	stateRefunded      = "Refunded"
	statePartialRefund = "Partial Refund"

	statusSuccess = "success"
	statusFail    = "fail"
)

// Kinds of charge: what paid it.
const (
	kindCard     = "card"     // Visa/Mastercard/JCB through the K-Pay form or a saved card
	kindUnionPay = "unionpay" // Redirect to the TPN/UPI page
	kindAlipay   = "alipay"   // Redirect to the Alipay page
	kindQR       = "qr"       // Thai QR, paid in the QR simulator
	kindWeChat   = "wechat"   // WeChat Pay QR, paid in the QR simulator
)

// charge is a K-Pay charge and the simulator's bookkeeping for it.
type charge struct {
	id, kind         string
	amount           int64 // cents
	currency         string
	description      string
	reference        string // reference_order
	orderID          string
	ref1, ref2, ref3 string
	campaignID       string
	metadata         json.RawMessage // echoed as sent ({} when none)
	mid              string
	mode             string // token | customer | register3D (cards)
	tokenID          string
	saveCard         bool
	customerID       string
	created          time.Time

	state, status  string
	failureCode    string
	failureMessage string
	src            source
	approval       string
	mpi            *mpiData
	dcc            *dccData
	smartpayID     string
	term           string
	ipanMode       string // "" unless an Installment Plan charge

	// hosted page (3-D Secure, UnionPay, Alipay)
	pageID      string
	redirectURL string
	pageExpires time.Time
	pageExpired bool   // the page expired before the shopper finished
	cancelled   bool   // the shopper pressed Cancel on the page
	otpRef      string // shown once the shopper pressed Request OTP
	outcome     string // card response code applied after 3-D Secure
	register3D  bool
	callback    string // where the browser goes afterwards ("" => our result page)
	lang        string // the page's default language

	// lifecycle (spec §8.4)
	settleDue time.Time // Authorized or Captured → Settled
	settled   int64     // settlement amount, cents
	refunds   []*refund
	refundDue time.Time // Refund Sent → Refunded | Partial Refund
	qrApp     string    // QR: kplus | other
}

type source struct {
	id, object, brand, masking, issuer string
}

type mpiData struct {
	eci, xid, cavv, dtransid string
}

type dccData struct {
	baht      int64 // cents THB
	rate      dccRate
	currency  string
	converted string // in the card's currency, its decimals
	mid       string
}

type refund struct {
	id     string
	amount int64
	at     time.Time
}

// cardData is what the K-Pay form (or the token API) collected.
type cardData struct {
	pan, name         string
	expMonth, expYear int // 1–12, four-digit year
	brand             string
}

// installmentPlan is the Installment Plan parameter set (spec §2.4.3).
type installmentPlan struct {
	planID, ipanMode, productType, supplierNo, modelNo string
}

// token is a one-time card token (spec §2.7, FAQ 2).
type token struct {
	id               string
	created, expires time.Time
	card             cardData
	mid              string
	saveCard         bool
	dccCurrency      string // "" unless a DCC MID: THB or the card's currency
	smartpayID, term string
	plan             *installmentPlan
	customerID       string // a saved card chosen in the form
	cardID           string
	lang             string
	usedBy           string // the charge that spent it
	attached         bool   // given to Create Customer / Add Card
}

// order is a QR / WeChat order (spec §4.7).
type order struct {
	id, sourceType   string
	amount           int64
	currency         string
	description      string
	reference        string
	mid, tid         string
	smartpayID, term string
	campaignID       string
	customerID       string
	metadata         json.RawMessage
	created, expires time.Time
	qrID             string // the QR shown for it, once the K-Pay form showed it
	chargeID         string // the charge that paid it
	cancelled        bool
}

// qrCode is the QR shown for an order.
type qrCode struct {
	id      string
	orderID string
	created time.Time
}

type customer struct {
	id, email, name string
	created         time.Time
	defaultCard     string
	cards           []*savedCard
}

type savedCard struct {
	id   string
	card cardData
}

// dccDraft holds a card while the cardholder picks the DCC currency.
type dccDraft struct {
	id       string
	card     cardData
	save     bool
	expires  time.Time
	currency string // the card's currency
}

// succeeded is the FAQ's success test, transaction_state and status together.
func (c *charge) succeeded() bool {
	return c.status == statusSuccess && (c.state == stateAuthorized || c.register3D && c.state == stateVoided)
}

// advance moves c through KBank's "next day" processing and expires
// its hosted page, as of now. It runs whenever a charge is read.
func (s *Simulator) advance(c *charge, now time.Time) {
	if c.status == statusSuccess && (c.state == statePreAuthorized || c.state == stateInitialize) &&
		!c.pageExpires.IsZero() && !now.Before(c.pageExpires) {
		c.pageExpired = true
		if c.state == statePreAuthorized { // authentication never completed (§8.1)
			c.fail(statePreAuthorized, "50")
		} else {
			c.fail(stateReversed, "500")
		}
		return
	}
	if (c.state == stateAuthorized || c.state == stateCaptured) && c.status == statusSuccess &&
		!c.settleDue.IsZero() && !now.Before(c.settleDue) {
		if c.state == stateAuthorized {
			c.settled = c.amount
		}
		c.state = stateSettled
	}
	if c.state == stateRefundSent && !now.Before(c.refundDue) {
		if c.refunded() >= c.settled {
			c.state = stateRefunded
		} else {
			c.state = statePartialRefund
		}
	}
}

// authorize makes c Authorized, due for settlement at the next cut-off.
func (s *Simulator) authorize(c *charge, now time.Time) {
	c.state, c.status = stateAuthorized, statusSuccess
	c.failureCode, c.failureMessage = "", ""
	c.approval = sixDigits()
	c.settleDue = s.settleAt(now)
}

// fail ends c in state with a §9.1 failure code.
func (c *charge) fail(state, code string) {
	c.state, c.status = state, statusFail
	c.failureCode, c.failureMessage = code, failureMessages[code]
}

func (c *charge) refunded() int64 {
	var n int64
	for _, r := range c.refunds {
		n += r.amount
	}
	return n
}

// applyOutcome settles a card charge by its test card's response code.
func (s *Simulator) applyOutcome(c *charge, code string, now time.Time) {
	switch code {
	case "00":
		s.authorize(c, now)
	case "500":
		c.fail(stateReversed, code)
	default:
		c.fail(stateDeclined, code)
	}
}
