package handlers

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	qrcode "github.com/skip2/go-qrcode"
)

// linkQR is GET /l/{id}/qr.svg: the link's URL as a QR code, for printing or sharing. The code
// is made by skip2/go-qrcode (medium error correction, its 4-module quiet zone); this only draws
// its module matrix as SVG, one square per dark module, merged along rows.
func linkQR(d Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		l, err := d.Orders.Link(c.UserContext(), c.Params("id"))
		if err != nil {
			return linkPageError(d, c, "", err)
		}
		svg, err := qrSVG(d.Orders.LinkURL(l.ID))
		if err != nil {
			return err
		}
		// A link's URL never changes, so neither does its code.
		c.Set(fiber.HeaderCacheControl, "public, max-age=86400")
		c.Set(fiber.HeaderContentType, "image/svg+xml")
		c.Set(fiber.HeaderContentSecurityPolicy, "default-src 'none'")
		return c.SendString(svg)
	}
}

// qrSVG draws text's QR code as SVG: a white square with black modules, one unit per module.
func qrSVG(text string) (string, error) {
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return "", err
	}
	bits := q.Bitmap()
	n := strconv.Itoa(len(bits))
	var b strings.Builder
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ` + n + ` ` + n + `" width="` +
		strconv.Itoa(len(bits)*8) + `" height="` + strconv.Itoa(len(bits)*8) + `" shape-rendering="crispEdges" role="img">`)
	b.WriteString(`<title>QR</title><rect width="` + n + `" height="` + n + `" fill="#fff"/><path fill="#000" d="`)
	for y, row := range bits {
		for x := 0; x < len(row); x++ {
			if !row[x] {
				continue
			}
			w := 1
			for x+w < len(row) && row[x+w] {
				w++
			}
			b.WriteString("M" + strconv.Itoa(x) + " " + strconv.Itoa(y) + "h" + strconv.Itoa(w) + "v1h-" + strconv.Itoa(w) + "z")
			x += w - 1
		}
	}
	b.WriteString(`"/></svg>`)
	return b.String(), nil
}
