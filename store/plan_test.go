package store

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// bigTables are the tables that grow with the business: a statement that scans one of them
// costs more with every order.
var bigTables = []string{"orders", "attempts", "events", "refunds", "outbox", "deliveries", "idempotency_keys"}

// sqlStart says a string is an SQL statement.
var sqlStart = regexp.MustCompile(`(?i)^\s*(SELECT|INSERT|UPDATE|DELETE|WITH|REPLACE)\s`)

// builtAtRunTime are the functions allowed to put SQL together from filters, with the reason:
// the console's listings, paginated with LIMIT and read by one merchant at a time. Their plans
// are not checked here; every other statement must be a constant.
var builtAtRunTime = map[string]string{
	"ListOrders":        "console order list: filters chosen by the merchant, LIMIT per page",
	"OrderTotals":       "console totals over the same filters",
	"ListWebhookEvents": "console webhook list: filters, LIMIT per page",
	"Copy":              "checkout copy: every table once, by hand (copy.go)",
	"copyTable":         "checkout copy: every table once, by hand (copy.go)",
	"copyColumns":       "checkout copy: every table once, by hand (copy.go)",
	"compareCopy":       "checkout copy: every table once, by hand (copy.go)",
}

// storeStatements finds every SQL statement in the package's own source (not its tests): the
// string constants and constant expressions ("SELECT " + orderCols + " FROM …") that start
// like SQL, evaluated as the compiler would. A statement assembled at run time cannot be
// checked, so finding one is an error: make it a constant.
func storeStatements(t *testing.T) map[string]string {
	t.Helper()
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var parsed []*ast.File
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		parsed = append(parsed, af)
	}
	// Package-level string constants, evaluated in any order.
	consts := map[string]ast.Expr{}
	for _, af := range parsed {
		for _, d := range af.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, n := range vs.Names {
					if i < len(vs.Values) {
						consts[n.Name] = vs.Values[i]
					}
				}
			}
		}
	}
	var eval func(e ast.Expr, depth int) (string, bool)
	eval = func(e ast.Expr, depth int) (string, bool) {
		if depth > 20 {
			return "", false
		}
		switch e := e.(type) {
		case *ast.BasicLit:
			if e.Kind != token.STRING {
				return "", false
			}
			s, err := strconv.Unquote(e.Value)
			return s, err == nil
		case *ast.Ident:
			if v, ok := consts[e.Name]; ok {
				return eval(v, depth+1)
			}
		case *ast.ParenExpr:
			return eval(e.X, depth+1)
		case *ast.BinaryExpr:
			if e.Op != token.ADD {
				return "", false
			}
			x, ok1 := eval(e.X, depth+1)
			y, ok2 := eval(e.Y, depth+1)
			return x + y, ok1 && ok2
		}
		return "", false
	}
	// leftmost is the first operand of a chain of +, where a statement's keyword would be.
	leftmost := func(e ast.Expr) ast.Expr {
		for {
			b, ok := e.(*ast.BinaryExpr)
			if !ok || b.Op != token.ADD {
				return e
			}
			e = b.X
		}
	}
	found := map[string]string{} // statement → where
	for _, af := range parsed {
		fn := ""
		ast.Inspect(af, func(n ast.Node) bool {
			if fd, ok := n.(*ast.FuncDecl); ok {
				fn = fd.Name.Name
			}
			e, ok := n.(ast.Expr)
			if !ok {
				return true
			}
			switch e.(type) {
			case *ast.BasicLit, *ast.BinaryExpr, *ast.Ident:
			default:
				return true
			}
			if id, ok := e.(*ast.Ident); ok && (id.Obj == nil || id.Obj.Kind != ast.Con) {
				return true
			}
			s, ok := eval(e, 0)
			if !ok && builtAtRunTime[fn] != "" {
				return false // its fragments are not statements
			}
			if !ok {
				// Not constant: fine unless it is SQL put together at run time.
				if b, isBin := e.(*ast.BinaryExpr); isBin {
					if s0, ok := eval(leftmost(b), 0); ok && sqlStart.MatchString(s0) && builtAtRunTime[fn] == "" {
						t.Errorf("%s: SQL built at run time (%.40q…): make the statement a constant so its plan is checked",
							fset.Position(e.Pos()), s0)
					}
				}
				return true
			}
			if sqlStart.MatchString(s) {
				found[strings.Join(strings.Fields(s), " ")] = fset.Position(e.Pos()).String()
			}
			return false // a constant's parts are not statements of their own
		})
	}
	return found
}

