package e2e

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/playwright-community/playwright-go"
)

// Visual regression guard: every state of the shopper's pages, in Arabic and English, at 360 px
// wide (a small phone), compared with the references committed in testdata/visual. A change
// that breaks RTL, wraps a name or pushes content sideways fails here, with the actual image
// and a diff image (differing pixels in red) written to build/visual/.
//
//	go test -run TestVisual ./e2e/ -update   # after a deliberate change: rewrite the references
//
// The references are taken with Debian's chromium and fonts-noto-core (what scripts/test.sh
// installs, here and in CI). Text that changes from run to run (ids, dates, the minutes left) is
// masked; the paid page's countdown is stopped with its Stay button. A pixel counts as
// different when a channel differs by more than visualChannelTolerance; a page fails when more
// than visualMaxDiffRatio of its pixels differ, or when its size changed.
var updateVisual = flag.Bool("update", false, "rewrite the visual references in e2e/testdata/visual")

const (
	visualWidth            = 360
	visualChannelTolerance = 48    // of 255: anti-aliasing noise, not a moved glyph
	visualMaxDiffRatio     = 0.002 // 0.2 % of the page's pixels
)

// visualMasks hide what differs between runs; the boxes keep the layout's shape.
var visualMasks = []string{".time-left", ".receipt > .facts .mono"}

func TestVisual(t *testing.T) {
	s := shop(t)
	// The reference is on the pages: the same for a state and language in every run.
	order := func(t *testing.T, currency, ref string) map[string]any {
		lang := "en"
		if strings.HasSuffix(t.Name(), "-ar") {
			lang = "ar"
		}
		body := map[string]any{
			"amount": "6.000", "currency": "KWD", "reference": "visual-" + ref + "-" + lang,
			"description": "Arabic coffee set", "return_url": s.BaseURL + "/demo/return",
			"items": []map[string]any{{"name": "Dallah", "quantity": 2, "unit_amount": "3.000"}},
		}
		switch currency {
		case "THB":
			body["amount"], body["currency"], body["description"], body["items"] = "590.00", "THB", "Thai silk scarf", nil
		case "IQD":
			body["amount"], body["currency"], body["description"], body["items"] = "15000", "IQD", "Iraqi tea glasses", nil
		}
		if body["items"] == nil {
			delete(body, "items")
		}
		return s.createOrder(t, body)
	}
	type state struct {
		name string
		// open brings page to the state; it returns when the page shows it.
		open func(t *testing.T, page playwright.Page, lang string)
	}
	gotoURL := func(t *testing.T, page playwright.Page, u string) {
		t.Helper()
		_, err := page.Goto(u)
		must(t, err)
	}
	checkout := func(o map[string]any) string { return o["checkout_url"].(string) }
	states := []state{
		{"demo", func(t *testing.T, page playwright.Page, lang string) {
			gotoURL(t, page, s.BaseURL+"/?lang="+lang)
		}},
		{"pay-kwd", func(t *testing.T, page playwright.Page, lang string) {
			gotoURL(t, page, checkout(order(t, "KWD", "pay-kwd"))+"?lang="+lang)
		}},
		{"pay-thb", func(t *testing.T, page playwright.Page, lang string) {
			gotoURL(t, page, checkout(order(t, "THB", "pay-thb"))+"?lang="+lang)
		}},
		{"pay-iqd", func(t *testing.T, page playwright.Page, lang string) {
			gotoURL(t, page, checkout(order(t, "IQD", "pay-iqd"))+"?lang="+lang)
		}},
		{"confirm-knet", func(t *testing.T, page playwright.Page, lang string) {
			gotoURL(t, page, checkout(order(t, "KWD", "confirm"))+"/confirm?method=knet&lang="+lang)
		}},
		{"confirm-kpay-card", func(t *testing.T, page playwright.Page, lang string) {
			gotoURL(t, page, checkout(order(t, "THB", "confirm-card"))+"/confirm?method=card&lang="+lang)
			must(t, expect.Locator(page.Locator("[data-testid=kpay-button]")).ToBeVisible())
		}},
		{"result-paid", func(t *testing.T, page playwright.Page, lang string) {
			toKNET(t, page, checkout(order(t, "KWD", "paid")), lang, false)
			fillKNET(t, page, "2030", false)
			status(t, page, "paid")
			// Stay: the page would otherwise go back to the shop during the checks.
			must(t, page.Locator("[data-testid=stay]").Click())
			must(t, expect.Locator(page.Locator("[data-testid=countdown]")).ToBeHidden())
		}},
		{"result-failed", func(t *testing.T, page playwright.Page, lang string) {
			toKNET(t, page, checkout(order(t, "KWD", "failed")), lang, false)
			fillKNET(t, page, "2029", false)
			status(t, page, "failed")
		}},
		{"result-cancelled", func(t *testing.T, page playwright.Page, lang string) {
			toKNET(t, page, checkout(order(t, "KWD", "cancelled")), lang, false)
			fillKNET(t, page, "", true)
			status(t, page, "cancelled")
		}},
		{"result-pending", func(t *testing.T, page playwright.Page, lang string) {
			o := order(t, "KWD", "pending")
			toKNET(t, page, checkout(o), lang, false)
			gotoURL(t, page, checkout(o)+"/result?lang="+lang)
			status(t, page, "pending")
		}},
		{"result-expired", func(t *testing.T, page playwright.Page, lang string) {
			o := order(t, "KWD", "expired")
			expireNow(t, s, o["id"].(string))
			gotoURL(t, page, checkout(o)+"/result?lang="+lang)
			status(t, page, "expired")
		}},
		{"not-found", func(t *testing.T, page playwright.Page, lang string) {
			gotoURL(t, page, s.BaseURL+"/pay/ord_doesnotexist?lang="+lang)
			must(t, expect.Locator(page.Locator("[data-testid=error-page]")).ToBeVisible())
		}},
	}
	for _, st := range states {
		for _, lang := range []string{"en", "ar"} {
			name := st.name + "-" + lang
			t.Run(name, func(t *testing.T) {
				page := newPageWidth(t, lang, visualWidth)
				st.open(t, page, lang)
				checkA11y(t, page, "visual-"+name)
				noSidewaysScroll(t, page, name)
				compareVisual(t, page, name)
			})
		}
	}
}

