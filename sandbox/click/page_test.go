package click

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// forbidden never appears on a page: the token, scripts (but the result
// page's countdown, allowed by its hash), external assets and physical
// (left/right) CSS.
var forbidden = []string{testToken, "<script", "src=", "margin-left", "margin-right", "padding-left",
	"padding-right", "text-align:left", "text-align:right", "float:", "left:", "right:", "border-left", "border-right"}

func checkPage(t *testing.T, r response, status int, lang, dir string, testids, texts []string, extraForbidden ...string) {
	t.Helper()
	page := string(r.body)
	if r.status != status || !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
		t.Fatalf("status %d (want %d), content-type %q\n%s", r.status, status, r.header.Get("Content-Type"), page)
	}
	if !strings.Contains(page, `<html lang="`+lang+`" dir="`+dir+`">`) {
		t.Errorf("missing <html lang=%q dir=%q>", lang, dir)
	}
	for _, id := range append(testids, "click-lang") {
		if !strings.Contains(page, `data-testid="`+id+`"`) {
			t.Errorf("missing data-testid %q", id)
		}
	}
	for _, s := range append(texts, ":focus-visible") {
		if !strings.Contains(page, s) {
			t.Errorf("page lacks %q", s)
		}
	}
	rest := strings.Replace(page, "<script>"+countdownJS+"</script>", "", 1)
	for _, s := range append(forbidden, extraForbidden...) {
		if strings.Contains(rest, s) {
			t.Errorf("page contains %q", s)
		}
	}
	if r.header.Get("Referrer-Policy") != "no-referrer" || !strings.Contains(r.header.Get("Content-Security-Policy"), "default-src 'none'") {
		t.Errorf("security headers: %v", r.header)
	}
}

var (
	methodIDs  = []string{"click-method-knet", "click-method-card", "click-continue", "click-track-id", "click-amount"}
	confirmIDs = []string{"click-pay", "click-method", "click-change-method", "click-track-id", "click-amount"}
	knetIDs    = []string{"click-knet-bank", "click-knet-card", "click-knet-exp-month", "click-knet-exp-year",
		"click-knet-pin", "click-knet-submit", "click-knet-reset", "click-knet-cancel", "click-knet-amount"}
	cardIDs = []string{"click-card-number", "click-card-exp-month", "click-card-exp-year", "click-card-name",
		"click-card-cvc", "click-card-street1", "click-card-street2", "click-card-city", "click-card-state",
		"click-card-postcode", "click-card-country", "click-card-submit", "click-card-cancel", "click-card-amount"}
)

