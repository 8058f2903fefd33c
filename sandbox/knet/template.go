package knet

import "github.com/bawaba/checkout/sandbox/internal/simkit"

var pageTemplate = simkit.ParsePage(pageHTML, nil)

// Title is the page's <title> and heading for its kind.
func (v *view) Title() string {
	switch v.Kind {
	case "error":
		return v.T.ErrorTitle
	case "void":
		return v.T.VoidTitle
	case "finished":
		return v.T.FinishedTitle
	case "busy":
		return v.T.BusyTitle
	}
	return v.T.Gateway
}

// pageHTML looks like KNET's payment page (seed screenshots): Billing
// Information, Card Information, Submit / Reset / Cancel, then a confirmation
// with Confirm / Back / Cancel. Only logical CSS properties, so one sheet
// serves Arabic (rtl) and English (ltr); no script, no external assets.
// Hooks: data-testid="knet-…" (see the package doc).
const pageHTML = `<!doctype html>
<html lang="{{.Lang}}" dir="{{.Dir}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}{{if and (ne .Kind "form") (ne .Kind "confirm")}} · {{.T.Gateway}}{{end}}</title>
<style>
*{box-sizing:border-box}
body{margin:0;font-family:"Noto Sans Arabic","Noto Sans",system-ui,-apple-system,"Segoe UI",Tahoma,Arial,sans-serif;background:#eef2f7;color:#1b1f24;line-height:1.5}
.top{display:flex;align-items:center;justify-content:space-between;gap:1rem;padding-block:.75rem;padding-inline:1rem;background:#0b3b75;color:#fff}
.brand{display:flex;align-items:center;gap:.75rem;font-weight:700;font-size:1.05rem}
.logo{direction:ltr;padding-block:.1rem;padding-inline:.5rem;border-radius:.35rem;background:#fff;color:#0b3b75;font-size:1.5rem;font-weight:800;letter-spacing:.06em}
.logo b{color:#b3121d}
.top a{color:#fff;font-weight:600}
.top :focus-visible{outline-color:#ffbf47}
.sandbox{margin:0;padding-block:.4rem;padding-inline:1rem;background:#fff4d6;color:#4d3800;text-align:center;font-size:.9rem}
main{max-inline-size:36rem;margin-inline:auto;padding:1rem}
.panel{background:#fff;border:1px solid #c3cdd9;border-radius:.5rem;padding:1.25rem;margin-block-end:1rem}
h1{font-size:1.3rem;margin-block:0 1rem;color:#0b3b75}
h2{font-size:1.1rem;margin-block:0 .75rem;color:#0b3b75;border-block-end:2px solid #0b3b75;padding-block-end:.25rem}
dl{display:grid;gap:.25rem;margin-block:0 1rem;padding:.75rem;background:#f3f6fa;border-radius:.35rem}
dl div{display:flex;justify-content:space-between;gap:1rem}
dt{font-weight:600}
dd{margin:0;text-align:end}
select,input{inline-size:100%;font:inherit;padding-block:.5rem;padding-inline:.6rem;border:1px solid #5a6573;border-radius:.3rem;background:#fff;color:#1b1f24}
.hint{margin-block:.25rem 0;font-size:.875rem;color:#47525e}
{{- template "simkit-form-css"}}
button,.button{display:inline-block;font:inherit;font-weight:700;padding-block:.6rem;padding-inline:1.5rem;border:2px solid #0b3b75;border-radius:.3rem;cursor:pointer;text-decoration:none}
.primary,.button{background:#0b3b75;color:#fff}
.secondary{background:#fff;color:#0b3b75}
a{color:#0b3b75}
.through{margin-block:1rem 0;font-weight:600}
.note{margin-block:1rem 0;font-size:.875rem;color:#47525e}
.code{font-weight:700;color:#7a000b}
footer{max-inline-size:36rem;margin-inline:auto;padding-block:0 1.5rem;padding-inline:1rem;font-size:.875rem;color:#47525e;text-align:center}
footer ul{display:flex;flex-wrap:wrap;justify-content:center;gap:.25rem 1rem;margin:0;padding:0;list-style:none}
footer p{margin-block:.5rem 0}
</style>
</head>
<body>
<header>
<div class="top">
<div class="brand"><span class="logo" aria-hidden="true">K<b>NET</b></span><span>{{.T.Gateway}}</span></div>
<a href="{{.LangURL}}" lang="{{.AltLang}}" hreflang="{{.AltLang}}" data-testid="lang-switch">{{.AltT.LangName}}</a>
</div>
<p class="sandbox">{{.T.Sandbox}}</p>
</header>
<main>
{{- if eq .Kind "error"}}
<section class="panel" data-testid="knet-error" data-code="{{.Code}}">
<h1>{{.T.ErrorTitle}}</h1>
<p class="code"><bdi dir="ltr">{{.Code}}</bdi> – {{.CodeText}}<span class="alt" lang="{{.AltLang}}" dir="{{.AltDir}}">{{.AltCode}}</span></p>
<p>{{.T.ErrorBody}}</p>
<p lang="{{.AltLang}}" dir="{{.AltDir}}">{{.AltT.ErrorBody}}</p>
</section>
{{- else}}
<section class="panel">
<h1>{{.Title}}</h1>
<h2>{{.T.Billing}}</h2>
<dl>
<div><dt>{{.T.Merchant}}</dt><dd>{{.Merchant}}</dd></div>
<div><dt>{{.T.Website}}</dt><dd><bdi dir="ltr">{{.Website}}</bdi></dd></div>
<div><dt>{{.T.Amount}}</dt><dd><bdi dir="ltr" data-testid="knet-amount">{{.Amount}}</bdi></dd></div>
</dl>
{{- if eq .Kind "form"}}
<form method="post" action="paymentpage.htm" novalidate>
<h2>{{.T.CardInfo}}</h2>
{{- template "simkit-errors" (errors "knet-errors" .T.ErrorsTitle .AltT.ErrorsTitle .Errors)}}
<input type="hidden" name="PaymentID" value="{{.PaymentID}}">
<input type="hidden" name="lang" value="{{.Lang}}">
{{- template "simkit-knet-fields" .KNET}}
<div class="actions">
<button class="primary" type="submit" name="action" value="submit" data-testid="knet-submit">{{.T.Submit}}</button>
<button class="secondary" type="reset" data-testid="knet-reset">{{.T.Reset}}</button>
<button class="secondary" type="submit" name="action" value="cancel" data-testid="knet-cancel">{{.T.Cancel}}</button>
</div>
<p class="through">{{.T.PayingThrough}}</p>
<p class="note">{{.TestCards}}</p>
</form>
{{- else if eq .Kind "confirm"}}
<form method="post" action="paymentpage.htm">
<h2>{{.T.CardInfo}}</h2>
<p>{{.T.ConfirmIntro}}</p>
<dl data-testid="knet-confirm-details">
<div><dt>{{.T.Card}}</dt><dd><bdi dir="ltr">{{.MaskedCard}}</bdi></dd></div>
<div><dt>{{.T.ExpMonth}}</dt><dd><bdi dir="ltr">{{.Month}}</bdi></dd></div>
<div><dt>{{.T.ExpYear}}</dt><dd><bdi dir="ltr">{{.Year}}</bdi></dd></div>
<div><dt>{{.T.PIN}}</dt><dd><bdi dir="ltr">****</bdi></dd></div>
</dl>
<input type="hidden" name="PaymentID" value="{{.PaymentID}}">
<input type="hidden" name="lang" value="{{.Lang}}">
<div class="actions">
<button class="primary" type="submit" name="action" value="confirm" data-testid="knet-confirm">{{.T.Confirm}}</button>
<button class="secondary" type="submit" name="action" value="back" data-testid="knet-back">{{.T.Back}}</button>
<button class="secondary" type="submit" name="action" value="cancel" data-testid="knet-cancel">{{.T.Cancel}}</button>
</div>
</form>
{{- else}}
<div data-testid="knet-{{if eq .Kind "void"}}void{{else if eq .Kind "finished"}}result{{else}}busy{{end}}" data-status="{{.Result}}" data-code="{{.Code}}">
<p>{{if eq .Kind "void"}}{{.T.VoidBody}}{{else if eq .Kind "finished"}}{{.T.FinishedBody}}{{else}}{{.T.BusyBody}}{{end}}</p>
<p lang="{{.AltLang}}" dir="{{.AltDir}}">{{if eq .Kind "void"}}{{.AltT.VoidBody}}{{else if eq .Kind "finished"}}{{.AltT.FinishedBody}}{{else}}{{.AltT.BusyBody}}{{end}}</p>
<dl>
<div><dt>{{.T.PaymentID}}</dt><dd><bdi dir="ltr">{{.PaymentID}}</bdi></dd></div>
<div><dt>{{.T.TrackID}}</dt><dd><bdi dir="ltr">{{.TrackID}}</bdi></dd></div>
{{- if .Result}}
<div><dt>{{.T.Result}}</dt><dd><bdi dir="ltr">{{.Result}}</bdi>{{if .Reversed}} ({{.T.Reversed}}){{end}}</dd></div>
{{- end}}
<div><dt>{{.T.Code}}</dt><dd><bdi dir="ltr">{{.Code}}</bdi> – {{.CodeText}}</dd></div>
</dl>
{{- if .ReturnURL}}
<p><a class="button" href="{{.ReturnURL}}" data-testid="knet-return">{{.T.Return}}</a></p>
{{- end}}
</div>
{{- end}}
</section>
{{- end}}
</main>
<footer>
<ul>
{{- range .T.Footer}}
<li>{{.}}</li>
{{- end}}
</ul>
<p><bdi dir="ltr">@knetkw</bdi></p>
</footer>
</body>
</html>
`
