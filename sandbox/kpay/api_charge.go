package kpay

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/bawaba/checkout/sandbox/internal/simkit"
)

// Create Charge and Inquiry Transaction (spec §4.1, §4.2, §2.8).

type chargeRequest struct {
	Amount         field            `json:"amount"`
	Currency       field            `json:"currency"`
	Description    field            `json:"description"`
	SourceType     field            `json:"source_type"`
	Mode           field            `json:"mode"`
	ReferenceOrder field            `json:"reference_order"`
	Token          field            `json:"token"`
	SaveCard       field            `json:"savecard"`
	OrderID        field            `json:"order_id"`
	Ref1           field            `json:"ref_1"`
	Ref2           field            `json:"ref_2"`
	Ref3           field            `json:"ref_3"`
	DCCData        *dccRequest      `json:"dcc_data"`
	Customer       *customerRequest `json:"customer"`
	AdditionalData *additionalData  `json:"additional_data"`
	CallbackType   field            `json:"callback_type"`
	Smartpay       *smartpayRequest `json:"smartpay"`
	Metadata       json.RawMessage  `json:"metadata"`
}

type dccRequest struct {
	DCCCurrency field `json:"dcc_currency"`
}

type customerRequest struct {
	CustomerID field `json:"customer_id"`
	CardID     field `json:"card_id"`
}

type additionalData struct {
	MID        field `json:"mid"`
	TID        field `json:"tid"`
	CampaignID field `json:"campaign_id"`
	SmartpayID field `json:"smartpay_id"`
	Term       field `json:"term"`
}

type smartpayRequest struct {
	PlanID      field `json:"plan_id"`
	IPanMode    field `json:"ipan_mode"`
	ProductType field `json:"product_type"`
	PaymentTerm field `json:"payment_term"`
	SupplierNo  field `json:"supplier_no"`
	ModelNo     field `json:"model_no"`
}

func isCardKind(kind string) bool {
	return kind == kindCard || kind == kindUnionPay || kind == kindAlipay
}

