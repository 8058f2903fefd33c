package handlers_test

import (
	"net/http"
	"regexp"
	"testing"
)

// TestCompression: pages and assets go brotli or gzip, as the client accepts, and plain to a
// client that accepts neither.
func TestCompression(t *testing.T) {
	e := newEnv(t)
	o := e.createOrder("gz-1")
	c := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	page := e.do(c, "GET", e.base+"/pay/"+o.ID, nil, "")
	css := regexp.MustCompile(`/assets/app\.[0-9a-f]+\.css`).FindString(page.text())
	if css == "" {
		t.Fatal("no stylesheet on the pay page")
	}
	for _, tc := range []struct{ path, accept, want string }{
		{"/pay/" + o.ID, "gzip, deflate, br", "br"},
		{"/pay/" + o.ID, "gzip", "gzip"},
		{"/pay/" + o.ID, "", ""},
		{css, "br, gzip", "br"},
		{css, "gzip", "gzip"},
		{css, "br;q=0, gzip", "gzip"},
		{css, "", ""},
	} {
		res := e.do(c, "GET", e.base+tc.path, map[string]string{"Accept-Encoding": tc.accept}, "")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", tc.path, res.StatusCode)
		}
		if got := res.Header.Get("Content-Encoding"); got != tc.want {
			t.Errorf("%s with Accept-Encoding %q: Content-Encoding %q, want %q", tc.path, tc.accept, got, tc.want)
		}
	}
}
