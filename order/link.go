package order

import (
	"errors"
	"time"

	"github.com/bawaba/checkout/money"
)

// Link is a payment link: a page (/l/{id}) where any shopper who has it can pay the merchant,
// without a shop. Each Continue on it makes a real order (reference "link:{id}:{n}", PaymentLink
// set). A link never changes after it is made, except that it can be deactivated.
type Link struct {
	ID       string
	Currency money.Currency
	// Amount is the fixed price; the zero Amount (no currency) when the shopper enters the
	// amount, between MinAmount and MaxAmount.
	Amount      money.Amount
	MinAmount   money.Amount
	MaxAmount   money.Amount
	Description string
	Items       []Item
	Locale      string // "ar", "en" or "": the shopper's browser decides
	SingleUse   bool
	// MaxPayments caps the paid orders of a reusable link (0: no cap). A single-use link has 1.
	MaxPayments int64
	Collect     []string // fields asked of the shopper, in LinkFields order
	ReturnURL   string   // where the shopper goes back to ("": back to the link)
	WebhookURL  string
	Metadata    map[string]string // copied onto every order of the link
	ExpiresAt   time.Time         // zero: never
	// DeactivatedAt is when the merchant switched the link off (zero: active).
	DeactivatedAt time.Time
	OrdersMade    int64 // orders created through the link so far: the n of the last reference
	Views         int64 // times the link page was shown
	CreatedAt     time.Time
	Stats         LinkStats // filled by reads
}

// LinkStats is what a link brought in, counted from its orders.
type LinkStats struct {
	Orders int64
	Paid   int64        // orders that were paid (a refund later does not uncount them)
	Sum    money.Amount // total of the paid orders
}

// The fields a link can ask of the shopper.
const (
	FieldName  = "name"
	FieldPhone = "phone"
	FieldEmail = "email"
)

// LinkFields lists the fields a link can collect, in display order.
var LinkFields = []string{FieldName, FieldPhone, FieldEmail}

// LinkState is whether a link can still be paid, and if not why.
type LinkState string

// Link states.
const (
	LinkActive      LinkState = "active"
	LinkDeactivated LinkState = "deactivated"
	LinkExpired     LinkState = "expired"
	LinkUsedUp      LinkState = "used_up"
)

// OpenAmount reports whether the shopper enters the amount.
func (l *Link) OpenAmount() bool { return l.Amount.Currency().Code == "" }

// Limit is how many paid orders the link takes (0: no limit).
func (l *Link) Limit() int64 {
	if l.SingleUse {
		return 1
	}
	return l.MaxPayments
}

// State is the link's state at now, from its stats (read them first).
func (l *Link) State(now time.Time) LinkState {
	switch {
	case !l.DeactivatedAt.IsZero():
		return LinkDeactivated
	case !l.ExpiresAt.IsZero() && !now.Before(l.ExpiresAt):
		return LinkExpired
	case l.Limit() > 0 && l.Stats.Paid >= l.Limit():
		return LinkUsedUp
	}
	return LinkActive
}

// Asks reports whether the link collects field.
func (l *Link) Asks(field string) bool {
	for _, f := range l.Collect {
		if f == field {
			return true
		}
	}
	return false
}

// AsCreated returns the link as CreateLink stored it (an idempotent replay answers with it).
func (l Link) AsCreated() Link {
	l.DeactivatedAt = time.Time{}
	l.OrdersMade, l.Views = 0, 0
	zero, _ := money.Zero(l.Currency.Code)
	l.Stats = LinkStats{Sum: zero}
	return l
}

// LinkGoneError says why a link cannot be paid any more.
type LinkGoneError struct{ State LinkState }

func (e *LinkGoneError) Error() string { return "order: payment link is " + string(e.State) }

// Errors of payment links.
var (
	// ErrLinkBusy: a reusable link with a limit has as many orders paid or being paid as it
	// takes; it may free up when an open one expires.
	ErrLinkBusy = errors.New("order: payment link is at its limit while orders are being paid")
)
