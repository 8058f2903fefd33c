package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Restored is what Restore did.
type Restored struct {
	SchemaVersion int    // after the migrations this binary adds
	Orders        int    // orders in the restored database
	Kept          string // where the database it replaced was saved; "" when there was none
}

// Restore puts the backup from (a file `checkout backup` wrote) in place of the SQLite
// database db (a CHECKOUT_DB value). The server must be stopped: the file is replaced under it.
//
// Decided on purpose, so that a restore can never make things worse:
//   - the backup is checked first (opened read-only: PRAGMA integrity_check must say ok, it
//     must have our schema_migrations, at a version this binary knows); a bad backup changes
//     nothing;
//   - a database already at db is not deleted: it is first copied whole (VACUUM INTO, so its
//     WAL's last commits come along) to db.before-restore-TIMESTAMP, then removed with its
//     -wal and -shm files, which belong to it and would corrupt the restored file;
//   - the backup is copied beside db and synced, then renamed over it (never half a file at
//     db), and the directory is synced;
//   - the result is opened as the server opens it (newer migrations apply) and checked again.
func Restore(ctx context.Context, from, db string) (Restored, error) {
	d, dst := dialectFor(db)
	if d != sqliteDialect {
		return Restored{}, errors.New("store: restore: the checkout restores SQLite; restore PostgreSQL with pg_restore")
	}
	if err := checkBackup(ctx, from); err != nil {
		return Restored{}, fmt.Errorf("store: restore: %s: %w", from, err)
	}
	var out Restored
	if _, err := os.Stat(dst); err == nil {
		out.Kept = dst + ".before-restore-" + time.Now().UTC().Format("20060102T150405Z")
		cur, err := openSQLite(ctx, dst)
		if err != nil {
			return Restored{}, fmt.Errorf("store: restore: the database it replaces: %w", err)
		}
		err = cur.Backup(ctx, out.Kept)
		cur.Close()
		if err != nil {
			return Restored{}, fmt.Errorf("store: restore: keeping the database it replaces: %w", err)
		}
		for _, f := range []string{dst, dst + "-wal", dst + "-shm"} {
			if err := os.Remove(f); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return Restored{}, fmt.Errorf("store: restore: %w (the previous database is kept at %s)", err, out.Kept)
			}
		}
	} else if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return Restored{}, fmt.Errorf("store: restore: %w", err)
	}
	if err := copySynced(from, dst); err != nil {
		return Restored{}, fmt.Errorf("store: restore: %w", err)
	}
	s, err := openSQLite(ctx, dst)
	if err != nil {
		return Restored{}, fmt.Errorf("store: restore: opening the restored database: %w", err)
	}
	defer s.Close()
	if err := integrity(ctx, s.w.DB); err != nil {
		return Restored{}, fmt.Errorf("store: restore: the restored database: %w", err)
	}
	if out.SchemaVersion, err = s.SchemaVersion(ctx); err != nil {
		return Restored{}, err
	}
	if err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM orders").Scan(&out.Orders); err != nil {
		return Restored{}, err
	}
	return out, nil
}

// checkBackup opens a backup read-only and checks that it is whole and ours.
func checkBackup(ctx context.Context, file string) error {
	if _, err := os.Stat(file); err != nil {
		return err
	}
	b, err := sql.Open("sqlite", "file:"+file+"?mode=ro")
	if err != nil {
		return err
	}
	defer b.Close()
	if err := integrity(ctx, b); err != nil {
		return err
	}
	var v sql.NullInt64
	if err := b.QueryRowContext(ctx, "SELECT max(version) FROM schema_migrations").Scan(&v); err != nil || !v.Valid {
		return fmt.Errorf("not a Bawaba database (no schema_migrations): %v", err)
	}
	if latest := latestMigration(); int(v.Int64) > latest {
		return fmt.Errorf("made by a newer Bawaba (schema version %d, this binary knows up to %d)", v.Int64, latest)
	}
	return nil
}

// integrity runs PRAGMA integrity_check; anything but one "ok" row is an error.
func integrity(ctx context.Context, db *sql.DB) error {
	lines, err := queryAll(ctx, db, scanValue[string], "PRAGMA integrity_check")
	if err != nil {
		return fmt.Errorf("not a readable SQLite database: %w", err)
	}
	if len(lines) != 1 || lines[0] != "ok" {
		return fmt.Errorf("integrity_check failed: %s", strings.Join(lines, "; "))
	}
	return nil
}

// latestMigration is the highest SQLite migration this binary embeds.
func latestMigration() int {
	files, _ := fs.Glob(migrations, sqliteDialect.migrations+"/*.sql")
	latest := 0
	for _, f := range files {
		num, _, _ := strings.Cut(path.Base(f), "_")
		if v, err := strconv.Atoi(num); err == nil && v > latest {
			latest = v
		}
	}
	return latest
}

// copySynced copies from to dst through a synced temporary file beside dst, renamed over it.
func copySynced(from, dst string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	tmp := dst + ".restoring"
	out, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		os.Remove(tmp)
		return err
	}
	if err := errors.Join(out.Sync(), out.Close()); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, dst); err != nil {
		os.Remove(tmp)
		return err
	}
	dir, err := os.Open(filepath.Dir(dst))
	if err != nil {
		return err
	}
	defer dir.Close()
	return dir.Sync()
}
