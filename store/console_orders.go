package store

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/bawaba/checkout/money"
)

// OrderFilter is what the console's order list and CSV export show. Zero fields do not filter.
type OrderFilter struct {
	Status   string
	Method   string // an attempt with this method
	Gateway  string // an attempt through this gateway
	Currency string
	From, To time.Time // created in [From, To)
	// Query finds an order by id, reference, an attempt's payment id, transaction id or track id,
	// or by amount ("6", "6.000": the same amount in any currency it is exact in).
	Query       string
	NeedsReview bool
}

// OrderCursor is where a page of the list continues: after (older than) this order.
type OrderCursor struct {
	CreatedAt int64 // unix ms
	ID        string
}

// String encodes the cursor for a URL.
func (c OrderCursor) String() string { return strconv.FormatInt(c.CreatedAt, 10) + "_" + c.ID }

// ParseOrderCursor decodes a cursor from a URL; ok is false for anything malformed.
func ParseOrderCursor(s string) (OrderCursor, bool) {
	ms, id, ok := strings.Cut(s, "_")
	n, err := strconv.ParseInt(ms, 10, 64)
	if !ok || err != nil || n < 0 || id == "" || len(id) > 64 {
		return OrderCursor{}, false
	}
	return OrderCursor{CreatedAt: n, ID: id}, true
}

// OrderRow is one line of the console's order list.
type OrderRow struct {
	ID          string
	Reference   string
	Amount      money.Amount
	Status      string
	NeedsReview bool
	Customer    string // the customer's name or email
	CreatedAt   time.Time
	PaidAt      time.Time
	// The latest attempt's method, gateway and payment id ("" without attempts).
	Method, Gateway, PaymentID string
}

// CurrencyTotal is the count and sum of the orders a filter shows, in one currency.
type CurrencyTotal struct {
	Count int
	Sum   money.Amount
}

// where builds the SQL condition and arguments of a filter over orders o.
func (f OrderFilter) where() (string, []any) {
	conds := []string{"1=1"}
	var args []any
	if f.Status != "" {
		conds, args = append(conds, "o.status = ?"), append(args, f.Status)
	}
	if f.Currency != "" {
		conds, args = append(conds, "o.currency = ?"), append(args, f.Currency)
	}
	if f.Method != "" {
		conds, args = append(conds, "EXISTS (SELECT 1 FROM attempts a WHERE a.order_id = o.id AND a.method = ?)"), append(args, f.Method)
	}
	if f.Gateway != "" {
		conds, args = append(conds, "EXISTS (SELECT 1 FROM attempts a WHERE a.order_id = o.id AND a.gateway = ?)"), append(args, f.Gateway)
	}
	if !f.From.IsZero() {
		conds, args = append(conds, "o.created_at >= ?"), append(args, f.From.UnixMilli())
	}
	if !f.To.IsZero() {
		conds, args = append(conds, "o.created_at < ?"), append(args, f.To.UnixMilli())
	}
	if f.NeedsReview {
		conds = append(conds, "o.needs_review = 1")
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		or := []string{"o.id = ?", "o.reference = ?",
			"o.id IN (SELECT a.order_id FROM attempts a WHERE a.payment_id = ? OR a.transaction_id = ? OR a.track_id = ?)"}
		args = append(args, q, q, q, q, q)
		if d, err := decimal.NewFromString(q); err == nil && d.IsPositive() {
			for _, c := range money.Currencies() {
				if shifted := d.Shift(c.Scale); shifted.IsInteger() && shifted.LessThan(decimal.New(1, 18)) {
					or, args = append(or, "(o.currency = ? AND o.amount_minor = ?)"), append(args, c.Code, shifted.IntPart())
				}
			}
		}
		conds = append(conds, "("+strings.Join(or, " OR ")+")")
	}
	return strings.Join(conds, " AND "), args
}

const orderRowCols = `o.id, o.reference, o.amount, o.currency, o.status, o.needs_review, o.customer, o.created_at, o.paid_at,
	coalesce(l.method, ''), coalesce(l.gateway, ''), coalesce(l.payment_id, '')`

// latestAttempt joins each order's newest attempt.
const latestAttempt = `LEFT JOIN attempts l ON l.id = (SELECT a.id FROM attempts a WHERE a.order_id = o.id ORDER BY a.created_at DESC, a.seq DESC LIMIT 1)`

