package adyen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/gateway/internal/wire"
	"github.com/bawaba/checkout/money"
)

// Keys of the connector's State (gateway.Attempt.State).
const (
	stateResultCode  = "resultCode"    // the /payments resultCode
	stateRefusal     = "refusalReason" // its refusalReason, when final at once
	statePaymentData = "paymentData"   // action.paymentData, when an (older) answer carries one
)

// maxReference is Adyen's limit on the merchant reference (spec §4).
const maxReference = 80

// amount is Adyen's {currency, value} in minor units (spec §2).
type amount struct {
	Currency string `json:"currency"`
	Value    int64  `json:"value"`
}

type paymentMethod struct {
	Type string `json:"type"`
}

type shopperName struct {
	FirstName string `json:"firstName"`
	LastName  string `json:"lastName"`
}

// paymentRequest is the /payments body for KNET (spec §4).
type paymentRequest struct {
	MerchantAccount string        `json:"merchantAccount"`
	Amount          amount        `json:"amount"`
	Reference       string        `json:"reference"`
	PaymentMethod   paymentMethod `json:"paymentMethod"`
	ReturnURL       string        `json:"returnUrl"`
	CountryCode     string        `json:"countryCode"`
	ShopperLocale   string        `json:"shopperLocale"`
	Channel         string        `json:"channel"`
	ShopperEmail    string        `json:"shopperEmail,omitempty"`
	TelephoneNumber string        `json:"telephoneNumber,omitempty"`
	ShopperName     *shopperName  `json:"shopperName,omitempty"`
}

// detailsRequest is the /payments/details body (spec §5).
type detailsRequest struct {
	Details     map[string]string `json:"details"`
	PaymentData string            `json:"paymentData,omitempty"`
}

// buildPaymentRequest returns the JSON body of a's KNET payment.
func (g *Gateway) buildPaymentRequest(a gateway.Attempt) ([]byte, error) {
	cur := a.Amount.Currency().Code
	switch {
	case a.Method != "" && a.Method != gateway.MethodKNET:
		return nil, fmt.Errorf("adyen: payments: %w: method %q is not knet", gateway.ErrRejected, a.Method)
	case cur != "KWD":
		return nil, fmt.Errorf("adyen: payments: %w: KNET takes KWD only, not %q", gateway.ErrRejected, cur)
	case !a.Amount.IsPositive():
		return nil, fmt.Errorf("adyen: payments: %w: amount must be positive", gateway.ErrRejected)
	case a.ID == "" || len(a.ID) > maxReference:
		return nil, fmt.Errorf("adyen: payments: %w: the attempt id must be 1–%d characters", gateway.ErrRejected, maxReference)
	case !wire.AbsoluteURL(a.ReturnURL):
		return nil, fmt.Errorf("adyen: payments: %w: the return URL must be absolute", gateway.ErrRejected)
	case g.merchant == "":
		return nil, fmt.Errorf("adyen: payments: %w: no merchant account configured", gateway.ErrRejected)
	}
	body := paymentRequest{
		MerchantAccount: g.merchant,
		Amount:          amount{Currency: cur, Value: a.Amount.Minor()},
		Reference:       a.ID,
		PaymentMethod:   paymentMethod{Type: "knet"},
		ReturnURL:       a.ReturnURL,
		CountryCode:     "KW",
		ShopperLocale:   shopperLocale(a.Locale),
		Channel:         "Web",
		ShopperEmail:    strings.TrimSpace(a.Customer.Email),
		TelephoneNumber: phone(a.Customer.Phone),
		ShopperName:     splitName(a.Customer.Name),
	}
	b, err := wire.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("adyen: payments: %w: %v", gateway.ErrRejected, err)
	}
	return b, nil
}

// shopperLocale is the language of Adyen's and KNET's pages.
func shopperLocale(locale string) string {
	if locale == "ar" {
		return "ar-KW"
	}
	return "en-US"
}

