package kpay

import (
	"net/http"
	"strings"

	"github.com/bawaba/checkout/sandbox/internal/simkit"
)

// The Redirect pages behind a UnionPay or Alipay charge's redirect_url
// (spec §3.4, §3.5, §11.3). After the shopper finishes, the webhook goes to
// the Notify URL (the card schema for UnionPay [GUESS], the Alipay schema
// for Alipay) and the browser to the Callback URL with objectId and status.

type unionPayData struct {
	Action, Merchant, Amount string
	Card, Expiry             string
}

func (s *Simulator) unionPayView(r *http.Request, c *charge, f func(string) string) *view {
	v := newView(r, "unionpay", "upi", pageLang(r, c.lang))
	v.Title = v.T["upi_title"]
	v.D = &unionPayData{
		Action: s.base + "/unionpay/" + c.pageID + "?lang=" + v.Lang, Merchant: or(c.mid, c.description),
		Amount: displayAmount(c.amount, c.currency) + " " + c.currency,
		Card:   f("card"), Expiry: f("expiry"),
	}
	return v
}

func none(string) string { return "" }

// showUnionPay is GET /unionpay/{redirect id}: the TPN / UnionPay page.
func (s *Simulator) showUnionPay(w http.ResponseWriter, r *http.Request) {
	s.showHosted(w, r, unionPayPage, func(c *charge) *view { return s.unionPayView(r, c, none) })
}

// submitUnionPay is POST /unionpay/{redirect id}. Wrongly formatted fields
// re-render the page; well-formed details decide the outcome: a §11.3 card
// with its expiry, CVN2, PIN 111111 (and for UPI cards SMS code 111111 or
// 123456) is Authorized; an unknown card is Declined 14, a wrong expiry 54,
// CVN2 N7, PIN 55, SMS code 50; Cancel is Declined 17.
func (s *Simulator) submitUnionPay(w http.ResponseWriter, r *http.Request) {
	f, ok := simkit.ReadForm(w, r)
	if !ok {
		return
	}
	get := func(k string) string { return strings.TrimSpace(f.Get(k)) }
	c, v := s.openCharge(w, r, unionPayPage, func(c *charge) *view { return s.unionPayView(r, c, get) })
	if c == nil {
		return
	}
	if get("action") == "cancel" {
		c.cancelled = true
		c.fail(stateDeclined, "17")
		s.finishPage(w, r, v, c, unionPayPage.testID)
		return
	}
	pan := strings.NewReplacer(" ", "", "-", "").Replace(get("card"))
	card, known := unionPayCards[pan]
	if !simkit.Digits(pan) || len(pan) < 16 || len(pan) > 19 {
		v.addError("kpay-upi-card", "err_upi_card")
	}
	m, y := splitExpiry(get("expiry"))
	if len(m) != 2 || len(y) != 2 || !simkit.Digits(m+y) || m < "01" || m > "12" {
		v.addError("kpay-upi-expiry", "err_upi_expiry")
	}
	if cvn := get("cvn"); len(cvn) != 3 || !simkit.Digits(cvn) {
		v.addError("kpay-upi-cvn", "err_upi_cvn")
	}
	if pin := get("pin"); len(pin) != 6 || !simkit.Digits(pin) {
		v.addError("kpay-upi-pin", "err_upi_pin")
	}
	sms := get("sms")
	if sms != "" && (len(sms) != 6 || !simkit.Digits(sms)) || sms == "" && known && card.network == "UPI" {
		v.addError("kpay-upi-sms", "err_upi_sms")
	}
	if len(v.Errors) > 0 {
		defer s.mu.Unlock()
		s.render(w, http.StatusUnprocessableEntity, v, "'none'")
		return
	}
	c.src.masking = maskPAN(pan)
	switch {
	case !known:
		c.fail(stateDeclined, "14")
	case m+"/"+y != card.expiry:
		c.fail(stateDeclined, "54")
	case get("cvn") != card.cvn:
		c.fail(stateDeclined, "N7")
	case get("pin") != unionPayPIN:
		c.fail(stateDeclined, "55")
	case card.network == "UPI" && !unionPaySMS(sms):
		c.fail(stateDeclined, "50")
	default:
		s.authorize(c, s.now())
	}
	s.finishPage(w, r, v, c, unionPayPage.testID)
}

type alipayData struct {
	Action, Merchant, Amount string
	SVG                      any
}

func (s *Simulator) alipayView(r *http.Request, c *charge) *view {
	v := newView(r, "alipay", "alipay", pageLang(r, c.lang))
	v.Title = v.T["alipay_title"]
	v.D = &alipayData{
		Action: s.base + "/alipay/" + c.pageID + "?lang=" + v.Lang, Merchant: or(c.mid, c.description),
		Amount: displayAmount(c.amount, c.currency) + " " + c.currency,
		SVG:    qrSVG(c.pageID, v.T["alipay_qr_label"]),
	}
	return v
}

// showAlipay is GET /alipay/{redirect id}.
func (s *Simulator) showAlipay(w http.ResponseWriter, r *http.Request) {
	s.showHosted(w, r, alipayPage, func(c *charge) *view { return s.alipayView(r, c) })
}

// submitAlipay is POST /alipay/{redirect id}: Approve is Authorized, Cancel
// is Declined with failure_code 17 (Customer Cancellation) [GUESS].
func (s *Simulator) submitAlipay(w http.ResponseWriter, r *http.Request) {
	if _, ok := simkit.ReadForm(w, r); !ok {
		return
	}
	c, v := s.openCharge(w, r, alipayPage, func(c *charge) *view { return s.alipayView(r, c) })
	if c == nil {
		return
	}
	if r.PostForm.Get("action") == "approve" {
		s.authorize(c, s.now())
	} else {
		c.cancelled = true
		c.fail(stateDeclined, "17")
	}
	s.finishPage(w, r, v, c, alipayPage.testID)
}

