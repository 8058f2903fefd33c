package order

import (
	"fmt"
	"slices"

	"github.com/bawaba/checkout/gateway"
)

// The state machines. This file is the one place that decides every transition.
//
// Attempt (one try at one gateway):
//
//	pending ──► authorized ──► paid ──► refunded | voided
//	   │  └───► unknown ──(inquiry)──► authorized | paid | failed | cancelled | expired | voided
//	   └──────► paid | failed | cancelled | expired | voided (refused at the gateway's handshake)
//	failed | cancelled | expired ──► paid   (a late success: recorded and flagged needs_review)
//
// Order:
//
//	open ⇄ processing ──► paid ──► partially_refunded ──► refunded
//	open | processing ──► expired | cancelled
//	expired | cancelled ──► paid   (a late success: recorded and flagged needs_review)
//
// paid never regresses: a failure reported after a success is refused and only logged in the
// timeline. A status reported twice is a no-op, so returns, webhooks and the reconciler may
// race freely.
var attemptMoves = map[gateway.Status][]gateway.Status{
	gateway.StatusPending:    {gateway.StatusAuthorized, gateway.StatusPaid, gateway.StatusFailed, gateway.StatusCancelled, gateway.StatusExpired, gateway.StatusUnknown, gateway.StatusVoided},
	gateway.StatusUnknown:    {gateway.StatusAuthorized, gateway.StatusPaid, gateway.StatusFailed, gateway.StatusCancelled, gateway.StatusExpired, gateway.StatusVoided},
	gateway.StatusAuthorized: {gateway.StatusPaid, gateway.StatusVoided, gateway.StatusFailed, gateway.StatusExpired},
	gateway.StatusPaid:       {gateway.StatusRefunded, gateway.StatusVoided},
	gateway.StatusFailed:     {gateway.StatusPaid},
	gateway.StatusCancelled:  {gateway.StatusPaid},
	gateway.StatusExpired:    {gateway.StatusPaid},
	gateway.StatusVoided:     nil,
	gateway.StatusRefunded:   nil,
}

var orderMoves = map[Status][]Status{
	StatusOpen:              {StatusProcessing, StatusPaid, StatusExpired, StatusCancelled},
	StatusProcessing:        {StatusOpen, StatusPaid, StatusExpired, StatusCancelled},
	StatusPaid:              {StatusPartiallyRefunded, StatusRefunded},
	StatusPartiallyRefunded: {StatusPartiallyRefunded, StatusRefunded},
	StatusExpired:           {StatusPaid},
	StatusCancelled:         {StatusPaid},
	StatusRefunded:          nil,
}

// CanMoveAttempt reports whether an attempt may go from one status to another.
func CanMoveAttempt(from, to gateway.Status) bool {
	return slices.Contains(attemptMoves[from], to)
}

// CanMoveOrder reports whether an order may go from one status to another.
func CanMoveOrder(from, to Status) bool {
	return slices.Contains(orderMoves[from], to)
}

// Event types written to the timeline.
const (
	EventCreated          = "order.created"
	EventCancelled        = "order.cancelled"
	EventExpired          = "order.expired"
	EventPaid             = "order.paid"
	EventRefunded         = "order.refunded"
	EventRefundFailed     = "refund.failed"
	EventRefundReported   = "refund.reported"
	EventRefundReview     = "refund.needs_review"
	EventReopened         = "order.reopened"
	EventAttemptStarted   = "attempt.started"
	EventAttemptStatus    = "attempt.status"
	EventAttemptRefused   = "attempt.transition_refused"
	EventAttemptMismatch  = "attempt.mismatch"
	EventLatePayment      = "order.late_payment"
	EventDuplicatePayment = "order.duplicate_payment"
)

// Merchant webhook event types.
const (
	NotifyPaid          = "order.paid"
	NotifyExpired       = "order.expired"
	NotifyCancelled     = "order.cancelled"
	NotifyRefunded      = "order.refunded"
	NotifyPaymentFailed = "payment.failed"
)

