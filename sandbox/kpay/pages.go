package kpay

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/bawaba/checkout/sandbox/internal/simkit"
)

// The hosted pages: the K-Payment form in the iframe, the 3-D Secure page,
// the UnionPay and Alipay pages, the QR simulator. English or Arabic (rtl),
// chosen by ?lang=, else the charge's language, else Accept-Language. No
// JavaScript is needed (the form's frame.js only talks to the parent page);
// inline CSS with logical properties only.

// fieldError is a validation message in the page's language and in the other one.
type fieldError = simkit.FieldError

// view is what the layout template renders.
type view struct {
	Page                       string // which content template
	Lang, Dir, AltLang, AltDir string
	T, A                       map[string]string // catalog of Lang, of AltLang
	Title                      string
	Theme                      string // kpay | acs | upi | alipay | portal
	LangURL                    string // this page in the other language
	Script                     string // frame.js URL, or ""
	Origin                     string // the page embedding the K-Payment form (postMessage target)
	Message                    string // JSON handed to the K-Pay script on load, or ""
	Errors                     []*fieldError
	D                          any // the page's own data
}

func newView(r *http.Request, page, theme, lang string) *view {
	v := &view{Page: page, Theme: theme, Lang: lang, Dir: "ltr", AltLang: "ar", AltDir: "rtl"}
	if lang == "ar" {
		v.Dir, v.AltLang, v.AltDir = "rtl", "en", "ltr"
	}
	v.T, v.A = catalog[v.Lang], catalog[v.AltLang]
	u := *r.URL
	q := u.Query()
	q.Set("lang", v.AltLang)
	q.Del("reload")
	u.RawQuery = q.Encode()
	v.LangURL = u.Path + "?" + u.RawQuery
	return v
}

// addError records a validation error for the input with id field.
func (v *view) addError(field, key string) {
	v.Errors = append(v.Errors, &fieldError{Field: field, Text: v.T[key], Alt: v.A[key], AltLang: v.AltLang, AltDir: v.AltDir})
}

// fieldErr is the error of one input, for the templates.
func (v *view) fieldErr(field string) *fieldError {
	for _, e := range v.Errors {
		if e.Field == field {
			return e
		}
	}
	return nil
}

// normLang maps a language tag to "ar" or "en", "" when it is neither.
func normLang(tag string) string {
	tag = strings.ToLower(strings.TrimSpace(tag))
	switch {
	case tag == "ar" || strings.HasPrefix(tag, "ar-"):
		return "ar"
	case tag == "en" || strings.HasPrefix(tag, "en-"):
		return "en"
	}
	return ""
}

// pageLang picks the page language: ?lang=, then fallback (the charge's),
// then the browser's first Accept-Language, then English.
func pageLang(r *http.Request, fallback string) string {
	if l := normLang(r.URL.Query().Get("lang")); l != "" {
		return l
	}
	if l := normLang(fallback); l != "" {
		return l
	}
	first, _, _ := strings.Cut(r.Header.Get("Accept-Language"), ",")
	first, _, _ = strings.Cut(first, ";")
	if normLang(first) == "ar" {
		return "ar"
	}
	return "en"
}

// render writes the page. frameAncestors is the CSP frame-ancestors source
// list: "'none'" for top-level pages, the merchant's origin for the form.
func (s *Simulator) render(w http.ResponseWriter, status int, v *view, frameAncestors string) {
	simkit.WriteHTML(w, s.log.With("page", v.Page), "kpay sandbox", status, pageTemplates, "layout", v,
		"default-src 'none'; style-src 'unsafe-inline'; script-src 'self'; img-src 'self' data:; base-uri 'none'; frame-ancestors "+frameAncestors)
}

// monthsLabel is "10 months" / "10 أشهر" with Arabic's number agreement.
func monthsLabel(t map[string]string, n int) string {
	switch {
	case n == 1:
		return t["months_1"]
	case n == 2:
		return t["months_2"]
	case n <= 10:
		return fmt.Sprintf(t["months_few"], n)
	}
	return fmt.Sprintf(t["months_many"], n)
}

