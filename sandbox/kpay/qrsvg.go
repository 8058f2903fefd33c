package kpay

import (
	"crypto/sha256"
	"html/template"
	"strconv"
	"strings"
)

// qrSVG draws a QR-like picture for id: the three finder patterns, the
// timing lines and modules derived from a hash of id. It is not a scannable
// code; in the sandbox the QR simulator does the "scanning".
func qrSVG(id, label string) template.HTML {
	const n, quiet = 25, 2
	dark := func(x, y int) (bool, bool) { // (is dark, is part of a fixed pattern)
		for _, f := range [][2]int{{0, 0}, {n - 7, 0}, {0, n - 7}} {
			dx, dy := x-f[0], y-f[1]
			if dx >= -1 && dx <= 7 && dy >= -1 && dy <= 7 {
				if dx < 0 || dy < 0 || dx > 6 || dy > 6 {
					return false, true // separator
				}
				ring := dx == 0 || dy == 0 || dx == 6 || dy == 6
				core := dx >= 2 && dx <= 4 && dy >= 2 && dy <= 4
				return ring || core, true
			}
		}
		if x == 6 || y == 6 {
			return (x+y)%2 == 0, true
		}
		return false, false
	}
	bits := []byte{}
	seed := []byte(id)
	for len(bits) < n*n/8+1 {
		sum := sha256.Sum256(seed)
		bits = append(bits, sum[:]...)
		seed = sum[:]
	}
	var path strings.Builder
	i := 0
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			on, fixed := dark(x, y)
			if !fixed {
				on = bits[i/8]>>(i%8)&1 == 1
				i++
			}
			if on {
				path.WriteString("M" + strconv.Itoa(x+quiet) + " " + strconv.Itoa(y+quiet) + "h1v1h-1z")
			}
		}
	}
	size := strconv.Itoa(n + 2*quiet)
	return template.HTML(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ` + size + ` ` + size +
		`" role="img" aria-label="` + template.HTMLEscapeString(label) + `" shape-rendering="crispEdges">` +
		`<rect width="100%" height="100%" fill="#fff"/><path fill="#000" d="` + path.String() + `"/></svg>`)
}
