package handlers_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestForgedReturns: a browser return is never proof of payment.
func TestForgedReturns(t *testing.T) {
	e := newEnv(t, holdSimWebhooks())
	o := e.createOrder("trust-1")
	co := e.startPayment(o.ID, nil)
	att := e.getOrder(o.ID).Attempts[0]

	forge := func(name, query string) {
		t.Helper()
		// A fresh browser: the forger has none of the shopper's cookies.
		b := e.browser()
		res := e.get(b, "/return/tap/"+att.ID+query)
		if res.StatusCode != http.StatusSeeOther && res.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d: %s", name, res.StatusCode, clip(res.body))
		}
		if res.StatusCode == http.StatusSeeOther {
			page := e.get(b, res.location(t))
			if st := shopperStatus(t, page.body); st == "paid" {
				t.Errorf("%s: the result page says paid", name)
			}
		}
		v := e.getOrder(o.ID)
		if v.Status == "paid" || v.PaidAt != "" || v.Attempts[0].Status != "pending" {
			t.Fatalf("%s: the order moved: status %s, attempt %s", name, v.Status, v.Attempts[0].Status)
		}
	}
	// The real charge id, while the charge is still INITIATED at Tap.
	forge("real charge id before paying", "?tap_id="+att.PaymentID)
	forge("real charge id with tap_status", "?tap_id="+att.PaymentID+"&tap_status=CAPTURED&status=CAPTURED")
	forge("another charge id", "?tap_id=chg_TS99A9920991231Fake0000000")
	forge("no tap_id", "")
	forge("malformed tap_id", "?tap_id=../../v2/charges")

	// A charge of another order, really paid: still not this attempt's charge.
	other := e.createOrder("trust-2")
	co2 := e.startPayment(other.ID, nil)
	if _, st := e.finish(co2, e.payAtSimulator(co2, "submit", "2030")); st != "paid" {
		t.Fatalf("other order: %s", st)
	}
	paidCharge := e.getOrder(other.ID).Attempts[0].PaymentID
	forge("a paid charge of another order", "?tap_id="+paidCharge)

	if n := e.events(o.ID, "attempt.status", ""); n != 0 {
		t.Errorf("%d attempt.status events after forged returns, want 0", n)
	}
	if n := e.outbox(o.ID, "order.paid"); n != 0 {
		t.Errorf("%d order.paid messages after forged returns, want 0", n)
	}

	// The real payment still goes through afterwards.
	if _, st := e.finish(co, e.payAtSimulator(co, "submit", "2030")); st != "paid" {
		t.Fatalf("real payment after forgeries: %s", st)
	}
	if v := e.getOrder(o.ID); v.Status != "paid" {
		t.Fatalf("API: %s", v.Status)
	}
}

// TestTapWebhookSignature: an unsigned or badly signed webhook changes nothing, even when the
// charge really is captured at Tap; a correctly signed one is applied.
func TestTapWebhookSignature(t *testing.T) {
	e := newEnv(t, holdSimWebhooks())
	o := e.createOrder("hook-1")
	co := e.startPayment(o.ID, nil)
	att := e.getOrder(o.ID).Attempts[0]

	// Signed, but lying: the charge says CAPTURED while Tap still has it INITIATED. The
	// connector re-reads the charge, so nothing is paid.
	var c map[string]any
	if err := json.Unmarshal(e.charge(att.PaymentID), &c); err != nil {
		t.Fatal(err)
	}
	if c["status"] != "INITIATED" {
		t.Fatalf("charge status %v before paying", c["status"])
	}
	c["status"] = "CAPTURED"
	lie, _ := json.Marshal(c)
	if res := e.postWebhook(lie, tapHashstring(t, sandboxTapKey, lie)); res.StatusCode/100 != 2 {
		t.Errorf("signed lying webhook: %d %s", res.StatusCode, res.body)
	}
	if v := e.getOrder(o.ID); v.Status == "paid" {
		t.Fatalf("a signed webhook with a made-up status paid the order")
	}

	// Pay at the simulator, but do not come back: only the webhook can tell us.
	ret := e.payAtSimulator(co, "submit", "2030")
	body := e.charge(att.PaymentID)
	good := tapHashstring(t, sandboxTapKey, body)
	before := len(eventsOf(t, e, o.ID))

	for name, sig := range map[string]string{
		"no hashstring":          "",
		"garbage hashstring":     "not-a-signature",
		"another key":            tapHashstring(t, "sk_test_SOMEONEELSE000000000", body),
		"one character off":      flipLast(good),
		"hash of another charge": tapHashstring(t, sandboxTapKey, lie),
	} {
		res := e.postWebhook(body, sig)
		if res.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s: status %d, want 401: %s", name, res.StatusCode, res.body)
		}
	}
	// The right signature over a tampered body does not verify either.
	tampered := strings.Replace(string(body), `"status":"CAPTURED"`, `"status":"CAPTURED" `, 1)
	tampered = strings.Replace(tampered, `"amount":6`, `"amount":0.1`, 1)
	if res := e.postWebhook([]byte(tampered), good); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("tampered body: status %d, want 401", res.StatusCode)
	}
	if v := e.getOrder(o.ID); v.Status != "processing" || v.Attempts[0].Status != "pending" {
		t.Fatalf("rejected webhooks changed the order: %s / %s", v.Status, v.Attempts[0].Status)
	}
	if after := len(eventsOf(t, e, o.ID)); after != before {
		t.Errorf("rejected webhooks wrote %d events", after-before)
	}

	if res := e.postWebhook(body, good); res.StatusCode != http.StatusOK {
		t.Fatalf("good webhook: %d %s", res.StatusCode, res.body)
	}
	if v := e.getOrder(o.ID); v.Status != "paid" {
		t.Fatalf("after the good webhook: %s", v.Status)
	}
	// The shopper comes back late: the page agrees, nothing is applied twice.
	if _, st := e.finish(co, ret); st != "paid" {
		t.Errorf("result after webhook: %s", st)
	}
	if n := e.outbox(o.ID, "order.paid"); n != 1 {
		t.Errorf("%d order.paid messages, want 1", n)
	}
}

