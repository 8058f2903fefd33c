package order

import (
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/money"
)

// Limits of a new order.
const (
	DefaultExpiresIn = 1800   // seconds
	MinExpiresIn     = 300    // seconds
	MaxExpiresIn     = 604800 // seconds: one week
	maxReference     = 64
	maxDescription   = 500
	maxItems         = 100
	maxItemName      = 200
	maxQuantity      = 10000
	maxMetadata      = 20
	maxMetadataKey   = 40
	maxMetadataValue = 500
	maxURL           = 2048
)

// NewOrder is a merchant's request for an order, as received (strings not yet parsed).
type NewOrder struct {
	Amount      string
	Currency    string
	Reference   string
	Description string
	Items       []NewItem
	Customer    gateway.Customer
	Locale      string
	ReturnURL   string
	CancelURL   string
	WebhookURL  string
	Methods     []string
	ExpiresIn   *int64
	Metadata    map[string]string
}

// NewItem is one line of a NewOrder.
type NewItem struct {
	Name       string
	Quantity   int64
	UnitAmount string
}

// FieldError names the input at fault and says what is wrong, in English for the API.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// ValidationError lists everything wrong with an input at once.
type ValidationError struct{ Fields []FieldError }

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = f.Field + ": " + f.Message
	}
	return "order: invalid input: " + strings.Join(parts, "; ")
}

