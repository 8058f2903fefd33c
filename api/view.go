package api

import (
	"encoding/json"
	"time"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/order"
)

// Views renders orders as the merchant API and merchant webhooks show them (the JSON this
// package's openapi.json describes). The order service encodes webhook events with it
// (order.EventEncoder) inside the transaction that decides them; the handlers render answers
// with it at the edge.
type Views struct {
	BaseURL  string            // public URL of the server, without a trailing slash
	Gateways *gateway.Registry // which methods an order offers
	// Now is the clock an order's status is told at (Order.StatusAt); nil: time.Now.
	Now func() time.Time
}

var _ order.EventEncoder = Views{}

// OrderView is the JSON representation of an order, shared by the merchant API and merchant
// webhooks.
type OrderView struct {
	ID          string            `json:"id"`
	Object      string            `json:"object"`
	Status      order.Status      `json:"status"`
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
	// PaymentLink is the id of the payment link the order was made through.
	PaymentLink string        `json:"payment_link,omitempty"`
	NeedsReview bool          `json:"needs_review"`
	CheckoutURL string        `json:"checkout_url"`
	ExpiresAt   string        `json:"expires_at"`
	CreatedAt   string        `json:"created_at"`
	UpdatedAt   string        `json:"updated_at"`
	PaidAt      string        `json:"paid_at,omitempty"`
	Attempts    []AttemptView `json:"attempts"`
	// RefundedAmount is what succeeded refunds gave back; Refunds lists every refund.
	RefundedAmount string       `json:"refunded_amount"`
	Refunds        []RefundView `json:"refunds"`
}

// RefundView is the JSON representation of a refund.
type RefundView struct {
	ID       string             `json:"id"`
	Object   string             `json:"object"`
	Amount   string             `json:"amount"`
	Currency string             `json:"currency"`
	Status   order.RefundStatus `json:"status"`
	Kind     string             `json:"kind"`
	Reason   string             `json:"reason,omitempty"`
	Failure  string             `json:"failure,omitempty"`
	// GatewayReference is the gateway's id of the refund, once it answered.
	GatewayReference string `json:"gateway_reference,omitempty"`
	CreatedAt        string `json:"created_at"`
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
	Order OrderView `json:"order"`
}

func timeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// EncodeEvent implements order.EventEncoder: the body of merchant webhook id of type typ about o.
func (v Views) EncodeEvent(id, typ string, created time.Time, o *order.Order) ([]byte, error) {
	return json.Marshal(WebhookEvent{ID: id, Object: "event", Type: typ, Created: created.Unix(),
		Data: WebhookData{Order: v.Order(o)}})
}

// Order renders an order for the API and webhooks.
func (v Views) Order(o *order.Order) OrderView {
	methods := v.Gateways.Available(o.Amount.Currency().Code, o.Methods)
	if methods == nil {
		methods = []string{}
	}
	ov := OrderView{
		ID: o.ID, Object: "order", Status: o.StatusAt(v.now()), Reference: o.Reference,
		Amount: o.Amount.String(), AmountMinor: o.Amount.Minor(), Currency: o.Amount.Currency().Code,
		Description: o.Description, Locale: o.Locale,
		ReturnURL: o.ReturnURL, CancelURL: o.CancelURL, WebhookURL: o.WebhookURL,
		Methods: methods, Metadata: o.Metadata, PaymentLink: o.PaymentLink, NeedsReview: o.NeedsReview,
		CheckoutURL: v.BaseURL + "/pay/" + o.ID,
		ExpiresAt:   timeText(o.ExpiresAt), CreatedAt: timeText(o.CreatedAt), UpdatedAt: timeText(o.UpdatedAt),
		PaidAt:   timeText(o.PaidAt),
		Attempts: []AttemptView{},
		Refunds:  []RefundView{}, RefundedAmount: o.Refunded().String(),
	}
	for _, r := range o.Refunds {
		ov.Refunds = append(ov.Refunds, RefundView{ID: r.ID, Object: "refund", Amount: r.Amount.String(),
			Currency: r.Amount.Currency().Code, Status: r.Status, Kind: r.Kind, Reason: r.Reason,
			Failure: r.Failure, GatewayReference: r.GatewayRef, CreatedAt: timeText(r.CreatedAt)})
	}
	if o.Customer != (gateway.Customer{}) {
		c := o.Customer
		ov.Customer = &c
	}
	for _, it := range o.Items {
		ov.Items = append(ov.Items, ItemView{Name: it.Name, Quantity: it.Quantity, UnitAmount: it.UnitAmount.String()})
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
		ov.Attempts = append(ov.Attempts, av)
	}
	return ov
}

func (v Views) now() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}
