package store

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// stmts prepares each statement once per pool and keeps it, so SQLite parses the hot queries
// once per connection instead of on every call (database/sql re-prepares a *sql.Stmt on a
// connection only the first time it meets it). Statements are keyed by their text; every
// statement in this package is a constant, so the set is small and fixed (maxStmts guards
// against a future caller building them at run time). On PostgreSQL nothing is kept here: pgx
// prepares and caches statements per connection itself.
type stmts struct {
	db conn
	mu sync.RWMutex
	m  map[string]*sql.Stmt
}

const maxStmts = 128

func newStmts(db conn) *stmts { return &stmts{db: db, m: map[string]*sql.Stmt{}} }

// lookup returns the statement prepared for query, or nil.
func (c *stmts) lookup(query string) *sql.Stmt {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.m[query]
}

// get returns the prepared statement for query, preparing it on first use, or nil when it
// could not be prepared or the cache is full: the caller then runs the query unprepared (which
// reports the same error). Preparing takes a connection of the pool: never call get while
// holding the writer's only connection (in a transaction); see txStmts.
func (c *stmts) get(ctx context.Context, query string) *sql.Stmt {
	if !c.db.d.prepare {
		return nil
	}
	if st := c.lookup(query); st != nil {
		return st
	}
	c.mu.RLock()
	full := len(c.m) >= maxStmts
	c.mu.RUnlock()
	if full {
		return nil
	}
	// Prepare without holding the lock: preparing waits for a connection, and a transaction
	// holding the writer's connection may need lookup meanwhile.
	st, err := c.db.PrepareContext(ctx, c.db.d.sql(query))
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if prev := c.m[query]; prev != nil {
		st.Close() // prepared twice at once: keep the first
		return prev
	}
	c.m[query] = st
	return st
}

func (c *stmts) close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	for q, st := range c.m {
		errs = append(errs, st.Close())
		delete(c.m, q)
	}
	return errors.Join(errs...)
}

func (c *stmts) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := c.get(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return c.db.QueryContext(ctx, query, args...)
}

func (c *stmts) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := c.get(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return c.db.QueryRowContext(ctx, query, args...)
}

func (c *stmts) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := c.get(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return c.db.ExecContext(ctx, query, args...)
}

// in is the cache seen from inside tx: tx.StmtContext reuses the statement already prepared
// on the transaction's connection (the writer pool has exactly one). A statement not prepared
// yet runs unprepared and is noted; prepareMissed prepares it once the transaction is over,
// because preparing needs the connection the transaction holds.
func (c *stmts) in(tx *sql.Tx) *txStmts { return &txStmts{tx: tx, c: c} }

type txStmts struct {
	tx     *sql.Tx
	c      *stmts
	missed []string
}

func (t *txStmts) stmt(ctx context.Context, query string) *sql.Stmt {
	if st := t.c.lookup(query); st != nil {
		return t.tx.StmtContext(ctx, st)
	}
	if t.c.db.d.prepare {
		t.missed = append(t.missed, query)
	}
	return nil
}

// prepareMissed prepares the statements the transaction ran unprepared; call it after the
// transaction ended.
func (t *txStmts) prepareMissed(ctx context.Context) {
	for _, q := range t.missed {
		t.c.get(ctx, q)
	}
	t.missed = nil
}

func (t *txStmts) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := t.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return t.tx.QueryContext(ctx, t.c.db.d.sql(query), args...)
}

func (t *txStmts) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := t.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return t.tx.QueryRowContext(ctx, t.c.db.d.sql(query), args...)
}

func (t *txStmts) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := t.stmt(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return t.tx.ExecContext(ctx, t.c.db.d.sql(query), args...)
}
