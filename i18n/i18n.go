// Package i18n holds the Arabic and English catalogs, chooses the shopper's language, and
// knows plural forms (Arabic has six) and text direction.
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// Lang is a supported language.
type Lang string

// The supported languages.
const (
	AR Lang = "ar"
	EN Lang = "en"
)

// Parse returns the language named by s ("ar", "en", "ar-KW", "en-US"…), and whether it is supported.
func Parse(s string) (Lang, bool) {
	base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(s)), "-")
	switch base {
	case "ar":
		return AR, true
	case "en":
		return EN, true
	}
	return "", false
}

// Dir is the text direction of the language: "rtl" or "ltr".
func (l Lang) Dir() string {
	if l == AR {
		return "rtl"
	}
	return "ltr"
}

// Other is the other supported language, for the language switch.
func (l Lang) Other() Lang {
	if l == AR {
		return EN
	}
	return AR
}

// Name is the language's own name, as the switch shows it.
func (l Lang) Name() string {
	if l == AR {
		return "العربية"
	}
	return "English"
}

// Choose picks the shopper's language: an explicit ?lang= first, then the choice kept in the
// session, then the order's locale, then the browser's Accept-Language, then English.
func Choose(query, session, orderLocale, acceptLanguage string) Lang {
	return ChooseOr(EN, query, session, orderLocale, acceptLanguage)
}

// ChooseOr is Choose with def (the merchant's default language) instead of English when
// nothing else decides.
func ChooseOr(def Lang, query, session, orderLocale, acceptLanguage string) Lang {
	for _, s := range []string{query, session, orderLocale} {
		if l, ok := Parse(s); ok {
			return l
		}
	}
	if l, ok := fromAcceptLanguage(acceptLanguage); ok {
		return l
	}
	return def
}

// fromAcceptLanguage returns the supported language with the highest q value; a tie goes to
// the first listed. A member whose q is not a valid qvalue is malformed and skipped (qValue).
func fromAcceptLanguage(h string) (Lang, bool) {
	best, bestQ, found := Lang(""), -1.0, false
	for _, part := range strings.Split(h, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		l, ok := Parse(tag)
		if !ok {
			continue
		}
		q, ok := qValue(params)
		if ok && q > bestQ && q > 0 {
			best, bestQ, found = l, q, true
		}
	}
	return best, found
}

// qPattern is RFC 9110 §12.4.2's qvalue: 0 to 1 with at most three decimals.
var qPattern = regexp.MustCompile(`^(0(\.[0-9]{0,3})?|1(\.0{0,3})?)$`)

// qValue returns the weight of an Accept-Language member from its parameters (what follows
// the language tag's ";"): 1 without a q parameter; ok is false when q is not a qvalue (above
// 1, negative, an exponent, inf, NaN, empty…), which found by fuzzing used to let "en;q=1.5"
// or "ar;q=inf" outrank every valid member.
func qValue(params string) (float64, bool) {
	for _, p := range strings.Split(params, ";") {
		name, v, _ := strings.Cut(p, "=")
		if !strings.EqualFold(strings.TrimSpace(name), "q") {
			continue
		}
		v = strings.TrimSpace(v)
		if !qPattern.MatchString(v) {
			return 0, false
		}
		q, err := strconv.ParseFloat(v, 64)
		return q, err == nil
	}
	return 1, true
}

//go:embed catalog/*.json
var catalogFS embed.FS

var catalogs = map[Lang]map[string]string{}

func init() {
	for _, l := range []Lang{AR, EN} {
		b, err := catalogFS.ReadFile("catalog/" + string(l) + ".json")
		if err != nil {
			panic(err)
		}
		m := map[string]string{}
		if err := json.Unmarshal(b, &m); err != nil {
			panic(fmt.Sprintf("i18n: catalog %s: %v", l, err))
		}
		catalogs[l] = m
	}
}

// T returns the message key in the language, with {name} placeholders replaced from args
// given as name, value pairs. A missing key shows as the key itself (and a test fails).
func (l Lang) T(key string, args ...string) string {
	msg, ok := catalogs[l][key]
	if !ok {
		msg, ok = catalogs[EN][key]
	}
	if !ok {
		return key
	}
	for i := 0; i+1 < len(args); i += 2 {
		msg = strings.ReplaceAll(msg, "{"+args[i]+"}", args[i+1])
	}
	return msg
}

// Has reports whether the key exists in the language's catalog.
func (l Lang) Has(key string) bool {
	_, ok := catalogs[l][key]
	return ok
}

// Keys returns every key of the language's catalog.
func (l Lang) Keys() []string {
	out := make([]string, 0, len(catalogs[l]))
	for k := range catalogs[l] {
		out = append(out, k)
	}
	return out
}

// Plural returns the CLDR plural category of n in the language: for Arabic "zero" (0), "one"
// (1), "two" (2), "few" (3–10 and n%100 in 3–10), "many" (11–99 and n%100 in 11–99), else
// "other"; for English "one" or "other".
func (l Lang) Plural(n int) string {
	if n < 0 {
		n = -n
	}
	if l != AR {
		if n == 1 {
			return "one"
		}
		return "other"
	}
	switch m := n % 100; {
	case n == 0:
		return "zero"
	case n == 1:
		return "one"
	case n == 2:
		return "two"
	case m >= 3 && m <= 10:
		return "few"
	case m >= 11 && m <= 99:
		return "many"
	}
	return "other"
}

// N returns the plural form of key for n: the catalog holds key.zero, key.one, key.two,
// key.few, key.many, key.other (Arabic) or key.one, key.other (English); {n} is replaced.
func (l Lang) N(key string, n int, args ...string) string {
	k := key + "." + l.Plural(n)
	if !l.Has(k) {
		k = key + ".other"
	}
	return l.T(k, append([]string{"n", l.Digits(strconv.Itoa(n))}, args...)...)
}

// Digits returns s unchanged: Bawaba shows Latin digits in both languages by default, so that
// amounts, card numbers and references read the same everywhere. It is the one place to change
// when Arabic-Indic digits are configured.
func (l Lang) Digits(s string) string { return s }
