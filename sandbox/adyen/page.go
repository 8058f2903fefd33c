package adyen

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/bawaba/checkout/sandbox/internal/simkit"
)

// copyText is one language's wording of the hosted KNET page.
type copyText struct {
	LangName, Gateway, Sandbox, Heading                  string
	Merchant, Amount, Reference, Payment                 string
	Bank, Choose, Card, CardHint, Expiry, Month, Year    string
	PIN, PINHint, Submit, Cancel, TestCards, ErrorsTitle string
	Return, Continue, Finished                           string
	NotFoundTitle, NotFoundBody                          string
	ErrBank, ErrCard, ErrExpiry, ErrPIN                  string
	Title, Body                                          map[string]string // by page status
}

// Page statuses (data-status of adyen-knet-result).
const (
	pageAuthorised = "Authorised"
	pageRefused    = "Refused"
	pageError      = "Error"
	pageCancelled  = "Cancelled"
	pagePending    = "Pending"
	pageExpired    = "Expired"
)

var pageStatus = map[string]string{
	stateAuthorised: pageAuthorised,
	stateRefused:    pageRefused,
	stateError:      pageError,
	stateCancelled:  pageCancelled,
	stateVoided:     pageCancelled,
	statePending:    pagePending,
	stateExpired:    pageExpired,
}

