package click

import (
	"crypto/sha256"
	"encoding/base64"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/bawaba/checkout/sandbox/internal/simkit"
)

// view is everything a page template shows.
type view struct {
	simkit.Langs
	T, AltT             *texts
	Page                string // methods | confirm | knet | card | result | notfound
	Status              int
	LangHref            string
	Base                string // path of the session's pages
	Merchant            string
	TrackID             int64
	Amount              string // "6.000 KWD" / "6.000 د.ك"
	KNETAmount          string // "KD 6.000" / "6.000 د.ك"
	Method, MethodLabel string
	Methods             []simkit.Option
	Errors              []*simkit.FieldError
	Invalid             map[string]*simkit.FieldError // by field id
	Form                url.Values                    // values to show again (never the PIN nor the security code)
	KNET                *simkit.KNETFields
	CardCode            string // MPGS gateway code of a refused card attempt

	// result page
	State                           string // paid | failed | expired
	Reason                          string
	BackURL                         string
	ReturnAfter                     int         // result page: seconds before going back
	Script                          template.JS // result page: the countdown
	PaidAt                          string
	PaymentID, TransactionID, RefID string
	Fee                             string
}

func newView(lang, page string) *view {
	v := &view{Langs: simkit.LangsOf(lang), Page: page, Status: http.StatusOK}
	v.T, v.AltT = catalog[v.Lang], catalog[v.AltLang]
	return v
}

// sessionView fills the parts every page of se shows; the caller holds s.mu.
func (s *Simulator) sessionView(se *session, lang, page string) *view {
	v := newView(lang, page)
	v.Base = s.base + "/gateway/" + se.id
	v.Merchant = s.merchant
	v.TrackID = se.orderID
	v.Amount = formatAmount(se.amount) + " " + v.T.Currency
	v.KNETAmount = "KD " + formatAmount(se.amount)
	if lang == "ar" {
		v.KNETAmount = formatAmount(se.amount) + " " + v.T.Currency
	}
	v.Method = se.method
	v.MethodLabel = methodLabel(v.T, se.method)
	v.LangHref = v.Base + "?lang=" + v.AltLang
	if page != "methods" {
		v.LangHref = v.Base + "/" + page + "?lang=" + v.AltLang
	}
	return v
}

func methodLabel(t *texts, method string) string {
	switch method {
	case methodKNET:
		return t.MethodKNET
	case methodCard:
		return t.MethodCard
	}
	return ""
}

// pageSession returns the session of a page, expired if its time is up;
// nil when unknown or still without an order. The caller holds s.mu.
func (s *Simulator) pageSession(sid string) *session {
	se := s.sessions[sid]
	if se == nil || !se.hasOrder {
		return nil
	}
	se.expireIfDue(s.now())
	return se
}

func (s *Simulator) notFound(w http.ResponseWriter, lang string) {
	v := newView(simkit.PickLang(lang, ""), "notfound")
	v.Status = http.StatusNotFound
	v.LangHref = "?lang=" + v.AltLang
	s.render(w, v)
}

// seeOther sends the browser to step of se's pages in lang (303, so a
// reload never posts twice).
func (s *Simulator) seeOther(w http.ResponseWriter, r *http.Request, se *session, step, lang string) {
	p := s.base + "/gateway/" + se.id
	if step != "" {
		p += "/" + step
	}
	http.Redirect(w, r, p+"?lang="+lang, http.StatusSeeOther)
}

func (s *Simulator) methodsView(se *session, lang, chosen string) *view {
	v := s.sessionView(se, lang, "methods")
	for _, m := range []string{methodKNET, methodCard} {
		v.Methods = append(v.Methods, simkit.Option{Value: m, Label: methodLabel(v.T, m), Selected: m == chosen})
	}
	return v
}

func validMethod(m string) bool { return m == methodKNET || m == methodCard }

// showMethods serves GET /gateway/{sid}: CLK's page where the shopper
// picks K-Net or Credit Card (seed §1.1 step 2).
func (s *Simulator) showMethods(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	se, lang := s.openSession(w, r, r.URL.Query().Get("lang"))
	if se == nil {
		s.mu.Unlock()
		return
	}
	v := s.methodsView(se, lang, se.method)
	s.mu.Unlock()
	s.render(w, v)
}

// methodError re-renders the method choice with a bilingual message.
func (s *Simulator) methodError(se *session, lang string) *view {
	v := s.methodsView(se, lang, "")
	p := simkit.NewProblems(lang, catalog)
	p.Add("method-knet", func(t *texts) string { return t.ErrMethod })
	v.Errors = p.Errs
	v.Invalid = map[string]*simkit.FieldError{"method": p.Errs[0]}
	v.Status = http.StatusUnprocessableEntity
	return v
}

