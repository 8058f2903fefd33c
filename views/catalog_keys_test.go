package views_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/i18n"
)

// keyShape is what a message key looks like: "pay.title", "time.minutes_left".
var keyShape = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$`)

// prefixShape is the literal start of a key built at run time: "method." + id.
var prefixShape = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*\.$`)

// namespaces are the first segments of the catalog's keys ("pay", "result", …): a literal
// starting with one of them is taken for a key.
func namespaces() map[string]bool {
	ns := map[string]bool{}
	for _, l := range []i18n.Lang{i18n.EN, i18n.AR} {
		for _, k := range l.Keys() {
			first, _, _ := strings.Cut(k, ".")
			ns[first] = true
		}
	}
	return ns
}

type keyUse struct {
	key string // a key, or a prefix ending in "."
	at  string // file:line
}

// goKeyUses reads the handlers' Go source for string literals shaped like keys, and for the
// literal prefixes of keys built with +.
func goKeyUses(t *testing.T, dir string) (keys, prefixes []keyUse) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		ast.Inspect(file, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BinaryExpr:
				if n.Op != token.ADD {
					return true
				}
				if lit, ok := n.X.(*ast.BasicLit); ok && lit.Kind == token.STRING {
					s, _ := strconv.Unquote(lit.Value)
					if prefixShape.MatchString(s) {
						prefixes = append(prefixes, keyUse{s, fset.Position(lit.Pos()).String()})
					}
				}
			case *ast.BasicLit:
				if n.Kind != token.STRING {
					return true
				}
				s, _ := strconv.Unquote(n.Value)
				if keyShape.MatchString(s) {
					keys = append(keys, keyUse{s, fset.Position(n.Pos()).String()})
				}
			}
			return true
		})
	}
	return keys, prefixes
}

var (
	templString = regexp.MustCompile(`"([^"\n]*)"(\s*\+)?`)
	templCall   = regexp.MustCompile(`\b[TN]\(\s*"([^"\n]*)"(\s*\+)?`)
)

// templKeyUses reads the .templ files for string literals shaped like keys and for the
// literal prefixes in T("…" + x) calls.
func templKeyUses(t *testing.T, dir string) (keys, prefixes []keyUse, calls int) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.templ"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no .templ files in %s", dir)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(b), "\n") {
			at := f + ":" + strconv.Itoa(i+1)
			calls += len(templCall.FindAllString(line, -1))
			for _, m := range templString.FindAllStringSubmatch(line, -1) {
				s, plus := m[1], m[2] != ""
				switch {
				case plus && prefixShape.MatchString(s):
					prefixes = append(prefixes, keyUse{s, at})
				case keyShape.MatchString(s):
					keys = append(keys, keyUse{s, at})
				}
			}
		}
	}
	return keys, prefixes, calls
}

// gatewayReasons returns the values of the gateway.Reason* constants, read from the source so
// that a new reason cannot be forgotten here.
func gatewayReasons(t *testing.T) []string {
	t.Helper()
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "../gateway/gateway.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range file.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.CONST {
			continue
		}
		for _, spec := range gd.Specs {
			vs := spec.(*ast.ValueSpec)
			for i, name := range vs.Names {
				if !strings.HasPrefix(name.Name, "Reason") || i >= len(vs.Values) {
					continue
				}
				if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					s, _ := strconv.Unquote(lit.Value)
					out = append(out, s)
				}
			}
		}
	}
	if len(out) < 5 {
		t.Fatalf("found only %v Reason constants in gateway/gateway.go", out)
	}
	return out
}

// demoProductIDs returns the ids of the sandbox demo shop's products, read from handlers/demo.go.
func demoProductIDs(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("../handlers/demo.go")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range regexp.MustCompile(`\{"([a-z_]+)", "[0-9.]+", "[A-Z]{3}"\}`).FindAllStringSubmatch(string(b), -1) {
		out = append(out, m[1])
	}
	if len(out) == 0 {
		t.Fatal("no demo products found in handlers/demo.go")
	}
	return out
}

