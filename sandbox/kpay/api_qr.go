package kpay

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// Order API and QR API (spec §4.7, §4.8). A Thai QR / WeChat Pay order is
// created by the merchant, shown as a QR by the K-Pay form, paid in the QR
// simulator, and then has exactly one charge.

var (
	errQRExpired   = apiError{404, "qr_expired", "QR has expired. (EMQRE)"}
	errQRCancelled = apiError{404, "qr_cancelled", "QR is cancelled. (EMQRC)"}
)

type orderRequest struct {
	Amount         field           `json:"amount"`
	Currency       field           `json:"currency"`
	Description    field           `json:"description"`
	SourceType     field           `json:"source_type"`
	ReferenceOrder field           `json:"reference_order"`
	AdditionalData *additionalData `json:"additional_data"`
	Customer       *struct {
		CustomerID field `json:"customer_id"`
	} `json:"customer"`
	Metadata json.RawMessage `json:"metadata"`
	Ref1     field           `json:"ref_1"`
	Ref2     field           `json:"ref_2"`
	Ref3     field           `json:"ref_3"`
}

// createOrder is POST /qr/v2/order.
func (s *Simulator) createOrder(r *http.Request) (any, error) {
	var req orderRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	for _, f := range []field{req.Amount, req.Currency, req.Description, req.SourceType, req.ReferenceOrder} {
		if f.str() == "" {
			return nil, errMandatory
		}
	}
	currency := strings.ToUpper(req.Currency.str())
	if currency != "THB" { // Thai QR and WeChat Pay settle in Baht [GUESS]
		return nil, errCurrency
	}
	amount, err := amountOf(req.Amount, currency)
	if err != nil {
		return nil, err
	}
	source := strings.ToLower(req.SourceType.str())
	switch source {
	case kindQR, kindWeChat:
	case "card", "redirect": // in the enum, but no flow creates such orders (§14.37)
		return nil, errSourceOfFund
	default:
		return nil, errInvalidParam
	}
	if len(req.Description.str()) > 255 || len(req.ReferenceOrder.str()) > 50 {
		return nil, errInvalidParam
	}
	if m := req.Metadata; len(m) > 0 && string(m) != "null" && !json.Valid(m) {
		return nil, errInvalidParam
	}
	ad := req.AdditionalData
	if ad == nil {
		ad = &additionalData{}
	}
	if mid := ad.MID.str(); mid != "" && !s.isMID(mid) {
		return nil, errMID
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if s.orderRef[req.ReferenceOrder.str()] != nil {
		return nil, errDuplicate
	}
	now := s.now()
	o := &order{
		id: newID("order"), sourceType: source, amount: amount, currency: currency,
		description: req.Description.str(), reference: req.ReferenceOrder.str(),
		mid: ad.MID.str(), tid: ad.TID.str(), smartpayID: ad.SmartpayID.str(), term: ad.Term.str(),
		campaignID: ad.CampaignID.str(), metadata: req.Metadata,
		created: now, expires: now.Add(s.qrExpiry),
	}
	if string(o.metadata) == "null" {
		o.metadata = nil
	}
	if req.Customer != nil {
		o.customerID = req.Customer.CustomerID.str()
	}
	s.orders[o.id] = o
	s.orderRef[o.reference] = o
	s.log.InfoContext(r.Context(), "kpay sandbox: order created", "order", o.id, "source_type", source)
	return o.object(), nil
}

// inquireOrder is GET /qr/v2/order/{id}.
func (s *Simulator) inquireOrder(r *http.Request) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orders[r.PathValue("id")]
	if o == nil {
		return nil, errOrderNotFound
	}
	return o.object(), nil
}

// qrState is an order's QR as the form, the API and the simulator see it.
func (o *order) qrState(now time.Time) string {
	switch {
	case o.chargeID != "":
		return "paid"
	case o.cancelled:
		return "cancelled"
	case !now.Before(o.expires):
		return "expired"
	}
	return "pending"
}

// inquireQR is GET /qr/v2/qr/{charge_id|order_id}. An order not paid yet
// has no charge: no_transaction_found, or qr_expired / qr_cancelled once it
// cannot be paid any more (§14.21 [GUESS]).
func (s *Simulator) inquireQR(r *http.Request) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := r.PathValue("id")
	now := s.now()
	c := s.charges[id]
	if o := s.orders[id]; o != nil {
		switch o.qrState(now) {
		case "paid":
			c = s.charges[o.chargeID]
		case "cancelled":
			return nil, errQRCancelled
		case "expired":
			return nil, errQRExpired
		default:
			return nil, errNoTransaction
		}
	}
	if c == nil || isCardKind(c.kind) {
		return nil, errChargeNotExist
	}
	s.advance(c, now)
	return c.qrObject(), nil
}

