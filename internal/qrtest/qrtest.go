// Package qrtest decodes the QR codes the server draws (GET /l/{id}/qr.svg) for tests: it
// rasterizes the SVG's module squares and reads the picture with gozxing, a QR reader that
// shares nothing with the encoder, so a test proves the picture scans to the link.
package qrtest

import (
	"fmt"
	"image"
	"image/color"
	"regexp"
	"strconv"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

var (
	viewBoxRE = regexp.MustCompile(`viewBox="0 0 (\d+) (\d+)"`)
	runRE     = regexp.MustCompile(`M(\d+) (\d+)h(\d+)v1h-(\d+)z`)
)

// DecodeSVG reads the text of a QR code drawn as /l/{id}/qr.svg draws it.
func DecodeSVG(svg []byte) (string, error) {
	m := viewBoxRE.FindSubmatch(svg)
	if m == nil {
		return "", fmt.Errorf("qrtest: no viewBox")
	}
	n, _ := strconv.Atoi(string(m[1]))
	const scale = 6
	img := image.NewGray(image.Rect(0, 0, n*scale, n*scale))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	for _, r := range runRE.FindAllSubmatch(svg, -1) {
		x, _ := strconv.Atoi(string(r[1]))
		y, _ := strconv.Atoi(string(r[2]))
		w, _ := strconv.Atoi(string(r[3]))
		for py := y * scale; py < (y+1)*scale; py++ {
			for px := x * scale; px < (x+w)*scale; px++ {
				img.SetGray(px, py, color.Gray{})
			}
		}
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", err
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		return "", err
	}
	return res.GetText(), nil
}