// showConfirm serves GET /gateway/{sid}/confirm?method=knet|card: "Payment
// To <merchant>", the Track ID and "This Transaction Will Be Paid Using …"
// with the Pay button (seed §4.2, "K-NET Confirm Pay").
func (s *Simulator) showConfirm(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.mu.Lock()
	se, lang := s.openSession(w, r, q.Get("lang"))
	if se == nil {
		s.mu.Unlock()
		return
	}
	method := q.Get("method")
	var v *view
	if !validMethod(method) {
		v = s.methodError(se, lang)
	} else {
		v = s.sessionView(se, lang, "confirm")
		v.Method, v.MethodLabel = method, methodLabel(v.T, method)
		v.LangHref += "&method=" + method
	}
	s.mu.Unlock()
	s.render(w, v)
}

// submitConfirm serves POST /gateway/{sid}/confirm, the Pay button: an
// amount not above the method's fee ends on the error page (seed §6.2.1);
// otherwise the shopper goes on to the K-Net or card step.
func (s *Simulator) submitConfirm(w http.ResponseWriter, r *http.Request) {
	pf := postForm(w, r)
	s.mu.Lock()
	se, lang := s.openSession(w, r, pf.Get("lang"))
	if se == nil {
		s.mu.Unlock()
		return
	}
	method := pf.Get("method")
	if !validMethod(method) {
		v := s.methodError(se, lang)
		s.mu.Unlock()
		s.render(w, v)
		return
	}
	se.method = method
	if se.amount <= s.fees[method] {
		se.fail(reasonFee, s.now())
		s.log.InfoContext(r.Context(), "click sandbox: amount below the store's fee", "session", se.id, "order_id", se.orderID,
			"method", method, "amount", formatAmount(se.amount), "fee", formatAmount(s.fees[method]))
		s.mu.Unlock()
		s.seeOther(w, r, se, "result", lang)
		return
	}
	s.mu.Unlock()
	s.seeOther(w, r, se, method, lang)
}

// postForm is the form the payer posted (at most 64 KiB). CLK's pages read
// what they can of a form that does not parse: a field missing from it is
// an error on the page, not a bare 400.
func postForm(w http.ResponseWriter, r *http.Request) url.Values {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	_ = r.ParseForm()
	return r.PostForm
}

// anySession loads the session of the path's {sid} and the page's language
// (asked, else the session's); an unknown session is answered with the
// not-found page and nil. The caller holds s.mu.
func (s *Simulator) anySession(w http.ResponseWriter, r *http.Request, asked string) (*session, string) {
	se := s.pageSession(r.PathValue("sid"))
	if se == nil {
		s.notFound(w, asked)
		return nil, ""
	}
	return se, simkit.PickLang(asked, se.lang)
}

// openSession loads the session of a page that can still pay: it answers the
// request itself (not found, or the result of a finished payment: shown,
// never charged twice) and returns nil unless the session is open. The caller
// holds s.mu and releases it after a nil return too.
func (s *Simulator) openSession(w http.ResponseWriter, r *http.Request, asked string) (*session, string) {
	se, lang := s.anySession(w, r, asked)
	if se != nil && se.finished() {
		s.seeOther(w, r, se, "result", lang)
		return nil, ""
	}
	return se, lang
}

// stepSession is openSession for a K-Net or card step page: a session whose
// method is another one is sent back to the method choice.
func (s *Simulator) stepSession(w http.ResponseWriter, r *http.Request, method, asked string) (*session, string) {
	se, lang := s.openSession(w, r, asked)
	if se != nil && se.method != method {
		s.seeOther(w, r, se, "", lang)
		return nil, ""
	}
	return se, lang
}

var banks = simkit.KNETBanks(false, "knet1", "nbk", "kfh", "gbk", "burgan", "boubyan")

const firstYear, lastYear = 2018, 2040

func (s *Simulator) knetView(se *session, lang string, f simkit.KNETCard, errs []*simkit.FieldError) *view {
	v := s.sessionView(se, lang, "knet")
	t := v.T
	labels := simkit.KNETLabels{Bank: t.Bank, ChooseBank: t.Choose, Card: t.KNETCard, CardHint: t.KNETCardHint, Expiry: t.Expiry,
		Month: t.Month, ChooseMonth: t.Choose, Year: t.Year, ChooseYear: t.Choose, PIN: t.PIN, PINHint: t.PINHint}
	v.KNET = simkit.NewKNETFields("click-knet", "card", labels, lang, banks, firstYear, lastYear, f, errs)
	return v
}

