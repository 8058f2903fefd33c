package order

import (
	"errors"
	"slices"
	"testing"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/money"
)

// Status names, short, so that the expected tables below read like the diagram in transition.go.
const (
	pending    = gateway.StatusPending
	authorized = gateway.StatusAuthorized
	paid       = gateway.StatusPaid
	failed     = gateway.StatusFailed
	cancelled  = gateway.StatusCancelled
	expired    = gateway.StatusExpired
	unknown    = gateway.StatusUnknown
	voided     = gateway.StatusVoided
	refunded   = gateway.StatusRefunded
)

// legalAttemptMoves is the attempt state machine, written out by hand. Every pair of
// gateway.Statuses that is not listed here must be refused.
var legalAttemptMoves = map[gateway.Status][]gateway.Status{
	pending:    {authorized, paid, failed, cancelled, expired, unknown, voided},
	unknown:    {authorized, paid, failed, cancelled, expired, voided},
	authorized: {paid, voided, failed, expired},
	paid:       {refunded, voided},
	failed:     {paid}, // a late success
	cancelled:  {paid}, // a late success
	expired:    {paid}, // a late success
	voided:     {},
	refunded:   {},
}

// legalOrderMoves is the order state machine, written out by hand.
var legalOrderMoves = map[Status][]Status{
	StatusOpen:              {StatusProcessing, StatusPaid, StatusExpired, StatusCancelled},
	StatusProcessing:        {StatusOpen, StatusPaid, StatusExpired, StatusCancelled}, // cancel while at a gateway
	StatusPaid:              {StatusPartiallyRefunded, StatusRefunded},
	StatusPartiallyRefunded: {StatusPartiallyRefunded, StatusRefunded}, // a second partial refund
	StatusExpired:           {StatusPaid},                              // a late success
	StatusCancelled:         {StatusPaid},                              // a late success
	StatusRefunded:          {},
}

func TestCanMoveAttemptWholeTable(t *testing.T) {
	t.Parallel()
	if len(legalAttemptMoves) != len(gateway.Statuses) {
		t.Fatalf("expected table covers %d statuses, gateway.Statuses has %d", len(legalAttemptMoves), len(gateway.Statuses))
	}
	for _, from := range gateway.Statuses {
		legal, ok := legalAttemptMoves[from]
		if !ok {
			t.Fatalf("status %q missing from the expected table", from)
		}
		for _, to := range gateway.Statuses {
			want := slices.Contains(legal, to)
			if got := CanMoveAttempt(from, to); got != want {
				t.Errorf("CanMoveAttempt(%s → %s) = %v, want %v", from, to, got, want)
			}
		}
	}
}

func TestCanMoveOrderWholeTable(t *testing.T) {
	t.Parallel()
	if len(legalOrderMoves) != len(Statuses) {
		t.Fatalf("expected table covers %d statuses, order.Statuses has %d", len(legalOrderMoves), len(Statuses))
	}
	for _, from := range Statuses {
		legal, ok := legalOrderMoves[from]
		if !ok {
			t.Fatalf("status %q missing from the expected table", from)
		}
		for _, to := range Statuses {
			want := slices.Contains(legal, to)
			if got := CanMoveOrder(from, to); got != want {
				t.Errorf("CanMoveOrder(%s → %s) = %v, want %v", from, to, got, want)
			}
		}
	}
}

func TestCanMoveRejectsUnknownStatuses(t *testing.T) {
	t.Parallel()
	if CanMoveAttempt("bogus", paid) || CanMoveAttempt(pending, "bogus") {
		t.Error("an attempt status outside gateway.Statuses must never move")
	}
	if CanMoveOrder("bogus", StatusPaid) || CanMoveOrder(StatusOpen, "bogus") {
		t.Error("an order status outside order.Statuses must never move")
	}
}

func TestPaidNeverRegresses(t *testing.T) {
	t.Parallel()
	for _, to := range []gateway.Status{failed, cancelled, expired, pending, unknown, authorized} {
		if CanMoveAttempt(paid, to) {
			t.Errorf("attempt paid → %s allowed; paid must never regress", to)
		}
	}
	for _, to := range []Status{StatusOpen, StatusProcessing, StatusExpired, StatusCancelled} {
		if CanMoveOrder(StatusPaid, to) {
			t.Errorf("order paid → %s allowed; paid must never regress", to)
		}
	}
}

// planOrder builds an order in status st with the given attempts.
func planOrder(st Status, attempts ...Attempt) *Order {
	return &Order{ID: "ord_test", Status: st, Amount: money.MustParse("6.000", "KWD"), Attempts: attempts}
}

func att(id string, st gateway.Status) Attempt {
	return Attempt{ID: id, OrderID: "ord_test", Method: "knet", Gateway: "knet", Status: st}
}

