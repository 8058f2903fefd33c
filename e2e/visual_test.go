package e2e

import (
	"bytes"
	"encoding/base64"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/playwright-community/playwright-go"

	"github.com/bawaba/checkout/checkouttest"
)

// Visual regression guard: every state of the shopper's pages and every simulator's page, in
// Arabic and English, at 360 px wide (a small phone), and the key shopper states at 1280 px (a
// laptop), compared with the references committed in testdata/visual (NAME-LANG.png at 360 px,
// NAME-LANG-1280.png). A change that breaks RTL, wraps a name or pushes content sideways fails
// here, with the actual image and a diff image (differing pixels in red) written to build/visual/.
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
	visualWidth            = 360   // every state
	visualWideWidth        = 1280  // the states marked wide
	visualChannelTolerance = 48    // of 255: anti-aliasing noise, not a moved glyph
	visualMaxDiffRatio     = 0.002 // 0.2 % of the page's pixels
)

// visualMasks hide what differs between runs; the boxes keep the layout's shape.
var visualMasks = []string{".time-left", ".receipt > .facts .mono"}

// visualStateMasks are the masks of one state (by name without the language): the simulators'
// ids, ports, clocks and QR codes. "frame:" marks a selector inside the K-Pay iframe. Each must
// match something on its page (compareVisual fails otherwise: a stale selector once let the Al
// Qaseh clock through), and should name a box whose width does not follow the masked text.
var visualStateMasks = map[string][]string{
	"sim-adyen-knet":  {".facts div:nth-child(3) dd"}, // PSP reference
	"sim-knet-direct": {"dl > div:nth-child(2) > dd"}, // the shop's site, with its port
	"sim-click":       {"[data-testid=click-track-id]"},
	"sim-alqaseh":     {"form > dl > div:first-child", "form > dl > div:last-child"}, // the rows of the order id and the time (whole rows: the values are not of fixed width)
	"sim-alipay":      {".qr svg"},
	"sim-kpay-qr":     {"frame:.qr", "frame:[data-testid=kpay-qr-countdown]"},
}

