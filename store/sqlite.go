// Package store keeps orders, attempts, their timeline, API keys, settings and the webhook
// outbox in one SQLite file (modernc.org/sqlite), with embedded numbered migrations.
//
// Durability, decided on purpose: WAL with synchronous=FULL. Money-moving commits (a payment
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
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver
)

//go:embed migrations/*.sql
var migrations embed.FS

// SQLite is the store. Writes go through one connection, so write transactions never fight
// for the lock; reads use a pool beside it (WAL lets them run during a write).
type SQLite struct {
	w, r   *sql.DB
	wq, rq *stmts // prepared statements of each pool
	path   string
	// writerWait, when set, hears how long each write transaction waited to begin (metrics).
	writerWait func(time.Duration)
}

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

// Open opens (creating when needed) the database file and applies pending migrations.
func Open(ctx context.Context, path string) (*SQLite, error) {
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
	s := &SQLite{w: w, path: path}
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
	s.r = r
	s.rq, s.wq = newStmts(r), newStmts(w)
	return s, nil
}

// Close closes both pools.
func (s *SQLite) Close() error {
	return errors.Join(s.rq.close(), s.wq.close(), s.r.Close(), s.w.Close())
}

// Ping checks that the database answers a read and a write-capable connection.
func (s *SQLite) Ping(ctx context.Context) error {
	var one int
	if err := s.r.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("store: read: %w", err)
	}
	return s.w.PingContext(ctx)
}

// CheckWrite proves the database can be written: one real write, through the writer pool, of
// the single row of the health_probe scratch table. A full disk, a read-only file or a lock
// held past busy_timeout fails it.
func (s *SQLite) CheckWrite(ctx context.Context) error {
	if _, err := s.w.ExecContext(ctx, `INSERT INTO health_probe (id, at) VALUES (1, ?)
		ON CONFLICT (id) DO UPDATE SET at = excluded.at`, time.Now().UnixMilli()); err != nil {
		return fmt.Errorf("store: write: %w", err)
	}
	return nil
}

// migrate applies, in order, every embedded migration not applied yet, each in its own
// transaction. Files are named NNNN_name.sql.
func (s *SQLite) migrate(ctx context.Context) error {
	if _, err := s.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)`); err != nil {
		return fmt.Errorf("store: migrations table: %w", err)
	}
	files, err := fs.Glob(migrations, "migrations/*.sql")
	if err != nil {
		return err
	}
	sort.Strings(files)
	for _, f := range files {
		name := filepath.Base(f)
		num, _, ok := strings.Cut(name, "_")
		version, err := strconv.Atoi(num)
		if !ok || err != nil {
			return fmt.Errorf("store: migration %s: name must start with a number and _", name)
		}
		var applied int
		if err := s.w.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations WHERE version = ?", version).Scan(&applied); err != nil {
			return err
		}
		if applied > 0 {
			continue
		}
		body, err := migrations.ReadFile(f)
		if err != nil {
			return err
		}
		tx, err := s.w.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, string(body)); err != nil {
			tx.Rollback()
			return fmt.Errorf("store: migration %s: %w", name, err)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
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
func (s *SQLite) SchemaVersion(ctx context.Context) (int, error) {
	var v sql.NullInt64
	err := s.r.QueryRowContext(ctx, "SELECT max(version) FROM schema_migrations").Scan(&v)
	return int(v.Int64), err
}

// Backup writes a consistent copy of the live database to path (VACUUM INTO), which must
// not exist yet. It runs on the writer connection: the readers are query_only, and SQLite
// refuses VACUUM INTO there ("attempt to write a readonly database").
func (s *SQLite) Backup(ctx context.Context, path string) error {
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