func flipLast(s string) string {
	if s == "" {
		return "0"
	}
	last := s[len(s)-1]
	repl := byte('0')
	if last == '0' {
		repl = '1'
	}
	return s[:len(s)-1] + string(repl)
}

func eventsOf(t *testing.T, e *env, orderID string) []string {
	t.Helper()
	evs, err := e.svc.Events(t.Context(), orderID)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, len(evs))
	for i, ev := range evs {
		out[i] = ev.Type
	}
	return out
}

// TestTapDuplicateWebhooks: 50 copies of one webhook at once make one paid transition.
func TestTapDuplicateWebhooks(t *testing.T) {
	e := newEnv(t, holdSimWebhooks())
	o := e.createOrder("hook-dup")
	co := e.startPayment(o.ID, nil)
	att := e.getOrder(o.ID).Attempts[0]
	ret := e.payAtSimulator(co, "submit", "2030")

	body := e.charge(att.PaymentID)
	sig := tapHashstring(t, sandboxTapKey, body)
	res := burst(50, func(int) *response { return e.postWebhook(body, sig) })
	for i, r := range res {
		if r.StatusCode != http.StatusOK {
			t.Errorf("webhook %d: status %d: %s", i, r.StatusCode, r.body)
		}
	}
	v := e.getOrder(o.ID)
	if v.Status != "paid" || v.Attempts[0].Status != "paid" {
		t.Fatalf("after the webhooks: %s / %s", v.Status, v.Attempts[0].Status)
	}
	check := func(when string) {
		t.Helper()
		if n := e.events(o.ID, "attempt.status", "paid"); n != 1 {
			t.Errorf("%s: %d attempt.status → paid events, want 1", when, n)
		}
		if n := e.events(o.ID, "order.paid", ""); n != 1 {
			t.Errorf("%s: %d order.paid events, want 1", when, n)
		}
		if n := e.outbox(o.ID, "order.paid"); n != 1 {
			t.Errorf("%s: %d order.paid outbox messages, want 1", when, n)
		}
	}
	check("after 50 webhooks")

	// The browser's return arrives afterwards: still one transition.
	if _, st := e.finish(co, ret); st != "paid" {
		t.Errorf("result page: %s", st)
	}
	check("after the return")
}

// TestLatePaymentAfterExpiry: money that arrives after the order expired is recorded and
// flagged for review, never dropped.
func TestLatePaymentAfterExpiry(t *testing.T) {
	clock := &testClock{}
	e := newEnv(t, withClock(clock.Now))
	res := e.api("POST", "/api/v1/orders", `{"amount":"6.000","currency":"KWD","reference":"late-1","return_url":"https://shop.example/r","expires_in":300}`, nil)
	expectStatus(t, res, http.StatusCreated)
	id := e.countAndID("late-1")
	co := e.startPayment(id, nil)

	clock.Advance(301 * time.Second)
	if n, err := e.svc.ExpireDue(t.Context()); err != nil || n != 1 {
		t.Fatalf("ExpireDue: %d, %v", n, err)
	}
	if v := e.getOrder(id); v.Status != "expired" {
		t.Fatalf("status %s, want expired", v.Status)
	}
	// The shopper was still on the KNET page and pays.
	_, st := e.finish(co, e.payAtSimulator(co, "submit", "2030"))
	v := e.getOrder(id)
	if v.Status != "paid" || !v.NeedsReview || v.Attempts[0].Status != "paid" {
		t.Fatalf("late payment: status %s, needs_review %v, attempt %s; want paid, flagged", v.Status, v.NeedsReview, v.Attempts[0].Status)
	}
	if st != "paid" {
		t.Errorf("the shopper sees %q after paying late, want paid", st)
	}
	if n := e.events(id, "order.late_payment", ""); n != 1 {
		t.Errorf("%d order.late_payment events, want 1", n)
	}
	if n := e.outbox(id, "order.paid"); n != 1 {
		t.Errorf("%d order.paid messages, want 1", n)
	}
}
