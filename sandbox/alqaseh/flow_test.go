package alqaseh

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestPayOutcomes(t *testing.T) {
	for _, tt := range []struct {
		name, card, expiry, cvv string
		status, rc, redirect    string
	}{
		{"seed test card", TestCardPAN, "01-2027", "971", statusSucceeded, "00", "Success"},
		{"seed test card MM/YY", TestCardPAN, "01/27", "971", statusSucceeded, "00", "Success"},
		{"seed card wrong CVV", TestCardPAN, "01-2027", "123", statusDeclined, "05", "Failed"},
		{"seed card wrong expiry", TestCardPAN, "02-2027", "971", statusDeclined, "05", "Failed"},
		{"decline card", "4111 1111 1111 1111", "12/30", "123", statusDeclined, "05", "Failed"},
		{"fail card", "4000000000000002", "12-2030", "123", statusFailed, "96", "Failed"},
		{"unknown card", "4000000000000119", "12/2030", "1234", statusUnknown, "91", "Pending"},
		{"other card", "5555555555554444", "12/30", "123", statusDeclined, "05", "Failed"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newHook(t, ok200)
			e := newEnv(t, nil)
			id, token := e.create(createBody("ORD-OUT", h.srv.URL+"/webhooks/alqaseh", ""))
			e.clock.Advance(5 * time.Minute)

			status, _, hdr := e.pay(token, cardForm(tt.card, tt.expiry, tt.cvv))
			if status != http.StatusFound {
				t.Fatalf("status %d, want 302", status)
			}
			want := "https://shop.example/return/alqaseh?att=1&payment_id=" + id + "&order_id=ORD-OUT&status=" + tt.redirect
			if loc := hdr.Get("Location"); loc != want {
				t.Errorf("Location = %q, want %q", loc, want)
			}

			call := h.next(t)
			body := verifyPSign(t, call)
			for k, want := range map[string]any{
				"amount": json.Number("25000"), "currency": "IQD", "terminal_id": TerminalID, "order_id": "ORD-OUT",
				"trtype": "Retail", "rc": tt.rc, "payment_status": tt.status, "timestamp": "20250301090500",
			} {
				if body[k] != want {
					t.Errorf("webhook %s = %#v, want %#v", k, body[k], want)
				}
			}
			if !regexp.MustCompile(`^[0-9a-f]{32}$`).MatchString(str(body, "nonce")) ||
				!regexp.MustCompile(`^[0-9]{12}$`).MatchString(str(body, "rrn")) {
				t.Errorf("webhook nonce/rrn = %v", body)
			}
			if (str(body, "approval") != "") != (tt.status == statusSucceeded) {
				t.Errorf("webhook approval = %q", str(body, "approval"))
			}
			if keys := strings.Join(jsonKeys(t, call.body), ","); keys != "amount,currency,terminal_id,order_id,trtype,rc,approval,rrn,p_sign,nonce,timestamp,payment_status" {
				t.Errorf("webhook keys = %s", keys)
			}

			got := e.get(id)
			if str(got, "payment_status") != tt.status || str(got, "rc") != tt.rc || str(got, "rrn") != str(body, "rrn") ||
				str(got, "approval_code") != str(body, "approval") || str(got, "updated_at") != "2025-03-01T09:05:00Z" {
				t.Errorf("context = %v", got)
			}

			// Never twice: a second Pay and a revisit show the result and change nothing.
			for _, lang := range []string{"en", "ar"} {
				status, page, _ := e.pay(token, withLang(cardForm(TestCardPAN, "01-2027", "971"), lang))
				if status != http.StatusOK || !strings.Contains(page, `data-testid="alqaseh-result" data-status="`+tt.status+`"`) ||
					!strings.Contains(page, `href="`+strings.ReplaceAll(want, "&", "&amp;")+`"`) ||
					strings.Contains(page, `data-testid="alqaseh-pay"`) || !strings.Contains(page, `<html lang="`+lang+`"`) {
					t.Errorf("second pay (%s): %d\n%s", lang, status, page)
				}
			}
			if _, page := e.page(token, "", nil); !strings.Contains(page, `data-status="`+tt.status+`"`) {
				t.Error("revisit does not show the result")
			}
			h.none(t, e.sim)
			if again := e.get(id); str(again, "rrn") != str(got, "rrn") || len(again["payment_status_histories"].([]any)) != 2 {
				t.Errorf("second pay changed the context: %v", again)
			}
		})
	}
}

