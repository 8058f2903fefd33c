package views_test

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/a-h/templ"

	"github.com/bawaba/checkout/i18n"
	"github.com/bawaba/checkout/views"
)

var update = flag.Bool("update", false, "rewrite the golden HTML files in testdata/golden")

// goldenPages are the shopper pages with fixed data, in one language. Texts come from the
// catalog, so a change of wording shows in the golden files too.
func goldenPages(l i18n.Lang) map[string]templ.Component {
	p := page(l)
	p.Title = l.T("pay.title")
	sum := views.Summary{OrderID: "ord_golden1", Reference: "INV-1001", Description: "Coffee beans",
		Items: []views.Line{{Name: "Beans 1kg", Quantity: "2", Total: "KD 5.000"}, {Name: "Delivery", Quantity: "1", Total: "KD 1.000"}},
		Total: "KD 6.000", TimeLeft: l.T("time.minutes_left.other", "n", "28")}
	knet := views.Method{ID: "knet", Label: l.T("method.knet"), Logo: "/assets/knet.00000000.svg"}
	card := views.Method{ID: "card", Label: l.T("method.card"), Logo: "/assets/card.00000000.svg"}
	embed := views.Embed{ScriptURL: "https://kpay.example/ui/v2/kpayment.min.js",
		Attrs: templ.Attributes{"data-apikey": "pkey_test_1", "data-amount": "6.00", "data-currency": "THB"}}
	sentence := func(m views.Method) string {
		return l.T("confirm.sentence", "amount", "KD 6.000", "merchant", p.Merchant, "method", m.Label)
	}
	receipt := []views.Row{{Label: l.T("receipt.amount"), Value: "KD 6.000", Mono: true}, {Label: l.T("receipt.method"), Value: knet.Label}}
	return map[string]templ.Component{
		"pay":       views.PayPage(p, sum, []views.Method{knet, card}, "knet", "", "/pay/ord_golden1/confirm"),
		"pay-error": views.PayPage(p, sum, []views.Method{knet}, "", l.T("pay.error_method"), "/pay/ord_golden1/confirm"),
		"confirm":   views.ConfirmPage(p, sum, knet, sentence(knet), "tok_csrf", "/pay/ord_golden1/confirm", "/pay/ord_golden1"),
		"embed-card": views.EmbedPage(p, sum, card, sentence(card), "tok_csrf", "/pay/ord_golden1/attempt/att_1", embed, false,
			"/pay/ord_golden1/result", "/pay/ord_golden1?method=card"),
		"embed": views.EmbedPage(p, sum, card, sentence(card), "tok_csrf", "/pay/ord_golden1/attempt/att_1", embed, true,
			"/pay/ord_golden1/result", "/pay/ord_golden1"),
		"post-form": views.PostFormPage(p, "https://gateway.example/pay", [][2]string{{"PaymentID", "100"}, {"lang", string(l)}}),
		"result-paid": views.ResultPage(p, sum, views.Result{Status: "paid", Headline: l.T("result.paid.title"), Receipt: receipt,
			PrimaryURL: "https://shop.example/back?order_id=ord_golden1", PrimaryTxt: l.T("result.back_to_shop"), AutoReturn: 10, Printable: true}),
		"result-failed": views.ResultPage(p, sum, views.Result{Status: "failed", Headline: l.T("result.failed.title"),
			PrimaryURL: "/pay/ord_golden1", PrimaryTxt: l.T("result.try_another"), SecondaryURL: "https://shop.example/cancel", SecondaryTxt: l.T("result.back_to_shop")}),
		"result-pending": func() templ.Component {
			pp := p
			pp.Refresh = 5
			return views.ResultPage(pp, sum, views.Result{Status: "pending", Headline: l.T("result.pending.title"), PollURL: "/pay/ord_golden1/status"})
		}(),
		"error-404":   views.ErrorPage(p, 404, l.T("error.not_found.title"), l.T("error.not_found.message"), "", ""),
		"demo":        views.DemoPage(p, []views.DemoProduct{{ID: "coffee", Name: "Coffee", Price: "KD 6.000"}}, "tok_csrf", "/demo/orders"),
		"demo-return": views.DemoReturnPage(p, true, "paid", "ord_golden1"),
	}
}

// Every shopper page, in Arabic (rtl) and English (ltr), renders exactly as its golden file
// in testdata/golden. After an intended change, rerun with -update and review the diff:
//
//	go test ./views/ -run TestGoldenPages -update
func TestGoldenPages(t *testing.T) {
	t.Parallel()
	for _, l := range []i18n.Lang{i18n.AR, i18n.EN} {
		for name, c := range goldenPages(l) {
			t.Run(name+"."+string(l), func(t *testing.T) {
				t.Parallel()
				// One tag per line, so that a change reads as a small diff in review.
				got := strings.ReplaceAll(render(t, c), "><", ">\n<")
				file := filepath.Join("testdata", "golden", name+"."+string(l)+".html")
				if *update {
					if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(file)
				if err != nil {
					t.Fatalf("%v (run with -update to create it)", err)
				}
				if got != string(want) {
					t.Errorf("%s differs from %s (run with -update after an intended change):\n%s", name, file, firstDiff(string(want), got))
				}
			})
		}
	}
}

// firstDiff shows where two renderings part, with some context.
func firstDiff(want, got string) string {
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	from := max(0, i-80)
	return "want …" + want[from:min(len(want), i+80)] + "…\ngot  …" + got[from:min(len(got), i+80)] + "…"
}
