package kpay

import (
	"encoding/json"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bawaba/checkout/sandbox/internal/simkit"
)

// The K-Payment form: the page the K-Pay script opens in its iframe
// (GET/POST {BasePath}/ui/v2/form?…). The script passes its data-*
// attributes as query parameters; every POST carries the same query, so the
// form needs no server-side session. A valid card becomes a one-time token,
// and the "done" page hands the §2.7 fields to the script by postMessage.

// formParams are the K-Pay script's attributes as the form receives them.
type formParams struct {
	pkey, method, amountText, currency, mid, name string
	orderID, refNumber, customerID, campaignID    string
	smartpayID, term                              string
	planID, ipanMode, productType, supplierNo     string
	modelNo, origin                               string
	amount                                        int64
}

func readFormParams(q url.Values) formParams {
	g := func(k string) string { return strings.TrimSpace(q.Get(k)) }
	return formParams{
		pkey: g("pkey"), method: strings.ToLower(or(g("method"), "card")), amountText: g("amount"),
		currency: strings.ToUpper(or(g("currency"), "THB")), mid: g("mid"), name: g("name"),
		orderID: g("order_id"), refNumber: g("ref_number"), customerID: g("customer_id"), campaignID: g("campaign_id"),
		smartpayID: g("smartpay_id"), term: g("term"), planID: g("plan_id"), ipanMode: g("ipan_mode"),
		productType: g("product_type"), supplierNo: g("supplier_no"), modelNo: g("model_no"), origin: g("origin"),
	}
}

func (p *formParams) isQR() bool        { return p.method == kindQR || p.method == kindWeChat }
func (p *formParams) smartpay() bool    { return p.smartpayID != "" || p.planID != "" }
func (p *formParams) installment() bool { return p.planID != "" }

// cleanOrigin returns scheme://host of a valid http(s) origin, "" otherwise.
func cleanOrigin(o string) string {
	u, err := url.Parse(o)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return ""
	}
	return u.Scheme + "://" + u.Host
}

// check validates the attributes (spec §2.2–§2.5) and returns what is wrong,
// in English, for the merchant's developer. The caller holds s.mu.
func (s *Simulator) check(p *formParams) string {
	if !s.publicKeyOK(p.pkey) {
		return "data-apikey is not this merchant's public key"
	}
	if p.origin != "" && cleanOrigin(p.origin) == "" {
		return "origin is not an http(s) origin"
	}
	if p.amountText == "" {
		return "data-amount is required"
	}
	c, why := parseAmount(p.amountText)
	if why != amountOK {
		return "data-amount must be a positive amount with at most 2 decimals"
	}
	p.amount = c
	switch p.method {
	case kindQR, kindWeChat:
		o := s.orders[p.orderID]
		switch {
		case p.orderID == "":
			return "data-order-id is required for " + p.method
		case o == nil:
			return "data-order-id is not an order of this merchant"
		case o.sourceType != p.method:
			return "the order's source_type is " + o.sourceType + ", not " + p.method
		case o.amount != p.amount:
			return "data-amount differs from the order's amount"
		case p.mid != "" && !s.isMID(p.mid):
			return "data-mid is not one of this merchant's MIDs"
		}
		return ""
	case kindCard:
	default:
		return "data-payment-methods must be card, qr or wechat"
	}
	dec, ok := isoDecimals[p.currency]
	switch {
	case !ok:
		return "data-currency is not supported"
	case dec == 0 && p.amount%100 != 0:
		return "data-currency " + p.currency + " takes no decimals"
	case p.mid == "":
		return "data-mid is required for card payments"
	case !s.isMID(p.mid):
		return "data-mid is not one of this merchant's MIDs"
	case p.mid == s.dccMID && p.currency != "THB":
		return "a Full DCC MID prices in THB"
	}
	if p.smartpay() {
		switch {
		case p.smartpayID != "" && p.planID != "":
			return "send only one SmartPay parameter set: data-smartpay-id or data-plan-id"
		case p.mid == s.dccMID:
			return "SmartPay is not available on a Full DCC MID"
		case s.smartpayMID != "" && p.mid != s.smartpayMID:
			return "SmartPay needs the SmartPay MID"
		case p.currency != "THB":
			return "SmartPay is in THB only"
		case p.planID != "" && (p.ipanMode == "" || p.productType == "" || p.supplierNo == "" || p.modelNo == ""):
			return "an Installment Plan needs data-plan-id, data-ipan-mode, data-product-type, data-supplier-no and data-model-no"
		case p.term != "" && !simkit.Digits(p.term):
			return "data-term must be a number"
		}
	}
	return ""
}

