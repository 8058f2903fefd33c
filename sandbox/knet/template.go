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
// with Confirm / Back / Cancel, in simkit's frame. Hooks: data-testid="knet-…"
// (see the package doc).
const pageHTML = `{{template "simkit-page" .}}
{{- define "title"}}{{.Title}}{{if and (ne .Kind "form") (ne .Kind "confirm")}} · {{.T.Gateway}}{{end}}{{end}}
{{- define "css"}}
:root{--brand:#0b3b75;--page:#eef2f7;--ink:#1b1f24;--line:#c3cdd9;--soft:#f3f6fa;--field:#5a6573;--muted:#47525e;--column:36rem}
.panel{margin-block-end:1rem}
h2{font-size:1.1rem;margin-block:0 .75rem;color:#0b3b75;border-block-end:2px solid #0b3b75;padding-block-end:.25rem}
.through{margin-block:1rem 0;font-weight:600}
.code{font-weight:700;color:#7a000b}
footer{max-inline-size:36rem;margin-inline:auto;padding-block:0 1.5rem;padding-inline:1rem;font-size:.875rem;color:#47525e;text-align:center}
footer ul{display:flex;flex-wrap:wrap;justify-content:center;gap:.25rem 1rem;margin:0;padding:0;list-style:none}
footer p{margin-block:.5rem 0}
{{- end}}
{{- define "brand"}}<span class="logo" aria-hidden="true">K<b>NET</b></span><span>{{.T.Gateway}}</span>{{end}}
{{- define "lang-href"}}{{.LangURL}}{{end}}
{{- define "main"}}
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
{{- end}}
{{- define "footer"}}
<footer>
<ul>
{{- range .T.Footer}}
<li>{{.}}</li>
{{- end}}
</ul>
<p><bdi dir="ltr">@knetkw</bdi></p>
</footer>
{{- end}}`