var wording = map[string]*copyText{
	"en": {
		LangName:      "English",
		Gateway:       "KNET Payment Gateway",
		Sandbox:       "Adyen test environment (KNET processed by Tap). No real money is charged.",
		Heading:       "Pay with KNET",
		Merchant:      "Merchant",
		Amount:        "Amount",
		Reference:     "Reference",
		Payment:       "Payment reference",
		Bank:          "Select your bank",
		Choose:        "Select…",
		Card:          "Card number",
		CardHint:      "16 to 19 digits, without spaces.",
		Expiry:        "Card expiry date",
		Month:         "Month",
		Year:          "Year",
		PIN:           "PIN",
		PINHint:       "The 4-digit PIN of your KNET card.",
		Submit:        "Submit",
		Cancel:        "Cancel",
		TestCards:     "Test cards (bank \"Knet Test Card [KNET1]\", expiry 09/2030, any 4-digit PIN): 8888880000000001 and 8888880000000002 are approved; 8888880000000003 stays pending, then is approved; 8888880000000004 stays pending, then is refused; 8888880000000005 ends in an error. Any other card or expiry is refused.",
		ErrorsTitle:   "Please correct the following:",
		Return:        "Return to the merchant",
		Continue:      "Continue to the merchant",
		Finished:      "This payment is finished: submitting again will not charge you twice.",
		NotFoundTitle: "Payment not found",
		NotFoundBody:  "This payment link is not valid. Please return to the merchant and start again.",
		ErrBank:       "Please select your bank.",
		ErrCard:       "Please enter a valid card number (16 to 19 digits).",
		ErrExpiry:     "Please select the expiry month and year.",
		ErrPIN:        "Please enter your 4-digit PIN.",
		Title: map[string]string{
			pageAuthorised: "Payment approved",
			pageRefused:    "Payment refused",
			pageError:      "Payment error",
			pageCancelled:  "Payment cancelled",
			pagePending:    "Payment being processed",
			pageExpired:    "Payment time expired",
		},
		Body: map[string]string{
			pageAuthorised: "Your bank approved the payment.",
			pageRefused:    "Your bank refused the payment. No money was taken.",
			pageError:      "The payment could not be processed. No money was taken.",
			pageCancelled:  "The payment was cancelled. No money was taken.",
			pagePending:    "Your bank is processing the payment. The merchant will be told the final result shortly.",
			pageExpired:    "This payment page expired after 30 minutes without a payment. No money was taken.",
		},
	},
	"ar": {
		LangName:      "العربية",
		Gateway:       "بوابة الدفع كي نت",
		Sandbox:       "بيئة اختبار Adyen (تتم معالجة كي نت عبر Tap). لن يُخصم أي مبلغ حقيقي.",
		Heading:       "الدفع عبر كي نت",
		Merchant:      "التاجر",
		Amount:        "المبلغ",
		Reference:     "المرجع",
		Payment:       "مرجع الدفع",
		Bank:          "اختر البنك",
		Choose:        "اختر…",
		Card:          "رقم البطاقة",
		CardHint:      "من 16 إلى 19 رقماً، دون مسافات.",
		Expiry:        "تاريخ انتهاء البطاقة",
		Month:         "الشهر",
		Year:          "السنة",
		PIN:           "الرقم السري",
		PINHint:       "الرقم السري لبطاقة كي نت المكوّن من 4 أرقام.",
		Submit:        "إرسال",
		Cancel:        "إلغاء",
		TestCards:     "بطاقات الاختبار (البنك \"Knet Test Card [KNET1]\"، تاريخ الانتهاء 09/2030، وأي رقم سري من 4 أرقام): تتم الموافقة على 8888880000000001 و8888880000000002؛ تبقى 8888880000000003 قيد المعالجة ثم تتم الموافقة عليها؛ تبقى 8888880000000004 قيد المعالجة ثم تُرفض؛ تنتهي 8888880000000005 بخطأ. تُرفض أي بطاقة أو تاريخ انتهاء آخر.",
		ErrorsTitle:   "يرجى تصحيح ما يلي:",
		Return:        "العودة إلى التاجر",
		Continue:      "المتابعة إلى التاجر",
		Finished:      "انتهت عملية الدفع هذه: لن يتم الخصم مرة أخرى عند الإرسال من جديد.",
		NotFoundTitle: "لم يتم العثور على عملية الدفع",
		NotFoundBody:  "رابط الدفع هذا غير صالح. يرجى العودة إلى التاجر والبدء من جديد.",
		ErrBank:       "يرجى اختيار البنك.",
		ErrCard:       "يرجى إدخال رقم بطاقة صحيح (من 16 إلى 19 رقماً).",
		ErrExpiry:     "يرجى اختيار شهر وسنة انتهاء البطاقة.",
		ErrPIN:        "يرجى إدخال الرقم السري المكوّن من 4 أرقام.",
		Title: map[string]string{
			pageAuthorised: "تمت الموافقة على الدفع",
			pageRefused:    "تم رفض الدفع",
			pageError:      "خطأ في عملية الدفع",
			pageCancelled:  "تم إلغاء الدفع",
			pagePending:    "الدفع قيد المعالجة",
			pageExpired:    "انتهت مهلة الدفع",
		},
		Body: map[string]string{
			pageAuthorised: "وافق البنك على عملية الدفع.",
			pageRefused:    "رفض البنك عملية الدفع. لم يُخصم أي مبلغ.",
			pageError:      "تعذّرت معالجة عملية الدفع. لم يُخصم أي مبلغ.",
			pageCancelled:  "أُلغيت عملية الدفع. لم يُخصم أي مبلغ.",
			pagePending:    "يعالج البنك عملية الدفع، وسيُبلَّغ التاجر بالنتيجة النهائية قريباً.",
			pageExpired:    "انتهت صلاحية صفحة الدفع هذه بعد 30 دقيقة دون إتمام الدفع. لم يُخصم أي مبلغ.",
		},
	},
}

// bankChoices is the bank list of KNET's page; "Knet Test Card [KNET1]" is
// the test bank's own label (spec knet.md §7).
var bankChoices = []struct{ value, en, ar string }{
	{"KNET1", "Knet Test Card [KNET1]", "Knet Test Card [KNET1]"},
	{"NBK", "National Bank of Kuwait", "بنك الكويت الوطني"},
	{"KFH", "Kuwait Finance House", "بيت التمويل الكويتي"},
	{"GBK", "Gulf Bank", "بنك الخليج"},
	{"BOUBYAN", "Boubyan Bank", "بنك بوبيان"},
	{"WARBA", "Warba Bank", "بنك وربة"},
}

