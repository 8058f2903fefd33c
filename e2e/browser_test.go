package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/playwright-community/playwright-go"
)

// One Playwright driver and one Chromium for the whole package, started by the first test that
// needs them and stopped by TestMain. Each test gets its own context (cookies, storage) via newPage.
var (
	browserOnce sync.Once
	pw          *playwright.Playwright
	browser     playwright.Browser
	browserErr  error  // a real failure to start (not a missing install)
	browserMiss string // why the browser or driver is not installed, if it is not
)

// chromiumArgs keep headless Chromium off the network this machine does not have (TOOLCHAIN.md).
var chromiumArgs = []string{
	"--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
	"--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
}

func chromiumPath() string {
	if p := os.Getenv("BAWABA_CHROMIUM"); p != "" {
		return p
	}
	return "/usr/bin/chromium"
}

func startBrowser() {
	exe := chromiumPath()
	if _, err := exec.LookPath(exe); err != nil {
		browserMiss = fmt.Sprintf("chromium not found at %s (BAWABA_CHROMIUM)", exe)
		return
	}
	drv := os.Getenv("PLAYWRIGHT_DRIVER_PATH")
	if drv == "" {
		browserMiss = "PLAYWRIGHT_DRIVER_PATH is not set (the Playwright driver, npm playwright-core)"
		return
	}
	for _, f := range []string{"node", "package/cli.js"} {
		if _, err := os.Stat(filepath.Join(drv, f)); err != nil {
			browserMiss = fmt.Sprintf("Playwright driver incomplete: %v", err)
			return
		}
	}
	// Never playwright.Install(): it downloads, and this machine reaches no download host.
	pw, browserErr = playwright.Run(&playwright.RunOptions{SkipInstallBrowsers: true, Verbose: false})
	if browserErr != nil {
		browserErr = fmt.Errorf("starting the Playwright driver in %s: %w", drv, browserErr)
		return
	}
	browser, browserErr = pw.Chromium.Launch(playwright.BrowserTypeLaunchOptions{
		ExecutablePath: playwright.String(exe),
		Headless:       playwright.Bool(true),
		Args:           chromiumArgs,
	})
	if browserErr != nil {
		browserErr = fmt.Errorf("launching %s: %w", exe, browserErr)
	}
}

func stopBrowser() {
	if browser != nil {
		_ = browser.Close()
	}
	if pw != nil {
		_ = pw.Stop()
	}
}

// sharedBrowser returns the package's Chromium, skipping the test (failing it under CI) when the
// browser or driver is not installed.
func sharedBrowser(t *testing.T) playwright.Browser {
	t.Helper()
	browserOnce.Do(startBrowser)
	if browserMiss != "" {
		missing(t, "%s", browserMiss)
	}
	if browserErr != nil {
		t.Fatal(browserErr)
	}
	return browser
}

// newPage opens a page in a fresh context sized like a phone (390x844) whose language is locale
// ("ar" or "en": navigator.language and Accept-Language). Both are closed when the test ends.
func newPage(t *testing.T, locale string) playwright.Page {
	t.Helper()
	ctx, err := sharedBrowser(t).NewContext(playwright.BrowserNewContextOptions{
		Locale:           playwright.String(locale),
		Viewport:         &playwright.Size{Width: 390, Height: 844},
		IsMobile:         playwright.Bool(true),
		HasTouch:         playwright.Bool(true),
		ExtraHttpHeaders: map[string]string{"Accept-Language": locale},
	})
	if err != nil {
		t.Fatalf("new browser context: %v", err)
	}
	t.Cleanup(func() { _ = ctx.Close() })
	ctx.SetDefaultTimeout(15000) // ms: fail a missing element well before go test's timeout
	page, err := ctx.NewPage()
	if err != nil {
		t.Fatalf("new page: %v", err)
	}
	return page
}

// axeViolation is the part of an axe-core result the tests report.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any `json:"target"` // CSS selectors (nested arrays inside iframes/shadow roots)
	} `json:"nodes"`
}

