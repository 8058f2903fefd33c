package alqaseh

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var formTestIDs = []string{"alqaseh-card", "alqaseh-expiry", "alqaseh-cvv", "alqaseh-name", "alqaseh-pay",
	"alqaseh-cancel", "alqaseh-amount", "alqaseh-order", "alqaseh-test-cards", "lang-switch"}

func TestPageLanguages(t *testing.T) {
	e := newEnv(t, nil)
	_, token := e.create(createBody("ORD-PAGE", "", ""))
	for _, tt := range []struct {
		name, query, acceptLanguage, lang, dir string
		wants                                  []string
	}{
		{"default Arabic", "", "", "ar", "rtl", []string{"الدفع بالبطاقة", "رقم البطاقة", "ادفع", "إلغاء", `href="?lang=en"`, ">English<"}},
		{"query en", "?lang=en", "ar", "en", "ltr", []string{"Pay by card", "Card number", "Card holder name", `href="?lang=ar"`, ">العربية<"}},
		{"query ar", "?lang=ar", "en-US", "ar", "rtl", []string{"تاريخ الانتهاء"}},
		{"Accept-Language en", "", "en-GB,en;q=0.9", "en", "ltr", []string{"Expiry date"}},
		{"Accept-Language ar-IQ", "", "ar-IQ,ar;q=0.9,en;q=0.8", "ar", "rtl", []string{"اسم حامل البطاقة"}},
		{"Accept-Language q order", "", "fr, ar;q=0.4, en;q=0.7", "en", "ltr", []string{"CVV"}},
		{"Accept-Language other", "", "fr-FR", "ar", "rtl", nil},
		{"bad lang query falls back", "?lang=fr", "en", "en", "ltr", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := map[string]string{}
			if tt.acceptLanguage != "" {
				h["Accept-Language"] = tt.acceptLanguage
			}
			status, page := e.page(token, tt.query, h)
			if status != http.StatusOK {
				t.Fatalf("status %d", status)
			}
			if !strings.Contains(page, `<html lang="`+tt.lang+`" dir="`+tt.dir+`">`) {
				t.Errorf("html element not %s/%s", tt.lang, tt.dir)
			}
			for _, id := range formTestIDs {
				if !strings.Contains(page, `data-testid="`+id+`"`) {
					t.Errorf("missing data-testid %s", id)
				}
			}
			for _, w := range tt.wants {
				if !strings.Contains(page, w) {
					t.Errorf("missing %q", w)
				}
			}
			if !strings.Contains(page, "25,000 IQD") || !strings.Contains(page, "ORD-PAGE") {
				t.Error("amount or order missing")
			}
			checkAccessible(t, page)
		})
	}
}

// checkAccessible checks the page's static accessibility rules: every input
// has a label, no script, logical CSS only, visible focus, no secret.
func checkAccessible(t *testing.T, page string) {
	t.Helper()
	for _, m := range regexp.MustCompile(`<input id="([a-z]+)"`).FindAllStringSubmatch(page, -1) {
		if !strings.Contains(page, `<label for="`+m[1]+`">`) {
			t.Errorf("input %s has no label", m[1])
		}
	}
	style := page[strings.Index(page, "<style>"):strings.Index(page, "</style>")]
	for _, bad := range []string{"left", "right", "margin-top", "margin-bottom", "padding-top", "padding-bottom", "width:"} {
		if strings.Contains(style, bad) {
			t.Errorf("physical CSS %q in the style sheet", bad)
		}
	}
	if !strings.Contains(style, ":focus-visible{outline:3px solid") {
		t.Error("no visible focus style")
	}
	for _, bad := range []string{"<script", "javascript:", SandboxClientSecret, "src=\"http"} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
}

func TestPageAmountDecimals(t *testing.T) {
	e := newEnv(t, nil)
	for _, tt := range []struct{ body, want string }{
		{`{"amount":1234567,"currency":"IQD","order_id":"A1","description":"d","redirect_url":"https://s.example/r","transaction_type":"Retail"}`, "1,234,567 IQD"},
		{`{"amount":1234.5,"currency":"USD","order_id":"A2","description":"d","redirect_url":"https://s.example/r","transaction_type":"Retail"}`, "1,234.50 USD"},
		{`{"amount":0.05,"currency":"USD","order_id":"A3","description":"d","redirect_url":"https://s.example/r","transaction_type":"Retail"}`, "0.05 USD"},
	} {
		_, token := e.create(tt.body)
		if _, page := e.page(token, "?lang=en", nil); !strings.Contains(page, `data-testid="alqaseh-amount">`+tt.want+`<`) {
			t.Errorf("amount %q not shown", tt.want)
		}
	}
}

