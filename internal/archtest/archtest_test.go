// Package archtest checks the import graph against the map in docs/ARCHITECTURE.md: the table
// between the archtest:rules markers says, for each package pattern, which packages of this
// module it may import and which outside packages it must not. A package the table does not
// list fails too, so the map stays the map of the code as it is.
package archtest

import (
	"bufio"
	"errors"
	"fmt"
	"go/build"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// rule is one row of the map.
type rule struct {
	pattern string   // "order", "gateway/*"
	may     []string // module packages it may import (patterns); "*": any
	mustNot []string // import paths (and their sub-packages) it must not import
}

// matches reports whether a module-relative package path matches a pattern: "x/*" is every
// package below x, anything else is one package.
func matches(pattern, pkg string) bool {
	if pattern == "*" {
		return true
	}
	if dir, ok := strings.CutSuffix(pattern, "/*"); ok {
		return strings.HasPrefix(pkg, dir+"/")
	}
	return pattern == pkg
}

// ruleFor returns the first rule matching pkg.
func ruleFor(rules []rule, pkg string) (rule, bool) {
	for _, r := range rules {
		if matches(r.pattern, pkg) {
			return r, true
		}
	}
	return rule{}, false
}

// check returns every way pkgs (module-relative path → imports, full paths) break rules.
func check(module string, rules []rule, pkgs map[string][]string) []string {
	var bad []string
	names := make([]string, 0, len(pkgs))
	for p := range pkgs {
		names = append(names, p)
	}
	slices.Sort(names)
	for _, pkg := range names {
		r, ok := ruleFor(rules, pkg)
		if !ok {
			bad = append(bad, fmt.Sprintf("%s is not on the map: add a row for it to docs/ARCHITECTURE.md", pkg))
			continue
		}
		for _, imp := range pkgs[pkg] {
			for _, f := range r.mustNot {
				if imp == f || strings.HasPrefix(imp, f+"/") {
					bad = append(bad, fmt.Sprintf("%s imports %s, which its row (%s) forbids", pkg, imp, r.pattern))
				}
			}
			rel, ok := strings.CutPrefix(imp, module+"/")
			if !ok {
				continue
			}
			if !slices.ContainsFunc(r.may, func(p string) bool { return matches(p, rel) }) {
				bad = append(bad, fmt.Sprintf("%s imports %s, which its row (%s) does not allow", pkg, rel, r.pattern))
			}
		}
	}
	return bad
}

var (
	backticked = regexp.MustCompile("`([^`]+)`")
	moduleLine = regexp.MustCompile(`(?m)^module\s+(\S+)`)
)

// parseRules reads the table between <!-- archtest:rules --> and <!-- /archtest:rules -->:
// | `pattern` | owns | may import | must not import |.
func parseRules(doc string) ([]rule, error) {
	_, rest, ok := strings.Cut(doc, "<!-- archtest:rules -->")
	table, _, ok2 := strings.Cut(rest, "<!-- /archtest:rules -->")
	if !ok || !ok2 {
		return nil, errors.New("no archtest:rules markers")
	}
	var rules []rule
	sc := bufio.NewScanner(strings.NewReader(table))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if !strings.HasPrefix(line, "|") || strings.HasPrefix(line, "|---") || strings.HasPrefix(line, "| package") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		if len(cells) != 4 {
			return nil, fmt.Errorf("row %q: want 4 cells, have %d", line, len(cells))
		}
		pat := backticked.FindStringSubmatch(cells[0])
		if pat == nil {
			return nil, fmt.Errorf("row %q: no `pattern` in the first cell", line)
		}
		r := rule{pattern: pat[1]}
		for _, m := range backticked.FindAllStringSubmatch(cells[2], -1) {
			r.may = append(r.may, m[1])
		}
		for _, m := range backticked.FindAllStringSubmatch(cells[3], -1) {
			r.mustNot = append(r.mustNot, m[1])
		}
		rules = append(rules, r)
	}
	if len(rules) == 0 {
		return nil, errors.New("the rules table is empty")
	}
	return rules, nil
}

// modulePackages returns every package of the module rooted at root (module-relative path →
// its non-test imports), read with go/build under the default build context.
func modulePackages(root string) (map[string][]string, error) {
	pkgs := map[string][]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		name := d.Name()
		if path != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" || name == "node_modules") {
			return filepath.SkipDir
		}
		if path != root {
			if _, err := os.Stat(filepath.Join(path, "go.mod")); err == nil {
				return filepath.SkipDir // another module
			}
		}
		p, err := build.Default.ImportDir(path, 0)
		var noGo *build.NoGoError
		if errors.As(err, &noGo) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		pkgs[filepath.ToSlash(rel)] = p.Imports
		return nil
	})
	return pkgs, err
}

