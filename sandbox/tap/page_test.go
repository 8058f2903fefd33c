package tap

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

var formTestIDs = []string{
	"knet-bank", "knet-card", "knet-exp-month", "knet-exp-year", "knet-pin", "knet-submit", "knet-cancel",
	"knet-amount", "lang-switch",
}

func TestPageRendersInBothLanguages(t *testing.T) {
	e := newEnv(t, nil)
	en := e.create(chargeBody("6", ""), nil)
	ar := e.create(chargeBody("6", ""), map[string]string{"lang_code": "ar"})
	tests := []struct {
		name, path   string
		lang, dir    string
		texts        []string
		otherLangRef string
	}{
		{"default English", e.pagePath(en), "en", "ltr",
			[]string{"KNET Payment Gateway", `<label for="card">Card number</label>`, ">Submit<", ">Cancel<"}, "lang=ar"},
		{"lang_code ar", e.pagePath(ar), "ar", "rtl",
			[]string{"بوابة الدفع كي نت", `<label for="card">رقم البطاقة</label>`, ">تأكيد<", ">إلغاء<"}, "lang=en"},
		{"?lang=ar overrides", e.pagePath(en) + "&lang=ar", "ar", "rtl", []string{"الرقم السري"}, "lang=en"},
		{"?lang=en overrides lang_code", e.pagePath(ar) + "&lang=en", "en", "ltr", []string{"PIN"}, "lang=ar"},
		{"unknown ?lang ignored", e.pagePath(ar) + "&lang=fr", "ar", "rtl", nil, "lang=en"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, b, hdr := e.do(http.MethodGet, tt.path, nil, nil)
			page := string(b)
			if status != http.StatusOK || !strings.HasPrefix(hdr.Get("Content-Type"), "text/html") {
				t.Fatalf("status %d, content-type %q", status, hdr.Get("Content-Type"))
			}
			if !strings.Contains(page, `<html lang="`+tt.lang+`" dir="`+tt.dir+`">`) {
				t.Errorf("missing <html lang=%q dir=%q>", tt.lang, tt.dir)
			}
			for _, id := range formTestIDs {
				if !strings.Contains(page, `data-testid="`+id+`"`) {
					t.Errorf("missing data-testid %q", id)
				}
			}
			for _, s := range append(tt.texts,
				`<bdi dir="ltr" data-testid="knet-amount">KD 6.000</bdi>`,
				`<option value="">`, `<option value="knet1">Knet Test Card [KNET1]</option>`,
				`<option value="09">09</option>`, `<option value="2030">2030</option>`,
				`type="password"`, `maxlength="4"`, `name="exp_month"`, `name="exp_year"`,
				`name="action" value="submit"`, `name="action" value="cancel"`,
				`<label for="bank">`, `<label for="exp_month">`, `<label for="exp_year">`, `<label for="pin">`,
				`:focus-visible`, tt.otherLangRef) {
				if !strings.Contains(page, s) {
					t.Errorf("page lacks %q", s)
				}
			}
			for _, s := range []string{testKey, "<script", "src=", "http://", "https://", "margin-left", "margin-right",
				"padding-left", "padding-right", "text-align:left", "text-align:right", "float:", "left:", "right:"} {
				if strings.Contains(page, s) {
					t.Errorf("page contains %q", s)
				}
			}
		})
	}
}

func TestPageUnknownCharge(t *testing.T) {
	e := newEnv(t, nil)
	for _, path := range []string{"/knet/pay", "/knet/pay?chg=nope", "/knet/pay?chg=nope&lang=ar"} {
		status, b, _ := e.do(http.MethodGet, testBase+path, nil, nil)
		if status != http.StatusNotFound || !strings.Contains(string(b), `data-testid="knet-page-error"`) {
			t.Errorf("GET %s: %d\n%s", path, status, b)
		}
	}
	status, b, _ := e.pay(submitForm("nope", "8888880000000001", "09", "2030"))
	if status != http.StatusNotFound || !strings.Contains(string(b), "Payment not found") {
		t.Errorf("POST unknown: %d\n%s", status, b)
	}
}