// showKNET serves GET /gateway/{sid}/knet: KNET's payment page.
func (s *Simulator) showKNET(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	se, lang := s.stepSession(w, r, methodKNET, r.URL.Query().Get("lang"))
	if se == nil {
		s.mu.Unlock()
		return
	}
	v := s.knetView(se, lang, simkit.KNETCard{}, nil)
	s.mu.Unlock()
	s.render(w, v)
}

// submitKNET serves POST /gateway/{sid}/knet: Submit or Cancel. The test
// card with the magic expiry is CAPTURED; anything else is NOT CAPTURED,
// and both end on CLK's result page.
func (s *Simulator) submitKNET(w http.ResponseWriter, r *http.Request) {
	pf := postForm(w, r)
	f := simkit.ReadKNETCard(pf, "card")
	s.mu.Lock()
	se, lang := s.stepSession(w, r, methodKNET, pf.Get("lang"))
	if se == nil {
		s.mu.Unlock()
		return
	}
	now := s.now()
	if pf.Get("action") == "cancel" {
		se.fail(reasonCancelled, now)
	} else {
		if errs := validateKNET(f, lang); len(errs) > 0 {
			v := s.knetView(se, lang, f, errs)
			s.mu.Unlock()
			s.renderErrors(w, v, errs)
			return
		}
		if knetApproved(f.Card, f.Month, f.Year) {
			se.pay(now)
		} else {
			se.fail(reasonDeclined, now)
		}
	}
	s.log.InfoContext(r.Context(), "click sandbox: K-Net payment finished", "session", se.id, "order_id", se.orderID,
		"state", string(se.state), "reason", se.reason)
	s.mu.Unlock()
	s.seeOther(w, r, se, "result", lang)
}

func validateKNET(f simkit.KNETCard, lang string) []*simkit.FieldError {
	_, _, expiryOK := f.Expiry(firstYear, lastYear)
	return simkit.CheckKNET(f, lang, catalog, banks, "card", expiryOK)
}

// KNETErrors are the K-Net step's error messages (see simkit.CheckKNET).
func (t *texts) KNETErrors() (bank, card, expiry, pin string) {
	return t.ErrBank, t.ErrKNETCard, t.ErrKNETExpiry, t.ErrPIN
}

// cardForm is the card step's form as posted.
type cardForm struct {
	number, month, year, holder, csc string
	address                          url.Values // street1, street2, city, state, postcode, country
}

var addressFields = []string{"street1", "street2", "city", "state", "postcode", "country"}

func (s *Simulator) cardView(se *session, lang string, f cardForm) *view {
	v := s.sessionView(se, lang, "card")
	v.Form = url.Values{"card_number": {f.number}, "exp_month": {f.month}, "exp_year": {f.year}, "holder": {f.holder}}
	for k, vals := range f.address {
		v.Form[k] = vals
	}
	return v
}

// showCard serves GET /gateway/{sid}/card: the Mastercard Hosted Checkout
// step of CLK's credit card payments.
func (s *Simulator) showCard(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	se, lang := s.stepSession(w, r, methodCard, r.URL.Query().Get("lang"))
	if se == nil {
		s.mu.Unlock()
		return
	}
	v := s.cardView(se, lang, cardForm{})
	s.mu.Unlock()
	s.render(w, v)
}

// submitCard serves POST /gateway/{sid}/card: Pay or Cancel. An approved
// test card pays; a refused one is shown on the same page so the payer can
// retry, as Hosted Checkout does (seed §2.2.5.2); Cancel fails the session.
func (s *Simulator) submitCard(w http.ResponseWriter, r *http.Request) {
	pf := postForm(w, r)
	f := cardForm{
		number:  strings.NewReplacer(" ", "", "-", "").Replace(pf.Get("card_number")),
		month:   strings.TrimSpace(pf.Get("exp_month")),
		year:    strings.TrimSpace(pf.Get("exp_year")),
		holder:  strings.TrimSpace(pf.Get("holder")),
		csc:     strings.TrimSpace(pf.Get("csc")),
		address: url.Values{},
	}
	if len(f.month) == 1 {
		f.month = "0" + f.month
	}
	for _, k := range addressFields {
		if val := strings.TrimSpace(pf.Get(k)); val != "" {
			f.address.Set(k, val)
		}
	}
	s.mu.Lock()
	se, lang := s.stepSession(w, r, methodCard, pf.Get("lang"))
	if se == nil {
		s.mu.Unlock()
		return
	}
	now := s.now()
	if pf.Get("action") == "cancel" {
		se.fail(reasonCancelled, now)
	} else {
		if errs := f.validate(lang); len(errs) > 0 {
			v := s.cardView(se, lang, f)
			s.mu.Unlock()
			s.renderErrors(w, v, errs)
			return
		}
		code := cardGatewayCode(f.number, f.month, f.year)
		if code != "APPROVED" {
			v := s.cardView(se, lang, f)
			v.CardCode = code
			s.log.InfoContext(r.Context(), "click sandbox: card payment refused", "session", se.id, "order_id", se.orderID, "code", code)
			s.mu.Unlock()
			s.render(w, v)
			return
		}
		se.pay(now)
	}
	s.log.InfoContext(r.Context(), "click sandbox: card payment finished", "session", se.id, "order_id", se.orderID,
		"state", string(se.state), "reason", se.reason)
	s.mu.Unlock()
	s.seeOther(w, r, se, "result", lang)
}

