package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/internal/dbtest"
	"github.com/bawaba/checkout/money"
	"github.com/bawaba/checkout/order"
)

// TestMain runs the package's tests on SQLite, then on PostgreSQL (internal/dbtest).
func TestMain(m *testing.M) { os.Exit(dbtest.Main(m)) }

// openTemp opens a fresh store of the run's database and returns it with its CHECKOUT_DB
// value (to open it again).
func openTemp(t *testing.T) (*DB, string) {
	t.Helper()
	db := dbtest.DB(t)
	s, err := Open(context.Background(), db)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s, db
}

// sqliteOnly skips a test of SQLite's own machinery (pragmas, query plans, VACUUM INTO) in the
// PostgreSQL run.
func sqliteOnly(t testing.TB) {
	t.Helper()
	if dbtest.Kind() != dbtest.SQLite {
		t.Skip("SQLite only")
	}
}

// pragma reads one PRAGMA on a connection of db.
func pragma(t *testing.T, db conn, name string) string {
	t.Helper()
	var v string
	if err := db.QueryRowContext(context.Background(), "PRAGMA "+name).Scan(&v); err != nil {
		t.Fatalf("PRAGMA %s: %v", name, err)
	}
	return v
}

var t0 = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

// newOrder is an open order of amount in currency, as the service would build it.
func newOrder(id, amount, currency string) order.Order {
	return order.Order{
		ID: id, Reference: "ref-" + id, Amount: money.MustParse(amount, currency),
		ReturnURL: "https://shop.example/return", Status: order.StatusOpen,
		Items:     []order.Item{{Name: "Tea", Quantity: 1, UnitAmount: money.MustParse(amount, currency)}},
		Metadata:  map[string]string{"cart": "42"},
		ExpiresAt: t0.Add(30 * time.Minute), CreatedAt: t0, UpdatedAt: t0,
	}
}

func insert(t *testing.T, s *DB, o order.Order) {
	t.Helper()
	if err := s.Write(context.Background(), func(tx order.Tx) error { return tx.InsertOrder(&o) }); err != nil {
		t.Fatalf("InsertOrder %s: %v", o.ID, err)
	}
}

func TestMigrationsApplyOnceAndReopenIsANoop(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, file := openTemp(t)

	// Every embedded migration of the dialect, 0001 (PostgreSQL: 0010) upwards, is applied
	// once, in order.
	files, err := fs.Glob(migrations, s.d.migrations+"/*.sql")
	first := map[string]string{"sqlite": "0001_", "postgres": "0010_"}[s.d.name]
	if err != nil || len(files) == 0 || !strings.HasPrefix(path.Base(files[0]), first) {
		t.Fatalf("embedded migrations = %q, %v; want %s… first", files, err, first)
	}
	// Numbers may have gaps (each engineer takes an assigned number): the files' own numbers count.
	latest, sumWant := 0, 0
	for _, f := range files {
		n, err := strconv.Atoi(strings.SplitN(path.Base(f), "_", 2)[0])
		if err != nil {
			t.Fatal(err)
		}
		latest, sumWant = n, sumWant+n
	}
	v, err := s.SchemaVersion(ctx)
	if err != nil || v != latest {
		t.Fatalf("SchemaVersion = %d, %v; want %d", v, err, latest)
	}
	var rows, sum int
	var applied int64
	if err := s.r.QueryRowContext(ctx, "SELECT count(*), sum(version), max(applied_at) FROM schema_migrations").Scan(&rows, &sum, &applied); err != nil {
		t.Fatal(err)
	}
	if rows != len(files) || sum != sumWant {
		t.Fatalf("schema_migrations has %d rows (versions summing to %d), want the %d files' versions once each", rows, sum, len(files))
	}
	for _, table := range []string{"orders", "attempts", "events", "idempotency_keys", "api_keys", "settings", "outbox", "deliveries"} {
		var n int
		if err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM "+table).Scan(&n); err != nil {
			t.Errorf("table %s: %v; want it created", table, err)
		}
	}
	insert(t, s, newOrder("ord_keep", "6.000", "KWD"))
	s.Close()

	s2, err := Open(ctx, file)
	if err != nil {
		t.Fatalf("re-open: %v", err)
	}
	defer s2.Close()
	if v, err := s2.SchemaVersion(ctx); err != nil || v != latest {
		t.Errorf("after re-open SchemaVersion = %d, %v; want %d", v, err, latest)
	}
	var rows2 int
	var applied2 int64
	if err := s2.r.QueryRowContext(ctx, "SELECT count(*), max(applied_at) FROM schema_migrations").Scan(&rows2, &applied2); err != nil {
		t.Fatal(err)
	}
	if rows2 != len(files) || applied2 != applied {
		t.Errorf("after re-open: %d migration rows applied at %d, want %d applied at %d (untouched)", rows2, applied2, len(files), applied)
	}
	if _, err := s2.Order(ctx, "ord_keep"); err != nil {
		t.Errorf("data lost on re-open: %v", err)
	}
}