// withQuery returns path?query for links between the simulator's pages.
func withQuery(path string, q url.Values) string {
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// pageTemplates are K-Pay's pages in simkit's frame, with a style sheet of their own.
var pageTemplates = simkit.ParsePage(layoutHTML+formHTML+threeDSHTML+unionPayHTML+alipayHTML+qrSimHTML, template.FuncMap{
	"fe": func(v *view, field string) *fieldError { return v.fieldErr(field) },
})

const layoutHTML = `{{define "layout"}}{{template "simkit-page" .}}{{end}}
{{- define "title"}}{{.Title}}{{end}}
{{- define "body-class"}} class="theme-{{.Theme}}"{{end}}
{{- define "lang-href"}}{{.LangURL}}{{end}}
{{- define "lang-name"}}{{.A.lang_name}}{{end}}
{{- define "sandbox"}}{{.T.sandbox}}{{end}}
{{- define "head-extra"}}
{{- if .Script}}
<script src="{{.Script}}" defer></script>
{{- end}}
{{- end}}
{{- define "main"}}
{{- if eq .Page "form"}}{{template "form" .}}
{{- else if eq .Page "dcc"}}{{template "dcc" .}}
{{- else if eq .Page "done"}}{{template "done" .}}
{{- else if eq .Page "qr"}}{{template "qr" .}}
{{- else if eq .Page "frame-error"}}{{template "frame-error" .}}
{{- else if eq .Page "3ds"}}{{template "3ds" .}}
{{- else if eq .Page "unionpay"}}{{template "unionpay" .}}
{{- else if eq .Page "alipay"}}{{template "alipay" .}}
{{- else if eq .Page "result"}}{{template "result" .}}
{{- else if eq .Page "qrsim"}}{{template "qrsim" .}}
{{- else}}{{template "not-found" .}}
{{- end}}
{{- with .Origin}}
<div id="kpay-bridge" hidden data-origin="{{.}}"{{with $.Message}} data-message="{{.}}"{{end}}></div>
{{- end}}
{{- end}}
{{- define "style"}}
*{box-sizing:border-box}
body{margin:0;font-family:"Noto Sans Arabic","Noto Sans",system-ui,-apple-system,"Segoe UI",Tahoma,Arial,sans-serif;background:#f1f4f2;color:#1b1f24;line-height:1.5}
.theme-kpay,.theme-portal{--brand:#00703c;--brand-dark:#005a30;--tint:#e8f3ec}
.theme-acs{--brand:#1f3a68;--brand-dark:#152a4d;--tint:#e9eef6}
.theme-upi{--brand:#b5121b;--brand-dark:#8e0e15;--tint:#fbeced}
.theme-alipay{--brand:#0a56c2;--brand-dark:#08449a;--tint:#e8f0fb}
.top{display:flex;align-items:center;justify-content:space-between;gap:1rem;padding-block:.6rem;padding-inline:1rem;background:var(--brand);color:#fff}
.brand{display:flex;align-items:center;gap:.6rem;font-weight:700}
.logo{display:inline-flex;align-items:center;justify-content:center;min-inline-size:2rem;block-size:2rem;padding-inline:.35rem;border-radius:.35rem;background:#fff;color:var(--brand);font-weight:800}
.top a{color:#fff;font-weight:600}
.top :focus-visible{outline-color:#ffd166}
.sandbox{margin:0;padding-block:.35rem;padding-inline:1rem;background:#fff4d6;color:#4d3800;text-align:center;font-size:.875rem}
main{max-inline-size:32rem;margin-inline:auto;padding:1rem}
.panel{background:#fff;border:1px solid #c6d0c9;border-radius:.5rem;padding:1.25rem}
h1{font-size:1.25rem;margin-block:0 .25rem;color:var(--brand)}
h2{font-size:1.05rem;margin-block:1rem .5rem}
.sub{margin-block:0 1rem;color:#47525e;font-size:.9rem}
dl{display:grid;gap:.25rem;margin-block:0 1rem;padding:.75rem;background:#f3f6f4;border-radius:.35rem}
dl div{display:flex;justify-content:space-between;gap:1rem}
dt{font-weight:600;flex-shrink:0}
dd{margin:0;text-align:end;min-inline-size:0;overflow-wrap:anywhere}
.logos{display:flex;flex-wrap:wrap;gap:.5rem;list-style:none;padding:0;margin-block:0 1rem}
.logos li{padding-block:.1rem;padding-inline:.5rem;border:1px solid #5a6573;border-radius:.25rem;font-size:.8rem;font-weight:700}
.text,select{inline-size:100%;font:inherit;padding-block:.5rem;padding-inline:.6rem;border:1px solid #5a6573;border-radius:.3rem;background:#fff;color:#1b1f24}
.check{display:flex;align-items:center;gap:.5rem;margin-block:0 .5rem}
.check input{inline-size:1.25rem;block-size:1.25rem;margin:0;accent-color:var(--brand)}
.check label{margin:0;font-weight:400}
{{- template "simkit-form-css"}}
.hint{margin-block:.25rem 0;font-size:.85rem;color:#47525e}
button,.button{display:inline-block;font:inherit;font-weight:700;padding-block:.6rem;padding-inline:1.25rem;border:2px solid var(--brand);border-radius:.3rem;cursor:pointer;text-decoration:none;text-align:center}
.primary,.button{background:var(--brand);color:#fff}
.primary:hover,.button:hover{background:var(--brand-dark);border-color:var(--brand-dark)}
.secondary{background:#fff;color:var(--brand)}
.wide{inline-size:100%}
a{color:var(--brand)}
.note{margin-block:1rem 0;font-size:.85rem;color:#47525e}
.notice{padding:.75rem;border-radius:.35rem;background:var(--tint);color:#1b1f24;margin-block:0 1rem}
.qr{display:flex;flex-direction:column;align-items:center;gap:.5rem;margin-block:1rem;margin-inline:0;overflow-wrap:anywhere;text-align:center}
.qr svg{inline-size:12rem;block-size:12rem;background:#fff;border:1px solid #c6d0c9;padding:.5rem}
.countdown{font-variant-numeric:tabular-nums;font-weight:700}
table{inline-size:100%;border-collapse:collapse}
th,td{text-align:start;padding:.35rem;border-block-end:1px solid #dfe5e1;font-size:.9rem;vertical-align:middle}
td bdi,dd bdi{overflow-wrap:anywhere}
.ok h1{color:#0b5d2e}
.bad h1{color:#a4000f}
{{- end}}

{{define "brand"}}
{{- if eq .Theme "acs"}}<span class="logo" aria-hidden="true">3DS</span><span>{{.T.acs_title}}</span>
{{- else if eq .Theme "upi"}}<span class="logo" aria-hidden="true">UP</span><span lang="en">UnionPay</span>
{{- else if eq .Theme "alipay"}}<span class="logo" aria-hidden="true">A</span><span lang="en">Alipay</span>
{{- else if eq .Theme "portal"}}<span class="logo" aria-hidden="true">K</span><span>{{.T.portal}}</span>
{{- else}}<span class="logo" aria-hidden="true">K</span><span lang="en">K-Payment Gateway</span>
{{- end}}
{{- end}}

{{define "errors"}}{{template "simkit-errors" (errors "kpay-errors" .T.errors_title .A.errors_title .Errors)}}{{end}}

{{define "field-error"}}{{template "simkit-field-error" .}}{{end}}

{{define "not-found"}}
<section class="panel" data-testid="kpay-page-error">
<h1>{{.T.not_found_title}}</h1>
<p>{{.T.not_found_body}}</p>
<p lang="{{.AltLang}}" dir="{{.AltDir}}">{{.A.not_found_body}}</p>
</section>
{{end}}

{{define "result"}}
<section class="panel {{if eq .D.Status "success"}}ok{{else}}bad{{end}}" data-testid="{{.D.TestID}}" data-status="{{.D.Status}}" data-state="{{.D.State}}">
<h1>{{.D.Title}}</h1>
<p>{{.D.Body}}</p>
<p>{{.T.finished}}</p>
<dl>
<div><dt>{{.T.amount}}</dt><dd><bdi dir="ltr" data-testid="kpay-amount">{{.D.Amount}}</bdi></dd></div>
{{- with .D.Card}}
<div><dt>{{$.T.card}}</dt><dd><bdi dir="ltr">{{.}}</bdi></dd></div>
{{- end}}
<div><dt>{{.T.reference}}</dt><dd><bdi dir="ltr">{{.D.ChargeID}}</bdi></dd></div>
<div><dt>{{.T.status}}</dt><dd><bdi dir="ltr">{{.D.State}} / {{.D.Status}}</bdi></dd></div>
</dl>
{{- with .D.ReturnURL}}
<p><a class="button" href="{{.}}" data-testid="kpay-return">{{$.T.return}}</a></p>
{{- end}}
</section>
{{end}}
`

// resultData is the finished view of a 3-D Secure / UnionPay / Alipay page.
type resultData struct {
	TestID, Status, State string
	Title, Body           string
	Amount, Card          string
	ChargeID, ReturnURL   string
}

// resultView describes c's outcome on its hosted page. The caller holds s.mu.
func resultView(v *view, c *charge, testID string) {
	d := &resultData{TestID: testID, Status: c.status, State: c.state, Amount: displayAmount(c.amount, c.currency) + " " + c.currency,
		Card: c.src.masking, ChargeID: c.id, ReturnURL: callbackURL(c)}
	d.Title, d.Body = v.T["res_fail"], v.T["res_declined_body"]
	switch {
	case c.succeeded() && c.register3D:
		d.Title, d.Body = v.T["res_success"], v.T["res_register_body"]
	case c.succeeded():
		d.Title, d.Body = v.T["res_success"], v.T["res_success_body"]
	case c.cancelled:
		d.Body = v.T["res_cancelled_body"]
	case c.failureCode == "500" && c.kind != kindCard, c.failureCode == "50" && c.pageExpired:
		d.Body = v.T["res_expired_body"]
	case c.failureCode == "50":
		d.Body = v.T["res_authfail_body"]
	}
	v.Page, v.D = "result", d
	v.Title = d.Title
}

// callbackURL is the Callback URL with the spec's parameters (§3.1 step 18,
// §3.4 step 12, §3.5 step 10): objectId and status (true|false), plus token
// and saveCard for cards. "" when the merchant has no Callback URL.
func callbackURL(c *charge) string {
	if c.callback == "" {
		return ""
	}
	q := url.Values{}
	q.Set("objectId", c.id)
	q.Set("status", fmt.Sprint(c.succeeded()))
	if c.kind == kindCard {
		q.Set("token", c.tokenID)
		q.Set("saveCard", fmt.Sprint(c.saveCard))
	}
	base, frag, _ := strings.Cut(c.callback, "#")
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
	}
	u := base + sep + q.Encode()
	if frag != "" {
		u += "#" + frag
	}
	return u
}