// splitName returns Adyen's shopperName (first word, then the rest), or nil unless the name
// has both: Adyen requires both parts, and we do not invent one.
func splitName(name string) *shopperName {
	f := strings.Fields(name)
	if len(f) < 2 {
		return nil
	}
	return &shopperName{FirstName: f[0], LastName: strings.Join(f[1:], " ")}
}

// phone keeps a leading '+' and the digits of a phone number as typed; "" when it has none.
func phone(p string) string {
	p = strings.TrimSpace(p)
	var b strings.Builder
	if strings.HasPrefix(p, "+") {
		b.WriteByte('+')
	}
	n := 0
	for _, r := range p {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
			n++
		}
	}
	if n == 0 {
		return ""
	}
	return b.String()
}

// respAmount is an amount as Adyen reports it; the value is kept as its JSON literal.
type respAmount struct {
	Currency string      `json:"currency"`
	Value    json.Number `json:"value"`
}

// money returns the amount, or false when it is not whole minor units of a known currency.
func (a *respAmount) money() (money.Amount, bool) {
	if a == nil || a.Currency == "" || a.Value == "" {
		return money.Amount{}, false
	}
	v, err := strconv.ParseInt(a.Value.String(), 10, 64)
	if err != nil {
		return money.Amount{}, false
	}
	m, err := money.FromMinor(v, a.Currency)
	if err != nil {
		return money.Amount{}, false
	}
	return m, true
}

// redirectAction is Adyen's CheckoutRedirectAction (spec §4).
type redirectAction struct {
	Type              string          `json:"type"`
	URL               string          `json:"url"`
	Method            string          `json:"method"`
	PaymentMethodType string          `json:"paymentMethodType"`
	PaymentData       string          `json:"paymentData"`
	Data              json.RawMessage `json:"data"`
}

// paymentResponse is what we read of a /payments or /payments/details answer (spec §4–5).
type paymentResponse struct {
	ResultCode        string                     `json:"resultCode"`
	PSPReference      string                     `json:"pspReference"`
	MerchantReference string                     `json:"merchantReference"`
	Amount            *respAmount                `json:"amount"`
	RefusalReason     string                     `json:"refusalReason"`
	RefusalReasonCode wire.FlexString            `json:"refusalReasonCode"`
	Action            *redirectAction            `json:"action"`
	AdditionalData    map[string]wire.FlexString `json:"additionalData"`
}

