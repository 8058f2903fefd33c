-- Payment links (/l/{id}): a merchant without a shop sells through a link; every Continue on
-- the link makes a real order that names the link (orders.payment_link).
CREATE TABLE payment_links (
    id           TEXT PRIMARY KEY,
    currency     TEXT NOT NULL,
    amount       TEXT NOT NULL DEFAULT '',   -- fixed amount at the currency's scale; '' when the shopper enters it
    min_amount   TEXT NOT NULL DEFAULT '',   -- bounds of a shopper-entered amount
    max_amount   TEXT NOT NULL DEFAULT '',
    description  TEXT NOT NULL,
    items        TEXT NOT NULL DEFAULT '[]',
    locale       TEXT NOT NULL DEFAULT '',
    single_use   INTEGER NOT NULL DEFAULT 0,
    max_payments INTEGER NOT NULL DEFAULT 0, -- 0: no limit
    collect      TEXT NOT NULL DEFAULT '[]', -- fields asked of the shopper: name, phone, email
    return_url   TEXT NOT NULL DEFAULT '',
    webhook_url  TEXT NOT NULL DEFAULT '',
    metadata     TEXT NOT NULL DEFAULT '{}',
    expires_at   INTEGER NOT NULL DEFAULT 0, -- 0: never
    deactivated_at INTEGER NOT NULL DEFAULT 0,
    orders_made  INTEGER NOT NULL DEFAULT 0, -- n of the last order's reference link:{id}:{n}
    views        INTEGER NOT NULL DEFAULT 0,
    created_at   INTEGER NOT NULL
);
CREATE INDEX payment_links_created ON payment_links (created_at);

ALTER TABLE orders ADD COLUMN payment_link TEXT NOT NULL DEFAULT '';
CREATE INDEX orders_payment_link ON orders (payment_link, status) WHERE payment_link <> '';

-- Idempotency-Key of POST /api/v1/payment_links, as idempotency_keys is for orders.
CREATE TABLE payment_link_keys (
    scope        TEXT NOT NULL,
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    link_id      TEXT NOT NULL REFERENCES payment_links (id),
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (scope, key)
);
