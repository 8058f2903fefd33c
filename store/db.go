// Package store keeps orders, attempts, their timeline, API keys, settings and the webhook
// outbox in SQLite (one file, modernc.org/sqlite: the default) or PostgreSQL (pgx, for several
// nodes behind a load balancer), with embedded numbered migrations.
//
// One store, two dialects, decided on purpose: DB is the only implementation of order.Store,
// webhook.Outbox and the console's reads. Every statement is written once in the SQL both
// databases accept, with ? placeholders; dialect.sql rewrites it for pgx ($1, $2…), and the
// dialect holds the few things that differ (dialect.go): how a write transaction is serialized,
// how an attempt gets its seq, SKIP LOCKED in claims. The columns are the same in both schemas
// (TestSchemasMatch): amounts are TEXT at the currency's exact scale beside an integer in minor
// units for SQL to sum (never a float, never NUMERIC arithmetic on the way out), times are
// integer unix milliseconds (BIGINT), flags 0/1 integers, BLOBs BYTEA. PostgreSQL adds one
// column SQLite has implicitly: rowid, the insertion order a few lists break ties with. Each
// dialect has its migration list (migrations/*.sql, migrations/postgres/*.sql), numbered alike:
// PostgreSQL's starts at 0010, the schema SQLite had reached by then.
//
// Writes are serialized in both: SQLite has one writer connection and IMMEDIATE transactions;
// on PostgreSQL every write transaction first takes one advisory transaction lock, so any number
// of nodes on one database commit one write transaction at a time, exactly as one SQLite file
// does, and every race the order service wins on SQLite it wins across nodes. Reads never wait
// for it. Background work (expiry, the reconcilers, webhook delivery) is claimed with a lease
// (claims.go), so N nodes never do the same job at once and a dead node's job comes back when
// its lease ends.
//
// SQLite durability, decided on purpose: WAL with synchronous=FULL. Money-moving commits (a payment
// recorded as paid, a refund's gateway id, the webhook the gateway was answered 200 for) must
// survive a power loss: once we acknowledged a gateway's notification it will not send it again.
// With WAL, synchronous=NORMAL syncs only at checkpoints, so a power loss can take back the last
// commits (the file stays consistent, but they are gone); FULL syncs the WAL at every commit.
// Measured with BenchmarkOrderWrite (one order and its event per write transaction, as Create
// commits them) on the shared 2-core build machine with other test suites running, ext4 on a
// virtual disk, go test -run '^$' -bench OrderWrite -benchtime 2000x -count 3 ./store/:
// FULL 0.73, 1.80 and 5.54 ms/op; NORMAL 1.10, 1.29 and 1.40 ms/op. The noise of the shared
// machine is larger than the difference; at the worst FULL figure the single writer still
// commits ~180 orders a second, far above what one hosted checkout takes. So FULL, for every
// write. Re-measure on the production disk before revisiting.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations/*.sql migrations/postgres/*.sql
var migrations embed.FS

// DB is the store, on SQLite or PostgreSQL (Open decides). On SQLite writes go through one
// connection, so write transactions never fight for the lock, and reads use a pool beside it
// (WAL lets them run during a write). On PostgreSQL both are one pool.
type DB struct {
	d      *dialect
	w, r   conn
	wq, rq *stmts    // prepared statements of each pool
	path   string    // the SQLite file ("" on PostgreSQL)
	ver    *versions // orders' change counters (SQLite only; see versions)
	// writerWait, when set, hears how long each write transaction waited to begin (metrics).
	writerWait func(time.Duration)
}

// Dialect names the database: "sqlite" or "postgres".
func (s *DB) Dialect() string { return s.d.name }

// DSN is the connection string the store opens path with: the writer's (one connection,
// IMMEDIATE transactions) or the readers' (query_only). scripts/bench uses it so that its raw
// SQLite baseline runs on exactly the same file settings.
func DSN(path string, writer bool) string {
	q := url.Values{}
	// busy_timeout first, so the pragmas after it wait instead of failing.
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)") // see the package comment: money-moving commits survive power loss
	q.Add("_pragma", "foreign_keys(ON)")
	if writer {
		q.Set("_txlock", "immediate")
	} else {
		q.Add("_pragma", "query_only(1)")
	}
	return "file:" + path + "?" + q.Encode()
}

// Open opens the database CHECKOUT_DB names and applies pending migrations: a postgres:// or
// postgresql:// URL is PostgreSQL; anything else is a SQLite file (created with its folder;
// an optional sqlite: prefix is dropped).
func Open(ctx context.Context, db string) (*DB, error) {
	d, dsn := dialectFor(db)
	if d == postgresDialect {
		return openPostgres(ctx, dsn)
	}
	return openSQLite(ctx, dsn)
}

