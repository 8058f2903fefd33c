package order

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"time"

	"github.com/bawaba/checkout/gateway"
)

// Config is what the service needs to know of its surroundings.
type Config struct {
	BaseURL           string // public URL of this server, without a trailing slash
	DefaultWebhookURL string // where merchant webhooks go when an order names none
	// FirstCheck is when the reconciler first asks a gateway about a pending attempt; later
	// checks back off, doubling, to an hour. Default one minute.
	FirstCheck time.Duration
	Now        func() time.Time
	Logger     *slog.Logger
	// Observer hears what the service did, once it is committed (the metrics); nil: nobody.
	Observer Observer
}

// Observer is told of committed changes, for counting. It must be quick and must not fail.
type Observer interface {
	// OrderCreated: a new order (not an idempotent replay).
	OrderCreated(currency string)
	// AttemptMoved: an attempt at gateway for method took a new status.
	AttemptMoved(gatewayName, method string, to gateway.Status)
}

// Service creates orders, starts attempts and applies verified gateway results. It is the only
// writer of orders and attempts.
type Service struct {
	st  Store
	gw  *gateway.Registry
	cfg Config
	now func() time.Time
	log *slog.Logger
}

// NewService wires a service.
func NewService(st Store, gw *gateway.Registry, cfg Config) *Service {
	s := &Service{st: st, gw: gw, cfg: cfg, now: cfg.Now, log: cfg.Logger}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.cfg.FirstCheck <= 0 {
		s.cfg.FirstCheck = time.Minute
	}
	return s
}

// Gateways returns the registry the service uses.
func (s *Service) Gateways() *gateway.Registry { return s.gw }

// Now returns the service's clock reading.
func (s *Service) Now() time.Time { return s.now() }

// CheckoutURL is where a shopper pays an order.
func (s *Service) CheckoutURL(orderID string) string { return s.cfg.BaseURL + "/pay/" + orderID }

// Idempotency carries an Idempotency-Key and how to render the answer to store with it.
type Idempotency struct {
	Scope       string
	Key         string
	RequestHash string
	Render      func(Order) (status int, body []byte, err error)
}

// Created is the outcome of Create.
type Created struct {
	Order    Order
	Status   int    // with Idempotency: the stored status
	Body     []byte // with Idempotency: the stored body
	Replayed bool   // the answer is the one stored for the key
}

