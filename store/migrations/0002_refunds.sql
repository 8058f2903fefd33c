-- Refunds: reserved as pending before the gateway is asked, so concurrent refunds can never
-- add up to more than was paid.
CREATE TABLE refunds (
    id           TEXT PRIMARY KEY,
    order_id     TEXT NOT NULL REFERENCES orders (id),
    attempt_id   TEXT NOT NULL REFERENCES attempts (id),
    amount       TEXT NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    currency     TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('pending','succeeded','failed')),
    kind         TEXT NOT NULL DEFAULT 'refund' CHECK (kind IN ('refund','void')),
    reason       TEXT NOT NULL DEFAULT '',
    gateway_ref  TEXT NOT NULL DEFAULT '',
    failure      TEXT NOT NULL DEFAULT '',
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL
);
CREATE INDEX refunds_order ON refunds (order_id, created_at);
