package tap

import (
	"cmp"
	"net/http"

	"github.com/bawaba/checkout/sandbox/internal/simkit"
)

// texts is one language's copy of the hosted page.
type texts struct {
	Gateway, Sandbox, Heading, Merchant, Amount, Reference, Result     string
	Bank, Choose, Card, CardHint, Expiry, Month, Year, PIN, PINHint    string
	Submit, Cancel, TestCards, ErrorsTitle, Return, Finished, LangName string
	NotFoundTitle, NotFoundBody                                        string
	ResultTitle, ResultBody                                            map[string]string // by charge status
	ErrBank, ErrCard, ErrExpiry, ErrPIN                                string
}

var catalog = map[string]*texts{
	"en": {
		Gateway:       "KNET Payment Gateway",
		Sandbox:       "Test environment (Tap sandbox): no real money is charged.",
		Heading:       "Pay with KNET",
		Merchant:      "Merchant",
		Amount:        "Amount",
		Reference:     "Reference",
		Result:        "Result",
		Bank:          "Select your bank",
		Choose:        "Select…",
		Card:          "Card number",
		CardHint:      "16 to 19 digits, as printed on your card.",
		Expiry:        "Expiration date",
		Month:         "Month",
		Year:          "Year",
		PIN:           "PIN",
		PINHint:       "4 digits.",
		Submit:        "Submit",
		Cancel:        "Cancel",
		TestCards:     "Test cards: 8888880000000001 or 8888880000000002, expiry 09/2030, any 4-digit PIN. Any other card or expiry is declined.",
		ErrorsTitle:   "Please correct the following:",
		Return:        "Return to the merchant",
		Finished:      "This payment is finished and will not be charged again.",
		LangName:      "English",
		NotFoundTitle: "Payment not found",
		NotFoundBody:  "This payment link is not valid. Please return to the merchant and start again.",
		ResultTitle: map[string]string{
			statusCaptured:  "Payment successful",
			statusDeclined:  "Payment declined",
			statusCancelled: "Payment cancelled",
			statusAbandoned: "Payment session expired",
		},
		ResultBody: map[string]string{
			statusCaptured:  "Your bank approved the payment.",
			statusDeclined:  "Your bank did not approve the payment. No money was taken.",
			statusCancelled: "You cancelled the payment. No money was taken.",
			statusAbandoned: "This payment link expired after 30 minutes. No money was taken. Please return to the merchant to start again.",
		},
		ErrBank:   "Please select your bank.",
		ErrCard:   "Enter a valid card number (16 to 19 digits).",
		ErrExpiry: "Select the expiration month and year.",
		ErrPIN:    "Enter your 4-digit PIN.",
	},
	"ar": {
		Gateway:       "بوابة الدفع كي نت",
		Sandbox:       "بيئة تجريبية (Tap sandbox): لن يتم خصم أي مبلغ حقيقي.",
		Heading:       "الدفع عبر كي نت",
		Merchant:      "التاجر",
		Amount:        "المبلغ",
		Reference:     "المرجع",
		Result:        "النتيجة",
		Bank:          "اختر البنك",
		Choose:        "اختر…",
		Card:          "رقم البطاقة",
		CardHint:      "من 16 إلى 19 رقماً كما هو مطبوع على البطاقة.",
		Expiry:        "تاريخ الانتهاء",
		Month:         "الشهر",
		Year:          "السنة",
		PIN:           "الرقم السري",
		PINHint:       "4 أرقام.",
		Submit:        "تأكيد",
		Cancel:        "إلغاء",
		TestCards:     "بطاقات تجريبية: 8888880000000001 أو 8888880000000002، تاريخ الانتهاء 09/2030، وأي رقم سري من 4 أرقام. تُرفض أي بطاقة أو تاريخ انتهاء آخر.",
		ErrorsTitle:   "يرجى تصحيح ما يلي:",
		Return:        "العودة إلى التاجر",
		Finished:      "اكتملت عملية الدفع هذه ولن يتم الخصم مرة أخرى.",
		LangName:      "العربية",
		NotFoundTitle: "لم يتم العثور على عملية الدفع",
		NotFoundBody:  "رابط الدفع هذا غير صالح. يرجى العودة إلى التاجر والبدء من جديد.",
		ResultTitle: map[string]string{
			statusCaptured:  "تمت عملية الدفع بنجاح",
			statusDeclined:  "تم رفض عملية الدفع",
			statusCancelled: "تم إلغاء عملية الدفع",
			statusAbandoned: "انتهت صلاحية جلسة الدفع",
		},
		ResultBody: map[string]string{
			statusCaptured:  "وافق البنك على عملية الدفع.",
			statusDeclined:  "لم يوافق البنك على عملية الدفع. لم يتم خصم أي مبلغ.",
			statusCancelled: "لقد ألغيت عملية الدفع. لم يتم خصم أي مبلغ.",
			statusAbandoned: "انتهت صلاحية رابط الدفع بعد 30 دقيقة. لم يتم خصم أي مبلغ. يرجى العودة إلى التاجر للبدء من جديد.",
		},
		ErrBank:   "يرجى اختيار البنك.",
		ErrCard:   "أدخل رقم بطاقة صحيحاً (من 16 إلى 19 رقماً).",
		ErrExpiry: "اختر شهر وسنة انتهاء البطاقة.",
		ErrPIN:    "أدخل الرقم السري المكوّن من 4 أرقام.",
	},
}

