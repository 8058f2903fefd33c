package tap

import "time"

// state is what the simulator keeps in Config.StateFile: every charge and refund with the
// unexported parts the API does not show, and the Idempotency-Keys. Webhook deliveries in
// flight at a restart are not resumed: the merchant learns the result by GET, as from a
// delivery that failed.
type state struct {
	Charges    []savedCharge     `json:"charges"`
	Idem       map[string]string `json:"idempotency"` // Idempotency-Key → charge id
	Refunds    []savedRefund     `json:"refunds"`
	RefundIdem map[string]string `json:"refund_idempotency"` // Idempotency-Key → refund id
}

type savedCharge struct {
	Charge   *charge   `json:"charge"`
	Amount   string    `json:"amount"`
	Token    string    `json:"token"`
	Lang     string    `json:"lang"`
	Created  time.Time `json:"created"`
	Refunded int64     `json:"refunded"`
}

type savedRefund struct {
	Refund *refund `json:"refund"`
	Amount string  `json:"amount"`
}

// snapshot is the state to keep; the caller holds s.mu.
func (s *Simulator) snapshot() *state {
	st := &state{Idem: map[string]string{}, RefundIdem: map[string]string{}}
	for _, c := range s.charges {
		st.Charges = append(st.Charges, savedCharge{c, c.amount, c.token, c.lang, c.created, c.refunded})
	}
	for k, c := range s.idem {
		st.Idem[k] = c.ID
	}
	for _, f := range s.refunds {
		st.Refunds = append(st.Refunds, savedRefund{f, f.amount})
	}
	for k, f := range s.refundIdem {
		st.RefundIdem[k] = f.ID
	}
	return st
}

// restore fills the empty maps of a new simulator from its state file (see simkit.Keep).
func (s *Simulator) restore(st *state) []any {
	for _, sc := range st.Charges {
		c := sc.Charge
		if c == nil {
			continue
		}
		c.amount, c.token, c.lang, c.created, c.refunded = sc.Amount, sc.Token, sc.Lang, sc.Created, sc.Refunded
		s.charges[c.ID] = c
		s.tokens[c.token] = c
	}
	for k, id := range st.Idem {
		if c := s.charges[id]; c != nil {
			s.idem[k] = c
		}
	}
	for _, sr := range st.Refunds {
		if f := sr.Refund; f != nil {
			f.amount = sr.Amount
			s.refunds[f.ID] = f
		}
	}
	for k, id := range st.RefundIdem {
		if f := s.refunds[id]; f != nil {
			s.refundIdem[k] = f
		}
	}
	return []any{"charges", len(s.charges), "refunds", len(s.refunds)}
}
