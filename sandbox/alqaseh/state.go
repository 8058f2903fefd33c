package alqaseh

import (
	"encoding/json"
	"time"
)

// saved is what the simulator keeps in Config.StateFile: every payment context with its
// history, the tokens replaced by retry or revoke, and the order ids used. Webhook deliveries
// in flight at a restart are not resumed.
type saved struct {
	Payments []savedPayment    `json:"payments"`
	Stale    map[string]string `json:"stale"` // replaced token → the context's current payment_id
	Orders   []string          `json:"orders"`
}

type savedPayment struct {
	ID, Token, OrderID              string
	IDs                             []string
	Amount                          int64
	Currency                        string
	Decimals                        int
	Description, TransactionType    string
	Country, Email                  string
	CustomData                      json.RawMessage
	RedirectURL, WebhookURL         string
	TTL                             time.Duration
	Status, RC, Approval, RRN       string
	CreatedAt, UpdatedAt, ExpiresAt time.Time
	History                         []historyEntry
}

// snapshot is the state to keep; the caller holds s.mu.
func (s *Simulator) snapshot() *saved {
	sv := &saved{Stale: map[string]string{}}
	for _, p := range s.payments {
		sv.Payments = append(sv.Payments, savedPayment{
			ID: p.id, Token: p.token, OrderID: p.orderID, IDs: p.ids, Amount: p.amount, Currency: p.currency,
			Decimals: p.decimals, Description: p.description, TransactionType: p.transactionType,
			Country: p.country, Email: p.email, CustomData: p.customData, RedirectURL: p.redirectURL,
			WebhookURL: p.webhookURL, TTL: p.ttl, Status: p.status, RC: p.rc, Approval: p.approval, RRN: p.rrn,
			CreatedAt: p.createdAt, UpdatedAt: p.updatedAt, ExpiresAt: p.expiresAt, History: p.history,
		})
	}
	for token, p := range s.stale {
		sv.Stale[token] = p.id
	}
	for o := range s.orders {
		sv.Orders = append(sv.Orders, o)
	}
	return sv
}

// restore fills the empty maps of a new simulator from its state file (see simkit.Keep).
func (s *Simulator) restore(sv *saved) []any {
	for _, sp := range sv.Payments {
		p := &payment{
			id: sp.ID, ids: sp.IDs, token: sp.Token, orderID: sp.OrderID, amount: sp.Amount, currency: sp.Currency,
			decimals: sp.Decimals, description: sp.Description, transactionType: sp.TransactionType,
			country: sp.Country, email: sp.Email, customData: sp.CustomData, redirectURL: sp.RedirectURL,
			webhookURL: sp.WebhookURL, ttl: sp.TTL, status: sp.Status, rc: sp.RC, approval: sp.Approval, rrn: sp.RRN,
			createdAt: sp.CreatedAt, updatedAt: sp.UpdatedAt, expiresAt: sp.ExpiresAt, history: sp.History,
		}
		s.payments = append(s.payments, p)
		for _, id := range p.ids {
			s.byID[id] = p
		}
		s.byID[p.id] = p
		s.byToken[p.token] = p
	}
	for token, id := range sv.Stale {
		if p := s.byID[id]; p != nil {
			s.stale[token] = p
		}
	}
	for _, o := range sv.Orders {
		s.orders[o] = true
	}
	return []any{"payments", len(s.payments)}
}
