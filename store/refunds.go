package store

import (
	"context"
	"time"

	"github.com/bawaba/checkout/money"
	"github.com/bawaba/checkout/order"
)

const refundCols = `id, order_id, attempt_id, amount, currency, status, kind, reason, gateway_ref, failure, created_at, updated_at`

func loadRefunds(ctx context.Context, q queryer, orderID string) ([]order.Refund, error) {
	return queryAll(ctx, q, scanRefund, "SELECT "+refundCols+" FROM refunds WHERE order_id = ? ORDER BY created_at, rowid", orderID)
}

// PendingRefunds implements order.Store (served by the partial index refunds_pending); the
// refunds returned are claimed for this node (see claims.go). The lease runs from before.
func (s *DB) PendingRefunds(ctx context.Context, before time.Time, limit int) ([]order.Refund, error) {
	ids, err := s.claim(ctx, "refund", dueRefundJobs, before, limit)
	if err != nil {
		return nil, err
	}
	out := make([]order.Refund, 0, len(ids))
	for _, id := range ids {
		r, err := queryAll(ctx, s.rq, scanRefund, "SELECT "+refundCols+" FROM refunds WHERE id = ?", id)
		if err != nil {
			return nil, err
		}
		out = append(out, r...)
	}
	return out, nil
}

func scanRefund(sc scanner) (order.Refund, error) {
	var r order.Refund
	var amount, currency, status string
	var created, updated int64
	err := sc.Scan(&r.ID, &r.OrderID, &r.AttemptID, &amount, &currency, &status, &r.Kind, &r.Reason,
		&r.GatewayRef, &r.Failure, &created, &updated)
	if err != nil {
		return r, err
	}
	r.Status = order.RefundStatus(status)
	r.CreatedAt, r.UpdatedAt = fromMS(created), fromMS(updated)
	r.Amount, err = money.Parse(amount, currency)
	return r, err
}

// Refunds implements order.Store.
func (s *DB) Refunds(ctx context.Context, orderID string) ([]order.Refund, error) {
	return loadRefunds(ctx, s.rq, orderID)
}

func (t *txn) Refunds(orderID string) ([]order.Refund, error) {
	return loadRefunds(t.ctx, t.q, orderID)
}

func (t *txn) InsertRefund(r *order.Refund) error {
	t.touch(r.OrderID)
	_, err := t.q.ExecContext(t.ctx, "INSERT INTO refunds ("+refundCols+", amount_minor) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
		r.ID, r.OrderID, r.AttemptID, r.Amount.String(), r.Amount.Currency().Code, string(r.Status), r.Kind, r.Reason,
		r.GatewayRef, r.Failure, ms(r.CreatedAt), ms(r.UpdatedAt), r.Amount.Minor())
	return err
}

func (t *txn) UpdateRefund(r *order.Refund) error {
	t.touch(r.OrderID)
	res, err := t.q.ExecContext(t.ctx, "UPDATE refunds SET status = ?, kind = ?, gateway_ref = ?, failure = ?, updated_at = ? WHERE id = ?",
		string(r.Status), r.Kind, r.GatewayRef, r.Failure, ms(r.UpdatedAt), r.ID)
	return mustAffect(res, err)
}
