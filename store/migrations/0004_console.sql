-- The merchant console: its users, API keys with a name and a last-used time, and the first
-- bytes of each webhook delivery's answer.

CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    password_hash TEXT NOT NULL,
    created_at    INTEGER NOT NULL,
    last_login_at INTEGER NOT NULL DEFAULT 0
);

ALTER TABLE api_keys ADD COLUMN last_used_at INTEGER NOT NULL DEFAULT 0;
-- The last characters of the key, so a merchant can tell keys apart without the secret.
ALTER TABLE api_keys ADD COLUMN hint TEXT NOT NULL DEFAULT '';

ALTER TABLE deliveries ADD COLUMN response TEXT NOT NULL DEFAULT '';
CREATE INDEX outbox_created ON outbox (created_at, id);
CREATE INDEX orders_created ON orders (created_at, id);
CREATE INDEX orders_paid ON orders (paid_at) WHERE paid_at > 0;
CREATE INDEX orders_review ON orders (needs_review) WHERE needs_review = 1;
