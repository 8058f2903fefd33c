package alqaseh

import "github.com/bawaba/checkout/sandbox/internal/simkit"

var pageTemplate = simkit.ParsePage(pageHTML, nil)

// pageHTML is Al Qaseh's hosted card page (pay-test.alqaseh.com/pay/{token}).
// Only logical CSS properties, so one sheet serves Arabic (rtl) and English
// (ltr); no script, no external assets. Hooks: data-testid="alqaseh-…" (see
// the package doc).
const pageHTML = `<!doctype html>
<html lang="{{.Lang}}" dir="{{.Dir}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{{.Title}} · {{.T.Brand}}</title>
<style>
*{box-sizing:border-box}
body{margin:0;font-family:"Noto Sans Arabic","Noto Sans",system-ui,-apple-system,"Segoe UI",Tahoma,Arial,sans-serif;background:#f1f4f5;color:#16212a;line-height:1.5}
.top{display:flex;align-items:center;justify-content:space-between;gap:1rem;padding-block:.75rem;padding-inline:1rem;background:#0b4f5c;color:#fff}
.brand{display:flex;align-items:center;gap:.75rem;font-weight:700}
.logo{direction:ltr;unicode-bidi:isolate;padding-block:.15rem;padding-inline:.6rem;border-radius:.4rem;background:#fff;color:#0b4f5c;font-size:1.25rem;font-weight:800;letter-spacing:.02em}
.top a{color:#fff;font-weight:600}
.top :focus-visible{outline-color:#ffd166}
.sandbox{margin:0;padding-block:.4rem;padding-inline:1rem;background:#fff4d6;color:#4d3800;text-align:center;font-size:.9rem}
main{max-inline-size:32rem;margin-inline:auto;padding:1rem}
.panel{background:#fff;border:1px solid #c5d0d4;border-radius:.6rem;padding:1.25rem}
h1{font-size:1.3rem;margin-block:0 1rem;color:#0b4f5c}
dl{display:grid;gap:.25rem;margin-block:0 1rem;padding:.75rem;background:#eef4f5;border-radius:.4rem}
dl div{display:flex;justify-content:space-between;gap:1rem}
dt{font-weight:600}
dd{margin:0;text-align:end;overflow-wrap:anywhere}
.total{font-size:1.15rem;font-weight:700}
input{inline-size:100%;font:inherit;padding-block:.55rem;padding-inline:.65rem;border:1px solid #55636c;border-radius:.35rem;background:#fff;color:#16212a}
input[dir=ltr]{text-align:start}
.hint{margin-block:.25rem 0;font-size:.875rem;color:#46535c}
{{- template "simkit-form-css"}}
button,.button{display:inline-block;font:inherit;font-weight:700;padding-block:.6rem;padding-inline:1.5rem;border:2px solid #0b4f5c;border-radius:.35rem;cursor:pointer;text-decoration:none}
.primary,.button{background:#0b4f5c;color:#fff}
.secondary{background:#fff;color:#0b4f5c}
a{color:#0b4f5c}
.note{margin-block:1rem 0;font-size:.875rem;color:#46535c}
.note p{margin-block:0 .25rem}
.note ul{margin-block:0 .25rem;padding-inline-start:1.25rem}
.nw{white-space:nowrap}
</style>
</head>
<body>
<header class="top">
<div class="brand"><span class="logo">{{.T.Brand}}</span><span>{{.T.Gateway}}</span></div>
<a href="?lang={{.AltLang}}" lang="{{.AltLang}}" hreflang="{{.AltLang}}" data-testid="lang-switch">{{.AltT.LangName}}</a>
</header>
<aside class="sandbox">{{.T.Sandbox}}</aside>
<main>
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
</main>
</body>
</html>
`
