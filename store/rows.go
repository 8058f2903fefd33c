package store

import (
	"context"
	"database/sql"
)

// queryer is what reads need: a pool (conn), its statement cache (stmts, txStmts) or a *sql.Tx.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// scanner is a row: *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// queryAll runs query on q and reads every row with scan, in order: the loop of every list the
// store reads. The rows are closed when it returns, so the caller may query again at once (a
// SQLite reader pool has few connections). No row is a nil slice.
func queryAll[T any](ctx context.Context, q queryer, scan func(scanner) (T, error), query string, args ...any) ([]T, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// scanValue reads a row of one column.
func scanValue[T any](sc scanner) (T, error) {
	var v T
	err := sc.Scan(&v)
	return v, err
}

// queryCounts reads rows of (key, count) into a map; no row is an empty map.
func queryCounts(ctx context.Context, q queryer, query string, args ...any) (map[string]int, error) {
	type count struct {
		key string
		n   int
	}
	counts, err := queryAll(ctx, q, func(sc scanner) (count, error) {
		var c count
		err := sc.Scan(&c.key, &c.n)
		return c, err
	}, query, args...)
	if err != nil {
		return nil, err
	}
	out := make(map[string]int, len(counts))
	for _, c := range counts {
		out[c.key] = c.n
	}
	return out, nil
}
