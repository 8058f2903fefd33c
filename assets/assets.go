// Package assets embeds the CSS, the little JavaScript there is and the SVG logos, and serves
// them under fingerprinted names so that browsers may cache them for a year.
package assets

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"path"
	"strings"

	"github.com/andybalholm/brotli"
)

//go:embed static
var files embed.FS

// Asset is one embedded file, with its text compressed once at start (gzip and brotli at their
// best levels, kept only when smaller): served as is to browsers that accept them.
type Asset struct {
	Body        []byte
	ContentType string
	Gzip        []byte // nil: not worth compressing
	Brotli      []byte
}

var (
	byHashed = map[string]Asset{}  // "app.1a2b3c4d.css" → file
	paths    = map[string]string{} // "app.css" → "/assets/app.1a2b3c4d.css"
)

func init() {
	err := fs.WalkDir(files, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "static/")
		sum := sha256.Sum256(body)
		ext := path.Ext(name)
		hashed := strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:4]) + ext
		a := Asset{Body: body, ContentType: contentType(ext)}
		if ext != ".png" && ext != ".woff2" {
			a.Gzip, a.Brotli = gzipped(body), brotlied(body)
		}
		byHashed[hashed] = a
		paths[name] = "/assets/" + hashed
		return nil
	})
	if err != nil {
		panic(err)
	}
}

func contentType(ext string) string {
	switch ext {
	case ".css":
		return "text/css; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	}
	return "application/octet-stream"
}

// Path returns the fingerprinted URL path of an embedded file such as "app.css", or "" when
// there is no such file.
func Path(name string) string { return paths[name] }

// Lookup returns the file served at a fingerprinted name (without "/assets/").
func Lookup(hashed string) (Asset, bool) {
	a, ok := byHashed[hashed]
	return a, ok
}

func gzipped(body []byte) []byte {
	var b bytes.Buffer
	w, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	w.Write(body)
	w.Close()
	if b.Len() >= len(body) {
		return nil
	}
	return b.Bytes()
}

func brotlied(body []byte) []byte {
	var b bytes.Buffer
	w := brotli.NewWriterLevel(&b, brotli.BestCompression)
	w.Write(body)
	w.Close()
	if b.Len() >= len(body) {
		return nil
	}
	return b.Bytes()
}
