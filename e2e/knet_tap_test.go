package e2e

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/playwright-community/playwright-go"

	"github.com/bawaba/checkout/checkouttest"
	_ "modernc.org/sqlite"
)

// The shopper's flows of KNET through Tap, against the sandbox simulator, in English and Arabic.

const webhookSecret = "whsec_e2e_test_secret"

var expect = playwright.NewPlaywrightAssertions(15000)

// receiver is a shop's webhook endpoint: it records every delivery.
type receiver struct {
	URL string
	mu  sync.Mutex
	got []delivery
}

type delivery struct {
	Signature string
	Body      []byte
}

func newReceiver(t *testing.T) *receiver {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := &receiver{URL: "http://" + ln.Addr().String() + "/hook"}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.got = append(r.got, delivery{Signature: req.Header.Get("Bawaba-Signature"), Body: body})
		r.mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return r
}

// events returns the deliveries of one event type.
func (r *receiver) events(typ string) []delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []delivery
	for _, d := range r.got {
		var ev struct{ Type string }
		if json.Unmarshal(d.Body, &ev) == nil && ev.Type == typ {
			out = append(out, d)
		}
	}
	return out
}

// verifySignature checks Bawaba-Signature as the README tells shops to.
func verifySignature(secret, header string, body []byte) bool {
	var ts, v1 string
	for _, part := range strings.Split(header, ",") {
		k, v, _ := strings.Cut(part, "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			v1 = v
		}
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "."))
	mac.Write(body)
	return ts != "" && hmac.Equal([]byte(hex.EncodeToString(mac.Sum(nil))), []byte(v1))
}

// shop starts a server whose workers run fast and whose webhooks are signed with webhookSecret.
func shop(t *testing.T) *server {
	return startServer(t, "CHECKOUT_TICK=200ms", "CHECKOUT_WEBHOOK_SECRET="+webhookSecret)
}

// settle returns once a webhook enqueued now has reached hook: the dispatcher sends due
// messages oldest first, one after the other, so every message enqueued before it (a
// duplicate, say) has been delivered by then. The webhook is the order.cancelled of a
// sentinel order, cancelled for the purpose.
func settle(t *testing.T, s *server, hook *receiver) {
	t.Helper()
	o := kwdOrder(t, s, map[string]any{"webhook_url": hook.URL, "reference": "e2e-sentinel-" + t.Name()})
	id := o["id"].(string)
	if code, body := s.do(t, "POST", "/api/v1/orders/"+id+"/cancel", s.APIKey, nil); code != http.StatusOK {
		t.Fatalf("cancel the sentinel order: %d %s", code, body)
	}
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		for _, d := range hook.events("order.cancelled") {
			if strings.Contains(string(d.Body), id) {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatal("the sentinel's order.cancelled never arrived")
		}
	}
}

