package kpay

import (
	"net/http"
	"strings"
)

// Void, Settle and Refund (spec §4.3–§4.5), following the state machine of
// §8.4: void before settlement, settle once from Authorized, refund only
// after settlement and never more than what remains.

// decodeLocked decodes r's body into req, locks s.mu and finds the object of the path's {id};
// on success the caller holds s.mu, on an error it is unlocked.
func decodeLocked[T any](s *Simulator, r *http.Request, req any, find func(id string) (T, error)) (T, error) {
	var zero T
	if err := decode(r, req); err != nil {
		return zero, err
	}
	s.mu.Lock()
	v, err := find(r.PathValue("id"))
	if err != nil {
		s.mu.Unlock()
		return zero, err
	}
	return v, nil
}

// chargeByID is a card-endpoint charge by id, advanced to now. The caller holds s.mu.
func (s *Simulator) chargeByID(id string) (*charge, error) {
	c := s.charges[id]
	if c == nil || !isCardKind(c.kind) {
		return nil, errChargeNotExist
	}
	s.advance(c, s.now())
	return c, nil
}

// voidCharge is POST /card/v2/charge/{id}/void. Authorized and Captured
// (settle requested, not yet settled) charges can be voided.
func (s *Simulator) voidCharge(r *http.Request) (any, error) {
	var req struct {
		Reason field `json:"reason"`
	}
	c, err := decodeLocked(s, r, &req, s.chargeByID)
	if err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	if req.Reason.str() == "" {
		return nil, errMandatory
	}
	if c.status != statusSuccess || c.state != stateAuthorized && c.state != stateCaptured {
		return nil, errVoidState
	}
	c.state, c.settled = stateVoided, 0
	s.log.InfoContext(r.Context(), "kpay sandbox: charge voided", "charge", c.id)
	return c.cardObject(), nil
}

// settleCharge is POST /card/v2/charge/{id}/settle: full or partial capture
// of an Authorized charge; Captured becomes Settled at the next cut-off.
func (s *Simulator) settleCharge(r *http.Request) (any, error) {
	var req struct {
		Amount field `json:"amount"`
		Type   field `json:"type"`
	}
	c, err := decodeLocked(s, r, &req, s.chargeByID)
	if err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	if req.Type.str() == "" {
		return nil, errMandatory
	}
	amount, err := amountOf(req.Amount, c.currency)
	if err != nil {
		return nil, err
	}
	typ := strings.ToLower(req.Type.str())
	if typ != "full" && typ != "partial" {
		return nil, errInvalidParam
	}
	if c.status != statusSuccess || c.state != stateAuthorized {
		return nil, errSettleState
	}
	switch {
	case amount > c.amount:
		return nil, errAmountExceed
	case typ == "full" && amount != c.amount:
		return nil, errInvalidParam
	}
	now := s.now()
	c.state, c.settled, c.settleDue = stateCaptured, amount, s.settleAt(now)
	s.log.InfoContext(r.Context(), "kpay sandbox: charge captured", "charge", c.id, "type", typ)
	return c.cardObject(), nil
}

// refundCharge is POST /card/v2/charge/{id}/refund.
func (s *Simulator) refundCharge(r *http.Request) (any, error) {
	var req struct {
		Reason          field `json:"reason"`
		Amount          field `json:"amount"`
		TransactionDate field `json:"transaction_date"`
	}
	c, err := decodeLocked(s, r, &req, s.chargeByID)
	if err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	if req.Reason.str() == "" {
		return nil, errMandatory
	}
	amount, err := amountOf(req.Amount, c.currency)
	if err != nil {
		return nil, err
	}
	now := s.now()
	if err := checkDate(c, req.TransactionDate.str(), now, errRefundRange); err != nil {
		return nil, err
	}
	if c.kind == kindAlipay {
		return nil, errRefundNotAllow
	}
	if c.status != statusSuccess || c.state != stateSettled && c.state != statePartialRefund && c.state != stateRefundSent {
		return nil, errRefundState
	}
	remaining := c.settled - c.refunded()
	if c.smartpayID != "" || c.ipanMode != "" { // SmartPay (§9.3.6)
		full := len(c.refunds) == 0 && amount == c.settled
		switch {
		case c.ipanMode == "01", c.ipanMode == "02" && full:
			return nil, errPermission
		case !full && len(c.refunds) > 0:
			return nil, errPartialRefund
		}
	}
	if amount > remaining {
		return nil, errRefundExceed
	}
	rf := &refund{id: newID("refd"), amount: amount, at: now}
	c.refunds = append(c.refunds, rf)
	c.state, c.refundDue = stateRefundSent, s.settleAt(now)
	s.log.InfoContext(r.Context(), "kpay sandbox: charge refunded", "charge", c.id, "refund", rf.id)
	j := c.cardObject()
	j.RefundID, j.Reason = rf.id, raw("null")
	return j, nil
}
