package handlers

import (
	"encoding/xml"
	"strings"
	"testing"

	"github.com/bawaba/checkout/assets"
	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/i18n"
)

// Every method has its own mark: a local SVG with a text alternative (role="img", an
// aria-label and a <title> that agree), the same 48×32 tile as the others, and its words drawn
// as outlines rather than <text>, so it looks the same whatever fonts the phone has.
func TestMethodMarks(t *testing.T) {
	seen := map[string]string{}
	for _, id := range gateway.AllMethods {
		t.Run(id, func(t *testing.T) {
			m := methodOption(i18n.Lang("en"), id)
			if m.Logo == "" {
				t.Fatalf("no assets/static/%s.svg", id)
			}
			a, ok := assets.Lookup(strings.TrimPrefix(m.Logo, "/assets/"))
			if !ok {
				t.Fatalf("%s is not served", m.Logo)
			}
			var mark struct {
				XMLName xml.Name
				ViewBox string `xml:"viewBox,attr"`
				Role    string `xml:"role,attr"`
				Label   string `xml:"aria-label,attr"`
				Title   string `xml:"title"`
				Texts   []struct {
					XMLName xml.Name
				} `xml:"text"`
			}
			if err := xml.Unmarshal(a.Body, &mark); err != nil {
				t.Fatalf("%s: %v", m.Logo, err)
			}
			if mark.XMLName.Local != "svg" || mark.ViewBox != "0 0 48 32" || mark.Role != "img" {
				t.Errorf("root <%s viewBox=%q role=%q>, want <svg viewBox=\"0 0 48 32\" role=\"img\">", mark.XMLName.Local, mark.ViewBox, mark.Role)
			}
			if mark.Title == "" || mark.Label != mark.Title {
				t.Errorf("title %q, aria-label %q: want the same non-empty text alternative", mark.Title, mark.Label)
			}
			if strings.Contains(string(a.Body), "<text") {
				t.Errorf("the mark uses <text>: draw its words as paths")
			}
			if other, dup := seen[string(a.Body)]; dup {
				t.Errorf("same mark as %s", other)
			}
			seen[string(a.Body)] = id
		})
	}
}
