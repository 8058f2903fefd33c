package knet

import "time"

// saved is what the simulator keeps in Config.StateFile: every payment and refund. A
// notification handshake cut by the restart is not resumed: like a handshake that failed,
// its payment is auto-voided (IPAY0100249).
type saved struct {
	Payments []savedPayment `json:"payments"`
	Refunds  []savedRefund  `json:"refunds"`
}

type savedPayment struct {
	PaymentID, TrackID      string
	Amt                     int64
	Lang                    string
	ResponseURL, ErrorURL   string
	UDF                     [5]string
	Created                 time.Time
	State                   state
	Bank, Card, Month, Year string
	Pending                 string
	Result, TranID, Ref     string
	Auth, IssuerAuth        string
	Postdate, RespCode      string
	Voided                  bool
	VoidCode, ReceiptURL    string
	Refunded                int64
	SettleAt                time.Time
}

type savedRefund struct {
	PaymentID      string
	Amt            int64
	TranID, Ref    string
	Auth, Postdate string
}

// snapshot is the state to keep; the caller holds s.mu.
func (s *Simulator) snapshot() *saved {
	var sv saved
	for _, p := range s.payments {
		sv.Payments = append(sv.Payments, savedPayment{
			p.paymentID, p.trackID, p.amt, p.lang, p.responseURL, p.errorURL, p.udf, p.created, p.state,
			p.bank, p.card, p.month, p.year, p.pending, p.result, p.tranID, p.ref, p.auth, p.issuerAuth,
			p.postdate, p.respCode, p.voided, p.voidCode, p.receiptURL, p.refunded, p.settleAt,
		})
	}
	for _, rt := range s.refunds {
		sv.Refunds = append(sv.Refunds, savedRefund{rt.p.paymentID, rt.amt, rt.tranID, rt.ref, rt.auth, rt.postdate})
	}
	return &sv
}

// restore fills the empty maps of a new simulator from its state file (see simkit.Keep).
func (s *Simulator) restore(sv *saved) []any {
	for _, sp := range sv.Payments {
		p := &payment{
			paymentID: sp.PaymentID, trackID: sp.TrackID, amt: sp.Amt, lang: sp.Lang,
			responseURL: sp.ResponseURL, errorURL: sp.ErrorURL, udf: sp.UDF, created: sp.Created, state: sp.State,
			bank: sp.Bank, card: sp.Card, month: sp.Month, year: sp.Year, pending: sp.Pending,
			result: sp.Result, tranID: sp.TranID, ref: sp.Ref, auth: sp.Auth, issuerAuth: sp.IssuerAuth,
			postdate: sp.Postdate, respCode: sp.RespCode, voided: sp.Voided, voidCode: sp.VoidCode,
			receiptURL: sp.ReceiptURL, refunded: sp.Refunded, settleAt: sp.SettleAt,
		}
		if p.state == stateProcessing { // its handshake died with the old process
			p.state = stateDone
			p.voided, p.voidCode = true, errResponseURLDown
		}
		s.payments[p.paymentID] = p
		s.byTrackID[p.trackID] = p
		if p.tranID != "" {
			s.byTranID[p.tranID] = p
		}
		if p.ref != "" {
			s.byRef[p.ref] = p
		}
	}
	for _, sr := range sv.Refunds {
		if p := s.payments[sr.PaymentID]; p != nil {
			s.refunds[sr.TranID] = &refundTx{p: p, amt: sr.Amt, tranID: sr.TranID, ref: sr.Ref, auth: sr.Auth, postdate: sr.Postdate}
		}
	}
	return []any{"payments", len(s.payments), "refunds", len(s.refunds)}
}