func TestPageValidationErrors(t *testing.T) {
	h := newHook(t, ok200)
	e := newEnv(t, nil)
	c := e.create(chargeBody("6", h.srv.URL), nil)
	tok := token(t, c)
	tests := []struct {
		name   string
		edit   func(url.Values)
		fields []string
		en, ar string
	}{
		{"no bank", func(f url.Values) { f.Set("bank", "") }, []string{"bank"},
			"Please select your bank.", "يرجى اختيار البنك."},
		{"unknown bank", func(f url.Values) { f.Set("bank", "xyz") }, []string{"bank"},
			"Please select your bank.", "يرجى اختيار البنك."},
		{"short card", func(f url.Values) { f.Set("card", "888888000000") }, []string{"card"},
			"Enter a valid card number", "أدخل رقم بطاقة صحيحاً"},
		{"letters in card", func(f url.Values) { f.Set("card", "8888880000000abc") }, []string{"card"},
			"Enter a valid card number", "أدخل رقم بطاقة صحيحاً"},
		{"no expiry", func(f url.Values) { f.Set("exp_month", ""); f.Set("exp_year", "") }, []string{"exp_month"},
			"Select the expiration month and year.", "اختر شهر وسنة انتهاء البطاقة."},
		{"month 13", func(f url.Values) { f.Set("exp_month", "13") }, []string{"exp_month"},
			"Select the expiration month and year.", "اختر شهر وسنة انتهاء البطاقة."},
		{"3-digit PIN", func(f url.Values) { f.Set("pin", "123") }, []string{"pin"},
			"Enter your 4-digit PIN.", "أدخل الرقم السري المكوّن من 4 أرقام."},
		{"PIN letters", func(f url.Values) { f.Set("pin", "12a4") }, []string{"pin"},
			"Enter your 4-digit PIN.", "أدخل الرقم السري المكوّن من 4 أرقام."},
		{"everything", func(f url.Values) { f.Del("bank"); f.Del("card"); f.Del("pin") }, []string{"bank", "card", "pin"},
			"Enter your 4-digit PIN.", "يرجى اختيار البنك."},
	}
	for _, tt := range tests {
		for _, lang := range []string{"en", "ar"} {
			t.Run(tt.name+"/"+lang, func(t *testing.T) {
				f := submitForm(tok, "8888880000000001", "09", "2030")
				f.Set("lang", lang)
				tt.edit(f)
				status, b, _ := e.pay(f)
				page := string(b)
				if status != http.StatusUnprocessableEntity {
					t.Fatalf("status %d, want 422", status)
				}
				for _, s := range []string{`data-testid="knet-errors"`, `role="alert"`, tt.en, tt.ar, `dir="` + map[string]string{"en": "ltr", "ar": "rtl"}[lang] + `"`} {
					if !strings.Contains(page, s) {
						t.Errorf("page lacks %q", s)
					}
				}
				for _, field := range tt.fields {
					if !strings.Contains(page, `<a href="#`+field+`">`) || !strings.Contains(page, `aria-invalid="true"`) {
						t.Errorf("field %s not flagged", field)
					}
				}
				if strings.Contains(page, `value="1234"`) {
					t.Error("PIN echoed back into the page")
				}
			})
		}
	}
	if got := e.retrieve(str(c, "id")); str(got, "status") != "INITIATED" || len(got["activities"].([]any)) != 1 {
		t.Errorf("validation errors changed the charge: %v", got)
	}
	h.none(t, e.sim)
}

func TestPageKeepsEnteredValuesOnError(t *testing.T) {
	e := newEnv(t, nil)
	c := e.create(chargeBody("6", ""), nil)
	f := submitForm(token(t, c), "8888 8800 0000 0001", "09", "2030")
	f.Set("pin", "")
	_, b, _ := e.pay(f)
	for _, s := range []string{`<option value="knet1" selected>`, `<option value="09" selected>`,
		`<option value="2030" selected>`, `value="8888880000000001"`} {
		if !strings.Contains(string(b), s) {
			t.Errorf("page lacks %q", s)
		}
	}
}
