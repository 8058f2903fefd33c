package tap

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/bawaba/checkout/sandbox/internal/simtest"
)

// The hosted KNET page in each state and language renders as its golden file.
func TestGoldenPages(t *testing.T) {
	e := newEnv(t, nil)
	for _, lang := range []string{"en", "ar"} {
		form := e.create(chargeBody("6", ""), nil)
		bad := e.create(chargeBody("6", ""), nil)
		done := e.create(chargeBody("6", ""), nil)
		vary := func(c map[string]any) map[string]string {
			tok := token(t, c)
			return map[string]string{tok: "CHG_TOKEN", strings.ReplaceAll(tok, "+", "&#43;"): "CHG_TOKEN", strings.NewReplacer("%2B", "%2b", "%2F", "%2f", "%3D", "%3d").Replace(url.QueryEscape(tok)): "CHG_TOKEN", str(c, "id"): "CHG_ID"}
		}
		_, page, _ := e.do(http.MethodGet, e.pagePath(form)+"&lang="+lang, nil, nil)
		simtest.Golden(t, "form."+lang, string(page), vary(form))

		f := submitForm(token(t, bad), "12", "", "2030")
		f.Set("lang", lang)
		f.Set("pin", "1")
		f.Set("bank", "")
		_, page, _ = e.pay(f)
		simtest.Golden(t, "errors."+lang, string(page), vary(bad))

		if status, _, _ := e.pay(submitForm(token(t, done), "8888880000000001", "09", "2030")); status != http.StatusSeeOther {
			t.Fatalf("pay: %d", status)
		}
		_, page, _ = e.do(http.MethodGet, e.pagePath(done)+"&lang="+lang, nil, nil)
		simtest.Golden(t, "result."+lang, string(page), vary(done))

		_, page, _ = e.do(http.MethodGet, testBase+"/knet/pay?chg=nope&lang="+lang, nil, nil)
		simtest.Golden(t, "not-found."+lang, string(page), nil)
	}
}

// The page names the merchant from the charge's statement_descriptor, else the account's name;
// never from the description, which says what is bought.
func TestPageMerchant(t *testing.T) {
	for _, tt := range []struct {
		name, account, descriptor, want string
	}{
		{"descriptor", "Bawaba Demo Shop", `"Bawaba Shop"`, "Bawaba Shop"},
		{"account name", "Bawaba Demo Shop", "", "Bawaba Demo Shop"},
		{"default account name", "", "", "Sandbox merchant"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, func(c *Config) { c.MerchantName = tt.account })
			body := chargeBody("1.500", "")
			if tt.descriptor == "" {
				body = strings.Replace(body, `"statement_descriptor":"Bawaba Shop",`, "", 1)
			} else {
				body = strings.Replace(body, `"Bawaba Shop"`, tt.descriptor, 1)
			}
			status, page, _ := e.do(http.MethodGet, e.pagePath(e.create(body, nil)), nil, nil)
			if status != http.StatusOK {
				t.Fatalf("page: %d", status)
			}
			if want := "<dd>" + tt.want + "</dd>"; !strings.Contains(string(page), want) {
				t.Errorf("the page does not show %s as the merchant", want)
			}
			if strings.Contains(string(page), "<dd>Order 1001</dd>") {
				t.Error("the page shows the description as the merchant")
			}
		})
	}
}
