package order

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/money"
)

// Limits of a new payment link.
const (
	maxLinkPayments = 1_000_000
	maxLinkLifetime = 366 * 24 * time.Hour
)

// NewLink is a merchant's request for a payment link, as received.
type NewLink struct {
	Amount      string // fixed price; "" when the shopper enters it
	Currency    string
	MinAmount   string // with Amount "": both required
	MaxAmount   string
	Description string
	Items       []NewItem
	Locale      string
	SingleUse   bool
	MaxPayments *int64
	Collect     []string
	ReturnURL   string
	WebhookURL  string
	Metadata    map[string]string
	ExpiresAt   string // RFC 3339; "" never
}

// validate checks a NewLink at now: every problem at once, field by field. available lists the
// methods the configured gateways take in a currency.
//
// Decisions: a shopper-entered amount needs both min_amount and max_amount (a link must not
// take any sum by mistake); items go only with a fixed amount, and must add up to it; expiry is
// a time in the next 366 days; single_use with max_payments other than 1 is a contradiction.
func (in *NewLink) validate(now time.Time, available func(string) []string) (Link, error) {
	ve := &ValidationError{}
	l := Link{Description: in.Description, Locale: in.Locale, SingleUse: in.SingleUse,
		ReturnURL: in.ReturnURL, WebhookURL: in.WebhookURL, Metadata: in.Metadata}
	cur, curOK := money.LookupCurrency(in.Currency)
	if !curOK {
		ve.add("currency", "unknown or unsupported currency %q: use an ISO 4217 code such as KWD", in.Currency)
	} else {
		l.Currency = cur
		in.checkAmounts(ve, &l)
		l.Items = (&NewOrder{Items: in.Items}).checkItems(ve, cur, true, l.Amount)
		if len(in.Items) > 0 && l.OpenAmount() {
			ve.add("items", "items need a fixed amount: leave them out when the shopper enters the amount")
		}
		(&NewOrder{}).checkUsable(ve, cur.Code, available(cur.Code))
	}
	checkText(ve, "description", in.Description, maxDescription, true)
	if in.Locale != "" && in.Locale != "ar" && in.Locale != "en" {
		ve.add("locale", "must be \"ar\" or \"en\"")
	}
	if in.MaxPayments != nil {
		switch n := *in.MaxPayments; {
		case n < 1 || n > maxLinkPayments:
			ve.add("max_payments", "must be a whole number from 1 to %d", maxLinkPayments)
		case in.SingleUse && n != 1:
			ve.add("max_payments", "a single-use link takes one payment: leave max_payments out")
		default:
			l.MaxPayments = n
		}
	}
	l.Collect = in.checkCollect(ve)
	if in.ReturnURL != "" && !validURL(in.ReturnURL) {
		ve.add("return_url", "must be an absolute http or https URL")
	}
	if in.WebhookURL != "" && !validURL(in.WebhookURL) {
		ve.add("webhook_url", "must be an absolute http or https URL")
	}
	(&NewOrder{Metadata: in.Metadata}).checkMetadata(ve)
	if in.ExpiresAt != "" {
		t, err := time.Parse(time.RFC3339, in.ExpiresAt)
		switch {
		case err != nil:
			ve.add("expires_at", "must be a time in RFC 3339, such as \"2027-01-31T21:00:00Z\"")
		case !t.After(now) || t.Sub(now) > maxLinkLifetime:
			ve.add("expires_at", "must be in the future, at most 366 days from now")
		default:
			l.ExpiresAt = t.UTC().Truncate(time.Millisecond)
		}
	}
	if len(ve.Fields) > 0 {
		return Link{}, ve
	}
	return l, nil
}

