package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/money"
	"github.com/bawaba/checkout/order"
)

var _ order.Store = (*DB)(nil)

// Write runs fn in one write transaction: IMMEDIATE on SQLite's writer connection, behind the
// write lock on PostgreSQL (see postgresDialect), so writes are serialized in both.
func (s *DB) Write(ctx context.Context, fn func(order.Tx) error) error {
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	q := s.wq.in(tx)
	defer q.prepareMissed(ctx)
	t := &txn{ctx: ctx, q: q, d: s.d}
	if err := fn(t); err != nil {
		tx.Rollback()
		return err
	}
	err = tx.Commit()
	if s.ver != nil {
		s.ver.bump(t.touched) // after the commit (even a failed one: a spare bump is harmless)
	}
	if err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

type txn struct {
	ctx context.Context
	q   queryer
	d   *dialect
	// touched are the orders this transaction wrote (their rows, attempts or refunds).
	touched []string
}

// touch notes that the transaction writes order id (see versions).
func (t *txn) touch(id string) { t.touched = append(t.touched, id) }

const orderCols = `id, reference, amount, currency, description, items, customer, locale, return_url,
	cancel_url, webhook_url, methods, metadata, status, needs_review, expires_at, created_at, updated_at, paid_at, payment_link`

const attemptCols = `id, seq, order_id, method, gateway, status, payment_id, transaction_id, auth_code,
	bank_reference, track_id, reported_amount, reported_currency, failure_reason, gateway_code,
	gateway_message, action, state, needs_review, checks, next_check_at, created_at, updated_at, finished_at`

const attemptInsertCols = `id, seq, order_id, method, gateway, status, payment_id, transaction_id, auth_code,
	bank_reference, track_id, reported_amount, reported_currency, failure_reason, gateway_code,
	gateway_message, action, state, needs_review, checks, next_check_at, created_at, updated_at, finished_at, reported_minor`

type itemRow struct {
	Name       string `json:"name"`
	Quantity   int64  `json:"quantity"`
	UnitAmount string `json:"unit_amount"`
}

func scanOrder(sc scanner) (order.Order, error) {
	var o order.Order
	var amount, currency, items, customer, methods, metadata, status string
	var needsReview int
	var expires, created, updated, paid int64
	err := sc.Scan(&o.ID, &o.Reference, &amount, &currency, &o.Description, &items, &customer, &o.Locale,
		&o.ReturnURL, &o.CancelURL, &o.WebhookURL, &methods, &metadata, &status, &needsReview,
		&expires, &created, &updated, &paid, &o.PaymentLink)
	if errors.Is(err, sql.ErrNoRows) {
		return o, order.ErrNotFound
	}
	if err != nil {
		return o, err
	}
	if o.Amount, err = money.Parse(amount, currency); err != nil {
		return o, fmt.Errorf("store: order %s amount: %w", o.ID, err)
	}
	var rows []itemRow
	if err := json.Unmarshal([]byte(items), &rows); err != nil {
		return o, fmt.Errorf("store: order %s items: %w", o.ID, err)
	}
	for _, r := range rows {
		unit, err := money.Parse(r.UnitAmount, currency)
		if err != nil {
			return o, fmt.Errorf("store: order %s item: %w", o.ID, err)
		}
		o.Items = append(o.Items, order.Item{Name: r.Name, Quantity: r.Quantity, UnitAmount: unit})
	}
	if err := json.Unmarshal([]byte(customer), &o.Customer); err != nil {
		return o, err
	}
	if err := json.Unmarshal([]byte(methods), &o.Methods); err != nil {
		return o, err
	}
	if err := json.Unmarshal([]byte(metadata), &o.Metadata); err != nil {
		return o, err
	}
	o.Status = order.Status(status)
	o.NeedsReview = needsReview != 0
	o.ExpiresAt, o.CreatedAt, o.UpdatedAt, o.PaidAt = fromMS(expires), fromMS(created), fromMS(updated), fromMS(paid)
	return o, nil
}

func scanAttempt(sc scanner) (order.Attempt, error) {
	var a order.Attempt
	var status, repAmount, repCurrency, action, state string
	var needsReview int
	var next, created, updated, finished int64
	err := sc.Scan(&a.ID, &a.Seq, &a.OrderID, &a.Method, &a.Gateway, &status, &a.PaymentID, &a.TransactionID,
		&a.AuthCode, &a.BankReference, &a.TrackID, &repAmount, &repCurrency, &a.FailureReason,
		&a.GatewayCode, &a.GatewayMessage, &action, &state, &needsReview, &a.Checks, &next,
		&created, &updated, &finished)
	if errors.Is(err, sql.ErrNoRows) {
		return a, order.ErrNotFound
	}
	if err != nil {
		return a, err
	}
	a.Status = gateway.Status(status)
	if repCurrency != "" {
		d, err := decimal.NewFromString(repAmount)
		if err != nil {
			return a, fmt.Errorf("store: attempt %s reported amount: %w", a.ID, err)
		}
		if a.ReportedAmount, err = money.New(d, repCurrency); err != nil {
			return a, fmt.Errorf("store: attempt %s reported amount: %w", a.ID, err)
		}
	}
	if err := json.Unmarshal([]byte(action), &a.Action); err != nil {
		return a, err
	}
	if err := json.Unmarshal([]byte(state), &a.State); err != nil {
		return a, err
	}
	a.NeedsReview = needsReview != 0
	a.NextCheckAt, a.CreatedAt, a.UpdatedAt, a.FinishedAt = fromMS(next), fromMS(created), fromMS(updated), fromMS(finished)
	return a, nil
}

// Every statement is a constant, so that TestQueryPlans finds it and checks that an index serves
// it, and so that the statement cache (stmts) prepares it once.
const (
	selectOrder          = "SELECT " + orderCols + " FROM orders WHERE id = ?"
	selectOrderAttempts  = "SELECT " + attemptCols + " FROM attempts WHERE order_id = ? ORDER BY seq"
	selectAttempt        = "SELECT " + attemptCols + " FROM attempts WHERE id = ?"
	selectAttemptPayment = "SELECT " + attemptCols + " FROM attempts WHERE gateway = ? AND payment_id = ? AND payment_id <> ''"
)

func loadOrder(ctx context.Context, q queryer, id string) (order.Order, error) {
	o, err := scanOrder(q.QueryRowContext(ctx, selectOrder, id))
	if err != nil {
		return o, err
	}
	if o.Attempts, err = queryAll(ctx, q, scanAttempt, selectOrderAttempts, id); err != nil {
		return o, err
	}
	o.Refunds, err = loadRefunds(ctx, q, id)
	return o, err
}

func loadAttempt(ctx context.Context, q queryer, id string) (order.Attempt, error) {
	return scanAttempt(q.QueryRowContext(ctx, selectAttempt, id))
}

// Order implements order.Store.
func (s *DB) Order(ctx context.Context, id string) (order.Order, error) {
	return loadOrder(ctx, s.rq, id)
}

// Attempt implements order.Store.
func (s *DB) Attempt(ctx context.Context, id string) (order.Attempt, error) {
	return loadAttempt(ctx, s.rq, id)
}

// OrdersByReference implements order.Store.
func (s *DB) OrdersByReference(ctx context.Context, ref string) ([]order.Order, error) {
	ids, err := queryAll(ctx, s.rq, scanValue[string], "SELECT id FROM orders WHERE reference = ? ORDER BY created_at DESC, rowid DESC LIMIT 100", ref)
	if err != nil {
		return nil, err
	}
	out := make([]order.Order, 0, len(ids))
	for _, id := range ids {
		o, err := loadOrder(ctx, s.rq, id)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, nil
}

// AttemptByPaymentID implements order.Store. The query repeats the partial index's condition
// (payment_id <> ”): without it SQLite cannot use attempts_payment for payment_id = ? and scans
// every attempt, on a route anyone can call (a return or webhook with a made-up id). An empty
// payment id never matches.
func (s *DB) AttemptByPaymentID(ctx context.Context, gatewayName, paymentID string) (order.Attempt, error) {
	return scanAttempt(s.rq.QueryRowContext(ctx, selectAttemptPayment, gatewayName, paymentID))
}

// DueAttempts implements order.Store: the attempts returned are claimed for this node (see
// claims.go), so another node's reconciler does not ask about them too.
func (s *DB) DueAttempts(ctx context.Context, now time.Time, limit int) ([]order.Attempt, error) {
	ids, err := s.claim(ctx, "reconcile", dueAttemptJobs, now, limit)
	if err != nil {
		return nil, err
	}
	out := make([]order.Attempt, 0, len(ids))
	for _, id := range ids {
		a, err := loadAttempt(ctx, s.rq, id)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// DueExpiries implements order.Store; the orders returned are claimed for this node.
func (s *DB) DueExpiries(ctx context.Context, now time.Time, limit int) ([]string, error) {
	return s.claim(ctx, "expire", dueExpiryJobs, now, limit)
}

// Events implements order.Store.
func (s *DB) Events(ctx context.Context, orderID string) ([]order.Event, error) {
	return queryAll(ctx, s.rq, scanEvent, "SELECT id, order_id, attempt_id, type, data, created_at FROM events WHERE order_id = ? ORDER BY id", orderID)
}

func scanEvent(sc scanner) (order.Event, error) {
	var e order.Event
	var data string
	var created int64
	if err := sc.Scan(&e.ID, &e.OrderID, &e.AttemptID, &e.Type, &data, &created); err != nil {
		return e, err
	}
	e.CreatedAt = fromMS(created)
	err := json.Unmarshal([]byte(data), &e.Data)
	return e, err
}

// --- transaction ---

func (t *txn) Order(id string) (order.Order, error) { return loadOrder(t.ctx, t.q, id) }

func (t *txn) Attempt(id string) (order.Attempt, error) { return loadAttempt(t.ctx, t.q, id) }

func (t *txn) AttemptByPaymentID(gatewayName, paymentID string) (order.Attempt, error) {
	return scanAttempt(t.q.QueryRowContext(t.ctx, selectAttemptPayment, gatewayName, paymentID))
}

func (t *txn) ReferenceHeld(ref string) (bool, error) {
	var n int
	err := t.q.QueryRowContext(t.ctx, `SELECT count(*) FROM orders WHERE reference = ?
		AND status IN ('open','processing','paid','partially_refunded')`, ref).Scan(&n)
	return n > 0, err
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic("store: marshal: " + err.Error()) // only plain maps, slices and structs reach here
	}
	return string(b)
}

func (t *txn) InsertOrder(o *order.Order) error {
	t.touch(o.ID)
	items := make([]itemRow, len(o.Items))
	for i, it := range o.Items {
		items[i] = itemRow{Name: it.Name, Quantity: it.Quantity, UnitAmount: it.UnitAmount.String()}
	}
	methods := o.Methods
	if methods == nil {
		methods = []string{}
	}
	_, err := t.q.ExecContext(t.ctx, "INSERT INTO orders ("+orderCols+`, amount_minor)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		o.ID, o.Reference, o.Amount.String(), o.Amount.Currency().Code, o.Description, jsonText(items),
		jsonText(o.Customer), o.Locale, o.ReturnURL, o.CancelURL, o.WebhookURL, jsonText(methods),
		jsonText(orEmpty(o.Metadata)), string(o.Status), b2i(o.NeedsReview), ms(o.ExpiresAt), ms(o.CreatedAt),
		ms(o.UpdatedAt), ms(o.PaidAt), o.PaymentLink, o.Amount.Minor())
	if isUniqueViolation(err) {
		return order.ErrReferenceTaken
	}
	return err
}

func (t *txn) UpdateOrder(o *order.Order) error {
	t.touch(o.ID)
	res, err := t.q.ExecContext(t.ctx, `UPDATE orders SET status = ?, needs_review = ?, updated_at = ?, paid_at = ? WHERE id = ?`,
		string(o.Status), b2i(o.NeedsReview), ms(o.UpdatedAt), ms(o.PaidAt), o.ID)
	if isUniqueViolation(err) {
		return order.ErrReferenceTaken
	}
	return mustAffect(res, err)
}

func (t *txn) InsertAttempt(a *order.Attempt) error {
	t.touch(a.OrderID)
	repAmount, repCurrency, repMinor := reported(a.ReportedAmount)
	err := t.q.QueryRowContext(t.ctx, t.d.nextSeq).Scan(&a.Seq)
	if err != nil {
		return err
	}
	_, err = t.q.ExecContext(t.ctx, "INSERT INTO attempts ("+attemptInsertCols+`)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		a.ID, a.Seq, a.OrderID, a.Method, a.Gateway, string(a.Status), a.PaymentID, a.TransactionID, a.AuthCode,
		a.BankReference, a.TrackID, repAmount, repCurrency, a.FailureReason, a.GatewayCode, a.GatewayMessage,
		jsonText(a.Action), jsonText(orEmpty(a.State)), b2i(a.NeedsReview), a.Checks, ms(a.NextCheckAt),
		ms(a.CreatedAt), ms(a.UpdatedAt), ms(a.FinishedAt), repMinor)
	return err
}

func (t *txn) UpdateAttempt(a *order.Attempt) error {
	t.touch(a.OrderID)
	repAmount, repCurrency, repMinor := reported(a.ReportedAmount)
	res, err := t.q.ExecContext(t.ctx, `UPDATE attempts SET status = ?, payment_id = ?, transaction_id = ?,
		auth_code = ?, bank_reference = ?, track_id = ?, reported_amount = ?, reported_currency = ?,
		reported_minor = ?, failure_reason = ?, gateway_code = ?, gateway_message = ?, action = ?, state = ?,
		needs_review = ?, checks = ?, next_check_at = ?, updated_at = ?, finished_at = ? WHERE id = ?`,
		string(a.Status), a.PaymentID, a.TransactionID, a.AuthCode, a.BankReference, a.TrackID,
		repAmount, repCurrency, repMinor, a.FailureReason, a.GatewayCode, a.GatewayMessage,
		jsonText(a.Action), jsonText(orEmpty(a.State)), b2i(a.NeedsReview), a.Checks, ms(a.NextCheckAt),
		ms(a.UpdatedAt), ms(a.FinishedAt), a.ID)
	return mustAffect(res, err)
}

func (t *txn) AppendEvent(e order.Event) error {
	_, err := t.q.ExecContext(t.ctx, "INSERT INTO events (order_id, attempt_id, type, data, created_at) VALUES (?,?,?,?,?)",
		e.OrderID, e.AttemptID, e.Type, jsonText(orEmpty(e.Data)), ms(e.CreatedAt))
	return err
}

func (t *txn) Idempotency(scope, key string) (order.IdempotencyRecord, bool, error) {
	return t.idempotency("SELECT request_hash, order_id, created_at FROM idempotency_keys WHERE scope = ? AND key = ?", scope, key)
}

// idempotency reads one Idempotency-Key record with query (request_hash, the id it made,
// created_at), for orders and payment links alike.
func (t *txn) idempotency(query, scope, key string) (order.IdempotencyRecord, bool, error) {
	r := order.IdempotencyRecord{Scope: scope, Key: key}
	var created int64
	err := t.q.QueryRowContext(t.ctx, query, scope, key).Scan(&r.RequestHash, &r.OrderID, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return r, false, nil
	}
	r.CreatedAt = fromMS(created)
	return r, err == nil, err
}

func (t *txn) PutIdempotency(r order.IdempotencyRecord) error {
	_, err := t.q.ExecContext(t.ctx, "INSERT INTO idempotency_keys (scope, key, request_hash, order_id, created_at) VALUES (?,?,?,?,?)",
		r.Scope, r.Key, r.RequestHash, r.OrderID, ms(r.CreatedAt))
	return err
}

func (t *txn) Enqueue(m order.Message) error {
	_, err := t.q.ExecContext(t.ctx, "INSERT INTO outbox (id, order_id, type, url, payload, created_at, next_attempt_at) VALUES (?,?,?,?,?,?,?)",
		m.ID, m.OrderID, m.Type, m.URL, m.Payload, ms(m.CreatedAt), ms(m.CreatedAt))
	return err
}

func reported(a money.Amount) (string, string, int64) {
	if a.Currency().Code == "" {
		return "", "", 0
	}
	return a.String(), a.Currency().Code, a.Minor()
}

func orEmpty[M ~map[string]string](m M) M {
	if m == nil {
		return M{}
	}
	return m
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func mustAffect(res sql.Result, err error) error {
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return order.ErrNotFound
	}
	return nil
}