func kwdOrder(t *testing.T, s *server, extra map[string]any) map[string]any {
	t.Helper()
	body := map[string]any{
		"amount": "6.000", "currency": "KWD", "reference": "e2e-" + t.Name(),
		"description": "Arabic coffee set",
		"items":       []map[string]any{{"name": "Dallah", "quantity": 2, "unit_amount": "3.000"}},
		"customer":    map[string]any{"name": "Fatima Al-Sabah", "email": "fatima@example.com"},
		"return_url":  s.BaseURL + "/demo/return",
	}
	for k, v := range extra {
		body[k] = v
	}
	return s.createOrder(t, body)
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func dirOf(lang string) string {
	if lang == "ar" {
		return "rtl"
	}
	return "ltr"
}

// checkPage asserts the page's language and direction, checks accessibility and saves a screenshot.
func checkPage(t *testing.T, page playwright.Page, lang, name string) {
	t.Helper()
	must(t, expect.Locator(page.Locator("html")).ToHaveAttribute("lang", lang))
	must(t, expect.Locator(page.Locator("html")).ToHaveAttribute("dir", dirOf(lang)))
	checkA11y(t, page, name+"-"+lang)
	screenshot(t, page, name+"-"+lang)
}

// toKNET goes from the checkout URL to the simulated KNET page, checking each page on the way.
func toKNET(t *testing.T, page playwright.Page, checkoutURL, lang string, shots bool) {
	t.Helper()
	_, err := page.Goto(checkoutURL + "?lang=" + lang)
	must(t, err)
	if shots {
		checkPage(t, page, lang, "pay")
	}
	must(t, page.Locator("[data-testid=method-knet]").Check())
	must(t, page.Locator("[data-testid=continue]").Click())
	must(t, expect.Locator(page.Locator("[data-testid=pay]")).ToBeVisible())
	if shots {
		checkPage(t, page, lang, "confirm")
	}
	must(t, page.Locator("[data-testid=pay]").Click())
	must(t, expect.Locator(page.Locator("[data-testid=knet-card]")).ToBeVisible())
	if shots {
		checkPage(t, page, lang, "tap-knet")
	}
}

// fillKNET fills the simulated KNET form with the test card and submits it (or cancels).
func fillKNET(t *testing.T, page playwright.Page, year string, cancel bool) {
	t.Helper()
	if cancel {
		must(t, page.Locator("[data-testid=knet-cancel]").Click())
		return
	}
	must(t, checkouttest.SubmitKNETCard(page, "knet", "knet1", checkouttest.KNETCard, year))
}

func status(t *testing.T, page playwright.Page, want string) {
	t.Helper()
	must(t, expect.Locator(page.Locator("[data-testid=order-status]")).ToHaveAttribute("data-status", want))
}

func apiOrder(t *testing.T, s *server, id string) map[string]any {
	t.Helper()
	code, body := s.do(t, "GET", "/api/v1/orders/"+id, s.APIKey, nil)
	if code != http.StatusOK {
		t.Fatalf("GET order %s: %d %s", id, code, body)
	}
	var o map[string]any
	must(t, json.Unmarshal(body, &o))
	return o
}

func attemptsOf(o map[string]any) []map[string]any {
	var out []map[string]any
	for _, a := range o["attempts"].([]any) {
		out = append(out, a.(map[string]any))
	}
	return out
}

func TestKNETViaTapPaid(t *testing.T) {
	for _, lang := range []string{"en", "ar"} {
		t.Run(lang, func(t *testing.T) {
			s := shop(t)
			hook := newReceiver(t)
			o := kwdOrder(t, s, map[string]any{"webhook_url": hook.URL})
			page := newPage(t, lang)
			toKNET(t, page, o["checkout_url"].(string), lang, true)
			fillKNET(t, page, "2030", false)

			status(t, page, "paid")
			checkPage(t, page, lang, "result-paid")
			receipt := page.Locator(".receipt")
			// The ids are in the collapsed details, for the shop's support.
			must(t, expect.Locator(page.Locator("[data-testid=receipt-details]")).Not().ToHaveAttribute("open", ""))
			must(t, page.Locator("[data-testid=receipt-details] summary").Click())
			for _, want := range []string{o["id"].(string), "chg_"} {
				must(t, expect.Locator(receipt).ToContainText(want))
			}
			if got := apiOrder(t, s, o["id"].(string))["status"]; got != "paid" {
				t.Fatalf("API status %v, want paid", got)
			}
			// The paid page returns to the shop by itself, with a signed link.
			must(t, expect.Locator(page.Locator("[data-testid=countdown]")).ToBeVisible())
			must(t, page.WaitForURL("**/demo/return?**", playwright.PageWaitForURLOptions{Timeout: playwright.Float(20000)}))
			must(t, expect.Locator(page.Locator("[data-testid=demo-return]")).ToHaveAttribute("data-verified", "true"))
			checkPage(t, page, lang, "demo-return")

			// The shop hears exactly once, and the signature verifies.
			deadline := time.Now().Add(15 * time.Second)
			for len(hook.events("order.paid")) == 0 && time.Now().Before(deadline) {
				time.Sleep(100 * time.Millisecond)
			}
			settle(t, s, hook) // a duplicate would have arrived by now
			paid := hook.events("order.paid")
			if len(paid) != 1 {
				t.Fatalf("order.paid deliveries = %d, want exactly 1", len(paid))
			}
			if !verifySignature(webhookSecret, paid[0].Signature, paid[0].Body) {
				t.Fatalf("Bawaba-Signature %q does not verify", paid[0].Signature)
			}
			if strings.Contains(string(paid[0].Body), "sk_test") {
				t.Fatal("webhook body leaks the gateway secret")
			}

			// Back after paying: the checkout shows the result, never a second payment.
			_, err := page.Goto(o["checkout_url"].(string))
			must(t, err)
			status(t, page, "paid")
			_, err = page.Goto(o["checkout_url"].(string) + "/confirm?method=knet")
			must(t, err)
			status(t, page, "paid")
			if n := len(attemptsOf(apiOrder(t, s, o["id"].(string)))); n != 1 {
				t.Fatalf("attempts = %d, want 1", n)
			}
		})
	}
}

func TestKNETViaTapDeclined(t *testing.T) {
	for _, lang := range []string{"en", "ar"} {
		t.Run(lang, func(t *testing.T) {
			s := shop(t)
			o := kwdOrder(t, s, nil)
			page := newPage(t, lang)
			toKNET(t, page, o["checkout_url"].(string), lang, false)
			fillKNET(t, page, "2029", false) // not the magic 09/30: NOT CAPTURED

			status(t, page, "failed")
			checkPage(t, page, lang, "result-failed")
			if got := apiOrder(t, s, o["id"].(string))["status"]; got != "open" {
				t.Fatalf("after a decline the order is %v, want open (it can be paid again)", got)
			}
			// "Try another method" leads back to the choice.
			must(t, page.Locator("[data-testid=result-primary]").Click())
			must(t, expect.Locator(page.Locator("[data-testid=method-knet]")).ToBeVisible())
		})
	}
}

func TestKNETViaTapCancelledThenPaid(t *testing.T) {
	for _, lang := range []string{"en", "ar"} {
		t.Run(lang, func(t *testing.T) {
			s := shop(t)
			o := kwdOrder(t, s, nil)
			page := newPage(t, lang)
			toKNET(t, page, o["checkout_url"].(string), lang, false)
			fillKNET(t, page, "", true)

			status(t, page, "cancelled")
			checkPage(t, page, lang, "result-cancelled")
			must(t, page.Locator("[data-testid=result-primary]").Click()) // choose again
			must(t, page.Locator("[data-testid=method-knet]").Check())
			must(t, page.Locator("[data-testid=continue]").Click())
			must(t, page.Locator("[data-testid=pay]").Click())
			fillKNET(t, page, "2030", false)
			status(t, page, "paid")

			atts := attemptsOf(apiOrder(t, s, o["id"].(string)))
			if len(atts) != 2 || atts[0]["status"] != "cancelled" || atts[1]["status"] != "paid" {
				t.Fatalf("attempts = %v, want cancelled then paid", atts)
			}
		})
	}
}

// A return that claims a payment the gateway does not confirm leaves the order unpaid; the
// shopper waits on the pending page, which refreshes itself.
func TestForgedReturnShowsPendingNotPaid(t *testing.T) {
	for _, lang := range []string{"en", "ar"} {
		t.Run(lang, func(t *testing.T) {
			s := shop(t)
			o := kwdOrder(t, s, nil)
			page := newPage(t, lang)
			toKNET(t, page, o["checkout_url"].(string), lang, false)
			att := attemptsOf(apiOrder(t, s, o["id"].(string)))[0]
			_, err := page.Goto(s.BaseURL + "/return/tap/" + att["id"].(string) + "?tap_id=" + att["payment_id"].(string) + "&tap_status=CAPTURED&lang=" + lang)
			must(t, err)
			status(t, page, "pending")
			checkPage(t, page, lang, "result-pending")
			if got := apiOrder(t, s, o["id"].(string))["status"]; got == "paid" {
				t.Fatal("a browser return alone marked the order paid")
			}
		})
	}
}

// expireNow moves an order's expiry into the past, as time passing would.
func expireNow(t *testing.T, s *server, id string) {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+s.DBPath+"?_pragma=busy_timeout(10000)")
	must(t, err)
	defer db.Close()
	_, err = db.ExecContext(context.Background(), "UPDATE orders SET expires_at = ? WHERE id = ?", time.Now().Add(-time.Minute).UnixMilli(), id)
	must(t, err)
	// This write went around the server, so the pages' kept copy of the order (keyed on the
	// store's change counter, which only the server's own commits move) still shows it open.
	// Wait for the server's expiry worker to expire it: that commit moves the counter, as any
	// real expiry does, and every page after this sees the order expired.
	deadline := time.Now().Add(15 * time.Second)
	for {
		var status string
		must(t, db.QueryRowContext(context.Background(), "SELECT status FROM orders WHERE id = ?", id).Scan(&status))
		if status == "expired" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("order %s still %s 15 s after its expires_at was moved back: the expiry worker did not run", id, status)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestExpiredOrder(t *testing.T) {
	for _, lang := range []string{"en", "ar"} {
		t.Run(lang, func(t *testing.T) {
			s := shop(t)
			hook := newReceiver(t)
			o := kwdOrder(t, s, map[string]any{"webhook_url": hook.URL})
			expireNow(t, s, o["id"].(string))
			page := newPage(t, lang)
			resp, err := page.Goto(o["checkout_url"].(string) + "?lang=" + lang)
			must(t, err)
			if resp.Status() != http.StatusGone {
				t.Fatalf("expired order answered %d, want 410", resp.Status())
			}
			status(t, page, "expired")
			checkPage(t, page, lang, "result-expired")
			must(t, expect.Locator(page.Locator("[data-testid=result-primary]")).ToHaveAttribute("href", regexp.MustCompile(`status=expired`)))
			deadline := time.Now().Add(10 * time.Second)
			for len(hook.events("order.expired")) == 0 && time.Now().Before(deadline) {
				time.Sleep(100 * time.Millisecond)
			}
			if len(hook.events("order.expired")) != 1 {
				t.Fatalf("order.expired deliveries = %d, want 1", len(hook.events("order.expired")))
			}
		})
	}
}

func TestLanguageSwitchKeepsTheOrder(t *testing.T) {
	s := shop(t)
	o := kwdOrder(t, s, nil)
	page := newPage(t, "en")
	_, err := page.Goto(o["checkout_url"].(string))
	must(t, err)
	must(t, expect.Locator(page.Locator("html")).ToHaveAttribute("dir", "ltr"))
	must(t, page.Locator("[data-testid=lang-switch]").Click())
	must(t, expect.Locator(page.Locator("html")).ToHaveAttribute("dir", "rtl"))
	if !strings.Contains(page.URL(), o["id"].(string)) {
		t.Fatalf("after switching language the URL is %s, not the order's", page.URL())
	}
	must(t, expect.Locator(page.Locator("[data-testid=order-total]")).ToHaveText("6.000 د.ك"))
	// The choice is kept: the next page of the flow is Arabic without ?lang=.
	must(t, page.Locator("[data-testid=method-knet]").Check())
	must(t, page.Locator("[data-testid=continue]").Click())
	must(t, expect.Locator(page.Locator("[data-testid=pay]")).ToBeVisible())
	must(t, expect.Locator(page.Locator("html")).ToHaveAttribute("lang", "ar"))
	must(t, page.Locator("[data-testid=lang-switch]").Click())
	must(t, expect.Locator(page.Locator("html")).ToHaveAttribute("lang", "en"))
	must(t, expect.Locator(page.Locator("[data-testid=confirm-sentence]")).ToContainText("KD 6.000"))
}

func TestDoubleClickOnPayMakesOneAttempt(t *testing.T) {
	s := shop(t)
	o := kwdOrder(t, s, nil)
	page := newPage(t, "en")
	_, err := page.Goto(o["checkout_url"].(string) + "/confirm?method=knet")
	must(t, err)
	must(t, page.Locator("[data-testid=pay]").Dblclick())
	must(t, expect.Locator(page.Locator("[data-testid=knet-card]")).ToBeVisible())
	// Without JavaScript's guard too: the server reuses the pending attempt.
	page2 := newPage(t, "en")
	_, err = page2.Goto(o["checkout_url"].(string) + "/confirm?method=knet")
	must(t, err)
	must(t, page2.Locator("[data-testid=pay]").Click())
	must(t, expect.Locator(page2.Locator("[data-testid=knet-card]")).ToBeVisible())
	if n := len(attemptsOf(apiOrder(t, s, o["id"].(string)))); n != 1 {
		t.Fatalf("attempts = %d after double submits, want 1", n)
	}
}

func TestErrorPages(t *testing.T) {
	s := shop(t)
	for _, lang := range []string{"en", "ar"} {
		page := newPage(t, lang)
		resp, err := page.Goto(s.BaseURL + "/pay/ord_doesnotexist?lang=" + lang)
		must(t, err)
		if resp.Status() != http.StatusNotFound {
			t.Fatalf("unknown order answered %d, want 404", resp.Status())
		}
		must(t, expect.Locator(page.Locator("[data-testid=error-page]")).ToHaveAttribute("data-code", "404"))
		checkPage(t, page, lang, "error-404")
	}
}

// The acceptance path of a new user: open /, buy, pay with the KNET test card in Arabic, and end
// on a right-to-left receipt.
func TestDemoShopPaidInArabic(t *testing.T) {
	s := shop(t)
	page := newPage(t, "ar")
	_, err := page.Goto(s.BaseURL + "/?lang=ar")
	must(t, err)
	checkPage(t, page, "ar", "demo")
	must(t, page.Locator("[data-testid=demo-buy]").Click())
	must(t, page.Locator("[data-testid=method-knet]").Check())
	must(t, page.Locator("[data-testid=continue]").Click())
	must(t, expect.Locator(page.Locator("[data-testid=confirm-sentence]")).ToContainText("6.000 د.ك"))
	must(t, page.Locator("[data-testid=pay]").Click())
	fillKNET(t, page, "2030", false)
	status(t, page, "paid")
	must(t, expect.Locator(page.Locator("html")).ToHaveAttribute("dir", "rtl"))
	must(t, expect.Locator(page.Locator(".receipt")).ToContainText("6.000 د.ك"))

	page = newPage(t, "en")
	_, err = page.Goto(s.BaseURL + "/?lang=en")
	must(t, err)
	checkPage(t, page, "en", "demo")
}

// A KNET payment through Tap refunded in part, then in full, through the merchant API.
func TestKNETViaTapRefunds(t *testing.T) {
	s := shop(t)
	o := kwdOrder(t, s, nil)
	page := newPage(t, "en")
	toKNET(t, page, o["checkout_url"].(string), "en", false)
	fillKNET(t, page, "2030", false)
	status(t, page, "paid")
	id := o["id"].(string)
	code, body := s.do(t, "POST", "/api/v1/orders/"+id+"/refund", s.APIKey, map[string]any{"amount": "2.500"})
	if code != http.StatusCreated || !strings.Contains(string(body), `"status":"partially_refunded"`) {
		t.Fatalf("partial refund: %d %s", code, body)
	}
	if code, body := s.do(t, "POST", "/api/v1/orders/"+id+"/refund", s.APIKey, map[string]any{"amount": "4.000"}); code != http.StatusUnprocessableEntity {
		t.Fatalf("refund above what remains: %d %s", code, body)
	}
	code, body = s.do(t, "POST", "/api/v1/orders/"+id+"/refund", s.APIKey, nil)
	if code != http.StatusCreated || !strings.Contains(string(body), `"status":"refunded"`) || !strings.Contains(string(body), `"refunded_amount":"6.000"`) {
		t.Fatalf("refund of the rest: %d %s", code, body)
	}
}