// newPageWidth is newPage at another viewport width.
func newPageWidth(t *testing.T, locale string, width int) playwright.Page {
	t.Helper()
	ctx, err := sharedBrowser(t).NewContext(playwright.BrowserNewContextOptions{
		Locale:            playwright.String(locale),
		Viewport:          &playwright.Size{Width: width, Height: 780},
		DeviceScaleFactor: playwright.Float(1),
		IsMobile:          playwright.Bool(true),
		HasTouch:          playwright.Bool(true),
		ReducedMotion:     playwright.ReducedMotionReduce,
		ExtraHttpHeaders:  map[string]string{"Accept-Language": locale},
	})
	if err != nil {
		t.Fatalf("new browser context: %v", err)
	}
	t.Cleanup(func() { _ = ctx.Close() })
	ctx.SetDefaultTimeout(15000)
	page, err := ctx.NewPage()
	if err != nil {
		t.Fatalf("new page: %v", err)
	}
	return page
}

// noSidewaysScroll fails when the page is wider than its viewport (it would scroll sideways).
func noSidewaysScroll(t *testing.T, page playwright.Page, name string) {
	t.Helper()
	w, err := page.Evaluate(`() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]`)
	must(t, err)
	ws, ok := w.([]any)
	if !ok || len(ws) != 2 {
		t.Fatalf("%s: widths %v", name, w)
	}
	if fmt.Sprint(ws[0]) != fmt.Sprint(ws[1]) {
		t.Errorf("%s: the page is %v px wide in a %v px viewport: it scrolls sideways", name, ws[0], ws[1])
	}
}

// compareVisual screenshots the whole page and compares it with its reference, or rewrites
// the reference under -update.
func compareVisual(t *testing.T, page playwright.Page, name string) {
	t.Helper()
	var masks []playwright.Locator
	for _, m := range visualMasks {
		masks = append(masks, page.Locator(m))
	}
	shot, err := page.Screenshot(playwright.PageScreenshotOptions{
		FullPage: playwright.Bool(true), Animations: playwright.ScreenshotAnimationsDisabled,
		Caret: playwright.ScreenshotCaretHide, Mask: masks, MaskColor: playwright.String("#888888"),
		Scale: playwright.ScreenshotScaleCss,
	})
	must(t, err)
	ref := filepath.Join(repoRoot, "e2e", "testdata", "visual", name+".png")
	if *updateVisual {
		must(t, os.WriteFile(ref, shot, 0o644))
		t.Logf("visual reference written: %s", ref)
		return
	}
	want, err := readPNG(ref)
	if err != nil {
		t.Fatalf("visual %s: no reference (%v); run: go test -run TestVisual ./e2e/ -update", name, err)
	}
	got, err := png.Decode(bytes.NewReader(shot))
	must(t, err)
	diff, differing, total := diffImages(want, got)
	if diff == nil {
		writeVisual(t, name+".actual.png", got)
		t.Fatalf("visual %s: size %v, reference %v (build/visual/%s.actual.png)", name, got.Bounds().Size(), want.Bounds().Size(), name)
	}
	if ratio := float64(differing) / float64(total); ratio > visualMaxDiffRatio {
		writeVisual(t, name+".actual.png", got)
		writeVisual(t, name+".diff.png", diff)
		t.Errorf("visual %s: %d of %d pixels differ (%.3f%% > %.3f%%): see build/visual/%s.diff.png",
			name, differing, total, 100*ratio, 100*visualMaxDiffRatio, name)
	}
}

func readPNG(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return png.Decode(f)
}

// diffImages counts the pixels of got that differ from want beyond the channel tolerance and
// draws them red over a faded copy of want; nil when the sizes differ.
func diffImages(want, got image.Image) (diff *image.RGBA, differing, total int) {
	b := want.Bounds()
	if b.Size() != got.Bounds().Size() {
		return nil, 0, 0
	}
	diff = image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	gb := got.Bounds()
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			wr, wg, wb, _ := want.At(b.Min.X+x, b.Min.Y+y).RGBA()
			gr, gg, gbb, _ := got.At(gb.Min.X+x, gb.Min.Y+y).RGBA()
			total++
			if channelDiff(wr, gr) > visualChannelTolerance || channelDiff(wg, gg) > visualChannelTolerance || channelDiff(wb, gbb) > visualChannelTolerance {
				differing++
				diff.Set(x, y, color.RGBA{R: 255, A: 255})
				continue
			}
			l := uint8((wr>>8+wg>>8+wb>>8)/3/4 + 191) // faded grey of the reference
			diff.Set(x, y, color.RGBA{R: l, G: l, B: l, A: 255})
		}
	}
	return diff, differing, total
}

func channelDiff(a, b uint32) int {
	d := int(a>>8) - int(b>>8)
	if d < 0 {
		return -d
	}
	return d
}

func writeVisual(t *testing.T, name string, img image.Image) {
	t.Helper()
	dir := filepath.Join(repoRoot, "build", "visual")
	must(t, os.MkdirAll(dir, 0o755))
	var buf bytes.Buffer
	must(t, png.Encode(&buf, img))
	must(t, os.WriteFile(filepath.Join(dir, name), buf.Bytes(), 0o644))
}