// decodePaymentResponse reads a payment response, keeping numbers exact.
func decodePaymentResponse(raw []byte) (*paymentResponse, error) {
	var p paymentResponse
	if err := wire.DecodeObject(raw, &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// toAction turns Adyen's redirect action into ours: GET → Redirect, POST → PostForm with one
// field per data entry, in the order Adyen sent them.
func (act *redirectAction) toAction() (gateway.Action, error) {
	if act.Type != "redirect" {
		return gateway.Action{}, fmt.Errorf("adyen: payments: %w: unsupported action type %q", gateway.ErrRejected, clip(act.Type))
	}
	if !wire.AbsoluteURL(act.URL) {
		return gateway.Action{}, fmt.Errorf("adyen: payments: %w: the redirect action has no absolute http(s) url", gateway.ErrUnavailable)
	}
	switch strings.ToUpper(act.Method) {
	case "", http.MethodGet:
		return gateway.Action{Kind: gateway.ActionRedirect, URL: act.URL}, nil
	case http.MethodPost:
		fields, err := orderedFields(act.Data)
		if err != nil {
			return gateway.Action{}, fmt.Errorf("adyen: payments: %w: unreadable action.data", gateway.ErrUnavailable)
		}
		return gateway.Action{Kind: gateway.ActionPostForm, URL: act.URL, Fields: fields}, nil
	default:
		return gateway.Action{}, fmt.Errorf("adyen: payments: %w: unsupported redirect method %q", gateway.ErrUnavailable, clip(act.Method))
	}
}

// orderedFields reads a JSON object of strings into fields, keeping the object's order. A
// non-string value is kept as its JSON text; null or an absent object gives no fields.
func orderedFields(raw json.RawMessage) ([]gateway.Field, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	tok, err := d.Token()
	if err != nil || tok != json.Delim('{') {
		return nil, fmt.Errorf("action.data is not an object")
	}
	var out []gateway.Field
	for d.More() {
		k, err := d.Token()
		if err != nil {
			return nil, err
		}
		name, _ := k.(string)
		var v wire.FlexString
		if err := d.Decode(&v); err != nil {
			return nil, err
		}
		out = append(out, gateway.Field{Name: name, Value: string(v)})
	}
	if _, err := d.Token(); err != nil {
		return nil, err
	}
	return out, nil
}

// paymentResult maps a /payments or /payments/details answer (raw are its bytes).
func (g *Gateway) paymentResult(raw []byte, p *paymentResponse) gateway.Result {
	st, reason := mapResultCode(p.ResultCode, p.RefusalReason)
	r := gateway.Result{
		Status:         st,
		Reason:         reason,
		PaymentID:      p.PSPReference,
		OurReference:   p.MerchantReference,
		GatewayCode:    p.ResultCode,
		GatewayMessage: p.RefusalReason,
		AuthCode:       string(p.AdditionalData["authCode"]),
		Raw:            append([]byte(nil), raw...),
	}
	if c := string(p.RefusalReasonCode); c != "" {
		r.GatewayMessage = strings.TrimSpace(r.GatewayMessage + " (refusalReasonCode " + c + ")")
	}
	amt, ok := p.Amount.money()
	if ok {
		r.Amount = amt
	}
	if st == gateway.StatusPaid && !ok {
		// Authorised, but the amount was not reported: the signed AUTHORISATION webhook, which
		// always carries it, settles the payment.
		r.Status = gateway.StatusPending
		r.GatewayMessage = "Authorised without an amount: waiting for the AUTHORISATION webhook"
	}
	return r
}

// normCode is a resultCode compared without case or surrounding space.
func normCode(code string) string { return strings.ToLower(strings.TrimSpace(code)) }

// mapResultCode maps a resultCode (seed table, spec §5) to the normalized status and, for
// failures, a reason.
func mapResultCode(code, refusal string) (gateway.Status, string) {
	switch normCode(code) {
	case "authorised":
		return gateway.StatusPaid, "" // KNET is captured at once
	case "cancelled":
		return gateway.StatusCancelled, gateway.ReasonCancelled
	case "error":
		return gateway.StatusFailed, gateway.ReasonGatewayError
	case "refused":
		return gateway.StatusFailed, refusalReason(refusal)
	case "pending", "received":
		return gateway.StatusPending, ""
	default: // RedirectShopper, PartiallyAuthorised, anything new: never paid, ask again.
		return gateway.StatusUnknown, ""
	}
}

// refusalReason reads Adyen's free-text refusal reason (a refusalReason, or a failed
// AUTHORISATION webhook's reason) into one of ours; anything else is a plain decline.
func refusalReason(text string) string {
	t := strings.ToLower(text)
	has := func(subs ...string) bool {
		for _, s := range subs {
			if strings.Contains(t, s) {
				return true
			}
		}
		return false
	}
	switch {
	case has("not enough balance", "insufficient"):
		return gateway.ReasonInsufficient
	case has("expired card"):
		return gateway.ReasonCardExpired
	case has("fraud", "risk"):
		return gateway.ReasonRisk
	case has("issuer unavailable", "timeout", "timed out"):
		return gateway.ReasonTimeout
	case has("cancel"):
		return gateway.ReasonCancelled
	case has("error"):
		return gateway.ReasonGatewayError
	default:
		return gateway.ReasonDeclined
	}
}
