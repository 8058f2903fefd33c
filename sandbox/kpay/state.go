package kpay

import (
	"encoding/json"
	"time"
)

// saved is what the simulator keeps in Config.StateFile: charges (with their refunds, hosted
// pages and settlement), tokens, QR orders and codes, and customers with their cards. A DCC
// offer waiting for the cardholder's choice is not kept (the form starts again), nor are
// webhook deliveries in flight.
type saved struct {
	Charges   []savedCharge   `json:"charges"`
	Tokens    []savedToken    `json:"tokens"`
	Orders    []savedOrder    `json:"orders"`
	QRs       []savedQR       `json:"qrs"`
	Customers []savedCustomer `json:"customers"`
	Clock     time.Duration   `json:"clock"` // how far the test clock was moved: times stay in order
}

type keptCard struct {
	PAN, Name         string
	ExpMonth, ExpYear int
	Brand             string
}

type savedCharge struct {
	ID, Kind                         string
	Amount                           int64
	Currency, Description, Reference string
	OrderID, Ref1, Ref2, Ref3        string
	CampaignID                       string
	Metadata                         json.RawMessage
	MID, Mode, TokenID               string
	SaveCard                         bool
	CustomerID                       string
	Created                          time.Time
	State, Status                    string
	FailureCode, FailureMessage      string
	Source                           [5]string // id, object, brand, masking, issuer
	Approval                         string
	MPI                              *[4]string // eci, xid, cavv, dtransid
	DCC                              *savedDCC
	SmartPayID, Term, IPanMode       string
	PageID, RedirectURL              string
	PageExpires                      time.Time
	PageExpired, Cancelled           bool
	OTPRef, Outcome                  string
	Register3D                       bool
	Callback, Lang                   string
	SettleDue                        time.Time
	Settled                          int64
	Refunds                          []savedRefund
	RefundDue                        time.Time
	QRApp                            string
}

type savedDCC struct {
	Baht                     int64
	Currency, Converted, MID string // the rate is dccRates[Currency]
}

type savedRefund struct {
	ID     string
	Amount int64
	At     time.Time
}

type savedToken struct {
	ID                       string
	Created, Expires         time.Time
	Card                     keptCard
	MID                      string
	SaveCard                 bool
	DCCCurrency              string
	SmartPayID, Term         string
	Plan                     *[5]string // planID, ipanMode, productType, supplierNo, modelNo
	CustomerID, CardID, Lang string
	UsedBy                   string
	Attached                 bool
}

type savedOrder struct {
	ID, SourceType         string
	Amount                 int64
	Currency, Description  string
	Reference, MID, TID    string
	SmartPayID, Term       string
	CampaignID, CustomerID string
	Metadata               json.RawMessage
	Created, Expires       time.Time
	QRID, ChargeID         string
	Cancelled              bool
}

type savedQR struct {
	ID, OrderID string
	Created     time.Time
}

type savedCustomer struct {
	ID, Email, Name string
	Created         time.Time
	DefaultCard     string
	Cards           []savedCustomerCard
}

type savedCustomerCard struct {
	ID   string
	Card keptCard
}

func keepCard(c cardData) keptCard {
	return keptCard{c.pan, c.name, c.expMonth, c.expYear, c.brand}
}

func (c keptCard) data() cardData {
	return cardData{pan: c.PAN, name: c.Name, expMonth: c.ExpMonth, expYear: c.ExpYear, brand: c.Brand}
}

// snapshot is the state to keep; the caller holds s.mu.
func (s *Simulator) snapshot() *saved {
	sv := &saved{Clock: time.Duration(s.skew.Load())}
	for _, c := range s.charges {
		sc := savedCharge{
			ID: c.id, Kind: c.kind, Amount: c.amount, Currency: c.currency, Description: c.description,
			Reference: c.reference, OrderID: c.orderID, Ref1: c.ref1, Ref2: c.ref2, Ref3: c.ref3,
			CampaignID: c.campaignID, Metadata: c.metadata, MID: c.mid, Mode: c.mode, TokenID: c.tokenID,
			SaveCard: c.saveCard, CustomerID: c.customerID, Created: c.created, State: c.state, Status: c.status,
			FailureCode: c.failureCode, FailureMessage: c.failureMessage,
			Source:   [5]string{c.src.id, c.src.object, c.src.brand, c.src.masking, c.src.issuer},
			Approval: c.approval, SmartPayID: c.smartpayID, Term: c.term, IPanMode: c.ipanMode,
			PageID: c.pageID, RedirectURL: c.redirectURL, PageExpires: c.pageExpires, PageExpired: c.pageExpired,
			Cancelled: c.cancelled, OTPRef: c.otpRef, Outcome: c.outcome, Register3D: c.register3D,
			Callback: c.callback, Lang: c.lang, SettleDue: c.settleDue, Settled: c.settled,
			RefundDue: c.refundDue, QRApp: c.qrApp,
		}
		if m := c.mpi; m != nil {
			sc.MPI = &[4]string{m.eci, m.xid, m.cavv, m.dtransid}
		}
		if d := c.dcc; d != nil {
			sc.DCC = &savedDCC{d.baht, d.currency, d.converted, d.mid}
		}
		for _, r := range c.refunds {
			sc.Refunds = append(sc.Refunds, savedRefund{r.id, r.amount, r.at})
		}
		sv.Charges = append(sv.Charges, sc)
	}
	for _, t := range s.tokens {
		st := savedToken{ID: t.id, Created: t.created, Expires: t.expires, Card: keepCard(t.card), MID: t.mid,
			SaveCard: t.saveCard, DCCCurrency: t.dccCurrency, SmartPayID: t.smartpayID, Term: t.term,
			CustomerID: t.customerID, CardID: t.cardID, Lang: t.lang, UsedBy: t.usedBy, Attached: t.attached}
		if p := t.plan; p != nil {
			st.Plan = &[5]string{p.planID, p.ipanMode, p.productType, p.supplierNo, p.modelNo}
		}
		sv.Tokens = append(sv.Tokens, st)
	}
	for _, o := range s.orders {
		sv.Orders = append(sv.Orders, savedOrder{o.id, o.sourceType, o.amount, o.currency, o.description,
			o.reference, o.mid, o.tid, o.smartpayID, o.term, o.campaignID, o.customerID, o.metadata,
			o.created, o.expires, o.qrID, o.chargeID, o.cancelled})
	}
	for _, q := range s.qrs {
		sv.QRs = append(sv.QRs, savedQR{q.id, q.orderID, q.created})
	}
	for _, cu := range s.customers {
		sc := savedCustomer{ID: cu.id, Email: cu.email, Name: cu.name, Created: cu.created, DefaultCard: cu.defaultCard}
		for _, card := range cu.cards {
			sc.Cards = append(sc.Cards, savedCustomerCard{card.id, keepCard(card.card)})
		}
		sv.Customers = append(sv.Customers, sc)
	}
	return sv
}

