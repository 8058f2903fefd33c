package adyen

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// TestTestCards runs every documented test card (and Cancel) through the
// page, the browser return, /payments/details and the webhook.
func TestTestCards(t *testing.T) {
	for _, tt := range []struct {
		name               string
		form               func(tok string) url.Values
		resultCode, reason string
		reasonCode         string
		success            string // AUTHORISATION success
		hookReason         string
		pendingState       string // the state after the later webhook, for Pending
	}{
		{"0001 09/2030", func(tok string) url.Values { return submitForm(tok, "8888880000000001", "09", "2030") },
			"Authorised", "", "", "true", "", ""},
		{"0002 09/2030", func(tok string) url.Values { return submitForm(tok, "8888880000000002", "09", "2030") },
			"Authorised", "", "", "true", "", ""},
		{"0001 05/2021", func(tok string) url.Values { return submitForm(tok, "8888880000000001", "05", "2021") },
			"Refused", "Refused", "2", "false", "Refused", ""},
		{"0002 09/2031", func(tok string) url.Values { return submitForm(tok, "8888880000000002", "09", "2031") },
			"Refused", "Refused", "2", "false", "Refused", ""},
		{"other card", func(tok string) url.Values { return submitForm(tok, "4111111111111111", "09", "2030") },
			"Refused", "Refused", "2", "false", "Refused", ""},
		{"0005 error", func(tok string) url.Values { return submitForm(tok, "8888880000000005", "09", "2030") },
			"Error", "Acquirer Error", "4", "false", "Acquirer Error", ""},
		{"0005 other expiry", func(tok string) url.Values { return submitForm(tok, "8888880000000005", "10", "2030") },
			"Refused", "Refused", "2", "false", "Refused", ""},
		{"cancel", cancelForm, "Cancelled", "", "", "false", "Shopper Cancelled", ""},
		{"0003 pending then authorised", func(tok string) url.Values { return submitForm(tok, "8888880000000003", "09", "2030") },
			"Pending", "", "", "true", "", stateAuthorised},
		{"0004 pending then refused", func(tok string) url.Values { return submitForm(tok, "8888880000000004", "09", "2030") },
			"Pending", "", "", "false", "Refused", stateRefused},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := newHook(t, accepted)
			e := newEnv(t, h, func(c *Config) { c.PendingDelay = 80 * time.Millisecond })
			m := e.create("en-US", "")
			psp := str(m, "pspReference")

			start := time.Now()
			status, _, hdr := e.submit(tt.form(tokenOf(t, m)))
			if status != http.StatusSeeOther {
				t.Fatalf("submit: %d", status)
			}
			loc := hdr.Get("Location")
			if !strings.HasPrefix(loc, testReturn+"&redirectResult=") {
				t.Errorf("Location %q", loc)
			}

			status, d := e.details(redirectResultOf(t, loc))
			if status != 200 {
				t.Fatalf("details: %d %v", status, d)
			}
			want := map[string]any{
				"resultCode": tt.resultCode, "pspReference": psp, "merchantReference": "ord_1001-att_1",
				"amount.value": json.Number("1500"), "amount.currency": "KWD", "paymentMethod.type": "knet",
				"refusalReason": nil, "refusalReasonCode": nil,
			}
			if tt.reason != "" {
				want["refusalReason"], want["refusalReasonCode"] = tt.reason, tt.reasonCode
			}
			wantFields(t, "details", d, want)

			// Nothing until the payment settles: the one webhook comes no sooner than the
			// delay after the submit (measured from before it, so a slow machine cannot fail it).
			it := h.next(t)
			if tt.pendingState != "" && time.Since(start) < 80*time.Millisecond {
				t.Error("the pending payment settled at once")
			}
			wantHook := map[string]any{
				"eventCode": "AUTHORISATION", "success": tt.success, "pspReference": psp,
				"originalReference": "", "merchantReference": "ord_1001-att_1",
				"amount.value": json.Number("1500"), "amount.currency": "KWD", "reason": nil,
			}
			if tt.hookReason != "" {
				wantHook["reason"] = tt.hookReason
			}
			wantFields(t, "webhook", it, wantHook)
			if tt.success == "true" {
				if ops, _ := it["operations"].([]any); len(ops) != 2 {
					t.Errorf("operations %v", it["operations"])
				}
			}
			if tt.pendingState != "" {
				if e.state(psp) != tt.pendingState {
					t.Errorf("state %s, want %s", e.state(psp), tt.pendingState)
				}
			}
			h.none(t)
		})
	}
}

