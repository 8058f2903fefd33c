// Package dbtest gives tests the database they run on, so that a package's whole suite runs
// on SQLite and again on PostgreSQL: Main runs the tests once per database, and DB names a
// fresh one of the current run (a SQLite file in the test's temporary folder, or a new schema
// of the PostgreSQL that CHECKOUT_TEST_POSTGRES names, dropped when the test ends). The value
// DB returns is what CHECKOUT_DB takes, so store.Open, the binary and two nodes of one
// database all start from it. scripts/test.sh starts a PostgreSQL and sets the variable;
// without it the PostgreSQL runs are skipped (and say so), except under CI (CI set), where
// that fails.
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// Env is the variable naming the test PostgreSQL server (a postgres:// URL of a role allowed
// to create schemas).
const Env = "CHECKOUT_TEST_POSTGRES"

// Kinds of database.
const (
	SQLite   = "sqlite"
	Postgres = "postgres"
)

var kind = SQLite

// Kind is the database of the current run.
func Kind() string { return kind }

// Main runs the package's tests on SQLite, then on PostgreSQL when Env is set, and returns
// the exit code for os.Exit: func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }. A test's
// log says which run it is in when it fails (DB logs it).
func Main(m *testing.M) int {
	code := m.Run()
	if os.Getenv(Env) == "" {
		if os.Getenv("CI") != "" {
			fmt.Printf("dbtest: %s not set under CI: scripts/test.sh starts a PostgreSQL and sets it\n", Env)
			return 1
		}
		fmt.Printf("dbtest: %s not set: the PostgreSQL run is skipped\n", Env)
		return code
	}
	kind = Postgres
	if c := m.Run(); c != 0 {
		code = c
	}
	return code
}

// DB returns a fresh, empty database of the current run, as a CHECKOUT_DB value.
func DB(t testing.TB) string {
	t.Helper()
	t.Logf("database: %s", kind)
	if kind == Postgres {
		return PostgresDB(t)
	}
	return filepath.Join(t.TempDir(), "t.db")
}

var (
	adminOnce sync.Once
	admin     *sql.DB
	adminErr  error
)

// PostgresDB returns a postgres:// CHECKOUT_DB value naming a new schema of the test server
// (search_path), dropped with everything in it when the test ends; the test is skipped when
// Env is not set. Every store opened on it shares one database: two of them are two nodes.
func PostgresDB(t testing.TB) string {
	t.Helper()
	base := os.Getenv(Env)
	if base == "" && os.Getenv("CI") != "" {
		t.Fatalf("%s not set under CI: scripts/test.sh starts a PostgreSQL and sets it", Env)
	}
	if base == "" {
		t.Skipf("%s not set: no PostgreSQL to test against (scripts/test.sh starts one)", Env)
	}
	adminOnce.Do(func() {
		admin, adminErr = sql.Open("pgx", base)
		if adminErr == nil {
			admin.SetMaxOpenConns(2)
			adminErr = admin.Ping()
		}
	})
	if adminErr != nil {
		t.Fatalf("dbtest: %s: %v", Env, adminErr)
	}
	schema := "t_" + strings.ToLower(rand.Text()[:16])
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("dbtest: create schema: %v", err)
	}
	t.Cleanup(func() {
		if _, err := admin.ExecContext(context.Background(), "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("dbtest: drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("dbtest: %s: %v", Env, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}
