package order

import (
	"cmp"
	"context"
	"errors"
	"time"

	"github.com/bawaba/checkout/gateway"
)

// Apply records a verified gateway result for an attempt (exported for gateways whose result
// arrives through our own pages, such as an embedded button's form post).
func (s *Service) Apply(ctx context.Context, attemptID string, res gateway.Result, source string) (Order, error) {
	return s.apply(ctx, attemptID, res, source)
}

// apply is the one place where a gateway's result changes an attempt and its order: in one
// transaction, checked against the attempt, decided by PlanAttempt, with its timeline events
// and merchant webhooks. Applying the same result twice changes nothing the second time.
//
// The steps, in order: read the attempt and its order; set aside a result carrying another
// attempt's payment id (a mismatch for review, acknowledged); check that money reported as taken is
// what the attempt asked for (a mismatch fails the attempt and flags both for review); record a
// partial refund reported by the gateway; then plan the move and take one of three ways:
// refused (an illegal transition, kept as an event), no-op (same status: only the
// reconciler's bookkeeping), or the transition with its events and webhooks.
func (s *Service) apply(ctx context.Context, attemptID string, res gateway.Result, source string) (Order, error) {
	var out Order
	var done applied
	paid := res.Status == gateway.StatusPaid
	if paid {
		s.fault(FaultPaidBeforeCommit)
	}
	err := s.st.Write(ctx, func(tx Tx) error {
		var err error
		out, done, err = s.applyInTx(ctx, tx, attemptID, res, source)
		return err
	})
	if err == nil {
		if paid {
			s.fault(FaultPaidAfterCommit)
		}
		s.afterApply(ctx, out, done)
	}
	return out, err
}

// applied is what a committed apply still has to do outside the transaction.
type applied struct {
	moved       *Attempt // the attempt, when its status changed (for the Observer)
	closeOthers bool     // the order was paid: close the other attempts still open
}

// applyInTx is apply's work inside the caller's transaction; the caller runs afterApply once
// the transaction committed.
func (s *Service) applyInTx(ctx context.Context, tx Tx, attemptID string, res gateway.Result, source string) (Order, applied, error) {
	o, a, err := loadAttempt(tx, attemptID)
	if err != nil {
		return o, applied{}, err
	}
	st := &applying{s: s, tx: tx, o: &o, a: a, res: res, source: source,
		now: s.now().UTC().Truncate(time.Millisecond), to: res.Status}
	if !st.to.Valid() {
		st.to = gateway.StatusUnknown
	}
	if taken, err := st.checkPaymentID(); err != nil || taken {
		return o, applied{}, err
	}
	if err := st.checkMatch(); err != nil {
		return o, applied{}, err
	}
	if st.partialRefund() {
		return o, applied{}, st.recordPartialRefund()
	}
	p, err := PlanAttempt(&o, a, st.to)
	switch {
	case errors.Is(err, ErrIllegalTransition):
		// e.g. a failure reported after a success: paid never regresses. Keep a trace.
		s.log.InfoContext(ctx, "transition refused", "order", o.ID, "attempt", a.ID, "from", a.Status, "to", st.to, "source", source)
		return o, applied{}, st.refuse()
	case err != nil:
		return o, applied{}, err
	case p.Noop:
		return o, applied{}, st.noop()
	}
	err = st.transition(p)
	return o, applied{moved: a, closeOthers: p.OrderTo == StatusPaid}, err
}

// afterApply tells the Observer of a moved attempt and, when the order was paid, asks the
// gateways of the order's other attempts still open not to take money too.
func (s *Service) afterApply(ctx context.Context, o Order, done applied) {
	if done.moved != nil && s.cfg.Observer != nil {
		s.cfg.Observer.AttemptMoved(done.moved.Gateway, done.moved.Method, done.moved.Status)
	}
	if !done.closeOthers {
		return
	}
	others := o
	others.Attempts = nil
	for _, x := range o.Attempts {
		if x.ID != done.moved.ID {
			others.Attempts = append(others.Attempts, x)
		}
	}
	s.closeOpenAttempts(ctx, &others)
}

// applying is one gateway result being applied to attempt a of order o inside tx.
type applying struct {
	s        *Service
	tx       Tx
	o        *Order
	a        *Attempt // within o.Attempts
	res      gateway.Result
	source   string
	now      time.Time
	to       gateway.Status // the status to move to (unknown when the gateway's is not valid)
	mismatch string         // why the money reported is not what was asked, or ""
}

