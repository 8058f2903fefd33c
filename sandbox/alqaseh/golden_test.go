package alqaseh

import (
	"net/http"
	"testing"

	"github.com/bawaba/checkout/sandbox/internal/simtest"
)

// Al-Qaseh's card page, its errors, a result and an unknown token, in each language, render as
// their golden files.
func TestGoldenPages(t *testing.T) {
	e := newEnv(t, nil)
	for i, lang := range []string{"en", "ar"} {
		q := "?lang=" + lang
		vary := map[string]string{}
		create := func(n int) string {
			id, token := e.create(createBody("ord_g"+lang+string(rune('0'+n)), "", ""))
			vary[id], vary[token] = "PAYMENT_ID", "TOKEN"
			return token
		}
		form := create(3 * i)
		_, page := e.page(form, q, nil)
		simtest.Golden(t, "form."+lang, page, vary)

		bad := create(3*i + 1)
		f := cardForm("12", "13-20", "1")
		f.Set("lang", lang)
		_, page, _ = e.pay(bad, f)
		simtest.Golden(t, "errors."+lang, page, vary)

		done := create(3*i + 2)
		if status, body, _ := e.pay(done, cardForm("4111111111111111", "12-2030", "123")); status != http.StatusFound {
			t.Fatalf("pay: %d %s", status, body)
		}
		_, page = e.page(done, q, nil)
		simtest.Golden(t, "result."+lang, page, vary)

		_, page = e.page("nope", q, nil)
		simtest.Golden(t, "not-found."+lang, page, nil)
	}
}
