package order

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"time"

	"github.com/bawaba/checkout/gateway"
)

// StartOptions are the shopper's choices when starting an attempt.
type StartOptions struct {
	Locale string // the language the shopper uses now, for the gateway's page
}

// StartAttempt starts paying order id with method: it creates an attempt, asks the gateway,
// and returns where the shopper goes. While an attempt with the same method is still pending
// it is returned instead (a double click on Pay makes one attempt).
//
// A gateway whose Start calls nothing (gateway.OfflineStarter: KNET direct, K-Pay cards) is
// started inside the transaction that creates the attempt: one write, and a concurrent click
// finds the attempt with its action. Any other is called between two transactions (never
// holding the database's writer while waiting on the network), and a concurrent click waits
// for the first to record the gateway's answer (awaitAction).
func (s *Service) StartAttempt(ctx context.Context, id, method string, opt StartOptions) (Attempt, gateway.Action, error) {
	current, err := s.st.Order(ctx, id)
	if err != nil {
		return Attempt{}, gateway.Action{}, err
	}
	g, ok := s.gw.ForMethod(method, current.Amount.Currency().Code)
	if !ok {
		return Attempt{}, gateway.Action{}, ErrMethodUnavailable
	}
	if off, ok := gateway.As[gateway.OfflineStarter](g); ok && off.StartsOffline(method) {
		return s.startOffline(ctx, id, method, g, opt)
	}
	o, a, reused, err := s.reserveAttempt(ctx, id, method, g.Name())
	if err != nil {
		return Attempt{}, gateway.Action{}, err
	}
	if reused {
		act, err := s.awaitAction(ctx, a)
		return a, act, err
	}
	started, err := g.Start(ctx, s.startRequest(&o, &a, opt))
	return s.recordCall(ctx, a, "start", gateway.Action{}, started, err)
}

// ContinueAttempt takes on attempt attemptID of order orderID with the fields its gateway's
// script posted from the attempt page (gateway.Embedder.Continue: a K-Pay card token is
// charged, a paid QR is read from K-Pay). The attempt must be pending, still showing its embed,
// and its order payable and not expired; otherwise nothing is asked of the gateway
// (ErrAttemptClosed, ErrNotPayable, ErrOrderExpired).
//
// It is claimed first, in one transaction that clears its action: a double submit, on this
// node or another, finds the claim and waits for the first one's answer (awaitAction) or
// reuses the answer already recorded, so a token is charged once. The gateway is called
// outside any transaction, and its answer recorded as Start's is (a refusal fails the
// attempt; an unclear answer leaves it pending for the reconciler: ErrOutcomeUnknown). Fields
// the gateway refuses before sending anything (gateway.ErrBadRequest) give ErrBadForm and put
// the embed back: nothing changes.
func (s *Service) ContinueAttempt(ctx context.Context, orderID, attemptID string, form url.Values) (Attempt, gateway.Action, error) {
	var o Order
	var a, before Attempt // the attempt claimed, and as it was
	var embed gateway.Action
	var e gateway.Embedder
	err := s.st.Write(ctx, func(tx Tx) error {
		var err error
		if o, err = tx.Order(orderID); err != nil {
			return err
		}
		p := findAttempt(&o, attemptID)
		if p == nil {
			return ErrNotFound
		}
		a, embed = *p, gateway.Action{}
		now := s.now().UTC().Truncate(time.Millisecond)
		switch {
		case a.Status != gateway.StatusPending:
			return ErrAttemptClosed
		case !o.Status.Payable():
			return ErrNotPayable
		case o.Expired(now):
			return ErrOrderExpired
		case a.Action.Kind != gateway.ActionEmbed:
			return nil // continued already, or being: awaited below
		}
		g, ok := s.gw.Gateway(a.Gateway)
		if ok {
			e, ok = gateway.As[gateway.Embedder](g)
		}
		if !ok {
			return fmt.Errorf("order: continue: gateway %q takes no embedded script's post: %w", a.Gateway, ErrMethodUnavailable)
		}
		embed, before = a.Action, a
		a.Action, a.UpdatedAt = gateway.Action{}, now
		return tx.UpdateAttempt(&a)
	})
	if err != nil {
		return a, gateway.Action{}, err
	}
	if embed.Kind == "" {
		act, err := s.awaitAction(ctx, a)
		return a, act, err
	}
	started, err := e.Continue(ctx, s.gatewayAttempt(&o, &a), form)
	switch {
	case errors.Is(err, gateway.ErrBadRequest):
		if rerr := s.restoreEmbed(ctx, before); rerr != nil {
			return a, gateway.Action{}, rerr
		}
		s.log.WarnContext(ctx, "continue attempt: unusable post", "order", o.ID, "attempt", a.ID, "gateway", a.Gateway, "err", err)
		return before, embed, fmt.Errorf("%w: %w", ErrBadForm, err)
	case err != nil && !errors.Is(err, gateway.ErrRejected):
		// No clear answer (a timeout, a 5xx, an unreadable reply) to a call that may have moved
		// money (a card token charged): failing the attempt could let the shopper pay again
		// while the first charge went through. It stays pending with nothing to do in the
		// browser (ActionWait: a second submit goes straight to the result page, which says
		// the payment is being checked), and the reconciler asks the gateway (K-Pay by our
		// reference) at its next check.
		s.log.WarnContext(ctx, "continue attempt: no clear answer; left to the reconciler", "order", o.ID, "attempt", a.ID, "gateway", a.Gateway, "err", err)
		wait := gateway.Started{Action: gateway.Action{Kind: gateway.ActionWait}}
		if a, _, werr := s.recordCall(ctx, a, "continue", embed, wait, nil); werr != nil {
			return a, gateway.Action{}, werr
		}
		return a, gateway.Action{}, fmt.Errorf("order: continue %s: %w: %w", a.Gateway, ErrOutcomeUnknown, err)
	}
	return s.recordCall(ctx, a, "continue", embed, started, err)
}