// event appends a timeline event about the attempt.
func (st *applying) event(typ string, data map[string]string) error {
	return st.tx.AppendEvent(Event{OrderID: st.o.ID, AttemptID: st.a.ID, Type: typ, CreatedAt: st.now, Data: data})
}

// checkMatch compares a reported payment with what the attempt asked for. Money may have
// moved, but not what this attempt asked for: never mark it paid; record why, fail the
// attempt, and flag it and its order for review.
func (st *applying) checkMatch() error {
	if st.to != gateway.StatusPaid && st.to != gateway.StatusAuthorized {
		return nil
	}
	st.mismatch = checkMatch(st.o, st.a, &st.res)
	if st.mismatch == "" {
		return nil
	}
	if err := st.event(EventAttemptMismatch, map[string]string{"source": st.source, "why": st.mismatch,
		"reported_status": string(st.res.Status), "reported_amount": amountText(st.res), "raw": string(st.res.Raw)}); err != nil {
		return err
	}
	st.to = gateway.StatusFailed
	st.res.Reason = gateway.ReasonMismatch
	st.a.NeedsReview, st.o.NeedsReview = true, true
	return nil
}

// checkPaymentID checks that the gateway's payment id in the result is not another attempt's.
// A notification naming this attempt (our merchant reference) with another attempt's payment id
// (Adyen's pspReference) cannot be trusted to be about either: it changes no status and steals
// no id; it is recorded as a mismatch, this attempt and its order are flagged for review, and
// the notification is acknowledged (answering an error would only make the gateway retry it for
// days). taken reports that case.
func (st *applying) checkPaymentID() (taken bool, err error) {
	pid := st.res.PaymentID
	if pid == "" || pid == st.a.PaymentID {
		return false, nil
	}
	other, err := st.tx.AttemptByPaymentID(st.a.Gateway, pid)
	switch {
	case errors.Is(err, ErrNotFound):
		return false, nil
	case err != nil:
		return false, err
	case other.ID == st.a.ID:
		return false, nil
	}
	st.s.log.Warn("gateway result names another attempt's payment id", "order", st.o.ID, "attempt", st.a.ID,
		"payment", pid, "holder", other.ID, "source", st.source)
	if err := st.event(EventAttemptMismatch, map[string]string{"source": st.source,
		"why": "payment id " + pid + " belongs to attempt " + other.ID, "reported_status": string(st.res.Status),
		"reported_amount": amountText(st.res), "raw": string(st.res.Raw)}); err != nil {
		return true, err
	}
	if !st.a.NeedsReview {
		st.a.NeedsReview, st.a.UpdatedAt = true, st.now
		if err := st.tx.UpdateAttempt(st.a); err != nil {
			return true, err
		}
	}
	if !st.o.NeedsReview {
		st.o.NeedsReview, st.o.UpdatedAt = true, st.now
		if err := st.tx.UpdateOrder(st.o); err != nil {
			return true, err
		}
	}
	return true, nil
}

// partialRefund reports whether the gateway reported a refund of less than the order.
func (st *applying) partialRefund() bool {
	r := st.res.Amount
	return st.to == gateway.StatusRefunded && r.Currency().Code != "" && r.SameCurrency(st.o.Amount) && r.Cmp(st.o.Amount) < 0
}

// recordPartialRefund records a partial refund reported by the gateway: the attempt stays
// paid. One made through Refund is already recorded; one made elsewhere (the gateway's portal)
// is recorded on the order and flagged for a person to look at.
func (st *applying) recordPartialRefund() error {
	if err := st.event(EventRefundReported, map[string]string{"source": st.source,
		"amount": st.res.Amount.String(), "raw": string(st.res.Raw)}); err != nil {
		return err
	}
	o := st.o
	if len(o.Refunds) > 0 || o.Status != StatusPaid {
		return nil
	}
	o.Status, o.NeedsReview, o.UpdatedAt = StatusPartiallyRefunded, true, st.now
	if err := st.tx.UpdateOrder(o); err != nil {
		return err
	}
	return st.s.enqueue(st.tx, o, NotifyRefunded, st.now)
}

// refuse keeps a trace of a transition PlanAttempt refused (and the review flags a mismatch set).
func (st *applying) refuse() error {
	if st.mismatch != "" {
		if err := st.tx.UpdateAttempt(st.a); err != nil {
			return err
		}
		if err := st.tx.UpdateOrder(st.o); err != nil {
			return err
		}
	}
	return st.event(EventAttemptRefused, map[string]string{"source": st.source, "from": string(st.a.Status), "to": string(st.to)})
}

