package knet

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var formTestIDs = []string{
	"knet-bank", "knet-card", "knet-exp-month", "knet-exp-year", "knet-pin",
	"knet-submit", "knet-reset", "knet-cancel", "knet-amount", "lang-switch",
}

var confirmTestIDs = []string{"knet-confirm", "knet-back", "knet-cancel", "knet-amount", "lang-switch"}

var styleBlock = regexp.MustCompile(`(?s)<style>(.*)</style>`)

// checkPage asserts what every simulator page must be.
func checkPage(t *testing.T, page, lang, dir string) {
	t.Helper()
	if !strings.Contains(page, `<html lang="`+lang+`" dir="`+dir+`">`) {
		t.Errorf("missing <html lang=%q dir=%q>", lang, dir)
	}
	css := styleBlock.FindStringSubmatch(page)
	if css == nil {
		t.Fatal("no inline style")
	}
	for _, bad := range []string{"left", "right"} {
		if strings.Contains(strings.ToLower(css[1]), bad) {
			t.Errorf("CSS uses a physical property (%q)", bad)
		}
	}
	if !strings.Contains(css[1], ":focus-visible") {
		t.Error("no visible focus style")
	}
	for _, bad := range []string{"<script", "src=", SandboxTranportalPassword, SandboxResourceKey, "trandata"} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains %q", bad)
		}
	}
}

func TestCardPageInBothLanguages(t *testing.T) {
	e := newEnv(t, nil)
	en := e.start(e.defaultParams())
	ar := e.start(e.defaultParams().with("langid", "AR"))
	tests := []struct {
		name, path, lang, dir string
		texts                 []string
		langLink              string
	}{
		{"langid USA", e.pagePath(en), "en", "ltr",
			[]string{"Billing Information", "Card Information", `<label for="card">Card Number</label>`, "Expiration Date",
				">Submit<", ">Reset<", ">Cancel<", "You are paying through KNET", "Bawaba Test Merchant"}, "lang=ar"},
		{"langid AR", e.pagePath(ar), "ar", "rtl",
			[]string{"معلومات الفاتورة", "معلومات البطاقة", `<label for="card">رقم البطاقة</label>`, "تاريخ انتهاء الصلاحية",
				">إرسال<", ">مسح<", ">إلغاء<", "أنت تدفع عبر كي نت"}, "lang=en"},
		{"?lang=ar overrides", e.pagePath(en) + "&lang=ar", "ar", "rtl", []string{"الرقم السري"}, "lang=en"},
		{"?lang=en overrides", e.pagePath(ar) + "&lang=en", "en", "ltr", []string{">PIN<"}, "lang=ar"},
		{"unknown ?lang ignored", e.pagePath(ar) + "&lang=fr", "ar", "rtl", nil, "lang=en"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, page, hdr := e.do(http.MethodGet, tt.path, nil, "")
			if status != http.StatusOK || !strings.HasPrefix(hdr.Get("Content-Type"), "text/html") {
				t.Fatalf("status %d, content-type %q", status, hdr.Get("Content-Type"))
			}
			checkPage(t, page, tt.lang, tt.dir)
			for _, id := range formTestIDs {
				if !strings.Contains(page, `data-testid="`+id+`"`) {
					t.Errorf("missing data-testid %q", id)
				}
			}
			for _, s := range append(tt.texts,
				`<bdi dir="ltr" data-testid="knet-amount">KD 6.000</bdi>`,
				`<option value="knet1">Knet Test Card [KNET1]</option>`,
				`<option value="09">09</option>`, `<option value="2030">2030</option>`, `<option value="2018">2018</option>`,
				`type="password"`, `maxlength="4"`, `type="reset"`,
				`<label for="bank">`, `<label for="exp_month">`, `<label for="exp_year">`, `<label for="pin">`,
				`id="bank"`, `id="exp_month"`, `id="exp_year"`, `id="pin"`, `id="card"`,
				`name="action" value="submit"`, `name="action" value="cancel"`,
				"8888880000000001", "09/2030", tt.langLink) {
				if !strings.Contains(page, s) {
					t.Errorf("page lacks %q", s)
				}
			}
		})
	}
}

func TestMagicExpiryIsConfigurable(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.MagicExpiry = "09/2021" })
	pid := e.start(e.defaultParams())
	_, page, _ := e.do(http.MethodGet, e.pagePath(pid), nil, "")
	if !strings.Contains(page, "expiry 09/2021") {
		t.Error("page does not show the configured magic expiry")
	}
	e.submit(pid, cardTest1, "09", "2021")
	e.action(pid, "confirm")
	if n := e.merchant.next(t); n.fields.Get("result") != resultCaptured {
		t.Errorf("result %q with the configured expiry", n.fields.Get("result"))
	}
	if m, y, ok := parseMagicExpiry("9/30"); !ok || m != 9 || y != 2030 {
		t.Errorf("parseMagicExpiry(9/30) = %d, %d, %v", m, y, ok)
	}
	for _, bad := range []string{"", "13/2030", "09-2030", "09/230", "x/2030"} {
		if _, _, ok := parseMagicExpiry(bad); ok {
			t.Errorf("parseMagicExpiry(%q) accepted", bad)
		}
	}
}

