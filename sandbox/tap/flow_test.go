package tap

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bawaba/checkout/sandbox/internal/simkit"
)

// verifyHashstring recomputes the webhook signature the way a merchant would
// (spec §6), from the received body and the amount it was created with.
func verifyHashstring(t *testing.T, call hookCall, fixedAmount string) map[string]any {
	t.Helper()
	if ct := call.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("webhook content-type %q", ct)
	}
	if _, ok := call.header["Hashstring"]; !ok {
		t.Errorf("no hashstring header in %v", call.header)
	}
	body := decode(t, call.body)
	msg := "x_id" + str(body, "id") + "x_amount" + fixedAmount + "x_currency" + str(body, "currency") +
		"x_gateway_reference" + str(body, "reference.gateway") + "x_payment_reference" + str(body, "reference.payment") +
		"x_status" + str(body, "status") + "x_created" + str(body, "transaction.created")
	mac := hmac.New(sha256.New, []byte(testKey))
	mac.Write([]byte(msg))
	want := hex.EncodeToString(mac.Sum(nil))
	if got := call.header.Get("hashstring"); !hmac.Equal([]byte(got), []byte(want)) {
		t.Errorf("hashstring = %q, want %q (over %q)", got, want, msg)
	}
	return body
}

func TestPayCaptured(t *testing.T) {
	for _, tt := range []struct{ card, year string }{
		{"8888880000000001", "2030"},
		{"8888880000000002", "30"},
	} {
		t.Run(tt.card+"/"+tt.year, func(t *testing.T) {
			h := newHook(t, ok200)
			e := newEnv(t, nil)
			c := e.create(chargeBody(`"6.000"`, h.srv.URL+"/hook"), nil)
			id := str(c, "id")

			status, _, hdr := e.pay(submitForm(token(t, c), tt.card, "09", tt.year))
			if status != http.StatusSeeOther {
				t.Fatalf("status %d, want 303", status)
			}
			if loc := hdr.Get("Location"); loc != "https://shop.example/return/tap/att_1?x=1&tap_id="+id {
				t.Errorf("Location = %q", loc)
			}

			body := verifyHashstring(t, h.next(t), "6.000")
			if str(body, "id") != id || str(body, "status") != "CAPTURED" || str(body, "method") != "POST" ||
				at(body, "post.attempt") != json.Number("1") {
				t.Errorf("webhook body = %v", body)
			}

			eventually(t, "post.status SUCCESS", func() bool { return str(e.retrieve(id), "post.status") == "SUCCESS" })
			got := e.retrieve(id)
			for path, want := range map[string]any{
				"status":                   "CAPTURED",
				"amount":                   json.Number("6"),
				"response.code":            "000",
				"response.message":         "Captured",
				"gateway.response.code":    "00",
				"gateway.response.message": "CAPTURED",
				"post.attempt":             json.Number("1"),
				"reference.order":          "ord_1001",
				"reference.payment":        str(c, "reference.payment"),
				"reference.track":          str(c, "reference.track"),
				"transaction.created":      str(c, "transaction.created"),
			} {
				if at(got, path) != want {
					t.Errorf("%s = %#v, want %#v", path, at(got, path), want)
				}
			}
			for path, re := range map[string]string{
				"transaction.authorization_id": `^[A-Z][0-9]{5}$`,
				"reference.gateway":            `^[0-9]{15}$`,
				"reference.acquirer":           `^[0-9]{12}$`,
				"reference.payment":            `^[0-9]{19}$`,
			} {
				if !regexp.MustCompile(re).MatchString(str(got, path)) {
					t.Errorf("%s = %q, want %s", path, str(got, path), re)
				}
			}
			acts := got["activities"].([]any)
			if len(acts) != 2 || at(acts[1].(map[string]any), "status") != "CAPTURED" ||
				at(acts[1].(map[string]any), "remarks") != "charge - captured" {
				t.Errorf("activities = %v", acts)
			}

			// Never twice: a second submit and a revisit show the result and change nothing.
			status, page, _ := e.pay(submitForm(token(t, c), tt.card, "09", tt.year))
			if status != http.StatusOK || !strings.Contains(string(page), `data-testid="knet-result" data-status="CAPTURED"`) ||
				!strings.Contains(string(page), `href="https://shop.example/return/tap/att_1?x=1&amp;tap_id=`+id+`"`) {
				t.Errorf("second submit: %d\n%s", status, page)
			}
			status, page, _ = e.do(http.MethodGet, e.pagePath(c), nil, nil)
			if status != http.StatusOK || !strings.Contains(string(page), "Payment successful") {
				t.Errorf("revisit: %d", status)
			}
			h.none(t, e.sim)
			if again := e.retrieve(id); len(again["activities"].([]any)) != 2 ||
				str(again, "transaction.authorization_id") != str(got, "transaction.authorization_id") {
				t.Errorf("second submit changed the charge")
			}
		})
	}
}

