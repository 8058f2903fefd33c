package adyen

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var testIDs = []string{
	"adyen-knet-bank", "adyen-knet-card", "adyen-knet-exp-month", "adyen-knet-exp-year",
	"adyen-knet-pin", "adyen-knet-submit", "adyen-knet-cancel", "adyen-knet-amount", "lang-switch",
}

func checkPage(t *testing.T, html, lang, dir string) {
	t.Helper()
	if !strings.Contains(html, `<html lang="`+lang+`" dir="`+dir+`">`) {
		t.Errorf("want lang=%s dir=%s", lang, dir)
	}
	for _, id := range testIDs {
		if !strings.Contains(html, `data-testid="`+id+`"`) {
			t.Errorf("missing data-testid %s", id)
		}
	}
	// Every input and select has a label.
	for _, m := range regexp.MustCompile(`<(?:input|select) id="([a-z_]+)"`).FindAllStringSubmatch(html, -1) {
		if !strings.Contains(html, `<label for="`+m[1]+`">`) {
			t.Errorf("no label for #%s", m[1])
		}
	}
	if strings.Contains(html, "<script") {
		t.Error("the page has a script")
	}
	if regexp.MustCompile(`(?i)\b(left|right)\b`).MatchString(styleOf(html)) {
		t.Error("CSS uses physical left/right")
	}
	if !strings.Contains(styleOf(html), ":focus-visible") {
		t.Error("no visible focus style")
	}
	if !strings.Contains(html, "KWD 1.500") {
		t.Error("amount not shown with 3 decimals")
	}
	if !strings.Contains(html, "Knet Test Card [KNET1]") {
		t.Error("no KNET1 test bank")
	}
}

func styleOf(html string) string {
	_, after, _ := strings.Cut(html, "<style>")
	style, _, _ := strings.Cut(after, "</style>")
	return style
}

func TestPageEnglish(t *testing.T) {
	e := newEnv(t, nil, nil)
	tok := tokenOf(t, e.create("en-US", ""))
	status, html := e.page(tok, "")
	if status != 200 {
		t.Fatalf("status %d", status)
	}
	checkPage(t, html, "en", "ltr")
	for _, s := range []string{"Pay with KNET", "Card number", "Submit", "Cancel", ">العربية<",
		`href="knet?redirectData=` + tok + `&amp;lang=ar"`} {
		if !strings.Contains(html, s) {
			t.Errorf("missing %q", s)
		}
	}
}

func TestPageArabic(t *testing.T) {
	e := newEnv(t, nil, nil)
	tok := tokenOf(t, e.create("ar-KW", ""))
	status, html := e.page(tok, "")
	if status != 200 {
		t.Fatalf("status %d", status)
	}
	checkPage(t, html, "ar", "rtl")
	for _, s := range []string{"الدفع عبر كي نت", "رقم البطاقة", "إرسال", "إلغاء", ">English<",
		`href="knet?redirectData=` + tok + `&amp;lang=en"`} {
		if !strings.Contains(html, s) {
			t.Errorf("missing %q", s)
		}
	}
	// The lang query overrides shopperLocale, both ways.
	_, html = e.page(tok, "en")
	checkPage(t, html, "en", "ltr")
	tokEn := tokenOf(t, e.create("en-GB", ""))
	_, html = e.page(tokEn, "ar")
	checkPage(t, html, "ar", "rtl")
}

func TestPageLocales(t *testing.T) {
	for locale, want := range map[string]string{"ar-KW": "ar", "ar": "ar", "ar_KW": "ar", "AR-kw": "ar",
		"en-US": "en", "": "en", "fr-FR": "en", "arn": "en"} {
		if got := localeLang(locale); got != want {
			t.Errorf("localeLang(%q) = %q, want %q", locale, got, want)
		}
	}
}

func TestPageNotFound(t *testing.T) {
	e := newEnv(t, nil, nil)
	status, html := e.page("nope", "ar")
	if status != http.StatusNotFound || !strings.Contains(html, `data-testid="adyen-knet-page-error"`) ||
		!strings.Contains(html, `lang="ar" dir="rtl"`) {
		t.Errorf("status %d", status)
	}
	status, b, _ := e.submit(submitForm("nope", "8888880000000001", "09", "2030"))
	if status != http.StatusNotFound || !strings.Contains(string(b), "adyen-knet-page-error") {
		t.Errorf("submit unknown: %d", status)
	}
}

