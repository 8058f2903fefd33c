package knet

import (
	"fmt"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"

	"github.com/bawaba/checkout/sandbox/internal/simkit"
)

// merchantName is the terminal's merchant as the sandbox page shows it.
var merchantName = map[string]string{"en": "Bawaba Test Merchant", "ar": "تاجر بوابة التجريبي"}

// banks is the page's bank list (spec §7): KNET's test bank first, then
// Kuwait's KNET member banks. The bank does not change the outcome.
var banks = []struct{ value, en, ar string }{
	{"knet1", "Knet Test Card [KNET1]", "Knet Test Card [KNET1]"},
	{"abk", "Al Ahli Bank of Kuwait [ABK]", "البنك الأهلي الكويتي [ABK]"},
	{"aub", "Ahli United Bank [AUB]", "البنك الأهلي المتحد [AUB]"},
	{"bbk", "Bank of Bahrain and Kuwait [BBK]", "بنك البحرين والكويت [BBK]"},
	{"boubyan", "Boubyan Bank [Boubyan]", "بنك بوبيان [Boubyan]"},
	{"burgan", "Burgan Bank [Burgan]", "بنك برقان [Burgan]"},
	{"cbk", "Commercial Bank of Kuwait [CBK]", "البنك التجاري الكويتي [CBK]"},
	{"gbk", "Gulf Bank [GBK]", "بنك الخليج [GBK]"},
	{"kfh", "Kuwait Finance House [KFH]", "بيت التمويل الكويتي [KFH]"},
	{"kib", "Kuwait International Bank [KIB]", "بنك الكويت الدولي [KIB]"},
	{"nbk", "National Bank of Kuwait [NBK]", "بنك الكويت الوطني [NBK]"},
	{"warba", "Warba Bank [Warba]", "بنك وربة [Warba]"},
}

const firstYear, lastYear = 2018, 2040

type option struct {
	Value, Label string
	Selected     bool
}

// fieldError is a validation message in the page's language (Text) and in
// the other one (Alt).
type fieldError struct {
	Field     string // id of the input at fault
	Text, Alt string
}

// view is everything the template shows.
type view struct {
	Lang, Dir, AltLang, AltDir string
	T, AltT                    *texts
	Kind                       string // form, confirm, error, void, finished, busy
	LangURL                    string
	PaymentID, TrackID         string
	Merchant, Website, Amount  string
	Banks, Months, Years       []option
	Card                       string
	Errors                     []*fieldError
	Invalid                    map[string]*fieldError
	MaskedCard, Month, Year    string
	Code, CodeText, AltCode    string
	ReturnURL                  string
	Result                     string
	Reversed                   bool // void page: the money taken was given back
	TestCards, AltTestCards    string
}

// cardForm is the card page as posted.
type cardForm struct {
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

func (s *Simulator) newView(lang, kind string) *view {
	v := &view{Lang: lang, Dir: "ltr", AltLang: "ar", AltDir: "rtl", Kind: kind}
	if lang == "ar" {
		v.Dir, v.AltLang, v.AltDir = "rtl", "en", "ltr"
	}
	v.T, v.AltT = catalog[v.Lang], catalog[v.AltLang]
	expiry := fmt.Sprintf("%02d/%d", s.magicMonth, s.magicYear)
	v.TestCards = fmt.Sprintf(v.T.TestCards, expiry)
	v.AltTestCards = fmt.Sprintf(v.AltT.TestCards, expiry)
	return v
}

// paymentView shows p as its state requires; the caller holds s.mu.
func (s *Simulator) paymentView(p *payment, lang string, f cardForm) *view {
	kind := "form"
	switch p.state {
	case stateConfirm:
		kind = "confirm"
	case stateProcessing:
		kind = "busy"
	case stateDone:
		kind = "finished"
		if p.voided {
			kind = "void"
		}
	}
	v := s.newView(lang, kind)
	v.LangURL = "paymentpage.htm?PaymentID=" + url.QueryEscape(p.paymentID) + "&lang=" + v.AltLang
	v.PaymentID, v.TrackID = p.paymentID, p.trackID
	v.Merchant = merchantName[lang]
	if u, err := url.Parse(p.responseURL); err == nil {
		v.Website = u.Scheme + "://" + u.Host
	}
	v.Amount = "KD " + formatAmount(p.amt)
	v.Result = p.result
	switch kind {
	case "form":
		for _, b := range banks {
			label := b.en
			if lang == "ar" {
				label = b.ar
			}
			v.Banks = append(v.Banks, option{b.value, label, b.value == f.bank})
		}
		month, _ := strconv.Atoi(f.month)
		for m := 1; m <= 12; m++ {
			val := fmt.Sprintf("%02d", m)
			v.Months = append(v.Months, option{val, val, m == month})
		}
		for y := min(firstYear, s.magicYear); y <= max(lastYear, s.magicYear); y++ {
			val := strconv.Itoa(y)
			v.Years = append(v.Years, option{val, val, val == f.year})
		}
		v.Card = f.card
	case "confirm":
		v.MaskedCard = "*****" + p.card[len(p.card)-4:]
		v.Month, v.Year = p.month, p.year
	case "busy":
		v.setCode(errInProgress)
	case "finished":
		v.setCode(errOrderStatus)
		v.ReturnURL = p.receiptURL
	case "void":
		v.setCode(p.voidCode)
		v.Reversed = p.result == resultCaptured || p.result == resultHostTimeout
		v.ReturnURL = p.errorURL + "?" + p.errorQuery(p.voidCode)
	}
	return v
}

func (v *view) setCode(code string) {
	v.Code, v.CodeText, v.AltCode = code, codeIn(code, v.Lang), codeIn(code, v.AltLang)
}

// errorPage renders KNET's error page for code, with a language link that
// repeats the request with the other lang.
func (s *Simulator) errorPage(w http.ResponseWriter, r *http.Request, lang, code string, status int) {
	v := s.newView(lang, "error")
	v.setCode(code)
	q := r.URL.Query()
	q.Set("lang", v.AltLang)
	v.LangURL = path.Base(r.URL.Path) + "?" + q.Encode()
	s.render(w, v, status)
}

// showPage serves GET /kpg/paymentpage.htm?PaymentID=…[&lang=ar|en].
func (s *Simulator) showPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.servePayment(w, r, q.Get("PaymentID"), q.Get("lang"), "", cardForm{})
}

