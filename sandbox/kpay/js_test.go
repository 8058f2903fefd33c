package kpay

import (
	"math"
	"regexp"
	"strings"
	"testing"
)

func TestScriptServed(t *testing.T) {
	e := newEnv(t, nil)
	r := e.page(testBase + "/ui/v2/kpayment.min.js")
	if r.status != 200 {
		t.Fatalf("status %d", r.status)
	}
	if ct := r.header.Get("Content-Type"); ct != "text/javascript; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if r.header.Get("X-Content-Type-Options") != "nosniff" {
		t.Error("no nosniff")
	}
	js := r.text()
	// What the script must read and do (spec §2, §2.6, §2.7).
	contains(t, js,
		"document.currentScript", "'apikey'", "'amount'", "'currency'", "'payment-methods'", "'name'", "'mid'",
		"'order-id'", "'ref-number'", "'customer-id'", "'campaign-id'", "'smartpay-id'", "'smartpayid'", "'term'",
		"'plan-id'", "'ipan-mode'", "'product-type'", "'supplier-no'", "'model-no'", "'show-button'", "'lang'",
		"documentElement.getAttribute('lang')",
		"'kpay-button'", "'kpay-frame'", "'kpay-close'", "title = 'K-Payment'", "/ui/v2/form?", "/ui/v2/kpayment.css",
		"/ui/v2/qr-status?", "event.origin !== ORIGIN", "event.source !== frame.contentWindow",
		"window.KPayment", "show: show", "onClose:", "'Escape'", "aria-modal", "inert",
		"token: true", "paymentMethods: true", "savecard: true", "dcc_currency: true", "smartpayId: true",
		"planid: true", "ipanmode: true", "producttype: true", "supplierno: true", "modelno: true", "chargeId",
		"HTMLFormElement.prototype.submit.call(form)", "button.type = 'button'",
	)
	// Nothing a strict CSP (no 'unsafe-inline' styles or scripts) would block.
	for _, bad := range []string{"style=", "setAttribute('style'", "cssText", "innerHTML", "outerHTML",
		"insertAdjacentHTML", "document.write", "eval(", "new Function", "javascript:"} {
		if strings.Contains(js, bad) {
			t.Errorf("script contains %q", bad)
		}
	}
}

func TestStyleSheetAndFrameScript(t *testing.T) {
	e := newEnv(t, nil)
	css := e.page(testBase + "/ui/v2/kpayment.css")
	if css.status != 200 || css.header.Get("Content-Type") != "text/css; charset=utf-8" {
		t.Fatalf("css: %d %q", css.status, css.header.Get("Content-Type"))
	}
	contains(t, css.text(), ".kpay-button", ".kpay-overlay", ".kpay-frame", ".kpay-close", ":focus-visible")
	noPhysical(t, "kpayment.css", css.text())

	fj := e.page(testBase + "/ui/v2/frame.js")
	if fj.status != 200 || fj.header.Get("Content-Type") != "text/javascript; charset=utf-8" {
		t.Fatalf("frame.js: %d %q", fj.status, fj.header.Get("Content-Type"))
	}
	contains(t, fj.text(), "postMessage(message, origin)", "kpay:close", "data-kpay-countdown")
	if strings.Contains(fj.text(), `"*"`) || strings.Contains(fj.text(), "'*'") {
		t.Error("frame.js must not post to any origin")
	}
}

var physical = regexp.MustCompile(`(?i)\b(left|right)\b|margin-(left|right)|padding-(left|right)|border-(left|right)|text-align:\s*(left|right)`)

// noPhysical fails on physical (left/right) CSS: only logical properties.
func noPhysical(t *testing.T, name, css string) {
	t.Helper()
	if m := physical.FindString(css); m != "" {
		t.Errorf("%s uses physical CSS %q", name, m)
	}
}

func TestCatalogsMatch(t *testing.T) {
	en, ar := catalog["en"], catalog["ar"]
	for k := range en {
		if ar[k] == "" {
			t.Errorf("ar lacks %q", k)
		}
	}
	for k := range ar {
		if en[k] == "" {
			t.Errorf("en lacks %q", k)
		}
	}
}

func TestContrast(t *testing.T) {
	// Text colours of the pages and the script against their backgrounds: ≥ 4.5:1.
	for _, p := range [][2]string{
		{"#ffffff", "#00703c"}, {"#ffffff", "#005a30"}, {"#ffffff", "#1f3a68"}, {"#ffffff", "#b5121b"},
		{"#ffffff", "#0a56c2"}, {"#1b1f24", "#ffffff"}, {"#47525e", "#ffffff"}, {"#a4000f", "#ffffff"},
		{"#4d3800", "#fff4d6"}, {"#7a000b", "#fff5f5"}, {"#00703c", "#ffffff"}, {"#1b1f24", "#e8f3ec"},
		{"#1b1f24", "#f3f6f4"}, {"#0b5d2e", "#ffffff"}, {"#47525e", "#f1f4f2"},
	} {
		if c := contrast(p[0], p[1]); c < 4.5 {
			t.Errorf("%s on %s: %.2f:1", p[0], p[1], c)
		}
	}
}

func contrast(fg, bg string) float64 {
	l1, l2 := luminance(fg), luminance(bg)
	if l1 < l2 {
		l1, l2 = l2, l1
	}
	return (l1 + 0.05) / (l2 + 0.05)
}

func luminance(hex string) float64 {
	ch := func(i int) float64 {
		var v int
		for _, c := range hex[i : i+2] {
			v *= 16
			switch {
			case c >= '0' && c <= '9':
				v += int(c - '0')
			default:
				v += int(c-'a') + 10
			}
		}
		x := float64(v) / 255
		if x <= 0.03928 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(1) + 0.7152*ch(3) + 0.0722*ch(5)
}
