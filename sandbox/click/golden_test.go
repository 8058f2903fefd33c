package click

import (
	"net/url"
	"regexp"
	"testing"

	"github.com/bawaba/checkout/sandbox/internal/simtest"
)

var generatedIDs = regexp.MustCompile(`(data-testid="click-(?:payment|transaction|ref)-id">)[^<]*`)

// Click's pages (methods, confirmation, K-Net form and its errors, card form, result), in each
// language, render as their golden files.
func TestGoldenPages(t *testing.T) {
	e := newEnv(t, nil)
	for i, lang := range []string{"en", "ar"} {
		vary := map[string]string{}
		golden := func(name, sid, path string) {
			t.Helper()
			r := e.get(gw(sid) + path)
			// The result's ids are random digits.
			page := generatedIDs.ReplaceAllString(string(r.body), "${1}GENERATED")
			vary[sid] = "SESSION_ID"
			simtest.Golden(t, name+"."+lang, page, vary)
		}
		sid, _ := e.session(100+10*i, "6.500", lang)
		golden("methods", sid, "?lang="+lang)
		golden("confirm", sid, "/confirm?method="+methodKNET+"&lang="+lang)
		e.pay(sid, methodKNET)
		golden("knet", sid, "/knet?lang="+lang)
		f := knetValues("12", "", "2030")
		f.Set("bank", "")
		f.Set("pin", "1")
		f.Set("lang", lang)
		r := e.post(gw(sid)+"/knet", f)
		simtest.Golden(t, "knet-errors."+lang, string(r.body), map[string]string{sid: "SESSION_ID"})

		card, _ := e.session(101+10*i, "6.500", lang)
		e.pay(card, methodCard)
		golden("card", card, "/card?lang="+lang)

		done, ind := e.session(102+10*i, "6.500", lang)
		vary[ind] = "INDICATOR"
		loc, err := url.Parse(e.finishKNET(done, knetValues("8888880000000001", "09", "2030")))
		if err != nil {
			t.Fatal(err)
		}
		golden("result", done, "/result?"+loc.RawQuery)
	}
}
