package adyen

import "time"

// saved is what the simulator keeps in Config.StateFile: every payment with its hosted page
// token and redirectResult, the refunds and cancels, and the Idempotency-Key answers. Webhook
// deliveries in flight at a restart are not resumed; a payment still pending is settled again
// PendingDelay after the restart, with its webhook.
type saved struct {
	Payments []savedPayment       `json:"payments"`
	Mods     []savedModification  `json:"modifications"`
	Idem     map[string]savedIdem `json:"idempotency"` // route + Idempotency-Key
}

type savedPayment struct {
	PSP, Reference            string
	Value                     int64
	Currency, ReturnURL, Lang string
	PostBack                  bool
	Token                     string
	Created, Expires          time.Time
	State, Refusal            string
	RefusalCode, PendingFinal string
	RedirectResult            string
	Result                    *detailsResult
	Redeemed                  bool
	Refunded                  int64
}

type savedModification struct {
	PSP, PaymentPSP, Reference, Kind string
	Value                            int64
	Currency                         string
}

type savedIdem struct {
	Hash   [32]byte
	Status int
	Body   []byte
}

// snapshot is the state to keep; the caller holds s.mu.
func (s *Simulator) snapshot() *saved {
	sv := &saved{Idem: map[string]savedIdem{}}
	for _, p := range s.payments {
		sv.Payments = append(sv.Payments, savedPayment{p.psp, p.reference, p.value, p.currency, p.returnURL, p.lang,
			p.postBack, p.token, p.created, p.expires, p.state, p.refusal, p.refusalCode, p.pendingFinal,
			p.redirectResult, p.result, p.redeemed, p.refunded})
	}
	for _, m := range s.mods {
		sv.Mods = append(sv.Mods, savedModification{m.psp, m.paymentPsp, m.reference, m.kind, m.value, m.currency})
	}
	for k, e := range s.idem {
		sv.Idem[k] = savedIdem{e.hash, e.status, e.body}
	}
	return sv
}

// restore fills the empty maps of a new simulator from its state file (see simkit.Keep).
func (s *Simulator) restore(sv *saved) []any {
	for _, sp := range sv.Payments {
		p := &payment{psp: sp.PSP, reference: sp.Reference, value: sp.Value, currency: sp.Currency,
			returnURL: sp.ReturnURL, lang: sp.Lang, postBack: sp.PostBack, token: sp.Token, created: sp.Created,
			expires: sp.Expires, state: sp.State, refusal: sp.Refusal, refusalCode: sp.RefusalCode,
			pendingFinal: sp.PendingFinal, redirectResult: sp.RedirectResult, result: sp.Result,
			redeemed: sp.Redeemed, refunded: sp.Refunded}
		s.payments[p.psp] = p
		s.pages[p.token] = p
		if p.redirectResult != "" {
			s.results[p.redirectResult] = p
		}
		if p.state == statePending { // its settlement timer died with the old process
			s.settleLater(p.psp)
		}
	}
	for _, sm := range sv.Mods {
		s.mods[sm.PSP] = &modification{sm.PSP, sm.PaymentPSP, sm.Reference, sm.Kind, sm.Value, sm.Currency}
	}
	for k, e := range sv.Idem {
		s.idem[k] = &idemEntry{e.Hash, e.Status, e.Body}
	}
	return []any{"payments", len(s.payments)}
}
