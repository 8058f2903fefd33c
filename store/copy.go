package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// copyTables are the tables `checkout copy` moves, parents before children. Left out: the
// migrations (the target has its own), work_claims (leases of the source's workers) and
// health_probe (a scratch row).
var copyTables = []string{
	"payment_links", "orders", "attempts", "events", "refunds", "idempotency_keys", "payment_link_keys",
	"outbox", "deliveries", "api_keys", "settings", "users",
}

// copyChecks are the figures Copy compares between the two databases once the copy is
// committed: every table's row count, then the money by currency (and status for refunds).
const (
	copyOrderSums  = "SELECT currency || ' ' || status, count(*), coalesce(sum(amount_minor), 0) FROM orders GROUP BY currency, status"
	copyRefundSums = "SELECT currency || ' ' || status, count(*), coalesce(sum(amount_minor), 0) FROM refunds GROUP BY currency, status"
	copyPaidSums   = "SELECT currency, count(*), coalesce(sum(amount_minor), 0) FROM orders WHERE paid_at > 0 GROUP BY currency"
)

// CopyCheck is one figure compared after a copy: in the source and in the target.
type CopyCheck struct {
	What         string // "orders rows", "orders KWD paid sum_minor" …
	Source, Dest int64
}

// Copy moves every row of from into to, which must be empty (freshly migrated), in one
// transaction on to, reading from in one read transaction (a consistent snapshot: stop the
// servers on from first all the same, or the copy misses what they write after it). Rows keep
// their ids and insertion order; PostgreSQL's sequences continue after the copied ids. After the
// commit it compares every table's count and the sums of money by currency and status in both,
// and returns them; any difference is an error.
func Copy(ctx context.Context, from, to *DB) ([]CopyCheck, error) {
	for _, t := range copyTables {
		var n int
		if err := to.r.QueryRowContext(ctx, "SELECT count(*) FROM "+t).Scan(&n); err != nil {
			return nil, fmt.Errorf("store: copy: target %s: %w", t, err)
		}
		if n > 0 {
			return nil, fmt.Errorf("store: copy: the target is not empty (%s has %d rows): copy into a new database", t, n)
		}
	}
	src, err := from.r.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer src.Rollback()
	dst, err := to.beginWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer dst.Rollback()
	for _, t := range copyTables {
		if err := copyTable(ctx, src, from.d, dst, to.d, t); err != nil {
			return nil, fmt.Errorf("store: copy %s: %w", t, err)
		}
	}
	if to.d == postgresDialect {
		for _, q := range []string{
			"SELECT setval(pg_get_serial_sequence('events', 'id'), coalesce(max(id), 0) + 1, false) FROM events",
			"SELECT setval(pg_get_serial_sequence('deliveries', 'id'), coalesce(max(id), 0) + 1, false) FROM deliveries",
			"SELECT setval('attempts_seq', coalesce(max(seq), 0) + 1, false) FROM attempts",
		} {
			if _, err := dst.ExecContext(ctx, q); err != nil {
				return nil, fmt.Errorf("store: copy: sequences: %w", err)
			}
		}
	}
	if err := dst.Commit(); err != nil {
		return nil, fmt.Errorf("store: copy: commit: %w", err)
	}
	src.Rollback()
	return compareCopy(ctx, from, to)
}