// terms are the installment terms offered: 3, 4, 6 and 10 months [GUESS],
// plus data-term when the merchant names another.
func (p *formParams) terms() []int {
	t := []int{3, 4, 6, 10}
	if n, err := strconv.Atoi(p.term); err == nil && n >= 2 && n <= 72 && !slices.Contains(t, n) {
		t = append(t, n)
		slices.Sort(t)
	}
	return t
}

type option struct {
	Value, Label string
	Selected     bool
}

type savedOption struct {
	ID, Label string
	Checked   bool
}

// formData is the card form.
type formData struct {
	Action           string
	Shop, Amount     string
	Name, Number     string
	Expiry           string
	Remember         bool
	Terms            []option
	Saved            []savedOption
	NewCardChecked   bool
	DCCQuestion      bool // a Full DCC MID: the currency offer follows a foreign card
	Draft            string
	DCCCurrency      string
	DCCCurrencyName  string
	DCCRate          string
	DCCAmount        string
	DCCForeignAmount string
}

// doneData is the page that hands the token post (view.Message) to the K-Pay script.
type doneData struct {
	Token string
}

type frameErrorData struct{ Reason string }

func (s *Simulator) formAction(r *http.Request) string {
	q := r.URL.Query()
	q.Del("reload")
	return withQuery(s.base+"/ui/v2/form", q)
}

func frameAncestors(p *formParams) string {
	if o := cleanOrigin(p.origin); o != "" {
		return o
	}
	return "*"
}

func (s *Simulator) formView(r *http.Request, p *formParams) *view {
	v := newView(r, "form", "kpay", pageLang(r, ""))
	v.Script = s.base + "/ui/v2/frame.js"
	v.Origin = cleanOrigin(p.origin)
	v.Title = v.T["form_title"]
	return v
}

// showForm is GET /ui/v2/form: the card form, or the QR of an order.
func (s *Simulator) showForm(w http.ResponseWriter, r *http.Request) {
	p := readFormParams(r.URL.Query())
	v := s.formView(r, &p)
	s.mu.Lock()
	defer s.mu.Unlock()
	if why := s.check(&p); why != "" {
		s.frameError(w, v, &p, why)
		return
	}
	if p.isQR() {
		s.qrPage(w, v, &p)
		return
	}
	v.D = s.cardForm(r, v, &p, url.Values{})
	s.render(w, http.StatusOK, v, frameAncestors(&p))
}

func (s *Simulator) frameError(w http.ResponseWriter, v *view, p *formParams, why string) {
	s.log.Warn("kpay sandbox: K-Pay form refused", "reason", why)
	if !s.publicKeyOK(p.pkey) { // whatever was put in data-apikey is not echoed
		v.LangURL = s.base + "/ui/v2/form?lang=" + v.AltLang
	}
	v.Page, v.Title, v.D = "frame-error", v.T["frame_error_title"], frameErrorData{why}
	s.render(w, http.StatusBadRequest, v, frameAncestors(p))
}

// cardForm builds the card form, echoing posted values (never the CVV).
// The caller holds s.mu.
func (s *Simulator) cardForm(r *http.Request, v *view, p *formParams, f url.Values) *formData {
	d := &formData{
		Action: s.formAction(r), Shop: or(p.name, "K-Payment"),
		Amount: displayAmount(p.amount, p.currency) + " " + p.currency,
		Name:   f.Get("name"), Number: f.Get("number"), Expiry: f.Get("expiry"),
		Remember: f.Get("remember") == "true",
	}
	if p.smartpay() {
		chosen := or(f.Get("term"), p.term)
		for _, n := range p.terms() {
			val := strconv.Itoa(n)
			d.Terms = append(d.Terms, option{val, monthsLabel(v.T, n), val == chosen})
		}
	}
	if cu := s.customers[p.customerID]; cu != nil && len(cu.cards) > 0 {
		chosen := or(f.Get("saved"), cu.defaultCard)
		for _, sc := range cu.cards {
			d.Saved = append(d.Saved, savedOption{sc.id, savedLabel(sc.card), sc.id == chosen})
		}
		d.NewCardChecked = chosen == "new"
	}
	return d
}