func TestPagesInBothLanguages(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.MerchantName = "Vodafone" })
	en, ind1 := e.session(356, "6", "en")
	ar, ind2 := e.session(357, "6", "ar")
	never := []string{ind1, ind2}

	tests := []struct {
		name, path, lang, dir string
		ids, texts            []string
	}{
		{"methods en", gw(en), "en", "ltr", methodIDs, []string{"Payment To <bdi>Vodafone</bdi>", "Track ID", ">356<", "6.000 KWD",
			`<label for="method-knet">K-Net</label>`, `<label for="method-card">Credit Card</label>`, `name="method"`, `type="radio"`,
			`href="` + gw(en) + `?lang=ar"`, "Powered By Click"}},
		{"methods ar", gw(ar), "ar", "rtl", methodIDs, []string{"الدفع إلى <bdi>Vodafone</bdi>", "رقم التتبع", "6.000 د.ك",
			`<label for="method-knet">كي نت</label>`, `href="` + gw(ar) + `?lang=en"`}},
		{"methods ?lang=ar overrides", gw(en) + "?lang=ar", "ar", "rtl", methodIDs, []string{"اختر طريقة الدفع"}},
		{"methods ?lang=en overrides", gw(ar) + "?lang=en", "en", "ltr", methodIDs, []string{"Choose a payment method"}},
		{"methods ?lang=fr ignored", gw(ar) + "?lang=fr", "ar", "rtl", methodIDs, nil},
		{"confirm knet en", gw(en) + "/confirm?method=knet", "en", "ltr", confirmIDs, []string{"Payment To <bdi>Vodafone</bdi>",
			"This Transaction Will Be Paid Using <strong data-testid=\"click-method\">K-Net</strong>", ">Pay<",
			"By Clicking Pay You Are Agreeing To Our Terms And Conditions.", `name="method" value="knet"`,
			`href="` + gw(en) + `/confirm?lang=ar&amp;method=knet"`}},
		{"confirm card ar", gw(ar) + "/confirm?method=card", "ar", "rtl", confirmIDs, []string{"سيتم دفع هذه العملية باستخدام",
			"بطاقة ائتمان", ">ادفع<"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkPage(t, e.get(tt.path), http.StatusOK, tt.lang, tt.dir, tt.ids, tt.texts, never...)
		})
	}

	// The K-Net and card steps, after Pay.
	e.pay(en, methodKNET)
	e.pay(ar, methodCard)
	t.Run("knet en", func(t *testing.T) {
		checkPage(t, e.get(gw(en)+"/knet"), http.StatusOK, "en", "ltr", knetIDs, []string{
			"KNET Payment Gateway", "Billing Information", "Merchant", "<dd>Click</dd>", "http://www.clickkw.com", "KD 6.000",
			`<option value="knet1">Knet Test Card [KNET1]</option>`, `<option value="09">09</option>`, `<option value="2030">2030</option>`,
			`<label for="bank">`, `<label for="card">Card Number</label>`, `<label for="exp_month">`, `<label for="exp_year">`,
			`<label for="pin">PIN</label>`, `type="password"`, ">Submit<", ">Reset<", ">Cancel<", `href="` + gw(en) + `/knet?lang=ar"`,
		}, never...)
	})
	t.Run("knet ?lang=ar", func(t *testing.T) {
		checkPage(t, e.get(gw(en)+"/knet?lang=ar"), http.StatusOK, "ar", "rtl", knetIDs, []string{
			"بوابة الدفع كي نت", "6.000 د.ك", `<label for="pin">الرقم السري</label>`, ">تأكيد<", ">إلغاء<",
		}, never...)
	})
	t.Run("card ar", func(t *testing.T) {
		checkPage(t, e.get(gw(ar)+"/card"), http.StatusOK, "ar", "rtl", cardIDs, []string{
			"CLICK : <bdi dir=\"ltr\" data-testid=\"click-card-amount\">6.000 د.ك</bdi>", `<label for="card_number">رقم البطاقة *</label>`,
			`<label for="csc">رمز الأمان *</label>`, "بدعم من ماستركارد",
		}, never...)
	})
	t.Run("card ?lang=en", func(t *testing.T) {
		checkPage(t, e.get(gw(ar)+"/card?lang=en"), http.StatusOK, "en", "ltr", cardIDs, []string{
			"CLICK : <bdi dir=\"ltr\" data-testid=\"click-card-amount\">6.000 KWD</bdi>", `<label for="card_number">Card number *</label>`,
			`<label for="exp_month">Expiry month *</label>`, `<label for="exp_year">Expiry year *</label>`, `placeholder="MM"`,
			`placeholder="YY"`, `<label for="holder">Cardholder name *</label>`, `<label for="csc">Security code *</label>`,
			"3 digits on back of your card", `<label for="street1">Street 1</label>`, `<label for="postcode">Postcode / Zipcode</label>`,
			"Powered By Mastercard", `href="` + gw(ar) + `/card?lang=ar"`,
		}, never...)
	})
}