func TestVisual(t *testing.T) {
	s := shop(t)
	adyen, direct := adyenShop(t), knetDirectShop(t) // the other two ways to KNET's page
	// A shop with its logo configured (a data: URL, as the console's Settings accept).
	branded := startServer(t, "CHECKOUT_MERCHANT_LOGO=data:image/svg+xml;base64,"+base64.StdEncoding.EncodeToString([]byte(
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="16" fill="#7a4b1e"/>`+
			`<path d="M9 12h12v6a6 6 0 0 1-12 0zM21 13h2a3 3 0 0 1 0 6h-2" fill="none" stroke="#fff" stroke-width="2"/></svg>`)))
	// The reference is on the pages: the same for a state, language and width in every run
	// (and unique: the subtest's name ends in LANG or LANG-WIDTH).
	orderAt := func(t *testing.T, srv *server, currency, ref string) map[string]any {
		name, key := path.Base(t.Name()), "en"
		for _, l := range []string{"en", "ar"} {
			if i := strings.LastIndex(name, "-"+l); i >= 0 && (i+3 == len(name) || name[i+3] == '-') {
				key = name[i+1:]
			}
		}
		body := map[string]any{
			"amount": "6.000", "currency": "KWD", "reference": "visual-" + ref + "-" + key,
			"description": "Arabic coffee set", "return_url": srv.BaseURL + "/demo/return",
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
		return srv.createOrder(t, body)
	}
	order := func(t *testing.T, currency, ref string) map[string]any { return orderAt(t, s, currency, ref) }
	type state struct {
		name string
		// open brings page to the state; it returns when the page shows it.
		open func(t *testing.T, page playwright.Page, lang string)
		wide bool // also at visualWideWidth
	}
	gotoURL := func(t *testing.T, page playwright.Page, u string) {
		t.Helper()
		_, err := page.Goto(u)
		must(t, err)
	}
	checkout := func(o map[string]any) string { return o["checkout_url"].(string) }
	// gateway opens a simulator's first page for method, through our pay and confirm pages.
	gateway := func(srv *server, currency, method, ready string) func(t *testing.T, page playwright.Page, lang string) {
		return func(t *testing.T, page playwright.Page, lang string) {
			o := orderAt(t, srv, currency, method+"-"+strings.ToLower(currency))
			must(t, checkouttest.GoToGateway(page, checkout(o), method, lang))
			must(t, expect.Locator(page.Locator(ready)).ToBeVisible())
		}
	}
	states := []state{
		{"demo", func(t *testing.T, page playwright.Page, lang string) {
			gotoURL(t, page, s.BaseURL+"/?lang="+lang)
		}, true},
		{"pay-kwd", func(t *testing.T, page playwright.Page, lang string) {
			gotoURL(t, page, checkout(order(t, "KWD", "pay-kwd"))+"?lang="+lang)
		}, true},
		{"pay-thb", func(t *testing.T, page playwright.Page, lang string) {
			gotoURL(t, page, checkout(order(t, "THB", "pay-thb"))+"?lang="+lang)
		}, true},
		{"pay-logo", func(t *testing.T, page playwright.Page, lang string) {
			gotoURL(t, page, checkout(orderAt(t, branded, "KWD", "pay-logo"))+"?lang="+lang)
			must(t, expect.Locator(page.Locator("header img.logo")).ToBeVisible())
		}, false},
		{"pay-iqd", func(t *testing.T, page playwright.Page, lang string) {
			gotoURL(t, page, checkout(order(t, "IQD", "pay-iqd"))+"?lang="+lang)
		}, false},
		{"confirm-knet", func(t *testing.T, page playwright.Page, lang string) {
			gotoURL(t, page, checkout(order(t, "KWD", "confirm"))+"/confirm?method=knet&lang="+lang)
		}, true},
		{"confirm-kpay-card", func(t *testing.T, page playwright.Page, lang string) {
			gotoURL(t, page, checkout(order(t, "THB", "confirm-card"))+"/confirm?method=card&lang="+lang)
			must(t, expect.Locator(page.Locator("[data-testid=pay]")).ToBeVisible())
		}, true},
		{"kpay-embed-card", func(t *testing.T, page playwright.Page, lang string) {
			gotoURL(t, page, checkout(order(t, "THB", "embed-card"))+"/confirm?method=card&lang="+lang)
			must(t, page.Locator("[data-testid=pay]").Click())
			must(t, expect.Locator(page.Locator("[data-testid=kpay-button]")).ToBeVisible())
		}, true},
		{"result-paid", func(t *testing.T, page playwright.Page, lang string) {
			toKNET(t, page, checkout(order(t, "KWD", "paid")), lang, false)
			fillKNET(t, page, "2030", false)
			status(t, page, "paid")
			// Stay: the page would otherwise go back to the shop during the checks.
			must(t, page.Locator("[data-testid=stay]").Click())
			must(t, expect.Locator(page.Locator("[data-testid=countdown]")).ToBeHidden())
		}, true},
		{"result-failed", func(t *testing.T, page playwright.Page, lang string) {
			toKNET(t, page, checkout(order(t, "KWD", "failed")), lang, false)
			fillKNET(t, page, "2029", false)
			status(t, page, "failed")
		}, false},
		{"result-cancelled", func(t *testing.T, page playwright.Page, lang string) {
			toKNET(t, page, checkout(order(t, "KWD", "cancelled")), lang, false)
			fillKNET(t, page, "", true)
			status(t, page, "cancelled")
		}, false},
		{"result-pending", func(t *testing.T, page playwright.Page, lang string) {
			o := order(t, "KWD", "pending")
			toKNET(t, page, checkout(o), lang, false)
			gotoURL(t, page, checkout(o)+"/result?lang="+lang)
			status(t, page, "pending")
		}, true},
		{"result-expired", func(t *testing.T, page playwright.Page, lang string) {
			o := order(t, "KWD", "expired")
			expireNow(t, s, o["id"].(string))
			gotoURL(t, page, checkout(o)+"/result?lang="+lang)
			status(t, page, "expired")
		}, false},
		{"not-found", func(t *testing.T, page playwright.Page, lang string) {
			gotoURL(t, page, s.BaseURL+"/pay/ord_doesnotexist?lang="+lang)
			must(t, expect.Locator(page.Locator("[data-testid=error-page]")).ToBeVisible())
		}, false},
		// The simulators' pages: what a shopper sees of each gateway in the sandbox.
		{"sim-tap-knet", gateway(s, "KWD", "knet", "[data-testid=knet-card]"), false},
		{"sim-adyen-knet", gateway(adyen, "KWD", "knet", "[data-testid=adyen-knet-card]"), false},
		{"sim-knet-direct", gateway(direct, "KWD", "knet", "[data-testid=knet-card]"), false},
		{"sim-click", gateway(s, "KWD", "click", "[data-testid=click-method-knet]"), false},
		{"sim-alqaseh", gateway(s, "IQD", "card", "[data-testid=alqaseh-card]"), false},
		{"sim-unionpay", gateway(s, "THB", "unionpay", "[data-testid=kpay-upi-card]"), false},
		{"sim-alipay", gateway(s, "THB", "alipay", "[data-testid=kpay-alipay-approve]"), false},
		{"sim-kpay-card", func(t *testing.T, page playwright.Page, lang string) {
			gateway(s, "THB", "card", "[data-testid=kpay-button]")(t, page, lang)
			_, err := checkouttest.OpenKPayForm(page)
			must(t, err)
		}, false},
		// No QR is open yet here (sim-kpay-qr comes after), so the page has no table of ids to mask.
		{"sim-qr-simulator", func(t *testing.T, page playwright.Page, lang string) {
			gotoURL(t, page, s.BaseURL+"/sandbox/kpay/qr-simulator?lang="+lang)
			must(t, expect.Locator(page.Locator("[data-testid=kpay-qrsim-id]")).ToBeVisible())
		}, false},
		{"sim-kpay-qr", func(t *testing.T, page playwright.Page, lang string) {
			gateway(s, "THB", "thaiqr", "[data-testid=kpay-button]")(t, page, lang)
			must(t, page.Locator("[data-testid=kpay-button]").Click())
			must(t, expect.Locator(checkouttest.KPayFrame(page).Locator("[data-testid=kpay-qr-id]")).ToBeVisible())
		}, false},
	}
	for _, st := range states {
		widths := []int{visualWidth}
		if st.wide {
			widths = append(widths, visualWideWidth)
		}
		for _, width := range widths {
			for _, lang := range []string{"en", "ar"} {
				name := st.name + "-" + lang
				if width != visualWidth {
					name += "-" + strconv.Itoa(width)
				}
				t.Run(name, func(t *testing.T) {
					page := newPageWidth(t, lang, width)
					st.open(t, page, lang)
					checkA11y(t, page, "visual-"+name)
					noSidewaysScroll(t, page, name)
					compareVisual(t, page, name, visualStateMasks[st.name]...)
				})
			}
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
func compareVisual(t *testing.T, page playwright.Page, name string, extraMasks ...string) {
	t.Helper()
	var masks []playwright.Locator
	for i, m := range append(visualMasks, extraMasks...) {
		var l playwright.Locator
		if inFrame, ok := strings.CutPrefix(m, "frame:"); ok {
			l = checkouttest.KPayFrame(page).Locator(inFrame)
		} else {
			l = page.Locator(m)
		}
		if i >= len(visualMasks) { // the state's own masks must hide something
			n, err := l.Count()
			must(t, err)
			if n == 0 {
				t.Errorf("visual %s: mask %q matches nothing on the page", name, m)
			}
		}
		masks = append(masks, l)
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
