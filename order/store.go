package order

import (
	"context"
	"time"
)

// Store is what the service needs of persistence. store.DB implements it.
type Store interface {
	// Write runs fn in one write transaction; writes are serialized (across every node on one
	// database), so fn sees a stable snapshot and its changes commit together or not at all.
	Write(ctx context.Context, fn func(Tx) error) error
	// Order returns an order with its attempts, or ErrNotFound.
	Order(ctx context.Context, id string) (Order, error)
	// OrdersByReference returns the orders carrying a merchant reference, newest first.
	OrdersByReference(ctx context.Context, reference string) ([]Order, error)
	// AttemptByPaymentID finds an attempt by its gateway's payment id, or ErrNotFound.
	AttemptByPaymentID(ctx context.Context, gatewayName, paymentID string) (Attempt, error)
	// Attempt returns one attempt, or ErrNotFound.
	Attempt(ctx context.Context, id string) (Attempt, error)
	// DueAttempts returns attempts whose next check is due at now, oldest due first. Due work
	// (here, DueExpiries and PendingRefunds) is claimed for the caller: while the claim lasts,
	// another node's call does not return it; once the job is done and due again, it does.
	DueAttempts(ctx context.Context, now time.Time, limit int) ([]Attempt, error)
	// DueExpiries returns ids of open or processing orders whose time is up at now.
	DueExpiries(ctx context.Context, now time.Time, limit int) ([]string, error)
	// Refunds returns an order's refunds, oldest first.
	Refunds(ctx context.Context, orderID string) ([]Refund, error)
	// PendingRefunds returns refunds still pending that were last touched at or before
	// before, least recently touched first.
	PendingRefunds(ctx context.Context, before time.Time, limit int) ([]Refund, error)
	// Events returns an order's timeline, oldest first.
	Events(ctx context.Context, orderID string) ([]Event, error)
	// Link returns a payment link with its stats, or ErrNotFound.
	Link(ctx context.Context, id string) (Link, error)
	// Links returns the newest payment links, at most limit, with their stats.
	Links(ctx context.Context, limit int) ([]Link, error)
}

// Tx is one write transaction.
type Tx interface {
	Order(id string) (Order, error) // with attempts and refunds
	Attempt(id string) (Attempt, error)
	// AttemptByPaymentID finds an attempt by its gateway's payment id, or ErrNotFound.
	AttemptByPaymentID(gatewayName, paymentID string) (Attempt, error)
	ReferenceHeld(reference string) (bool, error)
	InsertOrder(o *Order) error
	UpdateOrder(o *Order) error
	InsertAttempt(a *Attempt) error
	UpdateAttempt(a *Attempt) error
	AppendEvent(e Event) error
	Idempotency(scope, key string) (IdempotencyRecord, bool, error)
	PutIdempotency(r IdempotencyRecord) error
	Enqueue(m Message) error
	InsertRefund(r *Refund) error
	UpdateRefund(r *Refund) error
	Link(id string) (Link, error) // with its stats
	InsertLink(l *Link) error
	UpdateLink(l *Link) error // deactivated_at, orders_made, views
	// LinkOpenOrders returns the ids of the link's orders still payable at now, oldest first.
	LinkOpenOrders(linkID string, now time.Time) ([]string, error)
	// LinkIdempotency and PutLinkIdempotency keep the Idempotency-Keys of link creation; the
	// record's OrderID holds the link's id.
	LinkIdempotency(scope, key string) (IdempotencyRecord, bool, error)
	PutLinkIdempotency(r IdempotencyRecord) error
}

// IdempotencyRecord is an Idempotency-Key with the request it came with and the order it made.
type IdempotencyRecord struct {
	Scope       string // who used the key (an API key id)
	Key         string
	RequestHash string // sha256 of the request body
	OrderID     string
	CreatedAt   time.Time
}

// Message is one merchant webhook waiting in the outbox.
type Message struct {
	ID        string // evt_…
	OrderID   string
	Type      string
	URL       string
	Payload   []byte
	CreatedAt time.Time
}