// TestPendingPageAndLateRedeem: a Pending redirectResult stays Pending even
// when redeemed after the final webhook; the page shows the final state.
func TestPendingPageAndLateRedeem(t *testing.T) {
	h := newHook(t, accepted)
	e := newEnv(t, h, nil)
	m := e.create("en-US", "")
	tok := tokenOf(t, m)
	_, _, hdr := e.submit(submitForm(tok, "8888880000000003", "09", "2030"))
	_, html := e.page(tok, "")
	if !strings.Contains(html, `data-status="Pending"`) {
		t.Error("page not pending")
	}
	wantFields(t, "webhook", h.next(t), map[string]any{"eventCode": "AUTHORISATION", "success": "true"})
	_, d := e.details(redirectResultOf(t, hdr.Get("Location")))
	if str(d, "resultCode") != "Pending" {
		t.Errorf("late redeem: %v", d)
	}
	_, html = e.page(tok, "")
	if !strings.Contains(html, `data-status="Authorised"`) {
		t.Error("page not authorised after settling")
	}
}

func TestRedirectResultNeedsURLDecoding(t *testing.T) {
	e := newEnv(t, nil, nil)
	m := e.create("en-US", "")
	_, _, hdr := e.submit(submitForm(tokenOf(t, m), "8888880000000001", "09", "2030"))
	loc := hdr.Get("Location")
	raw := loc[strings.Index(loc, "redirectResult=")+len("redirectResult="):]
	decoded := redirectResultOf(t, loc)
	if raw == decoded || !strings.ContainsAny(decoded, "!+/=") {
		t.Fatalf("redirectResult %q is not opaque base64 needing decoding", decoded)
	}
	status, d := e.details(raw) // still URL-encoded: unknown
	wantError(t, "encoded", status, d, 422, "14_018", "validation")
	if status, d := e.details(decoded); status != 200 || str(d, "resultCode") != "Authorised" {
		t.Errorf("decoded: %d %v", status, d)
	}
}

func TestReturnURLKeepsQueryAndFragment(t *testing.T) {
	for _, tt := range []struct{ returnURL, want string }{
		{"https://shop.example/r", "https://shop.example/r?redirectResult="},
		{"https://shop.example/r?a=1&b=2#top", "https://shop.example/r?a=1&b=2&redirectResult="},
		{"https://shop.example/r?", "https://shop.example/r?redirectResult="},
	} {
		p := &payment{returnURL: tt.returnURL, redirectResult: "a+b/c=="}
		got := p.returnLocation()
		if !strings.HasPrefix(got, tt.want+"a%2Bb%2Fc%3D%3D") {
			t.Errorf("%s → %s", tt.returnURL, got)
		}
		if strings.Contains(tt.returnURL, "#") && !strings.HasSuffix(got, "#top") {
			t.Errorf("fragment lost: %s", got)
		}
	}
}

func TestReturnByPOST(t *testing.T) {
	h := newHook(t, accepted)
	e := newEnv(t, h, nil)
	m := e.create("ar-KW", `"redirectFromIssuerMethod":"POST",`)
	status, b, _ := e.submit(submitForm(tokenOf(t, m), "8888880000000001", "09", "2030"))
	html := string(b)
	if status != 200 || !strings.Contains(html, `<form method="post" action="https://shop.example/return/adyen/att_1?x=1">`) ||
		!strings.Contains(html, `data-testid="adyen-knet-return"`) || !strings.Contains(html, `lang="ar" dir="rtl"`) {
		t.Fatalf("POST return page: %d %s", status, html)
	}
	i := strings.Index(html, `name="redirectResult" value="`)
	if i < 0 {
		t.Fatal("no redirectResult input")
	}
	rest := html[i+len(`name="redirectResult" value="`):]
	rr := rest[:strings.Index(rest, `"`)]
	rr = strings.NewReplacer("&#43;", "+", "&#61;", "=", "&#33;", "!").Replace(rr)
	if status, d := e.details(rr); status != 200 || str(d, "resultCode") != "Authorised" {
		t.Errorf("details: %d %v", status, d)
	}
	h.next(t)
}

