package kpay

import (
	"net/http"
	"strings"
	"time"

	"github.com/bawaba/checkout/sandbox/internal/simkit"
)

// The 3-D Secure page behind a card charge's redirect_url (spec §3.1 steps
// 12–18, §11.1): "Request OTP", then OTP 123456 authenticates. The test
// card's response code then decides: 00 Authorized (register3D: then
// Voided), 01/05/51 Declined, 500 Reversed. Any other 6-digit OTP, or
// Cancel, fails the authentication: Pre-Authorized + fail, failure_code 50
// (§8.1). Then the card webhook goes to the Notify URL and the browser to
// the Callback URL.

type threeDSData struct {
	Action, Merchant, Amount, Card, Date, Scheme string
	OTPRef                                       string
}

// pageCharge finds the charge behind a hosted page of kind, advanced to now.
// The caller holds s.mu.
func (s *Simulator) pageCharge(id, kind string) *charge {
	c := s.pages[id]
	if c == nil || c.kind != kind {
		return nil
	}
	s.advance(c, s.now())
	return c
}

func (s *Simulator) notFoundPage(w http.ResponseWriter, r *http.Request, theme string) {
	v := newView(r, "not-found", theme, pageLang(r, ""))
	v.Title = v.T["not_found_title"]
	s.render(w, http.StatusNotFound, v, "'none'")
}

// hosted is one of the pages a redirect_url leads to: 3-D Secure, UnionPay, Alipay.
type hosted struct {
	kind, theme string // the charge kind it serves; its look (the not-found page's too)
	testID      string // data-testid of its result
	state       string // the charge's state while the page takes input
}

var (
	threeDSPage  = hosted{kindCard, "acs", "kpay-3ds-result", statePreAuthorized}
	unionPayPage = hosted{kindUnionPay, "upi", "kpay-upi-result", stateInitialize}
	alipayPage   = hosted{kindAlipay, "alipay", "kpay-alipay-result", stateInitialize}
)

// openCharge locks s.mu and loads the charge of the path's {id} for page h, with its view:
// it answers the request itself (not found; the result of a charge the page is done with,
// never acted on twice) and returns nil, unlocked. Otherwise the caller holds s.mu.
func (s *Simulator) openCharge(w http.ResponseWriter, r *http.Request, h hosted, view func(*charge) *view) (*charge, *view) {
	s.mu.Lock()
	c := s.pageCharge(r.PathValue("id"), h.kind)
	if c == nil {
		s.mu.Unlock()
		s.notFoundPage(w, r, h.theme)
		return nil, nil
	}
	v := view(c)
	if c.state != h.state || c.status != statusSuccess {
		defer s.mu.Unlock()
		s.finishedPage(w, v, c, h.testID)
		return nil, nil
	}
	return c, v
}

// showHosted is the GET of page h: its form, or what openCharge answers.
func (s *Simulator) showHosted(w http.ResponseWriter, r *http.Request, h hosted, view func(*charge) *view) {
	if c, v := s.openCharge(w, r, h, view); c != nil {
		defer s.mu.Unlock()
		s.render(w, http.StatusOK, v, "'none'")
	}
}

// finishedPage shows the outcome of a charge whose page is done.
func (s *Simulator) finishedPage(w http.ResponseWriter, v *view, c *charge, testID string) {
	resultView(v, c, testID)
	status := http.StatusOK
	if c.pageExpired {
		status = http.StatusGone
	}
	s.render(w, status, v, "'none'")
}

func scheme(brand string) string {
	switch brand {
	case visa:
		return "Verified by Visa"
	case mastercard:
		return "Mastercard SecureCode"
	case jcb:
		return "J/Secure"
	}
	return "3-D Secure"
}

func (s *Simulator) threeDSView(r *http.Request, c *charge) *view {
	v := newView(r, "3ds", "acs", pageLang(r, c.lang))
	v.Title = v.T["acs_title"]
	v.D = &threeDSData{
		Action: s.base + "/3ds/" + c.pageID + "?lang=" + v.Lang, Merchant: c.mid,
		Amount: displayAmount(c.amount, c.currency) + " " + c.currency, Card: c.src.masking,
		Date: c.created.In(bangkok).Format("02/01/2006 15:04"), Scheme: scheme(c.src.brand), OTPRef: c.otpRef,
	}
	return v
}

// show3DS is GET /3ds/{auth id}.
func (s *Simulator) show3DS(w http.ResponseWriter, r *http.Request) {
	s.showHosted(w, r, threeDSPage, func(c *charge) *view { return s.threeDSView(r, c) })
}

