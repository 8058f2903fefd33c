package adyen

import (
	"net/http"
	"strconv"

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
var bankChoices = simkit.KNETBanks(false, "KNET1", "NBK", "KFH", "GBK", "BOUBYAN", "WARBA")

// view is everything the page template shows.
type view struct {
	simkit.Langs
	T, AltT                 *copyText
	Token                   string
	NotFound                bool
	Status                  string // "" while the form is shown
	Merchant, Amount        string
	Reference, PSP          string
	ReturnURL               string // GET return: returnUrl?redirectResult=…
	PostBack                bool   // POST return: a form to returnUrl
	PostURL, RedirectResult string
	KNET                    *simkit.KNETFields
	Errors                  []*simkit.FieldError
}

func baseView(lang, token string) *view {
	v := &view{Langs: simkit.LangsOf(lang), Token: token}
	v.T, v.AltT = wording[v.Lang], wording[v.AltLang]
	return v
}

// paymentView fills a view from p, its form from f and errs; the caller holds s.mu.
func (s *Simulator) paymentView(p *payment, lang string, f simkit.KNETCard, errs []*simkit.FieldError) *view {
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
	t := v.T
	labels := simkit.KNETLabels{Bank: t.Bank, ChooseBank: t.Choose, Card: t.Card, CardHint: t.CardHint, Expiry: t.Expiry,
		Month: t.Month, ChooseMonth: t.Choose, Year: t.Year, ChooseYear: t.Choose, PIN: t.PIN, PINHint: t.PINHint}
	v.KNET = simkit.NewKNETFields("adyen-knet", "card_number", labels, lang, bankChoices, 2020, max(2040, s.now().Year()+15), f, errs)
	v.Errors = errs
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
		v := baseView(simkit.PickLang(langOverride, ""), "")
		v.NotFound = true
		s.render(w, v)
		return
	}
	ev := s.expireLocked(p, s.now())
	if p.finished() {
		s.leaveLocked(p)
	}
	v := s.paymentView(p, simkit.PickLang(langOverride, p.lang), simkit.KNETCard{}, nil)
	s.mu.Unlock()
	s.sendAll([]*event{ev})
	s.render(w, v)
}