func TestPageNotFound(t *testing.T) {
	e := newEnv(t, nil)
	bare, _ := e.createSession() // no order yet: no page
	for _, tt := range []struct{ path, lang, dir string }{
		{gw("U0VTU0lPTjnope"), "en", "ltr"},
		{gw("U0VTU0lPTjnope") + "/knet?lang=ar", "ar", "rtl"},
		{gw(bare), "en", "ltr"},
		{gw(bare) + "/result", "en", "ltr"},
	} {
		checkPage(t, e.get(tt.path), http.StatusNotFound, tt.lang, tt.dir, []string{"click-not-found"}, nil)
	}
	r := e.post(gw(bare)+"/knet", knetValues(knetTestCard, "09", "2030"))
	if r.status != http.StatusNotFound {
		t.Errorf("POST knet on a session without order: %v", r)
	}
}

func TestMethodChoiceValidation(t *testing.T) {
	e := newEnv(t, nil)
	sid, _ := e.session(1, "6", "")
	for _, tt := range []struct{ name, path, lang string }{
		{"no method", gw(sid) + "/confirm", "en"},
		{"unknown method", gw(sid) + "/confirm?method=cash&lang=ar", "ar"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := map[string]string{"en": "ltr", "ar": "rtl"}[tt.lang]
			checkPage(t, e.get(tt.path), http.StatusUnprocessableEntity, tt.lang, dir,
				append(methodIDs, "click-errors"), []string{"Choose K-Net or Credit Card.", "اختر كي نت أو بطاقة الائتمان.",
					`id="method-error"`, `aria-invalid="true"`, `role="alert"`})
		})
	}
	r := e.post(gw(sid)+"/confirm", url.Values{"method": {"cash"}, "lang": {"ar"}})
	checkPage(t, r, http.StatusUnprocessableEntity, "ar", "rtl", []string{"click-errors"}, []string{"اختر كي نت أو بطاقة الائتمان."})
	// Nothing changed: the session can still be updated, so Pay was not taken.
	if got := string(e.call(apiPath+"/sessionupdate/"+testDev, updateBodyJSON(sid, 2, "7", shopReturn)).body); !strings.Contains(got, "SUCCESS") {
		t.Errorf("session changed by a refused choice: %s", got)
	}
}

func TestKNETValidation(t *testing.T) {
	e := newEnv(t, nil)
	sid, _ := e.session(1, "6", "")
	e.pay(sid, methodKNET)
	tests := []struct {
		name  string
		form  url.Values
		field string
		en    string
		ar    string
	}{
		{"no bank", url.Values{"card": {knetTestCard}, "exp_month": {"09"}, "exp_year": {"2030"}, "pin": {"1234"}}, "bank", "Please select your bank.", "يرجى اختيار البنك."},
		{"short card", url.Values{"bank": {"knet1"}, "card": {"888888"}, "exp_month": {"09"}, "exp_year": {"2030"}, "pin": {"1234"}}, "card", "Enter a valid card number (16 to 19 digits).", "أدخل رقم بطاقة صحيحاً"},
		{"no expiry", url.Values{"bank": {"knet1"}, "card": {knetTestCard}, "pin": {"1234"}}, "exp_month", "Select the expiration month and year.", "اختر شهر وسنة انتهاء البطاقة."},
		{"bad month", url.Values{"bank": {"knet1"}, "card": {knetTestCard}, "exp_month": {"13"}, "exp_year": {"2030"}, "pin": {"1234"}}, "exp_month", "Select the expiration month and year.", "اختر شهر"},
		{"3-digit PIN", url.Values{"bank": {"knet1"}, "card": {knetTestCard}, "exp_month": {"09"}, "exp_year": {"2030"}, "pin": {"123"}}, "pin", "Enter your 4-digit PIN.", "أدخل الرقم السري"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.form.Set("action", "submit")
			r := e.post(gw(sid)+"/knet", tt.form)
			checkPage(t, r, http.StatusUnprocessableEntity, "en", "ltr", append(knetIDs, "click-errors"),
				[]string{tt.en, tt.ar, `id="` + tt.field + `-error"`, `href="#` + tt.field + `"`, `aria-invalid="true"`})
			if strings.Contains(string(r.body), `value="1234"`) || strings.Contains(string(r.body), `value="123"`) {
				t.Error("PIN echoed")
			}
		})
	}
	// The typed card number is kept; nothing changed.
	r := e.post(gw(sid)+"/knet", url.Values{"card": {knetTestCard}, "lang": {"ar"}, "action": {"submit"}})
	checkPage(t, r, http.StatusUnprocessableEntity, "ar", "rtl", []string{"click-errors"},
		[]string{`value="` + knetTestCard + `"`, "يرجى اختيار البنك.", "Please select your bank."})
	if got := e.status(sid, 1); !strings.Contains(got, "No_status") {
		t.Errorf("validation changed the session: %s", got)
	}
}

