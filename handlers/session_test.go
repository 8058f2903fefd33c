package handlers_test

import (
	"net/http"
	"testing"
)

// TestSessionCookieWrittenOnlyWhenItChanges: a view that changes nothing in the session sends
// no Set-Cookie; choosing a language (or a form's CSRF token) does.
func TestSessionCookieWrittenOnlyWhenItChanges(t *testing.T) {
	e := newEnv(t)
	o := e.createOrder("sess-1")
	b := e.browser()
	for _, step := range []struct {
		name, url  string
		wantCookie bool
	}{
		{"first view, nothing to remember", "/pay/" + o.ID, false},
		{"language chosen", "/pay/" + o.ID + "?lang=ar", true},
		{"same language again", "/pay/" + o.ID + "?lang=ar", false},
		{"reload", "/pay/" + o.ID, false},
		{"other language", "/pay/" + o.ID + "?lang=en", true},
		{"confirm page creates the CSRF token", "/pay/" + o.ID + "/confirm?method=knet", true},
		{"confirm page again", "/pay/" + o.ID + "/confirm?method=knet", false},
	} {
		res := e.get(b, e.base+step.url)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", step.name, res.StatusCode)
		}
		if got := len(res.Header.Values("Set-Cookie")) > 0; got != step.wantCookie {
			t.Errorf("%s: Set-Cookie sent = %v, want %v", step.name, got, step.wantCookie)
		}
	}
}