func TestWebhookRetriedAfter500(t *testing.T) {
	h := newHook(t, func(n int) (int, string) {
		if n == 1 {
			return http.StatusInternalServerError, "boom"
		}
		return http.StatusOK, "[accepted]"
	})
	e := newEnv(t, h, nil)
	authorisedPayment(t, e)
	first, second := h.next(t), h.next(t)
	if str(first, "pspReference") != str(second, "pspReference") ||
		str(first, "additionalData.hmacSignature") != str(second, "additionalData.hmacSignature") {
		t.Error("the retry is not the same notification")
	}
	eventually(t, "delivered", func() bool {
		e.sim.mu.Lock()
		defer e.sim.mu.Unlock()
		return e.sim.events[0].delivered && e.sim.events[0].attempts == 2
	})
	h.none(t)
	if !strings.Contains(e.logs.String(), "webhook refused") {
		t.Error("the 500 was not logged")
	}
}

func TestWebhookNeedsAcceptedBody(t *testing.T) {
	h := newHook(t, func(n int) (int, string) {
		switch n {
		case 1:
			return http.StatusOK, "ok"
		case 2:
			return http.StatusNoContent, ""
		}
		return http.StatusAccepted, "[accepted]\n"
	})
	e := newEnv(t, h, nil)
	authorisedPayment(t, e)
	h.next(t)
	h.next(t)
	h.next(t)
	h.none(t)
	if h.count() != 3 {
		t.Errorf("%d attempts", h.count())
	}
}

func TestWebhookGivesUpAfter24h(t *testing.T) {
	h := newHook(t, func(int) (int, string) { return http.StatusServiceUnavailable, "" })
	e := newEnv(t, h, func(c *Config) { c.RetryBase = 30 * time.Millisecond })
	authorisedPayment(t, e)
	h.next(t)
	e.clock.Advance(25 * time.Hour)
	eventually(t, "given up", func() bool {
		e.sim.mu.Lock()
		defer e.sim.mu.Unlock()
		return e.sim.events[0].gaveUp
	})
	// deliverLoop sets gaveUp and returns, and each delivery is synchronous: every attempt the
	// simulator made has reached the hook, and no other can follow.
	e.sim.mu.Lock()
	made := e.sim.events[0].attempts
	e.sim.mu.Unlock()
	if n := h.count(); n != made || n > 2 {
		t.Errorf("the hook got %d attempts, the simulator made %d (want the same, at most 2)", n, made)
	}
}

func TestRetryBackoffDoubles(t *testing.T) {
	h := newHook(t, func(n int) (int, string) {
		if n < 4 {
			return http.StatusInternalServerError, ""
		}
		return http.StatusOK, "[accepted]"
	})
	e := newEnv(t, h, func(c *Config) { c.RetryBase = 20 * time.Millisecond })
	authorisedPayment(t, e)
	for range 4 {
		h.next(t)
	}
	h.mu.Lock()
	times := h.times
	h.mu.Unlock()
	gaps := []time.Duration{times[1].Sub(times[0]), times[2].Sub(times[1]), times[3].Sub(times[2])}
	for i, min := range []time.Duration{20, 40, 80} {
		if gaps[i] < min*time.Millisecond {
			t.Errorf("gap %d = %v, want ≥ %dms", i, gaps[i], min)
		}
	}
}

func TestWebhookDelay(t *testing.T) {
	h := newHook(t, accepted)
	e := newEnv(t, h, func(c *Config) { c.WebhookDelay = 60 * time.Millisecond })
	start := time.Now()
	authorisedPayment(t, e)
	h.next(t)
	if d := time.Since(start); d < 60*time.Millisecond {
		t.Errorf("webhook after %v", d)
	}
}

func TestNoWebhookURL(t *testing.T) {
	e := newEnv(t, nil, nil)
	authorisedPayment(t, e)
	if !strings.Contains(e.logs.String(), "no WebhookURL") {
		t.Error("not logged")
	}
}

