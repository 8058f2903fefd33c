package click

import "github.com/bawaba/checkout/sandbox/internal/simkit"

var pages = simkit.ParsePage(pagesHTML, nil)

// pagesHTML holds CLK's pages, the K-Net step and the card step, in simkit's
// frame. Hooks: data-testid="click-…" (see the package doc).
const pagesHTML = `
{{- define "layout"}}{{template "simkit-page" .}}{{end}}

{{- define "css"}}
:root{--brand:#4a1f73;--page:#f4f1f8;--ink:#1c1826;--line:#cfc6dc;--soft:#f6f3fa;--field:#5f5870;--muted:#4b4657;--column:36rem}
.knet-page{--brand:#0b3b75}
.card-page{--brand:#1f2933}
.logo{font-size:1.4rem;letter-spacing:.08em}
h2{font-size:1.1rem;margin-block:1rem .5rem}
input[type=radio]{inline-size:1.25rem;block-size:1.25rem;margin:0;accent-color:#4a1f73}
.choice{display:flex;align-items:center;gap:.6rem;padding-block:.6rem;padding-inline:.75rem;margin-block-end:.5rem;border:1px solid #cfc6dc;border-radius:.35rem}
.choice label{margin:0;flex:1}
.row label{font-weight:400}
.pay{inline-size:100%;font-size:1.1rem}
.using{font-size:1.05rem}
.outcome{font-size:1.2rem;font-weight:700;padding-block:.5rem;padding-inline:.75rem;border-radius:.35rem;margin-block:0 1rem}
.outcome.paid{background:#e9f7ee;color:#0f5a28}
.outcome.failed,.outcome.expired{background:#fff5f5;color:#8a000d}
.wait{font-weight:600}
footer{text-align:center;padding-block:1rem 2rem;color:#4b4657;font-size:.9rem}
{{- end}}

{{- define "body-class"}} class="{{.Page}}-page"{{end}}
{{- define "lang-testid"}}click-lang{{end}}
{{- define "lang-href"}}{{.LangHref}}{{end}}

{{- define "brand"}}
{{- if eq .Page "knet"}}
<span class="logo" aria-hidden="true">K<b>NET</b></span><span>{{.T.KNETGateway}}</span>
{{- else if eq .Page "card"}}
<span>CLICK : <bdi dir="ltr" data-testid="click-card-amount">{{.Amount}}</bdi></span>
{{- else}}
<span class="logo" aria-hidden="true">CLICK</span><span>Click</span>
{{- end}}
{{- end}}

{{- define "main"}}
{{- if eq .Page "methods"}}{{template "methods" .}}
{{- else if eq .Page "confirm"}}{{template "confirm" .}}
{{- else if eq .Page "knet"}}{{template "knet" .}}
{{- else if eq .Page "card"}}{{template "card" .}}
{{- else if eq .Page "result"}}{{template "result" .}}
{{- else}}{{template "notfound" .}}
{{- end}}
{{- end}}

{{- define "footer"}}
<footer>{{if eq .Page "card"}}{{.T.PoweredByMC}}{{else if ne .Page "knet"}}{{.T.PoweredBy}}{{end}}</footer>
{{- end}}

{{- define "title" -}}
{{- if eq .Page "notfound"}}{{.T.NotFoundTitle}}
{{- else if eq .Page "result"}}{{if eq .State "paid"}}{{.T.Success}}{{else if eq .State "expired"}}{{.T.Expired}}{{else}}{{.T.Failed}}{{end}}
{{- else if eq .Page "knet"}}{{.T.KNETGateway}}
{{- else if eq .Page "card"}}{{.T.CardHeading}}
{{- else}}{{.T.PaymentTo}} {{.Merchant}}{{end}} · Click
{{- end}}

{{- define "summary"}}
<dl>
<div><dt>{{.T.TrackID}}</dt><dd><bdi dir="ltr" data-testid="click-track-id">{{.TrackID}}</bdi></dd></div>
<div><dt>{{.T.Amount}}</dt><dd><bdi dir="ltr" data-testid="click-amount">{{.Amount}}</bdi></dd></div>
</dl>
{{- end}}

{{- define "methods"}}
<section class="panel">
<h1>{{.T.PaymentTo}} <bdi>{{.Merchant}}</bdi></h1>
{{- template "summary" .}}
<form method="get" action="{{.Base}}/confirm" novalidate>
{{- template "simkit-errors" (errors "click-errors" .T.ErrorsTitle .AltT.ErrorsTitle .Errors)}}
<input type="hidden" name="lang" value="{{.Lang}}">
<fieldset class="field"{{if index .Invalid "method"}} aria-describedby="method-error"{{end}}>
<legend>{{.T.ChooseMethod}}</legend>
{{- range .Methods}}
<div class="choice"><input type="radio" id="method-{{.Value}}" name="method" value="{{.Value}}"{{if .Selected}} checked{{end}}{{if index $.Invalid "method"}} aria-invalid="true"{{end}} data-testid="click-method-{{.Value}}"><label for="method-{{.Value}}">{{.Label}}</label></div>
{{- end}}
{{- with index .Invalid "method"}}
<p class="field-error" id="method-error">{{.Text}} <span class="alt" lang="{{.AltLang}}" dir="{{.AltDir}}">{{.Alt}}</span></p>
{{- end}}
</fieldset>
<div class="actions"><button class="primary" type="submit" data-testid="click-continue">{{.T.Continue}}</button></div>
</form>
</section>
{{- end}}

{{- define "confirm"}}
<section class="panel">
<h1>{{.T.PaymentTo}} <bdi>{{.Merchant}}</bdi></h1>
{{- template "summary" .}}
<p class="using">{{.T.WillBePaid}} <strong data-testid="click-method">{{.MethodLabel}}</strong></p>
<form method="post" action="{{.Base}}/confirm">
<input type="hidden" name="method" value="{{.Method}}">
<input type="hidden" name="lang" value="{{.Lang}}">
<button class="primary pay" type="submit" data-testid="click-pay">{{.T.Pay}}</button>
</form>
<p class="note">{{.T.Terms}}</p>
<p><a href="{{.Base}}?lang={{.Lang}}" data-testid="click-change-method">{{.T.ChangeMethod}}</a></p>
</section>
{{- end}}

{{- define "knet"}}
<form class="panel" method="post" action="{{.Base}}/knet" novalidate>
<h1>{{.T.Billing}}</h1>
<dl>
<div><dt>{{.T.Merchant}}</dt><dd>Click</dd></div>
<div><dt>{{.T.Website}}</dt><dd><bdi dir="ltr">http://www.clickkw.com</bdi></dd></div>
<div><dt>{{.T.Amount}}</dt><dd><bdi dir="ltr" data-testid="click-knet-amount">{{.KNETAmount}}</bdi></dd></div>
</dl>
<h2>{{.T.CardInfo}}</h2>
{{- template "simkit-errors" (errors "click-errors" .T.ErrorsTitle .AltT.ErrorsTitle .Errors)}}
<input type="hidden" name="lang" value="{{.Lang}}">
{{- template "simkit-knet-fields" .KNET}}
<div class="actions">
<button class="primary" type="submit" name="action" value="submit" data-testid="click-knet-submit">{{.T.Submit}}</button>
<button class="secondary" type="reset" data-testid="click-knet-reset">{{.T.Reset}}</button>
<button class="secondary" type="submit" name="action" value="cancel" data-testid="click-knet-cancel">{{.T.Cancel}}</button>
</div>
<p class="note">{{.T.KNETTestCards}}</p>
</form>
{{- end}}

{{- define "card"}}
<form class="panel" method="post" action="{{.Base}}/card" novalidate>
<h1>{{.T.CardHeading}}</h1>
{{- if .CardCode}}
<div class="errors" role="alert" data-testid="click-card-declined" data-code="{{.CardCode}}">
<p>{{.T.CardDeclined}} <bdi dir="ltr">{{.CardCode}}</bdi></p>
<p>{{.T.CardDeclinedAgain}}</p>
<p class="alt" lang="{{.AltLang}}" dir="{{.AltDir}}">{{.AltT.CardDeclined}} <bdi dir="ltr">{{.CardCode}}</bdi> {{.AltT.CardDeclinedAgain}}</p>
</div>
{{- end}}
{{- template "simkit-errors" (errors "click-errors" .T.ErrorsTitle .AltT.ErrorsTitle .Errors)}}
<p class="hint">{{.T.Required}}</p>
<input type="hidden" name="lang" value="{{.Lang}}">
<div class="field">
<label for="card_number">{{.T.CardNumber}} *</label>
<input id="card_number" name="card_number" type="text" inputmode="numeric" autocomplete="cc-number" maxlength="23" dir="ltr" value="{{.Form.Get "card_number"}}" aria-required="true" data-testid="click-card-number" aria-describedby="card_number-hint{{if index .Invalid "card_number"}} card_number-error{{end}}"{{if index .Invalid "card_number"}} aria-invalid="true"{{end}}>
<p class="hint" id="card_number-hint">{{.T.CardNumberHint}}</p>
{{- template "simkit-field-error" (index .Invalid "card_number")}}
</div>
<div class="field">
<div class="row">
<div>
<label for="exp_month">{{.T.ExpMonth}} *</label>
<input id="exp_month" name="exp_month" type="text" inputmode="numeric" autocomplete="cc-exp-month" maxlength="2" dir="ltr" placeholder="{{.T.MonthHint}}" value="{{.Form.Get "exp_month"}}" aria-required="true" data-testid="click-card-exp-month"{{if index .Invalid "exp_month"}} aria-invalid="true" aria-describedby="exp_month-error"{{end}}>
</div>
<div>
<label for="exp_year">{{.T.ExpYear}} *</label>
<input id="exp_year" name="exp_year" type="text" inputmode="numeric" autocomplete="cc-exp-year" maxlength="2" dir="ltr" placeholder="{{.T.YearHint}}" value="{{.Form.Get "exp_year"}}" aria-required="true" data-testid="click-card-exp-year"{{if index .Invalid "exp_month"}} aria-invalid="true" aria-describedby="exp_month-error"{{end}}>
</div>
</div>
{{- template "simkit-field-error" (index .Invalid "exp_month")}}
</div>
<div class="field">
<label for="holder">{{.T.Holder}} *</label>
<input id="holder" name="holder" type="text" autocomplete="cc-name" maxlength="100" value="{{.Form.Get "holder"}}" aria-required="true" data-testid="click-card-name"{{if index .Invalid "holder"}} aria-invalid="true" aria-describedby="holder-error"{{end}}>
{{- template "simkit-field-error" (index .Invalid "holder")}}
</div>
<div class="field">
<label for="csc">{{.T.CSC}} *</label>
<input id="csc" name="csc" type="text" inputmode="numeric" autocomplete="cc-csc" maxlength="4" dir="ltr" aria-required="true" data-testid="click-card-cvc" aria-describedby="csc-hint{{if index .Invalid "csc"}} csc-error{{end}}"{{if index .Invalid "csc"}} aria-invalid="true"{{end}}>
<p class="hint" id="csc-hint">{{.T.CSCHint}}</p>
{{- template "simkit-field-error" (index .Invalid "csc")}}
</div>
<fieldset class="field">
<legend>{{.T.BillingAddress}}</legend>
<div class="field"><label for="street1">{{.T.Street1}}</label><input id="street1" name="street1" type="text" autocomplete="address-line1" maxlength="100" value="{{.Form.Get "street1"}}" data-testid="click-card-street1"></div>
<div class="field"><label for="street2">{{.T.Street2}}</label><input id="street2" name="street2" type="text" autocomplete="address-line2" maxlength="100" value="{{.Form.Get "street2"}}" data-testid="click-card-street2"></div>
<div class="row">
<div class="field"><label for="city">{{.T.City}}</label><input id="city" name="city" type="text" autocomplete="address-level2" maxlength="100" value="{{.Form.Get "city"}}" data-testid="click-card-city"></div>
<div class="field"><label for="state">{{.T.State}}</label><input id="state" name="state" type="text" autocomplete="address-level1" maxlength="100" value="{{.Form.Get "state"}}" data-testid="click-card-state"></div>
</div>
<div class="row">
<div class="field"><label for="postcode">{{.T.Postcode}}</label><input id="postcode" name="postcode" type="text" autocomplete="postal-code" maxlength="20" dir="ltr" value="{{.Form.Get "postcode"}}" data-testid="click-card-postcode"></div>
<div class="field"><label for="country">{{.T.Country}}</label><input id="country" name="country" type="text" autocomplete="country-name" maxlength="60" value="{{.Form.Get "country"}}" data-testid="click-card-country"></div>
</div>
</fieldset>
<div class="actions">
<button class="primary" type="submit" name="action" value="pay" data-testid="click-card-submit">{{.T.CardPay}}</button>
<button class="secondary" type="submit" name="action" value="cancel" data-testid="click-card-cancel">{{.T.CardCancel}}</button>
</div>
<p class="note">{{.T.CardTestCards}}</p>
</form>
{{- end}}

{{- define "result"}}
<section class="panel" data-testid="click-result" data-status="{{.State}}"{{if .Reason}} data-reason="{{.Reason}}"{{end}}>
<h1>{{.T.PaymentTo}} <bdi>{{.Merchant}}</bdi></h1>
<p class="outcome {{.State}}">{{if eq .State "paid"}}{{.T.Success}}{{else if eq .State "expired"}}{{.T.Expired}}{{else}}{{.T.Failed}}{{end}}</p>
<dl>
<div><dt>{{.T.TrackID}}</dt><dd><bdi dir="ltr" data-testid="click-track-id">{{.TrackID}}</bdi></dd></div>
</dl>
{{- if eq .State "paid"}}
<h2>{{.T.YourStatus}}</h2>
<dl>
{{- if eq .Method "knet"}}
<div><dt>{{.T.PaymentID}}</dt><dd><bdi dir="ltr" data-testid="click-payment-id">{{.PaymentID}}</bdi></dd></div>
<div><dt>{{.T.TransactionID}}</dt><dd><bdi dir="ltr" data-testid="click-transaction-id">{{.TransactionID}}</bdi></dd></div>
<div><dt>{{.T.RefID}}</dt><dd><bdi dir="ltr" data-testid="click-ref-id">{{.RefID}}</bdi></dd></div>
<div><dt>{{.T.TrackID}}</dt><dd><bdi dir="ltr">{{.TrackID}}</bdi></dd></div>
{{- end}}
<div><dt>{{.T.TotalAmount}}</dt><dd><bdi dir="ltr" data-testid="click-amount">{{.Amount}}</bdi></dd></div>
</dl>
<p>{{.T.PaidAt}} <bdi dir="ltr">{{.PaidAt}}</bdi> {{.T.Using}} {{.MethodLabel}}</p>
{{- else}}
<p>{{index .T.Reasons .Reason}} <span class="alt" lang="{{.AltLang}}" dir="{{.AltDir}}">{{index .AltT.Reasons .Reason}}</span></p>
{{- if .Fee}}
<p data-testid="click-fee">{{.T.FeeBefore}} <bdi dir="ltr">{{.Fee}}</bdi> {{.T.FeeFor}} {{.MethodLabel}}.</p>
{{- end}}
{{- end}}
{{- if ne .State "expired"}}
<p>{{.T.Finished}}</p>
{{- end}}
<div class="countdown" data-countdown="{{.ReturnAfter}}" data-testid="click-countdown" hidden>
<p class="wait" role="status">{{.T.Wait}} <bdi class="secs">{{.ReturnAfter}}</bdi> {{.T.Seconds}}</p>
<button class="secondary" type="button" data-stay data-testid="click-stay">{{.T.Stay}}</button>
</div>
<p><a class="button" href="{{.BackURL}}" data-testid="click-return">{{.T.Return}}</a></p>
<script>{{.Script}}</script>
</section>
{{- end}}

{{- define "notfound"}}
<section class="panel" data-testid="click-not-found">
<h1>{{.T.NotFoundTitle}}</h1>
<p>{{.T.NotFoundBody}}</p>
<p lang="{{.AltLang}}" dir="{{.AltDir}}">{{.AltT.NotFoundBody}}</p>
</section>
{{- end}}
`
