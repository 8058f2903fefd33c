package tap

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"

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
var banks = []struct{ value, en, ar string }{
	{"knet1", "Knet Test Card [KNET1]", "Knet Test Card [KNET1]"},
	{"nbk", "National Bank of Kuwait", "بنك الكويت الوطني"},
	{"kfh", "Kuwait Finance House", "بيت التمويل الكويتي"},
	{"gbk", "Gulf Bank", "بنك الخليج"},
	{"burgan", "Burgan Bank", "بنك برقان"},
}

const firstYear, lastYear = 2020, 2040

type option struct {
	Value, Label string
	Selected     bool
}

// fieldError is a validation message in the page's language (Text) and in
// the other one (Alt), so a shopper reads it whichever language they chose.
type fieldError struct {
	Field     string // id of the input at fault
	Text, Alt string
}

// pageView is everything the template shows.
type pageView struct {
	Lang, Dir        string
	AltLang, AltDir  string
	T, AltT          *texts
	Token            string
	NotFound         bool
	Status           string // non-INITIATED charge: the result view
	ReturnURL        string
	Merchant, Amount string
	ChargeID         string
	Banks, Months    []option
	Years            []option
	Card             string
	Errors           []*fieldError
	Invalid          map[string]*fieldError // by field id
}

// payForm is the KNET page's form as posted.
type payForm struct {
	bank, card, month, year, pin string
}

func pickLang(query, fallback string) string {
	if query == "ar" || query == "en" {
		return query
	}
	if fallback == "ar" {
		return "ar"
	}
	return "en"
}

func newView(lang, token string) *pageView {
	v := &pageView{Lang: lang, Dir: "ltr", AltLang: "ar", AltDir: "rtl", Token: token}
	if lang == "ar" {
		v.Dir, v.AltLang, v.AltDir = "rtl", "en", "ltr"
	}
	v.T, v.AltT = catalog[v.Lang], catalog[v.AltLang]
	return v
}

// chargeView fills the view from c; the caller holds s.mu.
func chargeView(c *charge, lang string, f payForm) *pageView {
	v := newView(lang, c.token)
	v.Status = c.Status
	v.ReturnURL = returnURL(c)
	v.Merchant = c.StatementDescriptor
	if v.Merchant == "" {
		v.Merchant = c.Description
	}
	if v.Merchant == "" {
		v.Merchant = "Tap Payments"
	}
	v.Amount = "KD " + c.amount
	v.ChargeID = c.ID
	v.Card = f.card
	for _, b := range banks {
		label := b.en
		if lang == "ar" {
			label = b.ar
		}
		v.Banks = append(v.Banks, option{b.value, label, b.value == f.bank})
	}
	for m := 1; m <= 12; m++ {
		val := twoDigits(m)
		v.Months = append(v.Months, option{val, val, val == f.month})
	}
	for y := firstYear; y <= lastYear; y++ {
		val := strconv.Itoa(y)
		v.Years = append(v.Years, option{val, val, val == f.year})
	}
	return v
}

func twoDigits(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}

// returnURL is redirect.url with tap_id appended, keeping its query (spec §7).
func returnURL(c *charge) string {
	base, frag, _ := strings.Cut(c.Redirect.URL, "#")
	sep := "?"
	if strings.Contains(base, "?") {
		sep = "&"
		if strings.HasSuffix(base, "?") || strings.HasSuffix(base, "&") {
			sep = ""
		}
	}
	u := base + sep + "tap_id=" + c.ID
	if frag != "" {
		u += "#" + frag
	}
	return u
}

// showPage serves GET /knet/pay?chg=…[&lang=ar|en], the hosted KNET page.
func (s *Simulator) showPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	token := q.Get("chg")
	s.mu.Lock()
	c := s.tokens[token]
	var v *pageView
	if c != nil {
		c.abandonIfExpired(s.now())
		v = chargeView(c, pickLang(q.Get("lang"), c.lang), payForm{})
	}
	s.mu.Unlock()
	if c == nil {
		v = newView(pickLang(q.Get("lang"), ""), token)
		v.NotFound = true
	}
	s.renderPage(w, v)
}