// moduleRoot finds the directory holding go.mod above the test's directory.
func moduleRoot(t *testing.T) (root, module string) {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil {
			m := moduleLine.FindSubmatch(b)
			if m == nil {
				t.Fatalf("%s/go.mod has no module line", dir)
			}
			return dir, string(m[1])
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test")
		}
		dir = parent
	}
}

// The code's import graph follows the map in docs/ARCHITECTURE.md.
func TestImportsFollowTheMap(t *testing.T) {
	t.Parallel()
	root, module := moduleRoot(t)
	doc, err := os.ReadFile(filepath.Join(root, "docs", "ARCHITECTURE.md"))
	if err != nil {
		t.Fatal(err)
	}
	rules, err := parseRules(string(doc))
	if err != nil {
		t.Fatalf("docs/ARCHITECTURE.md: %v", err)
	}
	pkgs, err := modulePackages(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"order", "gateway", "handlers", "store", "internal/archtest"} {
		if _, ok := pkgs[want]; !ok {
			t.Fatalf("package %s not found under %s: the walk is broken", want, root)
		}
	}
	for _, b := range check(module, rules, pkgs) {
		t.Error(b)
	}
}

// The checker itself catches what the map forbids.
func TestCheckCatchesForbiddenImports(t *testing.T) {
	t.Parallel()
	const mod = "example.com/m"
	rules := []rule{
		{pattern: "money"},
		{pattern: "gateway", may: []string{"money"}},
		{pattern: "gateway/internal/*", may: []string{"gateway", "money"}},
		{pattern: "gateway/*", may: []string{"gateway", "money", "gateway/internal/*"}},
		{pattern: "sandbox/*"},
		{pattern: "order", may: []string{"gateway", "money"}, mustNot: []string{"net/http"}},
		{pattern: "handlers", may: []string{"order", "gateway"}},
		{pattern: "cmd/*", may: []string{"*"}},
	}
	cases := []struct {
		name string
		pkg  string
		imps []string
		bad  bool
	}{
		{"order uses gateway and money", "order", []string{mod + "/gateway", mod + "/money", "time"}, false},
		{"order imports handlers", "order", []string{mod + "/handlers"}, true},
		{"order speaks HTTP", "order", []string{"net/http"}, true},
		{"order uses httptest", "order", []string{"net/http/httptest"}, true},
		{"order uses net/url", "order", []string{"net/url"}, false},
		{"connector imports its simulator", "gateway/tap", []string{mod + "/sandbox/tap"}, true},
		{"connector imports another connector", "gateway/tap", []string{mod + "/gateway/adyen"}, true},
		{"connector uses a shared helper", "gateway/tap", []string{mod + "/gateway/internal/gwhttp"}, false},
		{"helper imports a connector", "gateway/internal/gwhttp", []string{mod + "/gateway/tap"}, true},
		{"simulator imports the connector", "sandbox/tap", []string{mod + "/gateway/tap"}, true},
		{"simulator imports the gateway types", "sandbox/tap", []string{mod + "/gateway"}, true},
		{"money imports nothing", "money", []string{mod + "/gateway"}, true},
		{"cmd wires everything", "cmd/checkout", []string{mod + "/handlers", mod + "/sandbox/tap"}, false},
		{"a package not on the map", "links", nil, true},
	}
	for _, tc := range cases {
		got := check(mod, rules, map[string][]string{tc.pkg: tc.imps})
		if (len(got) > 0) != tc.bad {
			t.Errorf("%s: problems %q, want bad=%v", tc.name, got, tc.bad)
		}
	}
}

func TestParseRules(t *testing.T) {
	t.Parallel()
	doc := "intro\n<!-- archtest:rules -->\n| package | owns | may import | must not import |\n|---|---|---|---|\n" +
		"| `money` | amounts | — | |\n| `order` | orders | `gateway`, `money` | `net/http` |\n<!-- /archtest:rules -->\n"
	rules, err := parseRules(doc)
	if err != nil {
		t.Fatal(err)
	}
	want := []rule{{pattern: "money"}, {pattern: "order", may: []string{"gateway", "money"}, mustNot: []string{"net/http"}}}
	if fmt.Sprint(rules) != fmt.Sprint(want) {
		t.Errorf("rules = %+v, want %+v", rules, want)
	}
	if _, err := parseRules("no markers"); err == nil {
		t.Error("a doc without markers parsed")
	}
	if _, err := parseRules("<!-- archtest:rules -->\n| `x` | too few |\n<!-- /archtest:rules -->"); err == nil {
		t.Error("a row with 2 cells parsed")
	}
}