// voidQR is POST /qr/v2/qr/{charge_id}/void: only a Thai QR paid with K PLUS,
// on the day it was paid, before settlement (§4.8.2). A refused void answers
// the charge unchanged with status fail and a §9.2 qr_void failure.
func (s *Simulator) voidQR(r *http.Request) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.charges[r.PathValue("id")]
	if c == nil || isCardKind(c.kind) {
		return nil, errNoTransaction
	}
	now := s.now()
	s.advance(c, now)
	why := ""
	switch {
	case c.state == stateVoided:
		why = "QR already voided. (EMQRV)"
	case c.state != stateAuthorized:
		why = "Cannot void over the day. (EMQRVOD)"
	case c.kind != kindQR || c.qrApp != "kplus":
		why = "Cannot void other channel. (EMQRVOTCH)"
	case c.created.In(bangkok).Format("20060102") != now.In(bangkok).Format("20060102"):
		why = "Cannot void over the day. (EMQRVOD)"
	}
	if why != "" {
		j := c.qrObject()
		j.Status, j.FailureCode, j.FailureMessage = statusFail, nz("qr_void"), nz(why)
		return j, nil
	}
	c.state = stateVoided
	s.log.InfoContext(r.Context(), "kpay sandbox: QR charge voided", "charge", c.id)
	return c.qrObject(), nil
}

// cancelQR is POST /qr/v2/qr/{qr_id}/cancel: an unpaid QR can no longer be paid.
func (s *Simulator) cancelQR(r *http.Request) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.qrs[r.PathValue("id")]
	if q == nil {
		return nil, errNoTransaction
	}
	o := s.orders[q.orderID]
	res := struct {
		ID             string  `json:"id"`
		Object         string  `json:"object"`
		Created        string  `json:"created"`
		Livemode       bool    `json:"livemode"`
		Status         string  `json:"status"`
		FailureCode    *string `json:"failure_code"`
		FailureMessage *string `json:"failure_message"`
	}{ID: q.id, Object: "qr", Created: kbankTime(q.created), Status: statusSuccess}
	fail := func(code, msg string) (any, error) {
		res.Status, res.FailureCode, res.FailureMessage = statusFail, nz(code), nz(msg)
		return res, nil
	}
	switch o.qrState(s.now()) {
	case "paid":
		return fail("qr_paid", "QR already paid. (EMQRP)")
	case "cancelled":
		return fail("qr_cancelled", "QR is cancelled. (EMQRC)")
	case "expired":
		return fail("qr_expired", "QR already expired. (EMQRAE)")
	}
	o.cancelled = true
	s.log.InfoContext(r.Context(), "kpay sandbox: QR cancelled", "qr", q.id, "order", o.id)
	return res, nil
}

// qrFor returns the QR shown for o, creating it the first time. The caller holds s.mu.
func (s *Simulator) qrFor(o *order, now time.Time) *qrCode {
	if q := s.qrs[o.qrID]; q != nil {
		return q
	}
	q := &qrCode{id: newID("qr"), orderID: o.id, created: now}
	s.qrs[q.id] = q
	o.qrID = q.id
	return q
}

// payQR is the QR simulator's Pay: a charge Authorized/success linked to
// the order, and its webhook. The caller holds s.mu.
func (s *Simulator) payQR(q *qrCode, app string, now time.Time) (*charge, *notification, string) {
	o := s.orders[q.orderID]
	switch o.qrState(now) {
	case "paid":
		return nil, nil, "qr_paid"
	case "cancelled":
		return nil, nil, "qr_cancelled"
	case "expired":
		return nil, nil, "qr_expired"
	}
	brand := "ThaiQR"
	if o.sourceType == kindWeChat {
		brand = "WeChat" // [GUESS] the seed never shows it (§5.3)
		app = "wechat"
	}
	c := &charge{
		id: newID("chrg"), kind: o.sourceType, amount: o.amount, currency: o.currency,
		description: o.description, reference: o.reference, orderID: o.id, metadata: o.metadata,
		mid: o.mid, created: now, src: source{id: q.id, object: "qr", brand: brand}, qrApp: app,
	}
	s.authorize(c, now)
	s.charges[c.id] = c
	o.chargeID = c.id
	s.log.Info("kpay sandbox: QR paid", "qr", q.id, "order", o.id, "charge", c.id)
	return c, s.notify(c), ""
}