type choice struct {
	Value, Label string
	Selected     bool
}

// fieldError is a validation message in the page's language and the other.
type fieldError struct {
	Field, Text, Alt string
}

// cardForm is the page's form as posted (the PIN is never shown again).
type cardForm struct {
	bank, card, month, year, pin string
}

// view is everything the page template shows.
type view struct {
	Lang, Dir, AltLang, AltDir string
	T, AltT                    *copyText
	Token                      string
	NotFound                   bool
	Status                     string // "" while the form is shown
	Merchant, Amount           string
	Reference, PSP             string
	ReturnURL                  string // GET return: returnUrl?redirectResult=…
	PostBack                   bool   // POST return: a form to returnUrl
	PostURL, RedirectResult    string
	Banks, Months, Years       []choice
	Card                       string
	Errors                     []*fieldError
	Invalid                    map[string]*fieldError
}

func chooseLang(override, fallback string) string {
	switch override {
	case "ar", "en":
		return override
	}
	if fallback == "ar" {
		return "ar"
	}
	return "en"
}

func baseView(lang, token string) *view {
	v := &view{Lang: lang, Dir: "ltr", AltLang: "ar", AltDir: "rtl", Token: token}
	if lang == "ar" {
		v.Dir, v.AltLang, v.AltDir = "rtl", "en", "ltr"
	}
	v.T, v.AltT = wording[v.Lang], wording[v.AltLang]
	return v
}

// paymentView fills a view from p; the caller holds s.mu.
func (s *Simulator) paymentView(p *payment, lang string, f cardForm) *view {
	v := baseView(lang, p.token)
	v.Merchant = s.merchant
	v.Amount = p.currency + " " + formatAmount(p.value, p.currency)
	v.Reference, v.PSP = p.reference, p.psp
	if p.finished() {
		v.Status = pageStatus[p.state]
		if p.redirectResult != "" {
			if p.postBack {
				v.PostBack, v.PostURL, v.RedirectResult = true, p.returnURL, p.redirectResult
			} else {
				v.ReturnURL = p.returnLocation()
			}
		}
		return v
	}
	v.Card = f.card
	for _, b := range bankChoices {
		label := b.en
		if lang == "ar" {
			label = b.ar
		}
		v.Banks = append(v.Banks, choice{b.value, label, b.value == f.bank})
	}
	for m := 1; m <= 12; m++ {
		val := strconv.Itoa(m)
		if m < 10 {
			val = "0" + val
		}
		v.Months = append(v.Months, choice{val, val, val == f.month})
	}
	last := max(2040, s.now().Year()+15)
	for y := 2020; y <= last; y++ {
		val := strconv.Itoa(y)
		v.Years = append(v.Years, choice{val, val, val == f.year})
	}
	return v
}

// showPage serves GET /hpp/knet?redirectData=…[&lang=ar|en].
func (s *Simulator) showPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.renderToken(w, q.Get("redirectData"), q.Get("lang"))
}

// renderToken shows the page of a token: the form, or the result of a
// finished payment.
func (s *Simulator) renderToken(w http.ResponseWriter, token, langOverride string) {
	s.mu.Lock()
	p := s.pages[token]
	if p == nil {
		s.mu.Unlock()
		v := baseView(chooseLang(langOverride, ""), "")
		v.NotFound = true
		s.render(w, v)
		return
	}
	ev := s.expireLocked(p, s.now())
	if p.finished() {
		s.leaveLocked(p)
	}
	v := s.paymentView(p, chooseLang(langOverride, p.lang), cardForm{})
	s.mu.Unlock()
	s.sendAll([]*event{ev})
	s.render(w, v)
}