func (f cardForm) validate(lang string) []*simkit.FieldError {
	v := simkit.NewProblems(lang, catalog)
	if !simkit.CardNumberOK(f.number) {
		v.Add("card_number", func(t *texts) string { return t.ErrCardNumber })
	}
	m, err := strconv.Atoi(f.month)
	if len(f.month) != 2 || err != nil || m < 1 || m > 12 || len(f.year) != 2 || !simkit.Digits(f.year) {
		v.Add("exp_month", func(t *texts) string { return t.ErrCardExpiry })
	}
	if f.holder == "" || len(f.holder) > 100 {
		v.Add("holder", func(t *texts) string { return t.ErrHolder })
	}
	want := 3
	if isAmex(f.number) {
		want = 4
	}
	if !simkit.Digits(f.csc) || len(f.csc) != want {
		v.Add("csc", func(t *texts) string { return t.ErrCSC })
	}
	return v.Errs
}

// showResult serves GET /gateway/{sid}/result: CLK's result page, which
// sends the browser back to return_url after 5 seconds (seed §4.2).
func (s *Simulator) showResult(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	se, lang := s.anySession(w, r, r.URL.Query().Get("lang"))
	if se == nil {
		s.mu.Unlock()
		return
	}
	if !se.finished() {
		s.mu.Unlock()
		s.seeOther(w, r, se, "", lang)
		return
	}
	v := s.sessionView(se, lang, "result")
	v.State = string(se.state)
	v.Reason = se.reason
	v.BackURL = se.backURL()
	v.ReturnAfter, v.Script = returnAfterSeconds, template.JS(countdownJS)
	v.PaidAt = kuwaitSeconds(se.finishedAt)
	v.PaymentID, v.TransactionID, v.RefID = se.paymentID, se.transactionID, se.refID
	if se.reason == reasonFee {
		v.Fee = formatAmount(s.fees[se.method]) + " " + v.T.Currency
	}
	if se.state == stateExpired {
		v.Status = http.StatusGone
	}
	s.mu.Unlock()
	s.render(w, v)
}

func (s *Simulator) renderErrors(w http.ResponseWriter, v *view, errs []*simkit.FieldError) {
	v.Errors = errs
	v.Invalid = simkit.ByField(errs)
	v.Status = http.StatusUnprocessableEntity
	s.render(w, v)
}

// returnAfterSeconds is how long CLK's result page waits before sending the browser back.
const returnAfterSeconds = 5

// countdownJS sends the result page back to the shop after its countdown, unless the shopper
// chooses to stay (WCAG 2.2.1: a timed move must be stoppable). CLK uses a 5-second meta
// refresh, which nobody can stop and axe refuses; without JavaScript the link is there.
const countdownJS = `(function(){var c=document.querySelector("[data-countdown]"),a=document.querySelector("[data-testid=click-return]");` +
	`if(!c||!a){return}var n=parseInt(c.dataset.countdown,10),s=c.querySelector(".secs");c.hidden=false;` +
	`var t=setInterval(function(){n-=1;if(n<=0){clearInterval(t);location.assign(a.href);return}s.textContent=String(n)},1000);` +
	`c.querySelector("[data-stay]").addEventListener("click",function(){clearInterval(t);c.hidden=true})})();`

// countdownHash is countdownJS's CSP source: the only script the pages may run.
var countdownHash = func() string {
	sum := sha256.Sum256([]byte(countdownJS))
	return "'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
}()

func (s *Simulator) render(w http.ResponseWriter, v *view) {
	simkit.WriteHTML(w, s.log.With("page", v.Page), "click sandbox", v.Status, pages, "layout", v,
		"default-src 'none'; style-src 'unsafe-inline'; script-src "+countdownHash+"; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
}