func (e *ValidationError) add(field, format string, args ...any) {
	e.Fields = append(e.Fields, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

// validated is a NewOrder after parsing.
type validated struct {
	amount    money.Amount
	items     []Item
	expiresIn int64
}

// validate checks a NewOrder; available lists the methods that the configured gateways can
// take in a currency. Every problem is reported at once, field by field.
func (in *NewOrder) validate(available func(currency string) []string) (validated, error) {
	var v validated
	ve := &ValidationError{}
	cur, curOK := money.LookupCurrency(in.Currency)
	v.amount = in.checkAmount(ve, cur, curOK)
	checkText(ve, "reference", in.Reference, maxReference, false)
	checkText(ve, "description", in.Description, maxDescription, false)
	v.items = in.checkItems(ve, cur, curOK, v.amount)
	in.checkCustomer(ve)
	in.checkURLs(ve)
	v.expiresIn = in.checkExpiry(ve)
	in.checkMetadata(ve)
	if in.checkMethodNames(ve) && curOK {
		in.checkUsable(ve, cur.Code, available(cur.Code))
	}
	if len(ve.Fields) > 0 {
		return v, ve
	}
	return v, nil
}

// checkAmount parses the amount in the currency (cur is valid only with curOK).
func (in *NewOrder) checkAmount(ve *ValidationError, cur money.Currency, curOK bool) money.Amount {
	if !curOK {
		ve.add("currency", "unknown or unsupported currency %q: use an ISO 4217 code such as KWD", in.Currency)
		if in.Amount == "" {
			ve.add("amount", "is required, as a string such as \"6.000\"")
		}
		return money.Amount{}
	}
	a, err := money.Parse(in.Amount, cur.Code)
	if err != nil {
		ve.add("amount", "%s", amountMessage(err, cur))
	}
	return a
}

// checkItems parses the lines and checks that they add up to amount (when both are valid).
func (in *NewOrder) checkItems(ve *ValidationError, cur money.Currency, curOK bool, amount money.Amount) []Item {
	if len(in.Items) > maxItems {
		ve.add("items", "at most %d items", maxItems)
		return nil
	}
	if !curOK {
		return nil
	}
	var items []Item
	sum, _ := money.Zero(cur.Code)
	sumOK := true
	for i, it := range in.Items {
		f := fmt.Sprintf("items[%d]", i)
		checkText(ve, f+".name", it.Name, maxItemName, true)
		if it.Quantity < 1 || it.Quantity > maxQuantity {
			ve.add(f+".quantity", "must be a whole number from 1 to %d", maxQuantity)
			sumOK = false
			continue
		}
		unit, err := money.Parse(it.UnitAmount, cur.Code)
		if err != nil {
			ve.add(f+".unit_amount", "%s", amountMessage(err, cur))
			sumOK = false
			continue
		}
		line, err1 := unit.MulInt(it.Quantity)
		next, err2 := sum.Add(line)
		if err1 != nil || err2 != nil {
			ve.add(f+".unit_amount", "line total is too large")
			sumOK = false
			continue
		}
		sum = next
		items = append(items, Item{Name: it.Name, Quantity: it.Quantity, UnitAmount: unit})
	}
	if sumOK && len(in.Items) > 0 && amount.IsPositive() && !sum.Equal(amount) {
		ve.add("items", "items add up to %s but amount is %s", sum.String(), amount.String())
	}
	return items
}

// checkCustomer checks the customer's email, name and phone, and the locale.
func (in *NewOrder) checkCustomer(ve *ValidationError) {
	if in.Customer.Email != "" {
		if a, err := mail.ParseAddress(in.Customer.Email); err != nil || a.Address != in.Customer.Email || len(in.Customer.Email) > 254 {
			ve.add("customer.email", "is not a valid email address")
		}
	}
	checkText(ve, "customer.name", in.Customer.Name, 200, false)
	if p := in.Customer.Phone; p != "" && !validPhone(p) {
		ve.add("customer.phone", "use digits, spaces and an optional leading +, at most 20 digits")
	}
	if in.Locale != "" && in.Locale != "ar" && in.Locale != "en" {
		ve.add("locale", "must be \"ar\" or \"en\"")
	}
}

// checkURLs checks the return (required), cancel and webhook URLs.
func (in *NewOrder) checkURLs(ve *ValidationError) {
	if in.ReturnURL == "" {
		ve.add("return_url", "is required: where the shopper goes back to your shop")
	} else if !validURL(in.ReturnURL) {
		ve.add("return_url", "must be an absolute http or https URL")
	}
	if in.CancelURL != "" && !validURL(in.CancelURL) {
		ve.add("cancel_url", "must be an absolute http or https URL")
	}
	if in.WebhookURL != "" && !validURL(in.WebhookURL) {
		ve.add("webhook_url", "must be an absolute http or https URL")
	}
}

// checkExpiry returns the order's lifetime in seconds (DefaultExpiresIn when not given).
func (in *NewOrder) checkExpiry(ve *ValidationError) int64 {
	if in.ExpiresIn == nil {
		return DefaultExpiresIn
	}
	if e := *in.ExpiresIn; e < MinExpiresIn || e > MaxExpiresIn {
		ve.add("expires_in", "must be from %d to %d seconds", MinExpiresIn, MaxExpiresIn)
	}
	return *in.ExpiresIn
}

// checkMetadata checks the number and sizes of metadata keys and values.
func (in *NewOrder) checkMetadata(ve *ValidationError) {
	if len(in.Metadata) > maxMetadata {
		ve.add("metadata", "at most %d keys", maxMetadata)
	}
	for _, k := range sortedKeys(in.Metadata) {
		if k == "" || utf8.RuneCountInString(k) > maxMetadataKey {
			ve.add("metadata", "keys must have 1 to %d characters", maxMetadataKey)
		} else if utf8.RuneCountInString(in.Metadata[k]) > maxMetadataValue {
			ve.add("metadata."+k, "at most %d characters", maxMetadataValue)
		}
	}
}

// checkMethodNames reports whether every method named is one Bawaba knows.
func (in *NewOrder) checkMethodNames(ve *ValidationError) bool {
	ok := true
	for i, m := range in.Methods {
		if !gateway.KnownMethod(m) {
			ve.add(fmt.Sprintf("methods[%d]", i), "unknown method %q; known: %s", m, strings.Join(gateway.AllMethods, ", "))
			ok = false
		}
	}
	return ok
}

// checkUsable checks that at least one method (of those named, if any) can take the currency:
// avail lists those the configured gateways take in it.
func (in *NewOrder) checkUsable(ve *ValidationError, currency string, avail []string) {
	usable := avail
	if len(in.Methods) > 0 {
		usable = nil
		for _, m := range in.Methods {
			if slices.Contains(avail, m) {
				usable = append(usable, m)
			}
		}
	}
	if len(usable) == 0 {
		field := "currency"
		if len(in.Methods) > 0 {
			field = "methods"
		}
		ve.add(field, "no configured payment method can take %s%s", currency, availableHint(avail))
	}
}

func availableHint(avail []string) string {
	if len(avail) == 0 {
		return ""
	}
	return "; available: " + strings.Join(avail, ", ")
}

func amountMessage(err error, cur money.Currency) string {
	switch {
	case errors.Is(err, money.ErrSyntax):
		return "must be a decimal string such as \"6.000\" (no sign, exponent or separators)"
	case errors.Is(err, money.ErrTooManyDecimals):
		return fmt.Sprintf("%s allows at most %d decimals", cur.Code, cur.Scale)
	case errors.Is(err, money.ErrNotPositive):
		return "must be greater than zero"
	case errors.Is(err, money.ErrTooLarge):
		return "is too large"
	}
	return "is not a valid amount"
}

func checkText(ve *ValidationError, field, s string, max int, required bool) {
	switch {
	case required && strings.TrimSpace(s) == "":
		ve.add(field, "is required")
	case !utf8.ValidString(s):
		ve.add(field, "must be valid UTF-8")
	case utf8.RuneCountInString(s) > max:
		ve.add(field, "at most %d characters", max)
	case strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\n' }) >= 0:
		ve.add(field, "must not contain control characters")
	}
}

func validURL(s string) bool {
	if len(s) > maxURL {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil
}

func validPhone(p string) bool {
	digits := 0
	for i, r := range p {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == ' ' || r == '-':
		case r == '+' && i == 0:
		default:
			return false
		}
	}
	return digits >= 4 && digits <= 20
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
