package store

import (
	"context"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/bawaba/checkout/internal/dbtest"
)

// columns lists every table of the store's database with its columns, sorted: the schema as the
// code sees it. PostgreSQL's rowid stands for SQLite's implicit one and is left out.
func columns(t *testing.T, s *DB) map[string][]string {
	t.Helper()
	q := map[string]string{
		"sqlite": `SELECT m.name, c.name FROM sqlite_master m, pragma_table_info(m.name) c
			WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`,
		"postgres": `SELECT table_name, column_name FROM information_schema.columns
			WHERE table_schema = current_schema() AND column_name <> 'rowid'`,
	}[s.d.name]
	rows, err := s.r.QueryContext(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var table, col string
		if err := rows.Scan(&table, &col); err != nil {
			t.Fatal(err)
		}
		out[table] = append(out[table], col)
	}
	for _, cols := range out {
		sort.Strings(cols)
	}
	return out
}

func migrationNumbers(t *testing.T, dir string) []string {
	t.Helper()
	files, err := fs.Glob(migrations, dir+"/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range files {
		n, _, _ := strings.Cut(path.Base(f), "_")
		out = append(out, n)
	}
	return out
}

// The two migration lists build the same schema: every table, every column. A migration added
// to one dialect only fails here.
func TestSchemasMatch(t *testing.T) {
	if dbtest.Kind() != dbtest.SQLite {
		t.Skip("compares both databases; runs once")
	}
	ctx := context.Background()
	lite, err := Open(ctx, t.TempDir()+"/t.db")
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	pg, err := Open(ctx, dbtest.PostgresDB(t))
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()

	want, got := columns(t, lite), columns(t, pg)
	if len(want) < 15 {
		t.Fatalf("SQLite has %d tables; the listing is broken", len(want))
	}
	var diff []string
	for table, cols := range want {
		if !slices.Equal(cols, got[table]) {
			diff = append(diff, fmt.Sprintf("%s: sqlite %v, postgres %v", table, cols, got[table]))
		}
	}
	for table, cols := range got {
		if _, ok := want[table]; !ok {
			diff = append(diff, fmt.Sprintf("%s: only in postgres %v", table, cols))
		}
	}
	sort.Strings(diff)
	for _, d := range diff {
		t.Error(d)
	}

	// Both report the same version, and every migration from PostgreSQL's first on has a file
	// of the same number in both folders.
	vl, err1 := lite.SchemaVersion(ctx)
	vp, err2 := pg.SchemaVersion(ctx)
	if err1 != nil || err2 != nil || vl != vp {
		t.Errorf("schema versions: sqlite %d (%v), postgres %d (%v); want equal", vl, err1, vp, err2)
	}
	pgNums := migrationNumbers(t, postgresDialect.migrations)
	var liteNums []string
	for _, n := range migrationNumbers(t, sqliteDialect.migrations) {
		if n >= pgNums[0] {
			liteNums = append(liteNums, n)
		}
	}
	if !slices.Equal(liteNums, pgNums) {
		t.Errorf("migrations: sqlite %v, postgres %v (from %s on); want the same numbers", liteNums, pgNums, pgNums[0])
	}
}