// TestUsedKeysExist: every message key the handlers and the views use exists in both
// catalogs, keys built at run time included.
func TestUsedKeysExist(t *testing.T) {
	t.Parallel()
	ns := namespaces()
	hasBoth := func(k string) bool { return i18n.EN.Has(k) && i18n.AR.Has(k) }

	goKeys, goPrefixes := goKeyUses(t, "../handlers")
	adminKeys, adminPrefixes := goKeyUses(t, "../admin")
	goKeys, goPrefixes = append(goKeys, adminKeys...), append(goPrefixes, adminPrefixes...)
	tKeys, tPrefixes, calls := templKeyUses(t, ".")
	if calls < 30 {
		t.Fatalf("found only %d T(…) calls in the .templ files: is the scan broken?", calls)
	}

	checked := 0
	for _, u := range append(goKeys, tKeys...) {
		first, _, _ := strings.Cut(u.key, ".")
		if !ns[first] {
			continue // not a message key ("order.paid" is an event type, …)
		}
		checked++
		switch {
		case hasBoth(u.key):
		case hasBoth(u.key + ".other"): // a plural base used with N
			if !i18n.EN.Has(u.key + ".one") {
				t.Errorf("%s: plural %q has no English .one form", u.at, u.key)
			}
		case hasBoth(u.key+".title") && hasBoth(u.key+".message"): // an error page's base key
		default:
			t.Errorf("%s: key %q is missing (en: %v, ar: %v)", u.at, u.key, i18n.EN.Has(u.key), i18n.AR.Has(u.key))
		}
	}
	if checked < 40 {
		t.Errorf("checked only %d literal keys: is the scan broken?", checked)
	}

	resultStatuses := []string{"paid", "failed", "cancelled", "pending", "expired", "refunded"}
	var expand = map[string][]string{
		"method.":       gateway.AllMethods,
		"reason.":       gatewayReasons(t),
		"demo.product.": demoProductIDs(t),
		"status.":       {"paid", "failed", "cancelled", "expired", "refunded"}, // the demo shop's return
		// Payment links (order.LinkFields, order.LinkState).
		"link.field.":        {"name", "phone", "email"},
		"link.gone.":         {"deactivated.title", "deactivated.message", "expired.title", "expired.message", "used_up.title", "used_up.message"},
		"admin.links.state.": {"active", "deactivated", "expired", "used_up"},
		"admin.links.":       {"amount", "currency", "description", "locale"},
		// The merchant console's.
		"admin.status.":     {"open", "processing", "paid", "expired", "cancelled", "refunded", "partially_refunded"},
		"admin.attempt.":    {"pending", "authorized", "paid", "failed", "cancelled", "expired", "unknown", "voided", "refunded"},
		"admin.attempt.id.": {"payment_id", "transaction_id", "track_id", "auth_code", "bank_reference"},
		"admin.refund.":     {"pending", "succeeded", "failed"},
		"admin.event.": {"order_created", "order_cancelled", "order_expired", "order_paid", "order_refunded", "refund_failed",
			"attempt_started", "attempt_status", "order_late_payment", "order_duplicate_payment", "console_cancel", "console_refund"},
	}
	for _, s := range resultStatuses {
		expand["result."] = append(expand["result."], s+".title", s+".message")
	}
	seen := map[string]bool{}
	for _, u := range append(goPrefixes, tPrefixes...) {
		first, _, _ := strings.Cut(u.key, ".")
		if !ns[first] {
			continue
		}
		seen[u.key] = true
		suffixes, ok := expand[u.key]
		if !ok {
			t.Errorf("%s: key prefix %q is built at run time and this test does not know its values; add them", u.at, u.key)
			continue
		}
		for _, s := range suffixes {
			if !hasBoth(u.key + s) {
				t.Errorf("%s: key %q is missing (en: %v, ar: %v)", u.at, u.key+s, i18n.EN.Has(u.key+s), i18n.AR.Has(u.key+s))
			}
		}
	}
	for _, p := range []string{"method.", "reason.", "result."} {
		if !seen[p] {
			t.Errorf("the scan did not find the key prefix %q: is the scan broken?", p)
		}
	}

	// Every error page the handlers can show has its words.
	for _, k := range []string{"not_found", "gone", "forbidden", "bad_request", "generic"} {
		for _, part := range []string{".title", ".message"} {
			if !hasBoth("error." + k + part) {
				t.Errorf("key %q is missing", "error."+k+part)
			}
		}
	}
	if !slices.Contains(gateway.AllMethods, gateway.MethodKNET) {
		t.Error("gateway.AllMethods lost knet")
	}
}

// TestKeyScan checks the scanner itself on a made-up handler and template.
func TestKeyScan(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := "package x\n\nfunc f(l L, id string) {\n\tl.T(\"pay.nonexistent\")\n\tl.T(\"method.\" + id)\n\tkey := \"error.gone\"\n\t_ = l.T(key + \".title\")\n\t_ = \"order.paid\"\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "x.go"), []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	tmpl := "templ X(p Page) {\n\t<p>{ p.T(\"pay.title\") } { p.T(\"status.\" + s) }</p>\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "x.templ"), []byte(tmpl), 0o600); err != nil {
		t.Fatal(err)
	}
	keys, prefixes := goKeyUses(t, dir)
	var got []string
	for _, u := range append(keys, prefixes...) {
		got = append(got, u.key)
	}
	slices.Sort(got)
	if want := []string{"error.gone", "method.", "order.paid", "pay.nonexistent"}; !slices.Equal(got, want) {
		t.Errorf("Go scan found %v, want %v", got, want)
	}
	tk, tp, calls := templKeyUses(t, dir)
	if calls != 2 || len(tk) != 1 || tk[0].key != "pay.title" || len(tp) != 1 || tp[0].key != "status." {
		t.Errorf("templ scan: keys %v, prefixes %v, %d calls", tk, tp, calls)
	}
}
