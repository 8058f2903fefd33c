package adyen

import (
	"net/http"
	"strings"
	"testing"

	"github.com/bawaba/checkout/sandbox/internal/simtest"
)

// The hosted KNET page in each state and language renders as its golden file.
func TestGoldenPages(t *testing.T) {
	e := newEnv(t, nil, nil)
	for _, lang := range []string{"en", "ar"} {
		form, bad, done := e.create("en-US", ""), e.create("en-US", ""), e.create("en-US", "")
		vary := func(m map[string]any) map[string]string {
			return map[string]string{tokenOf(t, m): "REDIRECT_DATA", str(m, "pspReference"): "PSP_REF", e.srv.URL: "SRV"}
		}
		_, page := e.page(tokenOf(t, form), lang)
		simtest.Golden(t, "form."+lang, page, vary(form))

		f := submitForm(tokenOf(t, bad), "12", "", "2030")
		f.Set("lang", lang)
		f.Set("pin", "1")
		f.Set("bank", "")
		_, b, _ := e.submit(f)
		simtest.Golden(t, "errors."+lang, string(b), vary(bad))

		status, b, hdr := e.submit(submitForm(tokenOf(t, done), "8888880000000001", "09", "2030"))
		if status != http.StatusSeeOther {
			t.Fatalf("pay: %d %s", status, b)
		}
		_, page = e.page(tokenOf(t, done), lang)
		vd := vary(done)
		_, rr, _ := strings.Cut(hdr.Get("Location"), "redirectResult=")
		vd[rr] = "REDIRECT_RESULT"
		simtest.Golden(t, "result."+lang, page, vd)

		_, page = e.page("nope", lang)
		simtest.Golden(t, "not-found."+lang, page, nil)
	}
}
