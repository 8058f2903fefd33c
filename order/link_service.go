package order

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/bawaba/checkout/money"
)

// LinkCreated is the outcome of CreateLink.
type LinkCreated struct {
	Link     Link
	Replayed bool // the Idempotency-Key was used before with this request: Link is the link it made
}

// CreateLink validates and stores a new payment link. The Idempotency-Key works as for Create:
// the same key and request return the link made the first time, another request with the key
// fails with ErrIdempotencyReused, and concurrent requests with one key make one link.
func (s *Service) CreateLink(ctx context.Context, in NewLink, idem *Idempotency) (LinkCreated, error) {
	now := s.now().UTC().Truncate(time.Millisecond)
	l, err := in.validate(now, func(cur string) []string { return s.gw.Available(cur, nil) })
	if err != nil {
		return LinkCreated{}, err
	}
	l.ID, l.CreatedAt = NewID("lnk"), now
	var out LinkCreated
	err = s.st.Write(ctx, func(tx Tx) error {
		if idem != nil {
			rec, found, err := tx.LinkIdempotency(idem.Scope, idem.Key)
			if err != nil {
				return err
			}
			if found {
				if rec.RequestHash != idem.RequestHash {
					return ErrIdempotencyReused
				}
				prev, err := tx.Link(rec.OrderID)
				out = LinkCreated{Link: prev, Replayed: true}
				return err
			}
		}
		if err := tx.InsertLink(&l); err != nil {
			return err
		}
		out = LinkCreated{Link: l.AsCreated()}
		if idem == nil {
			return nil
		}
		return tx.PutLinkIdempotency(IdempotencyRecord{Scope: idem.Scope, Key: idem.Key,
			RequestHash: idem.RequestHash, OrderID: l.ID, CreatedAt: now})
	})
	if err != nil {
		return LinkCreated{}, err
	}
	return out, nil
}

// Link returns a payment link with its stats.
func (s *Service) Link(ctx context.Context, id string) (Link, error) { return s.st.Link(ctx, id) }

// Links returns the newest payment links (at most limit), with their stats.
func (s *Service) Links(ctx context.Context, limit int) ([]Link, error) {
	return s.st.Links(ctx, limit)
}

// DeactivateLink switches a link off for good; deactivating it again changes nothing. Orders
// already made through it stay payable (the shopper may be on the gateway's page).
func (s *Service) DeactivateLink(ctx context.Context, id string) (Link, error) {
	now := s.now().UTC().Truncate(time.Millisecond)
	var l Link
	err := s.st.Write(ctx, func(tx Tx) error {
		var err error
		if l, err = tx.Link(id); err != nil {
			return err
		}
		if !l.DeactivatedAt.IsZero() {
			return nil
		}
		l.DeactivatedAt = now
		return tx.UpdateLink(&l)
	})
	return l, err
}

// ViewLink counts one showing of a link's page and returns the link.
func (s *Service) ViewLink(ctx context.Context, id string) (Link, error) {
	var l Link
	err := s.st.Write(ctx, func(tx Tx) error {
		var err error
		if l, err = tx.Link(id); err != nil {
			return err
		}
		l.Views++
		return tx.UpdateLink(&l)
	})
	return l, err
}

// LinkCheckout is Continue on a link's page: it returns the order the shopper pays, made in one
// transaction with the link's checks, so that concurrent Continues never go past the link's
// limit:
//   - the same Nonce again (a double click) gets the order its first use made;
//   - a deactivated, expired or used-up link fails with a *LinkGoneError and makes nothing;
//   - a single-use link with an order still open reuses it (the shopper who comes back, or a
//     second shopper, pays that order; there is never a second one);
//   - a reusable link with a limit, with as many orders paid or being paid as it takes, fails
//     with ErrLinkBusy;
//   - else a new order: reference "link:{id}:{n}", the shopper's fields as its customer.
//
// Bad shopper input fails with a *ValidationError whose messages are LinkMsg* keys.
func (s *Service) LinkCheckout(ctx context.Context, id string, in LinkInput) (Order, error) {
	l, err := s.st.Link(ctx, id)
	if err != nil {
		return Order{}, err
	}
	now := s.now().UTC().Truncate(time.Millisecond)
	if st := l.State(now); st != LinkActive {
		return Order{}, &LinkGoneError{State: st}
	}
	amount, err := in.check(&l)
	if err != nil {
		return Order{}, err
	}
	scope := "link:" + id
	var out Order
	created := false
	err = s.st.Write(ctx, func(tx Tx) error {
		if in.Nonce != "" {
			rec, found, err := tx.Idempotency(scope, in.Nonce)
			if err != nil {
				return err
			}
			if found {
				out, err = tx.Order(rec.OrderID)
				return err
			}
		}
		l, err := tx.Link(id)
		if err != nil {
			return err
		}
		if st := l.State(now); st != LinkActive {
			return &LinkGoneError{State: st}
		}
		open, err := tx.LinkOpenOrders(id, now)
		if err != nil {
			return err
		}
		switch {
		case l.SingleUse && len(open) > 0:
			if out, err = tx.Order(open[0]); err != nil {
				return err
			}
		case l.Limit() > 0 && l.Stats.Paid+int64(len(open)) >= l.Limit():
			return ErrLinkBusy
		default:
			if out, err = s.linkOrder(tx, &l, amount, in, now); err != nil {
				return err
			}
			created = true
		}
		if in.Nonce == "" {
			return nil
		}
		return tx.PutIdempotency(IdempotencyRecord{Scope: scope, Key: in.Nonce, OrderID: out.ID, CreatedAt: now})
	})
	if err != nil {
		return Order{}, err
	}
	if created && s.cfg.Observer != nil {
		s.cfg.Observer.OrderCreated(out.Amount.Currency().Code)
	}
	return out, nil
}

// linkOrder makes the link's next order inside tx.
func (s *Service) linkOrder(tx Tx, l *Link, amount money.Amount, in LinkInput, now time.Time) (Order, error) {
	l.OrdersMade++
	if err := tx.UpdateLink(l); err != nil {
		return Order{}, err
	}
	items := make([]NewItem, len(l.Items))
	for i, it := range l.Items {
		items[i] = NewItem{Name: it.Name, Quantity: it.Quantity, UnitAmount: it.UnitAmount.String()}
	}
	ret := l.ReturnURL
	if ret == "" {
		ret = s.LinkURL(l.ID)
	}
	no := NewOrder{
		Amount: amount.String(), Currency: l.Currency.Code,
		Reference:   "link:" + l.ID + ":" + strconv.FormatInt(l.OrdersMade, 10),
		Description: l.Description, Items: items, Locale: l.Locale,
		ReturnURL: ret, WebhookURL: l.WebhookURL, Metadata: l.Metadata,
	}
	for _, f := range l.Collect {
		switch f {
		case FieldName:
			no.Customer.Name = in.Name
		case FieldPhone:
			no.Customer.Phone = in.Phone
		case FieldEmail:
			no.Customer.Email = in.Email
		}
	}
	v, err := no.validate(func(cur string) []string { return s.gw.Available(cur, nil) })
	if err != nil {
		// The link was valid when made and the shopper's input was checked: a failure here
		// is ours (a gateway switched off since), not the shopper's.
		return Order{}, errors.Join(errors.New("order: link order invalid"), err)
	}
	o := no.order(v, now)
	o.PaymentLink = l.ID
	if err := insertOrder(tx, &o, now); err != nil {
		return Order{}, err
	}
	return o, nil
}

// LinkURL is a link's shopper page.
func (s *Service) LinkURL(id string) string { return s.cfg.BaseURL + "/l/" + id }
