package store

import (
	"context"
	"database/sql"
	"errors"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
	_ "modernc.org/sqlite"             // the "sqlite" database/sql driver
)

// dialect is all that differs between SQLite and PostgreSQL. Every statement of the package is
// written once, in the SQL both accept, with ? placeholders; the dialect rewrites it for its
// driver (sql) and supplies the few statements that cannot be shared.
type dialect struct {
	name       string // "sqlite" or "postgres"
	driver     string // the database/sql driver
	migrations string // the folder of the embedded migrations
	// lockWrites runs first in every write transaction ("" when BEGIN already serializes them).
	lockWrites string
	// skipLocked ends a claim's SELECT of due work: rows another node is claiming are passed by.
	skipLocked string
	// nextSeq is the statement that gives a new attempt its seq.
	nextSeq string
	// prepare: keep prepared statements in the stmts cache (pgx caches statements itself).
	prepare bool
	// claims: due work is claimed for one node (claims.go); SQLite has one process per file.
	claims bool
}

var sqliteDialect = &dialect{
	name: "sqlite", driver: "sqlite", migrations: "migrations", prepare: true,
	// Writes are serialized on one connection, so max(seq)+1 is unique (and UNIQUE enforces it).
	nextSeq: "SELECT coalesce(max(seq), 0) + 1 FROM attempts",
}

// postgresDialect: every write transaction first takes one transaction-level advisory lock
// (per schema, so two installations in one database do not wait for each other). That is
// SQLite's single writer (BEGIN IMMEDIATE) across every node: the order service's invariants
// (one paid transition, one outbox row, refunds never above the paid amount, a reference held
// once) were proven under serialized writes, and stay proven without a second proof. Nodes
// add capacity for reads, pages and gateway calls, which is where a checkout spends its time;
// commits stay one at a time, as on SQLite. See the package comment.
var postgresDialect = &dialect{
	name: "postgres", driver: "pgx", migrations: "migrations/postgres",
	lockWrites: "SELECT pg_advisory_xact_lock(7415230, hashtext(current_schema()))",
	skipLocked: " FOR UPDATE SKIP LOCKED",
	claims:     true,
	nextSeq:    "SELECT nextval('attempts_seq')",
}

// dialectFor picks the dialect of a CHECKOUT_DB value and the driver's data source name:
// postgres:// or postgresql:// is PostgreSQL, anything else a SQLite file (an optional
// sqlite: prefix is dropped, as `checkout copy --from sqlite:FILE` spells it).
func dialectFor(db string) (*dialect, string) {
	if strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://") {
		return postgresDialect, db
	}
	return sqliteDialect, strings.TrimPrefix(db, "sqlite:")
}

// IsPostgres reports whether a CHECKOUT_DB value names a PostgreSQL database.
func IsPostgres(db string) bool {
	d, _ := dialectFor(db)
	return d == postgresDialect
}

var indexedBy = regexp.MustCompile(`\s+INDEXED BY \w+`)

// sql rewrites a statement for the dialect: on PostgreSQL ? becomes $1, $2… (outside quoted
// strings) and SQLite's index hints go.
func (d *dialect) sql(q string) string {
	if d != postgresDialect {
		return q
	}
	q = indexedBy.ReplaceAllString(q, "")
	if !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	n, quoted := 0, false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case c == '\'':
			quoted = !quoted
		case c == '?' && !quoted:
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// claimRows makes a claim's SELECT of due rows pass by rows another node is claiming.
func (d *dialect) claimRows(q string) string { return q + d.skipLocked }

// isUniqueViolation reports whether err is a UNIQUE constraint failing, in either dialect.
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	var pg *pgconn.PgError
	if errors.As(err, &pg) {
		return pg.Code == "23505"
	}
	return strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// conn is a pool that speaks the dialect: every statement goes through dialect.sql.
type conn struct {
	*sql.DB
	d *dialect
}

func (c conn) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	return c.DB.QueryContext(ctx, c.d.sql(query), args...)
}

func (c conn) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	return c.DB.QueryRowContext(ctx, c.d.sql(query), args...)
}

func (c conn) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	return c.DB.ExecContext(ctx, c.d.sql(query), args...)
}

// Redact is a CHECKOUT_DB value fit for logs and output: a PostgreSQL URL's password masked.
func Redact(db string) string {
	if !IsPostgres(db) {
		return db
	}
	u, err := url.Parse(db)
	if err != nil {
		return "postgres://(unreadable URL)"
	}
	return u.Redacted()
}