// runAxe injects axe-core into the page and returns every violation it finds.
func runAxe(page playwright.Page) ([]axeViolation, error) {
	const ready = "() => typeof window.axe === 'object'"
	if ok, _ := page.Evaluate(ready); ok != true {
		if _, err := page.AddScriptTag(playwright.PageAddScriptTagOptions{Path: playwright.String(axeJSPath())}); err != nil {
			// A strict Content-Security-Policy blocks the injected <script>; evaluating the
			// source through the devtools protocol is not subject to it.
			src, rerr := os.ReadFile(axeJSPath())
			if rerr != nil {
				return nil, rerr
			}
			if _, eerr := page.Evaluate(string(src) + "\n;0"); eerr != nil {
				return nil, fmt.Errorf("injecting axe-core: %v; then: %v", err, eerr)
			}
		}
	}
	res, err := page.Evaluate(`async () => JSON.stringify((await axe.run(document, {resultTypes: ['violations']})).violations)`)
	if err != nil {
		return nil, fmt.Errorf("axe.run: %w", err)
	}
	s, _ := res.(string)
	var vs []axeViolation
	if err := json.Unmarshal([]byte(s), &vs); err != nil {
		return nil, fmt.Errorf("axe.run result: %w", err)
	}
	return vs, nil
}

// runAxeIn runs axe-core inside one frame of the page.
func runAxeIn(f playwright.Frame) ([]axeViolation, error) {
	if ok, _ := f.Evaluate("() => typeof window.axe === 'object'"); ok != true {
		src, err := os.ReadFile(axeJSPath())
		if err != nil {
			return nil, err
		}
		if _, err := f.Evaluate(string(src) + "\n;0"); err != nil {
			return nil, fmt.Errorf("injecting axe-core: %w", err)
		}
	}
	res, err := f.Evaluate(`async () => JSON.stringify((await axe.run(document, {resultTypes: ['violations']})).violations)`)
	if err != nil {
		return nil, fmt.Errorf("axe.run: %w", err)
	}
	s, _ := res.(string)
	var vs []axeViolation
	if err := json.Unmarshal([]byte(s), &vs); err != nil {
		return nil, fmt.Errorf("axe.run result: %w", err)
	}
	return vs, nil
}

func axeJSPath() string {
	if p := os.Getenv("BAWABA_AXE_JS"); p != "" {
		return p
	}
	return filepath.Join(repoRoot, ".cache", "axe", "node_modules", "axe-core", "axe.min.js")
}

// checkA11y runs axe-core on the page as it is now and fails the test for every violation,
// whatever its impact (minor and moderate too, on every page: shopper, gateway and console),
// with its id, help and elements. name says which page it was.
// Without axe-core installed it only logs (fails under CI).
func checkA11y(t *testing.T, page playwright.Page, name string) {
	t.Helper()
	if _, err := os.Stat(axeJSPath()); err != nil {
		if inCI() {
			t.Fatalf("a11y %s: axe-core missing (BAWABA_AXE_JS): %v", name, err)
		}
		t.Logf("a11y %s: NOT checked, axe-core missing (BAWABA_AXE_JS): %v — scripts/test.sh installs it", name, err)
		return
	}
	vs, err := runAxe(page)
	if err != nil {
		t.Fatalf("a11y %s: %v", name, err)
	}
	// The gateways' frames (the K-Payment form) are pages the shopper uses too: check them.
	for _, f := range page.Frames() {
		if f == page.MainFrame() || f.IsDetached() || !strings.HasPrefix(f.URL(), "http") {
			continue
		}
		fvs, err := runAxeIn(f)
		if err != nil && strings.Contains(err.Error(), "detached") {
			continue // the frame went away while being checked (a form that submitted)
		}
		if err != nil {
			t.Fatalf("a11y %s (frame %s): %v", name, f.URL(), err)
		}
		vs = append(vs, fvs...)
	}
	for _, v := range vs {
		var targets []string
		for _, n := range v.Nodes {
			targets = append(targets, fmt.Sprint(n.Target...))
		}
		t.Errorf("a11y %s: %s [%s] %s\n    at: %s", name, v.ID, v.Impact, v.Help, strings.Join(targets, "\n        "))
	}
}

// screenshot saves a full-page PNG as build/screenshots/<name>.png under the repo root.
func screenshot(t *testing.T, page playwright.Page, name string) {
	t.Helper()
	dir := filepath.Join(repoRoot, "build", "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, name+".png")
	if _, err := page.Screenshot(playwright.PageScreenshotOptions{Path: playwright.String(path), FullPage: playwright.Bool(true)}); err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	t.Logf("screenshot: %s", path)
}