// createCharge is POST /card/v2/charge.
func (s *Simulator) createCharge(r *http.Request) (any, error) {
	var req chargeRequest
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	for _, f := range []field{req.Amount, req.Currency, req.Description, req.SourceType, req.ReferenceOrder} {
		if f.str() == "" {
			return nil, errMandatory
		}
	}
	currency := strings.ToUpper(req.Currency.str())
	if _, ok := isoDecimals[currency]; !ok {
		return nil, errCurrency
	}
	amount, err := amountOf(req.Amount, currency)
	if err != nil {
		return nil, err
	}
	if len(req.Description.str()) > 255 || len(req.ReferenceOrder.str()) > 50 ||
		len(req.Ref1.str()) > 128 || len(req.Ref2.str()) > 128 || len(req.Ref3.str()) > 128 {
		return nil, errInvalidParam
	}
	if ct := req.CallbackType.str(); ct != "" && ct != "web" && ct != "mobile" {
		return nil, errInvalidParam
	}
	meta, override, err := chargeMetadata(req.Metadata)
	if err != nil {
		return nil, err
	}
	ad := req.AdditionalData
	if ad == nil {
		ad = &additionalData{}
	}
	mid := ad.MID.str()
	if mid != "" && !s.isMID(mid) {
		return nil, errMID
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	c := &charge{
		id: newID("chrg"), amount: amount, currency: currency,
		description: req.Description.str(), reference: req.ReferenceOrder.str(),
		orderID: req.OrderID.str(), ref1: req.Ref1.str(), ref2: req.Ref2.str(), ref3: req.Ref3.str(),
		campaignID: ad.CampaignID.str(), metadata: meta, mid: mid, created: now,
	}
	if c.orderID != "" && s.orders[c.orderID] == nil {
		return nil, errOrderNotFound
	}
	var n *notification
	switch strings.ToLower(req.SourceType.str()) {
	case kindCard:
		if n, err = s.prepareCard(c, &req, ad, now); err != nil {
			return nil, err
		}
	case kindUnionPay, kindAlipay:
		if currency != "THB" {
			return nil, errCurrency
		}
		if s.chargeRef[c.reference] != nil {
			return nil, errDuplicate
		}
		c.kind = strings.ToLower(req.SourceType.str())
		c.pageID = newID("redr")
		c.state, c.status = stateInitialize, statusSuccess
		c.pageExpires = now.Add(redirectTTL)
		brand := "UnionPay"
		if c.kind == kindAlipay {
			brand = "Alipay"
		}
		c.src = source{id: c.pageID, object: "redirect", brand: brand}
		c.redirectURL = s.publicURL + "/" + c.kind + "/" + c.pageID
	default:
		return nil, errInvalidParam
	}
	c.callback = s.callbackFor(c, override)
	s.charges[c.id] = c
	s.chargeRef[c.reference] = c
	if c.pageID != "" {
		s.pages[c.pageID] = c
	}
	s.log.InfoContext(r.Context(), "kpay sandbox: charge created", "charge", c.id, "kind", c.kind, "state", c.state, "status", c.status)
	return reply{c.cardObject(), func() { s.send(n) }}, nil
}

// prepareCard validates a source_type "card" request (§2.8) and decides the
// charge: 3-D Secure (Pre-Authorized with a redirect_url) or the test
// card's outcome at once. The caller holds s.mu.
func (s *Simulator) prepareCard(c *charge, req *chargeRequest, ad *additionalData, now time.Time) (*notification, error) {
	c.kind = kindCard
	switch strings.ToLower(req.Mode.str()) {
	case "token":
		c.mode = "token"
	case "customer":
		c.mode = "customer"
	case "register3d":
		c.mode, c.register3D = "register3D", true
	case "":
		return nil, errMandatory
	default:
		return nil, errInvalidParam
	}
	if c.mid == "" {
		return nil, errMandatory
	}
	var (
		card   cardData
		cardID string
		tok    *token
	)
	if c.mode == "customer" {
		if req.Customer == nil || req.Customer.CustomerID.str() == "" || req.Customer.CardID.str() == "" {
			return nil, errMandatory
		}
		cust := s.customers[req.Customer.CustomerID.str()]
		if cust == nil {
			return nil, errCustomerInvalid
		}
		sc := cust.card(req.Customer.CardID.str())
		if sc == nil {
			return nil, errCardInvalid
		}
		card, cardID, c.customerID = sc.card, sc.id, cust.id
	} else {
		id := req.Token.str()
		if id == "" {
			return nil, errMandatory
		}
		tok = s.tokens[id]
		switch {
		case tok == nil || tok.usedBy == "" && !now.Before(tok.expires):
			return nil, errTokenInvalid
		case tok.usedBy != "":
			return nil, errUsedToken
		case tok.mid != c.mid:
			return nil, errTokenConflict
		}
		card, cardID, c.tokenID, c.lang = tok.card, tok.cardID, tok.id, tok.lang
		if req.Customer != nil && req.Customer.CustomerID.str() != "" {
			if s.customers[req.Customer.CustomerID.str()] == nil {
				return nil, errCustomerInvalid
			}
			if tok.customerID != "" && tok.customerID != req.Customer.CustomerID.str() {
				return nil, errTokenConflict
			}
			c.customerID = req.Customer.CustomerID.str()
		}
	}
	prof := s.profile(card.pan)
	if c.register3D {
		if c.amount != 100 || c.currency != "THB" {
			return nil, errAmountInvalid
		}
		if prof.dcc != "" {
			return nil, errForeignCard
		}
	}
	if err := s.checkSmartpay(c, req, ad, tok); err != nil {
		return nil, err
	}
	if c.mid == s.dccMID {
		if c.currency != "THB" {
			return nil, errCurrency
		}
		if req.DCCData == nil || req.DCCData.DCCCurrency.str() == "" {
			return nil, errMandatory
		}
		cur := strings.ToUpper(req.DCCData.DCCCurrency.str())
		if cur != "THB" && cur != prof.dcc {
			return nil, errCurrency
		}
		if tok != nil && tok.dccCurrency != "" && tok.dccCurrency != cur {
			return nil, errTokenConflict
		}
		if cur != "THB" {
			rate := dccRates[cur]
			c.dcc = &dccData{baht: c.amount, rate: rate, currency: cur, converted: rate.convert(c.amount, cur), mid: c.mid}
		}
	}
	if s.chargeRef[c.reference] != nil {
		return nil, errDuplicate
	}

	if cardID == "" {
		cardID = newID("card")
	}
	c.src = source{id: cardID, object: "card", brand: prof.brand, masking: maskPAN(card.pan), issuer: issuerBank}
	c.saveCard = req.SaveCard.isTrue()
	if tok != nil {
		tok.usedBy = c.id
	}
	if prof.threeDS || c.register3D {
		c.state, c.status = statePreAuthorized, statusSuccess
		c.pageID = newID("auth")
		c.redirectURL = s.publicURL + "/3ds/" + c.pageID
		c.pageExpires = now.Add(redirectTTL)
		c.outcome = prof.code
		return nil, nil
	}
	s.applyOutcome(c, prof.code, now)
	return s.notify(c), nil // non-3-D Secure: notified too [GUESS], §14.20
}

// checkSmartpay validates the two SmartPay parameter sets (§2.4, §2.8):
// SmartpayID (additional_data.smartpay_id + term) or Installment Plan (the
// smartpay object), never both. A token made by a SmartPay form must be
// charged with the same SmartPay ID or plan and term (token_conflict).
func (s *Simulator) checkSmartpay(c *charge, req *chargeRequest, ad *additionalData, tok *token) error {
	hasID, hasPlan := ad.SmartpayID.str() != "", req.Smartpay != nil
	if tok != nil {
		switch {
		case tok.smartpayID != "" && tok.smartpayID != ad.SmartpayID.str(),
			tok.plan != nil && (!hasPlan || tok.plan.planID != req.Smartpay.PlanID.str()):
			return errTokenConflict
		}
	}
	if !hasID && !hasPlan {
		return nil
	}
	if hasID && hasPlan || c.mid == s.dccMID {
		return errSmartpay
	}
	if s.smartpayMID != "" && c.mid != s.smartpayMID {
		return errMID
	}
	if c.currency != "THB" {
		return errCurrency
	}
	if hasID {
		c.smartpayID, c.term = ad.SmartpayID.str(), ad.Term.str()
	} else {
		p := req.Smartpay
		for _, f := range []field{p.PlanID, p.IPanMode, p.ProductType, p.PaymentTerm, p.SupplierNo, p.ModelNo} {
			if f.str() == "" {
				return errMandatory
			}
		}
		switch p.IPanMode.str() {
		case "01", "02", "03", "04":
		default:
			return errSmartpay
		}
		c.ipanMode, c.term = p.IPanMode.str(), p.PaymentTerm.str()
	}
	if c.term == "" {
		return errMandatory
	}
	if !simkit.Digits(c.term) || len(c.term) > 2 {
		return errInvalidParam
	}
	if tok != nil && tok.term != "" && tok.term != c.term {
		return errTokenConflict
	}
	return nil
}

// chargeMetadata checks the optional metadata hash and takes the sandbox's
// per-charge callback URL out of it (metadata.callback_url).
func chargeMetadata(b json.RawMessage) (json.RawMessage, string, error) {
	if len(b) == 0 || string(b) == "null" {
		return nil, "", nil
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, "", errInvalidParam
	}
	cb, _ := m["callback_url"].(string)
	if cb != "" {
		u, err := url.Parse(cb)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, "", errInvalidParam
		}
	}
	return b, cb, nil
}