// TestQueryPlans runs EXPLAIN QUERY PLAN over every statement the store runs and fails on a
// full scan of a table that grows with the business (a scan of a partial index is allowed): each query must have an index that
// serves it, or its cost grows with the table (a made-up payment id on a public return route
// scanned every attempt).
func TestQueryPlans(t *testing.T) {
	sqliteOnly(t)
	s, _ := openTemp(t)
	stmts := storeStatements(t)
	if len(stmts) < 20 {
		t.Fatalf("found only %d statements in the store's source; the finder is broken", len(stmts))
	}
	ctx := context.Background()
	scan := regexp.MustCompile(`^SCAN (` + strings.Join(bigTables, "|") + `)\b(?: USING (?:COVERING )?INDEX (\w+))?`)
	// A scan of a partial index reads only the rows its WHERE keeps (the webhooks still to
	// deliver, say), never the whole table: allowed.
	partial := map[string]bool{}
	idx, err := s.r.QueryContext(ctx, "SELECT name FROM sqlite_master WHERE type = 'index' AND sql LIKE '% WHERE %'")
	if err != nil {
		t.Fatal(err)
	}
	for idx.Next() {
		var name string
		if err := idx.Scan(&name); err != nil {
			t.Fatal(err)
		}
		partial[name] = true
	}
	idx.Close()
	// PostgreSQL's own statements (locks, sequences) have no SQLite plan.
	pgOnly := map[string]bool{}
	for _, q := range []string{postgresDialect.lockWrites, postgresDialect.nextSeq, migrationLock, migrationUnlock} {
		pgOnly[strings.Join(strings.Fields(q), " ")] = true
	}
	for q, where := range stmts {
		// checkout copy and checkout restore read whole tables on purpose, once, by hand;
		// copy's PostgreSQL sequence statements have no SQLite plan.
		if pgOnly[q] || strings.HasPrefix(where, "copy.go:") || strings.HasPrefix(where, "restore.go:") {
			continue
		}
		rows, err := s.w.QueryContext(ctx, "EXPLAIN QUERY PLAN "+q, make([]any, placeholders(q))...)
		if err != nil {
			t.Errorf("%s: EXPLAIN QUERY PLAN %s: %v", where, q, err)
			continue
		}
		var plan []string
		for rows.Next() {
			var id, parent, notused int
			var detail string
			if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		for _, step := range plan {
			if m := scan.FindStringSubmatch(step); m != nil && !partial[m[2]] {
				t.Errorf("%s: %s\n  plan: %s", where, q, strings.Join(plan, " | "))
			}
		}
	}
}

// TestStatementFinder pins what the finder must see: a statement spread over constants, one
// with a run-time table name would be reported (not exercised here), and the fixed lookup of
// attempts by payment id.
func TestStatementFinder(t *testing.T) {
	stmts := storeStatements(t)
	for _, want := range []string{
		"SELECT " + strings.Join(strings.Fields(attemptCols), " ") + " FROM attempts WHERE gateway = ? AND payment_id = ? AND payment_id <> ''",
		strings.Join(strings.Fields(dueExpiryJobs), " "),
	} {
		if _, ok := stmts[want]; !ok {
			t.Errorf("the finder missed %q", want)
		}
	}
}

// placeholders counts the ? parameters of q outside quoted strings (each is bound to NULL for
// EXPLAIN: the plan does not depend on the values).
func placeholders(q string) int {
	n, quoted := 0, false
	for _, r := range q {
		switch {
		case r == '\'':
			quoted = !quoted
		case r == '?' && !quoted:
			n++
		}
	}
	return n
}

// TestStatementsArePreparedOnce: reads and writes reuse the statement prepared the first time,
// and a transaction's first use of a statement (prepared only after it, since the writer's one
// connection is busy) does not block.
func TestStatementsArePreparedOnce(t *testing.T) {
	sqliteOnly(t)
	s, _ := openTemp(t)
	ctx := context.Background()
	insert(t, s, newOrder("ord_p1", "6.000", "KWD"))
	if s.wq.lookup(selectOrder) != nil {
		t.Fatal("a statement the transaction did not run is prepared")
	}
	insert(t, s, newOrder("ord_p2", "6.000", "KWD"))
	var insertOrder string
	for q := range s.wq.m {
		if strings.HasPrefix(q, "INSERT INTO orders") {
			insertOrder = q
		}
	}
	if insertOrder == "" {
		t.Fatal("INSERT INTO orders was not prepared after its transaction")
	}
	before := s.wq.lookup(insertOrder)
	insert(t, s, newOrder("ord_p3", "6.000", "KWD"))
	if s.wq.lookup(insertOrder) != before {
		t.Error("the writer prepared INSERT INTO orders again")
	}
	for range 2 {
		if _, err := s.Order(ctx, "ord_p1"); err != nil {
			t.Fatal(err)
		}
	}
	if s.rq.lookup(selectOrder) == nil || s.rq.lookup(selectOrderAttempts) == nil {
		t.Error("the readers did not keep the order statements")
	}
}
