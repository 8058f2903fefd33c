-- The expiry worker's look for due orders by (status, expires_at), as in the SQLite migration of
-- the same number: only the due rows of each status are read.
DROP INDEX orders_due_expiry;
CREATE INDEX orders_due_expiry ON orders (status, expires_at) WHERE status IN ('open','processing');