// submitPage serves POST /kpg/paymentpage.htm: Submit or Cancel on the card
// page, Confirm, Back or Cancel on the confirmation page.
func (s *Simulator) submitPage(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		s.errorPage(w, r, "en", errInvalidInput, http.StatusBadRequest)
		return
	}
	pf := r.PostForm
	f := cardForm{
		bank:  pf.Get("bank"),
		card:  strings.NewReplacer(" ", "", "-", "").Replace(pf.Get("card")),
		month: pf.Get("exp_month"),
		year:  pf.Get("exp_year"),
		pin:   pf.Get("pin"),
	}
	action := pf.Get("action")
	if action == "" {
		action = "show"
	}
	s.servePayment(w, r, pf.Get("PaymentID"), pf.Get("lang"), action, f)
}

// servePayment applies action ("" for a GET) to the payment and answers.
func (s *Simulator) servePayment(w http.ResponseWriter, r *http.Request, pid, langParam, action string, f cardForm) {
	if pid == "" {
		s.errorPage(w, r, pickLang(langParam, "en"), errMissingPaymentID, http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	p := s.payments[pid]
	if p == nil {
		s.mu.Unlock()
		s.errorPage(w, r, pickLang(langParam, "en"), errInvalidPaymentID, http.StatusNotFound)
		return
	}
	now := s.now()
	p.expireIfDue(now)
	lang := pickLang(langParam, p.lang)
	again := "paymentpage.htm?PaymentID=" + url.QueryEscape(p.paymentID) + "&lang=" + lang

	if p.state == stateExpired {
		target := p.errorURL + "?" + p.errorQuery(errTimeLimit)
		s.mu.Unlock()
		s.log.InfoContext(r.Context(), "knet sandbox: payment page expired", "paymentid", pid, "trackid", p.trackID)
		http.Redirect(w, r, target, http.StatusFound)
		return
	}
	switch {
	case p.state == stateCard && action == "cancel", p.state == stateConfirm && action == "cancel":
		s.finish(p, resultCanceled, now)
		s.mu.Unlock()
		s.complete(w, r, p, lang)
		return
	case p.state == stateConfirm && action == "confirm":
		s.finish(p, p.pending, now)
		s.mu.Unlock()
		s.complete(w, r, p, lang)
		return
	case p.state == stateConfirm && action == "back":
		p.state = stateCard
		s.mu.Unlock()
		http.Redirect(w, r, again, http.StatusSeeOther)
		return
	case p.state == stateCard && action == "submit":
		if errs := f.validate(lang); len(errs) > 0 {
			v := s.paymentView(p, lang, f)
			s.mu.Unlock()
			v.Errors = errs
			v.Invalid = map[string]*fieldError{}
			for _, e := range errs {
				if v.Invalid[e.Field] == nil {
					v.Invalid[e.Field] = e
				}
			}
			s.render(w, v, http.StatusUnprocessableEntity)
			return
		}
		month, _ := strconv.Atoi(f.month)
		year, _ := strconv.Atoi(f.year)
		p.bank, p.card = f.bank, f.card
		p.month, p.year = fmt.Sprintf("%02d", month), strconv.Itoa(year)
		p.pending = s.decide(f.card, month, year)
		p.state = stateConfirm
		s.mu.Unlock()
		http.Redirect(w, r, again, http.StatusSeeOther)
		return
	}
	// A GET, or an action that does not apply to the state (a finished
	// payment, a second tab…): show the payment as it stands. Never charges.
	if p.state == stateCard && action == "" {
		f = cardForm{bank: p.bank, card: p.card, month: p.month, year: p.year}
	}
	v := s.paymentView(p, lang, f)
	s.mu.Unlock()
	status := http.StatusOK
	if v.Kind == "busy" {
		status = http.StatusConflict
	}
	s.render(w, v, status)
}

// complete runs the notification handshake of a payment that just got its
// result, then sends the browser to the merchant's receipt URL, or, when the
// handshake failed, auto-voids the payment and shows KNET's error page.
func (s *Simulator) complete(w http.ResponseWriter, r *http.Request, p *payment, lang string) {
	s.mu.Lock()
	text, target, closed := p.responseText(), p.responseURL, s.ctx.Err() != nil
	if !closed {
		s.wg.Add(1)
	}
	s.mu.Unlock()

	receipt, code := "", errResponseURLDown
	if !closed {
		if trandata, err := encryptTrandata(s.key, text); err == nil {
			receipt, code = s.handshake(target, strings.ToUpper(trandata))
		}
		s.wg.Done()
	}

	s.mu.Lock()
	p.state = stateDone
	if code == "" {
		p.receiptURL = receipt
	} else {
		p.voided, p.voidCode = true, code
	}
	v := s.paymentView(p, lang, cardForm{})
	s.mu.Unlock()

	if code != "" {
		s.log.WarnContext(r.Context(), "knet sandbox: notification handshake failed, transaction auto-voided",
			"paymentid", p.paymentID, "trackid", p.trackID, "result", p.result, "error", code)
		s.render(w, v, http.StatusOK)
		return
	}
	s.log.InfoContext(r.Context(), "knet sandbox: notification handshake done", "paymentid", p.paymentID, "trackid", p.trackID, "result", p.result)
	http.Redirect(w, r, receipt, http.StatusFound)
}

// validate returns the card page's errors, in lang and the other language.
func (f cardForm) validate(lang string) []*fieldError {
	t, alt := catalog["en"], catalog["ar"]
	if lang == "ar" {
		t, alt = alt, t
	}
	var errs []*fieldError
	add := func(field, code, text, altText string) {
		if code != "" {
			text = codeIn(code, t.code) + " (" + code + "). " + text
			altText = codeIn(code, alt.code) + " (" + code + "). " + altText
		}
		errs = append(errs, &fieldError{field, text, altText})
	}
	known := false
	for _, b := range banks {
		known = known || b.value == f.bank
	}
	if !known {
		add("bank", "", t.ErrBank, alt.ErrBank)
	}
	switch {
	case f.card == "":
		add("card", errMissingCard, t.ErrCard, alt.ErrCard)
	case !isDigits(f.card) || len(f.card) < 16 || len(f.card) > 19:
		add("card", errInvalidCard, t.ErrCard, alt.ErrCard)
	}
	switch m, err := strconv.Atoi(f.month); {
	case f.month == "":
		add("exp_month", errMissingExpMonth, t.ErrExpiry, alt.ErrExpiry)
	case err != nil || !isDigits(f.month) || m < 1 || m > 12:
		add("exp_month", errInvalidExpMonth, t.ErrExpiry, alt.ErrExpiry)
	}
	switch y, err := strconv.Atoi(f.year); {
	case f.year == "":
		add("exp_year", errMissingExpYear, t.ErrExpiry, alt.ErrExpiry)
	case err != nil || len(f.year) != 4 || y < 2000 || y > 2099:
		add("exp_year", errInvalidExpYear, t.ErrExpiry, alt.ErrExpiry)
	}
	switch {
	case f.pin == "":
		add("pin", errMissingPIN, t.ErrPIN, alt.ErrPIN)
	case !isDigits(f.pin) || len(f.pin) != 4:
		add("pin", "", t.ErrPIN, alt.ErrPIN)
	}
	return errs
}

func (s *Simulator) render(w http.ResponseWriter, v *view, status int) {
	simkit.WriteHTML(w, s.log, "knet sandbox", status, pageTemplate, pageTemplate.Name(), v,
		"default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http: https:; base-uri 'none'; frame-ancestors 'none'")
}
