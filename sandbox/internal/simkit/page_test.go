package simkit

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestPageStatus(t *testing.T) {
	for _, tt := range []struct {
		notFound, gone, invalid bool
		want                    int
	}{
		{false, false, false, http.StatusOK},
		{true, true, true, http.StatusNotFound},
		{false, true, true, http.StatusGone},
		{false, false, true, http.StatusUnprocessableEntity},
	} {
		if got := PageStatus(tt.notFound, tt.gone, tt.invalid); got != tt.want {
			t.Errorf("PageStatus(%v, %v, %v) = %d, want %d", tt.notFound, tt.gone, tt.invalid, got, tt.want)
		}
	}
}

func TestReadForm(t *testing.T) {
	for _, tt := range []struct {
		name, body string
		ok         bool
	}{
		{"form", "a=1&b=2", true},
		{"too large", "a=" + strings.Repeat("x", maxForm), false},
		{"bad escape", "a=%zz", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodPost, "/pay", strings.NewReader(tt.body))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			w := httptest.NewRecorder()
			form, ok := ReadForm(w, r)
			if ok != tt.ok {
				t.Fatalf("ok = %v", ok)
			}
			if ok && form.Get("a") != "1" {
				t.Errorf("form %v", form)
			}
			if !ok && w.Code != http.StatusBadRequest {
				t.Errorf("answered %d", w.Code)
			}
		})
	}
}

// A page in the frame gets the shared head, header, banner and base style sheet around its
// own parts, and may replace the defaults (here the switch's test id and a footer).
func TestFrame(t *testing.T) {
	tmpl := ParsePage(`{{template "simkit-page" .}}
{{- define "title"}}Pay · {{.T.Sandbox}}{{end}}
{{- define "css"}}:root{--brand:#123456}{{end}}
{{- define "brand"}}<span class="logo">X</span>{{end}}
{{- define "lang-href"}}pay?t={{.Token}}&amp;lang={{.AltLang}}{{end}}
{{- define "lang-testid"}}x-lang{{end}}
{{- define "main"}}<p>{{.Token}}</p>{{end}}
{{- define "footer"}}<footer>f</footer>{{end}}`, nil)
	type texts struct{ Sandbox, LangName string }
	v := struct {
		Langs
		T, AltT *texts
		Token   string
	}{LangsOf("ar"), &texts{"تجريبي", "العربية"}, &texts{"Test", "English"}, "a b"}
	rec := httptest.NewRecorder()
	if err := tmpl.Execute(rec, v); err != nil {
		t.Fatal(err)
	}
	page := rec.Body.String()
	for _, want := range []string{
		`<html lang="ar" dir="rtl">`,
		`<meta name="robots" content="noindex">`,
		`<meta name="referrer" content="no-referrer">`,
		`<title>Pay · تجريبي</title>`,
		`.panel{background:#fff;border:1px solid var(--line)`, // the base sheet
		`.field-error{`,                    // the form's
		":root{--brand:#123456}\n</style>", // the simulator's, last
		`<header class="top">` + "\n" + `<div class="brand"><span class="logo">X</span></div>`,
		`<a href="pay?t=a%20b&amp;lang=en" lang="en" hreflang="en" data-testid="x-lang">English</a>`,
		`<aside class="sandbox">تجريبي</aside>`,
		"<main><p>a b</p>\n</main><footer>f</footer>\n</body>\n</html>\n",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q:\n%s", want, page)
		}
	}
}

// A page with a look of its own (K-Pay) replaces the whole style sheet and adds to the head;
// its texts may be maps, where a missing key is an error.
func TestFrameOwnStyle(t *testing.T) {
	tmpl := ParsePage(`{{template "simkit-page" .}}
{{- define "title"}}{{.T.title}}{{end}}
{{- define "style"}}.mine{}{{end}}
{{- define "head-extra"}}<script src="f.js" defer></script>{{end}}
{{- define "brand"}}K{{end}}
{{- define "lang-href"}}?lang={{.AltLang}}{{end}}
{{- define "lang-name"}}{{.A.lang_name}}{{end}}
{{- define "sandbox"}}{{.T.sandbox}}{{end}}
{{- define "main"}}<p>{{.T.body}}</p>{{end}}`, nil)
	type view struct {
		Langs
		T, A map[string]string
	}
	v := view{LangsOf("en"), map[string]string{"title": "Pay", "sandbox": "Test", "body": "b"}, map[string]string{"lang_name": "العربية"}}
	var b strings.Builder
	if err := tmpl.Execute(&b, v); err != nil {
		t.Fatal(err)
	}
	page := b.String()
	for _, want := range []string{"<style>.mine{}\n</style><script src=\"f.js\" defer></script>\n</head>", ">العربية</a>", `<aside class="sandbox">Test</aside>`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q:\n%s", want, page)
		}
	}
	if strings.Contains(page, "box-sizing") {
		t.Error("the base sheet is still there")
	}
	delete(v.T, "body")
	if err := tmpl.Execute(&b, v); err == nil {
		t.Error("a missing text rendered")
	}
}

func TestDecimal(t *testing.T) {
	for _, tt := range []struct {
		minor    int64
		decimals int
		want     string
	}{
		{0, 3, "0.000"}, {5, 3, "0.005"}, {1150, 3, "1.150"}, {10250, 3, "10.250"}, {100, 2, "1.00"}, {7, 0, "7"},
	} {
		if got := Decimal(tt.minor, tt.decimals); got != tt.want {
			t.Errorf("Decimal(%d, %d) = %q, want %q", tt.minor, tt.decimals, got, tt.want)
		}
	}
}

func TestAppendQuery(t *testing.T) {
	for _, tt := range []struct{ raw, want string }{
		{"https://shop.example/r", "https://shop.example/r?id=1"},
		{"https://shop.example/r?x=1", "https://shop.example/r?x=1&id=1"},
		{"https://shop.example/r?", "https://shop.example/r?id=1"},
		{"https://shop.example/r?x=1&", "https://shop.example/r?x=1&id=1"},
		{"https://shop.example/r?x=1#top", "https://shop.example/r?x=1&id=1#top"},
		{"https://shop.example/r#", "https://shop.example/r?id=1#"},
	} {
		if got := AppendQuery(tt.raw, "id=1"); got != tt.want {
			t.Errorf("AppendQuery(%q) = %q, want %q", tt.raw, got, tt.want)
		}
	}
}

func TestKNETBanks(t *testing.T) {
	got := KNETBanks(false, "KNET1", "gbk")
	want := []Bank{{"KNET1", "Knet Test Card [KNET1]", "Knet Test Card [KNET1]"}, {"gbk", "Gulf Bank", "بنك الخليج"}}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("KNETBanks = %+v", got)
	}
	if b := KNETBanks(true, "gbk")[0]; b.EN != "Gulf Bank [GBK]" || b.AR != "بنك الخليج [GBK]" {
		t.Errorf("tagged: %+v", b)
	}
	defer func() {
		if recover() == nil {
			t.Error("an unknown bank did not panic")
		}
	}()
	KNETBanks(false, "nope")
}

func TestCardNumberOK(t *testing.T) {
	for _, tt := range []struct {
		pan  string
		want bool
	}{
		{"5341432900077803", true}, {"4111111111111111", true}, {"378282246310005", true}, // 15-digit Amex
		{"5341432900077804", false}, {"411111111111", false}, {"41111111111111111111", false},
		{"4111 1111 1111 1111", false}, {"", false},
	} {
		if got := CardNumberOK(tt.pan); got != tt.want {
			t.Errorf("CardNumberOK(%q) = %v", tt.pan, got)
		}
	}
}
