-- Orders, their attempts, the timeline, idempotency keys, API keys, settings and the webhook outbox.
-- Amounts are TEXT at the currency's exact scale plus an INTEGER in minor units for SQL to sum/sort.
-- Times are INTEGER unix milliseconds (UTC).

CREATE TABLE orders (
    id           TEXT PRIMARY KEY,
    reference    TEXT NOT NULL DEFAULT '',
    amount       TEXT NOT NULL,
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    currency     TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    items        TEXT NOT NULL DEFAULT '[]',
    customer     TEXT NOT NULL DEFAULT '{}',
    locale       TEXT NOT NULL DEFAULT '',
    return_url   TEXT NOT NULL,
    cancel_url   TEXT NOT NULL DEFAULT '',
    webhook_url  TEXT NOT NULL DEFAULT '',
    methods      TEXT NOT NULL DEFAULT '[]',
    metadata     TEXT NOT NULL DEFAULT '{}',
    status       TEXT NOT NULL CHECK (status IN ('open','processing','paid','expired','cancelled','refunded','partially_refunded')),
    needs_review INTEGER NOT NULL DEFAULT 0,
    expires_at   INTEGER NOT NULL,
    created_at   INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    paid_at      INTEGER NOT NULL DEFAULT 0
);
-- One purchase, one payable order: at most one open or processing order per reference. (A paid
-- order also holds its reference: the order service checks that inside its serialized write. It
-- is not in this index because a late payment for an expired order must always be recorded, even
-- when a new order has taken the reference since.)
CREATE UNIQUE INDEX orders_reference_held ON orders (reference)
    WHERE reference <> '' AND status IN ('open','processing');
CREATE INDEX orders_reference ON orders (reference, created_at);
CREATE INDEX orders_due_expiry ON orders (expires_at) WHERE status IN ('open','processing');

CREATE TABLE attempts (
    id                TEXT PRIMARY KEY,
    seq               INTEGER NOT NULL UNIQUE, -- a stable integer id for gateways that want numbers
    order_id          TEXT NOT NULL REFERENCES orders (id),
    method            TEXT NOT NULL,
    gateway           TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('pending','authorized','paid','failed','cancelled','expired','unknown','voided','refunded')),
    payment_id        TEXT NOT NULL DEFAULT '',
    transaction_id    TEXT NOT NULL DEFAULT '',
    auth_code         TEXT NOT NULL DEFAULT '',
    bank_reference    TEXT NOT NULL DEFAULT '',
    track_id          TEXT NOT NULL DEFAULT '',
    reported_amount   TEXT NOT NULL DEFAULT '',
    reported_currency TEXT NOT NULL DEFAULT '',
    reported_minor    INTEGER NOT NULL DEFAULT 0,
    failure_reason    TEXT NOT NULL DEFAULT '',
    gateway_code      TEXT NOT NULL DEFAULT '',
    gateway_message   TEXT NOT NULL DEFAULT '',
    action            TEXT NOT NULL DEFAULT '{}',
    state             TEXT NOT NULL DEFAULT '{}',
    needs_review      INTEGER NOT NULL DEFAULT 0,
    checks            INTEGER NOT NULL DEFAULT 0,
    next_check_at     INTEGER NOT NULL DEFAULT 0,
    created_at        INTEGER NOT NULL,
    updated_at        INTEGER NOT NULL,
    finished_at       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX attempts_order ON attempts (order_id, created_at);
CREATE UNIQUE INDEX attempts_payment ON attempts (gateway, payment_id) WHERE payment_id <> '';
CREATE INDEX attempts_due ON attempts (next_check_at) WHERE next_check_at > 0;

CREATE TABLE events (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id   TEXT NOT NULL REFERENCES orders (id),
    attempt_id TEXT NOT NULL DEFAULT '',
    type       TEXT NOT NULL,
    data       TEXT NOT NULL DEFAULT '{}',
    created_at INTEGER NOT NULL
);
CREATE INDEX events_order ON events (order_id, id);

CREATE TABLE idempotency_keys (
    scope        TEXT NOT NULL,
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status       INTEGER NOT NULL,
    body         BLOB NOT NULL,
    order_id     TEXT NOT NULL REFERENCES orders (id),
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (scope, key)
);

CREATE TABLE api_keys (
    id         TEXT PRIMARY KEY,
    hash       TEXT NOT NULL UNIQUE,
    label      TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    revoked_at INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
);

-- Merchant webhooks, written in the same transaction as the change they announce.
CREATE TABLE outbox (
    id              TEXT PRIMARY KEY,
    order_id        TEXT NOT NULL REFERENCES orders (id),
    type            TEXT NOT NULL,
    url             TEXT NOT NULL,
    payload         BLOB NOT NULL,
    created_at      INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    delivered_at    INTEGER NOT NULL DEFAULT 0,
    failed_at       INTEGER NOT NULL DEFAULT 0,
    last_status     INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE delivered_at = 0 AND failed_at = 0;

CREATE TABLE deliveries (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id    TEXT NOT NULL REFERENCES outbox (id),
    attempted_at INTEGER NOT NULL,
    status_code INTEGER NOT NULL DEFAULT 0,
    duration_ms INTEGER NOT NULL,
    error       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX deliveries_event ON deliveries (event_id, id);