// submitPage serves POST /knet/pay: the shopper's Submit or Cancel
// (spec §8, §9.2, §9.3).
func (s *Simulator) submitPage(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	pf := r.PostForm
	token := pf.Get("chg")
	f := payForm{
		bank:  pf.Get("bank"),
		card:  strings.NewReplacer(" ", "", "-", "").Replace(pf.Get("card")),
		month: pf.Get("exp_month"),
		year:  pf.Get("exp_year"),
		pin:   pf.Get("pin"),
	}

	s.mu.Lock()
	c := s.tokens[token]
	if c == nil {
		s.mu.Unlock()
		v := newView(pickLang(pf.Get("lang"), ""), token)
		v.NotFound = true
		s.renderPage(w, v)
		return
	}
	now := s.now()
	c.abandonIfExpired(now)
	lang := pickLang(pf.Get("lang"), c.lang)
	if c.Status != statusInitiated { // already final: show it, never charge twice
		v := chargeView(c, lang, payForm{})
		s.mu.Unlock()
		s.renderPage(w, v)
		return
	}
	o := outcomeCancelled
	if pf.Get("action") != "cancel" {
		if errs := f.validate(lang); len(errs) > 0 {
			v := chargeView(c, lang, f)
			s.mu.Unlock()
			v.Errors = errs
			v.Invalid = map[string]*fieldError{}
			for _, e := range errs {
				v.Invalid[e.Field] = e
			}
			s.renderPage(w, v)
			return
		}
		month, year, _ := f.expiry()
		o = decide(f.card, month, year)
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

func (f payForm) expiry() (int, int, bool) { return parseExpiry(f.month, f.year) }

// validate returns the form's errors, in lang first and the other language.
func (f payForm) validate(lang string) []*fieldError {
	t, alt := catalog["en"], catalog["ar"]
	if lang == "ar" {
		t, alt = alt, t
	}
	var errs []*fieldError
	add := func(field, text, altText string) {
		errs = append(errs, &fieldError{field, text, altText})
	}
	knownBank := false
	for _, b := range banks {
		knownBank = knownBank || b.value == f.bank
	}
	if !knownBank {
		add("bank", t.ErrBank, alt.ErrBank)
	}
	if !isDigits(f.card) || len(f.card) < 16 || len(f.card) > 19 {
		add("card", t.ErrCard, alt.ErrCard)
	}
	if _, _, ok := f.expiry(); !ok {
		add("exp_month", t.ErrExpiry, alt.ErrExpiry)
	}
	if !isDigits(f.pin) || len(f.pin) != 4 {
		add("pin", t.ErrPIN, alt.ErrPIN)
	}
	return errs
}

func (s *Simulator) renderPage(w http.ResponseWriter, v *pageView) {
	status := http.StatusOK
	switch {
	case v.NotFound:
		status = http.StatusNotFound
	case v.Status == statusAbandoned:
		status = http.StatusGone
	case len(v.Errors) > 0:
		status = http.StatusUnprocessableEntity
	}
	simkit.WriteHTML(w, s.log, "tap sandbox", status, pageTemplate, pageTemplate.Name(), v, simkit.CSP)
}

var pageTemplate = template.Must(template.New("page").Parse(pageHTML))

// pageHTML looks like KNET's payment page. Only logical CSS properties, so
// the same sheet serves Arabic (rtl) and English (ltr); no script, no
// external assets. Hooks: data-testid="knet-…" (see the package doc).
const pageHTML = `<!doctype html>
<html lang="{{.Lang}}" dir="{{.Dir}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{if .NotFound}}{{.T.NotFoundTitle}}{{else if ne .Status "INITIATED"}}{{index .T.ResultTitle .Status}}{{else}}{{.T.Heading}}{{end}} · {{.T.Gateway}}</title>
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
main{max-inline-size:34rem;margin-inline:auto;padding:1rem}
.panel{background:#fff;border:1px solid #c3cdd9;border-radius:.5rem;padding:1.25rem}
h1{font-size:1.3rem;margin-block:0 1rem;color:#0b3b75}
dl{display:grid;gap:.25rem;margin-block:0 1rem;padding:.75rem;background:#f3f6fa;border-radius:.35rem}
dl div{display:flex;justify-content:space-between;gap:1rem}
dt{font-weight:600}
dd{margin:0;text-align:end}
.field{margin-block:0 1rem;border:0;padding:0;min-inline-size:0}
label,legend{display:block;font-weight:600;margin-block-end:.25rem;padding:0}
.row{display:grid;grid-template-columns:1fr 1fr;gap:.75rem}
.row label{font-weight:400}
select,input{inline-size:100%;font:inherit;padding-block:.5rem;padding-inline:.6rem;border:1px solid #5a6573;border-radius:.3rem;background:#fff;color:#1b1f24}
[aria-invalid=true]{border:2px solid #a4000f}
.hint{margin-block:.25rem 0;font-size:.875rem;color:#47525e}
.field-error{margin-block:.25rem 0;color:#a4000f;font-weight:600}
.errors{border:2px solid #a4000f;background:#fff5f5;color:#7a000b;border-radius:.35rem;padding:.75rem;margin-block:0 1rem}
.errors p{margin-block:0 .5rem;font-weight:700}
.errors ul{margin:0;padding-inline-start:1.25rem}
.errors a{color:#7a000b}
.alt{display:block;font-weight:400}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;margin-block-start:1.25rem}
button,.button{display:inline-block;font:inherit;font-weight:700;padding-block:.6rem;padding-inline:1.5rem;border:2px solid #0b3b75;border-radius:.3rem;cursor:pointer;text-decoration:none}
.primary,.button{background:#0b3b75;color:#fff}
.secondary{background:#fff;color:#0b3b75}
a{color:#0b3b75}
:focus-visible{outline:3px solid #b45309;outline-offset:2px}
.note{margin-block:1rem 0;font-size:.875rem;color:#47525e}
bdi{unicode-bidi:isolate}
</style>
</head>
<body>
<header class="top">
<div class="brand"><span class="logo" aria-hidden="true">K<b>NET</b></span><span>{{.T.Gateway}}</span></div>
<a href="pay?chg={{.Token}}&amp;lang={{.AltLang}}" lang="{{.AltLang}}" hreflang="{{.AltLang}}" data-testid="lang-switch">{{.AltT.LangName}}</a>
</header>
<aside class="sandbox">{{.T.Sandbox}}</aside>
<main>
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
{{- if .Errors}}
<div class="errors" role="alert" data-testid="knet-errors">
<p>{{.T.ErrorsTitle}} <span class="alt" lang="{{.AltLang}}" dir="{{.AltDir}}">{{.AltT.ErrorsTitle}}</span></p>
<ul>
{{- range .Errors}}
<li><a href="#{{.Field}}">{{.Text}}</a> <span class="alt" lang="{{$.AltLang}}" dir="{{$.AltDir}}">{{.Alt}}</span></li>
{{- end}}
</ul>
</div>
{{- end}}
<input type="hidden" name="chg" value="{{.Token}}">
<input type="hidden" name="lang" value="{{.Lang}}">
<div class="field">
<label for="bank">{{.T.Bank}}</label>
<select id="bank" name="bank" aria-required="true" data-testid="knet-bank"{{with index .Invalid "bank"}} aria-invalid="true" aria-describedby="bank-error"{{end}}>
<option value="">{{.T.Choose}}</option>
{{- range .Banks}}
<option value="{{.Value}}"{{if .Selected}} selected{{end}}>{{.Label}}</option>
{{- end}}
</select>
{{- with index .Invalid "bank"}}
<p class="field-error" id="bank-error">{{.Text}} <span class="alt" lang="{{$.AltLang}}" dir="{{$.AltDir}}">{{.Alt}}</span></p>
{{- end}}
</div>
<div class="field">
<label for="card">{{.T.Card}}</label>
<input id="card" name="card" type="text" inputmode="numeric" autocomplete="cc-number" maxlength="23" dir="ltr" value="{{.Card}}" aria-required="true" data-testid="knet-card" aria-describedby="card-hint{{with index .Invalid "card"}} card-error{{end}}"{{with index .Invalid "card"}} aria-invalid="true"{{end}}>
<p class="hint" id="card-hint">{{.T.CardHint}}</p>
{{- with index .Invalid "card"}}
<p class="field-error" id="card-error">{{.Text}} <span class="alt" lang="{{$.AltLang}}" dir="{{$.AltDir}}">{{.Alt}}</span></p>
{{- end}}
</div>
<fieldset class="field"{{with index .Invalid "exp_month"}} aria-describedby="exp-error"{{end}}>
<legend>{{.T.Expiry}}</legend>
<div class="row">
<div>
<label for="exp_month">{{.T.Month}}</label>
<select id="exp_month" name="exp_month" aria-required="true" data-testid="knet-exp-month"{{with index .Invalid "exp_month"}} aria-invalid="true"{{end}}>
<option value="">{{.T.Choose}}</option>
{{- range .Months}}
<option value="{{.Value}}"{{if .Selected}} selected{{end}}>{{.Label}}</option>
{{- end}}
</select>
</div>
<div>
<label for="exp_year">{{.T.Year}}</label>
<select id="exp_year" name="exp_year" aria-required="true" data-testid="knet-exp-year"{{with index .Invalid "exp_month"}} aria-invalid="true"{{end}}>
<option value="">{{.T.Choose}}</option>
{{- range .Years}}
<option value="{{.Value}}"{{if .Selected}} selected{{end}}>{{.Label}}</option>
{{- end}}
</select>
</div>
</div>
{{- with index .Invalid "exp_month"}}
<p class="field-error" id="exp-error">{{.Text}} <span class="alt" lang="{{$.AltLang}}" dir="{{$.AltDir}}">{{.Alt}}</span></p>
{{- end}}
</fieldset>
<div class="field">
<label for="pin">{{.T.PIN}}</label>
<input id="pin" name="pin" type="password" inputmode="numeric" autocomplete="off" maxlength="4" dir="ltr" aria-required="true" data-testid="knet-pin" aria-describedby="pin-hint{{with index .Invalid "pin"}} pin-error{{end}}"{{with index .Invalid "pin"}} aria-invalid="true"{{end}}>
<p class="hint" id="pin-hint">{{.T.PINHint}}</p>
{{- with index .Invalid "pin"}}
<p class="field-error" id="pin-error">{{.Text}} <span class="alt" lang="{{$.AltLang}}" dir="{{$.AltDir}}">{{.Alt}}</span></p>
{{- end}}
</div>
<div class="actions">
<button class="primary" type="submit" name="action" value="submit" data-testid="knet-submit">{{.T.Submit}}</button>
<button class="secondary" type="submit" name="action" value="cancel" data-testid="knet-cancel">{{.T.Cancel}}</button>
</div>
<p class="note">{{.T.TestCards}}</p>
</form>
{{- end}}
</main>
</body>
</html>
`