// callbackFor is where the browser goes after c's hosted page: the charge's
// override, else Config.CallbackURL with its placeholders filled.
func (s *Simulator) callbackFor(c *charge, override string) string {
	if override != "" {
		return override
	}
	return strings.NewReplacer(
		"{charge_id}", url.PathEscape(c.id),
		"{reference_order}", url.PathEscape(c.reference),
	).Replace(s.callbackURL)
}

// cardCharge finds a card-endpoint charge by charge id, reference_order or
// order_id (the latest charge of that order). The caller holds s.mu.
func (s *Simulator) cardCharge(key string) *charge {
	if c := s.charges[key]; c != nil && isCardKind(c.kind) {
		return c
	}
	if c := s.chargeRef[key]; c != nil {
		return c
	}
	var latest *charge
	for _, c := range s.charges {
		if isCardKind(c.kind) && c.orderID == key && (latest == nil || c.created.After(latest.created)) {
			latest = c
		}
	}
	return latest
}

const (
	day           = 24 * time.Hour
	recentWindow  = 180 * day // without transaction_date
	archiveWindow = 366 * day // with transaction_date
)

// checkDate applies the transaction_date rules of §4.2 and §4.5: a charge
// older than 180 days needs the date (up to 366 days), and a given date must
// be the charge's creation day in Bangkok. tooOld is the error for age.
func checkDate(c *charge, date string, now time.Time, tooOld apiError) error {
	age := now.Sub(c.created)
	if date == "" {
		if age > recentWindow {
			return tooOld
		}
		return nil
	}
	if len(date) != 8 || !simkit.Digits(date) {
		return errDateFormat
	}
	if _, err := time.ParseInLocation("20060102", date, bangkok); err != nil {
		return errDateFormat
	}
	if c.created.In(bangkok).Format("20060102") != date {
		return errDateMismatch
	}
	if age > archiveWindow {
		return tooOld
	}
	return nil
}

// inquireCharge is GET /card/v2/charge/{charge_id|reference_order|order_id}[/{yyyymmdd}].
func (s *Simulator) inquireCharge(r *http.Request) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.cardCharge(r.PathValue("key"))
	if c == nil {
		return nil, errChargeNotExist
	}
	now := s.now()
	if err := checkDate(c, r.PathValue("date"), now, errChargeNotExist); err != nil {
		return nil, err
	}
	s.advance(c, now)
	return c.cardObject(), nil
}