func TestCardValidation(t *testing.T) {
	e := newEnv(t, nil)
	sid, _ := e.session(1, "6", "ar")
	e.pay(sid, methodCard)
	tests := []struct {
		name  string
		form  url.Values
		field string
		en    string
	}{
		{"Luhn", cardValues("5123450000000009", "01", "39", "100"), "card_number", "Enter a valid card number."},
		{"letters", cardValues("5123-4500-abcd", "01", "39", "100"), "card_number", "Enter a valid card number."},
		{"month 13", cardValues("5123450000000008", "13", "39", "100"), "exp_month", "Enter the expiry month"},
		{"4-digit year", cardValues("5123450000000008", "01", "2039", "100"), "exp_month", "Enter the expiry month"},
		{"no holder", func() url.Values { v := cardValues("5123450000000008", "01", "39", "100"); v.Del("holder"); return v }(), "holder", "Enter the cardholder name."},
		{"2-digit CSC", cardValues("5123450000000008", "01", "39", "10"), "csc", "Enter the security code"},
		{"3-digit CSC on Amex", cardValues("345678901234564", "01", "39", "100"), "csc", "Enter the security code"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.form.Set("street1", "Block 1, Street 2")
			r := e.post(gw(sid)+"/card", tt.form)
			checkPage(t, r, http.StatusUnprocessableEntity, "ar", "rtl", append(cardIDs, "click-errors"),
				[]string{tt.en, `id="` + tt.field + `-error"`, `value="Block 1, Street 2"`})
			if csc := tt.form.Get("csc"); strings.Contains(string(r.body), `value="`+csc+`"`) {
				t.Error("security code echoed")
			}
		})
	}
	if got := e.status(sid, 1); !strings.Contains(got, "No_status") {
		t.Errorf("validation changed the session: %s", got)
	}
}

func TestStepGuards(t *testing.T) {
	e := newEnv(t, nil)
	sid, _ := e.session(1, "6", "ar")
	// Before Pay, the steps and the result send the shopper to the method choice.
	for _, p := range []string{"/knet", "/card", "/result"} {
		r := e.get(gw(sid) + p)
		if r.status != http.StatusSeeOther || r.header.Get("Location") != gw(sid)+"?lang=ar" {
			t.Errorf("GET %s before Pay: %d %s", p, r.status, r.header.Get("Location"))
		}
	}
	// Paying by K-Net does not open the card step, nor a card POST.
	if loc := e.pay(sid, methodKNET); loc != gw(sid)+"/knet?lang=ar" {
		t.Errorf("Pay K-Net went to %s", loc)
	}
	if r := e.post(gw(sid)+"/card", cardValues("5123450000000008", "01", "39", "100")); r.status != http.StatusSeeOther || r.header.Get("Location") != gw(sid)+"?lang=ar" {
		t.Errorf("card POST on a K-Net session: %d %s", r.status, r.header.Get("Location"))
	}
	// The shopper may go back and choose again while the payment is open.
	if loc := e.pay(sid, methodCard); loc != gw(sid)+"/card?lang=ar" {
		t.Errorf("Pay card went to %s", loc)
	}
	// ?lang chosen on a form carries through the redirect.
	if r := e.post(gw(sid)+"/confirm", url.Values{"method": {"knet"}, "lang": {"en"}}); r.header.Get("Location") != gw(sid)+"/knet?lang=en" {
		t.Errorf("lang not kept: %s", r.header.Get("Location"))
	}
}
