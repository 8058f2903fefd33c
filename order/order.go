// Package order owns orders and their payment attempts: the statuses, the one table of allowed
// transitions, and the service that creates orders, starts attempts and applies verified results.
package order

import (
	"errors"
	"time"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/money"
)

// Status is an order's status.
type Status string

// Order statuses.
const (
	StatusOpen              Status = "open"       // waiting for the shopper
	StatusProcessing        Status = "processing" // an attempt is under way at a gateway
	StatusPaid              Status = "paid"
	StatusExpired           Status = "expired"
	StatusCancelled         Status = "cancelled"
	StatusRefunded          Status = "refunded"
	StatusPartiallyRefunded Status = "partially_refunded"
)

// Statuses lists every order status in a stable order.
var Statuses = []Status{StatusOpen, StatusProcessing, StatusPaid, StatusExpired, StatusCancelled, StatusRefunded, StatusPartiallyRefunded}

// Payable reports whether a shopper may still start an attempt on an order in this status.
func (s Status) Payable() bool { return s == StatusOpen || s == StatusProcessing }

// HoldsReference reports whether an order in this status keeps its merchant reference taken:
// the same purchase must not be payable twice.
func (s Status) HoldsReference() bool {
	switch s {
	case StatusOpen, StatusProcessing, StatusPaid, StatusPartiallyRefunded:
		return true
	}
	return false
}

// Item is one line of an order.
type Item struct {
	Name       string
	Quantity   int64
	UnitAmount money.Amount
}

// Order is one purchase to be paid, created by the merchant.
type Order struct {
	ID          string
	Reference   string
	Amount      money.Amount
	Description string
	Items       []Item
	Customer    gateway.Customer
	Locale      string // "ar" or "en"; empty: the shopper's browser decides
	ReturnURL   string
	CancelURL   string
	WebhookURL  string
	Methods     []string // allowed methods; empty: every available one
	Metadata    map[string]string
	PaymentLink string // the payment link the order was made through ("": the API)
	Status      Status
	// NeedsReview flags an order that a person must look at: money arrived after it expired or
	// was cancelled, or a second attempt was paid.
	NeedsReview bool
	ExpiresAt   time.Time
	CreatedAt   time.Time
	UpdatedAt   time.Time
	PaidAt      time.Time // zero until paid
	Attempts    []Attempt // oldest first; filled by reads that load them
	Refunds     []Refund  // oldest first; filled by reads that load them
}

// AsCreated returns the order as Create stored it: what changes afterwards (status, review
// flag, update and payment times, attempts, refunds) back to its first value. An idempotent
// replay answers with it, so that the answer is the first one, byte for byte, however the order
// moved since. A field added to Order that changes after creation must be reset here.
func (o Order) AsCreated() Order {
	o.Status = StatusOpen
	o.NeedsReview = false
	o.UpdatedAt = o.CreatedAt
	o.PaidAt = time.Time{}
	o.Attempts, o.Refunds = nil, nil
	return o
}

// Refunded returns what was given back by succeeded refunds.
func (o *Order) Refunded() money.Amount {
	sum, _ := money.Zero(o.Amount.Currency().Code)
	for _, r := range o.Refunds {
		if r.Status == RefundSucceeded {
			if next, err := sum.Add(r.Amount); err == nil {
				sum = next
			}
		}
	}
	return sum
}

// Expired reports whether the order's time is up at now.
func (o *Order) Expired(now time.Time) bool { return !now.Before(o.ExpiresAt) }

// StatusAt is the order's status as it stands at now: an open or processing order whose time is
// up is expired, whether or not the expiry worker has written it yet (issue #11: the API never
// says open after expires_at). The worker's write follows with its event and webhook.
func (o *Order) StatusAt(now time.Time) Status {
	if o.Status.Payable() && o.Expired(now) {
		return StatusExpired
	}
	return o.Status
}

// PaidAttempt returns the attempt that paid the order, if any.
func (o *Order) PaidAttempt() (Attempt, bool) {
	for _, a := range o.Attempts {
		if a.Status == gateway.StatusPaid || a.Status == gateway.StatusRefunded {
			return a, true
		}
	}
	return Attempt{}, false
}

// LastAttempt returns the newest attempt, if any.
func (o *Order) LastAttempt() (Attempt, bool) {
	if len(o.Attempts) == 0 {
		return Attempt{}, false
	}
	return o.Attempts[len(o.Attempts)-1], true
}

// Attempt is one try to pay an order at one gateway.
type Attempt struct {
	ID      string
	Seq     int64 // a unique positive integer per attempt, for gateways that want numeric ids
	OrderID string
	Method  string
	Gateway string
	Status  gateway.Status
	// The gateway's identifiers.
	PaymentID     string
	TransactionID string
	AuthCode      string
	BankReference string
	TrackID       string
	// ReportedAmount is the amount and currency as the gateway reported them (zero when not yet).
	ReportedAmount money.Amount
	FailureReason  string
	GatewayCode    string
	GatewayMessage string
	Action         gateway.Action    // where the shopper was sent; empty until the gateway answered
	State          map[string]string // the connector's memory
	NeedsReview    bool
	Checks         int       // how many times the reconciler asked the gateway
	NextCheckAt    time.Time // when the reconciler asks next (zero: never)
	CreatedAt      time.Time
	UpdatedAt      time.Time
	FinishedAt     time.Time // zero while not final
}

// Final reports whether the attempt reached a status that only a late success can leave.
func (a *Attempt) Final() bool {
	switch a.Status {
	case gateway.StatusPending, gateway.StatusUnknown, gateway.StatusAuthorized:
		return false
	}
	return true
}

// Event is one line of an order's timeline.
type Event struct {
	ID        int64
	OrderID   string
	AttemptID string
	Type      string
	Data      map[string]string
	CreatedAt time.Time
}

// Errors of the order service. Handlers map them to HTTP statuses.
var (
	ErrNotFound          = errors.New("order: not found")
	ErrReferenceTaken    = errors.New("order: reference already belongs to an open or paid order")
	ErrIdempotencyReused = errors.New("order: idempotency key reused with a different request")
	ErrNotCancellable    = errors.New("order: only an order not paid yet can be cancelled")
	ErrNotPayable        = errors.New("order: order can no longer be paid")
	ErrOrderExpired      = errors.New("order: order expired")
	ErrMethodUnavailable = errors.New("order: method not available for this order")
	ErrIllegalTransition = errors.New("order: illegal transition")
	ErrAttemptBusy       = errors.New("order: an attempt is being started")
	ErrAttemptClosed     = errors.New("order: the attempt is no longer pending")
	ErrBadForm           = errors.New("order: the gateway's script posted unusable fields")
	ErrOutcomeUnknown    = errors.New("order: the gateway gave no clear answer; the attempt stays pending until it is asked again")
	ErrMismatch          = errors.New("order: gateway result does not match the attempt")
)