// savedLabel is how the form lists a saved card: "VISA 4417 70** **** 5830".
func savedLabel(c cardData) string {
	m := c.pan[:6] + strings.Repeat("*", len(c.pan)-10) + c.pan[len(c.pan)-4:]
	var b strings.Builder
	for i, r := range m {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	brand := strings.ToUpper(c.brand)
	if c.brand == mastercard {
		brand = "Mastercard"
	}
	return brand + " " + b.String()
}

// submitForm is POST /ui/v2/form: Pay, or the DCC currency choice.
func (s *Simulator) submitForm(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBody)
	if err := r.ParseForm(); err != nil {
		http.Error(w, "bad form", http.StatusBadRequest)
		return
	}
	f := r.PostForm
	p := readFormParams(r.URL.Query())
	v := s.formView(r, &p)
	s.mu.Lock()
	defer s.mu.Unlock()
	if why := s.check(&p); why != "" {
		s.frameError(w, v, &p, why)
		return
	}
	if p.isQR() {
		s.qrPage(w, v, &p)
		return
	}
	now := s.now()
	if action := f.Get("action"); action == "dcc-thb" || action == "dcc-foreign" {
		dr := s.drafts[f.Get("draft")]
		if dr == nil || !now.Before(dr.expires) {
			v.D = s.cardForm(r, v, &p, url.Values{})
			v.addError("kpay-number", "err_draft")
			s.render(w, http.StatusUnprocessableEntity, v, frameAncestors(&p))
			return
		}
		delete(s.drafts, dr.id)
		cur := "THB"
		if action == "dcc-foreign" {
			cur = dr.currency
		}
		s.done(w, v, &p, &token{card: dr.card, saveCard: dr.save, dccCurrency: cur, term: f.Get("term")})
		return
	}

	tok := &token{saveCard: f.Get("remember") == "true", term: f.Get("term")}
	cu := s.customers[p.customerID]
	saved := f.Get("saved")
	if cu != nil && saved != "" && saved != "new" {
		sc := cu.card(saved)
		if sc == nil {
			v.addError("kpay-saved", "err_saved")
		} else {
			tok.card, tok.customerID, tok.cardID = sc.card, cu.id, sc.id
		}
	} else {
		month, year := splitExpiry(f.Get("expiry"))
		card, probs := checkCard(f.Get("name"), f.Get("number"), month, year, f.Get("cvv"), now)
		for _, pr := range probs {
			v.addError("kpay-"+pr.field, pr.key)
		}
		tok.card = card
	}
	if p.smartpay() {
		n, err := strconv.Atoi(tok.term)
		if err != nil || !slices.Contains(p.terms(), n) {
			v.addError("kpay-term", "err_term")
		}
	}
	if len(v.Errors) > 0 {
		v.D = s.cardForm(r, v, &p, f)
		s.render(w, http.StatusUnprocessableEntity, v, frameAncestors(&p))
		return
	}
	if p.mid == s.dccMID {
		tok.dccCurrency = "THB"
		if cur := s.profile(tok.card.pan).dcc; cur != "" { // a foreign card: offer DCC (§2.3)
			dr := &dccDraft{id: randomHex(32), card: tok.card, save: tok.saveCard, expires: now.Add(tokenTTL), currency: cur}
			s.drafts[dr.id] = dr
			rate := dccRates[cur]
			d := s.cardForm(r, v, &p, url.Values{})
			d.DCCQuestion, d.Draft, d.DCCCurrency, d.DCCCurrencyName = true, dr.id, cur, rate.name
			d.DCCRate = rate.text + " THB/" + cur
			d.DCCForeignAmount = rate.convert(p.amount, cur) + " " + cur
			v.Page, v.D = "dcc", d
			s.render(w, http.StatusOK, v, frameAncestors(&p))
			return
		}
	}
	s.done(w, v, &p, tok)
}