func TestPageValidationChangesNothing(t *testing.T) {
	h := newHook(t, ok200)
	e := newEnv(t, nil)
	id, token := e.create(createBody("ORD-VAL", h.srv.URL, ""))
	for _, tt := range []struct {
		name   string
		form   url.Values
		fields []string
	}{
		{"empty", url.Values{"action": {"pay"}, "lang": {"en"}}, []string{"card", "expiry", "cvv", "name"}},
		{"bad luhn", withLang(cardForm("5341432900077804", TestCardExpiry, TestCardCVV), "en"), []string{"card"}},
		{"short card", withLang(cardForm("534143", TestCardExpiry, TestCardCVV), "en"), []string{"card"}},
		{"bad expiry", withLang(cardForm(TestCardPAN, "13-2027", TestCardCVV), "en"), []string{"expiry"}},
		{"expiry text", withLang(cardForm(TestCardPAN, "January", TestCardCVV), "en"), []string{"expiry"}},
		{"cvv letters", withLang(cardForm(TestCardPAN, TestCardExpiry, "97a"), "en"), []string{"cvv"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			status, page, _ := e.pay(token, tt.form)
			if status != http.StatusUnprocessableEntity || !strings.Contains(page, `data-testid="alqaseh-errors"`) {
				t.Fatalf("status %d", status)
			}
			for _, f := range tt.fields {
				if !strings.Contains(page, `id="`+f+`-error"`) || !strings.Contains(page, `href="#`+f+`"`) {
					t.Errorf("no error for %s", f)
				}
			}
			// Bilingual: English first, Arabic alternative.
			if !strings.Contains(page, "Please correct the following:") || !strings.Contains(page, "يرجى تصحيح ما يلي:") {
				t.Error("errors not bilingual")
			}
			if strings.Contains(page, `value="`+TestCardCVV+`"`) {
				t.Error("CVV echoed")
			}
			checkAccessible(t, page)
		})
	}
	// Arabic page: Arabic message first.
	_, page, _ := e.pay(token, withLang(cardForm("1", TestCardExpiry, TestCardCVV), "ar"))
	if !strings.Contains(page, `<html lang="ar" dir="rtl">`) ||
		strings.Index(page, "أدخل رقم بطاقة صحيحاً") > strings.Index(page, "Enter a valid card number") {
		t.Error("Arabic validation page")
	}
	// The card number entered is kept.
	_, page, _ = e.pay(token, withLang(cardForm(TestCardPAN, "bad", TestCardCVV), "en"))
	if !strings.Contains(page, `value="`+TestCardPAN+`"`) || !strings.Contains(page, `value="bad"`) {
		t.Error("entered values not kept")
	}
	if got := str(e.get(id), "payment_status"); got != statusPrepared {
		t.Errorf("status after invalid forms = %s", got)
	}
	h.none(t, e.sim)
}

func withLang(v url.Values, lang string) url.Values {
	v.Set("lang", lang)
	return v
}

func TestPageNotFound(t *testing.T) {
	e := newEnv(t, nil)
	for _, lang := range []string{"ar", "en"} {
		status, page := e.page("no-such-token", "?lang="+lang, nil)
		if status != http.StatusNotFound || !strings.Contains(page, `data-testid="alqaseh-not-found"`) ||
			!strings.Contains(page, `<html lang="`+lang+`"`) {
			t.Errorf("%s: %d\n%s", lang, status, page)
		}
	}
	status, page, _ := e.pay("no-such-token", cardForm(TestCardPAN, TestCardExpiry, TestCardCVV))
	if status != http.StatusNotFound || !strings.Contains(page, `data-testid="alqaseh-not-found"`) {
		t.Errorf("POST unknown token: %d", status)
	}
}

func TestPageHeaders(t *testing.T) {
	e := newEnv(t, nil)
	_, token := e.create(createBody("ORD-HDR", "", ""))
	_, _, h := e.do(http.MethodGet, testBase+"/pay/"+token, nil, nil)
	for k, want := range map[string]string{
		"Content-Type":     "text/html; charset=utf-8",
		"Cache-Control":    "no-store",
		"X-Frame-Options":  "DENY",
		"Content-Language": "ar",
	} {
		if h.Get(k) != want {
			t.Errorf("%s = %q, want %q", k, h.Get(k), want)
		}
	}
	if !strings.Contains(h.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Errorf("CSP = %q", h.Get("Content-Security-Policy"))
	}
}
