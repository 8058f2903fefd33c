-- An order's webhook messages (OutboxFor, the admin page) without scanning the whole outbox.
CREATE INDEX outbox_order ON outbox (order_id, created_at);
