package tap

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/gateway/internal/wire"
)

// chargeRequest is the create-charge body for KNET (spec §2).
type chargeRequest struct {
	Amount            json.RawMessage   `json:"amount"`
	Currency          string            `json:"currency"`
	CustomerInitiated bool              `json:"customer_initiated"`
	ThreeDSecure      bool              `json:"threeDSecure"`
	SaveCard          bool              `json:"save_card"`
	Description       string            `json:"description,omitempty"`
	Metadata          map[string]string `json:"metadata,omitempty"`
	Reference         requestReference  `json:"reference"`
	Customer          requestCustomer   `json:"customer"`
	Source            idObject          `json:"source"`
	Post              *urlObject        `json:"post,omitempty"`
	Redirect          urlObject         `json:"redirect"`
}

type requestReference struct {
	Transaction string `json:"transaction"`
	Order       string `json:"order"`
}

type requestCustomer struct {
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name,omitempty"`
	Email     string `json:"email,omitempty"`
	Phone     *phone `json:"phone,omitempty"`
}

type phone struct {
	CountryCode string `json:"country_code"`
	Number      string `json:"number"`
}

type idObject struct {
	ID string `json:"id"`
}

type urlObject struct {
	URL string `json:"url"`
}

// buildChargeRequest returns the JSON body creating a's KNET charge.
func buildChargeRequest(a gateway.Attempt) ([]byte, error) {
	cur := a.Amount.Currency().Code
	if cur != "KWD" {
		return nil, fmt.Errorf("tap: create charge: %w: KNET takes KWD only, not %q", gateway.ErrRejected, cur)
	}
	if !a.Amount.IsPositive() {
		return nil, fmt.Errorf("tap: create charge: %w: amount must be positive", gateway.ErrRejected)
	}
	if a.ID == "" || a.ReturnURL == "" {
		return nil, fmt.Errorf("tap: create charge: %w: attempt id and return URL are required", gateway.ErrRejected)
	}
	first, last := splitName(a.Customer.Name)
	body := chargeRequest{
		// Exactly the currency's decimals ("6.000"), as a JSON number literal.
		Amount:            json.RawMessage(a.Amount.String()),
		Currency:          cur,
		CustomerInitiated: true,
		ThreeDSecure:      true,
		SaveCard:          false,
		Description:       a.Description,
		Reference:         requestReference{Transaction: a.ID, Order: a.ID},
		Customer: requestCustomer{
			FirstName: first,
			LastName:  last,
			Email:     strings.TrimSpace(a.Customer.Email),
			Phone:     splitPhone(a.Customer.Phone),
		},
		Source:   idObject{ID: knetSource},
		Redirect: urlObject{URL: a.ReturnURL},
	}
	if a.WebhookURL != "" {
		body.Post = &urlObject{URL: a.WebhookURL}
	}
	body.Metadata = metadata(a)
	b, err := wire.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("tap: create charge: %w: %v", gateway.ErrRejected, err)
	}
	return b, nil
}

// metadata is what a charge or refund carries of ours in Tap's udf fields: udf1 the merchant's
// order reference, udf2 our order id; nil when there is neither.
func metadata(a gateway.Attempt) map[string]string {
	md := map[string]string{}
	if a.Reference != "" {
		md["udf1"] = a.Reference
	}
	if a.OrderID != "" {
		md["udf2"] = a.OrderID
	}
	if len(md) == 0 {
		return nil
	}
	return md
}

// splitName splits a name into Tap's first_name (first word) and last_name (the rest).
// Tap requires a customer, so an empty name becomes "Customer".
func splitName(name string) (first, last string) {
	f := strings.Fields(name)
	if len(f) == 0 {
		return "Customer", ""
	}
	return f[0], strings.Join(f[1:], " ")
}

// splitPhone turns a phone as typed into Tap's {country_code, number}; nil when it has no
// digits. See the package comment for the rules.
func splitPhone(p string) *phone {
	p = strings.TrimSpace(p)
	intl := strings.HasPrefix(p, "+")
	var b strings.Builder
	for _, r := range p {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	digits := b.String()
	if !intl && strings.HasPrefix(digits, "00") {
		intl, digits = true, digits[2:]
	}
	if digits == "" {
		return nil
	}
	if strings.HasPrefix(digits, "965") && (intl || len(digits) == 11) && len(digits) > 3 {
		return &phone{CountryCode: "965", Number: digits[3:]}
	}
	return &phone{CountryCode: "965", Number: digits}
}
