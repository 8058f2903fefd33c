package order

import (
	"context"
	"time"
)

// Idempotency is an Idempotency-Key with the request it came with.
type Idempotency struct {
	Scope       string // who used the key (an API key id)
	Key         string
	RequestHash string // a hash of the request body
}

// Created is the outcome of Create.
type Created struct {
	Order    Order
	Replayed bool // the key was used before with this request: Order is the order it created
}

// Create validates and stores a new order. With idem, the key is stored with the request's hash
// and the order's id in the order's transaction: the same key and request return the order made
// the first time (Replayed; the caller answers as it did then, from Order.AsCreated), the same
// key with another request fails with ErrIdempotencyReused, and concurrent requests with one key
// create one order.
func (s *Service) Create(ctx context.Context, in NewOrder, idem *Idempotency) (Created, error) {
	v, err := in.validate(func(cur string) []string { return s.gw.Available(cur, nil) })
	if err != nil {
		return Created{}, err
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	o := in.order(v, now)
	var out Created
	err = s.st.Write(ctx, func(tx Tx) error {
		if idem != nil {
			prev, found, err := replay(tx, idem)
			if err != nil || found {
				out = prev
				return err
			}
		}
		if err := insertOrder(tx, &o, now); err != nil {
			return err
		}
		out = Created{Order: o}
		if idem == nil {
			return nil
		}
		return tx.PutIdempotency(IdempotencyRecord{Scope: idem.Scope, Key: idem.Key, RequestHash: idem.RequestHash,
			OrderID: o.ID, CreatedAt: now})
	})
	if err != nil {
		return Created{}, err
	}
	if s.cfg.Observer != nil && !out.Replayed {
		s.cfg.Observer.OrderCreated(out.Order.Amount.Currency().Code)
	}
	return out, nil
}

// order is the new order a validated request makes, created at now.
func (in *NewOrder) order(v validated, now time.Time) Order {
	return Order{
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
}

// replay returns the order created with idem's key (found), or ErrIdempotencyReused when the
// key came with another request.
func replay(tx Tx, idem *Idempotency) (Created, bool, error) {
	rec, found, err := tx.Idempotency(idem.Scope, idem.Key)
	if err != nil || !found {
		return Created{}, false, err
	}
	if rec.RequestHash != idem.RequestHash {
		return Created{}, true, ErrIdempotencyReused
	}
	prev, err := tx.Order(rec.OrderID)
	if err != nil {
		return Created{}, true, err
	}
	return Created{Order: prev, Replayed: true}, true, nil
}

// insertOrder stores a new order with its created event, refusing a merchant reference already held.
func insertOrder(tx Tx, o *Order, now time.Time) error {
	if o.Reference != "" {
		held, err := tx.ReferenceHeld(o.Reference)
		if err != nil {
			return err
		}
		if held {
			return ErrReferenceTaken
		}
	}
	if err := tx.InsertOrder(o); err != nil {
		return err
	}
	return tx.AppendEvent(Event{OrderID: o.ID, Type: EventCreated, CreatedAt: now,
		Data: map[string]string{"amount": o.Amount.String(), "currency": o.Amount.Currency().Code}})
}