func TestCloseStopsRetries(t *testing.T) {
	h := newHook(t, func(int) (int, string) { return http.StatusInternalServerError, "" })
	e := newEnv(t, h, func(c *Config) { c.RetryBase = time.Hour })
	authorisedPayment(t, e)
	h.next(t)
	done := make(chan struct{})
	go func() { e.sim.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("Close did not stop the retry loop")
	}
}

func TestOfferClosedAfter30Minutes(t *testing.T) {
	h := newHook(t, accepted)
	e := newEnv(t, h, nil)
	m := e.create("ar-KW", "")
	tok, psp := tokenOf(t, m), str(m, "pspReference")

	e.clock.Advance(29*time.Minute + 59*time.Second)
	e.sim.closeExpiredOffers()
	h.none(t)
	if status, _ := e.page(tok, ""); status != 200 {
		t.Fatalf("page before expiry: %d", status)
	}

	e.clock.Advance(time.Second)
	e.sim.closeExpiredOffers()
	wantFields(t, "OFFER_CLOSED", h.next(t), map[string]any{
		"eventCode": "OFFER_CLOSED", "success": "true", "pspReference": psp,
		"merchantReference": "ord_1001-att_1", "amount.value": json.Number("1500"), "reason": nil,
	})
	e.sim.closeExpiredOffers()

	status, html := e.page(tok, "")
	if status != http.StatusGone || !strings.Contains(html, `data-status="Expired"`) ||
		!strings.Contains(html, `lang="ar" dir="rtl"`) || !strings.Contains(html, "انتهت مهلة الدفع") {
		t.Errorf("expired page: %d", status)
	}
	// Paying now changes nothing.
	status, _, _ = e.submit(submitForm(tok, "8888880000000001", "09", "2030"))
	if status != http.StatusGone || e.state(psp) != stateExpired {
		t.Errorf("submit after expiry: %d, state %s", status, e.state(psp))
	}
	// The return link redeems as an Error.
	i := strings.Index(html, `data-testid="adyen-knet-return"`)
	if i < 0 {
		t.Fatal("no return link")
	}
	href := html[:i]
	href = href[strings.LastIndex(href, `href="`)+len(`href="`):]
	href = strings.ReplaceAll(href[:strings.Index(href, `"`)], "&amp;", "&")
	status, d := e.details(redirectResultOf(t, href))
	if status != 200 || str(d, "resultCode") != "Error" || str(d, "refusalReason") != "Offer Closed" {
		t.Errorf("details: %d %v", status, d)
	}
	h.none(t) // one OFFER_CLOSED only
}

func TestOfferClosedLazilyOnPageView(t *testing.T) {
	h := newHook(t, accepted)
	e := newEnv(t, h, nil)
	m := e.create("en-US", "")
	e.clock.Advance(31 * time.Minute)
	status, html := e.page(tokenOf(t, m), "")
	if status != http.StatusGone || !strings.Contains(html, "expired after 30 minutes") {
		t.Errorf("page: %d", status)
	}
	wantFields(t, "OFFER_CLOSED", h.next(t), map[string]any{"eventCode": "OFFER_CLOSED", "success": "true"})
	e.page(tokenOf(t, m), "")
	e.sim.closeExpiredOffers()
	h.none(t)
}

func TestFinishedPaymentsDoNotExpire(t *testing.T) {
	h := newHook(t, accepted)
	e := newEnv(t, h, nil)
	psp := authorisedPayment(t, e)
	h.next(t)
	e.clock.Advance(2 * time.Hour)
	e.sim.closeExpiredOffers()
	h.none(t)
	if e.state(psp) != stateAuthorised {
		t.Errorf("state %s", e.state(psp))
	}
}

// TestSweeperRuns checks the background sweeper with the real clock.
func TestSweeperRuns(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the 1s sweeper")
	}
	h := newHook(t, accepted)
	e := newEnv(t, h, nil)
	e.create("en-US", "")
	e.clock.Advance(time.Hour)
	wantFields(t, "OFFER_CLOSED", h.next(t), map[string]any{"eventCode": "OFFER_CLOSED"})
}