func TestPragmas(t *testing.T) {
	t.Parallel()
	sqliteOnly(t)
	s, _ := openTemp(t)
	for _, pool := range []struct {
		name string
		db   conn
	}{{"writer", s.w}, {"reader", s.r}} {
		if got := pragma(t, pool.db, "journal_mode"); got != "wal" {
			t.Errorf("%s journal_mode = %q, want wal", pool.name, got)
		}
		if got := pragma(t, pool.db, "foreign_keys"); got != "1" {
			t.Errorf("%s foreign_keys = %q, want 1", pool.name, got)
		}
		if got := pragma(t, pool.db, "busy_timeout"); got != "10000" {
			t.Errorf("%s busy_timeout = %q, want 10000", pool.name, got)
		}
	}
	if got := pragma(t, s.w, "synchronous"); got != "2" { // FULL: see the package comment
		t.Errorf("writer synchronous = %q, want 2 (FULL)", got)
	}
	if got := pragma(t, s.r, "query_only"); got != "1" {
		t.Errorf("reader query_only = %q, want 1", got)
	}

	// foreign_keys is not just set but enforced: an attempt of no order is refused.
	err := s.Write(context.Background(), func(tx order.Tx) error {
		return tx.InsertAttempt(&order.Attempt{ID: "att_orphan", OrderID: "ord_missing", Method: "knet", Gateway: "knet",
			Status: gateway.StatusPending, CreatedAt: t0, UpdatedAt: t0})
	})
	if err == nil || !strings.Contains(err.Error(), "FOREIGN KEY") {
		t.Errorf("attempt for a missing order: err = %v, want a FOREIGN KEY failure", err)
	}
}

func TestAmountsAreExactText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		amount, currency string
		text             string
		minor            int64
	}{
		{"6.000", "KWD", "6.000", 6000},
		{"6", "KWD", "6.000", 6000},
		{"0.001", "KWD", "0.001", 1},
		{"6.5", "KWD", "6.500", 6500},
		{"999999999.999", "KWD", "999999999.999", 999999999999},
		{"100", "THB", "100.00", 10000},
		{"12.5", "THB", "12.50", 1250},
		{"1500", "JPY", "1500", 1500},
	}
	s, _ := openTemp(t)
	ctx := context.Background()
	for i, tc := range tests {
		t.Run(tc.amount+" "+tc.currency, func(t *testing.T) {
			id := fmt.Sprintf("ord_amount%d", i)
			insert(t, s, newOrder(id, tc.amount, tc.currency))

			var text, typ, itemsJSON string
			var minor int64
			typeOf := map[string]string{"sqlite": "typeof(amount)", "postgres": "pg_typeof(amount)::text"}[s.d.name]
			if err := s.r.QueryRowContext(ctx, "SELECT amount, "+typeOf+", amount_minor, items FROM orders WHERE id = ?", id).
				Scan(&text, &typ, &minor, &itemsJSON); err != nil {
				t.Fatal(err)
			}
			if typ != "text" || text != tc.text || minor != tc.minor {
				t.Errorf("stored %s %q, minor %d; want text %q, minor %d", typ, text, minor, tc.text, tc.minor)
			}
			if !strings.Contains(itemsJSON, `"unit_amount":"`+tc.text+`"`) {
				t.Errorf("items = %s, want unit_amount %q as a string", itemsJSON, tc.text)
			}
			o, err := s.Order(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if o.Amount.String() != tc.text || o.Amount.Currency().Code != tc.currency || o.Items[0].UnitAmount.String() != tc.text {
				t.Errorf("read back %s %s (item %s), want %s %s", o.Amount, o.Amount.Currency().Code, o.Items[0].UnitAmount, tc.text, tc.currency)
			}
		})
	}
}