// done issues the token and renders the page that posts §2.7's fields to
// the K-Pay script. The caller holds s.mu.
func (s *Simulator) done(w http.ResponseWriter, v *view, p *formParams, tok *token) {
	tok.mid, tok.lang = p.mid, v.Lang
	if p.smartpayID != "" {
		tok.smartpayID = p.smartpayID
	}
	if p.installment() {
		tok.plan = &installmentPlan{p.planID, p.ipanMode, p.productType, p.supplierNo, p.modelNo}
	}
	s.issue(tok)
	msg, _ := json.Marshal(map[string]any{"type": "kpay:token", "fields": tokenFields(p, tok)})
	v.Page, v.Title = "done", v.T["done_title"]
	v.Message, v.D = string(msg), doneData{Token: tok.id}
	s.render(w, http.StatusOK, v, frameAncestors(p))
}

// tokenFields are exactly the fields of spec §2.7 for the variant: (a) Full
// Payment MCC, (b) Full DCC, (c) SmartPay by SmartpayID, (d) Installment Plan.
func tokenFields(p *formParams, tok *token) [][2]string {
	f := [][2]string{{"token", tok.id}}
	switch {
	case tok.dccCurrency != "":
		f = append(f, [2]string{"dcc_currency", tok.dccCurrency}, [2]string{"mid", tok.mid})
	case p.smartpayID != "":
		f = append(f, [2]string{"smartpayId", p.smartpayID}, [2]string{"mid", tok.mid}, [2]string{"term", tok.term})
	case p.installment():
		f = append(f, [2]string{"mid", tok.mid},
			[2]string{"planid", p.planID}, [2]string{"ipanmode", p.ipanMode}, [2]string{"producttype", p.productType},
			[2]string{"supplierno", p.supplierNo}, [2]string{"modelno", p.modelNo}, [2]string{"term", tok.term})
	default:
		f = append(f, [2]string{"mid", tok.mid})
	}
	f = append(f, [2]string{"paymentMethods", "card"})
	if tok.saveCard {
		f = append(f, [2]string{"savecard", "true"})
	}
	return f
}

// qrData is the QR display of an order.
type qrData struct {
	Title, Scan  string
	Amount       string
	QRID         string
	SVG          template.HTML
	Status       string // pending | paid | expired | cancelled
	Remaining    int64
	Countdown    string
	ChargeID     string
	SimulatorURL string
}

// qrPage shows an order's QR (creating it the first time), or its outcome.
// The caller holds s.mu.
func (s *Simulator) qrPage(w http.ResponseWriter, v *view, p *formParams) {
	o := s.orders[p.orderID]
	now := s.now()
	d := &qrData{Amount: displayAmount(o.amount, o.currency) + " " + o.currency, Status: o.qrState(now)}
	d.Title, d.Scan = v.T["qr_title_qr"], v.T["qr_scan_qr"]
	if o.sourceType == kindWeChat {
		d.Title, d.Scan = v.T["qr_title_wechat"], v.T["qr_scan_wechat"]
	}
	if d.Status == "pending" {
		q := s.qrFor(o, now)
		d.QRID = q.id
		d.SVG = qrSVG(q.id, v.T["qr_image"])
		d.Remaining = int64(o.expires.Sub(now) / time.Second)
		d.Countdown = clockText(d.Remaining)
		d.SimulatorURL = withQuery(s.base+"/qr-simulator", url.Values{"qr_id": {q.id}, "lang": {v.Lang}})
	}
	d.QRID = or(d.QRID, o.qrID)
	d.ChargeID = o.chargeID
	v.Page, v.Title, v.D = "qr", d.Title, d
	s.render(w, http.StatusOK, v, frameAncestors(p))
}

// clockText formats seconds as m:ss or h:mm:ss.
func clockText(sec int64) string {
	if sec < 0 {
		sec = 0
	}
	h, m, x := sec/3600, sec%3600/60, sec%60
	if h > 0 {
		return itoa(h) + ":" + twoDigits(m) + ":" + twoDigits(x)
	}
	return itoa(m) + ":" + twoDigits(x)
}