// ListOrders returns up to limit orders the filter shows, newest first, older than after when it
// is set. Keyset pagination on (created_at, id): every page costs the same at a million orders.
func (s *DB) ListOrders(ctx context.Context, f OrderFilter, after *OrderCursor, limit int) ([]OrderRow, error) {
	where, args := f.where()
	if after != nil {
		// A row-value comparison: SQLite walks the (created_at, id) index from the cursor on
		// (an OR of the two cases would scan).
		where += " AND (o.created_at, o.id) < (?, ?)"
		args = append(args, after.CreatedAt, after.ID)
	}
	args = append(args, limit)
	return queryAll(ctx, s.r, scanOrderRow, "SELECT "+orderRowCols+" FROM orders o "+latestAttempt+
		" WHERE "+where+" ORDER BY o.created_at DESC, o.id DESC LIMIT ?", args...)
}

func scanOrderRow(sc scanner) (OrderRow, error) {
	var r OrderRow
	var amount, currency, customer string
	var created, paid int64
	var review int
	err := sc.Scan(&r.ID, &r.Reference, &amount, &currency, &r.Status, &review, &customer, &created, &paid,
		&r.Method, &r.Gateway, &r.PaymentID)
	if err != nil {
		return r, err
	}
	var c struct{ Name, Email string }
	_ = json.Unmarshal([]byte(customer), &c)
	r.Customer = c.Name
	if r.Customer == "" {
		r.Customer = c.Email
	}
	r.NeedsReview, r.CreatedAt, r.PaidAt = review != 0, fromMS(created), fromMS(paid)
	r.Amount, err = money.Parse(amount, currency)
	return r, err
}

// Cursor is where the page that ends with r continues.
func (r OrderRow) Cursor() OrderCursor {
	return OrderCursor{CreatedAt: r.CreatedAt.UnixMilli(), ID: r.ID}
}

// keptTotals reads the totals per currency that the database keeps (order_totals, migration
// 0012), of one status or of all, in one currency or all: a few rows at any table size.
const keptTotals = `SELECT currency, CAST(sum(count) AS BIGINT), CAST(sum(sum_minor) AS BIGINT) FROM order_totals
	WHERE (? = '' OR status = ?) AND (? = '' OR currency = ?)
	GROUP BY currency HAVING sum(count) > 0 ORDER BY currency`

// OrderTotals counts and sums, per currency, every order the filter shows (all pages). A filter
// of status and currency alone (the console's default and its most used) reads the kept totals;
// any other filter sums the orders it selects.
func (s *DB) OrderTotals(ctx context.Context, f OrderFilter) ([]CurrencyTotal, error) {
	if (f == OrderFilter{Status: f.Status, Currency: f.Currency}) {
		return queryAll(ctx, s.rq, scanCurrencyTotal, keptTotals, f.Status, f.Status, f.Currency, f.Currency)
	}
	where, args := f.where()
	return queryAll(ctx, s.r, scanCurrencyTotal, "SELECT o.currency, count(*), sum(o.amount_minor) FROM orders o WHERE "+where+
		" GROUP BY o.currency ORDER BY o.currency", args...)
}

// scanCurrencyTotal reads (currency, count, sum in minor units).
func scanCurrencyTotal(sc scanner) (CurrencyTotal, error) {
	var cur string
	var t CurrencyTotal
	var minor int64
	err := sc.Scan(&cur, &t.Count, &minor)
	if err != nil {
		return t, err
	}
	t.Sum, err = money.FromMinor(minor, cur)
	return t, err
}

// EachOrder calls fn for every order the filter shows, newest first, reading in pages so that
// an export of a million orders holds neither memory nor a read transaction for long.
func (s *DB) EachOrder(ctx context.Context, f OrderFilter, fn func(OrderRow) error) error {
	var after *OrderCursor
	for {
		page, err := s.ListOrders(ctx, f, after, 500)
		if err != nil {
			return err
		}
		for _, r := range page {
			if err := fn(r); err != nil {
				return err
			}
		}
		if len(page) < 500 {
			return nil
		}
		c := page[len(page)-1].Cursor()
		after = &c
	}
}

// AppendOrderNote adds a line to an order's timeline outside the order service's transitions:
// who did what in the console ("console.cancel" by owner@shop…), next to what it caused.
func (s *DB) AppendOrderNote(ctx context.Context, orderID, typ string, data map[string]string, at time.Time) error {
	b, err := json.Marshal(data)
	if err != nil {
		return err
	}
	_, err = s.w.ExecContext(ctx, "INSERT INTO events (order_id, attempt_id, type, data, created_at) VALUES (?, '', ?, ?, ?)",
		orderID, typ, string(b), ms(at))
	return err
}