func TestReportedAmountRoundTrips(t *testing.T) {
	t.Parallel()
	s, _ := openTemp(t)
	ctx := context.Background()
	insert(t, s, newOrder("ord_rep", "6.000", "KWD"))
	a := order.Attempt{ID: "att_rep", OrderID: "ord_rep", Method: "knet", Gateway: "knet", Status: gateway.StatusPaid,
		ReportedAmount: money.MustParse("6.00", "USD"), CreatedAt: t0, UpdatedAt: t0}
	if err := s.Write(ctx, func(tx order.Tx) error { return tx.InsertAttempt(&a) }); err != nil {
		t.Fatal(err)
	}
	var text, cur string
	var minor int64
	if err := s.r.QueryRowContext(ctx, "SELECT reported_amount, reported_currency, reported_minor FROM attempts WHERE id = 'att_rep'").Scan(&text, &cur, &minor); err != nil {
		t.Fatal(err)
	}
	if text != "6.00" || cur != "USD" || minor != 600 {
		t.Errorf("stored %q %q %d, want 6.00 USD 600", text, cur, minor)
	}
	got, err := s.Attempt(ctx, "att_rep")
	if err != nil {
		t.Fatal(err)
	}
	if !got.ReportedAmount.Equal(a.ReportedAmount) {
		t.Errorf("read back %s %s, want 6.00 USD", got.ReportedAmount, got.ReportedAmount.Currency().Code)
	}
}