// banks are the page's bank choices; the KNET1 test bank is KNET's own label.
var banks = simkit.KNETBanks(false, "knet1", "nbk", "kfh", "gbk", "burgan")

const firstYear, lastYear = 2020, 2040

// pageView is everything the template shows.
type pageView struct {
	simkit.Langs
	T, AltT          *texts
	Token            string
	NotFound         bool
	Status           string // non-INITIATED charge: the result view
	ReturnURL        string
	Merchant, Amount string
	ChargeID         string
	KNET             *simkit.KNETFields
	Errors           []*simkit.FieldError
}

func newView(lang, token string) *pageView {
	v := &pageView{Langs: simkit.LangsOf(lang), Token: token}
	v.T, v.AltT = catalog[v.Lang], catalog[v.AltLang]
	return v
}

// chargeView fills the view from c, the form from f and errs; the caller holds s.mu. The
// merchant shown is the charge's statement_descriptor, else the account's name (never the
// charge's description, which says what is bought, not who sells it).
func (s *Simulator) chargeView(c *charge, lang string, f simkit.KNETCard, errs []*simkit.FieldError) *pageView {
	v := newView(lang, c.token)
	v.Status = c.Status
	v.ReturnURL = returnURL(c)
	v.Merchant = cmp.Or(c.StatementDescriptor, s.merchant)
	v.Amount = "KD " + c.amount
	v.ChargeID = c.ID
	t := v.T
	labels := simkit.KNETLabels{Bank: t.Bank, ChooseBank: t.Choose, Card: t.Card, CardHint: t.CardHint, Expiry: t.Expiry,
		Month: t.Month, ChooseMonth: t.Choose, Year: t.Year, ChooseYear: t.Choose, PIN: t.PIN, PINHint: t.PINHint}
	v.KNET = simkit.NewKNETFields("knet", "card", labels, lang, banks, firstYear, lastYear, f, errs)
	v.Errors = errs
	return v
}

// returnURL is redirect.url with tap_id appended, keeping its query (spec §7).
func returnURL(c *charge) string { return simkit.AppendQuery(c.Redirect.URL, "tap_id="+c.ID) }

// showPage serves GET /knet/pay?chg=…[&lang=ar|en], the hosted KNET page.
func (s *Simulator) showPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	token := q.Get("chg")
	s.mu.Lock()
	c := s.tokens[token]
	var v *pageView
	if c != nil {
		c.abandonIfExpired(s.now())
		v = s.chargeView(c, simkit.PickLang(q.Get("lang"), c.lang), simkit.KNETCard{}, nil)
	}
	s.mu.Unlock()
	if c == nil {
		v = newView(simkit.PickLang(q.Get("lang"), ""), token)
		v.NotFound = true
	}
	s.renderPage(w, v)
}

// submitPage serves POST /knet/pay: the shopper's Submit or Cancel
// (spec §8, §9.2, §9.3).
func (s *Simulator) submitPage(w http.ResponseWriter, r *http.Request) {
	pf, ok := simkit.ReadForm(w, r)
	if !ok {
		return
	}
	token := pf.Get("chg")
	f := simkit.ReadKNETCard(pf, "card")

	s.mu.Lock()
	c := s.tokens[token]
	if c == nil {
		s.mu.Unlock()
		v := newView(simkit.PickLang(pf.Get("lang"), ""), token)
		v.NotFound = true
		s.renderPage(w, v)
		return
	}
	now := s.now()
	c.abandonIfExpired(now)
	lang := simkit.PickLang(pf.Get("lang"), c.lang)
	if c.Status != statusInitiated { // already final: show it, never charge twice
		v := s.chargeView(c, lang, simkit.KNETCard{}, nil)
		s.mu.Unlock()
		s.renderPage(w, v)
		return
	}
	o := outcomeCancelled
	if pf.Get("action") != "cancel" {
		if errs := validate(f, lang); len(errs) > 0 {
			v := s.chargeView(c, lang, f, errs)
			s.mu.Unlock()
			s.renderPage(w, v)
			return
		}
		month, year, _ := parseExpiry(f.Month, f.Year)
		o = decide(f.Card, month, year)
	}
	c.finish(o, now)
	id, hook, location := c.ID, c.Post != nil, returnURL(c)
	s.mu.Unlock()
	s.log.InfoContext(r.Context(), "tap sandbox: charge finished", "charge", id, "status", o.status)

	if hook && s.hookFirst {
		s.notify(id)
	}
	http.Redirect(w, r, location, http.StatusSeeOther)
	if hook && !s.hookFirst {
		_ = http.NewResponseController(w).Flush() // the browser hears first
		s.notify(id)
	}
}

