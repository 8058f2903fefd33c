// Package simtest is what the simulators' tests share: golden HTML files of their hosted pages,
// and waiting for a simulator to be idle.
// Only the sandbox's tests import it.
package simtest

import (
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden HTML files in testdata/golden")

// Golden compares page with testdata/golden/name.html. Each key of vary (an id, a token, a
// date the page shows, in any of its escapings) is replaced by its value first, so that a page with generated ids reads
// the same on every run. One tag a line, so a change reads as a small diff in review. After an
// intended change, rerun with -update and review the diff:
//
//	go test ./sandbox/... -run Golden -update
func Golden(t *testing.T, name, page string, vary map[string]string) {
	t.Helper()
	values := make([]string, 0, len(vary))
	for v := range vary {
		if v != "" {
			values = append(values, v)
		}
	}
	// The longest value first, so that one that holds another is replaced whole.
	sort.Slice(values, func(i, j int) bool {
		if len(values[i]) != len(values[j]) {
			return len(values[i]) > len(values[j])
		}
		return values[i] < values[j]
	})
	for _, v := range values {
		page = strings.ReplaceAll(page, v, vary[v])
	}
	page = strings.ReplaceAll(page, "><", ">\n<")
	file := filepath.Join("testdata", "golden", name+".html")
	if *update {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, []byte(page), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(want) != page {
		t.Errorf("%s differs from %s (rerun with -update after an intended change):\n%s", name, file, firstDiff(string(want), page))
	}
}

// firstDiff shows the first line that differs, with its neighbours.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return "line " + itoa(i+1) + ":\n- " + wl + "\n+ " + gl
		}
	}
	return ""
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return itoa(n/10) + string(rune('0'+n%10))
}
