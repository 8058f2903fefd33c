-- The console's totals per (status, currency), kept by a trigger on orders (see the SQLite
-- migration of the same number).
CREATE TABLE order_totals (
    status    TEXT NOT NULL,
    currency  TEXT NOT NULL,
    count     BIGINT NOT NULL,
    sum_minor BIGINT NOT NULL,
    PRIMARY KEY (status, currency)
);
INSERT INTO order_totals (status, currency, count, sum_minor)
    SELECT status, currency, count(*), coalesce(sum(amount_minor), 0) FROM orders GROUP BY status, currency;

CREATE FUNCTION order_totals_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE order_totals SET count = count - 1, sum_minor = sum_minor - OLD.amount_minor
            WHERE status = OLD.status AND currency = OLD.currency;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO order_totals (status, currency, count, sum_minor) VALUES (NEW.status, NEW.currency, 1, NEW.amount_minor)
            ON CONFLICT (status, currency) DO UPDATE
            SET count = order_totals.count + 1, sum_minor = order_totals.sum_minor + EXCLUDED.sum_minor;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER order_totals_insert_delete AFTER INSERT OR DELETE ON orders
    FOR EACH ROW EXECUTE FUNCTION order_totals_keep();
CREATE TRIGGER order_totals_update AFTER UPDATE OF status, currency, amount_minor ON orders
    FOR EACH ROW WHEN (OLD.status <> NEW.status OR OLD.currency <> NEW.currency OR OLD.amount_minor <> NEW.amount_minor)
    EXECUTE FUNCTION order_totals_keep();