// validate returns the form's errors, in lang first and the other language.
func validate(f simkit.KNETCard, lang string) []*simkit.FieldError {
	_, _, expiryOK := parseExpiry(f.Month, f.Year)
	return simkit.CheckKNET(f, lang, catalog, banks, "card", expiryOK)
}

// KNETErrors are the form's error messages (see simkit.CheckKNET).
func (t *texts) KNETErrors() (bank, card, expiry, pin string) {
	return t.ErrBank, t.ErrCard, t.ErrExpiry, t.ErrPIN
}

func (s *Simulator) renderPage(w http.ResponseWriter, v *pageView) {
	status := simkit.PageStatus(v.NotFound, v.Status == statusAbandoned, len(v.Errors) > 0)
	simkit.WriteHTML(w, s.log, "tap sandbox", status, pageTemplate, pageTemplate.Name(), v, simkit.CSP)
}

var pageTemplate = simkit.ParsePage(pageHTML, nil)

// pageHTML looks like KNET's payment page, in simkit's frame. Hooks:
// data-testid="knet-…" (see the package doc).
const pageHTML = `{{template "simkit-page" .}}
{{- define "title"}}{{if .NotFound}}{{.T.NotFoundTitle}}{{else if ne .Status "INITIATED"}}{{index .T.ResultTitle .Status}}{{else}}{{.T.Heading}}{{end}} · {{.T.Gateway}}{{end}}
{{- define "css"}}
:root{--brand:#0b3b75;--page:#eef2f7;--ink:#1b1f24;--line:#c3cdd9;--soft:#f3f6fa;--field:#5a6573;--muted:#47525e;--column:34rem}
{{- end}}
{{- define "brand"}}<span class="logo" aria-hidden="true">K<b>NET</b></span><span>{{.T.Gateway}}</span>{{end}}
{{- define "lang-href"}}pay?chg={{.Token}}&amp;lang={{.AltLang}}{{end}}
{{- define "main"}}
{{- if .NotFound}}
<section class="panel" data-testid="knet-page-error">
<h1>{{.T.NotFoundTitle}}</h1>
<p>{{.T.NotFoundBody}}</p>
<p lang="{{.AltLang}}" dir="{{.AltDir}}">{{.AltT.NotFoundBody}}</p>
</section>
{{- else if ne .Status "INITIATED"}}
<section class="panel" data-testid="knet-result" data-status="{{.Status}}">
<h1>{{index .T.ResultTitle .Status}}</h1>
<p>{{index .T.ResultBody .Status}}</p>
{{- if ne .Status "ABANDONED"}}
<p>{{.T.Finished}}</p>
{{- end}}
<dl>
<div><dt>{{.T.Merchant}}</dt><dd>{{.Merchant}}</dd></div>
<div><dt>{{.T.Amount}}</dt><dd><bdi dir="ltr" data-testid="knet-amount">{{.Amount}}</bdi></dd></div>
<div><dt>{{.T.Reference}}</dt><dd><bdi dir="ltr">{{.ChargeID}}</bdi></dd></div>
<div><dt>{{.T.Result}}</dt><dd><bdi dir="ltr">{{.Status}}</bdi></dd></div>
</dl>
<p><a class="button" href="{{.ReturnURL}}" data-testid="knet-return">{{.T.Return}}</a></p>
</section>
{{- else}}
<form class="panel" method="post" action="pay" novalidate>
<h1>{{.T.Heading}}</h1>
<dl>
<div><dt>{{.T.Merchant}}</dt><dd>{{.Merchant}}</dd></div>
<div><dt>{{.T.Amount}}</dt><dd><bdi dir="ltr" data-testid="knet-amount">{{.Amount}}</bdi></dd></div>
</dl>
{{- template "simkit-errors" (errors "knet-errors" .T.ErrorsTitle .AltT.ErrorsTitle .Errors)}}
<input type="hidden" name="chg" value="{{.Token}}">
<input type="hidden" name="lang" value="{{.Lang}}">
{{- template "simkit-knet-fields" .KNET}}
<div class="actions">
<button class="primary" type="submit" name="action" value="submit" data-testid="knet-submit">{{.T.Submit}}</button>
<button class="secondary" type="submit" name="action" value="cancel" data-testid="knet-cancel">{{.T.Cancel}}</button>
</div>
<p class="note">{{.T.TestCards}}</p>
</form>
{{- end}}
{{- end}}`
