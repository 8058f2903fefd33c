-- The console's totals (count and sum per currency, of one status or of all) at a million
-- orders: kept per (status, currency) by triggers on orders, so that OrderTotals reads a few
-- rows instead of summing the table (issue #11: 0.5-2.3 s at 1M). Every write path is covered
-- because the database keeps it, not the code. `checkout copy` leaves it out: the target's
-- triggers rebuild it as the orders arrive.
CREATE TABLE order_totals (
    status    TEXT NOT NULL,
    currency  TEXT NOT NULL,
    count     INTEGER NOT NULL,
    sum_minor INTEGER NOT NULL,
    PRIMARY KEY (status, currency)
);
INSERT INTO order_totals (status, currency, count, sum_minor)
    SELECT status, currency, count(*), coalesce(sum(amount_minor), 0) FROM orders GROUP BY status, currency;

CREATE TRIGGER order_totals_insert AFTER INSERT ON orders BEGIN
    INSERT INTO order_totals (status, currency, count, sum_minor) VALUES (NEW.status, NEW.currency, 1, NEW.amount_minor)
        ON CONFLICT (status, currency) DO UPDATE SET count = count + 1, sum_minor = sum_minor + excluded.sum_minor;
END;

CREATE TRIGGER order_totals_update AFTER UPDATE OF status, currency, amount_minor ON orders
    WHEN OLD.status <> NEW.status OR OLD.currency <> NEW.currency OR OLD.amount_minor <> NEW.amount_minor BEGIN
    UPDATE order_totals SET count = count - 1, sum_minor = sum_minor - OLD.amount_minor
        WHERE status = OLD.status AND currency = OLD.currency;
    INSERT INTO order_totals (status, currency, count, sum_minor) VALUES (NEW.status, NEW.currency, 1, NEW.amount_minor)
        ON CONFLICT (status, currency) DO UPDATE SET count = count + 1, sum_minor = sum_minor + excluded.sum_minor;
END;

CREATE TRIGGER order_totals_delete AFTER DELETE ON orders BEGIN
    UPDATE order_totals SET count = count - 1, sum_minor = sum_minor - OLD.amount_minor
        WHERE status = OLD.status AND currency = OLD.currency;
END;

-- With triggers on orders, SQLite plans an order insert with the foreign-key look-ups of its
-- children; idempotency_keys had no index on order_id, so that one would scan (TestQueryPlans).
CREATE INDEX idempotency_keys_order ON idempotency_keys (order_id);
