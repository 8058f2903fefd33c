-- Indexes for queries that scanned a table. An order's webhook messages (OutboxFor, the console):
CREATE INDEX outbox_order ON outbox (order_id, created_at);
-- The console's takings since a day (PaidSince) without scanning every order.
CREATE INDEX orders_paid_at ON orders (paid_at) WHERE paid_at > 0;
-- The console's failing endpoints (FailingEndpoints): only undelivered messages already tried.
CREATE INDEX outbox_failing ON outbox (url) WHERE delivered_at = 0 AND attempts > 0;