// restoreEmbed puts back the attempt as it was before ContinueAttempt claimed it (its embed,
// its update time), when the gateway sent nothing; unless something else moved it since.
func (s *Service) restoreEmbed(ctx context.Context, before Attempt) error {
	return s.st.Write(ctx, func(tx Tx) error {
		cur, err := tx.Attempt(before.ID)
		if err != nil || cur.Action.Kind != "" || cur.Status != gateway.StatusPending {
			return err
		}
		cur.Action, cur.UpdatedAt = before.Action, before.UpdatedAt
		return tx.UpdateAttempt(&cur)
	})
}

// recordCall records what a gateway answered to a call made outside any transaction (Start,
// Continue): a failure as a failed attempt; else the payment id and state when given, the
// action (keep when the answer has none), then an immediate result through apply.
func (s *Service) recordCall(ctx context.Context, a Attempt, op string, keep gateway.Action, started gateway.Started, callErr error) (Attempt, gateway.Action, error) {
	if callErr != nil {
		s.log.ErrorContext(ctx, op+" attempt", "order", a.OrderID, "attempt", a.ID, "gateway", a.Gateway, "err", callErr)
		if _, err := s.apply(ctx, a.ID, failedStart(callErr), op); err != nil {
			s.log.ErrorContext(ctx, "record failed "+op, "attempt", a.ID, "err", err)
		}
		return a, gateway.Action{}, fmt.Errorf("order: %s %s: %w", op, a.Gateway, callErr)
	}
	if started.Action.Kind == "" {
		started.Action = keep
	}
	err := s.st.Write(ctx, func(tx Tx) error {
		cur, err := tx.Attempt(a.ID)
		if err != nil {
			return err
		}
		recordStarted(&cur, started, s.now().UTC())
		a = cur
		return tx.UpdateAttempt(&cur)
	})
	if err != nil {
		return a, gateway.Action{}, err
	}
	if started.Result != nil {
		if _, err := s.apply(ctx, a.ID, *started.Result, op); err != nil {
			return a, gateway.Action{}, err
		}
	}
	return a, started.Action, nil
}

// recordStarted copies a gateway's answer onto the attempt: the payment id and state when
// given, and the action.
func recordStarted(a *Attempt, started gateway.Started, now time.Time) {
	if started.PaymentID != "" {
		a.PaymentID = started.PaymentID
	}
	if started.State != nil {
		a.State = started.State
	}
	a.Action, a.UpdatedAt = started.Action, now
}

// reserveAttempt checks, in one transaction, that order id can be paid with method now, and
// either returns the pending attempt with that method (reused) or inserts a new one, moving an
// open order to processing. The returned order includes the attempt.
func (s *Service) reserveAttempt(ctx context.Context, id, method, gatewayName string) (o Order, a Attempt, reused bool, err error) {
	err = s.st.Write(ctx, func(tx Tx) error {
		var err error
		o, a, reused, err = s.reserveInTx(tx, id, method, gatewayName)
		return err
	})
	return o, a, reused, err
}