// copyTable copies one table's rows, in the source's insertion order.
func copyTable(ctx context.Context, src *sql.Tx, sd *dialect, dst *sql.Tx, dd *dialect, table string) error {
	cols, rowid, err := copyColumns(ctx, src, table)
	if err != nil {
		return err
	}
	// Insertion order: SQLite's implicit rowid, or PostgreSQL's rowid column where a table has
	// one (the others are read by their own ids).
	order := ""
	if rowid || sd == sqliteDialect {
		order = " ORDER BY rowid"
	}
	// The target's binary columns take bytes: SQLite may hand back text for a BLOB.
	binary := map[string]bool{}
	if rows, err := dst.QueryContext(ctx, "SELECT "+strings.Join(cols, ", ")+" FROM "+table+" WHERE 1 = 0"); err != nil {
		return err
	} else {
		types, err := rows.ColumnTypes()
		rows.Close()
		if err != nil {
			return err
		}
		for _, ct := range types {
			binary[ct.Name()] = ct.DatabaseTypeName() == "BYTEA" || ct.DatabaseTypeName() == "BLOB"
		}
	}
	rows, err := src.QueryContext(ctx, sd.sql("SELECT "+strings.Join(cols, ", ")+" FROM "+table+order))
	if err != nil {
		return err
	}
	defer rows.Close()
	insert := dd.sql("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES (" +
		strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")")
	stmt, err := dst.PrepareContext(ctx, insert)
	if err != nil {
		return err
	}
	defer stmt.Close()
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		for i, c := range cols {
			if s, ok := vals[i].(string); ok && binary[c] {
				vals[i] = []byte(s)
			}
		}
		if _, err := stmt.ExecContext(ctx, vals...); err != nil {
			return err
		}
	}
	return rows.Err()
}

// copyColumns lists a table's columns in the source, without PostgreSQL's rowid (the target
// numbers its rows itself, in the order they come), and whether it had one.
func copyColumns(ctx context.Context, src *sql.Tx, table string) ([]string, bool, error) {
	rows, err := src.QueryContext(ctx, "SELECT * FROM "+table+" WHERE 1 = 0")
	if err != nil {
		return nil, false, err
	}
	cols, err := rows.Columns()
	rows.Close()
	if err != nil {
		return nil, false, err
	}
	n := len(cols)
	cols = slices.DeleteFunc(cols, func(c string) bool { return c == "rowid" })
	return cols, len(cols) < n, nil
}

// sumRow is a row of the copy's check figures: a key, a count and a sum in minor units.
type sumRow struct {
	key    string
	n, sum int64
}

func scanSumRow(sc scanner) (sumRow, error) {
	var x sumRow
	err := sc.Scan(&x.key, &x.n, &x.sum)
	return x, err
}

// compareCopy reads the same figures in both databases and reports them, with an error when
// any differs.
func compareCopy(ctx context.Context, from, to *DB) ([]CopyCheck, error) {
	figures := func(s *DB) (map[string]int64, error) {
		out := map[string]int64{}
		for _, t := range copyTables {
			var n int64
			if err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM "+t).Scan(&n); err != nil {
				return nil, err
			}
			out[t+" rows"] = n
		}
		for name, q := range map[string]string{"orders": copyOrderSums, "refunds": copyRefundSums, "orders paid": copyPaidSums} {
			lines, err := queryAll(ctx, s.r, scanSumRow, q)
			if err != nil {
				return nil, err
			}
			for _, x := range lines {
				out[name+" "+x.key+" count"], out[name+" "+x.key+" sum_minor"] = x.n, x.sum
			}
		}
		return out, nil
	}
	a, err := figures(from)
	if err != nil {
		return nil, fmt.Errorf("store: copy: verify source: %w", err)
	}
	b, err := figures(to)
	if err != nil {
		return nil, fmt.Errorf("store: copy: verify target: %w", err)
	}
	var checks []CopyCheck
	var bad []string
	for k := range a {
		checks = append(checks, CopyCheck{What: k, Source: a[k], Dest: b[k]})
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			checks = append(checks, CopyCheck{What: k, Dest: b[k]})
		}
	}
	slices.SortFunc(checks, func(x, y CopyCheck) int { return strings.Compare(x.What, y.What) })
	for _, c := range checks {
		if c.Source != c.Dest {
			bad = append(bad, fmt.Sprintf("%s: %d in the source, %d in the target", c.What, c.Source, c.Dest))
		}
	}
	if len(bad) > 0 {
		return checks, errors.New("store: copy: the target differs: " + strings.Join(bad, "; "))
	}
	return checks, nil
}