// postPage serves POST /hpp/knet: the arrival by a POST redirect
// (redirectToIssuerMethod=POST: only redirectData is posted), or the
// shopper's Submit or Cancel.
func (s *Simulator) postPage(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	form := r.PostForm
	token, langOverride, action := form.Get("redirectData"), form.Get("lang"), form.Get("action")
	if langOverride == "" {
		langOverride = r.URL.Query().Get("lang")
	}
	if action != "submit" && action != "cancel" {
		s.renderToken(w, token, langOverride)
		return
	}
	f := cardForm{
		bank:  form.Get("bank"),
		card:  strings.NewReplacer(" ", "", "-", "").Replace(form.Get("card_number")),
		month: form.Get("exp_month"),
		year:  form.Get("exp_year"),
		pin:   form.Get("pin"),
	}

	s.mu.Lock()
	p := s.pages[token]
	if p == nil {
		s.mu.Unlock()
		s.renderToken(w, token, langOverride)
		return
	}
	lang := chooseLang(langOverride, p.lang)
	evs := []*event{s.expireLocked(p, s.now())}
	if p.finished() { // never charge twice: show what happened
		s.leaveLocked(p)
		v := s.paymentView(p, lang, cardForm{})
		s.mu.Unlock()
		s.sendAll(evs)
		s.render(w, v)
		return
	}
	o := outCancelled
	if action == "submit" {
		if errs := f.check(lang); len(errs) > 0 {
			v := s.paymentView(p, lang, f)
			s.mu.Unlock()
			v.Errors, v.Invalid = errs, map[string]*fieldError{}
			for _, e := range errs {
				v.Invalid[e.Field] = e
			}
			s.render(w, v)
			return
		}
		month, _ := strconv.Atoi(f.month)
		year, _ := strconv.Atoi(f.year)
		o = decide(f.card, month, year)
	}
	p.state, p.pendingFinal, p.refusal, p.refusalCode = o.state, o.pendingFinal, o.refusal, o.refusalCode
	s.leaveLocked(p)
	if p.state != statePending {
		evs = append(evs, s.paymentEventLocked(p))
	}
	psp, pending, postBack, location := p.psp, p.state == statePending, p.postBack, p.returnLocation()
	var v *view
	if postBack {
		v = s.paymentView(p, lang, cardForm{})
	}
	s.mu.Unlock()
	s.log.InfoContext(r.Context(), "adyen sandbox: shopper left the KNET page", "pspReference", psp, "resultCode", pageStatus[o.state])

	if postBack {
		s.render(w, v)
	} else {
		http.Redirect(w, r, location, http.StatusSeeOther)
	}
	_ = http.NewResponseController(w).Flush() // the browser hears first
	s.sendAll(evs)
	if pending {
		s.settleLater(psp)
	}
}

// check validates the form; messages are in lang and in the other language.
func (f cardForm) check(lang string) []*fieldError {
	t, alt := wording["en"], wording["ar"]
	if lang == "ar" {
		t, alt = alt, t
	}
	var errs []*fieldError
	known := false
	for _, b := range bankChoices {
		known = known || b.value == f.bank
	}
	if !known {
		errs = append(errs, &fieldError{"bank", t.ErrBank, alt.ErrBank})
	}
	if len(f.card) < 16 || len(f.card) > 19 || strings.Trim(f.card, "0123456789") != "" {
		errs = append(errs, &fieldError{"card_number", t.ErrCard, alt.ErrCard})
	}
	m, errM := strconv.Atoi(f.month)
	y, errY := strconv.Atoi(f.year)
	if errM != nil || errY != nil || m < 1 || m > 12 || len(f.year) != 4 || y < 2000 {
		errs = append(errs, &fieldError{"exp_month", t.ErrExpiry, alt.ErrExpiry})
	}
	if len(f.pin) != 4 || strings.Trim(f.pin, "0123456789") != "" {
		errs = append(errs, &fieldError{"pin", t.ErrPIN, alt.ErrPIN})
	}
	return errs
}

func (s *Simulator) render(w http.ResponseWriter, v *view) {
	status := http.StatusOK
	switch {
	case v.NotFound:
		status = http.StatusNotFound
	case v.Status == pageExpired:
		status = http.StatusGone
	case len(v.Errors) > 0:
		status = http.StatusUnprocessableEntity
	}
	simkit.WriteHTML(w, s.log, "adyen sandbox", status, pageTmpl, pageTmpl.Name(), v, simkit.CSP)
}