func TestPayDeclined(t *testing.T) {
	for _, tt := range []struct{ name, card, month, year string }{
		{"test card expired 05/21", "8888880000000001", "05", "2021"},
		{"test card other month", "8888880000000002", "10", "2030"},
		{"unknown card", "4508750015741019", "09", "2030"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newHook(t, ok200)
			e := newEnv(t, nil)
			c := e.create(chargeBody("12.5", h.srv.URL), nil)
			status, _, hdr := e.pay(submitForm(token(t, c), tt.card, tt.month, tt.year))
			if status != http.StatusSeeOther || !strings.HasSuffix(hdr.Get("Location"), "tap_id="+str(c, "id")) {
				t.Fatalf("status %d, Location %q", status, hdr.Get("Location"))
			}
			body := verifyHashstring(t, h.next(t), "12.500")
			got := e.retrieve(str(c, "id"))
			for _, m := range []map[string]any{body, got} {
				if str(m, "status") != "DECLINED" || !strings.HasPrefix(str(m, "response.code"), "5") ||
					str(m, "gateway.response.message") != "NOT CAPTURED" || str(m, "reference.gateway") == "" ||
					at(m, "transaction.authorization_id") != nil || at(m, "amount") != json.Number("12.5") {
					t.Errorf("charge = %v", m)
				}
			}
		})
	}
}

func TestPayCancelled(t *testing.T) {
	h := newHook(t, ok200)
	e := newEnv(t, nil)
	c := e.create(chargeBody("6", h.srv.URL), nil)
	status, _, hdr := e.pay(map[string][]string{"chg": {token(t, c)}, "action": {"cancel"}})
	if status != http.StatusSeeOther || hdr.Get("Location") != "https://shop.example/return/tap/att_1?x=1&tap_id="+str(c, "id") {
		t.Fatalf("status %d, Location %q", status, hdr.Get("Location"))
	}
	body := verifyHashstring(t, h.next(t), "6.000")
	if str(body, "status") != "CANCELLED" || str(body, "response.code") != "302" {
		t.Errorf("webhook = %s", body)
	}
	got := e.retrieve(str(c, "id"))
	if str(got, "status") != "CANCELLED" || str(got, "gateway.response.message") != "CANCELED" || len(got["activities"].([]any)) != 2 {
		t.Errorf("charge = %v", got)
	}
	// A later Submit does not turn it into a payment.
	status, page, _ := e.pay(submitForm(token(t, c), "8888880000000001", "09", "2030"))
	if status != http.StatusOK || !strings.Contains(string(page), `data-status="CANCELLED"`) {
		t.Errorf("submit after cancel: %d", status)
	}
	if str(e.retrieve(str(c, "id")), "status") != "CANCELLED" {
		t.Error("submit after cancel changed the status")
	}
	h.none(t, e.sim)
}

func TestPayWithoutPostURLOnlyRedirects(t *testing.T) {
	e := newEnv(t, nil)
	c := e.create(chargeBody("6", ""), nil)
	status, _, _ := e.pay(submitForm(token(t, c), "8888880000000001", "09", "2030"))
	if got := e.retrieve(str(c, "id")); status != http.StatusSeeOther || str(got, "status") != "CAPTURED" || got["post"] != nil {
		t.Errorf("status %d, charge %v", status, got)
	}
}

