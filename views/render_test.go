package views_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/a-h/templ"

	"github.com/bawaba/checkout/i18n"
	"github.com/bawaba/checkout/views"
)

func render(t *testing.T, c templ.Component) string {
	t.Helper()
	var b bytes.Buffer
	if err := c.Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func page(l i18n.Lang) views.Page {
	return views.Page{Lang: l, Title: "T", Merchant: "Shop <&>", SwitchURL: "/pay/ord_1?lang=" + string(l.Other()), CSS: "/assets/app.00000000.css", JS: "/assets/app.00000000.js"}
}

func TestLayoutLangDir(t *testing.T) {
	t.Parallel()
	sum := views.Summary{OrderID: "ord_1", Total: "KD 6.000"}
	methods := []views.Method{{ID: "knet", Label: "KNET", Logo: "/assets/knet.00000000.svg"}}
	for l, want := range map[i18n.Lang]string{i18n.AR: `<html lang="ar" dir="rtl">`, i18n.EN: `<html lang="en" dir="ltr">`} {
		out := render(t, views.PayPage(page(l), sum, methods, "", "", "/pay/ord_1/confirm"))
		for _, s := range []string{want, `data-testid="lang-switch"`, `hreflang="` + string(l.Other()) + `"`,
			`<label class="method" for="method-knet">`, `name="method" id="method-knet" value="knet" data-testid="method-knet" checked`,
			`Shop &lt;&amp;&gt;`, `data-testid="order-total"`} {
			if !strings.Contains(out, s) {
				t.Errorf("%s: PayPage lacks %q", l, s)
			}
		}
		if strings.Contains(out, "Shop <&>") {
			t.Errorf("%s: the merchant name is not escaped", l)
		}
	}
}

func TestResultPageStatusHook(t *testing.T) {
	t.Parallel()
	for _, st := range []string{"paid", "failed", "cancelled", "pending", "expired", "refunded"} {
		r := views.Result{Status: st, Headline: i18n.EN.T("result." + st + ".title"), PrimaryURL: "https://shop.example/?a=1&b=2", PrimaryTxt: "Back"}
		out := render(t, views.ResultPage(page(i18n.EN), views.Summary{Total: "KD 1.000"}, r))
		if !strings.Contains(out, `data-testid="order-status" data-status="`+st+`"`) {
			t.Errorf("%s: no order-status hook", st)
		}
		if !strings.Contains(out, `href="https://shop.example/?a=1&amp;b=2" data-testid="result-primary"`) {
			t.Errorf("%s: primary link not rendered as expected", st)
		}
	}
	// A javascript: URL is never rendered as a link target.
	out := render(t, views.ResultPage(page(i18n.EN), views.Summary{}, views.Result{Status: "failed", PrimaryURL: "javascript:alert(1)", PrimaryTxt: "x"}))
	if strings.Contains(out, "javascript:alert") {
		t.Error("a javascript: URL reached the page")
	}
}
