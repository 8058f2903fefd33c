-- A scratch table /healthz writes one row of, to prove the database can still be written
-- (a full disk or a read-only file fails it while reads still work).
CREATE TABLE health_probe (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    at INTEGER NOT NULL
);
