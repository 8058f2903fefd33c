-- Background work is claimed before it is done (store/claims.go): one row per job, the due time
-- it was claimed for and until when the claiming node holds it. Every node runs the workers;
-- a claim keeps two from doing one job, and a lease that ends gives a dead node's job back.
CREATE TABLE work_claims (
    job         TEXT NOT NULL,   -- reconcile, expire, webhook, refund
    id          TEXT NOT NULL,   -- the attempt, order, outbox message or refund
    due         BIGINT NOT NULL,
    lease_until BIGINT NOT NULL,
    PRIMARY KEY (job, id)
);
