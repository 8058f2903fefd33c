package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/bawaba/checkout/money"
	"github.com/bawaba/checkout/order"
)

const linkCols = `id, currency, amount, min_amount, max_amount, description, items, locale, single_use,
	max_payments, collect, return_url, webhook_url, metadata, expires_at, deactivated_at, orders_made, views, created_at`

// linkStatsCols are a link's stats, counted from its orders (orders_payment_link index).
const linkStatsCols = `(SELECT count(*) FROM orders o WHERE o.payment_link = payment_links.id),
	(SELECT count(*) FROM orders o WHERE o.payment_link = payment_links.id AND o.paid_at > 0),
	(SELECT coalesce(sum(o.amount_minor), 0) FROM orders o WHERE o.payment_link = payment_links.id AND o.paid_at > 0)`

func scanLink(sc scanner) (order.Link, error) {
	var l order.Link
	var currency, amount, minA, maxA, items, collect, metadata string
	var single int
	var expires, deactivated, created, sum int64
	err := sc.Scan(&l.ID, &currency, &amount, &minA, &maxA, &l.Description, &items, &l.Locale, &single,
		&l.MaxPayments, &collect, &l.ReturnURL, &l.WebhookURL, &metadata, &expires, &deactivated,
		&l.OrdersMade, &l.Views, &created, &l.Stats.Orders, &l.Stats.Paid, &sum)
	if errors.Is(err, sql.ErrNoRows) {
		return l, order.ErrNotFound
	}
	if err != nil {
		return l, err
	}
	cur, ok := money.LookupCurrency(currency)
	if !ok {
		return l, fmt.Errorf("store: link %s: unknown currency %q", l.ID, currency)
	}
	l.Currency = cur
	for dst, s := range map[*money.Amount]string{&l.Amount: amount, &l.MinAmount: minA, &l.MaxAmount: maxA} {
		if s == "" {
			continue
		}
		if *dst, err = money.Parse(s, currency); err != nil {
			return l, fmt.Errorf("store: link %s amount: %w", l.ID, err)
		}
	}
	if l.Stats.Sum, err = money.FromMinor(sum, currency); err != nil {
		return l, fmt.Errorf("store: link %s sum: %w", l.ID, err)
	}
	var rows []itemRow
	if err := json.Unmarshal([]byte(items), &rows); err != nil {
		return l, err
	}
	for _, r := range rows {
		unit, err := money.Parse(r.UnitAmount, currency)
		if err != nil {
			return l, fmt.Errorf("store: link %s item: %w", l.ID, err)
		}
		l.Items = append(l.Items, order.Item{Name: r.Name, Quantity: r.Quantity, UnitAmount: unit})
	}
	if err := json.Unmarshal([]byte(collect), &l.Collect); err != nil {
		return l, err
	}
	if err := json.Unmarshal([]byte(metadata), &l.Metadata); err != nil {
		return l, err
	}
	if len(l.Metadata) == 0 {
		l.Metadata = nil
	}
	l.SingleUse = single != 0
	l.ExpiresAt, l.DeactivatedAt, l.CreatedAt = fromMS(expires), fromMS(deactivated), fromMS(created)
	return l, nil
}

func loadLink(ctx context.Context, q queryer, id string) (order.Link, error) {
	return scanLink(q.QueryRowContext(ctx, "SELECT "+linkCols+", "+linkStatsCols+" FROM payment_links WHERE id = ?", id))
}

// Link implements order.Store.
func (s *DB) Link(ctx context.Context, id string) (order.Link, error) {
	return loadLink(ctx, s.r, id)
}

// Links implements order.Store.
func (s *DB) Links(ctx context.Context, limit int) ([]order.Link, error) {
	return queryAll(ctx, s.r, scanLink, "SELECT "+linkCols+", "+linkStatsCols+
		" FROM payment_links ORDER BY created_at DESC, rowid DESC LIMIT ?", limit)
}

func (t *txn) Link(id string) (order.Link, error) { return loadLink(t.ctx, t.q, id) }

func amountText(a money.Amount) string {
	if a.Currency().Code == "" {
		return ""
	}
	return a.String()
}

func (t *txn) InsertLink(l *order.Link) error {
	items := make([]itemRow, len(l.Items))
	for i, it := range l.Items {
		items[i] = itemRow{Name: it.Name, Quantity: it.Quantity, UnitAmount: it.UnitAmount.String()}
	}
	collect := l.Collect
	if collect == nil {
		collect = []string{}
	}
	_, err := t.q.ExecContext(t.ctx, "INSERT INTO payment_links ("+linkCols+`)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		l.ID, l.Currency.Code, amountText(l.Amount), amountText(l.MinAmount), amountText(l.MaxAmount),
		l.Description, jsonText(items), l.Locale, b2i(l.SingleUse), l.MaxPayments, jsonText(collect),
		l.ReturnURL, l.WebhookURL, jsonText(orEmpty(l.Metadata)), ms(l.ExpiresAt), ms(l.DeactivatedAt),
		l.OrdersMade, l.Views, ms(l.CreatedAt))
	return err
}

func (t *txn) UpdateLink(l *order.Link) error {
	res, err := t.q.ExecContext(t.ctx, "UPDATE payment_links SET deactivated_at = ?, orders_made = ?, views = ? WHERE id = ?",
		ms(l.DeactivatedAt), l.OrdersMade, l.Views, l.ID)
	return mustAffect(res, err)
}

func (t *txn) LinkOpenOrders(linkID string, now time.Time) ([]string, error) {
	return queryAll(t.ctx, t.q, scanValue[string], `SELECT id FROM orders WHERE payment_link = ?
		AND status IN ('open','processing') AND expires_at > ? ORDER BY created_at, rowid`, linkID, ms(now))
}

func (t *txn) LinkIdempotency(scope, key string) (order.IdempotencyRecord, bool, error) {
	return t.idempotency("SELECT request_hash, link_id, created_at FROM payment_link_keys WHERE scope = ? AND key = ?", scope, key)
}

func (t *txn) PutLinkIdempotency(r order.IdempotencyRecord) error {
	_, err := t.q.ExecContext(t.ctx, "INSERT INTO payment_link_keys (scope, key, request_hash, link_id, created_at) VALUES (?,?,?,?,?)",
		r.Scope, r.Key, r.RequestHash, r.OrderID, ms(r.CreatedAt))
	return err
}