// reserveInTx is reserveAttempt's work inside the caller's transaction.
func (s *Service) reserveInTx(tx Tx, id, method, gatewayName string) (o Order, a Attempt, reused bool, err error) {
	if o, err = tx.Order(id); err != nil {
		return o, a, false, err
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	if !o.Status.Payable() {
		return o, a, false, ErrNotPayable
	}
	if o.Expired(now) {
		return o, a, false, ErrOrderExpired
	}
	if !slices.Contains(s.Methods(&o), method) {
		return o, a, false, ErrMethodUnavailable
	}
	for _, x := range o.Attempts {
		if x.Method == method && x.Status == gateway.StatusPending {
			return o, x, true, nil
		}
	}
	a = Attempt{
		ID: NewID("att"), OrderID: o.ID, Method: method, Gateway: gatewayName,
		Status: gateway.StatusPending, CreatedAt: now, UpdatedAt: now,
		NextCheckAt: now.Add(s.cfg.FirstCheck),
	}
	if err := tx.InsertAttempt(&a); err != nil {
		return o, a, false, err
	}
	if o.Status == StatusOpen {
		o.Status, o.UpdatedAt = StatusProcessing, now
		if err := tx.UpdateOrder(&o); err != nil {
			return o, a, false, err
		}
	}
	o.Attempts = append(o.Attempts, a)
	return o, a, false, tx.AppendEvent(Event{OrderID: o.ID, AttemptID: a.ID, Type: EventAttemptStarted, CreatedAt: now,
		Data: map[string]string{"method": method, "gateway": gatewayName}})
}

// startOffline is StartAttempt for a gateway whose Start calls nothing: the attempt is
// reserved, started and its answer recorded (a failed start as a failed attempt, an immediate
// result through apply) in one transaction. A reused attempt is returned with its action as
// recorded; an empty one (an embed being continued this instant) sends the shopper to the
// result page, which follows the attempt.
func (s *Service) startOffline(ctx context.Context, id, method string, g gateway.Gateway, opt StartOptions) (Attempt, gateway.Action, error) {
	var a Attempt
	var startErr error
	var out Order
	var done applied
	err := s.st.Write(ctx, func(tx Tx) error {
		startErr, done = nil, applied{}
		o, att, reused, err := s.reserveInTx(tx, id, method, g.Name())
		a = att
		if err != nil || reused {
			return err
		}
		started, err := g.Start(ctx, s.startRequest(&o, &a, opt))
		if err != nil {
			startErr = err
			out, done, err = s.applyInTx(ctx, tx, a.ID, failedStart(startErr), "start")
			return err
		}
		recordStarted(&a, started, s.now().UTC())
		if err := tx.UpdateAttempt(&a); err != nil {
			return err
		}
		if started.Result != nil {
			out, done, err = s.applyInTx(ctx, tx, a.ID, *started.Result, "start")
		}
		return err
	})
	if err != nil {
		return a, gateway.Action{}, err
	}
	s.afterApply(ctx, out, done)
	if startErr != nil {
		s.log.ErrorContext(ctx, "start attempt", "order", id, "attempt", a.ID, "gateway", g.Name(), "err", startErr)
		return a, gateway.Action{}, fmt.Errorf("order: start %s: %w", g.Name(), startErr)
	}
	return a, a.Action, nil
}

// failedStart is the result recorded when a gateway refused to start (or continue) an attempt.
func failedStart(err error) gateway.Result {
	return gateway.Result{Status: gateway.StatusFailed, Reason: gateway.ReasonGatewayError, GatewayMessage: err.Error()}
}

// startRequest is what the gateway is asked to start: the attempt in the shopper's current
// language, and the latest earlier attempt at the same gateway that ended unpaid (some
// gateways want it closed or referred to).
func (s *Service) startRequest(o *Order, a *Attempt, opt StartOptions) gateway.Attempt {
	ga := s.gatewayAttempt(o, a)
	if opt.Locale != "" {
		ga.Locale = opt.Locale
	}
	for i := len(o.Attempts) - 1; i >= 0; i-- {
		x := o.Attempts[i]
		if x.ID != a.ID && x.Gateway == a.Gateway && x.PaymentID != "" &&
			(x.Status == gateway.StatusFailed || x.Status == gateway.StatusCancelled || x.Status == gateway.StatusExpired) {
			prior := s.gatewayAttempt(o, &x)
			ga.Prior = &prior
			break
		}
	}
	return ga
}

// awaitAction waits, briefly, for a concurrent call to the gateway on another request (a
// network Start, a Continue) to record its answer: the attempt is pending with no action
// while the gateway is being asked. It polls the database, so that it works across nodes.
func (s *Service) awaitAction(ctx context.Context, a Attempt) (gateway.Action, error) {
	deadline := time.Now().Add(10 * time.Second)
	for {
		if a.Action.Kind != "" {
			return a.Action, nil
		}
		if a.Status != gateway.StatusPending || time.Now().After(deadline) {
			return gateway.Action{}, ErrAttemptBusy
		}
		select {
		case <-ctx.Done():
			return gateway.Action{}, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		var err error
		if a, err = s.st.Attempt(ctx, a.ID); err != nil {
			return gateway.Action{}, err
		}
	}
}
