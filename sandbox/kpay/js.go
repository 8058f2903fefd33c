package kpay

import (
	"embed"
	"net/http"
)

// static holds the Embedded UI's browser files (spec §2): the K-Pay script
// (readable, not minified, whatever its name says), its style sheet and the
// small script of the K-Payment form inside the iframe.
//
//go:embed static/kpayment.min.js static/kpayment.css static/frame.js
var static embed.FS

// serveStatic serves one embedded file. The script and style sheet are
// loaded cross-origin by merchant pages, so they allow any origin to read them.
func (s *Simulator) serveStatic(name, contentType string) http.HandlerFunc {
	body, err := static.ReadFile("static/" + name)
	if err != nil {
		panic("kpay: missing embedded file " + name)
	}
	return func(w http.ResponseWriter, _ *http.Request) {
		h := w.Header()
		h.Set("Content-Type", contentType)
		h.Set("Cache-Control", "no-cache")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Access-Control-Allow-Origin", "*")
		h.Set("Cross-Origin-Resource-Policy", "cross-origin")
		_, _ = w.Write(body)
	}
}