// Plan is what applying a new attempt status does: computed by PlanAttempt, a pure function,
// and carried out by the service in one transaction.
type Plan struct {
	Noop        bool // the attempt already has that status
	AttemptTo   gateway.Status
	OrderTo     Status // equal to the order's status when it does not change
	FlagReview  bool   // flag both the attempt and the order needs_review
	Events      []string
	Notify      []string // merchant webhooks to send
	ReviewCause string   // why FlagReview: an event type
}

// PlanAttempt decides what happens when attempt a of order o is reported in status to.
// o.Attempts must hold the order's attempts (a among them).
func PlanAttempt(o *Order, a *Attempt, to gateway.Status) (Plan, error) {
	p := Plan{AttemptTo: to, OrderTo: o.Status}
	if a.Status == to {
		p.Noop = true
		return p, nil
	}
	if !CanMoveAttempt(a.Status, to) {
		return p, fmt.Errorf("%w: attempt %s %s → %s", ErrIllegalTransition, a.ID, a.Status, to)
	}
	p.Events = append(p.Events, EventAttemptStatus)
	lateAttempt := a.Final() // failed/cancelled/expired → paid

	switch to {
	case gateway.StatusPaid:
		switch o.Status {
		case StatusOpen, StatusProcessing:
			p.OrderTo = StatusPaid
			p.Events = append(p.Events, EventPaid)
			p.Notify = append(p.Notify, NotifyPaid)
		case StatusExpired, StatusCancelled:
			p.OrderTo = StatusPaid
			p.FlagReview, p.ReviewCause = true, EventLatePayment
			p.Events = append(p.Events, EventPaid, EventLatePayment)
			p.Notify = append(p.Notify, NotifyPaid)
		default: // already paid (or refunded) through another attempt: money came in twice
			p.FlagReview, p.ReviewCause = true, EventDuplicatePayment
			p.Events = append(p.Events, EventDuplicatePayment)
		}
		if lateAttempt && !p.FlagReview {
			p.FlagReview, p.ReviewCause = true, EventLatePayment
			p.Events = append(p.Events, EventLatePayment)
		}
	case gateway.StatusAuthorized, gateway.StatusUnknown, gateway.StatusPending:
		if o.Status == StatusOpen {
			p.OrderTo = StatusProcessing
		}
	case gateway.StatusFailed, gateway.StatusCancelled, gateway.StatusExpired:
		if o.Status == StatusProcessing && !otherAttemptInFlight(o, a.ID) {
			p.OrderTo = StatusOpen
			p.Events = append(p.Events, EventReopened)
		}
		if to == gateway.StatusFailed {
			p.Notify = append(p.Notify, NotifyPaymentFailed)
		}
	case gateway.StatusVoided, gateway.StatusRefunded:
		switch {
		case a.Status == gateway.StatusPaid && (o.Status == StatusPaid || o.Status == StatusPartiallyRefunded):
			p.OrderTo = StatusRefunded
			p.Events = append(p.Events, EventRefunded)
			p.Notify = append(p.Notify, NotifyRefunded)
		case o.Status == StatusProcessing && !otherAttemptInFlight(o, a.ID):
			// A voided authorization: nothing was taken, the shopper may pay again.
			p.OrderTo = StatusOpen
			p.Events = append(p.Events, EventReopened)
		}
	}
	if p.OrderTo != o.Status && !CanMoveOrder(o.Status, p.OrderTo) {
		return p, fmt.Errorf("%w: order %s %s → %s", ErrIllegalTransition, o.ID, o.Status, p.OrderTo)
	}
	return p, nil
}

func otherAttemptInFlight(o *Order, except string) bool {
	for _, x := range o.Attempts {
		if x.ID != except && !x.Final() {
			return true
		}
	}
	return false
}
