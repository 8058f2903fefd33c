package simkit

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// PageStatus is a hosted page's HTTP status: 404 for a payment that does not exist, 410 for one
// whose page expired, 422 for a form shown again with errors, else 200.
func PageStatus(notFound, gone, invalid bool) int {
	switch {
	case notFound:
		return http.StatusNotFound
	case gone:
		return http.StatusGone
	case invalid:
		return http.StatusUnprocessableEntity
	}
	return http.StatusOK
}

// AppendQuery is the merchant's return URL raw with query (already escaped: "k=v&k2=v2")
// appended to its own query, before its fragment: "?" or "&" as needed, nothing after a
// trailing "?" or "&". The fragment, even an empty one, stays.
func AppendQuery(raw, query string) string {
	base, frag, hasFrag := strings.Cut(raw, "#")
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
		if strings.HasSuffix(base, "?") || strings.HasSuffix(base, "&") {
			sep = ""
		}
	}
	u := base + sep + query
	if hasFrag {
		u += "#" + frag
	}
	return u
}

// Decimal formats an amount in minor units with decimals digits after the point
// (1500, 3 → "1.500"; 5, 2 → "0.05"; 7, 0 → "7").
func Decimal(minor int64, decimals int) string {
	s := strconv.FormatInt(minor, 10)
	if decimals == 0 {
		return s
	}
	if len(s) <= decimals {
		s = strings.Repeat("0", decimals-len(s)+1) + s
	}
	return s[:len(s)-decimals] + "." + s[len(s)-decimals:]
}

// maxForm bounds a hosted page's posted form.
const maxForm = 64 << 10

// ReadForm parses the form a shopper posted to a hosted page (at most 64 KiB). A body that
// does not parse is answered 400 "bad form" and ok is false.
func ReadForm(w http.ResponseWriter, r *http.Request) (form url.Values, ok bool) {
	r.Body = http.MaxBytesReader(w, r.Body, maxForm)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return nil, false
	}
	return r.PostForm, true
}

// frame is the page every simulator's hosted page is drawn in: "simkit-page" writes the
// document, its head (no indexing, no referrer), the style sheet, the header with the
// gateway's brand and the language switch, the sandbox banner (a complementary landmark),
// main and an optional footer. A page calls it from its own "page" template and defines the
// parts it fills:
//
//	"title"       the <title> text
//	"css"         the simulator's own rules (its colours as custom properties, its parts)
//	"brand"       the header's logo and name
//	"lang-href"   the language switch's URL
//	"main"        the content of <main>
//
// and may redefine "lang-testid" (the switch's data-testid, "lang-switch"), "lang-name" (its
// text, .AltT.LangName), "body-class" (the body's class attribute), "sandbox" (the banner's
// text, .T.Sandbox), "head-extra" (more of the head: nothing), "footer" (nothing) and
// "style" (the whole style sheet: "simkit-base-css", then "css"; a page with a look of its
// own, K-Pay's, replaces it).
//
// The base style sheet ("simkit-base-css", which includes "simkit-form-css") reads these
// custom properties, which the simulator's "css" sets:
//
//	--brand  header, headings, buttons, links     --page   page background
//	--ink    text                                 --line   the panel's border
//	--soft   the background of a list of facts   --field  a field's border
//	--muted  hints and notes                      --column  the content's width
//
// Only logical CSS properties, so one sheet serves Arabic (rtl) and English (ltr); no script,
// no external asset.
const frame = `
{{- define "lang-testid"}}lang-switch{{end}}
{{- define "lang-name"}}{{.AltT.LangName}}{{end}}
{{- define "head-extra"}}{{end}}
{{- define "style"}}
{{- template "simkit-base-css"}}
{{- template "css" .}}
{{- end}}
{{- define "body-class"}}{{end}}
{{- define "sandbox"}}{{.T.Sandbox}}{{end}}
{{- define "footer"}}{{end}}

{{- define "simkit-page" -}}
<!doctype html>
<html lang="{{.Lang}}" dir="{{.Dir}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta name="referrer" content="no-referrer">
<title>{{template "title" .}}</title>
<style>
{{- template "style" .}}
</style>
{{- template "head-extra" .}}
</head>
<body{{template "body-class" .}}>
<header class="top">
<div class="brand">{{template "brand" .}}</div>
<a href="{{template "lang-href" .}}" lang="{{.AltLang}}" hreflang="{{.AltLang}}" data-testid="{{template "lang-testid" .}}">{{template "lang-name" .}}</a>
</header>
<aside class="sandbox">{{template "sandbox" .}}</aside>
<main>
{{- template "main" .}}
</main>
{{- template "footer" .}}
</body>
</html>
{{end}}

{{- define "simkit-base-css"}}
*{box-sizing:border-box}
body{margin:0;font-family:"Noto Sans Arabic","Noto Sans",system-ui,-apple-system,"Segoe UI",Tahoma,Arial,sans-serif;background:var(--page);color:var(--ink);line-height:1.5}
.top{display:flex;align-items:center;justify-content:space-between;gap:1rem;padding-block:.75rem;padding-inline:1rem;background:var(--brand);color:#fff}
.brand{display:flex;align-items:center;gap:.75rem;font-weight:700;font-size:1.05rem}
.logo{direction:ltr;padding-block:.1rem;padding-inline:.5rem;border-radius:.35rem;background:#fff;color:var(--brand);font-size:1.5rem;font-weight:800;letter-spacing:.06em}
.logo b{color:#b3121d}
.top a{color:#fff;font-weight:600}
.top :focus-visible{outline-color:#ffbf47}
.sandbox{margin:0;padding-block:.4rem;padding-inline:1rem;background:#fff4d6;color:#4d3800;text-align:center;font-size:.9rem}
main{max-inline-size:var(--column);margin-inline:auto;padding:1rem}
.panel{background:#fff;border:1px solid var(--line);border-radius:.5rem;padding:1.25rem}
h1{font-size:1.3rem;margin-block:0 1rem;color:var(--brand)}
dl{display:grid;gap:.25rem;margin-block:0 1rem;padding:.75rem;background:var(--soft);border-radius:.35rem}
dl div{display:flex;justify-content:space-between;gap:1rem}
dt{font-weight:600}
dd{margin:0;text-align:end}
select,input{inline-size:100%;font:inherit;padding-block:.5rem;padding-inline:.6rem;border:1px solid var(--field);border-radius:.3rem;background:#fff;color:var(--ink)}
.hint{margin-block:.25rem 0;font-size:.875rem;color:var(--muted)}
{{- template "simkit-form-css"}}
button,.button{display:inline-block;font:inherit;font-weight:700;padding-block:.6rem;padding-inline:1.5rem;border:2px solid var(--brand);border-radius:.3rem;cursor:pointer;text-decoration:none}
.primary,.button{background:var(--brand);color:#fff}
.secondary{background:#fff;color:var(--brand)}
a{color:var(--brand)}
.note{margin-block:1rem 0;font-size:.875rem;color:var(--muted)}
{{- end}}
`
