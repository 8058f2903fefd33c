package order

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"time"

	"github.com/bawaba/checkout/gateway"
)

// StartOptions are the shopper's choices when starting an attempt.
type StartOptions struct {
	Locale string     // the language the shopper uses now, for the gateway's page
	Form   url.Values // fields a gateway's embedded script posted into our confirm form
}

// StartAttempt starts paying order id with method: it creates an attempt, asks the gateway,
// and returns where the shopper goes. While an attempt with the same method is still pending
// it is returned instead (a double click on Pay makes one attempt).
//
// A gateway whose Start calls nothing (gateway.OfflineStarter) is started inside the
// transaction that creates the attempt: one write, and a concurrent click finds the attempt
// with its action. Any other is called between two transactions (never holding the database's
// writer while waiting on the network), and a concurrent click waits for the first to record
// the gateway's answer.
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

	started, startErr := g.Start(ctx, s.startRequest(&o, &a, opt))
	if startErr != nil {
		s.log.ErrorContext(ctx, "start attempt", "order", o.ID, "attempt", a.ID, "gateway", g.Name(), "err", startErr)
		if _, err := s.apply(ctx, a.ID, failedStart(startErr), "start"); err != nil {
			s.log.ErrorContext(ctx, "record failed start", "attempt", a.ID, "err", err)
		}
		return a, gateway.Action{}, fmt.Errorf("order: start %s: %w", g.Name(), startErr)
	}
	if a, err = s.recordStart(ctx, a.ID, started); err != nil {
		return a, gateway.Action{}, err
	}
	if started.Result != nil {
		if _, err := s.apply(ctx, a.ID, *started.Result, "start"); err != nil {
			return a, gateway.Action{}, err
		}
	}
	return a, started.Action, nil
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
// result through apply) in one transaction.
func (s *Service) startOffline(ctx context.Context, id, method string, g gateway.Gateway, opt StartOptions) (Attempt, gateway.Action, error) {
	var a Attempt
	var act gateway.Action
	var startErr error
	var out Order
	var done applied
	err := s.st.Write(ctx, func(tx Tx) error {
		startErr, done = nil, applied{}
		o, att, reused, err := s.reserveInTx(tx, id, method, g.Name())
		a, act = att, att.Action
		if err != nil || reused {
			return err
		}
		started, err := g.Start(ctx, s.startRequest(&o, &a, opt))
		if err != nil {
			startErr = err
			out, done, err = s.applyInTx(ctx, tx, a.ID, failedStart(startErr), "start")
			return err
		}
		a.PaymentID, a.State, a.Action = started.PaymentID, started.State, started.Action
		a.UpdatedAt = s.now().UTC()
		if err := tx.UpdateAttempt(&a); err != nil {
			return err
		}
		act = started.Action
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
	if act.Kind == "" { // a pending attempt started elsewhere, its answer not recorded yet
		act, err = s.awaitAction(ctx, a)
	}
	return a, act, err
}

// failedStart is the result recorded when a gateway refused to start an attempt.
func failedStart(err error) gateway.Result {
	return gateway.Result{Status: gateway.StatusFailed, Reason: gateway.ReasonGatewayError, GatewayMessage: err.Error()}
}

// startRequest is what the gateway is asked to start: the attempt in the shopper's current
// language, with the fields an embedded script posted, and the latest earlier attempt at the
// same gateway that ended unpaid (some gateways want it closed or referred to).
func (s *Service) startRequest(o *Order, a *Attempt, opt StartOptions) gateway.Attempt {
	ga := s.gatewayAttempt(o, a)
	if opt.Locale != "" {
		ga.Locale = opt.Locale
	}
	ga.Form = opt.Form
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

// recordStart stores what the gateway answered to Start on the attempt.
func (s *Service) recordStart(ctx context.Context, attemptID string, started gateway.Started) (Attempt, error) {
	var a Attempt
	err := s.st.Write(ctx, func(tx Tx) error {
		cur, err := tx.Attempt(attemptID)
		if err != nil {
			return err
		}
		cur.PaymentID, cur.State, cur.Action = started.PaymentID, started.State, started.Action
		cur.UpdatedAt = s.now().UTC()
		a = cur
		return tx.UpdateAttempt(&cur)
	})
	return a, err
}

// EmbedFor returns the script a gateway embeds in the confirm page for method (nil when the
// method starts with our own Pay button).
func (s *Service) EmbedFor(ctx context.Context, o *Order, method, locale string) (*gateway.Embed, error) {
	g, ok := s.gw.ForMethod(method, o.Amount.Currency().Code)
	if !ok {
		return nil, ErrMethodUnavailable
	}
	e, ok := gateway.As[gateway.Embedder](g)
	if !ok || !e.EmbedsMethod(method) {
		return nil, nil
	}
	draft := s.gatewayAttempt(o, &Attempt{Method: method, Gateway: g.Name()})
	draft.ReturnURL, draft.Locale = "", localeOr(locale, draft.Locale)
	return e.Embed(ctx, draft)
}

// awaitAction waits, briefly, for a concurrent StartAttempt to record the gateway's answer.
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