func TestWriteRollsBackOnError(t *testing.T) {
	t.Parallel()
	s, _ := openTemp(t)
	ctx := context.Background()
	boom := errors.New("boom")
	err := s.Write(ctx, func(tx order.Tx) error {
		o := newOrder("ord_rollback", "6.000", "KWD")
		if err := tx.InsertOrder(&o); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Write err = %v, want boom", err)
	}
	if _, err := s.Order(ctx, "ord_rollback"); !errors.Is(err, order.ErrNotFound) {
		t.Errorf("Order after rollback: err = %v, want ErrNotFound", err)
	}
}

func TestReferenceIndexBacksUpReferenceHeld(t *testing.T) {
	t.Parallel()
	s, _ := openTemp(t)
	a, b := newOrder("ord_a", "6.000", "KWD"), newOrder("ord_b", "6.000", "KWD")
	a.Reference, b.Reference = "INV-1", "INV-1"
	insert(t, s, a)
	err := s.Write(context.Background(), func(tx order.Tx) error { return tx.InsertOrder(&b) })
	if !errors.Is(err, order.ErrReferenceTaken) {
		t.Errorf("second open order with the reference: err = %v, want ErrReferenceTaken", err)
	}
}

func TestBackup(t *testing.T) {
	t.Parallel()
	sqliteOnly(t)
	s, _ := openTemp(t)
	ctx := context.Background()
	insert(t, s, newOrder("ord_backup", "6.000", "KWD"))

	dst := filepath.Join(t.TempDir(), "backup.db")
	if err := s.Backup(ctx, dst); err != nil {
		t.Fatalf("Backup: %v", err)
	}
	b, err := Open(ctx, dst)
	if err != nil {
		t.Fatalf("open the backup: %v", err)
	}
	defer b.Close()
	o, err := b.Order(ctx, "ord_backup")
	if err != nil {
		t.Fatalf("order in the backup: %v", err)
	}
	if o.Amount.String() != "6.000" || o.Metadata["cart"] != "42" {
		t.Errorf("backup order = %s %v, want 6.000 with its metadata", o.Amount, o.Metadata)
	}
	want, _ := s.SchemaVersion(ctx)
	if v, err := b.SchemaVersion(ctx); err != nil || v != want {
		t.Errorf("backup SchemaVersion = %d, %v; want %d", v, err, want)
	}

	if err := s.Backup(ctx, dst); err == nil {
		t.Error("Backup over an existing file succeeded, want an error")
	}
}

func TestSecret(t *testing.T) {
	t.Parallel()
	s, file := openTemp(t)
	ctx := context.Background()

	first, err := s.Secret(ctx, "cookie", 32)
	if err != nil {
		t.Fatal(err)
	}
	if len(first) != 32 || bytes.Equal(first, make([]byte, 32)) {
		t.Fatalf("Secret = %x, want 32 random bytes", first)
	}
	for range 3 {
		again, err := s.Secret(ctx, "cookie", 32)
		if err != nil || !bytes.Equal(again, first) {
			t.Fatalf("Secret again = %x, %v; want %x", again, err, first)
		}
	}
	other, err := s.Secret(ctx, "webhook", 32)
	if err != nil || bytes.Equal(other, first) {
		t.Errorf("another name gave %x, %v; want other bytes", other, err)
	}

	// Concurrent first calls agree on one value.
	const n = 50
	got := make([][]byte, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			got[i], errs[i] = s.Secret(ctx, "fresh", 16)
		})
	}
	close(start)
	wg.Wait()
	for i := range n {
		if errs[i] != nil || !bytes.Equal(got[i], got[0]) {
			t.Fatalf("concurrent Secret #%d = %x, %v; #0 = %x", i, got[i], errs[i], got[0])
		}
	}

	// And they survive a restart.
	s.Close()
	s2, err := Open(ctx, file)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if after, err := s2.Secret(ctx, "cookie", 32); err != nil || !bytes.Equal(after, first) {
		t.Errorf("after re-open Secret = %x, %v; want %x", after, err, first)
	}
}

func TestAPIKeys(t *testing.T) {
	t.Parallel()
	s, _ := openTemp(t)
	ctx := context.Background()
	id, key, err := s.CreateAPIKey(ctx, "shop")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(key, APIKeyPrefix) || !strings.HasPrefix(id, "key_") {
		t.Errorf("CreateAPIKey = %q, %q; want key_… and %s…", id, key, APIKeyPrefix)
	}
	id2, key2, err := s.CreateAPIKey(ctx, "other shop")
	if err != nil || id2 == id || key2 == key {
		t.Fatalf("second key = %q %q, %v; want a distinct key", id2, key2, err)
	}

	tests := []struct {
		name, key, want string
	}{
		{"the created key", key, id},
		{"the second key", key2, id2},
		{"a wrong key", APIKeyPrefix + "AAAAAAAAAAAAAAAAAAAAAAAAAA", ""},
		{"the key with a character missing", key[:len(key)-1], ""},
		{"the key's id", id, ""},
		{"empty", "", ""},
	}
	for _, tc := range tests {
		got, err := s.APIKeyID(ctx, tc.key)
		if err != nil || got != tc.want {
			t.Errorf("%s: APIKeyID = %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
	var stored int
	if err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM api_keys WHERE hash = ? OR hash = ?", key, key2).Scan(&stored); err != nil || stored != 0 {
		t.Errorf("a key is stored in clear (%d rows, %v)", stored, err)
	}
	if n, err := s.CountAPIKeys(ctx); err != nil || n != 2 {
		t.Errorf("CountAPIKeys = %d, %v; want 2", n, err)
	}
}