func jsonKeys(t *testing.T, b []byte) []string {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(string(b)))
	var keys []string
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return keys
		}
		switch v := tok.(type) {
		case json.Delim:
			if v == '{' {
				depth++
			} else if v == '}' {
				depth--
			}
		case string:
			if depth == 1 {
				keys = append(keys, v)
				if _, err := dec.Token(); err != nil { // its value
					return keys
				}
			}
		}
	}
}

func TestPayCancel(t *testing.T) {
	h := newHook(t, ok200)
	e := newEnv(t, nil)
	id, token := e.create(createBody("ORD-CANCEL", h.srv.URL, ""))
	status, _, hdr := e.pay(token, url.Values{"action": {"cancel"}})
	if status != http.StatusFound || !strings.HasSuffix(hdr.Get("Location"), "&order_id=ORD-CANCEL&status=Failed") {
		t.Fatalf("cancel: %d %s", status, hdr.Get("Location"))
	}
	body := verifyPSign(t, h.next(t))
	if str(body, "payment_status") != statusRevoked || str(body, "rc") != "" || str(body, "rrn") != "" {
		t.Errorf("cancel webhook = %v", body)
	}
	if got := e.get(id); str(got, "payment_status") != statusRevoked {
		t.Errorf("status = %v", got)
	}
	// A cancelled (revoked) payment cannot be retried, and its page shows it and never charges.
	if status, m := e.api(http.MethodPost, "/retry", `{"payment_id":"`+id+`"}`); status == http.StatusOK {
		t.Errorf("retry after cancel: %d %v", status, m)
	}
	if st, p, _ := e.pay(token, cardForm(TestCardPAN, TestCardExpiry, TestCardCVV)); st != http.StatusOK || !strings.Contains(p, `data-status="revoked"`) {
		t.Errorf("pay after cancel: %d", st)
	}
}

func TestRevokedPageCannotPay(t *testing.T) {
	h := newHook(t, ok200)
	e := newEnv(t, nil)
	id, token := e.create(createBody("ORD-RVK", h.srv.URL, ""))
	_, m := e.api(http.MethodPost, "/revoke", `{"payment_id":"`+id+`"}`)
	for _, tok := range []string{token, str(m, "token")} {
		for _, lang := range []string{"ar", "en"} {
			status, page := e.page(tok, "?lang="+lang, nil)
			if status != http.StatusOK || !strings.Contains(page, `data-testid="alqaseh-result" data-status="revoked"`) ||
				strings.Contains(page, `data-testid="alqaseh-card"`) ||
				!strings.Contains(page, "status=Failed") {
				t.Errorf("revoked page %s: %d\n%s", lang, status, page)
			}
		}
		status, page, _ := e.pay(tok, cardForm(TestCardPAN, TestCardExpiry, TestCardCVV))
		if status != http.StatusOK || !strings.Contains(page, `data-status="revoked"`) {
			t.Errorf("pay revoked: %d", status)
		}
	}
	if got := str(e.get(id), "payment_status"); got != statusRevoked {
		t.Errorf("status = %s", got)
	}
	h.none(t, e.sim)
}

func TestPayExpired(t *testing.T) {
	h := newHook(t, ok200)
	e := newEnv(t, nil)
	id, token := e.create(createBody("ORD-PEXP", h.srv.URL, ""))
	_, page := e.page(token, "?lang=ar", nil)
	if !strings.Contains(page, "2025-03-01 11:00 UTC") {
		t.Error("the link's expiry is not shown")
	}
	e.clock.Advance(3 * time.Hour)
	status, page, _ := e.pay(token, cardForm(TestCardPAN, TestCardExpiry, TestCardCVV))
	if status != http.StatusGone || !strings.Contains(page, `data-status="expired"`) || !strings.Contains(page, "انتهت صلاحية رابط الدفع") {
		t.Errorf("pay after expiry: %d\n%s", status, page)
	}
	if got := str(e.get(id), "payment_status"); got != statusExpired {
		t.Errorf("status = %s", got)
	}
	h.none(t, e.sim)
}