const unionPayHTML = `
{{define "unionpay"}}
<section class="panel">
<h1>{{.T.upi_title}}</h1>
<p class="sub" lang="en">{{.T.upi_sub}}</p>
<dl>
<div><dt>{{.T.merchant}}</dt><dd><bdi dir="ltr">{{.D.Merchant}}</bdi></dd></div>
<div><dt>{{.T.amount}}</dt><dd><bdi dir="ltr" data-testid="kpay-amount">{{.D.Amount}}</bdi></dd></div>
</dl>
{{template "errors" .}}
<form method="post" action="{{.D.Action}}" novalidate>
<div class="field">
<label for="kpay-upi-card">{{.T.upi_card}}</label>
<input class="text" id="kpay-upi-card" name="card" type="text" inputmode="numeric" autocomplete="cc-number" maxlength="23" dir="ltr" value="{{.D.Card}}" data-testid="kpay-upi-card"{{with fe . "kpay-upi-card"}} aria-invalid="true" aria-describedby="kpay-upi-card-error"{{end}}>
{{template "field-error" fe . "kpay-upi-card"}}
</div>
<div class="row">
<div class="field">
<label for="kpay-upi-expiry">{{.T.upi_expiry}}</label>
<input class="text" id="kpay-upi-expiry" name="expiry" type="text" inputmode="numeric" autocomplete="cc-exp" maxlength="5" dir="ltr" placeholder="MM/YY" value="{{.D.Expiry}}" data-testid="kpay-upi-expiry"{{with fe . "kpay-upi-expiry"}} aria-invalid="true" aria-describedby="kpay-upi-expiry-error"{{end}}>
{{template "field-error" fe . "kpay-upi-expiry"}}
</div>
<div class="field">
<label for="kpay-upi-cvn">{{.T.upi_cvn}}</label>
<input class="text" id="kpay-upi-cvn" name="cvn" type="text" inputmode="numeric" autocomplete="cc-csc" maxlength="3" dir="ltr" data-testid="kpay-upi-cvn" aria-describedby="kpay-upi-cvn-hint{{with fe . "kpay-upi-cvn"}} kpay-upi-cvn-error{{end}}"{{with fe . "kpay-upi-cvn"}} aria-invalid="true"{{end}}>
<p class="hint" id="kpay-upi-cvn-hint">{{.T.upi_cvn_hint}}</p>
{{template "field-error" fe . "kpay-upi-cvn"}}
</div>
</div>
<div class="field">
<label for="kpay-upi-pin">{{.T.upi_pin}}</label>
<input class="text" id="kpay-upi-pin" name="pin" type="password" inputmode="numeric" autocomplete="off" maxlength="6" dir="ltr" data-testid="kpay-upi-pin"{{with fe . "kpay-upi-pin"}} aria-invalid="true" aria-describedby="kpay-upi-pin-error"{{end}}>
{{template "field-error" fe . "kpay-upi-pin"}}
</div>
<div class="field">
<label for="kpay-upi-sms">{{.T.upi_sms}}</label>
<input class="text" id="kpay-upi-sms" name="sms" type="text" inputmode="numeric" autocomplete="one-time-code" maxlength="6" dir="ltr" data-testid="kpay-upi-sms" aria-describedby="kpay-upi-sms-hint{{with fe . "kpay-upi-sms"}} kpay-upi-sms-error{{end}}"{{with fe . "kpay-upi-sms"}} aria-invalid="true"{{end}}>
<p class="hint" id="kpay-upi-sms-hint">{{.T.upi_sms_hint}}</p>
{{template "field-error" fe . "kpay-upi-sms"}}
</div>
<div class="actions">
<button class="primary" type="submit" name="action" value="submit" data-testid="kpay-upi-submit">{{.T.submit}}</button>
<button class="secondary" type="submit" name="action" value="cancel" data-testid="kpay-upi-cancel">{{.T.cancel}}</button>
</div>
</form>
<p class="note" id="kpay-upi-note">{{.T.upi_note}}</p>
<ul class="note" aria-labelledby="kpay-upi-note">
<li><bdi dir="ltr">6210947764000027 · TPN · 10/30 · 456</bdi></li>
<li><bdi dir="ltr">6250947000000014 · UPI · 12/33 · 123 · 111111 / 123456</bdi></li>
</ul>
</section>
{{end}}
`

const alipayHTML = `
{{define "alipay"}}
<section class="panel">
<h1>{{.T.alipay_scan}}</h1>
<dl>
<div><dt>{{.T.merchant}}</dt><dd><bdi dir="ltr">{{.D.Merchant}}</bdi></dd></div>
<div><dt>{{.T.amount}}</dt><dd><bdi dir="ltr" data-testid="kpay-amount">{{.D.Amount}}</bdi></dd></div>
</dl>
<figure class="qr">{{.D.SVG}}<figcaption>{{.T.alipay_qr_label}}</figcaption></figure>
<form method="post" action="{{.D.Action}}">
<div class="actions">
<button class="primary" type="submit" name="action" value="approve" data-testid="kpay-alipay-approve">{{.T.alipay_approve}}</button>
<button class="secondary" type="submit" name="action" value="cancel" data-testid="kpay-alipay-cancel">{{.T.cancel}}</button>
</div>
</form>
<p class="note">{{.T.alipay_note}}</p>
</section>
{{end}}
`