func TestPlanAttempt(t *testing.T) {
	t.Parallel()
	type want struct {
		noop       bool
		orderTo    Status
		flagReview bool
		cause      string
		events     []string
		notify     []string
		err        error
	}
	tests := []struct {
		name   string
		order  Status
		this   gateway.Status   // the attempt's current status
		others []gateway.Status // the order's other attempts
		to     gateway.Status
		want   want
	}{
		{
			name:  "pending → paid on open order: order paid, order.paid sent",
			order: StatusOpen, this: pending, to: paid,
			want: want{orderTo: StatusPaid, events: []string{EventAttemptStatus, EventPaid}, notify: []string{NotifyPaid}},
		},
		{
			name:  "pending → paid on processing order: order paid, order.paid sent",
			order: StatusProcessing, this: pending, to: paid,
			want: want{orderTo: StatusPaid, events: []string{EventAttemptStatus, EventPaid}, notify: []string{NotifyPaid}},
		},
		{
			name:  "authorized → paid on processing order: order paid",
			order: StatusProcessing, this: authorized, to: paid,
			want: want{orderTo: StatusPaid, events: []string{EventAttemptStatus, EventPaid}, notify: []string{NotifyPaid}},
		},
		{
			name:  "paid on expired order: order paid, flagged, late payment recorded",
			order: StatusExpired, this: pending, to: paid,
			want: want{orderTo: StatusPaid, flagReview: true, cause: EventLatePayment,
				events: []string{EventAttemptStatus, EventPaid, EventLatePayment}, notify: []string{NotifyPaid}},
		},
		{
			name:  "paid on cancelled order: order paid, flagged, late payment recorded",
			order: StatusCancelled, this: pending, to: paid,
			want: want{orderTo: StatusPaid, flagReview: true, cause: EventLatePayment,
				events: []string{EventAttemptStatus, EventPaid, EventLatePayment}, notify: []string{NotifyPaid}},
		},
		{
			name:  "failed attempt later paid on open order: order paid, flagged late",
			order: StatusOpen, this: failed, to: paid,
			want: want{orderTo: StatusPaid, flagReview: true, cause: EventLatePayment,
				events: []string{EventAttemptStatus, EventPaid, EventLatePayment}, notify: []string{NotifyPaid}},
		},
		{
			name:  "paid when another attempt already paid the order: order unchanged, duplicate flagged",
			order: StatusPaid, this: pending, others: []gateway.Status{paid}, to: paid,
			want: want{orderTo: StatusPaid, flagReview: true, cause: EventDuplicatePayment,
				events: []string{EventAttemptStatus, EventDuplicatePayment}},
		},
		{
			name:  "late success of a failed attempt on an order another attempt paid: duplicate",
			order: StatusPaid, this: failed, others: []gateway.Status{paid}, to: paid,
			want: want{orderTo: StatusPaid, flagReview: true, cause: EventDuplicatePayment,
				events: []string{EventAttemptStatus, EventDuplicatePayment}},
		},
		{
			name:  "failed, nothing else in flight: processing order reopens, payment.failed sent",
			order: StatusProcessing, this: pending, others: []gateway.Status{failed}, to: failed,
			want: want{orderTo: StatusOpen, events: []string{EventAttemptStatus, EventReopened}, notify: []string{NotifyPaymentFailed}},
		},
		{
			name:  "failed while another attempt is pending: order stays processing, payment.failed sent",
			order: StatusProcessing, this: pending, others: []gateway.Status{pending}, to: failed,
			want: want{orderTo: StatusProcessing, events: []string{EventAttemptStatus}, notify: []string{NotifyPaymentFailed}},
		},
		{
			name:  "failed while another attempt is unknown: order stays processing",
			order: StatusProcessing, this: pending, others: []gateway.Status{unknown}, to: failed,
			want: want{orderTo: StatusProcessing, events: []string{EventAttemptStatus}, notify: []string{NotifyPaymentFailed}},
		},
		{
			name:  "cancelled by shopper: processing order reopens, no merchant webhook",
			order: StatusProcessing, this: pending, to: cancelled,
			want: want{orderTo: StatusOpen, events: []string{EventAttemptStatus, EventReopened}},
		},
		{
			name:  "failed on an expired order: order stays expired",
			order: StatusExpired, this: pending, to: failed,
			want: want{orderTo: StatusExpired, events: []string{EventAttemptStatus}, notify: []string{NotifyPaymentFailed}},
		},
		{
			name:  "authorized on open order: order processing",
			order: StatusOpen, this: pending, to: authorized,
			want: want{orderTo: StatusProcessing, events: []string{EventAttemptStatus}},
		},
		{
			name:  "paid → refunded: order refunded, order.refunded sent",
			order: StatusPaid, this: paid, to: refunded,
			want: want{orderTo: StatusRefunded, events: []string{EventAttemptStatus, EventRefunded}, notify: []string{NotifyRefunded}},
		},
		{name: "pending again: no-op", order: StatusProcessing, this: pending, to: pending,
			want: want{noop: true, orderTo: StatusProcessing}},
		{name: "paid again: no-op", order: StatusPaid, this: paid, to: paid,
			want: want{noop: true, orderTo: StatusPaid}},
		{name: "failed again: no-op", order: StatusOpen, this: failed, to: failed,
			want: want{noop: true, orderTo: StatusOpen}},
		{name: "paid → failed is illegal", order: StatusPaid, this: paid, to: failed,
			want: want{orderTo: StatusPaid, err: ErrIllegalTransition}},
		{name: "paid → pending is illegal", order: StatusPaid, this: paid, to: pending,
			want: want{orderTo: StatusPaid, err: ErrIllegalTransition}},
		{name: "refunded → paid is illegal", order: StatusRefunded, this: refunded, to: paid,
			want: want{orderTo: StatusRefunded, err: ErrIllegalTransition}},
		{name: "failed → cancelled is illegal", order: StatusOpen, this: failed, to: cancelled,
			want: want{orderTo: StatusOpen, err: ErrIllegalTransition}},
		{name: "unknown → pending is illegal", order: StatusProcessing, this: unknown, to: pending,
			want: want{orderTo: StatusProcessing, err: ErrIllegalTransition}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := att("att_this", tc.this)
			attempts := []Attempt{a}
			for i, st := range tc.others {
				attempts = append(attempts, att("att_other"+string(rune('0'+i)), st))
			}
			o := planOrder(tc.order, attempts...)

			p, err := PlanAttempt(o, &a, tc.to)

			if tc.want.err != nil {
				if !errors.Is(err, tc.want.err) {
					t.Fatalf("err = %v, want %v", err, tc.want.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if p.Noop != tc.want.noop {
				t.Errorf("Noop = %v, want %v", p.Noop, tc.want.noop)
			}
			if p.AttemptTo != tc.to {
				t.Errorf("AttemptTo = %s, want %s", p.AttemptTo, tc.to)
			}
			if p.OrderTo != tc.want.orderTo {
				t.Errorf("OrderTo = %s, want %s", p.OrderTo, tc.want.orderTo)
			}
			if p.FlagReview != tc.want.flagReview || p.ReviewCause != tc.want.cause {
				t.Errorf("FlagReview, ReviewCause = %v, %q; want %v, %q", p.FlagReview, p.ReviewCause, tc.want.flagReview, tc.want.cause)
			}
			if !slices.Equal(p.Events, tc.want.events) {
				t.Errorf("Events = %q, want %q", p.Events, tc.want.events)
			}
			if !slices.Equal(p.Notify, tc.want.notify) {
				t.Errorf("Notify = %q, want %q", p.Notify, tc.want.notify)
			}
			if tc.want.orderTo != tc.order && !CanMoveOrder(tc.order, p.OrderTo) {
				t.Errorf("plan moves order %s → %s, which the order table refuses", tc.order, p.OrderTo)
			}
		})
	}
}

// Every plan PlanAttempt accepts must respect both tables, whatever the order's status.
func TestPlanAttemptRespectsTables(t *testing.T) {
	t.Parallel()
	for _, ost := range Statuses {
		for _, from := range gateway.Statuses {
			for _, to := range gateway.Statuses {
				a := att("att_this", from)
				o := planOrder(ost, a)
				p, err := PlanAttempt(o, &a, to)
				if err != nil {
					if !errors.Is(err, ErrIllegalTransition) {
						t.Errorf("order %s, attempt %s → %s: unexpected error %v", ost, from, to, err)
					}
					continue
				}
				if from == to {
					if !p.Noop {
						t.Errorf("order %s, attempt %s → %s: want Noop", ost, from, to)
					}
					continue
				}
				if !CanMoveAttempt(from, to) {
					t.Errorf("order %s: PlanAttempt accepted attempt %s → %s", ost, from, to)
				}
				if p.OrderTo != ost && !CanMoveOrder(ost, p.OrderTo) {
					t.Errorf("PlanAttempt moved order %s → %s", ost, p.OrderTo)
				}
				if ost == StatusPaid && p.OrderTo != StatusPaid && p.OrderTo != StatusRefunded && p.OrderTo != StatusPartiallyRefunded {
					t.Errorf("paid order regressed to %s (attempt %s → %s)", p.OrderTo, from, to)
				}
			}
		}
	}
}
