package i18n_test

import (
	"encoding/json"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/bawaba/checkout/i18n"
)

var pluralCategories = []string{"zero", "one", "two", "few", "many", "other"}

// splitPlural returns the base of a plural key ("time.minutes_left" of
// "time.minutes_left.few") and its category, or ok false for other keys.
func splitPlural(key string) (base, category string, ok bool) {
	i := strings.LastIndex(key, ".")
	if i < 0 || !slices.Contains(pluralCategories, key[i+1:]) {
		return "", "", false
	}
	return key[:i], key[i+1:], true
}

// readCatalog reads a catalog file as written, refusing duplicate keys (encoding/json would
// silently keep the last one).
func readCatalog(t *testing.T, lang string) map[string]string {
	t.Helper()
	b, err := os.ReadFile("catalog/" + lang + ".json")
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("%s.json: not an object", lang)
	}
	out := map[string]string{}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatalf("%s.json: %v", lang, err)
		}
		key := tok.(string)
		var v string
		if err := dec.Decode(&v); err != nil {
			t.Fatalf("%s.json: %s: %v", lang, key, err)
		}
		if _, dup := out[key]; dup {
			t.Errorf("%s.json: key %q appears twice", lang, key)
		}
		out[key] = v
	}
	return out
}

func TestCatalogsMatch(t *testing.T) {
	t.Parallel()
	en, ar := readCatalog(t, "en"), readCatalog(t, "ar")
	if len(en) == 0 || len(ar) == 0 {
		t.Fatal("empty catalog")
	}
	// The embedded catalogs are the files.
	for lang, file := range map[i18n.Lang]map[string]string{i18n.EN: en, i18n.AR: ar} {
		if got := len(lang.Keys()); got != len(file) {
			t.Errorf("%s: %d keys embedded, %d in the file", lang, got, len(file))
		}
	}

	plural := map[string]bool{} // plural base keys, from either catalog
	for _, m := range []map[string]string{en, ar} {
		for k := range m {
			if base, _, ok := splitPlural(k); ok {
				plural[base] = true
			}
		}
	}

	for k := range en {
		if _, ok := ar[k]; !ok {
			t.Errorf("ar.json lacks %q", k)
		}
	}
	for k := range ar {
		if _, ok := en[k]; ok {
			continue
		}
		base, cat, ok := splitPlural(k)
		if !ok || !plural[base] {
			t.Errorf("en.json lacks %q", k)
		} else if cat == "one" || cat == "other" {
			t.Errorf("en.json lacks %q: English has the forms one and other", k)
		}
	}
	for base := range plural {
		for _, k := range []string{base + ".one", base + ".other"} {
			if _, ok := en[k]; !ok {
				t.Errorf("en.json lacks plural form %q", k)
			}
		}
		if _, ok := ar[base+".other"]; !ok {
			t.Errorf("ar.json lacks plural form %q", base+".other")
		}
		if _, ok := en[base]; ok {
			t.Errorf("en.json has both %q and its plural forms", base)
		}
	}

	placeholder := regexp.MustCompile(`\{[a-z_]+\}`)
	names := func(s string) []string {
		p := placeholder.FindAllString(s, -1)
		slices.Sort(p)
		return slices.Compact(p)
	}
	for lang, m := range map[string]map[string]string{"en": en, "ar": ar} {
		for k, v := range m {
			if strings.TrimSpace(v) == "" {
				t.Errorf("%s.json: %q is empty", lang, k)
			}
			if strings.Count(v, "{") != strings.Count(v, "}") {
				t.Errorf("%s.json: %q has unbalanced braces: %q", lang, k, v)
			}
			if _, _, ok := splitPlural(k); ok {
				for _, p := range names(v) {
					if p != "{n}" {
						t.Errorf("%s.json: plural form %q uses %s; only {n} is filled in", lang, k, p)
					}
				}
			}
			hasArabic := strings.IndexFunc(v, func(r rune) bool { return unicode.Is(unicode.Arabic, r) }) >= 0
			if lang == "ar" && !hasArabic {
				t.Errorf("ar.json: %q looks untranslated: %q", k, v)
			}
			if lang == "en" && hasArabic {
				t.Errorf("en.json: %q has Arabic text: %q", k, v)
			}
		}
	}
	for k, v := range en {
		if _, _, ok := splitPlural(k); ok {
			continue
		}
		if a, b := names(v), names(ar[k]); !slices.Equal(a, b) {
			t.Errorf("%q: placeholders %v in English, %v in Arabic", k, a, b)
		}
	}
}

