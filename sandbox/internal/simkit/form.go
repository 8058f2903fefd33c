package simkit

import (
	"html/template"
	"net/url"
	"strconv"
	"strings"
)

// PickLang is a page's language: query when it is "ar" or "en" (in any case), else "ar" when
// fallback is, else "en".
func PickLang(query, fallback string) string {
	if q := strings.ToLower(query); q == "ar" || q == "en" {
		return q
	}
	if fallback == "ar" {
		return "ar"
	}
	return "en"
}

// Langs is a page's language and direction, and the other language's, which every page offers
// a link to and shows its error messages in too.
type Langs struct{ Lang, Dir, AltLang, AltDir string }

// LangsOf is Langs for lang ("ar" or "en").
func LangsOf(lang string) Langs {
	if lang == "ar" {
		return Langs{"ar", "rtl", "en", "ltr"}
	}
	return Langs{"en", "ltr", "ar", "rtl"}
}

// Option is one choice of a select or a radio group.
type Option struct {
	Value, Label string
	Selected     bool
}

// FieldError is a form field's message in the page's language (Text) and in the other one
// (Alt, in AltLang and AltDir), so a shopper reads it whichever language they chose.
type FieldError struct {
	Field           string // id of the input at fault
	Text, Alt       string
	AltLang, AltDir string
}

// Problems collects a form's FieldErrors from a catalog of texts T by language.
type Problems[T any] struct {
	t, alt T
	langs  Langs
	Errs   []*FieldError
}

// NewProblems collects messages in lang and the other language of catalog.
func NewProblems[T any](lang string, catalog map[string]T) *Problems[T] {
	l := LangsOf(lang)
	return &Problems[T]{t: catalog[l.Lang], alt: catalog[l.AltLang], langs: l}
}

// Add records field's message, msg of each language's texts.
func (p *Problems[T]) Add(field string, msg func(T) string) {
	p.AddText(field, msg(p.t), msg(p.alt))
}

// AddText records field's message, written out in each language.
func (p *Problems[T]) AddText(field, text, alt string) {
	p.Errs = append(p.Errs, &FieldError{field, text, alt, p.langs.AltLang, p.langs.AltDir})
}

// Texts are the texts of the page's language and of the other one.
func (p *Problems[T]) Texts() (t, alt T) { return p.t, p.alt }

// ByField indexes errs by field (the first of a field), for the template's aria-invalid and
// per-field messages.
func ByField(errs []*FieldError) map[string]*FieldError {
	m := make(map[string]*FieldError, len(errs))
	for _, e := range errs {
		if m[e.Field] == nil {
			m[e.Field] = e
		}
	}
	return m
}

