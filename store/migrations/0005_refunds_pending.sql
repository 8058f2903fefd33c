-- The refund reconciler's question: pending refunds, least recently touched first.
CREATE INDEX IF NOT EXISTS refunds_pending ON refunds (updated_at) WHERE status = 'pending';