func TestValidationErrorsAreBilingualAndChangeNothing(t *testing.T) {
	e := newEnv(t, nil)
	p := e.defaultParams()
	pid := e.start(p)
	tests := []struct {
		name   string
		form   url.Values
		fields []string
		texts  []string
	}{
		{"empty", url.Values{"PaymentID": {pid}, "action": {"submit"}},
			[]string{"bank", "card", "exp_month", "exp_year", "pin"},
			[]string{"Please select your bank.", "يرجى اختيار البنك.", errMissingCard, errMissingExpMonth, errMissingExpYear, errMissingPIN}},
		{"bad values", url.Values{"PaymentID": {pid}, "action": {"submit"}, "bank": {"other"}, "card": {"8888"},
			"exp_month": {"13"}, "exp_year": {"30"}, "pin": {"12a"}},
			[]string{"bank", "card", "exp_month", "exp_year", "pin"},
			[]string{errInvalidCard, "Invalid card number", "رقم البطاقة غير صالح", errInvalidExpMonth, errInvalidExpYear, "Enter your 4-digit PIN.", "أدخل الرقم السري المكوّن من 4 أرقام."}},
		{"pin only", cardForm4(pid, cardTest1, "09", "2030", "123"), []string{"pin"}, []string{"Enter your 4-digit PIN."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, page, _ := e.post(tt.form)
			if status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d", status)
			}
			checkPage(t, page, "en", "ltr")
			if !strings.Contains(page, `data-testid="knet-errors"`) || !strings.Contains(page, `role="alert"`) {
				t.Error("no error summary")
			}
			for _, f := range tt.fields {
				if !strings.Contains(page, `href="#`+f+`"`) || !strings.Contains(page, `aria-describedby="`+f+`-error`) &&
					!strings.Contains(page, f+`-error"`) {
					t.Errorf("field %s not flagged", f)
				}
			}
			for _, s := range tt.texts {
				if !strings.Contains(page, s) {
					t.Errorf("page lacks %q", s)
				}
			}
			if strings.Contains(page, `name="pin" value=`) {
				t.Error("PIN echoed back")
			}
		})
	}
	t.Run("arabic first", func(t *testing.T) {
		status, page, _ := e.post(url.Values{"PaymentID": {pid}, "action": {"submit"}, "lang": {"ar"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(page, `<html lang="ar" dir="rtl">`) {
			t.Fatalf("status %d", status)
		}
		if strings.Index(page, "يرجى اختيار البنك.") > strings.Index(page, "Please select your bank.") {
			t.Error("Arabic message should come first")
		}
	})
	// Nothing changed: no notification, the page is still the card page and
	// the inquiry still finds no transaction.
	e.none()
	_, page, _ := e.do(http.MethodGet, e.pagePath(pid), nil, "")
	if !strings.Contains(page, `data-testid="knet-submit"`) {
		t.Error("card page gone after validation errors")
	}
	if r := e.inquire(p.get("trackid"), "6.000"); r["error_code_tag"] != errNotAvailable {
		t.Errorf("inquiry after validation errors: %v", r)
	}
}

func TestConfirmationPage(t *testing.T) {
	e := newEnv(t, nil)
	pid := e.start(e.defaultParams().with("langid", "AR"))
	e.submit(pid, "8888 8800 0000 0001", "9", "2030")
	for _, tt := range []struct{ lang, dir, path string }{
		{"ar", "rtl", e.pagePath(pid)},
		{"en", "ltr", e.pagePath(pid) + "&lang=en"},
	} {
		_, page, _ := e.do(http.MethodGet, tt.path, nil, "")
		checkPage(t, page, tt.lang, tt.dir)
		for _, id := range confirmTestIDs {
			if !strings.Contains(page, `data-testid="`+id+`"`) {
				t.Errorf("%s: missing data-testid %q", tt.lang, id)
			}
		}
		for _, s := range []string{"*****0001", "<bdi dir=\"ltr\">09</bdi>", "<bdi dir=\"ltr\">2030</bdi>", "****", "KD 6.000"} {
			if !strings.Contains(page, s) {
				t.Errorf("%s: confirmation lacks %q", tt.lang, s)
			}
		}
		if strings.Contains(page, "8888880000000001") {
			t.Errorf("%s: full card number on the confirmation", tt.lang)
		}
	}
	_, page, _ := e.do(http.MethodGet, e.pagePath(pid)+"&lang=en", nil, "")
	for _, s := range []string{">Confirm<", ">Back<", ">Cancel<", "Expiration Month", "Expiration Year"} {
		if !strings.Contains(page, s) {
			t.Errorf("confirmation lacks %q", s)
		}
	}

	// Back returns to the card page with bank, card and expiry kept, PIN not.
	status, _, hdr := e.action(pid, "back")
	if status != http.StatusSeeOther || !strings.Contains(hdr.Get("Location"), "PaymentID="+pid) {
		t.Fatalf("back: status %d, Location %q", status, hdr.Get("Location"))
	}
	_, page, _ = e.do(http.MethodGet, e.pagePath(pid), nil, "")
	for _, s := range []string{`value="8888880000000001"`, `<option value="09" selected>`, `<option value="2030" selected>`, `<option value="knet1" selected>`} {
		if !strings.Contains(page, s) {
			t.Errorf("after Back the card page lacks %q", s)
		}
	}
	e.none()
}

func TestUnknownPayment(t *testing.T) {
	e := newEnv(t, nil)
	status, page, _ := e.do(http.MethodGet, e.pagePath("100000000000000000"), nil, "")
	if status != http.StatusNotFound || !strings.Contains(page, `data-code="`+errInvalidPaymentID+`"`) {
		t.Errorf("unknown: status %d", status)
	}
	checkPage(t, page, "en", "ltr")
	status, page, _ = e.do(http.MethodGet, testBase+"/kpg/paymentpage.htm?lang=ar", nil, "")
	if status != http.StatusBadRequest || !strings.Contains(page, `data-code="`+errMissingPaymentID+`"`) {
		t.Errorf("missing: status %d", status)
	}
	checkPage(t, page, "ar", "rtl")
	status, _, _ = e.post(url.Values{"PaymentID": {"42"}, "action": {"confirm"}})
	if status != http.StatusNotFound {
		t.Errorf("post unknown: status %d", status)
	}
	e.none()
}