// submit3DS is POST /3ds/{auth id}: Request OTP, Submit or Cancel.
func (s *Simulator) submit3DS(w http.ResponseWriter, r *http.Request) {
	if _, ok := simkit.ReadForm(w, r); !ok {
		return
	}
	c, v := s.openCharge(w, r, threeDSPage, func(c *charge) *view { return s.threeDSView(r, c) })
	if c == nil {
		return
	}
	now := s.now()
	switch r.PostForm.Get("action") {
	case "request":
		c.otpRef = strings.ToUpper(randomHex(6))
		v.D.(*threeDSData).OTPRef = c.otpRef
		defer s.mu.Unlock()
		s.render(w, http.StatusOK, v, "'none'")
		return
	case "cancel":
		c.cancelled = true
		c.fail(statePreAuthorized, "17") // §9.1 Customer Cancellation
	default:
		otp := strings.TrimSpace(r.PostForm.Get("otp"))
		if len(otp) != 6 || !simkit.Digits(otp) {
			defer s.mu.Unlock()
			v.addError("kpay-otp", "err_otp")
			s.render(w, http.StatusUnprocessableEntity, v, "'none'")
			return
		}
		if otp != sandboxOTP {
			c.fail(statePreAuthorized, "50")
		} else {
			s.authenticated(c, now)
		}
	}
	s.finishPage(w, r, v, c, threeDSPage.testID)
}

// authenticated applies the card's outcome once the OTP is right.
func (s *Simulator) authenticated(c *charge, now time.Time) {
	eci := "05"
	if c.src.brand == mastercard {
		eci = "02"
	}
	c.mpi = &mpiData{eci: eci, xid: randomHex(40), cavv: "000001" + randomHex(34), dtransid: uuid()}
	s.applyOutcome(c, c.outcome, now)
	if c.register3D && c.state == stateAuthorized { // Register 3D: voided automatically (§7.2)
		c.state = stateVoided
	}
}

// finishPage ends a hosted page: it captures the webhook, releases s.mu
// (held by the caller), sends the browser to the Callback URL (303) or
// shows the outcome, then delivers the webhook.
func (s *Simulator) finishPage(w http.ResponseWriter, r *http.Request, v *view, c *charge, testID string) {
	n := s.notify(c)
	location := callbackURL(c)
	id, state, status := c.id, c.state, c.status
	if location == "" {
		resultView(v, c, testID)
	}
	s.mu.Unlock()
	s.log.InfoContext(r.Context(), "kpay sandbox: hosted page finished", "charge", id, "state", state, "status", status)
	if location != "" {
		http.Redirect(w, r, location, http.StatusSeeOther)
	} else {
		s.render(w, http.StatusOK, v, "'none'")
	}
	_ = http.NewResponseController(w).Flush() // the browser hears first
	s.send(n)
}

const threeDSHTML = `
{{define "3ds"}}
<section class="panel">
<h1>{{.T.acs_title}}</h1>
<p class="sub"><span lang="en">{{.D.Scheme}}</span> · {{.T.acs_sub}}</p>
<dl>
<div><dt>{{.T.merchant}}</dt><dd><bdi dir="ltr">{{.D.Merchant}}</bdi></dd></div>
<div><dt>{{.T.amount}}</dt><dd><bdi dir="ltr" data-testid="kpay-amount">{{.D.Amount}}</bdi></dd></div>
<div><dt>{{.T.card}}</dt><dd><bdi dir="ltr">{{.D.Card}}</bdi></dd></div>
<div><dt>{{.T.date}}</dt><dd><bdi dir="ltr">{{.D.Date}}</bdi></dd></div>
</dl>
{{template "errors" .}}
{{- with .D.OTPRef}}
<p class="notice" role="status" data-testid="kpay-otp-sent">{{$.T.otp_sent}} <bdi dir="ltr">{{.}}</bdi></p>
{{- else}}
<form method="post" action="{{.D.Action}}"><p><button class="secondary" type="submit" name="action" value="request" data-testid="kpay-otp-request">{{.T.request_otp}}</button></p></form>
{{- end}}
<form method="post" action="{{.D.Action}}" novalidate>
<div class="field">
<label for="kpay-otp">{{.T.otp}}</label>
<input class="text" id="kpay-otp" name="otp" type="text" inputmode="numeric" autocomplete="one-time-code" maxlength="6" dir="ltr" data-testid="kpay-otp" aria-describedby="kpay-otp-hint{{with fe . "kpay-otp"}} kpay-otp-error{{end}}"{{with fe . "kpay-otp"}} aria-invalid="true"{{end}}>
<p class="hint" id="kpay-otp-hint">{{.T.otp_hint}}</p>
{{template "field-error" fe . "kpay-otp"}}
</div>
<div class="actions">
<button class="primary" type="submit" name="action" value="submit" data-testid="kpay-otp-submit">{{.T.submit}}</button>
<button class="secondary" type="submit" name="action" value="cancel" data-testid="kpay-otp-cancel">{{.T.cancel}}</button>
</div>
</form>
<p class="note">{{.T.otp_note}}</p>
</section>
{{end}}
`