func TestArabicPluralCategories(t *testing.T) {
	t.Parallel()
	// CLDR: zero 0; one 1; two 2; few n%100 in 3..10; many n%100 in 11..99; other the rest
	// (100–102, 200–202, …).
	cases := []struct {
		n    int
		want string
	}{
		{0, "zero"}, {1, "one"}, {2, "two"}, {3, "few"}, {10, "few"}, {11, "many"}, {99, "many"},
		{100, "other"}, {101, "other"}, {102, "other"}, {103, "few"}, {111, "many"},
		{110, "few"}, {199, "many"}, {200, "other"}, {1000, "other"}, {1003, "few"},
	}
	for _, c := range cases {
		if got := i18n.AR.Plural(c.n); got != c.want {
			t.Errorf("ar Plural(%d) = %q, want %q", c.n, got, c.want)
		}
	}
	for n, want := range map[int]string{0: "other", 1: "one", 2: "other", 11: "other", 101: "other"} {
		if got := i18n.EN.Plural(n); got != want {
			t.Errorf("en Plural(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestN(t *testing.T) {
	t.Parallel()
	cases := []struct {
		lang i18n.Lang
		key  string
		n    int
		want string
	}{
		{i18n.EN, "time.minutes_left", 1, "1 minute left to pay"},
		{i18n.EN, "time.minutes_left", 0, "0 minutes left to pay"},
		{i18n.EN, "time.minutes_left", 28, "28 minutes left to pay"},
		{i18n.AR, "time.minutes_left", 0, i18n.AR.T("time.minutes_left.zero")},
		{i18n.AR, "time.minutes_left", 1, i18n.AR.T("time.minutes_left.one")},
		{i18n.AR, "time.minutes_left", 2, i18n.AR.T("time.minutes_left.two")},
		{i18n.AR, "time.minutes_left", 5, strings.ReplaceAll(i18n.AR.T("time.minutes_left.few"), "{n}", "5")},
		{i18n.AR, "time.minutes_left", 28, strings.ReplaceAll(i18n.AR.T("time.minutes_left.many"), "{n}", "28")},
		{i18n.AR, "time.minutes_left", 100, strings.ReplaceAll(i18n.AR.T("time.minutes_left.other"), "{n}", "100")},
	}
	// A category the catalog does not have falls back to other.
	if !i18n.AR.Has("time.hours_left.zero") {
		cases = append(cases, struct {
			lang i18n.Lang
			key  string
			n    int
			want string
		}{i18n.AR, "time.hours_left", 0, strings.ReplaceAll(i18n.AR.T("time.hours_left.other"), "{n}", "0")})
	}
	for _, c := range cases {
		got := c.lang.N(c.key, c.n)
		if got != c.want || strings.Contains(got, "{") || got == c.key {
			t.Errorf("%s N(%q, %d) = %q, want %q", c.lang, c.key, c.n, got, c.want)
		}
	}
}

func TestT(t *testing.T) {
	t.Parallel()
	got := i18n.EN.T("confirm.sentence", "amount", "KD 6.000", "merchant", "Test Shop", "method", "KNET")
	if got != "You are paying KD 6.000 to Test Shop with KNET." {
		t.Errorf("T with placeholders: %q", got)
	}
	if got := i18n.AR.T("confirm.pay", "amount", "6.000 د.ك"); !strings.Contains(got, "6.000 د.ك") || strings.Contains(got, "{") {
		t.Errorf("ar T with a placeholder: %q", got)
	}
	if got := i18n.EN.T("no.such.key"); got != "no.such.key" {
		t.Errorf("a missing key shows as %q", got)
	}
}

func TestLang(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]i18n.Lang{"ar": i18n.AR, "AR": i18n.AR, "ar-KW": i18n.AR, " en-US ": i18n.EN, "en": i18n.EN} {
		if got, ok := i18n.Parse(in); !ok || got != want {
			t.Errorf("Parse(%q) = %q, %v", in, got, ok)
		}
	}
	for _, in := range []string{"", "fr", "arabic", "e", "*", "-ar"} {
		if got, ok := i18n.Parse(in); ok {
			t.Errorf("Parse(%q) = %q, want unsupported", in, got)
		}
	}
	if i18n.AR.Dir() != "rtl" || i18n.EN.Dir() != "ltr" {
		t.Error("Dir")
	}
	if i18n.AR.Other() != i18n.EN || i18n.EN.Other() != i18n.AR {
		t.Error("Other")
	}
	if i18n.AR.Name() != "العربية" || i18n.EN.Name() != "English" {
		t.Error("Name")
	}
}

func TestChoose(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name                                   string
		query, session, orderLocale, acceptHdr string
		want                                   i18n.Lang
	}{
		{"?lang beats everything", "ar", "en", "en", "en", i18n.AR},
		{"?lang=en beats an Arabic session", "en", "ar", "ar", "ar", i18n.EN},
		{"session beats the order", "", "ar", "en", "en", i18n.AR},
		{"session beats the browser", "", "en", "", "ar", i18n.EN},
		{"order locale beats the browser", "", "", "ar", "en-US,en;q=0.9", i18n.AR},
		{"order locale en beats an Arabic browser", "", "", "en", "ar", i18n.EN},
		{"browser when nothing else", "", "", "", "ar-KW,ar;q=0.9", i18n.AR},
		{"English by default", "", "", "", "", i18n.EN},
		{"English when the browser wants neither", "", "", "", "fr-FR,fr;q=0.9,de;q=0.8", i18n.EN},
		{"an unsupported ?lang is ignored", "fr", "ar", "en", "en", i18n.AR},
		{"an unsupported session value is ignored", "", "xx", "ar", "en", i18n.AR},
		{"a region tag in ?lang", "ar-SA", "", "", "", i18n.AR},
	}
	for _, c := range cases {
		if got := i18n.Choose(c.query, c.session, c.orderLocale, c.acceptHdr); got != c.want {
			t.Errorf("%s: Choose(%q, %q, %q, %q) = %q, want %q", c.name, c.query, c.session, c.orderLocale, c.acceptHdr, got, c.want)
		}
	}
}

func TestAcceptLanguage(t *testing.T) {
	t.Parallel()
	cases := []struct {
		header string
		want   i18n.Lang
	}{
		{"ar", i18n.AR},
		{"ar-KW,ar;q=0.9,en-US;q=0.8,en;q=0.7", i18n.AR},
		{"en-US,en;q=0.9,ar;q=0.8", i18n.EN},
		{"en;q=0.2, ar;q=0.8", i18n.AR},        // the highest q wins, not the first listed
		{"fr-FR,fr;q=0.9,ar;q=0.5", i18n.AR},   // unsupported languages are skipped
		{"fr-FR, en;q=0.3, ar;q=0.4", i18n.AR}, // …and the best supported one wins
		{"ar;q=0, en;q=0.1", i18n.EN},          // q=0 means "not acceptable"
		{"ar;q=0", i18n.EN},                    // nothing acceptable: the default
		{"ar;q=0.0, fr", i18n.EN},
		{" ar ; q=0.7 , en ; q=0.6 ", i18n.AR}, // optional white space
		{"en;q=0.5, ar;q=0.5", i18n.EN},        // a tie goes to the first listed
		{"ar;q=0.5, en;q=0.5", i18n.AR},
		{"*", i18n.EN},
		{"*;q=0.9, ar;q=0.1", i18n.AR},
		{"AR-kw", i18n.AR},
		{"ar;q=1.0, en", i18n.AR},
		{",,;q=,ar;q=0.3", i18n.AR},
		{"", i18n.EN},
		{"fr;q=1, ar;level=1;q=0.5, en;q=0.4", i18n.AR}, // q after another parameter
		// A q that is not a qvalue (RFC 9110 §12.4.2) makes its member malformed: skipped
		// (found by FuzzAcceptLanguage: these used to outrank every valid member).
		{"ar;q=0.9, en;q=1.5", i18n.AR},
		{"en;q=0.9, ar;q=inf", i18n.EN},
		{"en;q=0.9, ar;q=NaN", i18n.EN},
		{"en;q=0.9, ar;q=1e0", i18n.EN},
		{"en;q=0.1, ar;q=", i18n.EN},
		{"ar;q=-1", i18n.EN},
		{"ar;q=0.5000", i18n.EN},
	}
	for _, c := range cases {
		if got := i18n.Choose("", "", "", c.header); got != c.want {
			t.Errorf("Accept-Language %q → %q, want %q", c.header, got, c.want)
		}
	}
}
