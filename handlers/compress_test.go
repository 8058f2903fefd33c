package handlers_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"regexp"
	"testing"

	"github.com/andybalholm/brotli"
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
	// The pay page is kept compressed once (handlers' keep): a first view and a reload decode,
	// once, to the page a client without compression gets.
	for _, enc := range []string{"br", "gzip", "br", "gzip"} {
		res := e.do(c, "GET", e.base+"/pay/"+o.ID, map[string]string{"Accept-Encoding": enc}, "")
		if got := res.Header.Get("Content-Encoding"); got != enc {
			t.Fatalf("Accept-Encoding %s: Content-Encoding %q", enc, got)
		}
		var r io.Reader = bytes.NewReader(res.body)
		if enc == "br" {
			r = brotli.NewReader(r)
		} else {
			zr, err := gzip.NewReader(r)
			if err != nil {
				t.Fatal(err)
			}
			r = zr
		}
		body, err := io.ReadAll(r)
		if err != nil {
			t.Fatalf("%s: %v", enc, err)
		}
		if string(body) != page.text() {
			t.Errorf("%s: the page decodes to %d bytes, not the %d-byte page", enc, len(body), len(page.body))
		}
	}
}