// Digits reports whether s is one or more ASCII digits.
func Digits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// CardNumberOK reports whether pan is a card number: 13 to 19 digits that pass the Luhn check.
func CardNumberOK(pan string) bool {
	if !Digits(pan) || len(pan) < 13 || len(pan) > 19 {
		return false
	}
	sum := 0
	for i := range len(pan) {
		d := int(pan[len(pan)-1-i] - '0')
		if i%2 == 1 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return sum%10 == 0
}

// Bank is a choice of a KNET page's bank list; the bank never changes the outcome.
type Bank struct{ Value, EN, AR string }

// memberBanks are KNET's test bank and Kuwait's KNET member banks, by lower-case code: the
// names in English and Arabic, and the tag KNET's own page puts after them.
var memberBanks = map[string]struct{ en, ar, tag string }{
	"knet1":   {"Knet Test Card", "Knet Test Card", "KNET1"},
	"abk":     {"Al Ahli Bank of Kuwait", "البنك الأهلي الكويتي", "ABK"},
	"aub":     {"Ahli United Bank", "البنك الأهلي المتحد", "AUB"},
	"bbk":     {"Bank of Bahrain and Kuwait", "بنك البحرين والكويت", "BBK"},
	"boubyan": {"Boubyan Bank", "بنك بوبيان", "Boubyan"},
	"burgan":  {"Burgan Bank", "بنك برقان", "Burgan"},
	"cbk":     {"Commercial Bank of Kuwait", "البنك التجاري الكويتي", "CBK"},
	"gbk":     {"Gulf Bank", "بنك الخليج", "GBK"},
	"kfh":     {"Kuwait Finance House", "بيت التمويل الكويتي", "KFH"},
	"kib":     {"Kuwait International Bank", "بنك الكويت الدولي", "KIB"},
	"nbk":     {"National Bank of Kuwait", "بنك الكويت الوطني", "NBK"},
	"warba":   {"Warba Bank", "بنك وربة", "Warba"},
}

// KNETBanks is a KNET page's bank list: the banks of codes (any case; the value posted is the
// code as given), in that order. The test bank's label always carries its tag, "Knet Test
// Card [KNET1]"; tagged labels every bank so, as KNET's own page does ("Gulf Bank [GBK]").
// An unknown code panics: the lists are written in the simulators' source.
func KNETBanks(tagged bool, codes ...string) []Bank {
	banks := make([]Bank, 0, len(codes))
	for _, code := range codes {
		b, ok := memberBanks[strings.ToLower(code)]
		if !ok {
			panic("simkit: unknown KNET bank " + code)
		}
		if tagged || b.tag == "KNET1" {
			b.en, b.ar = b.en+" ["+b.tag+"]", b.ar+" ["+b.tag+"]"
		}
		banks = append(banks, Bank{Value: code, EN: b.en, AR: b.ar})
	}
	return banks
}

// KNETCard is a KNET card form as posted: bank, card number (spaces and dashes removed),
// expiry month and year, PIN.
type KNETCard struct{ Bank, Card, Month, Year, PIN string }

// ReadKNETCard reads the KNET card form of form; cardName is its card number's field.
func ReadKNETCard(form url.Values, cardName string) KNETCard {
	return KNETCard{
		Bank:  form.Get("bank"),
		Card:  strings.NewReplacer(" ", "", "-", "").Replace(form.Get(cardName)),
		Month: form.Get("exp_month"),
		Year:  form.Get("exp_year"),
		PIN:   form.Get("pin"),
	}
}

// KnownBank reports whether the chosen bank is one of banks.
func (c KNETCard) KnownBank(banks []Bank) bool {
	for _, b := range banks {
		if b.Value == c.Bank {
			return true
		}
	}
	return false
}

// CardOK reports whether the card number is 16 to 19 digits.
func (c KNETCard) CardOK() bool { return Digits(c.Card) && len(c.Card) >= 16 && len(c.Card) <= 19 }

// PINOK reports whether the PIN is 4 digits.
func (c KNETCard) PINOK() bool { return Digits(c.PIN) && len(c.PIN) == 4 }

// Expiry is the month (two digits, 01 to 12) and year (four digits, first to last).
func (c KNETCard) Expiry(first, last int) (month, year int, ok bool) {
	m, errM := strconv.Atoi(c.Month)
	y, errY := strconv.Atoi(c.Year)
	if len(c.Month) != 2 || errM != nil || m < 1 || m > 12 || len(c.Year) != 4 || errY != nil || y < first || y > last {
		return 0, 0, false
	}
	return m, y, true
}

// KNETErrorTexts are one language's texts of a KNET card form's errors: an unknown bank, a
// card number, an expiry and a PIN that are not valid.
type KNETErrorTexts interface {
	KNETErrors() (bank, card, expiry, pin string)
}

// CheckKNET returns the errors of the KNET card form c, in lang and the other language of
// catalog: a bank not among banks, a card number (the field cardName) not of 16 to 19
// digits, an expiry the simulator found not valid (expiryOK false; on exp_month), a PIN not
// of 4 digits.
func CheckKNET[T KNETErrorTexts](c KNETCard, lang string, catalog map[string]T, banks []Bank, cardName string, expiryOK bool) []*FieldError {
	p := NewProblems(lang, catalog)
	if !c.KnownBank(banks) {
		p.Add("bank", func(t T) string { m, _, _, _ := t.KNETErrors(); return m })
	}
	if !c.CardOK() {
		p.Add(cardName, func(t T) string { _, m, _, _ := t.KNETErrors(); return m })
	}
	if !expiryOK {
		p.Add("exp_month", func(t T) string { _, _, m, _ := t.KNETErrors(); return m })
	}
	if !c.PINOK() {
		p.Add("pin", func(t T) string { _, _, _, m := t.KNETErrors(); return m })
	}
	return p.Errs
}

// KNETLabels are the texts of a KNET card form in one language.
type KNETLabels struct {
	Bank, ChooseBank, Card, CardHint             string
	Expiry, Month, ChooseMonth, Year, ChooseYear string
	PIN, PINHint                                 string
}

// KNETFields is what the "simkit-knet-fields" template shows: the bank, card number, expiry
// and PIN fields of a KNET card form, with their errors.
type KNETFields struct {
	TestID   string // data-testid prefix: "knet" gives knet-bank, knet-card…
	CardName string // the card number's name and id: "card" or "card_number"
	Labels   KNETLabels
	Banks    []Option
	Months   []Option
	Years    []Option
	Card     string // as typed, shown again after an error
	Invalid  map[string]*FieldError
	// SeparateExpiry: the month and the year have errors of their own (KNET's codes); else
	// an error of exp_month is the expiry's and marks both selects.
	SeparateExpiry bool
}

// NewKNETFields fills the fields from what was posted (the zero KNETCard for a new page),
// offering banks in lang and the years first to last.
func NewKNETFields(testID, cardName string, labels KNETLabels, lang string, banks []Bank, first, last int, c KNETCard, errs []*FieldError) *KNETFields {
	f := &KNETFields{TestID: testID, CardName: cardName, Labels: labels, Card: c.Card, Invalid: ByField(errs)}
	for _, b := range banks {
		label := b.EN
		if lang == "ar" {
			label = b.AR
		}
		f.Banks = append(f.Banks, Option{b.Value, label, b.Value == c.Bank})
	}
	month, _ := strconv.Atoi(c.Month)
	for m := 1; m <= 12; m++ {
		v := strconv.Itoa(m)
		if m < 10 {
			v = "0" + v
		}
		f.Months = append(f.Months, Option{v, v, m == month})
	}
	for y := first; y <= last; y++ {
		v := strconv.Itoa(y)
		f.Years = append(f.Years, Option{v, v, v == c.Year})
	}
	return f
}

// ParsePage parses a hosted page's template text together with the shared parts it may call:
//
//	{{template "simkit-form-css"}}         the style of fields, their errors and the actions
//	{{template "simkit-errors" (errors "x-errors" .T.ErrorsTitle .AltT.ErrorsTitle .Errors)}}
//	{{template "simkit-field-error" (index .Invalid "card")}}
//	{{template "simkit-knet-fields" .KNET}} (a *KNETFields)
//	{{template "simkit-page" .}}            the page's frame and base style sheet (see frame)
//
// The template is named "page"; more defines may follow in text. A missing map key is an
// error, not an empty string (K-Pay's texts are maps: a typo fails its tests).
func ParsePage(text string, funcs template.FuncMap) *template.Template {
	fm := template.FuncMap{"errors": newSummary}
	for k, f := range funcs {
		fm[k] = f
	}
	t := template.Must(template.New("page").Option("missingkey=error").Funcs(fm).Parse(shared + frame))
	return template.Must(t.Parse(text))
}

// summary is what "simkit-errors" shows.
type summary struct {
	TestID, Title, AltTitle string
	AltLang, AltDir         string
	Errors                  []*FieldError
}

func newSummary(testID, title, altTitle string, errs []*FieldError) *summary {
	s := &summary{TestID: testID, Title: title, AltTitle: altTitle, Errors: errs}
	if len(errs) > 0 {
		s.AltLang, s.AltDir = errs[0].AltLang, errs[0].AltDir
	}
	return s
}

// shared are the templates ParsePage adds. Only logical CSS properties, so one sheet serves
// Arabic (rtl) and English (ltr).
const shared = `
{{- define "simkit-form-css"}}
.field{margin-block:0 1rem;border:0;padding:0;min-inline-size:0}
label,legend{display:block;font-weight:600;margin-block-end:.25rem;padding:0}
.row{display:grid;grid-template-columns:1fr 1fr;gap:.75rem}
.pair label{font-weight:400}
[aria-invalid=true]{border:2px solid #a4000f}
.field-error{margin-block:.25rem 0;color:#a4000f;font-weight:600}
.errors{border:2px solid #a4000f;background:#fff5f5;color:#7a000b;border-radius:.35rem;padding:.75rem;margin-block:0 1rem}
.errors p{margin-block:0 .5rem;font-weight:700}
.errors ul{margin:0;padding-inline-start:1.25rem}
.errors a{color:#7a000b}
.alt{display:block;font-weight:400}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;margin-block-start:1.25rem}
:focus-visible{outline:3px solid #b45309;outline-offset:2px}
bdi{unicode-bidi:isolate}
{{- end}}

{{- define "simkit-errors"}}
{{- if .Errors}}
<div class="errors" role="alert" data-testid="{{.TestID}}">
<p>{{.Title}} <span class="alt" lang="{{.AltLang}}" dir="{{.AltDir}}">{{.AltTitle}}</span></p>
<ul>
{{- range .Errors}}
<li><a href="#{{.Field}}">{{.Text}}</a> <span class="alt" lang="{{.AltLang}}" dir="{{.AltDir}}">{{.Alt}}</span></li>
{{- end}}
</ul>
</div>
{{- end}}
{{- end}}

{{- define "simkit-field-error"}}
{{- with .}}
<p class="field-error" id="{{.Field}}-error">{{.Text}} <span class="alt" lang="{{.AltLang}}" dir="{{.AltDir}}">{{.Alt}}</span></p>
{{- end}}
{{- end}}

{{- define "simkit-knet-fields"}}
<div class="field">
<label for="bank">{{.Labels.Bank}}</label>
<select id="bank" name="bank" required data-testid="{{.TestID}}-bank"{{with index .Invalid "bank"}} aria-invalid="true" aria-describedby="bank-error"{{end}}>
<option value="">{{.Labels.ChooseBank}}</option>
{{- range .Banks}}
<option value="{{.Value}}"{{if .Selected}} selected{{end}}>{{.Label}}</option>
{{- end}}
</select>
{{- template "simkit-field-error" (index .Invalid "bank")}}
</div>
<div class="field">
<label for="{{.CardName}}">{{.Labels.Card}}</label>
<input id="{{.CardName}}" name="{{.CardName}}" type="text" inputmode="numeric" autocomplete="cc-number" maxlength="23" dir="ltr" value="{{.Card}}" required data-testid="{{.TestID}}-card" aria-describedby="{{.CardName}}-hint{{with index .Invalid .CardName}} {{.Field}}-error{{end}}"{{with index .Invalid .CardName}} aria-invalid="true"{{end}}>
<p class="hint" id="{{.CardName}}-hint">{{.Labels.CardHint}}</p>
{{- template "simkit-field-error" (index .Invalid .CardName)}}
</div>
<fieldset class="field">
<legend>{{.Labels.Expiry}}</legend>
<div class="row pair">
<div>
<label for="exp_month">{{.Labels.Month}}</label>
<select id="exp_month" name="exp_month" required data-testid="{{.TestID}}-exp-month"{{with index .Invalid "exp_month"}} aria-invalid="true" aria-describedby="exp_month-error"{{end}}>
<option value="">{{.Labels.ChooseMonth}}</option>
{{- range .Months}}
<option value="{{.Value}}"{{if .Selected}} selected{{end}}>{{.Label}}</option>
{{- end}}
</select>
</div>
<div>
<label for="exp_year">{{.Labels.Year}}</label>
<select id="exp_year" name="exp_year" required data-testid="{{.TestID}}-exp-year"{{if index .Invalid "exp_year"}} aria-invalid="true" aria-describedby="exp_year-error"{{else if and (index .Invalid "exp_month") (not .SeparateExpiry)}} aria-invalid="true" aria-describedby="exp_month-error"{{end}}>
<option value="">{{.Labels.ChooseYear}}</option>
{{- range .Years}}
<option value="{{.Value}}"{{if .Selected}} selected{{end}}>{{.Label}}</option>
{{- end}}
</select>
</div>
</div>
{{- template "simkit-field-error" (index .Invalid "exp_month")}}
{{- template "simkit-field-error" (index .Invalid "exp_year")}}
</fieldset>
<div class="field">
<label for="pin">{{.Labels.PIN}}</label>
<input id="pin" name="pin" type="password" inputmode="numeric" autocomplete="off" maxlength="4" dir="ltr" required data-testid="{{.TestID}}-pin" aria-describedby="pin-hint{{with index .Invalid "pin"}} pin-error{{end}}"{{with index .Invalid "pin"}} aria-invalid="true"{{end}}>
<p class="hint" id="pin-hint">{{.Labels.PINHint}}</p>
{{- template "simkit-field-error" (index .Invalid "pin")}}
</div>
{{- end}}
`
