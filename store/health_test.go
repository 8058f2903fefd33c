package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/bawaba/checkout/handlers"
	"github.com/bawaba/checkout/internal/dbtest"
)

// reopenWriterReadOnly swaps the writer for a connection SQLite opened read-only (mode=ro):
// what the store meets when its file or file system turns read-only under it (a remount
// read-only after disk errors). chmod would not do: CI runs as root, and root writes anyway.
func (s *DB) reopenWriterReadOnly(t *testing.T) {
	t.Helper()
	w, err := sql.Open("sqlite", "file:"+s.path+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		t.Fatal(err)
	}
	w.SetMaxOpenConns(1)
	if err := w.Ping(); err != nil {
		t.Fatal(err)
	}
	s.wq.close()
	s.w.Close()
	s.w = conn{w, sqliteDialect}
	s.wq = newStmts(s.w)
}

// /healthz and /readyz over a real store: 200 while it takes writes; 503 "read_only" once
// its file can only be read, although reads still answer (Ping).
func TestHealthReadOnlyDatabase(t *testing.T) {
	if dbtest.Kind() != dbtest.SQLite {
		t.Skip("a read-only reopen is SQLite's")
	}
	ctx := context.Background()
	s, err := Open(ctx, dbtest.DB(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	check := func(want int, database string) {
		t.Helper()
		// A fresh app each time: /healthz caches its write check for a few seconds.
		app := handlers.New(handlers.Deps{DB: s, Keys: s, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
		for _, p := range []string{"/healthz", "/readyz"} {
			res, err := app.Test(httptest.NewRequest("GET", p, nil), -1)
			if err != nil {
				t.Fatal(err)
			}
			var body struct{ Database string }
			if err := json.NewDecoder(res.Body).Decode(&body); err != nil {
				t.Fatal(err)
			}
			if res.StatusCode != want || body.Database != database {
				t.Errorf("%s: %d database %q, want %d %q", p, res.StatusCode, body.Database, want, database)
			}
		}
	}
	check(200, "ok")

	s.reopenWriterReadOnly(t)
	if err := s.Ping(ctx); err != nil {
		t.Fatalf("Ping on the read-only store: %v", err)
	}
	if err := s.CheckWrite(ctx); err == nil {
		t.Fatal("CheckWrite on a read-only database: no error")
	}
	check(503, "read_only")
}