var pageTmpl = template.Must(template.New("knet").Parse(pageSource))

// pageSource imitates KNET's payment page, which Adyen's KNET redirect leads
// to. Logical CSS properties only (one sheet for rtl and ltr), no script, no
// external assets.
const pageSource = `<!doctype html>
<html lang="{{.Lang}}" dir="{{.Dir}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{if .NotFound}}{{.T.NotFoundTitle}}{{else if .Status}}{{index .T.Title .Status}}{{else}}{{.T.Heading}}{{end}} – {{.T.Gateway}}</title>
<style>
*,*::before,*::after{box-sizing:border-box}
html{background:#e9edf2}
body{margin:0;color:#16191d;font:1rem/1.55 "Noto Sans Arabic","Noto Sans",system-ui,-apple-system,"Segoe UI",Tahoma,sans-serif}
.bar{display:flex;flex-wrap:wrap;align-items:center;justify-content:space-between;gap:.75rem;padding-block:.7rem;padding-inline:1.25rem;background:#003a70;color:#fff}
.mark{display:flex;align-items:center;gap:.6rem;font-weight:700}
.knet{direction:ltr;display:inline-block;padding-block:.05rem;padding-inline:.45rem;border-radius:.3rem;background:#fff;color:#003a70;font-size:1.4rem;font-weight:800;letter-spacing:.05em}
.knet span{color:#c8102e}
.bar a{color:#fff;font-weight:600;text-underline-offset:.2em}
.bar a:focus-visible{outline:3px solid #ffd166;outline-offset:3px}
.test{margin:0;padding-block:.45rem;padding-inline:1rem;background:#fff1c2;color:#4a3600;font-size:.9rem;text-align:center}
main{max-inline-size:35rem;margin-inline:auto;padding-block:1.25rem 2rem;padding-inline:1rem}
.card{background:#fff;border:1px solid #b9c3cf;border-radius:.6rem;padding-block:1.25rem;padding-inline:1.25rem}
h1{margin-block:0 1rem;font-size:1.3rem;color:#003a70}
.facts{display:grid;gap:.3rem;margin-block:0 1.1rem;padding:.8rem;border-radius:.4rem;background:#f1f4f8}
.facts div{display:flex;justify-content:space-between;gap:1rem}
.facts dt{font-weight:600}
.facts dd{margin:0;text-align:end;min-inline-size:0;overflow-wrap:anywhere}
.group{margin-block:0 1rem;padding:0;border:0;min-inline-size:0}
label,legend{display:block;margin-block-end:.3rem;padding:0;font-weight:600}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:.75rem}
.pair label{font-weight:400}
input,select{inline-size:100%;padding-block:.5rem;padding-inline:.65rem;border:1px solid #56616e;border-radius:.3rem;background:#fff;color:#16191d;font:inherit}
[aria-invalid=true]{border:2px solid #a1001a}
.hint{margin-block:.25rem 0;color:#444c56;font-size:.875rem}
.bad{margin-block:.3rem 0;color:#a1001a;font-weight:600}
.other{display:block;font-weight:400}
.summary{margin-block:0 1rem;padding:.8rem;border:2px solid #a1001a;border-radius:.4rem;background:#fff6f6;color:#7d0014}
.summary p{margin-block:0 .4rem;font-weight:700}
.summary ul{margin:0;padding-inline-start:1.2rem}
.summary a{color:#7d0014}
.buttons{display:flex;flex-wrap:wrap;gap:.75rem;margin-block-start:1.25rem}
button,.go{display:inline-block;padding-block:.6rem;padding-inline:1.6rem;border:2px solid #003a70;border-radius:.3rem;font:inherit;font-weight:700;text-decoration:none;cursor:pointer}
.main-btn,.go{background:#003a70;color:#fff}
.alt-btn{background:#fff;color:#003a70}
:focus-visible{outline:3px solid #b34700;outline-offset:2px}
.note{margin-block:1rem 0;color:#444c56;font-size:.875rem}
bdi{unicode-bidi:isolate}
</style>
</head>
<body>
<header class="bar">
<div class="mark"><span class="knet" aria-hidden="true">K<span>NET</span></span><span>{{.T.Gateway}}</span></div>
{{- if .Token}}
<a href="knet?redirectData={{.Token}}&amp;lang={{.AltLang}}" lang="{{.AltLang}}" hreflang="{{.AltLang}}" data-testid="lang-switch">{{.AltT.LangName}}</a>
{{- else}}
<a href="knet?lang={{.AltLang}}" lang="{{.AltLang}}" hreflang="{{.AltLang}}" data-testid="lang-switch">{{.AltT.LangName}}</a>
{{- end}}
</header>
<aside class="test">{{.T.Sandbox}}</aside>
<main>
{{- if .NotFound}}
<section class="card" data-testid="adyen-knet-page-error">
<h1>{{.T.NotFoundTitle}}</h1>
<p>{{.T.NotFoundBody}}</p>
<p lang="{{.AltLang}}" dir="{{.AltDir}}">{{.AltT.NotFoundBody}}</p>
</section>
{{- else if .Status}}
<section class="card" data-testid="adyen-knet-result" data-status="{{.Status}}">
<h1>{{index .T.Title .Status}}</h1>
<p>{{index .T.Body .Status}}</p>
{{- if ne .Status "Expired"}}
<p>{{.T.Finished}}</p>
{{- end}}
<dl class="facts">
<div><dt>{{.T.Merchant}}</dt><dd><bdi>{{.Merchant}}</bdi></dd></div>
<div><dt>{{.T.Amount}}</dt><dd><bdi dir="ltr" data-testid="adyen-knet-amount">{{.Amount}}</bdi></dd></div>
<div><dt>{{.T.Reference}}</dt><dd><bdi dir="ltr">{{.Reference}}</bdi></dd></div>
<div><dt>{{.T.Payment}}</dt><dd><bdi dir="ltr">{{.PSP}}</bdi></dd></div>
</dl>
{{- if .PostBack}}
<form method="post" action="{{.PostURL}}">
<input type="hidden" name="redirectResult" value="{{.RedirectResult}}">
<button class="main-btn" type="submit" data-testid="adyen-knet-return">{{.T.Continue}}</button>
</form>
{{- else if .ReturnURL}}
<p><a class="go" href="{{.ReturnURL}}" data-testid="adyen-knet-return">{{.T.Return}}</a></p>
{{- end}}
</section>
{{- else}}
<form class="card" method="post" action="knet" novalidate>
<h1>{{.T.Heading}}</h1>
<dl class="facts">
<div><dt>{{.T.Merchant}}</dt><dd><bdi>{{.Merchant}}</bdi></dd></div>
<div><dt>{{.T.Amount}}</dt><dd><bdi dir="ltr" data-testid="adyen-knet-amount">{{.Amount}}</bdi></dd></div>
<div><dt>{{.T.Reference}}</dt><dd><bdi dir="ltr">{{.Reference}}</bdi></dd></div>
</dl>
{{- if .Errors}}
<div class="summary" role="alert" data-testid="adyen-knet-errors">
<p>{{.T.ErrorsTitle}} <span class="other" lang="{{.AltLang}}" dir="{{.AltDir}}">{{.AltT.ErrorsTitle}}</span></p>
<ul>
{{- range .Errors}}
<li><a href="#{{.Field}}">{{.Text}}</a> <span class="other" lang="{{$.AltLang}}" dir="{{$.AltDir}}">{{.Alt}}</span></li>
{{- end}}
</ul>
</div>
{{- end}}
<input type="hidden" name="redirectData" value="{{.Token}}">
<input type="hidden" name="lang" value="{{.Lang}}">
<div class="group">
<label for="bank">{{.T.Bank}}</label>
<select id="bank" name="bank" required data-testid="adyen-knet-bank"{{with index .Invalid "bank"}} aria-invalid="true" aria-describedby="bank-error"{{end}}>
<option value="">{{.T.Choose}}</option>
{{- range .Banks}}
<option value="{{.Value}}"{{if .Selected}} selected{{end}}>{{.Label}}</option>
{{- end}}
</select>
{{- with index .Invalid "bank"}}
<p class="bad" id="bank-error">{{.Text}} <span class="other" lang="{{$.AltLang}}" dir="{{$.AltDir}}">{{.Alt}}</span></p>
{{- end}}
</div>
<div class="group">
<label for="card_number">{{.T.Card}}</label>
<input id="card_number" name="card_number" type="text" inputmode="numeric" autocomplete="cc-number" maxlength="23" dir="ltr" required value="{{.Card}}" data-testid="adyen-knet-card" aria-describedby="card-hint{{with index .Invalid "card_number"}} card-error{{end}}"{{with index .Invalid "card_number"}} aria-invalid="true"{{end}}>
<p class="hint" id="card-hint">{{.T.CardHint}}</p>
{{- with index .Invalid "card_number"}}
<p class="bad" id="card-error">{{.Text}} <span class="other" lang="{{$.AltLang}}" dir="{{$.AltDir}}">{{.Alt}}</span></p>
{{- end}}
</div>
<fieldset class="group"{{with index .Invalid "exp_month"}} aria-describedby="expiry-error"{{end}}>
<legend>{{.T.Expiry}}</legend>
<div class="pair">
<div>
<label for="exp_month">{{.T.Month}}</label>
<select id="exp_month" name="exp_month" required data-testid="adyen-knet-exp-month"{{with index .Invalid "exp_month"}} aria-invalid="true"{{end}}>
<option value="">{{.T.Choose}}</option>
{{- range .Months}}
<option value="{{.Value}}"{{if .Selected}} selected{{end}}>{{.Label}}</option>
{{- end}}
</select>
</div>
<div>
<label for="exp_year">{{.T.Year}}</label>
<select id="exp_year" name="exp_year" required data-testid="adyen-knet-exp-year"{{with index .Invalid "exp_month"}} aria-invalid="true"{{end}}>
<option value="">{{.T.Choose}}</option>
{{- range .Years}}
<option value="{{.Value}}"{{if .Selected}} selected{{end}}>{{.Label}}</option>
{{- end}}
</select>
</div>
</div>
{{- with index .Invalid "exp_month"}}
<p class="bad" id="expiry-error">{{.Text}} <span class="other" lang="{{$.AltLang}}" dir="{{$.AltDir}}">{{.Alt}}</span></p>
{{- end}}
</fieldset>
<div class="group">
<label for="pin">{{.T.PIN}}</label>
<input id="pin" name="pin" type="password" inputmode="numeric" autocomplete="off" maxlength="4" dir="ltr" required data-testid="adyen-knet-pin" aria-describedby="pin-hint{{with index .Invalid "pin"}} pin-error{{end}}"{{with index .Invalid "pin"}} aria-invalid="true"{{end}}>
<p class="hint" id="pin-hint">{{.T.PINHint}}</p>
{{- with index .Invalid "pin"}}
<p class="bad" id="pin-error">{{.Text}} <span class="other" lang="{{$.AltLang}}" dir="{{$.AltDir}}">{{.Alt}}</span></p>
{{- end}}
</div>
<div class="buttons">
<button class="main-btn" type="submit" name="action" value="submit" data-testid="adyen-knet-submit">{{.T.Submit}}</button>
<button class="alt-btn" type="submit" name="action" value="cancel" formnovalidate data-testid="adyen-knet-cancel">{{.T.Cancel}}</button>
</div>
<p class="note">{{.T.TestCards}}</p>
</form>
{{- end}}
</main>
</body>
</html>
`
