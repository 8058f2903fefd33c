package alqaseh

import "github.com/bawaba/checkout/sandbox/internal/simkit"

var pageTemplate = simkit.ParsePage(pageHTML, nil)

// pageHTML is Al Qaseh's hosted card page (pay-test.alqaseh.com/pay/{token}).
// In simkit's frame. Hooks: data-testid="alqaseh-…" (see the package doc).
const pageHTML = `{{template "simkit-page" .}}
{{- define "title"}}{{.Title}} · {{.T.Brand}}{{end}}
{{- define "css"}}
:root{--brand:#0b4f5c;--page:#f1f4f5;--ink:#16212a;--line:#c5d0d4;--soft:#eef4f5;--field:#55636c;--muted:#46535c;--column:32rem}
.brand{font-size:inherit}
.logo{unicode-bidi:isolate;padding-block:.15rem;padding-inline:.6rem;border-radius:.4rem;font-size:1.25rem;letter-spacing:.02em}
.top :focus-visible{outline-color:#ffd166}
.panel{border-radius:.6rem}
dl{border-radius:.4rem}
dd{overflow-wrap:anywhere}
.total{font-size:1.15rem;font-weight:700}
input{padding-block:.55rem;padding-inline:.65rem;border-radius:.35rem}
input[dir=ltr]{text-align:start}
button,.button{border-radius:.35rem}
.note p{margin-block:0 .25rem}
.note ul{margin-block:0 .25rem;padding-inline-start:1.25rem}
.nw{white-space:nowrap}
{{- end}}
{{- define "brand"}}<span class="logo">{{.T.Brand}}</span><span>{{.T.Gateway}}</span>{{end}}
{{- define "lang-href"}}?lang={{.AltLang}}{{end}}
{{- define "main"}}
{{- if .NotFound}}
<section class="panel" data-testid="alqaseh-not-found">
<h1>{{.T.NotFoundTitle}}</h1>
<p>{{.T.NotFoundBody}}</p>
<p lang="{{.AltLang}}" dir="{{.AltDir}}">{{.AltT.NotFoundBody}}</p>
</section>
{{- else if .Status}}
<section class="panel" data-testid="alqaseh-result" data-status="{{.Status}}" role="status">
<h1>{{index .T.ResultTitle .Status}}</h1>
<p>{{index .T.ResultBody .Status}}</p>
{{- if ne .Status "replaced"}}
<p>{{.T.Finished}}</p>
{{- end}}
<dl>
<div><dt>{{.T.Order}}</dt><dd><bdi dir="ltr" data-testid="alqaseh-order">{{.OrderID}}</bdi></dd></div>
<div><dt>{{.T.Amount}}</dt><dd><bdi dir="ltr" data-testid="alqaseh-amount">{{.Amount}}</bdi></dd></div>
<div><dt>{{.T.Status}}</dt><dd><bdi dir="ltr">{{.Status}}</bdi></dd></div>
</dl>
{{- if .ReturnURL}}
<p><a class="button" href="{{.ReturnURL}}" data-testid="alqaseh-return">{{.T.Return}}</a></p>
{{- end}}
</section>
{{- else}}
<form class="panel" method="post" action="{{.Token}}" novalidate>
<h1>{{.T.Heading}}</h1>
<dl>
<div><dt>{{.T.Order}}</dt><dd><bdi dir="ltr" data-testid="alqaseh-order">{{.OrderID}}</bdi></dd></div>
<div><dt>{{.T.Description}}</dt><dd><bdi>{{.Description}}</bdi></dd></div>
<div class="total"><dt>{{.T.Amount}}</dt><dd><bdi dir="ltr" data-testid="alqaseh-amount">{{.Amount}}</bdi></dd></div>
<div><dt>{{.T.ValidUntil}}</dt><dd><bdi dir="ltr">{{.ValidUntil}}</bdi></dd></div>
</dl>
{{- template "simkit-errors" (errors "alqaseh-errors" .T.ErrorsTitle .AltT.ErrorsTitle .Errors)}}
<input type="hidden" name="lang" value="{{.Lang}}">
<div class="field">
<label for="card">{{.T.Card}}</label>
<input id="card" name="card" type="text" inputmode="numeric" autocomplete="cc-number" maxlength="23" dir="ltr" value="{{.Card}}" aria-required="true" data-testid="alqaseh-card" aria-describedby="card-hint{{with index .Invalid "card"}} card-error{{end}}"{{with index .Invalid "card"}} aria-invalid="true"{{end}}>
<p class="hint" id="card-hint">{{.T.CardHint}}</p>
{{- template "simkit-field-error" (index .Invalid "card")}}
</div>
<div class="row">
<div class="field">
<label for="expiry">{{.T.Expiry}}</label>
<input id="expiry" name="expiry" type="text" autocomplete="cc-exp" maxlength="9" dir="ltr" placeholder="MM-YYYY" value="{{.Expiry}}" aria-required="true" data-testid="alqaseh-expiry" aria-describedby="expiry-hint{{with index .Invalid "expiry"}} expiry-error{{end}}"{{with index .Invalid "expiry"}} aria-invalid="true"{{end}}>
<p class="hint" id="expiry-hint">{{.T.ExpiryHint}}</p>
{{- template "simkit-field-error" (index .Invalid "expiry")}}
</div>
<div class="field">
<label for="cvv">{{.T.CVV}}</label>
<input id="cvv" name="cvv" type="text" inputmode="numeric" autocomplete="cc-csc" maxlength="4" dir="ltr" aria-required="true" data-testid="alqaseh-cvv" aria-describedby="cvv-hint{{with index .Invalid "cvv"}} cvv-error{{end}}"{{with index .Invalid "cvv"}} aria-invalid="true"{{end}}>
<p class="hint" id="cvv-hint">{{.T.CVVHint}}</p>
{{- template "simkit-field-error" (index .Invalid "cvv")}}
</div>
</div>
<div class="field">
<label for="name">{{.T.Name}}</label>
<input id="name" name="name" type="text" autocomplete="cc-name" maxlength="64" dir="auto" value="{{.Name}}" aria-required="true" data-testid="alqaseh-name" aria-describedby="name-hint{{with index .Invalid "name"}} name-error{{end}}"{{with index .Invalid "name"}} aria-invalid="true"{{end}}>
<p class="hint" id="name-hint">{{.T.NameHint}}</p>
{{- template "simkit-field-error" (index .Invalid "name")}}
</div>
<div class="actions">
<button class="primary" type="submit" name="action" value="pay" data-testid="alqaseh-pay">{{.T.Pay}} <bdi dir="ltr">{{.Amount}}</bdi></button>
<button class="secondary" type="submit" name="action" value="cancel" data-testid="alqaseh-cancel">{{.T.Cancel}}</button>
</div>
<div class="note" data-testid="alqaseh-test-cards">
<p>{{.T.TestCards}}</p>
<ul>
<li><bdi dir="ltr" class="nw">5341432900077803</bdi>{{.T.Comma}} {{.T.CVV}} <bdi dir="ltr">971</bdi>{{.T.Comma}} {{.T.Expiry}} <bdi dir="ltr" class="nw">01-2027</bdi>: {{.T.CardSucceeds}}</li>
<li><bdi dir="ltr" class="nw">4111111111111111</bdi>: {{.T.CardDeclined}}</li>
<li><bdi dir="ltr" class="nw">4000000000000002</bdi>: {{.T.CardFails}}</li>
<li><bdi dir="ltr" class="nw">4000000000000119</bdi>: {{.T.CardUnknown}}</li>
</ul>
<p>{{.T.OtherCards}}</p>
</div>
</form>
{{- end}}
{{- end}}`
