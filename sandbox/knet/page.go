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
var banks = simkit.KNETBanks(true, "knet1", "abk", "aub", "bbk", "boubyan", "burgan", "cbk", "gbk", "kfh", "kib", "nbk", "warba")

const firstYear, lastYear = 2018, 2040

// view is everything the template shows.
type view struct {
	simkit.Langs
	T, AltT                   *texts
	Kind                      string // form, confirm, error, void, finished, busy
	LangURL                   string
	PaymentID, TrackID        string
	Merchant, Website, Amount string
	KNET                      *simkit.KNETFields
	Errors                    []*simkit.FieldError
	MaskedCard, Month, Year   string
	Code, CodeText, AltCode   string
	ReturnURL                 string
	Result                    string
	Reversed                  bool // void page: the money taken was given back
	TestCards, AltTestCards   string
}

func (s *Simulator) newView(lang, kind string) *view {
	v := &view{Langs: simkit.LangsOf(lang), Kind: kind}
	v.T, v.AltT = catalog[v.Lang], catalog[v.AltLang]
	expiry := fmt.Sprintf("%02d/%d", s.magicMonth, s.magicYear)
	v.TestCards = fmt.Sprintf(v.T.TestCards, expiry)
	v.AltTestCards = fmt.Sprintf(v.AltT.TestCards, expiry)
	return v
}

// paymentView shows p as its state requires, the card form with f and errs; the caller holds
// s.mu.
func (s *Simulator) paymentView(p *payment, lang string, f simkit.KNETCard, errs []*simkit.FieldError) *view {
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
		t := v.T
		labels := simkit.KNETLabels{Bank: t.Bank, ChooseBank: t.Choose, Card: t.Card, CardHint: t.CardHint, Expiry: t.Expiry,
			Month: t.Month, ChooseMonth: t.Month, Year: t.Year, ChooseYear: t.Year, PIN: t.PIN, PINHint: t.PINHint}
		v.KNET = simkit.NewKNETFields("knet", "card", labels, lang, banks,
			min(firstYear, s.magicYear), max(lastYear, s.magicYear), f, errs)
		v.KNET.SeparateExpiry = true
		v.Errors = errs
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
	s.servePayment(w, r, q.Get("PaymentID"), q.Get("lang"), "", simkit.KNETCard{})
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
	f := simkit.ReadKNETCard(pf, "card")
	action := pf.Get("action")
	if action == "" {
		action = "show"
	}
	s.servePayment(w, r, pf.Get("PaymentID"), pf.Get("lang"), action, f)
}

// servePayment applies action ("" for a GET) to the payment and answers.
func (s *Simulator) servePayment(w http.ResponseWriter, r *http.Request, pid, langParam, action string, f simkit.KNETCard) {
	if pid == "" {
		s.errorPage(w, r, simkit.PickLang(langParam, "en"), errMissingPaymentID, http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	p := s.payments[pid]
	if p == nil {
		s.mu.Unlock()
		s.errorPage(w, r, simkit.PickLang(langParam, "en"), errInvalidPaymentID, http.StatusNotFound)
		return
	}
	now := s.now()
	p.expireIfDue(now)
	lang := simkit.PickLang(langParam, p.lang)
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
		if errs := validate(f, lang); len(errs) > 0 {
			v := s.paymentView(p, lang, f, errs)
			s.mu.Unlock()
			s.render(w, v, http.StatusUnprocessableEntity)
			return
		}
		month, _ := strconv.Atoi(f.Month)
		year, _ := strconv.Atoi(f.Year)
		p.bank, p.card = f.Bank, f.Card
		p.month, p.year = fmt.Sprintf("%02d", month), strconv.Itoa(year)
		p.pending = s.decide(f.Card, month, year)
		p.state = stateConfirm
		s.mu.Unlock()
		http.Redirect(w, r, again, http.StatusSeeOther)
		return
	}
	// A GET, or an action that does not apply to the state (a finished
	// payment, a second tab…): show the payment as it stands. Never charges.
	if p.state == stateCard && action == "" {
		f = simkit.KNETCard{Bank: p.bank, Card: p.card, Month: p.month, Year: p.year}
	}
	v := s.paymentView(p, lang, f, nil)
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
	text, target := p.responseText(), p.responseURL
	s.mu.Unlock()

	receipt, code := "", errResponseURLDown
	if release, ok := s.bg.Hold(); ok { // after Close: auto-voided
		if trandata, err := encryptTrandata(s.key, text); err == nil {
			receipt, code = s.handshake(target, strings.ToUpper(trandata))
		}
		release()
	}

	s.mu.Lock()
	p.state = stateDone
	if code == "" {
		p.receiptURL = receipt
	} else {
		p.voided, p.voidCode = true, code
	}
	v := s.paymentView(p, lang, simkit.KNETCard{}, nil)
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

// validate returns the card page's errors, in lang and the other language, each with KNET's
// error code where it has one.
func validate(f simkit.KNETCard, lang string) []*simkit.FieldError {
	p := simkit.NewProblems(lang, catalog)
	t, alt := p.Texts()
	add := func(field, code string, msg func(*texts) string) {
		text, altText := msg(t), msg(alt)
		if code != "" {
			text = codeIn(code, t.code) + " (" + code + "). " + text
			altText = codeIn(code, alt.code) + " (" + code + "). " + altText
		}
		p.AddText(field, text, altText)
	}
	errBank := func(t *texts) string { return t.ErrBank }
	errCard := func(t *texts) string { return t.ErrCard }
	errExpiry := func(t *texts) string { return t.ErrExpiry }
	errPIN := func(t *texts) string { return t.ErrPIN }
	if !f.KnownBank(banks) {
		add("bank", "", errBank)
	}
	switch {
	case f.Card == "":
		add("card", errMissingCard, errCard)
	case !f.CardOK():
		add("card", errInvalidCard, errCard)
	}
	switch m, err := strconv.Atoi(f.Month); {
	case f.Month == "":
		add("exp_month", errMissingExpMonth, errExpiry)
	case err != nil || !simkit.Digits(f.Month) || m < 1 || m > 12:
		add("exp_month", errInvalidExpMonth, errExpiry)
	}
	switch y, err := strconv.Atoi(f.Year); {
	case f.Year == "":
		add("exp_year", errMissingExpYear, errExpiry)
	case err != nil || len(f.Year) != 4 || y < 2000 || y > 2099:
		add("exp_year", errInvalidExpYear, errExpiry)
	}
	switch {
	case f.PIN == "":
		add("pin", errMissingPIN, errPIN)
	case !f.PINOK():
		add("pin", "", errPIN)
	}
	return p.Errs
}

func (s *Simulator) render(w http.ResponseWriter, v *view, status int) {
	simkit.WriteHTML(w, s.log, "knet sandbox", status, pageTemplate, pageTemplate.Name(), v,
		"default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http: https:; base-uri 'none'; frame-ancestors 'none'")
}
