package click

import "time"

// saved is what the simulator keeps in Config.StateFile: every session and the order ids
// already used.
type saved struct {
	Sessions []savedSession   `json:"sessions"`
	Orders   map[int64]string `json:"orders"` // order_id → session_id
}

type savedSession struct {
	ID, Indicator                   string
	Created, Expires                time.Time
	Lang                            string
	HasOrder                        bool
	OrderID, Amount                 int64
	ReturnURL                       string
	Customer                        map[string]string
	Method                          string
	State                           state
	Reason, ErrIndicator            string
	FinishedAt                      time.Time
	PaymentID, TransactionID, RefID string
}

// snapshot is the state to keep; the caller holds s.mu.
func (s *Simulator) snapshot() *saved {
	sv := &saved{Orders: s.orders}
	for _, se := range s.sessions {
		sv.Sessions = append(sv.Sessions, savedSession{se.id, se.indicator, se.created, se.expires, se.lang,
			se.hasOrder, se.orderID, se.amount, se.returnURL, se.customer, se.method, se.state, se.reason,
			se.errIndicator, se.finishedAt, se.paymentID, se.transactionID, se.refID})
	}
	return sv
}

// restore fills the empty maps of a new simulator from its state file (see simkit.Keep).
func (s *Simulator) restore(sv *saved) []any {
	for _, ss := range sv.Sessions {
		s.sessions[ss.ID] = &session{
			id: ss.ID, indicator: ss.Indicator, created: ss.Created, expires: ss.Expires, lang: ss.Lang,
			hasOrder: ss.HasOrder, orderID: ss.OrderID, amount: ss.Amount, returnURL: ss.ReturnURL,
			customer: ss.Customer, method: ss.Method, state: ss.State, reason: ss.Reason,
			errIndicator: ss.ErrIndicator, finishedAt: ss.FinishedAt,
			paymentID: ss.PaymentID, transactionID: ss.TransactionID, refID: ss.RefID,
		}
	}
	for o, sid := range sv.Orders {
		s.orders[o] = sid
	}
	return []any{"sessions", len(s.sessions)}
}