// checkAmounts parses the fixed amount, or the min and max of a shopper-entered amount.
func (in *NewLink) checkAmounts(ve *ValidationError, l *Link) {
	cur := l.Currency
	parse := func(field, s string) money.Amount {
		a, err := money.Parse(s, cur.Code)
		if err != nil {
			ve.add(field, "%s", amountMessage(err, cur))
		}
		return a
	}
	if in.Amount != "" {
		if in.MinAmount != "" || in.MaxAmount != "" {
			ve.add("amount", "give either a fixed amount or min_amount and max_amount, not both")
			return
		}
		l.Amount = parse("amount", in.Amount)
		return
	}
	if in.MinAmount == "" || in.MaxAmount == "" {
		ve.add("amount", "is required, or min_amount and max_amount when the shopper enters the amount")
		return
	}
	l.MinAmount, l.MaxAmount = parse("min_amount", in.MinAmount), parse("max_amount", in.MaxAmount)
	if l.MinAmount.IsPositive() && l.MaxAmount.IsPositive() && l.MinAmount.Cmp(l.MaxAmount) > 0 {
		ve.add("max_amount", "must not be less than min_amount")
	}
}

// checkCollect checks the fields to ask the shopper and returns them in LinkFields order.
func (in *NewLink) checkCollect(ve *ValidationError) []string {
	for i, f := range in.Collect {
		switch {
		case !slices.Contains(LinkFields, f):
			ve.add(fmt.Sprintf("collect[%d]", i), "unknown field %q; known: %s", f, strings.Join(LinkFields, ", "))
		case slices.Index(in.Collect, f) != i:
			ve.add(fmt.Sprintf("collect[%d]", i), "%q is listed twice", f)
		}
	}
	var out []string
	for _, f := range LinkFields {
		if slices.Contains(in.Collect, f) {
			out = append(out, f)
		}
	}
	return out
}

// LinkInput is what a shopper sends from a link's page.
type LinkInput struct {
	Amount string // a shopper-entered amount; ignored for a fixed price
	Name   string
	Phone  string
	Email  string
	// Nonce identifies one showing of the link page: a Continue sent twice with the same
	// nonce (a double click, a resent form) gets the order the first one made.
	Nonce string
}

// Shopper-facing validation messages are keys for the page to translate: these are the
// FieldError.Message values LinkCheckout uses.
const (
	LinkMsgRequired = "required"
	LinkMsgInvalid  = "invalid"
	LinkMsgRange    = "range"
	LinkMsgScale    = "scale"
)

// check validates a shopper's input against the link: the amount (when the shopper enters
// it) and every collected field, which are all required. A phone needs its country code
// (a leading +).
func (in *LinkInput) check(l *Link) (money.Amount, error) {
	ve := &ValidationError{}
	amount := l.Amount
	if l.OpenAmount() {
		a, err := money.Parse(strings.TrimSpace(in.Amount), l.Currency.Code)
		switch {
		case strings.TrimSpace(in.Amount) == "":
			ve.add("amount", LinkMsgRequired)
		case errors.Is(err, money.ErrTooManyDecimals):
			ve.add("amount", LinkMsgScale)
		case err != nil:
			ve.add("amount", LinkMsgInvalid)
		case a.Cmp(l.MinAmount) < 0 || a.Cmp(l.MaxAmount) > 0:
			ve.add("amount", LinkMsgRange)
		}
		amount = a
	}
	in.Name, in.Phone, in.Email = strings.TrimSpace(in.Name), strings.TrimSpace(in.Phone), strings.TrimSpace(in.Email)
	for _, f := range l.Collect {
		v := map[string]string{FieldName: in.Name, FieldPhone: in.Phone, FieldEmail: in.Email}[f]
		if v == "" {
			ve.add(f, LinkMsgRequired)
			continue
		}
		probe := &ValidationError{}
		(&NewOrder{Customer: customerOf(f, v)}).checkCustomer(probe)
		if len(probe.Fields) > 0 || (f == FieldPhone && !strings.HasPrefix(v, "+")) {
			ve.add(f, LinkMsgInvalid)
		}
	}
	if len(ve.Fields) > 0 {
		return amount, ve
	}
	return amount, nil
}

// customerOf is a customer with one collected field set.
func customerOf(field, v string) gateway.Customer {
	switch field {
	case FieldName:
		return gateway.Customer{Name: v}
	case FieldPhone:
		return gateway.Customer{Phone: v}
	}
	return gateway.Customer{Email: v}
}