func TestWebhookRetriesAfter500(t *testing.T) {
	h := newHook(t, func(attempt int) int {
		if attempt <= 2 {
			return http.StatusInternalServerError
		}
		return http.StatusNoContent
	})
	e := newEnv(t, nil)
	_, token := e.create(createBody("ORD-HOOK", h.srv.URL, ""))
	if status, _, _ := e.pay(token, cardForm(TestCardPAN, TestCardExpiry, TestCardCVV)); status != http.StatusFound {
		t.Fatalf("pay: %d", status)
	}
	first, second, third := h.next(t), h.next(t), h.next(t)
	if string(first.body) != string(second.body) || string(second.body) != string(third.body) {
		t.Error("retries do not resend the same notification")
	}
	verifyPSign(t, third)
	h.none(t, e.sim) // a 2xx stops the retries
	logs := e.logs.String()
	if !strings.Contains(logs, "webhook refused") || !strings.Contains(logs, "webhook delivered") || !strings.Contains(logs, "attempt=3") {
		t.Errorf("logs:\n%s", logs)
	}
	if strings.Contains(logs, token) || strings.Contains(logs, SandboxClientSecret) || strings.Contains(logs, TestCardPAN) {
		t.Error("token, secret or card number in the logs")
	}
}

func TestWebhookGivesUpAfter24h(t *testing.T) {
	var calls atomic.Int32
	var e *env
	h := newHook(t, func(int) int {
		calls.Add(1)
		e.clock.Advance(13 * time.Hour) // each attempt "takes" 13h of the injected clock
		return http.StatusBadGateway
	})
	e = newEnv(t, nil)
	_, token := e.create(createBody("ORD-GIVEUP", h.srv.URL, ""))
	e.pay(token, cardForm(TestCardPAN, TestCardExpiry, TestCardCVV))
	h.next(t)
	h.next(t)
	h.none(t, e.sim)
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(e.logs.String(), "given up after 24h") {
		if time.Now().After(deadline) {
			t.Fatalf("not given up; %d calls\n%s", calls.Load(), e.logs.String())
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func TestNoWebhookWithoutURL(t *testing.T) {
	h := newHook(t, ok200)
	e := newEnv(t, nil)
	_, token := e.create(createBody("ORD-NOHOOK", "", ""))
	if status, _, _ := e.pay(token, cardForm(TestCardPAN, TestCardExpiry, TestCardCVV)); status != http.StatusFound {
		t.Fatalf("pay: %d", status)
	}
	h.none(t, e.sim)
}

func TestProcessSendsWebhook(t *testing.T) {
	h := newHook(t, ok200)
	e := newEnv(t, nil)
	_, token := e.create(`{"amount":12.5,"currency":"USD","order_id":"ORD-PROC","description":"d","redirect_url":"https://shop.example/r","transaction_type":"Authorization","webhook_url":"` + h.srv.URL + `"}`)
	e.api(http.MethodPost, "/process/"+token, `{"CardNumber":"5341432900077803","Cvv":"971","EXPMon":"01","EXPYear":"27"}`)
	body := verifyPSign(t, h.next(t))
	if body["amount"] != json.Number("12.5") || str(body, "currency") != "USD" || str(body, "trtype") != "Authorization" ||
		str(body, "payment_status") != statusSucceeded {
		t.Errorf("webhook = %v", body)
	}
}

func TestCloseStopsRetries(t *testing.T) {
	h := newHook(t, func(int) int { return http.StatusInternalServerError })
	e := newEnv(t, func(c *Config) { c.RetryBase = time.Hour })
	_, token := e.create(createBody("ORD-CLOSE", h.srv.URL, ""))
	e.pay(token, cardForm(TestCardPAN, TestCardExpiry, TestCardCVV))
	h.next(t)
	done := make(chan struct{})
	go func() { e.sim.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("Close did not stop the pending retry")
	}
}

func TestRedirectKeepsQueryAndFragment(t *testing.T) {
	p := &payment{id: "p-1", orderID: "A&B 1", status: statusSucceeded}
	for in, want := range map[string]string{
		"https://s.example/r":          "https://s.example/r?payment_id=p-1&order_id=A%26B+1&status=Success",
		"https://s.example/r?x=1":      "https://s.example/r?x=1&payment_id=p-1&order_id=A%26B+1&status=Success",
		"https://s.example/r?":         "https://s.example/r?payment_id=p-1&order_id=A%26B+1&status=Success",
		"https://s.example/r?x=1#done": "https://s.example/r?x=1&payment_id=p-1&order_id=A%26B+1&status=Success#done",
	} {
		p.redirectURL = in
		if got := returnURL(p); got != want {
			t.Errorf("returnURL(%q) = %q, want %q", in, got, want)
		}
	}
}
