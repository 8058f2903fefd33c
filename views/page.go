// Package views holds the templ components of the shopper pages: the layout with lang/dir,
// the method selection, confirmation, result, error and sandbox demo pages.
package views

import (
	"context"
	"html"
	"io"

	"github.com/a-h/templ"

	"github.com/bawaba/checkout/i18n"
)

// Page is what every page's layout needs.
type Page struct {
	Lang      i18n.Lang
	Title     string
	Merchant  string
	Logo      string // URL of the merchant's logo; empty: the name alone
	SwitchURL string // this page in the other language
	Sandbox   bool
	BrandCSS  string // the merchant's brand colour stylesheet; empty: Bawaba's colours
	CSS       string // fingerprinted asset paths
	JS        string
	Icon      string
	// Indexable lets search engines index the page (the demo shop); every payment page carries
	// <meta name="robots" content="noindex">: an order's pages are nobody's search result.
	Indexable bool
	// Description is the page's <meta name="description">, when it has one.
	Description string
	// Refresh, when positive, reloads the page after that many seconds when JavaScript is off
	// (with JavaScript, app.js polls instead).
	Refresh int
}

// T translates in the page's language.
func (p Page) T(key string, args ...string) string { return p.Lang.T(key, args...) }

// Summary is the order as the shopper sees it.
type Summary struct {
	OrderID     string
	Reference   string
	Description string
	Items       []Line
	Total       string // formatted in the page's language
	TimeLeft    string // "28 minutes left"; empty when not shown
}

// Line is one item line.
type Line struct {
	Name     string
	Quantity string
	Total    string
}

// Method is one choice of the method radio group.
type Method struct {
	ID    string
	Label string
	Logo  string // asset path
}

// Row is one label/value line of a receipt.
type Row struct {
	Label string
	Value string
	Mono  bool // numbers and ids: shown left-to-right in a monospace-friendly style
}

// Result is what the result page shows.
type Result struct {
	Status   string // paid | failed | cancelled | pending | expired | refunded
	Headline string
	Message  string
	Receipt  []Row
	// Details are the receipt's internal ids (our order id, the gateway's payment, transaction
	// and track ids), behind a collapsed "details": support needs them, shoppers rarely do.
	Details    []Row
	PrimaryURL string // the main action: back to the shop, try again…
	PrimaryTxt string
	// SecondaryURL is a second, quieter way on (back to the shop from a failure).
	SecondaryURL string
	SecondaryTxt string
	// AutoReturn, when positive, sends the shopper to PrimaryURL after that many seconds, with
	// a visible countdown and a button to stay (JavaScript; without it the link is there).
	AutoReturn int
	PollURL    string // pending: JSON status endpoint for polite polling
	Printable  bool
}

// Embed is a gateway's script embedded inside our own form (K-Pay's button).
type Embed struct {
	ScriptURL string
	Attrs     templ.Attributes // the script tag's data-* attributes
}

// breakable writes s escaped, with <wbr> after each of its separators (see Breakable).
func breakable(s string) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		for i, part := range Breakable(s) {
			if i > 0 {
				if _, err := io.WriteString(w, "<wbr>"); err != nil {
					return err
				}
			}
			if _, err := io.WriteString(w, html.EscapeString(part)); err != nil {
				return err
			}
		}
		return nil
	})
}

// Breakable splits an id or reference after its separators (_ - / . :) so that a phone wraps
// it there (with <wbr>) rather than at any letter.
func Breakable(s string) []string {
	var parts []string
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '_', '-', '/', '.', ':':
			parts = append(parts, s[start:i+1])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}