// restore fills the empty maps of a new simulator from its state file (see simkit.Keep).
func (s *Simulator) restore(sv *saved) []any {
	s.skew.Store(int64(sv.Clock))
	for _, sc := range sv.Charges {
		c := &charge{
			id: sc.ID, kind: sc.Kind, amount: sc.Amount, currency: sc.Currency, description: sc.Description,
			reference: sc.Reference, orderID: sc.OrderID, ref1: sc.Ref1, ref2: sc.Ref2, ref3: sc.Ref3,
			campaignID: sc.CampaignID, metadata: sc.Metadata, mid: sc.MID, mode: sc.Mode, tokenID: sc.TokenID,
			saveCard: sc.SaveCard, customerID: sc.CustomerID, created: sc.Created, state: sc.State, status: sc.Status,
			failureCode: sc.FailureCode, failureMessage: sc.FailureMessage,
			src:      source{sc.Source[0], sc.Source[1], sc.Source[2], sc.Source[3], sc.Source[4]},
			approval: sc.Approval, smartpayID: sc.SmartPayID, term: sc.Term, ipanMode: sc.IPanMode,
			pageID: sc.PageID, redirectURL: sc.RedirectURL, pageExpires: sc.PageExpires, pageExpired: sc.PageExpired,
			cancelled: sc.Cancelled, otpRef: sc.OTPRef, outcome: sc.Outcome, register3D: sc.Register3D,
			callback: sc.Callback, lang: sc.Lang, settleDue: sc.SettleDue, settled: sc.Settled,
			refundDue: sc.RefundDue, qrApp: sc.QRApp,
		}
		if m := sc.MPI; m != nil {
			c.mpi = &mpiData{m[0], m[1], m[2], m[3]}
		}
		if d := sc.DCC; d != nil {
			c.dcc = &dccData{baht: d.Baht, rate: dccRates[d.Currency], currency: d.Currency, converted: d.Converted, mid: d.MID}
		}
		for _, r := range sc.Refunds {
			c.refunds = append(c.refunds, &refund{r.ID, r.Amount, r.At})
		}
		s.charges[c.id] = c
		if c.kind != kindQR && c.kind != kindWeChat { // the card endpoint's charges
			s.chargeRef[c.reference] = c
		}
		if c.pageID != "" {
			s.pages[c.pageID] = c
		}
	}
	for _, st := range sv.Tokens {
		t := &token{id: st.ID, created: st.Created, expires: st.Expires, card: st.Card.data(), mid: st.MID,
			saveCard: st.SaveCard, dccCurrency: st.DCCCurrency, smartpayID: st.SmartPayID, term: st.Term,
			customerID: st.CustomerID, cardID: st.CardID, lang: st.Lang, usedBy: st.UsedBy, attached: st.Attached}
		if p := st.Plan; p != nil {
			t.plan = &installmentPlan{p[0], p[1], p[2], p[3], p[4]}
		}
		s.tokens[t.id] = t
	}
	for _, so := range sv.Orders {
		o := &order{id: so.ID, sourceType: so.SourceType, amount: so.Amount, currency: so.Currency,
			description: so.Description, reference: so.Reference, mid: so.MID, tid: so.TID,
			smartpayID: so.SmartPayID, term: so.Term, campaignID: so.CampaignID, customerID: so.CustomerID,
			metadata: so.Metadata, created: so.Created, expires: so.Expires, qrID: so.QRID, chargeID: so.ChargeID,
			cancelled: so.Cancelled}
		s.orders[o.id] = o
		s.orderRef[o.reference] = o
	}
	for _, q := range sv.QRs {
		s.qrs[q.ID] = &qrCode{q.ID, q.OrderID, q.Created}
	}
	for _, sc := range sv.Customers {
		cu := &customer{id: sc.ID, email: sc.Email, name: sc.Name, created: sc.Created, defaultCard: sc.DefaultCard}
		for _, card := range sc.Cards {
			cu.cards = append(cu.cards, &savedCard{card.ID, card.Card.data()})
		}
		s.customers[cu.id] = cu
	}
	return []any{"charges", len(s.charges), "orders", len(s.orders)}
}
