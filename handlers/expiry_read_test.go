package handlers_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// An order past its expires_at reads as expired everywhere before the expiry worker has run:
// the API (get and list by reference) and a single-use payment link, which neither hands out
// the expired order nor counts it as the one open order it must reuse; it behaves exactly as
// it does once the worker has written the expiry.
func TestExpiredBeforeTheWorker(t *testing.T) {
	clock := &testClock{}
	e := newEnv(t, withClock(clock.Now))
	res := e.api("POST", "/api/v1/orders", `{"amount":"2.750","currency":"KWD","reference":"read-exp-1","return_url":"https://shop.example/r","expires_in":300}`, nil)
	expectStatus(t, res, http.StatusCreated)
	id := e.countAndID("read-exp-1")
	if v := e.getOrder(id); v.Status != "open" {
		t.Fatalf("new order: %q", v.Status)
	}
	clock.Advance(300 * time.Second)
	if v := e.getOrder(id); v.Status != "expired" {
		t.Errorf("order at its expires_at reads %q, want expired", v.Status)
	}
	if list := e.api("GET", "/api/v1/orders?reference=read-exp-1", "", nil); !strings.Contains(list.text(), `"status":"expired"`) {
		t.Errorf("list by reference: %s", list.body)
	}

	l := e.createLink(`{"amount":"2.500","currency":"KWD","description":"Dates","single_use":true}`)
	b := e.browser()
	csrf, _, _ := e.openLink(b, l.ID, "en")
	cont := func(nonce string) string {
		res := e.postForm(b, "/l/"+l.ID, url.Values{"csrf": {csrf}, "nonce": {nonce}})
		expectStatus(t, res, http.StatusSeeOther)
		return strings.SplitN(res.Header.Get("Location"), "?", 2)[0]
	}
	first := cont("a")
	if again := cont("b"); again != first {
		t.Fatalf("single-use link with an open order made another: %q, %q", first, again)
	}
	clock.Advance(25 * time.Hour) // past the link order's expires_at; the worker has not run
	firstID := first[strings.LastIndex(first, "/")+1:]
	if v := e.getOrder(firstID); v.Status != "expired" {
		t.Errorf("link order past its time reads %q", v.Status)
	}
	second := cont("c")
	if second == first {
		t.Fatal("the single-use link handed out its expired order")
	}
	if _, err := e.svc.ExpireDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	if third := cont("d"); third != second {
		t.Errorf("after the worker ran the link made another order: %q, %q", second, third)
	}
	if v := e.getLink(l.ID); v.Orders != 2 {
		t.Errorf("link has %d orders, want 2 (the expired one and the open one)", v.Orders)
	}
}
