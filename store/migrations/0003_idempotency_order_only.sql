-- An Idempotency-Key keeps the request's hash and the order it created; the answer is rendered
-- again from the order as created (order.Order.AsCreated), so the stored status and body go.
ALTER TABLE idempotency_keys DROP COLUMN status;
ALTER TABLE idempotency_keys DROP COLUMN body;