// postPage serves POST /hpp/knet: the arrival by a POST redirect
// (redirectToIssuerMethod=POST: only redirectData is posted), or the
// shopper's Submit or Cancel.
func (s *Simulator) postPage(w http.ResponseWriter, r *http.Request) {
	form, ok := simkit.ReadForm(w, r)
	if !ok {
		return
	}
	token, langOverride, action := form.Get("redirectData"), form.Get("lang"), form.Get("action")
	if langOverride == "" {
		langOverride = r.URL.Query().Get("lang")
	}
	if action != "submit" && action != "cancel" {
		s.renderToken(w, token, langOverride)
		return
	}
	f := simkit.ReadKNETCard(form, "card_number")

	s.mu.Lock()
	p := s.pages[token]
	if p == nil {
		s.mu.Unlock()
		s.renderToken(w, token, langOverride)
		return
	}
	lang := simkit.PickLang(langOverride, p.lang)
	evs := []*event{s.expireLocked(p, s.now())}
	if p.finished() { // never charge twice: show what happened
		s.leaveLocked(p)
		v := s.paymentView(p, lang, simkit.KNETCard{}, nil)
		s.mu.Unlock()
		s.sendAll(evs)
		s.render(w, v)
		return
	}
	o := outCancelled
	if action == "submit" {
		if errs := check(f, lang); len(errs) > 0 {
			v := s.paymentView(p, lang, f, errs)
			s.mu.Unlock()
			s.render(w, v)
			return
		}
		month, _ := strconv.Atoi(f.Month)
		year, _ := strconv.Atoi(f.Year)
		o = decide(f.Card, month, year)
	}
	p.state, p.pendingFinal, p.refusal, p.refusalCode = o.state, o.pendingFinal, o.refusal, o.refusalCode
	s.leaveLocked(p)
	if p.state != statePending {
		evs = append(evs, s.paymentEventLocked(p))
	}
	psp, pending, postBack, location := p.psp, p.state == statePending, p.postBack, p.returnLocation()
	var v *view
	if postBack {
		v = s.paymentView(p, lang, simkit.KNETCard{}, nil)
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
func check(f simkit.KNETCard, lang string) []*simkit.FieldError {
	m, errM := strconv.Atoi(f.Month)
	y, errY := strconv.Atoi(f.Year)
	expiryOK := errM == nil && errY == nil && m >= 1 && m <= 12 && len(f.Year) == 4 && y >= 2000
	return simkit.CheckKNET(f, lang, wording, bankChoices, "card_number", expiryOK)
}

// KNETErrors are the form's error messages (see simkit.CheckKNET).
func (t *copyText) KNETErrors() (bank, card, expiry, pin string) {
	return t.ErrBank, t.ErrCard, t.ErrExpiry, t.ErrPIN
}

func (s *Simulator) render(w http.ResponseWriter, v *view) {
	status := simkit.PageStatus(v.NotFound, v.Status == pageExpired, len(v.Errors) > 0)
	simkit.WriteHTML(w, s.log, "adyen sandbox", status, pageTmpl, pageTmpl.Name(), v, simkit.CSP)
}

var pageTmpl = simkit.ParsePage(pageSource, nil)

// pageSource imitates KNET's payment page, which Adyen's KNET redirect leads
// to, in simkit's frame.
const pageSource = `{{template "simkit-page" .}}
{{- define "title"}}{{if .NotFound}}{{.T.NotFoundTitle}}{{else if .Status}}{{index .T.Title .Status}}{{else}}{{.T.Heading}}{{end}} – {{.T.Gateway}}{{end}}
{{- define "css"}}
:root{--brand:#003a70;--page:#e9edf2;--ink:#16191d;--line:#b9c3cf;--soft:#f1f4f8;--field:#56616e;--muted:#444c56;--column:35rem}
body{line-height:1.55}
.top{flex-wrap:wrap;gap:.75rem;padding-block:.7rem;padding-inline:1.25rem}
.brand{gap:.6rem;font-size:inherit}
.logo{display:inline-block;padding-block:.05rem;padding-inline:.45rem;border-radius:.3rem;font-size:1.4rem;letter-spacing:.05em}
.logo span{color:#c8102e}
.top a{text-underline-offset:.2em}
.top a:focus-visible{outline:3px solid #ffd166;outline-offset:3px}
.sandbox{padding-block:.45rem;background:#fff1c2;color:#4a3600}
main{padding-block:1.25rem 2rem}
.panel{border-radius:.6rem}
.facts{gap:.3rem;margin-block:0 1.1rem;padding:.8rem;border-radius:.4rem}
.facts dd{min-inline-size:0;overflow-wrap:anywhere}
select,input{padding-inline:.65rem}
button,.button{padding-inline:1.6rem}
{{- end}}
{{- define "brand"}}<span class="logo" aria-hidden="true">K<span>NET</span></span><span>{{.T.Gateway}}</span>{{end}}
{{- define "lang-href"}}knet?{{if .Token}}redirectData={{.Token}}&amp;{{end}}lang={{.AltLang}}{{end}}
{{- define "main"}}
{{- if .NotFound}}
<section class="panel" data-testid="adyen-knet-page-error">
<h1>{{.T.NotFoundTitle}}</h1>
<p>{{.T.NotFoundBody}}</p>
<p lang="{{.AltLang}}" dir="{{.AltDir}}">{{.AltT.NotFoundBody}}</p>
</section>
{{- else if .Status}}
<section class="panel" data-testid="adyen-knet-result" data-status="{{.Status}}">
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
<button class="primary" type="submit" data-testid="adyen-knet-return">{{.T.Continue}}</button>
</form>
{{- else if .ReturnURL}}
<p><a class="button" href="{{.ReturnURL}}" data-testid="adyen-knet-return">{{.T.Return}}</a></p>
{{- end}}
</section>
{{- else}}
<form class="panel" method="post" action="knet" novalidate>
<h1>{{.T.Heading}}</h1>
<dl class="facts">
<div><dt>{{.T.Merchant}}</dt><dd><bdi>{{.Merchant}}</bdi></dd></div>
<div><dt>{{.T.Amount}}</dt><dd><bdi dir="ltr" data-testid="adyen-knet-amount">{{.Amount}}</bdi></dd></div>
<div><dt>{{.T.Reference}}</dt><dd><bdi dir="ltr">{{.Reference}}</bdi></dd></div>
</dl>
{{- template "simkit-errors" (errors "adyen-knet-errors" .T.ErrorsTitle .AltT.ErrorsTitle .Errors)}}
<input type="hidden" name="redirectData" value="{{.Token}}">
<input type="hidden" name="lang" value="{{.Lang}}">
{{- template "simkit-knet-fields" .KNET}}
<div class="actions">
<button class="primary" type="submit" name="action" value="submit" data-testid="adyen-knet-submit">{{.T.Submit}}</button>
<button class="secondary" type="submit" name="action" value="cancel" formnovalidate data-testid="adyen-knet-cancel">{{.T.Cancel}}</button>
</div>
<p class="note">{{.T.TestCards}}</p>
</form>
{{- end}}
{{- end}}`
