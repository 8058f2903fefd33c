package knet

import (
	"net/http"
	"testing"

	"github.com/bawaba/checkout/sandbox/internal/simtest"
)

// KNET's card page, its confirmation, an error and a finished payment, in each language,
// render as their golden files.
func TestGoldenPages(t *testing.T) {
	e := newEnv(t, nil)
	for _, lang := range []string{"en", "ar"} {
		vary := func(pid string) map[string]string {
			return map[string]string{pid: "PAYMENT_ID", e.merchant.srv.URL: "MERCHANT_SRV", e.srv.URL: "SRV"}
		}
		form := e.start(e.defaultParams())
		_, page, _ := e.do(http.MethodGet, e.pagePath(form)+"&lang="+lang, nil, "")
		simtest.Golden(t, "form."+lang, page, vary(form))

		bad := e.start(e.defaultParams())
		f := cardForm4(bad, "12", "", "2030", "1")
		f.Set("bank", "")
		f.Set("lang", lang)
		_, page, _ = e.post(f)
		simtest.Golden(t, "errors."+lang, page, vary(bad))

		confirm := e.start(e.defaultParams())
		e.submit(confirm, "8888880000000001", "09", "2030")
		_, page, _ = e.do(http.MethodGet, e.pagePath(confirm)+"&lang="+lang, nil, "")
		simtest.Golden(t, "confirm."+lang, page, vary(confirm))

		p := e.defaultParams()
		done, _, _, _ := e.pay(p, "8888880000000001", "09", "2030")
		e.merchant.next(t)
		_, page, _ = e.do(http.MethodGet, e.pagePath(done)+"&lang="+lang, nil, "")
		vd := vary(done)
		vd[p.get("trackid")] = "TRACK_ID"
		simtest.Golden(t, "result."+lang, page, vd)

		_, page, _ = e.do(http.MethodGet, testBase+"/kpg/paymentpage.htm?PaymentID=nope&lang="+lang, nil, "")
		simtest.Golden(t, "not-found."+lang, page, nil)
	}
}
