package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bawaba/checkout/order"
)

// A backup taken while orders are being written (by another handle on the file, as the
// `checkout backup` process does beside a running server) restores to a fresh file that passes
// integrity_check and holds a whole prefix of the writes: each order with its event, and the
// count and sum of one moment of the writer, never a torn transaction.
func TestBackupUnderLoadRestores(t *testing.T) {
	sqliteOnly(t)
	s, db := openTemp(t)
	ctx := context.Background()

	// The writer: order i of i fils, with its "order.created" event, in one transaction. committed
	// counts them once each commit returned.
	var committed atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 1; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			o := newOrder(fmt.Sprintf("ord_load%06d", i), fmt.Sprintf("%d.%03d", i/1000, i%1000), "KWD")
			if err := s.Write(ctx, func(tx order.Tx) error {
				if err := tx.InsertOrder(&o); err != nil {
					return err
				}
				return tx.AppendEvent(order.Event{OrderID: o.ID, Type: "order.created", CreatedAt: t0})
			}); err != nil {
				t.Errorf("write %d: %v", i, err)
				return
			}
			committed.Store(int64(i))
		}
	}()
	for committed.Load() < 50 { // some orders before the backup starts
		time.Sleep(time.Millisecond)
		if t.Failed() {
			t.FailNow()
		}
	}
	dir := t.TempDir()
	backup := filepath.Join(dir, "backup.db")
	cli, err := Open(ctx, db) // the backup command's own handle
	if err != nil {
		t.Fatal(err)
	}
	low := committed.Load()
	if err := cli.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	high := committed.Load()
	cli.Close()
	for committed.Load() < high+50 { // and writes after it
		time.Sleep(time.Millisecond)
		if t.Failed() {
			t.FailNow()
		}
	}
	close(stop)
	wg.Wait()

	fresh := filepath.Join(dir, "restored", "shop.db")
	r, err := Restore(ctx, backup, "sqlite:"+fresh)
	if err != nil {
		t.Fatalf("Restore: %v", err)
	}
	if r.Kept != "" {
		t.Errorf("Kept %q for a fresh file", r.Kept)
	}
	n := int64(r.Orders)
	if n < low || n > high {
		t.Fatalf("the backup has %d orders; %d were committed before it began and %d when it ended", n, low, high)
	}
	restored, err := Open(ctx, fresh)
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	var orders, events, maxSeq, sum int64
	if err := restored.r.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(amount_minor), 0),
		coalesce(max(CAST(substr(id, 9) AS INTEGER)), 0) FROM orders`).Scan(&orders, &sum, &maxSeq); err != nil {
		t.Fatal(err)
	}
	if err := restored.r.QueryRowContext(ctx, `SELECT count(*) FROM events WHERE type = 'order.created'`).Scan(&events); err != nil {
		t.Fatal(err)
	}
	want := n * (n + 1) / 2 // fils of orders 1..n
	if orders != n || maxSeq != n || events != n || sum != want {
		t.Errorf("restored: %d orders up to #%d, %d events, %d fils; want %d, #%d, %d, %d", orders, maxSeq, events, sum, n, n, n, want)
	}
	if err := integrity(ctx, restored.w.DB); err != nil {
		t.Error(err)
	}
}

// Restoring over a database keeps it first (with its WAL's commits) and replaces it whole;
// a damaged or foreign backup changes nothing.
func TestRestoreKeepsAndRefuses(t *testing.T) {
	sqliteOnly(t)
	ctx := context.Background()
	dir := t.TempDir()
	live := filepath.Join(dir, "live.db")
	s, err := Open(ctx, live)
	if err != nil {
		t.Fatal(err)
	}
	insert(t, s, newOrder("ord_old", "1.000", "KWD"))
	backup := filepath.Join(dir, "b.db")
	if err := s.Backup(ctx, backup); err != nil {
		t.Fatal(err)
	}
	insert(t, s, newOrder("ord_after_backup", "2.000", "KWD")) // in the live WAL only
	s.Close()

	damaged := filepath.Join(dir, "damaged.db")
	b, _ := os.ReadFile(backup)
	if err := os.WriteFile(damaged, b[:len(b)/2], 0o600); err != nil {
		t.Fatal(err)
	}
	foreign := filepath.Join(dir, "foreign.db")
	other, err := Open(ctx, foreign)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := other.w.ExecContext(ctx, "DROP TABLE schema_migrations"); err != nil {
		t.Fatal(err)
	}
	other.Close()
	for _, bad := range []string{damaged, foreign, filepath.Join(dir, "missing.db")} {
		if _, err := Restore(ctx, bad, live); err == nil {
			t.Errorf("Restore(%s) succeeded", filepath.Base(bad))
		}
	}
	if entries, _ := filepath.Glob(live + ".before-restore-*"); len(entries) != 0 {
		t.Fatalf("a refused restore touched the live database: %v", entries)
	}

	r, err := Restore(ctx, backup, live)
	if err != nil {
		t.Fatalf("Restore: %v", err)
	}
	if r.Orders != 1 || !strings.HasPrefix(r.Kept, live+".before-restore-") {
		t.Errorf("Restore = %+v, want 1 order and the old database kept", r)
	}
	for path, want := range map[string][]string{live: {"ord_old"}, r.Kept: {"ord_old", "ord_after_backup"}} {
		db, err := Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		var n int
		db.r.QueryRowContext(ctx, "SELECT count(*) FROM orders").Scan(&n)
		for _, id := range want {
			if _, err := db.Order(ctx, id); err != nil {
				t.Errorf("%s: order %s: %v", filepath.Base(path), id, err)
			}
		}
		if n != len(want) {
			t.Errorf("%s: %d orders, want %d", filepath.Base(path), n, len(want))
		}
		db.Close()
	}
}