func TestPageValidationChangesNothing(t *testing.T) {
	h := newHook(t, accepted)
	e := newEnv(t, h, nil)
	m := e.create("ar-KW", "")
	tok, psp := tokenOf(t, m), str(m, "pspReference")
	for _, tt := range []struct {
		name   string
		form   url.Values
		fields []string
	}{
		{"empty", url.Values{"redirectData": {tok}, "action": {"submit"}}, []string{"bank", "card_number", "exp_month", "pin"}},
		{"bad card", func() url.Values {
			f := submitForm(tok, "8888-88", "09", "2030")
			return f
		}(), []string{"card_number"}},
		{"no bank", func() url.Values {
			f := submitForm(tok, "8888880000000001", "09", "2030")
			f.Set("bank", "")
			return f
		}(), []string{"bank"}},
		{"bad pin", func() url.Values {
			f := submitForm(tok, "8888880000000001", "09", "2030")
			f.Set("pin", "12a4")
			return f
		}(), []string{"pin"}},
		{"bad expiry", submitForm(tok, "8888880000000001", "13", "30"), []string{"exp_month"}},
	} {
		status, b, _ := e.submit(tt.form)
		html := string(b)
		if status != http.StatusUnprocessableEntity || !strings.Contains(html, `data-testid="adyen-knet-errors"`) {
			t.Errorf("%s: status %d", tt.name, status)
			continue
		}
		checkPage(t, html, "ar", "rtl")
		for _, f := range tt.fields {
			if !regexp.MustCompile(`id="` + f + `"[^>]*aria-invalid="true"`).MatchString(html) {
				t.Errorf("%s: %s not marked invalid", tt.name, f)
			}
		}
		// Bilingual messages: Arabic first, English too.
		if !strings.Contains(html, "يرجى تصحيح ما يلي:") || !strings.Contains(html, "Please correct the following:") {
			t.Errorf("%s: messages not bilingual", tt.name)
		}
		if strings.Contains(html, `value="1234"`) || strings.Contains(html, `value="12a4"`) {
			t.Errorf("%s: the PIN is echoed", tt.name)
		}
	}
	if e.state(psp) != stateOpen || e.sim.payments[psp].redirectResult != "" {
		t.Error("a validation error changed the payment")
	}
	h.none(t)
	// The card number is kept; the page still pays afterwards.
	f := submitForm(tok, "8888880000000001", "09", "2030")
	f.Set("pin", "")
	_, b, _ := e.submit(f)
	if !strings.Contains(string(b), `value="8888880000000001"`) {
		t.Error("card number not kept")
	}
	if status, _, _ := e.submit(submitForm(tok, "8888880000000001", "09", "2030")); status != http.StatusSeeOther {
		t.Errorf("valid submit after errors: %d", status)
	}
}

func TestPageEnglishErrors(t *testing.T) {
	e := newEnv(t, nil, nil)
	tok := tokenOf(t, e.create("en-US", ""))
	_, b, _ := e.submit(url.Values{"redirectData": {tok}, "action": {"submit"}, "lang": {"en"}})
	html := string(b)
	checkPage(t, html, "en", "ltr")
	for _, s := range []string{"Please select your bank.", "يرجى اختيار البنك.", "Please enter your 4-digit PIN.",
		"يرجى إدخال الرقم السري المكوّن من 4 أرقام."} {
		if !strings.Contains(html, s) {
			t.Errorf("missing %q", s)
		}
	}
}

func TestFinishedPageNeverChargesTwice(t *testing.T) {
	h := newHook(t, accepted)
	e := newEnv(t, h, nil)
	m := e.create("en-US", "")
	tok := tokenOf(t, m)
	status, _, hdr := e.submit(submitForm(tok, "8888880000000001", "09", "2030"))
	if status != http.StatusSeeOther {
		t.Fatalf("submit %d", status)
	}
	h.next(t)
	for _, f := range []url.Values{submitForm(tok, "8888880000000001", "09", "2030"), cancelForm(tok)} {
		status, b, _ := e.submit(f)
		html := string(b)
		if status != 200 || !strings.Contains(html, `data-testid="adyen-knet-result" data-status="Authorised"`) {
			t.Errorf("resubmit: %d", status)
		}
		if strings.Contains(html, `data-testid="adyen-knet-submit"`) {
			t.Error("a finished page shows the form")
		}
		// The return link carries the same redirectResult.
		if !strings.Contains(html, `data-testid="adyen-knet-return"`) ||
			!strings.Contains(html, strings.ReplaceAll(hdr.Get("Location"), "&", "&amp;")) {
			t.Error("return link differs from the first redirect")
		}
	}
	_, html := e.page(tok, "ar")
	if !strings.Contains(html, `data-status="Authorised"`) || !strings.Contains(html, "تمت الموافقة على الدفع") {
		t.Error("Arabic result page")
	}
	h.none(t)
}

func TestSecretsNeverShown(t *testing.T) {
	h := newHook(t, accepted)
	e := newEnv(t, h, nil)
	m := e.create("en-US", "")
	_, html := e.page(tokenOf(t, m), "")
	_, b, hdr := e.submit(submitForm(tokenOf(t, m), "8888880000000001", "09", "2030"))
	call := <-h.calls
	e.details(redirectResultOf(t, hdr.Get("Location")))
	for name, where := range map[string]string{
		"page": html, "submit": string(b), "action.url": str(m, "action.url"),
		"Location": hdr.Get("Location"), "webhook": string(call.body), "logs": e.logs.String(),
	} {
		for _, secret := range []string{testAPIKey, testHMACKey, strings.ToLower(testHMACKey)} {
			if strings.Contains(where, secret) {
				t.Errorf("a secret appears in the %s", name)
			}
		}
	}
	if strings.Contains(e.logs.String(), "8888880000000001") {
		t.Error("the card number is logged")
	}
}

func TestFormatAmount(t *testing.T) {
	for _, tt := range []struct {
		value    int64
		currency string
		want     string
	}{
		{1500, "KWD", "1.500"}, {500, "KWD", "0.500"}, {5, "KWD", "0.005"}, {6000, "KWD", "6.000"},
		{123456, "THB", "1234.56"}, {7, "EUR", "0.07"}, {100, "XXX", "1.00"},
	} {
		if got := formatAmount(tt.value, tt.currency); got != tt.want {
			t.Errorf("formatAmount(%d, %s) = %q, want %q", tt.value, tt.currency, got, tt.want)
		}
	}
}
