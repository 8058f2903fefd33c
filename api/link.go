package api

import (
	"time"

	"github.com/bawaba/checkout/order"
)

// LinkView is the JSON representation of a payment link.
type LinkView struct {
	ID          string            `json:"id"`
	Object      string            `json:"object"`
	Status      order.LinkState   `json:"status"`
	URL         string            `json:"url"`
	QRSVGURL    string            `json:"qr_svg_url"`
	Currency    string            `json:"currency"`
	Amount      string            `json:"amount,omitempty"`
	MinAmount   string            `json:"min_amount,omitempty"`
	MaxAmount   string            `json:"max_amount,omitempty"`
	Description string            `json:"description"`
	Items       []ItemView        `json:"items,omitempty"`
	Locale      string            `json:"locale,omitempty"`
	SingleUse   bool              `json:"single_use"`
	MaxPayments int64             `json:"max_payments,omitempty"`
	Collect     []string          `json:"collect"`
	ReturnURL   string            `json:"return_url,omitempty"`
	WebhookURL  string            `json:"webhook_url,omitempty"`
	Metadata    map[string]string `json:"metadata,omitempty"`
	ExpiresAt   string            `json:"expires_at,omitempty"`
	Deactivated string            `json:"deactivated_at,omitempty"`
	CreatedAt   string            `json:"created_at"`
	Views       int64             `json:"views"`
	Orders      int64             `json:"orders"`
	PaidCount   int64             `json:"paid_count"`
	PaidAmount  string            `json:"paid_amount"`
}

// Link renders a payment link, its status as at now.
func (v Views) Link(l *order.Link, now time.Time) LinkView {
	lv := LinkView{
		ID: l.ID, Object: "payment_link", Status: l.State(now),
		URL: v.BaseURL + "/l/" + l.ID, QRSVGURL: v.BaseURL + "/l/" + l.ID + "/qr.svg",
		Currency: l.Currency.Code, Description: l.Description, Locale: l.Locale,
		SingleUse: l.SingleUse, MaxPayments: l.MaxPayments, Collect: l.Collect,
		ReturnURL: l.ReturnURL, WebhookURL: l.WebhookURL, Metadata: l.Metadata,
		ExpiresAt: timeText(l.ExpiresAt), Deactivated: timeText(l.DeactivatedAt), CreatedAt: timeText(l.CreatedAt),
		Views: l.Views, Orders: l.Stats.Orders, PaidCount: l.Stats.Paid, PaidAmount: l.Stats.Sum.String(),
	}
	if lv.Collect == nil {
		lv.Collect = []string{}
	}
	if l.OpenAmount() {
		lv.MinAmount, lv.MaxAmount = l.MinAmount.String(), l.MaxAmount.String()
	} else {
		lv.Amount = l.Amount.String()
	}
	for _, it := range l.Items {
		lv.Items = append(lv.Items, ItemView{Name: it.Name, Quantity: it.Quantity, UnitAmount: it.UnitAmount.String()})
	}
	return lv
}