// noop records a result that changes no status: the ids it carries, and the next check.
func (st *applying) noop() error {
	a := st.a
	if a.Final() {
		a.NextCheckAt = time.Time{}
	} else {
		a.Checks++
		a.NextCheckAt = st.s.nextCheck(a, st.now)
	}
	fillIDs(a, &st.res)
	a.UpdatedAt = st.now
	return st.tx.UpdateAttempt(a)
}

// transition moves the attempt and its order as planned, with the plan's events and webhooks.
func (st *applying) transition(p Plan) error {
	from := st.a.Status
	st.moveAttempt(p)
	if p.FlagReview {
		st.a.NeedsReview, st.o.NeedsReview = true, true
	}
	if err := st.tx.UpdateAttempt(st.a); err != nil {
		return err
	}
	if o := st.o; p.OrderTo != o.Status || p.FlagReview || st.mismatch != "" {
		if p.OrderTo == StatusPaid && o.Status != StatusPaid {
			o.PaidAt = st.now
		}
		o.Status, o.UpdatedAt = p.OrderTo, st.now
		if err := st.tx.UpdateOrder(o); err != nil {
			return err
		}
	}
	for _, ev := range p.Events {
		data := map[string]string{"source": st.source}
		if ev == EventAttemptStatus {
			data["from"], data["to"] = string(from), string(p.AttemptTo)
			data["gateway_code"], data["gateway_message"] = st.res.GatewayCode, st.res.GatewayMessage
			data["raw"] = string(st.res.Raw)
		}
		if err := st.event(ev, data); err != nil {
			return err
		}
	}
	for _, n := range p.Notify {
		if err := st.s.enqueue(st.tx, st.o, n, st.now); err != nil {
			return err
		}
	}
	return nil
}

// moveAttempt sets the attempt's new status with what the result says about it: ids, reported
// amount, why it failed, the gateway's code and message, and when to check it next.
func (st *applying) moveAttempt(p Plan) {
	a, res := st.a, &st.res
	a.Status = p.AttemptTo
	fillIDs(a, res)
	if res.Amount.Currency().Code != "" {
		a.ReportedAmount = res.Amount
	}
	switch p.AttemptTo {
	case gateway.StatusFailed:
		a.FailureReason = res.Reason
	case gateway.StatusCancelled:
		a.FailureReason = cmp.Or(res.Reason, gateway.ReasonCancelled)
	case gateway.StatusExpired:
		a.FailureReason = cmp.Or(res.Reason, gateway.ReasonExpired)
	}
	a.GatewayCode, a.GatewayMessage = res.GatewayCode, res.GatewayMessage
	a.UpdatedAt = st.now
	if a.Final() {
		a.FinishedAt, a.NextCheckAt = st.now, time.Time{}
	} else {
		a.Checks++
		a.NextCheckAt = st.s.nextCheck(a, st.now)
	}
}

// checkMatch compares what the gateway reported with what the attempt asked for. It returns
// why they differ, or "" when they match.
func checkMatch(o *Order, a *Attempt, res *gateway.Result) string {
	if res.Amount.Currency().Code == "" {
		return "the gateway reported no amount"
	}
	if res.Amount.Currency().Code != o.Amount.Currency().Code {
		return "currency " + res.Amount.Currency().Code + " instead of " + o.Amount.Currency().Code
	}
	if !res.Amount.Equal(o.Amount) {
		return "amount " + res.Amount.String() + " instead of " + o.Amount.String()
	}
	if res.OurReference != "" && res.OurReference != a.ID {
		return "reference " + res.OurReference + " instead of " + a.ID
	}
	if res.PaymentID != "" && a.PaymentID != "" && res.PaymentID != a.PaymentID {
		return "payment id " + res.PaymentID + " instead of " + a.PaymentID
	}
	return ""
}

func amountText(res gateway.Result) string {
	if res.Amount.Currency().Code == "" {
		return ""
	}
	return res.Amount.String() + " " + res.Amount.Currency().Code
}

func fillIDs(a *Attempt, r *gateway.Result) {
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&a.PaymentID, r.PaymentID)
	set(&a.TransactionID, r.TransactionID)
	set(&a.AuthCode, r.AuthCode)
	set(&a.BankReference, r.Reference)
	set(&a.TrackID, r.TrackID)
}