func TestWebhookRetriedAfter500(t *testing.T) {
	h := newHook(t, func(attempt int) int {
		if attempt == 1 {
			return http.StatusInternalServerError
		}
		return http.StatusNoContent
	})
	e := newEnv(t, nil)
	c := e.create(chargeBody("6", h.srv.URL), nil)
	e.pay(submitForm(token(t, c), "8888880000000001", "09", "2030"))

	first := verifyHashstring(t, h.next(t), "6.000")
	second := verifyHashstring(t, h.next(t), "6.000")
	if at(first, "post.attempt") != json.Number("1") || at(second, "post.attempt") != json.Number("2") {
		t.Errorf("post.attempt = %v then %v, want 1 then 2", at(first, "post.attempt"), at(second, "post.attempt"))
	}
	h.none(t, e.sim)
	eventually(t, "post.status SUCCESS", func() bool {
		got := e.retrieve(str(c, "id"))
		return str(got, "post.status") == "SUCCESS" && at(got, "post.attempt") == json.Number("2")
	})
}

func TestWebhookFirst(t *testing.T) {
	h := newHook(t, ok200)
	e := newEnv(t, func(cfg *Config) { cfg.WebhookFirst = true })
	c := e.create(chargeBody("6", h.srv.URL), nil)
	status, _, _ := e.pay(submitForm(token(t, c), "8888880000000001", "09", "2030"))
	if status != http.StatusSeeOther {
		t.Fatalf("status %d", status)
	}
	select { // already delivered when the browser got its redirect
	case call := <-h.calls:
		verifyHashstring(t, call, "6.000")
	default:
		t.Fatal("webhook not delivered before the redirect")
	}
	eventually(t, "post.status SUCCESS", func() bool { return str(e.retrieve(str(c, "id")), "post.status") == "SUCCESS" })
}

func TestWebhookFirstRetriesInBackground(t *testing.T) {
	h := newHook(t, func(attempt int) int {
		if attempt < 3 {
			return http.StatusBadGateway
		}
		return http.StatusOK
	})
	e := newEnv(t, func(cfg *Config) { cfg.WebhookFirst = true })
	c := e.create(chargeBody("6", h.srv.URL), nil)
	e.pay(submitForm(token(t, c), "8888880000000001", "09", "2030"))
	for range 3 {
		verifyHashstring(t, h.next(t), "6.000")
	}
	h.none(t, e.sim)
}

func TestWebhookGivesUpAfter24h(t *testing.T) {
	h := newHook(t, func(int) int { return http.StatusInternalServerError })
	e := newEnv(t, nil)
	c := e.create(chargeBody("6", h.srv.URL), nil)
	e.pay(submitForm(token(t, c), "8888880000000001", "09", "2030"))
	h.next(t)
	h.next(t) // retried
	e.clock.Advance(simkit.RetryWindow)
	eventually(t, "post.status FAILED", func() bool {
		return str(e.retrieve(str(c, "id")), "post.status") == "FAILED"
	})
	for len(h.calls) > 0 { // attempts already in flight when the clock moved
		<-h.calls
	}
	h.none(t, e.sim)
}

func TestCloseStopsRetries(t *testing.T) {
	h := newHook(t, func(int) int { return http.StatusServiceUnavailable })
	e := newEnv(t, func(cfg *Config) { cfg.RetryBase = time.Hour })
	c := e.create(chargeBody("6", h.srv.URL), nil)
	e.pay(submitForm(token(t, c), "8888880000000001", "09", "2030"))
	h.next(t)
	done := make(chan struct{})
	go func() { e.sim.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("Close did not stop the pending retry")
	}
	// After Close, finishing another charge starts no delivery.
	c2 := e.create(chargeBody("6", h.srv.URL), nil)
	e.pay(submitForm(token(t, c2), "8888880000000001", "09", "2030"))
	h.none(t, e.sim)
}

func TestSecretNeverLogged(t *testing.T) {
	h := newHook(t, func(attempt int) int { return []int{500, 200}[min(attempt-1, 1)] })
	e := newEnv(t, nil)
	c := e.create(chargeBody("6", h.srv.URL), nil)
	e.pay(submitForm(token(t, c), "8888880000000001", "09", "2030"))
	h.next(t)
	h.next(t)
	e.sim.Close()
	logs := e.logs.String()
	if !strings.Contains(logs, str(c, "id")) || strings.Contains(logs, testKey) {
		t.Errorf("logs:\n%s", logs)
	}
}
