// Package e2e drives the real checkout binary in a real browser (playwright-go + Debian chromium).
//
// Run it through the project's test command, which installs the browser, the Playwright driver
// and axe-core when missing and exports the variables below:
//
//	scripts/test.sh -run TestBrowserSmoke ./e2e/
//
// Environment:
//
//	PLAYWRIGHT_DRIVER_PATH  playwright-core (npm) laid out as the playwright-go driver
//	BAWABA_CHROMIUM         chromium executable (default /usr/bin/chromium)
//	BAWABA_AXE_JS           axe.min.js for checkA11y (default .cache/axe/node_modules/axe-core/axe.min.js)
//	CI                      when set, a missing browser/driver/axe fails tests instead of skipping them
package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

var (
	repoRoot   string // the module root (holds go.mod)
	binaryPath string // ./cmd/checkout built once by TestMain
)

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	var err error
	if repoRoot, err = findRepoRoot(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	dir, err := os.MkdirTemp("", "checkout-e2e-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(dir)

	// Build the server once; every test starts its own process of it.
	binaryPath = filepath.Join(dir, "checkout")
	build := exec.Command("go", "build", "-o", binaryPath, "./cmd/checkout")
	build.Dir = repoRoot
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "e2e: go build ./cmd/checkout failed: %v\n%s", err, out)
		return 1
	}

	defer stopBrowser() // only does something if a test started the shared browser
	code := m.Run()
	if err := serverLogs.check(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: FAIL:", err)
		return 1
	}
	return code
}

// findRepoRoot walks up from the working directory (e2e/ under go test) to the go.mod.
func findRepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above the working directory")
		}
		dir = parent
	}
}

// inCI reports whether missing prerequisites must fail rather than skip.
func inCI() bool {
	v := os.Getenv("CI")
	return v != "" && v != "0" && v != "false"
}

// missing fails (under CI) or skips (elsewhere) a test whose prerequisite is absent.
func missing(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...) + " — run the tests with scripts/test.sh (make test), which installs it"
	if inCI() {
		t.Fatal(msg)
	}
	t.Skip(msg)
}