func openSQLite(ctx context.Context, path string) (*DB, error) {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("store: create %s: %w", dir, err)
		}
	}
	w, err := sql.Open("sqlite", DSN(path, true))
	if err != nil {
		return nil, fmt.Errorf("store: open: %w", err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	if err := w.PingContext(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	s := &DB{d: sqliteDialect, w: conn{w, sqliteDialect}, path: path, ver: newVersions()}
	if err := s.migrate(ctx); err != nil {
		w.Close()
		return nil, err
	}
	r, err := sql.Open("sqlite", DSN(path, false))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("store: open readers: %w", err)
	}
	r.SetMaxOpenConns(4)
	s.r = conn{r, sqliteDialect}
	s.rq, s.wq = newStmts(s.r), newStmts(s.w)
	return s, nil
}

// postgresConns is each node's pool size. Write transactions queue on the advisory lock, not
// on the pool, so a few connections are enough for a node's reads and its one writer at a time.
const postgresConns = 16

func openPostgres(ctx context.Context, dsn string) (*DB, error) {
	p, err := sql.Open(postgresDialect.driver, dsn)
	if err != nil {
		return nil, fmt.Errorf("store: open: %w", err)
	}
	p.SetMaxOpenConns(postgresConns)
	p.SetMaxIdleConns(postgresConns)
	p.SetConnMaxIdleTime(5 * time.Minute)
	if err := p.PingContext(ctx); err != nil {
		p.Close()
		return nil, fmt.Errorf("store: open postgres: %w", err) // pgx errors carry no password
	}
	c := conn{p, postgresDialect}
	s := &DB{d: postgresDialect, w: c, r: c}
	if err := s.migrate(ctx); err != nil {
		p.Close()
		return nil, err
	}
	s.wq = newStmts(c)
	s.rq = s.wq
	return s, nil
}

// Close closes the pools.
func (s *DB) Close() error {
	if s.d == postgresDialect {
		return s.w.Close()
	}
	return errors.Join(s.rq.close(), s.wq.close(), s.r.Close(), s.w.Close())
}

// Ping checks that the database answers a read and a write-capable connection.
func (s *DB) Ping(ctx context.Context) error {
	var one int
	if err := s.r.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("store: read: %w", err)
	}
	return s.w.PingContext(ctx)
}

// CheckWrite proves the database can be written: one real write, through the writer pool, of
// the single row of the health_probe scratch table. A full disk, a read-only file or a lock
// held past busy_timeout fails it.
func (s *DB) CheckWrite(ctx context.Context) error {
	if _, err := s.w.ExecContext(ctx, `INSERT INTO health_probe (id, at) VALUES (1, ?)
		ON CONFLICT (id) DO UPDATE SET at = excluded.at`, time.Now().UnixMilli()); err != nil {
		return fmt.Errorf("store: write: %w", err)
	}
	return nil
}

// migrationLock keeps two nodes starting at once on one PostgreSQL database from applying the
// same migration twice (a session advisory lock, held while migrating).
const (
	migrationLock   = "SELECT pg_advisory_lock(7415231, hashtext(current_schema()))"
	migrationUnlock = "SELECT pg_advisory_unlock(7415231, hashtext(current_schema()))"
)

// migrate applies, in order, every embedded migration of the dialect not applied yet, each in
// its own transaction. Files are named NNNN_name.sql.
func (s *DB) migrate(ctx context.Context) error {
	c, err := s.w.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: migrations: %w", err)
	}
	defer c.Close()
	if s.d == postgresDialect {
		if _, err := c.ExecContext(ctx, migrationLock); err != nil {
			return fmt.Errorf("store: migration lock: %w", err)
		}
		defer c.ExecContext(context.WithoutCancel(ctx), migrationUnlock)
	}
	if _, err := c.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`); err != nil {
		return fmt.Errorf("store: migrations table: %w", err)
	}
	files, err := fs.Glob(migrations, s.d.migrations+"/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(files)
	// What is applied already is read once, without a write transaction: a start on a
	// migrated database (every start but the first) takes no write lock here.
	applied, err := queryAll(ctx, c, scanValue[int], "SELECT version FROM schema_migrations")
	if err != nil {
		return fmt.Errorf("store: migrations: %w", err)
	}
	for _, f := range files {
		name := path.Base(f)
		num, _, ok := strings.Cut(name, "_")
		version, err := strconv.Atoi(num)
		if !ok || err != nil {
			return fmt.Errorf("store: migration %s: name must start with a number and _", name)
		}
		if slices.Contains(applied, version) {
			continue
		}
		body, err := migrations.ReadFile(f)
		if err != nil {
			return err
		}
		// Checked again inside the transaction: on SQLite the writer begins IMMEDIATE, so a
		// second process on a new file waits here for the first one's migration and then sees
		// it applied (on PostgreSQL the advisory lock above already orders them).
		tx, err := c.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		var done int
		if err := tx.QueryRowContext(ctx, s.d.sql("SELECT count(*) FROM schema_migrations WHERE version = ?"), version).Scan(&done); err != nil {
			tx.Rollback()
			return err
		}
		if done > 0 {
			tx.Rollback()
			continue
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			tx.Rollback()
			return fmt.Errorf("store: migration %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, s.d.sql("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)"),
			version, name, time.Now().UnixMilli()); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("store: migration %s: %w", name, err)
		}
	}
	return nil
}

// SchemaVersion returns the highest applied migration.
func (s *DB) SchemaVersion(ctx context.Context) (int, error) {
	var v sql.NullInt64
	err := s.r.QueryRowContext(ctx, "SELECT max(version) FROM schema_migrations").Scan(&v)
	return int(v.Int64), err
}

// Backup writes a consistent copy of the live database to path (VACUUM INTO), which must
// not exist yet. It runs on the writer connection: the readers are query_only, and SQLite
// refuses VACUUM INTO there ("attempt to write a readonly database"). PostgreSQL is backed up
// with its own tools (pg_dump, base backups), not by the checkout.
func (s *DB) Backup(ctx context.Context, path string) error {
	if s.d != sqliteDialect {
		return errors.New("store: backup: the checkout backs up SQLite; back PostgreSQL up with pg_dump")
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("store: backup: %s already exists", path)
	}
	if _, err := s.w.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		return fmt.Errorf("store: backup: %w", err)
	}
	return nil
}

func ms(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

func fromMS(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMilli(v).UTC()
}
