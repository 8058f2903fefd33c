package order

import (
	"time"

	"github.com/bawaba/checkout/gateway"
)

// View is the JSON representation of an order, shared by the merchant API and merchant webhooks.
type View struct {
	ID          string            `json:"id"`
	Object      string            `json:"object"`
	Status      Status            `json:"status"`
	Reference   string            `json:"reference,omitempty"`
	Amount      string            `json:"amount"`
	AmountMinor int64             `json:"amount_minor"`
	Currency    string            `json:"currency"`
	Description string            `json:"description,omitempty"`
	Items       []ItemView        `json:"items,omitempty"`
	Customer    *gateway.Customer `json:"customer,omitempty"`
	Locale      string            `json:"locale,omitempty"`
	ReturnURL   string            `json:"return_url"`
	CancelURL   string            `json:"cancel_url,omitempty"`
	WebhookURL  string            `json:"webhook_url,omitempty"`
	Methods     []string          `json:"methods"`
	Metadata    map[string]string `json:"metadata,omitempty"`
	NeedsReview bool              `json:"needs_review"`
	CheckoutURL string            `json:"checkout_url"`
	ExpiresAt   string            `json:"expires_at"`
	CreatedAt   string            `json:"created_at"`
	UpdatedAt   string            `json:"updated_at"`
	PaidAt      string            `json:"paid_at,omitempty"`
	Attempts    []AttemptView     `json:"attempts"`
	// RefundedAmount is what succeeded refunds gave back; Refunds lists every refund.
	RefundedAmount string       `json:"refunded_amount"`
	Refunds        []RefundView `json:"refunds"`
}

// RefundView is the JSON representation of a refund.
type RefundView struct {
	ID        string       `json:"id"`
	Object    string       `json:"object"`
	Amount    string       `json:"amount"`
	Currency  string       `json:"currency"`
	Status    RefundStatus `json:"status"`
	Kind      string       `json:"kind"`
	Reason    string       `json:"reason,omitempty"`
	Failure   string       `json:"failure,omitempty"`
	CreatedAt string       `json:"created_at"`
}

// ItemView is the JSON representation of an order line.
type ItemView struct {
	Name       string `json:"name"`
	Quantity   int64  `json:"quantity"`
	UnitAmount string `json:"unit_amount"`
}

// AttemptView is the JSON representation of an attempt. Nothing of the connector's private
// state or the gateway's raw payload is shown.
type AttemptView struct {
	ID             string         `json:"id"`
	Object         string         `json:"object"`
	Method         string         `json:"method"`
	Gateway        string         `json:"gateway"`
	Status         gateway.Status `json:"status"`
	PaymentID      string         `json:"payment_id,omitempty"`
	TransactionID  string         `json:"transaction_id,omitempty"`
	AuthCode       string         `json:"auth_code,omitempty"`
	BankReference  string         `json:"bank_reference,omitempty"`
	TrackID        string         `json:"track_id,omitempty"`
	ReportedAmount string         `json:"reported_amount,omitempty"`
	ReportedCcy    string         `json:"reported_currency,omitempty"`
	FailureReason  string         `json:"failure_reason,omitempty"`
	NeedsReview    bool           `json:"needs_review"`
	CreatedAt      string         `json:"created_at"`
	UpdatedAt      string         `json:"updated_at"`
}

// WebhookEvent is the body of a merchant webhook.
type WebhookEvent struct {
	ID      string      `json:"id"`
	Object  string      `json:"object"`
	Type    string      `json:"type"`
	Created int64       `json:"created"`
	Data    WebhookData `json:"data"`
}

// WebhookData is what a merchant webhook is about.
type WebhookData struct {
	Order View `json:"order"`
}

func timeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// View renders an order for the API and webhooks.
func (s *Service) View(o *Order) View {
	v := View{
		ID: o.ID, Object: "order", Status: o.Status, Reference: o.Reference,
		Amount: o.Amount.String(), AmountMinor: o.Amount.Minor(), Currency: o.Amount.Currency().Code,
		Description: o.Description, Locale: o.Locale,
		ReturnURL: o.ReturnURL, CancelURL: o.CancelURL, WebhookURL: o.WebhookURL,
		Methods: s.Methods(o), Metadata: o.Metadata, NeedsReview: o.NeedsReview,
		CheckoutURL: s.CheckoutURL(o.ID),
		ExpiresAt:   timeText(o.ExpiresAt), CreatedAt: timeText(o.CreatedAt), UpdatedAt: timeText(o.UpdatedAt),
		PaidAt:   timeText(o.PaidAt),
		Attempts: []AttemptView{},
		Refunds:  []RefundView{}, RefundedAmount: o.Refunded().String(),
	}
	for _, r := range o.Refunds {
		v.Refunds = append(v.Refunds, RefundView{ID: r.ID, Object: "refund", Amount: r.Amount.String(),
			Currency: r.Amount.Currency().Code, Status: r.Status, Kind: r.Kind, Reason: r.Reason,
			Failure: r.Failure, CreatedAt: timeText(r.CreatedAt)})
	}
	if v.Methods == nil {
		v.Methods = []string{}
	}
	if o.Customer != (gateway.Customer{}) {
		c := o.Customer
		v.Customer = &c
	}
	for _, it := range o.Items {
		v.Items = append(v.Items, ItemView{Name: it.Name, Quantity: it.Quantity, UnitAmount: it.UnitAmount.String()})
	}
	for _, a := range o.Attempts {
		av := AttemptView{
			ID: a.ID, Object: "attempt", Method: a.Method, Gateway: a.Gateway, Status: a.Status,
			PaymentID: a.PaymentID, TransactionID: a.TransactionID, AuthCode: a.AuthCode,
			BankReference: a.BankReference, TrackID: a.TrackID, FailureReason: a.FailureReason,
			NeedsReview: a.NeedsReview, CreatedAt: timeText(a.CreatedAt), UpdatedAt: timeText(a.UpdatedAt),
		}
		if a.ReportedAmount.Currency().Code != "" {
			av.ReportedAmount, av.ReportedCcy = a.ReportedAmount.String(), a.ReportedAmount.Currency().Code
		}
		v.Attempts = append(v.Attempts, av)
	}
	return v
}
