-- orders_paid_at (0007) is the same index as orders_paid (0004): every order write kept both.
DROP INDEX IF EXISTS orders_paid_at;
