package e2e

import (
	"testing"
	"time"

	"github.com/playwright-community/playwright-go"

	"github.com/bawaba/checkout/checkouttest"
)

// The QA kit (checkouttest) does what it says on every simulator: each PayWith… helper, with
// each outcome it offers, leads to the result page and API status it promises. Servers are
// shared per gateway configuration to keep the run short.
func TestQAKit(t *testing.T) {
	type flow struct {
		method   string
		currency string
		pay      func(page playwright.Page, srv *checkouttest.Server, o checkouttest.Outcome) error
		outcome  checkouttest.Outcome
		want     string // the order's API status afterwards
	}
	knet := func(p playwright.Page, _ *checkouttest.Server, o checkouttest.Outcome) error {
		return checkouttest.PayWithKNET(p, o)
	}
	qr := func(p playwright.Page, s *checkouttest.Server, o checkouttest.Outcome) error {
		return checkouttest.PayWithQR(p, s.BaseURL, o)
	}
	wrap := func(f func(playwright.Page, checkouttest.Outcome) error) func(playwright.Page, *checkouttest.Server, checkouttest.Outcome) error {
		return func(p playwright.Page, _ *checkouttest.Server, o checkouttest.Outcome) error { return f(p, o) }
	}
	configs := []struct {
		name  string
		env   []string
		flows []flow
	}{
		{"sandbox", nil, []flow{
			{"knet", "KWD", knet, checkouttest.Paid, "paid"},
			{"knet", "KWD", knet, checkouttest.Declined, "open"},
			{"knet", "KWD", knet, checkouttest.Cancelled, "open"},
			{"knet", "KWD", knet, checkouttest.Pending, "processing"},
			{"click", "KWD", wrap(checkouttest.PayWithClick), checkouttest.Paid, "paid"},
			{"click", "KWD", wrap(checkouttest.PayWithClick), checkouttest.Cancelled, "open"},
			{"card", "IQD", wrap(checkouttest.PayWithAlqaseh), checkouttest.Paid, "paid"},
			{"card", "IQD", wrap(checkouttest.PayWithAlqaseh), checkouttest.Declined, "open"},
			{"card", "IQD", wrap(checkouttest.PayWithAlqaseh), checkouttest.Cancelled, "open"},
			{"card", "IQD", wrap(checkouttest.PayWithAlqaseh), checkouttest.Pending, "processing"},
			{"card", "THB", wrap(checkouttest.PayWithKPayCard), checkouttest.Paid, "paid"},
			{"card", "THB", wrap(checkouttest.PayWithKPayCard), checkouttest.Declined, "open"},
			{"card", "THB", wrap(checkouttest.PayWithKPay3DS), checkouttest.Paid, "paid"},
			{"card", "THB", wrap(checkouttest.PayWithKPay3DS), checkouttest.Cancelled, "open"},
			{"thaiqr", "THB", qr, checkouttest.Paid, "paid"},
			{"unionpay", "THB", wrap(checkouttest.PayWithUnionPay), checkouttest.Paid, "paid"},
			{"unionpay", "THB", wrap(checkouttest.PayWithUnionPay), checkouttest.Declined, "open"},
			{"unionpay", "THB", wrap(checkouttest.PayWithUnionPay), checkouttest.Cancelled, "open"},
			{"alipay", "THB", wrap(checkouttest.PayWithAlipay), checkouttest.Paid, "paid"},
			{"alipay", "THB", wrap(checkouttest.PayWithAlipay), checkouttest.Cancelled, "open"},
		}},
		{"adyen", []string{"CHECKOUT_KNET_GATEWAY=adyen"}, []flow{
			{"knet", "KWD", knet, checkouttest.Paid, "paid"},
			{"knet", "KWD", knet, checkouttest.Pending, ""}, // pending on the page; the webhook pays it later
		}},
		{"knet-direct", []string{"CHECKOUT_KNET_GATEWAY=knet"}, []flow{
			{"knet", "KWD", knet, checkouttest.Paid, "paid"},
			{"knet", "KWD", knet, checkouttest.Cancelled, "open"},
		}},
	}
	amounts := map[string]string{"KWD": "6.000", "THB": "590.00", "IQD": "25000"}
	for _, cfg := range configs {
		t.Run(cfg.name, func(t *testing.T) {
			srv := checkouttest.Start(t, checkouttest.Binary(binaryPath), checkouttest.Env(cfg.env...))
			serverLogs.add(&server{srv}, srv.Env)
			hooks := checkouttest.NewWebhooks(t, srv.WebhookSecret)
			for _, f := range cfg.flows {
				t.Run(f.method+"-"+f.currency+"-"+f.outcome.String(), func(t *testing.T) {
					o := srv.CreateOrder(t, orderFor(f.currency, amounts[f.currency], hooks.URL))
					page := newPage(t, "en")
					must(t, checkouttest.GoToGateway(page, o.CheckoutURL, f.method, "en"))
					must(t, f.pay(page, srv, f.outcome))
					if f.want != "" {
						if got := srv.Order(t, o.ID).Status; got != f.want {
							t.Errorf("API status %q, want %q", got, f.want)
						}
					}
					if f.want == "paid" {
						ev := hooks.Wait(t, o.ID, "order.paid", 20*time.Second)
						if ev.Order["status"] != "paid" {
							t.Errorf("order.paid webhook carries status %v", ev.Order["status"])
						}
					}
				})
			}
		})
	}
}

func orderFor(currency, amount, hook string) map[string]any {
	switch currency {
	case "THB":
		return checkouttest.THB(amount, hook)
	case "IQD":
		return checkouttest.IQD(amount, hook)
	}
	return checkouttest.KWD(amount, hook)
}