const formHTML = `
{{define "shop"}}
<div class="sub-head">
<h1>{{.D.Shop}}</h1>
<p class="sub">{{.T.powered}}</p>
</div>
<dl>
<div><dt>{{.T.amount}}</dt><dd><bdi dir="ltr" data-testid="kpay-amount">{{.D.Amount}}</bdi></dd></div>
</dl>
{{end}}

{{define "form"}}
<section class="panel">
{{template "shop" .}}
<ul class="logos" aria-label="{{.T.accepted}}"><li lang="en">VISA</li><li lang="en">Mastercard</li><li lang="en">JCB</li></ul>
{{template "errors" .}}
<form method="post" action="{{.D.Action}}" novalidate>
{{- if .D.Saved}}
<fieldset class="field" id="kpay-saved">
<legend>{{.T.saved_title}}</legend>
{{- range .D.Saved}}
<div class="check"><input type="radio" id="saved-{{.ID}}" name="saved" value="{{.ID}}" data-testid="kpay-saved-{{.ID}}"{{if .Checked}} checked{{end}}><label for="saved-{{.ID}}"><bdi dir="ltr">{{.Label}}</bdi></label></div>
{{- end}}
<div class="check"><input type="radio" id="saved-new" name="saved" value="new" data-testid="kpay-saved-new"{{if .D.NewCardChecked}} checked{{end}}><label for="saved-new">{{.T.use_another}}</label></div>
</fieldset>
{{- end}}
<div class="field">
<label for="kpay-name">{{.T.name_on_card}}</label>
<input class="text" id="kpay-name" name="name" type="text" autocomplete="cc-name" maxlength="100" value="{{.D.Name}}" data-testid="kpay-name"{{with fe . "kpay-name"}} aria-invalid="true" aria-describedby="kpay-name-error"{{end}}>
{{template "field-error" fe . "kpay-name"}}
</div>
<div class="field">
<label for="kpay-number">{{.T.card_number}}</label>
<input class="text" id="kpay-number" name="number" type="text" inputmode="numeric" autocomplete="cc-number" maxlength="23" dir="ltr" value="{{.D.Number}}" data-testid="kpay-number"{{with fe . "kpay-number"}} aria-invalid="true" aria-describedby="kpay-number-error"{{end}}>
{{template "field-error" fe . "kpay-number"}}
</div>
<div class="row">
<div class="field">
<label for="kpay-expiry">{{.T.expiry}}</label>
<input class="text" id="kpay-expiry" name="expiry" type="text" inputmode="numeric" autocomplete="cc-exp" maxlength="7" dir="ltr" placeholder="MM/YY" value="{{.D.Expiry}}" data-testid="kpay-expiry" aria-describedby="kpay-expiry-hint{{with fe . "kpay-expiry"}} kpay-expiry-error{{end}}"{{with fe . "kpay-expiry"}} aria-invalid="true"{{end}}>
<p class="hint" id="kpay-expiry-hint">{{.T.expiry_hint}}</p>
{{template "field-error" fe . "kpay-expiry"}}
</div>
<div class="field">
<label for="kpay-cvv">{{.T.cvv}}</label>
<input class="text" id="kpay-cvv" name="cvv" type="text" inputmode="numeric" autocomplete="cc-csc" maxlength="4" dir="ltr" data-testid="kpay-cvv" aria-describedby="kpay-cvv-hint{{with fe . "kpay-cvv"}} kpay-cvv-error{{end}}"{{with fe . "kpay-cvv"}} aria-invalid="true"{{end}}>
<p class="hint" id="kpay-cvv-hint">{{.T.cvv_hint}}</p>
{{template "field-error" fe . "kpay-cvv"}}
</div>
</div>
{{- if .D.Terms}}
<div class="field">
<label for="kpay-term">{{.T.term}}</label>
<select id="kpay-term" name="term" data-testid="kpay-term" aria-describedby="kpay-term-hint{{with fe . "kpay-term"}} kpay-term-error{{end}}"{{with fe . "kpay-term"}} aria-invalid="true"{{end}}>
<option value="">{{.T.choose}}</option>
{{- range .D.Terms}}
<option value="{{.Value}}"{{if .Selected}} selected{{end}}>{{.Label}}</option>
{{- end}}
</select>
<p class="hint" id="kpay-term-hint">{{.T.term_hint}}</p>
{{template "field-error" fe . "kpay-term"}}
</div>
{{- end}}
<div class="check"><input type="checkbox" id="kpay-remember" name="remember" value="true" data-testid="kpay-remember"{{if .D.Remember}} checked{{end}}><label for="kpay-remember">{{.T.remember}}</label></div>
<div class="actions">
<button class="primary wide" type="submit" name="action" value="pay" data-testid="kpay-submit">{{.T.pay}} <bdi dir="ltr">{{.D.Amount}}</bdi></button>
</div>
</form>
<p class="note">{{.T.test_cards}}</p>
</section>
{{end}}

{{define "dcc"}}
<section class="panel">
{{template "shop" .}}
<form method="post" action="{{.D.Action}}">
<h2>{{.T.dcc_title}}</h2>
<input type="hidden" name="draft" value="{{.D.Draft}}">
<dl data-testid="kpay-dcc-offer">
<div><dt>{{.T.dcc_card_currency}}</dt><dd><bdi dir="ltr">{{.D.DCCCurrencyName}}</bdi></dd></div>
<div><dt>{{.T.dcc_rate}}</dt><dd><bdi dir="ltr" data-testid="kpay-dcc-rate">{{.D.DCCRate}}</bdi></dd></div>
<div><dt>{{.T.dcc_in_card}}</dt><dd><bdi dir="ltr">{{.D.DCCForeignAmount}}</bdi></dd></div>
</dl>
<p class="notice">{{.T.dcc_accept}}</p>
<div class="actions">
<button class="secondary" type="submit" name="action" value="dcc-thb" data-testid="kpay-dcc-thb">{{.T.pay}} <bdi dir="ltr">{{.D.Amount}}</bdi></button>
<button class="primary" type="submit" name="action" value="dcc-foreign" data-testid="kpay-dcc-foreign">{{.T.pay}} <bdi dir="ltr">{{.D.DCCForeignAmount}}</bdi></button>
</div>
</form>
</section>
{{end}}

{{define "done"}}
<section class="panel ok" data-testid="kpay-done" role="status">
<h1>{{.T.done_title}}</h1>
<p>{{.T.done_body}}</p>
<p class="note"><bdi dir="ltr" data-testid="kpay-token">{{.D.Token}}</bdi></p>
</section>
{{end}}

{{define "frame-error"}}
<section class="panel bad" data-testid="kpay-frame-error" role="alert">
<h1>{{.T.frame_error_title}}</h1>
<p>{{.T.frame_error_body}}</p>
<p lang="{{.AltLang}}" dir="{{.AltDir}}">{{.A.frame_error_body}}</p>
<p class="note" lang="en" dir="ltr"><code>{{.D.Reason}}</code></p>
</section>
{{end}}

{{define "qr"}}
<section class="panel{{if eq .D.Status "paid"}} ok{{else if ne .D.Status "pending"}} bad{{end}}" data-testid="kpay-qr" data-status="{{.D.Status}}">
<h1>{{.D.Title}}</h1>
<p class="sub">{{.T.powered}}</p>
<dl>
<div><dt>{{.T.amount}}</dt><dd><bdi dir="ltr" data-testid="kpay-amount">{{.D.Amount}}</bdi></dd></div>
{{- if ne .D.Status "pending"}}{{with .D.QRID}}
<div><dt>{{$.T.qr_id}}</dt><dd><bdi dir="ltr" data-testid="kpay-qr-id">{{.}}</bdi></dd></div>
{{- end}}{{end}}
</dl>
{{- if eq .D.Status "pending"}}
<p>{{.D.Scan}}</p>
<figure class="qr">
{{.D.SVG}}
<figcaption>{{.T.qr_id}}: <bdi dir="ltr" data-testid="kpay-qr-id">{{.D.QRID}}</bdi></figcaption>
</figure>
<p>{{.T.qr_expires}} <span class="countdown" dir="ltr" data-testid="kpay-qr-countdown" data-kpay-countdown="{{.D.Remaining}}" data-expired-text="{{.T.qr_expired_short}}">{{.D.Countdown}}</span></p>
<p class="note"><a href="{{.D.SimulatorURL}}" target="_blank" rel="noopener" data-testid="kpay-qrsim-link">{{.T.qr_sim_link}}</a></p>
{{- else if eq .D.Status "paid"}}
<h2 role="status">{{.T.qr_paid}}</h2>
<p>{{.T.qr_paid_body}}</p>
<p class="note">{{.T.reference}}: <bdi dir="ltr" data-testid="kpay-charge-id">{{.D.ChargeID}}</bdi></p>
{{- else if eq .D.Status "cancelled"}}
<h2 role="alert">{{.T.qr_cancelled}}</h2>
<p>{{.T.qr_expired_body}}</p>
{{- else}}
<h2 role="alert">{{.T.qr_expired}}</h2>
<p>{{.T.qr_expired_body}}</p>
{{- end}}
</section>
{{end}}
`
