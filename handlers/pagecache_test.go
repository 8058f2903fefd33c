package handlers_test

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// Pages kept by the shopper handlers (keep) follow every change of their order and of the clock:
// a reload serves the same bytes, and the first view after a write, a tick of the clock or a
// language switch shows what is true now.
func TestKeptPagesFollowTheOrder(t *testing.T) {
	clock := &testClock{}
	e := newEnv(t, withClock(clock.Now))
	o := e.createOrder("kept-1")
	b := e.browser()
	pay := "/pay/" + o.ID

	first := e.get(b, pay+"?lang=en")
	expectStatus(t, first, http.StatusOK)
	again := e.get(b, pay+"?lang=en")
	if again.text() != first.text() {
		t.Error("a reload of an unchanged order changed the page")
	}
	if ar := e.get(b, pay+"?lang=ar"); !strings.Contains(ar.text(), `dir="rtl"`) {
		t.Error("the Arabic page came back in English")
	}
	clock.Advance(2 * time.Minute)
	if later := e.get(b, pay+"?lang=en"); later.text() == first.text() {
		t.Error("the time left did not move with the clock")
	}

	// A failed attempt, then a paid one: each write shows on the next view of the result page.
	co := e.startPayment(o.ID, b)
	page, status := e.finish(co, e.payAtSimulator(co, "pay", "2029"))
	if status != "failed" {
		t.Fatalf("declined payment: data-status %q", status)
	}
	if again := e.get(b, "/pay/"+o.ID+"/result"); again.text() != page.text() {
		t.Error("a reload of the failed result changed the page")
	}
	co = e.startPayment(o.ID, b)
	if _, status := e.finish(co, e.payAtSimulator(co, "pay", "2030")); status != "paid" {
		t.Fatalf("paid: data-status %q", status)
	}
	if loc := expectRedirect(t, e.get(b, pay)); !strings.HasSuffix(loc, "/result") {
		t.Errorf("the pay page of a paid order went to %q", loc)
	}

	// A cancellation through the API: the kept pay page is not served again.
	o2 := e.createOrder("kept-2")
	expectStatus(t, e.get(b, "/pay/"+o2.ID), http.StatusOK)
	expectStatus(t, e.api("POST", "/api/v1/orders/"+o2.ID+"/cancel", "", nil), http.StatusOK)
	if loc := expectRedirect(t, e.get(b, "/pay/"+o2.ID)); !strings.HasSuffix(loc, "/result") {
		t.Errorf("the pay page of a cancelled order went to %q", loc)
	}
	if st := shopperStatus(t, e.get(b, "/pay/"+o2.ID+"/result").body); st != "cancelled" {
		t.Errorf("cancelled order: data-status %q", st)
	}
	// And once its time is up, an order kept as open shows as expired without any write.
	o3 := e.createOrder("kept-3")
	expectStatus(t, e.get(b, "/pay/"+o3.ID), http.StatusOK)
	clock.Advance(24 * time.Hour)
	expectRedirect(t, e.get(b, "/pay/"+o3.ID))
	if st := shopperStatus(t, e.get(b, "/pay/"+o3.ID+"/result").body); st != "expired" {
		t.Errorf("order past its time: data-status %q", st)
	}
}
