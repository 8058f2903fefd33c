-- The console's order list at a million orders: its most used filter, newest first within it,
-- and the totals above the list (count and sum per currency of a status) without the table.
CREATE INDEX orders_status_created ON orders (status, created_at, id);
CREATE INDEX orders_status_totals ON orders (status, currency, amount_minor);
