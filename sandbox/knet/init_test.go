package knet

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/bawaba/checkout/sandbox/internal/simkit"
)

func TestPaymentInitAcceptsTheSpecVectorK3(t *testing.T) {
	e := newEnv(t, nil)
	path := testBase + "/kpg/PaymentHTTP.htm?param=paymentInit&trandata=" + strings.ToUpper(vectors[2].hex) +
		"&tranportalId=123456&responseURL=https://merchant.example/knet/notify&errorURL=https://merchant.example/knet/error"
	status, body, hdr := e.do(http.MethodGet, path, nil, "")
	if status != http.StatusFound {
		t.Fatalf("status %d: %s", status, body)
	}
	loc, _ := url.Parse(hdr.Get("Location"))
	pid := loc.Query().Get("PaymentID")
	if loc.Path != testBase+"/kpg/paymentpage.htm" || len(pid) != 18 || !simkit.Digits(pid) {
		t.Fatalf("Location %q", hdr.Get("Location"))
	}
	_, page, _ := e.do(http.MethodGet, loc.RequestURI(), nil, "")
	for _, want := range []string{"KD 15.750", "https://merchant.example", `lang="en" dir="ltr"`} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func TestPaymentInitLanguages(t *testing.T) {
	e := newEnv(t, nil)
	for langid, want := range map[string]string{"USA": "en", "EN": "en", "eng": "en", "AR": "ar", "ARA": "ar", "ar": "ar"} {
		pid := e.start(e.defaultParams().with("langid", langid))
		_, page, _ := e.do(http.MethodGet, e.pagePath(pid), nil, "")
		if !strings.Contains(page, `<html lang="`+want+`"`) {
			t.Errorf("langid %s: page is not %s", langid, want)
		}
	}
}

// Errors found before trandata is decrypted and its errorURL checked are
// shown on KNET's error page; no redirect to an unauthenticated URL.
func TestPaymentInitErrorPage(t *testing.T) {
	e := newEnv(t, nil)
	good := e.initPath(e.defaultParams())
	otherKey, _ := encryptTrandata([]byte("ANOTHERKEY123456"), e.defaultParams().plain())
	replace := func(old, new string) string { return strings.Replace(good, old, new, 1) }
	td := good[strings.Index(good, "trandata=")+9 : strings.Index(good, "&tranportalId")]
	tests := []struct {
		name, path string
		codes      []string
	}{
		{"unknown param", replace("param=paymentInit", "param=other"), []string{errUnableToProcess}},
		{"no trandata", replace("trandata="+td, "trandata="), []string{errMissingTrandata}},
		{"no tranportalId", replace("tranportalId=123456", "tranportalId="), []string{errMissingTranportal}},
		{"wrong tranportalId", replace("tranportalId=123456", "tranportalId=654321"), []string{errInvalidTranportal}},
		{"not hex", replace("trandata="+td, "trandata=xyz"+td), []string{errDecrypt}},
		{"truncated", replace("trandata="+td, "trandata="+td[:len(td)-2]), []string{errDecrypt}},
		{"other key", replace("trandata="+td, "trandata="+otherKey), []string{errDecrypt, errInvalidTrandata}},
		{"no errorURL", e.initPath(e.defaultParams().drop("errorURL")), []string{errMissingErrorURL}},
		{"errorURL with query", e.initPath(e.defaultParams().with("errorURL", "https://shop.example/err?x=1")), []string{errInvalidErrorURL}},
		{"errorURL not absolute", e.initPath(e.defaultParams().with("errorURL", "/err")), []string{errInvalidErrorURL}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, page, hdr := e.do(http.MethodGet, tt.path, nil, "")
			if status != http.StatusBadRequest || hdr.Get("Location") != "" {
				t.Fatalf("status %d, Location %q", status, hdr.Get("Location"))
			}
			ok := false
			for _, c := range tt.codes {
				ok = ok || strings.Contains(page, `data-testid="knet-error" data-code="`+c+`"`)
			}
			if !ok {
				t.Errorf("page has none of %v: %s", tt.codes, page)
			}
			if !strings.Contains(page, `lang="en" dir="ltr"`) || !strings.Contains(page, `data-testid="lang-switch"`) {
				t.Error("error page not in English with a language link")
			}
		})
	}
	t.Run("arabic", func(t *testing.T) {
		_, page, _ := e.do(http.MethodGet, replace("tranportalId=123456", "tranportalId=654321")+"&lang=ar", nil, "")
		if !strings.Contains(page, `<html lang="ar" dir="rtl">`) || !strings.Contains(page, codeText[errInvalidTranportal][1]) {
			t.Errorf("no Arabic error page: %s", page)
		}
	})
	t.Run("bad resource key", func(t *testing.T) {
		e2 := newEnv(t, func(c *Config) { c.ResourceKey = "short" })
		_, page, _ := e2.do(http.MethodGet, e2.initPath(e2.defaultParams()), nil, "")
		if !strings.Contains(page, `data-code="`+errInvalidTerminalKey+`"`) {
			t.Errorf("want %s: %s", errInvalidTerminalKey, page)
		}
	})
}

