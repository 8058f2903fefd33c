package alqaseh

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/bawaba/checkout/sandbox/internal/simkit"
)

// pageView is everything the page template shows.
type pageView struct {
	simkit.Langs
	T, AltT              *texts
	Token                string
	NotFound             bool
	Status               string // "" while the form can be paid; else the result shown
	Title                string
	OrderID, Description string
	Amount, ValidUntil   string
	ReturnURL            string // result view: redirect_url with the return parameters
	Card, Expiry, Name   string // echoed after a validation error (never the CVV)
	Errors               []*simkit.FieldError
	Invalid              map[string]*simkit.FieldError // by field id
}

// payForm is the page's form as posted.
type payForm struct {
	card, expiry, cvv, name string
}

// pickLang chooses the page language: a lang query or form value (ar|en)
// first, then the Accept-Language header (the higher q of ar and en, the
// first listed on a tie), then Arabic.
func pickLang(explicit, acceptLanguage string) string {
	if explicit == "ar" || explicit == "en" {
		return explicit
	}
	best, bestQ := "", 0.0
	for _, part := range strings.Split(acceptLanguage, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		primary, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(tag)), "-")
		if primary != "ar" && primary != "en" {
			continue
		}
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				continue
			}
			q = f
		}
		if q > bestQ {
			best, bestQ = primary, q
		}
	}
	if best == "" {
		return "ar"
	}
	return best
}

func newView(lang, token string) *pageView {
	v := &pageView{Langs: simkit.LangsOf(lang), Token: token}
	v.T, v.AltT = catalog[v.Lang], catalog[v.AltLang]
	v.Title = v.T.Heading
	return v
}

// paymentView fills the view from p as seen through token; the caller holds s.mu.
func paymentView(p *payment, token string, current bool, lang string, f payForm) *pageView {
	v := newView(lang, token)
	v.OrderID = p.orderID
	v.Description = p.description
	v.Amount = displayAmount(p.amount, p.decimals, p.currency)
	v.ValidUntil = p.expiresAt.UTC().Format("2006-01-02 15:04") + " UTC"
	v.Card, v.Expiry, v.Name = f.card, f.expiry, f.name
	switch {
	case current && p.payable():
		return v
	case p.payable(): // a stale token of a context payable through its new token
		v.Status = statusReplaced
	default:
		v.Status = p.status
		v.ReturnURL = returnURL(p)
	}
	v.Title = v.T.ResultTitle[v.Status]
	return v
}

// returnURL is redirect_url with payment_id, order_id and status appended,
// keeping its own query (spec §7).
func returnURL(p *payment) string {
	return simkit.AppendQuery(p.redirectURL, "payment_id="+url.QueryEscape(p.id)+"&order_id="+url.QueryEscape(p.orderID)+
		"&status="+redirectStatus(p.status))
}

// lookupToken finds the context of a current or stale token; the caller holds s.mu.
func (s *Simulator) lookupToken(token string) (p *payment, current bool) {
	if p := s.byToken[token]; p != nil {
		return p, true
	}
	return s.stale[token], false
}

// showPage serves GET /pay/{token}[?lang=ar|en], the hosted card page.
func (s *Simulator) showPage(w http.ResponseWriter, r *http.Request) {
	token := r.PathValue("token")
	lang := pickLang(r.URL.Query().Get("lang"), r.Header.Get("Accept-Language"))
	s.mu.Lock()
	p, current := s.lookupToken(token)
	var v *pageView
	if p != nil {
		p.expireIfDue(s.now())
		v = paymentView(p, token, current, lang, payForm{})
	}
	s.mu.Unlock()
	if p == nil {
		v = newView(lang, token)
		v.NotFound = true
		v.Title = v.T.NotFoundTitle
	}
	s.renderPage(w, v)
}

// submitPage serves POST /pay/{token}: Pay or Cancel. Pay with a valid form
// decides the outcome by card; Cancel fails the payment. Both notify the
// webhook and send the browser to redirect_url (302). A context that cannot
// be paid any more shows its status and never changes.
func (s *Simulator) submitPage(w http.ResponseWriter, r *http.Request) {
	pf, ok := simkit.ReadForm(w, r)
	if !ok {
		return
	}
	token := r.PathValue("token")
	lang := pickLang(cmpOr(pf.Get("lang"), r.URL.Query().Get("lang")), r.Header.Get("Accept-Language"))
	f := payForm{
		card:   strings.NewReplacer(" ", "", "-", "").Replace(pf.Get("card")),
		expiry: strings.TrimSpace(pf.Get("expiry")),
		cvv:    strings.TrimSpace(pf.Get("cvv")),
		name:   strings.TrimSpace(pf.Get("name")),
	}
	cancel := pf.Get("action") == "cancel"

	now := s.now()
	s.mu.Lock()
	p, current := s.lookupToken(token)
	if p == nil {
		s.mu.Unlock()
		v := newView(lang, token)
		v.NotFound = true
		v.Title = v.T.NotFoundTitle
		s.renderPage(w, v)
		return
	}
	p.expireIfDue(now)
	if !current || !p.payable() { // finished, revoked, expired or replaced: show it, never charge
		v := paymentView(p, token, current, lang, payForm{})
		s.mu.Unlock()
		s.renderPage(w, v)
		return
	}
	if cancel {
		p.rc, p.approval, p.rrn = "", "", ""
		p.setStatus(statusRevoked, now, "cancelled by the payer on the payment page")
	} else {
		if errs := f.validate(lang); len(errs) > 0 {
			v := paymentView(p, token, current, lang, f)
			s.mu.Unlock()
			v.Errors, v.Invalid = errs, simkit.ByField(errs)
			s.renderPage(w, v)
			return
		}
		month, year, _ := parseExpiry(f.expiry)
		p.finish(decide(f.card, f.cvv, month, year), now, "card payment on the payment page")
	}
	id, orderID, status, location := p.id, p.orderID, p.status, returnURL(p)
	n := s.notification(p, now)
	s.mu.Unlock()

	s.log.InfoContext(r.Context(), "alqaseh sandbox: payment finished on the page", "payment_id", id, "order_id", orderID, "payment_status", status)
	s.send(n)
	http.Redirect(w, r, location, http.StatusFound)
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// validate returns the form's errors, in lang first and the other language.
func (f payForm) validate(lang string) []*simkit.FieldError {
	p := simkit.NewProblems(lang, catalog)
	if !simkit.CardNumberOK(f.card) {
		p.Add("card", func(t *texts) string { return t.ErrCard })
	}
	if _, _, ok := parseExpiry(f.expiry); !ok {
		p.Add("expiry", func(t *texts) string { return t.ErrExpiry })
	}
	if !simkit.Digits(f.cvv) || len(f.cvv) < 3 || len(f.cvv) > 4 {
		p.Add("cvv", func(t *texts) string { return t.ErrCVV })
	}
	if f.name == "" || len([]rune(f.name)) > 64 {
		p.Add("name", func(t *texts) string { return t.ErrName })
	}
	return p.Errs
}

func (s *Simulator) renderPage(w http.ResponseWriter, v *pageView) {
	status := simkit.PageStatus(v.NotFound, v.Status == statusExpired, len(v.Errors) > 0)
	w.Header().Set("Content-Language", v.Lang)
	w.Header().Set("Vary", "Accept-Language")
	simkit.WriteHTML(w, s.log, "alqaseh sandbox", status, pageTemplate, pageTemplate.Name(), v, simkit.CSP)
}