// Create validates and stores a new order. With idem, the same key and request return the
// stored answer, and the same key with another request fails with ErrIdempotencyReused;
// concurrent requests with one key create one order.
func (s *Service) Create(ctx context.Context, in NewOrder, idem *Idempotency) (Created, error) {
	v, err := in.validate(func(cur string) []string { return s.gw.Available(cur, nil) })
	if err != nil {
		return Created{}, err
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	o := Order{
		ID:          NewID("ord"),
		Reference:   in.Reference,
		Amount:      v.amount,
		Description: in.Description,
		Items:       v.items,
		Customer:    in.Customer,
		Locale:      in.Locale,
		ReturnURL:   in.ReturnURL,
		CancelURL:   in.CancelURL,
		WebhookURL:  in.WebhookURL,
		Methods:     in.Methods,
		Metadata:    in.Metadata,
		Status:      StatusOpen,
		ExpiresAt:   now.Add(time.Duration(v.expiresIn) * time.Second),
		CreatedAt:   now,
		UpdatedAt:   now,
	}
	var out Created
	err = s.st.Write(ctx, func(tx Tx) error {
		if idem != nil {
			rec, found, err := tx.Idempotency(idem.Scope, idem.Key)
			if err != nil {
				return err
			}
			if found {
				if rec.RequestHash != idem.RequestHash {
					return ErrIdempotencyReused
				}
				prev, err := tx.Order(rec.OrderID)
				if err != nil {
					return err
				}
				out = Created{Order: prev, Status: rec.Status, Body: rec.Body, Replayed: true}
				return nil
			}
		}
		if o.Reference != "" {
			held, err := tx.ReferenceHeld(o.Reference)
			if err != nil {
				return err
			}
			if held {
				return ErrReferenceTaken
			}
		}
		if err := tx.InsertOrder(&o); err != nil {
			return err
		}
		if err := tx.AppendEvent(Event{OrderID: o.ID, Type: EventCreated, CreatedAt: now,
			Data: map[string]string{"amount": o.Amount.String(), "currency": o.Amount.Currency().Code}}); err != nil {
			return err
		}
		out = Created{Order: o}
		if idem != nil {
			status, body, err := idem.Render(o)
			if err != nil {
				return err
			}
			out.Status, out.Body = status, body
			return tx.PutIdempotency(IdempotencyRecord{Scope: idem.Scope, Key: idem.Key, RequestHash: idem.RequestHash,
				Status: status, Body: body, OrderID: o.ID, CreatedAt: now})
		}
		return nil
	})
	if err != nil {
		return Created{}, err
	}
	if s.cfg.Observer != nil && !out.Replayed {
		s.cfg.Observer.OrderCreated(out.Order.Amount.Currency().Code)
	}
	return out, nil
}

// Get returns an order with its attempts.
func (s *Service) Get(ctx context.Context, id string) (Order, error) { return s.st.Order(ctx, id) }

// ByReference returns the orders with a merchant reference, newest first.
func (s *Service) ByReference(ctx context.Context, ref string) ([]Order, error) {
	return s.st.OrdersByReference(ctx, ref)
}

// Events returns an order's timeline.
func (s *Service) Events(ctx context.Context, id string) ([]Event, error) {
	return s.st.Events(ctx, id)
}

// Methods returns the methods a shopper may pick for the order, in display order.
func (s *Service) Methods(o *Order) []string {
	return s.gw.Available(o.Amount.Currency().Code, o.Methods)
}

// Cancel cancels an order not paid yet (open, or processing while a payment is under way: the
// gateways that can close it do so, and a success that still arrives is refused where the gateway
// allows it, else recorded and flagged). Any other status answers ErrNotCancellable.
func (s *Service) Cancel(ctx context.Context, id string) (Order, error) {
	var out Order
	err := s.st.Write(ctx, func(tx Tx) error {
		o, err := tx.Order(id)
		if err != nil {
			return err
		}
		if !o.Status.Payable() {
			return ErrNotCancellable
		}
		if err := s.moveOrder(tx, &o, StatusCancelled, EventCancelled, NotifyCancelled); err != nil {
			return err
		}
		out = o
		return nil
	})
	if err == nil {
		s.closeOpenAttempts(ctx, &out)
	}
	return out, err
}

// moveOrder changes an order's status for an order-level reason (cancel, expiry), with its
// event and merchant webhook, inside tx.
func (s *Service) moveOrder(tx Tx, o *Order, to Status, event, notify string) error {
	if !CanMoveOrder(o.Status, to) {
		return fmt.Errorf("%w: order %s %s → %s", ErrIllegalTransition, o.ID, o.Status, to)
	}
	now := s.now().UTC()
	from := o.Status
	o.Status, o.UpdatedAt = to, now
	if err := tx.UpdateOrder(o); err != nil {
		return err
	}
	if err := tx.AppendEvent(Event{OrderID: o.ID, Type: event, CreatedAt: now,
		Data: map[string]string{"from": string(from), "to": string(to)}}); err != nil {
		return err
	}
	return s.enqueue(tx, o, notify, now)
}

// closeOpenAttempts asks gateways that can (gateway.Closer) to close the payments still open
// at them, so that no stale payment page can take money for a cancelled or expired order.
func (s *Service) closeOpenAttempts(ctx context.Context, o *Order) {
	for _, a := range o.Attempts {
		if a.Final() || a.PaymentID == "" {
			continue
		}
		g, ok := s.gw.Gateway(a.Gateway)
		if !ok {
			continue
		}
		c, ok := gateway.As[gateway.Closer](g)
		if !ok {
			continue
		}
		if err := c.Close(ctx, s.gatewayAttempt(o, &a)); err != nil {
			s.log.WarnContext(ctx, "close attempt at gateway", "order", o.ID, "attempt", a.ID, "gateway", a.Gateway, "err", err)
		}
	}
}

// enqueue writes a merchant webhook into the outbox, in the caller's transaction.
func (s *Service) enqueue(tx Tx, o *Order, typ string, now time.Time) error {
	target := o.WebhookURL
	if target == "" {
		target = s.cfg.DefaultWebhookURL
	}
	if target == "" || typ == "" {
		return nil
	}
	id := NewID("evt")
	payload, err := json.Marshal(WebhookEvent{
		ID: id, Object: "event", Type: typ, Created: now.Unix(),
		Data: WebhookData{Order: s.View(o)},
	})
	if err != nil {
		return err
	}
	return tx.Enqueue(Message{ID: id, OrderID: o.ID, Type: typ, URL: target, Payload: payload, CreatedAt: now})
}

// gatewayAttempt is what a connector sees of an attempt.
func (s *Service) gatewayAttempt(o *Order, a *Attempt) gateway.Attempt {
	return gateway.Attempt{
		ID:          a.ID,
		Seq:         a.Seq,
		OrderID:     o.ID,
		Reference:   o.Reference,
		Method:      a.Method,
		Amount:      o.Amount,
		Description: o.Description,
		Customer:    o.Customer,
		Locale:      localeOr(o.Locale, "en"),
		ReturnURL:   s.cfg.BaseURL + "/return/" + a.Gateway + "/" + a.ID,
		WebhookURL:  s.cfg.BaseURL + "/webhooks/" + a.Gateway,
		ExpiresAt:   o.ExpiresAt,
		PaymentID:   a.PaymentID,
		State:       a.State,
	}
}

func localeOr(l, def string) string {
	if l == "" {
		return def
	}
	return l
}

// StartOptions are the shopper's choices when starting an attempt.
type StartOptions struct {
	Locale string     // the language the shopper uses now, for the gateway's page
	Form   url.Values // fields a gateway's embedded script posted into our confirm form
}

// StartAttempt starts paying order id with method: it creates an attempt, asks the gateway,
// and returns where the shopper goes. While an attempt with the same method is still pending
// it is returned instead (a double click on Pay makes one attempt).
func (s *Service) StartAttempt(ctx context.Context, id, method string, opt StartOptions) (Attempt, gateway.Action, error) {
	current, err := s.st.Order(ctx, id)
	if err != nil {
		return Attempt{}, gateway.Action{}, err
	}
	g, ok := s.gw.ForMethod(method, current.Amount.Currency().Code)
	if !ok {
		return Attempt{}, gateway.Action{}, ErrMethodUnavailable
	}
	var o Order
	var a Attempt
	reused := false
	err = s.st.Write(ctx, func(tx Tx) error {
		var err error
		if o, err = tx.Order(id); err != nil {
			return err
		}
		now := s.now().UTC().Truncate(time.Millisecond)
		if !o.Status.Payable() {
			return ErrNotPayable
		}
		if o.Expired(now) {
			return ErrOrderExpired
		}
		if !slices.Contains(s.Methods(&o), method) {
			return ErrMethodUnavailable
		}
		for _, x := range o.Attempts {
			if x.Method == method && x.Status == gateway.StatusPending {
				a, reused = x, true
				return nil
			}
		}
		a = Attempt{
			ID: NewID("att"), OrderID: o.ID, Method: method, Gateway: g.Name(),
			Status: gateway.StatusPending, CreatedAt: now, UpdatedAt: now,
			NextCheckAt: now.Add(s.cfg.FirstCheck),
		}
		if err := tx.InsertAttempt(&a); err != nil {
			return err
		}
		if o.Status == StatusOpen {
			o.Status, o.UpdatedAt = StatusProcessing, now
			if err := tx.UpdateOrder(&o); err != nil {
				return err
			}
		}
		o.Attempts = append(o.Attempts, a)
		return tx.AppendEvent(Event{OrderID: o.ID, AttemptID: a.ID, Type: EventAttemptStarted, CreatedAt: now,
			Data: map[string]string{"method": method, "gateway": g.Name()}})
	})
	if err != nil {
		return Attempt{}, gateway.Action{}, err
	}
	if reused {
		act, err := s.awaitAction(ctx, a)
		return a, act, err
	}

	ga := s.gatewayAttempt(&o, &a)
	if opt.Locale != "" {
		ga.Locale = opt.Locale
	}
	ga.Form = opt.Form
	for i := len(o.Attempts) - 1; i >= 0; i-- {
		x := o.Attempts[i]
		if x.ID != a.ID && x.Gateway == g.Name() && x.PaymentID != "" &&
			(x.Status == gateway.StatusFailed || x.Status == gateway.StatusCancelled || x.Status == gateway.StatusExpired) {
			prior := s.gatewayAttempt(&o, &x)
			ga.Prior = &prior
			break
		}
	}
	started, startErr := g.Start(ctx, ga)
	if startErr != nil {
		s.log.ErrorContext(ctx, "start attempt", "order", o.ID, "attempt", a.ID, "gateway", g.Name(), "err", startErr)
		res := gateway.Result{Status: gateway.StatusFailed, Reason: gateway.ReasonGatewayError, GatewayMessage: startErr.Error()}
		if _, err := s.apply(ctx, a.ID, res, "start"); err != nil {
			s.log.ErrorContext(ctx, "record failed start", "attempt", a.ID, "err", err)
		}
		return a, gateway.Action{}, fmt.Errorf("order: start %s: %w", g.Name(), startErr)
	}
	err = s.st.Write(ctx, func(tx Tx) error {
		o2, err := tx.Order(o.ID)
		if err != nil {
			return err
		}
		cur := findAttempt(&o2, a.ID)
		if cur == nil {
			return ErrNotFound
		}
		cur.PaymentID, cur.State, cur.Action = started.PaymentID, started.State, started.Action
		cur.UpdatedAt = s.now().UTC()
		a = *cur
		return tx.UpdateAttempt(cur)
	})
	if err != nil {
		return a, gateway.Action{}, err
	}
	if started.Result != nil {
		if _, err := s.apply(ctx, a.ID, *started.Result, "start"); err != nil {
			return a, gateway.Action{}, err
		}
	}
	return a, started.Action, nil
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

func findAttempt(o *Order, id string) *Attempt {
	for i := range o.Attempts {
		if o.Attempts[i].ID == id {
			return &o.Attempts[i]
		}
	}
	return nil
}

// Return handles the shopper's browser coming back from the gateway for an attempt: the
// connector verifies server-side, and the verified result is applied. It returns the order.
func (s *Service) Return(ctx context.Context, gatewayName, attemptID string, q url.Values) (Order, error) {
	a, err := s.st.Attempt(ctx, attemptID)
	if err != nil {
		return Order{}, err
	}
	if a.Gateway != gatewayName {
		return Order{}, ErrNotFound
	}
	o, err := s.st.Order(ctx, a.OrderID)
	if err != nil {
		return Order{}, err
	}
	g, ok := s.gw.Gateway(a.Gateway)
	if !ok {
		return o, fmt.Errorf("order: gateway %q not configured", a.Gateway)
	}
	res, err := g.Return(ctx, s.gatewayAttempt(&o, &a), q)
	if err != nil {
		// The return could not be verified now; the reconciler will ask again.
		s.log.WarnContext(ctx, "verify return", "order", o.ID, "attempt", a.ID, "gateway", a.Gateway, "err", err)
		return o, nil
	}
	return s.apply(ctx, a.ID, res, "return")
}

// ReturnTo handles a browser coming back to a gateway's fixed return URL (no attempt id in the
// path): the connector locates the attempt from the query, then it goes on as Return.
func (s *Service) ReturnTo(ctx context.Context, gatewayName string, q url.Values) (Order, error) {
	g, ok := s.gw.Gateway(gatewayName)
	if !ok {
		return Order{}, ErrNotFound
	}
	loc, ok := gateway.As[gateway.ReturnLocator](g)
	if !ok {
		return Order{}, ErrNotFound
	}
	ref, err := loc.LocateReturn(q)
	if err != nil {
		return Order{}, ErrNotFound
	}
	a, err := s.findAttempt(ctx, gatewayName, ref)
	if err != nil {
		return Order{}, err
	}
	return s.Return(ctx, gatewayName, a.ID, q)
}

// Webhook handles a gateway's server-to-server notification. Each verified notification is
// applied; an unverifiable request changes nothing and returns the connector's error. The reply
// is the gateway's own (gateway.Acknowledger) or 200 "ok".
func (s *Service) Webhook(ctx context.Context, gatewayName string, req gateway.WebhookRequest) (gateway.Reply, error) {
	g, ok := s.gw.Gateway(gatewayName)
	if !ok {
		return gateway.Reply{}, ErrNotFound
	}
	notes, err := g.Webhook(ctx, req)
	orders := map[string]string{} // attempt id → order id, for result URLs
	if err == nil {
		for i, n := range notes {
			a, ferr := s.findAttempt(ctx, gatewayName, n.Ref)
			if ferr != nil {
				s.log.WarnContext(ctx, "webhook for unknown attempt", "gateway", gatewayName, "attempt", n.Ref.AttemptID, "payment", n.Ref.PaymentID)
				continue
			}
			notes[i].Ref.AttemptID = a.ID
			orders[a.ID] = a.OrderID
			res := n.Result
			refuse := false
			if r, ok := gateway.As[gateway.Refuser](g); ok && r.RefusesUnacknowledged() && res.Status == gateway.StatusPaid {
				if refuse, err = s.closedFor(ctx, a); err != nil {
					break
				}
			}
			if refuse {
				// The gateway voids what we do not acknowledge: no money is taken for an order
				// that was cancelled, expired or paid meanwhile.
				res = gateway.Result{Status: gateway.StatusVoided, PaymentID: res.PaymentID, TrackID: res.TrackID,
					GatewayCode: res.GatewayCode, GatewayMessage: "refused at the handshake: the order can no longer be paid",
					Raw: res.Raw}
			}
			if _, err = s.apply(ctx, a.ID, res, "webhook"); err != nil {
				break
			}
			if refuse {
				s.log.WarnContext(ctx, "payment refused at the handshake", "gateway", gatewayName, "attempt", a.ID, "order", a.OrderID)
				err = gateway.ErrRefused
				break
			}
		}
	}
	if ack, ok := gateway.As[gateway.Acknowledger](g); ok {
		return ack.Acknowledge(notes, err, func(attemptID string) string {
			if id, ok := orders[attemptID]; ok {
				return s.cfg.BaseURL + "/pay/" + id + "/result"
			}
			return s.cfg.BaseURL + "/"
		}), err
	}
	if err != nil {
		return gateway.Reply{}, err
	}
	return gateway.Reply{Status: 200, ContentType: "text/plain; charset=utf-8", Body: []byte("ok")}, nil
}

// closedFor reports whether attempt a's order can no longer take this payment: cancelled,
// expired (by status or by time), or paid through another attempt.
func (s *Service) closedFor(ctx context.Context, a Attempt) (bool, error) {
	o, err := s.st.Order(ctx, a.OrderID)
	if err != nil {
		return false, err
	}
	if pa, ok := o.PaidAttempt(); ok && pa.ID != a.ID {
		return true, nil
	}
	if o.Status == StatusPaid || o.Status == StatusPartiallyRefunded || o.Status == StatusRefunded {
		return false, nil // paid by this very attempt: a repeated notification
	}
	return !o.Status.Payable() || o.Expired(s.now()), nil
}

func (s *Service) findAttempt(ctx context.Context, gatewayName string, ref gateway.AttemptRef) (Attempt, error) {
	if ref.AttemptID != "" {
		a, err := s.st.Attempt(ctx, ref.AttemptID)
		if err == nil && a.Gateway == gatewayName {
			return a, nil
		}
	}
	if ref.PaymentID != "" {
		return s.st.AttemptByPaymentID(ctx, gatewayName, ref.PaymentID)
	}
	return Attempt{}, ErrNotFound
}

// Check asks the gateway for an attempt's status and applies it (the reconciler's step, and
// the pending page's).
func (s *Service) Check(ctx context.Context, attemptID string) (Order, error) {
	a, err := s.st.Attempt(ctx, attemptID)
	if err != nil {
		return Order{}, err
	}
	o, err := s.st.Order(ctx, a.OrderID)
	if err != nil {
		return Order{}, err
	}
	g, ok := s.gw.Gateway(a.Gateway)
	if !ok || a.Final() {
		return o, nil
	}
	res, err := g.Inquire(ctx, s.gatewayAttempt(&o, &a))
	if err != nil {
		s.log.WarnContext(ctx, "inquire", "order", o.ID, "attempt", a.ID, "gateway", a.Gateway, "err", err)
		return o, s.scheduleNextCheck(ctx, a.ID)
	}
	return s.apply(ctx, a.ID, res, "inquiry")
}

// Apply records a verified gateway result for an attempt (exported for gateways whose result
// arrives through our own pages, such as an embedded button's form post).
func (s *Service) Apply(ctx context.Context, attemptID string, res gateway.Result, source string) (Order, error) {
	return s.apply(ctx, attemptID, res, source)
}

// apply is the one place where a gateway's result changes an attempt and its order: in one
// transaction, checked against the attempt, decided by PlanAttempt, with its timeline events
// and merchant webhooks. Applying the same result twice changes nothing the second time.
func (s *Service) apply(ctx context.Context, attemptID string, res gateway.Result, source string) (Order, error) {
	var out Order
	closeAfter := false
	var moved *Attempt // the attempt, when its status changed
	err := s.st.Write(ctx, func(tx Tx) error {
		moved = nil
		att, err := s.attemptInTx(tx, attemptID)
		if err != nil {
			return err
		}
		o, err := tx.Order(att.OrderID)
		if err != nil {
			return err
		}
		a := findAttempt(&o, attemptID)
		now := s.now().UTC().Truncate(time.Millisecond)

		to := res.Status
		if !to.Valid() {
			to = gateway.StatusUnknown
		}
		mismatch := ""
		if to == gateway.StatusPaid || to == gateway.StatusAuthorized {
			mismatch = checkMatch(&o, a, &res)
		}
		if mismatch != "" {
			// Money may have moved, but not what this attempt asked for: never mark it paid.
			if err := tx.AppendEvent(Event{OrderID: o.ID, AttemptID: a.ID, Type: EventAttemptMismatch, CreatedAt: now,
				Data: map[string]string{"source": source, "why": mismatch, "reported_status": string(res.Status),
					"reported_amount": amountText(res), "raw": string(res.Raw)}}); err != nil {
				return err
			}
			to = gateway.StatusFailed
			res.Reason = gateway.ReasonMismatch
			a.NeedsReview, o.NeedsReview = true, true
		}

		if to == gateway.StatusRefunded && res.Amount.Currency().Code != "" && res.Amount.SameCurrency(o.Amount) && res.Amount.Cmp(o.Amount) < 0 {
			// A partial refund reported by the gateway: the attempt stays paid. One made through
			// Refund is already recorded; one made elsewhere (the gateway's portal) is recorded
			// on the order and flagged for a person to look at.
			out = o
			ev := Event{OrderID: o.ID, AttemptID: a.ID, Type: EventRefundReported, CreatedAt: now,
				Data: map[string]string{"source": source, "amount": res.Amount.String(), "raw": string(res.Raw)}}
			if err := tx.AppendEvent(ev); err != nil {
				return err
			}
			if len(o.Refunds) > 0 || o.Status != StatusPaid {
				return nil
			}
			o.Status, o.NeedsReview, o.UpdatedAt = StatusPartiallyRefunded, true, now
			if err := tx.UpdateOrder(&o); err != nil {
				return err
			}
			out = o
			return s.enqueue(tx, &o, NotifyRefunded, now)
		}

		p, err := PlanAttempt(&o, a, to)
		if errors.Is(err, ErrIllegalTransition) {
			// e.g. a failure reported after a success: paid never regresses. Keep a trace.
			s.log.InfoContext(ctx, "transition refused", "order", o.ID, "attempt", a.ID, "from", a.Status, "to", to, "source", source)
			out = o
			if mismatch != "" { // keep the review flags set above
				if err := tx.UpdateAttempt(a); err != nil {
					return err
				}
				if err := tx.UpdateOrder(&o); err != nil {
					return err
				}
			}
			return tx.AppendEvent(Event{OrderID: o.ID, AttemptID: a.ID, Type: EventAttemptRefused, CreatedAt: now,
				Data: map[string]string{"source": source, "from": string(a.Status), "to": string(to)}})
		}
		if err != nil {
			return err
		}
		if p.Noop {
			if a.Final() {
				a.NextCheckAt = time.Time{}
			} else {
				a.Checks++
				a.NextCheckAt = s.nextCheck(a, now)
			}
			fillIDs(a, &res)
			a.UpdatedAt = now
			out = o
			return tx.UpdateAttempt(a)
		}

		from := a.Status
		a.Status = p.AttemptTo
		fillIDs(a, &res)
		if res.Amount.Currency().Code != "" {
			a.ReportedAmount = res.Amount
		}
		if p.AttemptTo == gateway.StatusFailed || p.AttemptTo == gateway.StatusCancelled || p.AttemptTo == gateway.StatusExpired {
			a.FailureReason = res.Reason
			if a.FailureReason == "" && p.AttemptTo == gateway.StatusCancelled {
				a.FailureReason = gateway.ReasonCancelled
			}
			if a.FailureReason == "" && p.AttemptTo == gateway.StatusExpired {
				a.FailureReason = gateway.ReasonExpired
			}
		}
		a.GatewayCode, a.GatewayMessage = res.GatewayCode, res.GatewayMessage
		a.UpdatedAt = now
		if a.Final() {
			a.FinishedAt, a.NextCheckAt = now, time.Time{}
		} else {
			a.Checks++
			a.NextCheckAt = s.nextCheck(a, now)
		}
		if p.FlagReview {
			a.NeedsReview, o.NeedsReview = true, true
		}
		if err := tx.UpdateAttempt(a); err != nil {
			return err
		}
		if p.OrderTo != o.Status || p.FlagReview || mismatch != "" {
			if p.OrderTo == StatusPaid && o.Status != StatusPaid {
				o.PaidAt = now
			}
			o.Status, o.UpdatedAt = p.OrderTo, now
			if err := tx.UpdateOrder(&o); err != nil {
				return err
			}
		}
		for _, ev := range p.Events {
			data := map[string]string{"source": source}
			if ev == EventAttemptStatus {
				data["from"], data["to"] = string(from), string(p.AttemptTo)
				data["gateway_code"], data["gateway_message"] = res.GatewayCode, res.GatewayMessage
				data["raw"] = string(res.Raw)
			}
			if err := tx.AppendEvent(Event{OrderID: o.ID, AttemptID: a.ID, Type: ev, CreatedAt: now, Data: data}); err != nil {
				return err
			}
		}
		for _, n := range p.Notify {
			if err := s.enqueue(tx, &o, n, now); err != nil {
				return err
			}
		}
		closeAfter = p.OrderTo == StatusPaid
		moved = a
		out = o
		return nil
	})
	if err == nil && moved != nil && s.cfg.Observer != nil {
		s.cfg.Observer.AttemptMoved(moved.Gateway, moved.Method, moved.Status)
	}
	if err == nil && closeAfter {
		// Paid: other attempts still open at their gateways should not take money too.
		others := out
		others.Attempts = nil
		for _, x := range out.Attempts {
			if x.ID != attemptID {
				others.Attempts = append(others.Attempts, x)
			}
		}
		s.closeOpenAttempts(ctx, &others)
	}
	return out, err
}

func (s *Service) attemptInTx(tx Tx, attemptID string) (Attempt, error) {
	a, err := tx.Attempt(attemptID)
	if err != nil {
		return Attempt{}, err
	}
	o, err := tx.Order(a.OrderID)
	if err != nil {
		return Attempt{}, err
	}
	if x := findAttempt(&o, attemptID); x != nil {
		return *x, nil
	}
	return Attempt{}, ErrNotFound
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

// checkFor is how long the reconciler keeps asking about an attempt that stays pending or
// unknown; after it the attempt is left to a person (its timeline shows every check).
const checkFor = 7 * 24 * time.Hour

// nextCheck is when the reconciler asks about a next, or zero when it stops asking.
func (s *Service) nextCheck(a *Attempt, now time.Time) time.Time {
	if !a.CreatedAt.IsZero() && now.Sub(a.CreatedAt) > checkFor {
		return time.Time{}
	}
	return now.Add(s.backoff(a.Checks))
}

// backoff is the wait before the reconciler's next check after checks checks: FirstCheck,
// doubling, capped at an hour.
func (s *Service) backoff(checks int) time.Duration {
	d := s.cfg.FirstCheck
	for i := 1; i < checks && d < time.Hour; i++ {
		d *= 2
	}
	return min(d, time.Hour)
}

func (s *Service) scheduleNextCheck(ctx context.Context, attemptID string) error {
	return s.st.Write(ctx, func(tx Tx) error {
		att, err := s.attemptInTx(tx, attemptID)
		if err != nil {
			return err
		}
		if att.Final() {
			return nil
		}
		att.Checks++
		att.NextCheckAt = s.nextCheck(&att, s.now().UTC())
		return tx.UpdateAttempt(&att)
	})
}

// ExpireDue moves every open or processing order whose time is up to expired. Attempts still
// pending keep being checked: a success that arrives later is recorded and flagged.
func (s *Service) ExpireDue(ctx context.Context) (int, error) {
	ids, err := s.st.DueExpiries(ctx, s.now(), 100)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		var expired Order
		err := s.st.Write(ctx, func(tx Tx) error {
			o, err := tx.Order(id)
			if err != nil {
				return err
			}
			if !o.Status.Payable() || !o.Expired(s.now()) {
				return nil // changed meanwhile
			}
			if err := s.moveOrder(tx, &o, StatusExpired, EventExpired, NotifyExpired); err != nil {
				return err
			}
			expired = o
			return nil
		})
		if err != nil {
			return n, err
		}
		if expired.ID != "" {
			n++
			s.closeOpenAttempts(ctx, &expired)
		}
	}
	return n, nil
}

// ReconcileDue asks the gateways about attempts whose next check is due.
func (s *Service) ReconcileDue(ctx context.Context) (int, error) {
	due, err := s.st.DueAttempts(ctx, s.now(), 50)
	if err != nil {
		return 0, err
	}
	for _, a := range due {
		if _, err := s.Check(ctx, a.ID); err != nil {
			s.log.WarnContext(ctx, "reconcile", "attempt", a.ID, "err", err)
		}
	}
	return len(due), nil
}