// Once errorURL is known, KNET sends the browser there with Error and
// ErrorText (spec §4.5, §5).
func TestPaymentInitErrorRedirect(t *testing.T) {
	e := newEnv(t, nil)
	long := strings.Repeat("A", 41)
	tests := []struct {
		name string
		p    params
		code string
	}{
		{"inner id", e.defaultParams().with("id", "654321"), errInvalidTranportal},
		{"no inner id", e.defaultParams().drop("id"), errMissingTranportal},
		{"password", e.defaultParams().with("password", "wrong"), errInvalidPassword},
		{"authorization not enabled", e.defaultParams().with("action", "4"), errActionNotEnabled},
		{"action 3", e.defaultParams().with("action", "3"), errInvalidAction},
		{"no responseURL", e.defaultParams().drop("responseURL"), errMissingResponseURL},
		{"responseURL with query", e.defaultParams().with("responseURL", "https://shop.example/n?a=1"), errInvalidResponseURL},
		{"responseURL encoded", e.defaultParams().with("responseURL", url.QueryEscape("https://shop.example/n")), errInvalidResponseURL},
		{"no currency", e.defaultParams().drop("currencycode"), errMissingCurrency},
		{"USD", e.defaultParams().with("currencycode", "840"), errInvalidCurrency},
		{"no amount", e.defaultParams().drop("amt"), errMissingAmount},
		{"4 decimals", e.defaultParams().with("amt", "6.0000"), errInvalidAmount},
		{"zero", e.defaultParams().with("amt", "0.000"), errInvalidAmount},
		{"negative", e.defaultParams().with("amt", "-1.000"), errInvalidAmount},
		{"comma", e.defaultParams().with("amt", "6,000"), errInvalidAmount},
		{"too long", e.defaultParams().with("amt", "1234567.000"), errInvalidAmount},
		{"no langid", e.defaultParams().drop("langid"), errInvalidLanguage},
		{"langid FR", e.defaultParams().with("langid", "FR"), errInvalidLanguage},
		{"no trackid", e.defaultParams().drop("trackid"), errInvalidTrackID},
		{"trackid dash", e.defaultParams().with("trackid", "ORD-1"), errInvalidTrackID},
		{"trackid dot", e.defaultParams().with("trackid", "ORD.1"), errInvalidTrackID},
		{"trackid space", e.defaultParams().with("trackid", "ORD 1"), errInvalidTrackID},
		{"trackid 41 chars", e.defaultParams().with("trackid", long), errInvalidTrackID},
		{"udf1 @", e.defaultParams().with("udf1", "a@b"), "IPAY0100028"},
		{"udf2 /", e.defaultParams().with("udf2", "a/b"), "IPAY0100029"},
		{"udf4 too long", e.defaultParams().with("udf4", strings.Repeat("x", 256)), "IPAY0100031"},
		{"udf5 ptlf over 50", e.defaultParams().with("udf5", "ptlf "+strings.Repeat("x", 46)), "IPAY0100032"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body, hdr := e.do(http.MethodGet, e.initPath(tt.p), nil, "")
			if status != http.StatusFound {
				t.Fatalf("status %d: %s", status, body)
			}
			loc := hdr.Get("Location")
			u, err := url.Parse(loc)
			if err != nil || !strings.HasPrefix(loc, e.merchant.srv.URL+"/error?") {
				t.Fatalf("Location %q", loc)
			}
			q := u.Query()
			if q.Get("Error") != tt.code || q.Get("ErrorText") != tt.code+" - "+codeText[tt.code][0] {
				t.Errorf("Error=%q ErrorText=%q, want %s", q.Get("Error"), q.Get("ErrorText"), tt.code)
			}
			if q.Get("trackid") != tt.p.get("trackid") || q.Get("paymentid") != "" {
				t.Errorf("trackid=%q paymentid=%q", q.Get("trackid"), q.Get("paymentid"))
			}
			if strings.Contains(loc, SandboxTranportalPassword) || strings.Contains(loc, SandboxResourceKey) {
				t.Errorf("secret in Location %q", loc)
			}
		})
	}
}

func TestPaymentInitAcceptedValues(t *testing.T) {
	e := newEnv(t, nil)
	for name, p := range map[string]params{
		"amount without decimals": e.defaultParams().with("amt", "6"),
		"amount 1 decimal":        e.defaultParams().with("amt", "6.5"),
		"40-char trackid":         e.defaultParams().with("trackid", strings.Repeat("B", 40)),
		"underscore trackid":      e.defaultParams().with("trackid", "att_01"),
		"udf5 ptlf 50":            e.defaultParams().with("udf5", "ptlf "+strings.Repeat("x", 45)),
		"arabic udf":              e.defaultParams().with("udf2", "طلب رقم ١"),
		"https urls":              e.defaultParams().with("responseURL", "https://shop.example/webhooks/knet").with("errorURL", "https://shop.example/return/knet/att1"),
	} {
		t.Run(name, func(t *testing.T) { e.start(p) })
	}
}

func TestPaymentInitDuplicateTrackID(t *testing.T) {
	e := newEnv(t, nil)
	p := e.defaultParams()
	e.start(p)
	status, _, hdr := e.do(http.MethodGet, e.initPath(p.with("amt", "7.000")), nil, "")
	u, _ := url.Parse(hdr.Get("Location"))
	if status != http.StatusFound || u.Query().Get("Error") != errDuplicate || u.Query().Get("ErrorText") != "IPAY0100114 - Duplicate Record" {
		t.Fatalf("status %d, Location %q", status, hdr.Get("Location"))
	}
	if u.Query().Get("amt") != "7.000" || u.Query().Get("trackid") != p.get("trackid") {
		t.Errorf("Location %q", hdr.Get("Location"))
	}
}
