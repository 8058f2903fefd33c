package handlers_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bawaba/checkout/api"
	"github.com/bawaba/checkout/internal/qrtest"
)

// createLink creates a payment link through the API and returns its view.
func (e *env) createLink(body string) api.LinkView {
	e.t.Helper()
	res := e.api("POST", "/api/v1/payment_links", body, nil)
	expectStatus(e.t, res, http.StatusCreated)
	var v api.LinkView
	if err := json.Unmarshal(res.body, &v); err != nil {
		e.t.Fatal(err)
	}
	return v
}

func (e *env) getLink(id string) api.LinkView {
	e.t.Helper()
	res := e.api("GET", "/api/v1/payment_links/"+id, "", nil)
	expectStatus(e.t, res, http.StatusOK)
	var v api.LinkView
	if err := json.Unmarshal(res.body, &v); err != nil {
		e.t.Fatal(err)
	}
	return v
}

func (e *env) linkCount() int {
	e.t.Helper()
	res := e.api("GET", "/api/v1/payment_links", "", nil)
	expectStatus(e.t, res, http.StatusOK)
	var list struct{ Data []api.LinkView }
	if err := json.Unmarshal(res.body, &list); err != nil {
		e.t.Fatal(err)
	}
	return len(list.Data)
}

// openLink opens a link's page in browser b and returns the form's csrf and nonce.
func (e *env) openLink(b *http.Client, id, lang string) (csrf, nonce string, page *response) {
	e.t.Helper()
	page = e.get(b, "/l/"+id+"?lang="+lang)
	expectStatus(e.t, page, http.StatusOK)
	return inputValue(e.t, page.body, "csrf"), inputValue(e.t, page.body, "nonce"), page
}

const fixedLink = `{"amount":"6.000","currency":"KWD","description":"Arabic coffee set",
	"items":[{"name":"Dallah","quantity":2,"unit_amount":"3.000"}],"collect":["phone","name"],"single_use":true}`

func TestPaymentLinkAPI(t *testing.T) {
	e := newEnv(t)
	key := map[string]string{"Idempotency-Key": "link-1"}
	first := e.api("POST", "/api/v1/payment_links", fixedLink, key)
	expectStatus(t, first, http.StatusCreated)
	var l api.LinkView
	if err := json.Unmarshal(first.body, &l); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(l.ID, "lnk_") || l.URL != e.base+"/l/"+l.ID || l.QRSVGURL != e.base+"/l/"+l.ID+"/qr.svg" ||
		l.Status != "active" || l.Amount != "6.000" || !l.SingleUse || strings.Join(l.Collect, ",") != "name,phone" ||
		l.PaidAmount != "0.000" || len(l.Items) != 1 {
		t.Fatalf("created link: %+v", l)
	}
	// The same key and body: the first answer, byte for byte; another body: 409; one link made.
	again := e.api("POST", "/api/v1/payment_links", fixedLink, key)
	expectStatus(t, again, http.StatusCreated)
	if string(again.body) != string(first.body) || again.Header.Get("Idempotent-Replayed") != "true" {
		t.Errorf("replay differs: %s", again.body)
	}
	expectStatus(t, e.api("POST", "/api/v1/payment_links", strings.Replace(fixedLink, "coffee", "tea", 1), key), http.StatusConflict)
	if n := e.linkCount(); n != 1 {
		t.Fatalf("%d links after a replay and a conflict, want 1", n)
	}

	open := e.createLink(`{"currency":"KWD","min_amount":"1.000","max_amount":"50.000","description":"Donation"}`)
	if open.Amount != "" || open.MinAmount != "1.000" || open.MaxAmount != "50.000" || open.SingleUse {
		t.Fatalf("open-amount link: %+v", open)
	}
	if n := e.linkCount(); n != 2 {
		t.Fatalf("list has %d links, want 2", n)
	}

	res := e.api("POST", "/api/v1/payment_links/"+open.ID+"/deactivate", "", nil)
	expectStatus(t, res, http.StatusOK)
	if v := e.getLink(open.ID); v.Status != "deactivated" || v.Deactivated == "" {
		t.Fatalf("after deactivate: %+v", v)
	}
	expectStatus(t, e.api("POST", "/api/v1/payment_links/"+open.ID+"/deactivate", "", nil), http.StatusOK)
	expectStatus(t, e.api("GET", "/api/v1/payment_links/lnk_nope", "", nil), http.StatusNotFound)
	expectStatus(t, e.api("POST", "/api/v1/payment_links/lnk_nope/deactivate", "", nil), http.StatusNotFound)
	expectStatus(t, e.api("DELETE", "/api/v1/payment_links/"+open.ID, "", nil), http.StatusMethodNotAllowed)
	expectStatus(t, e.api("GET", "/api/v1/payment_links?limit=0", "", nil), http.StatusUnprocessableEntity)
	expectStatus(t, e.do(nil, "GET", "/api/v1/payment_links", nil, ""), http.StatusUnauthorized)
}

// Every field's validation: 422 problem+json naming the field, and nothing stored.
func TestPaymentLinkValidation(t *testing.T) {
	e := newEnv(t)
	future := time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)
	base := map[string]any{"amount": "6.000", "currency": "KWD", "description": "Coffee"}
	cases := []struct {
		name  string
		set   map[string]any
		drop  []string
		field string
	}{
		{"currency unknown", map[string]any{"currency": "XXX"}, nil, "currency"},
		{"currency missing", nil, []string{"currency"}, "currency"},
		{"amount too many decimals", map[string]any{"amount": "6.0001"}, nil, "amount"},
		{"amount zero", map[string]any{"amount": "0"}, nil, "amount"},
		{"amount negative", map[string]any{"amount": "-1.000"}, nil, "amount"},
		{"amount a number", map[string]any{"amount": 6}, nil, "amount"},
		{"amount and min", map[string]any{"min_amount": "1.000"}, nil, "amount"},
		{"no amount no range", nil, []string{"amount"}, "amount"},
		{"min without max", map[string]any{"min_amount": "1.000"}, []string{"amount"}, "amount"},
		{"min above max", map[string]any{"min_amount": "9.000", "max_amount": "2.000"}, []string{"amount"}, "max_amount"},
		{"min bad scale", map[string]any{"min_amount": "1.0001", "max_amount": "2.000"}, []string{"amount"}, "min_amount"},
		{"max zero", map[string]any{"min_amount": "1.000", "max_amount": "0"}, []string{"amount"}, "max_amount"},
		{"description missing", nil, []string{"description"}, "description"},
		{"description too long", map[string]any{"description": strings.Repeat("x", 501)}, nil, "description"},
		{"description control", map[string]any{"description": "a\x00b"}, nil, "description"},
		{"items do not add up", map[string]any{"items": []any{map[string]any{"name": "A", "quantity": 1, "unit_amount": "5.000"}}}, nil, "items"},
		{"item quantity", map[string]any{"items": []any{map[string]any{"name": "A", "quantity": 0, "unit_amount": "6.000"}}}, nil, "items[0].quantity"},
		{"item name", map[string]any{"items": []any{map[string]any{"name": "", "quantity": 1, "unit_amount": "6.000"}}}, nil, "items[0].name"},
		{"items with open amount", map[string]any{"min_amount": "1.000", "max_amount": "9.000", "items": []any{map[string]any{"name": "A", "quantity": 1, "unit_amount": "6.000"}}}, []string{"amount"}, "items"},
		{"locale", map[string]any{"locale": "fr"}, nil, "locale"},
		{"single_use not bool", map[string]any{"single_use": "yes"}, nil, "single_use"},
		{"max_payments zero", map[string]any{"max_payments": 0}, nil, "max_payments"},
		{"max_payments huge", map[string]any{"max_payments": 1000001}, nil, "max_payments"},
		{"max_payments with single_use", map[string]any{"max_payments": 3, "single_use": true}, nil, "max_payments"},
		{"collect unknown", map[string]any{"collect": []string{"address"}}, nil, "collect[0]"},
		{"collect twice", map[string]any{"collect": []string{"name", "name"}}, nil, "collect[1]"},
		{"return_url", map[string]any{"return_url": "javascript:alert(1)"}, nil, "return_url"},
		{"webhook_url", map[string]any{"webhook_url": "ftp://x"}, nil, "webhook_url"},
		{"metadata value", map[string]any{"metadata": map[string]string{"k": strings.Repeat("v", 501)}}, nil, "metadata.k"},
		{"expires_at syntax", map[string]any{"expires_at": "tomorrow"}, nil, "expires_at"},
		{"expires_at past", map[string]any{"expires_at": "2020-01-01T00:00:00Z"}, nil, "expires_at"},
		{"expires_at too far", map[string]any{"expires_at": time.Now().Add(400 * 24 * time.Hour).UTC().Format(time.RFC3339)}, nil, "expires_at"},
		{"unknown field", map[string]any{"colour": "red"}, nil, "colour"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := map[string]any{}
			for k, v := range base {
				body[k] = v
			}
			for _, k := range tc.drop {
				delete(body, k)
			}
			for k, v := range tc.set {
				body[k] = v
			}
			b, _ := json.Marshal(body)
			res := e.api("POST", "/api/v1/payment_links", string(b), nil)
			expectStatus(t, res, http.StatusUnprocessableEntity)
			if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("content type %q", ct)
			}
			var p struct {
				Errors []struct{ Field string }
			}
			if err := json.Unmarshal(res.body, &p); err != nil {
				t.Fatal(err)
			}
			found := false
			for _, f := range p.Errors {
				found = found || f.Field == tc.field
			}
			if !found {
				t.Errorf("errors do not name %q: %s", tc.field, res.body)
			}
		})
	}
	expectStatus(t, e.api("POST", "/api/v1/payment_links", `{"amount":`, nil), http.StatusBadRequest)
	expectStatus(t, e.do(nil, "POST", "/api/v1/payment_links", map[string]string{"Authorization": "Bearer " + e.apiKey, "Content-Type": "text/plain"}, `{}`), http.StatusUnsupportedMediaType)
	if n := e.linkCount(); n != 0 {
		t.Fatalf("%d links stored by bad requests", n)
	}
	// The base itself is valid, with an expiry.
	ok := e.createLink(`{"amount":"6.000","currency":"KWD","description":"Coffee","expires_at":"` + future + `"}`)
	if ok.ExpiresAt == "" {
		t.Errorf("expires_at lost: %+v", ok)
	}
}

// A shopper opens a single-use link, fills it in and pays with KNET through Tap: the order
// carries the link (API and webhooks), the link counts it, and then answers 410.
func TestPaymentLinkShopperPaysSingleUse(t *testing.T) {
	e := newEnv(t)
	l := e.createLink(fixedLink)
	b := e.browser()

	for _, lang := range []string{"ar", "en"} {
		_, _, page := e.openLink(b, l.ID, lang)
		noRawKeys(t, page.body)
		for _, want := range []string{`lang="` + lang + `"`, `name="name"`, `name="phone"`, `data-testid="link-continue"`, "Dallah", "Test Shop"} {
			if !strings.Contains(page.text(), want) {
				t.Errorf("/l/{id}?lang=%s lacks %q", lang, want)
			}
		}
		if strings.Contains(page.text(), `name="email"`) || strings.Contains(page.text(), `name="amount"`) {
			t.Errorf("/l/{id} asks for a field the link does not collect")
		}
	}
	csrf, nonce, _ := e.openLink(b, l.ID, "en")

	// Missing and bad fields: the form again (422), no order.
	bad := e.postForm(b, "/l/"+l.ID, url.Values{"csrf": {csrf}, "nonce": {nonce}, "name": {""}, "phone": {"5123 4567"}})
	expectStatus(t, bad, http.StatusUnprocessableEntity)
	for _, want := range []string{`data-testid="link-name-error"`, `data-testid="link-phone-error"`, `aria-invalid="true"`} {
		if !strings.Contains(bad.text(), want) {
			t.Errorf("422 form lacks %q", want)
		}
	}
	if v := e.getLink(l.ID); v.Orders != 0 {
		t.Fatalf("bad input made %d orders", v.Orders)
	}
	// Without the CSRF token: refused, nothing made.
	expectStatus(t, e.postForm(b, "/l/"+l.ID, url.Values{"nonce": {nonce}, "name": {"Fatima"}, "phone": {"+965 5123 4567"}}), http.StatusForbidden)

	form := url.Values{"csrf": {csrf}, "nonce": {nonce}, "name": {"Fatima Al-Sabah"}, "phone": {"+965 5123 4567"}}
	loc := expectRedirect(t, e.postForm(b, "/l/"+l.ID, form))
	// A double click (the same nonce) is the same order.
	if loc2 := expectRedirect(t, e.postForm(b, "/l/"+l.ID, form)); loc2 != loc {
		t.Fatalf("second click went to %q, first to %q", loc2, loc)
	}
	orderID := strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], e.base+"/pay/")
	o := e.getOrder(orderID)
	if o.PaymentLink != l.ID || o.Reference != "link:"+l.ID+":1" || o.Amount != "6.000" || o.Customer == nil ||
		o.Customer.Name != "Fatima Al-Sabah" || o.Customer.Phone != "+965 5123 4567" || len(o.Items) != 1 {
		t.Fatalf("link order: %+v", o)
	}
	// Coming back to a single-use link with its order open (new page, new nonce) reuses it.
	b2 := e.browser()
	c3, n3, _ := e.openLink(b2, l.ID, "ar")
	if loc3 := expectRedirect(t, e.postForm(b2, "/l/"+l.ID, url.Values{"csrf": {c3}, "nonce": {n3}, "name": {"Other"}, "phone": {"+966 5000 0000"}})); !strings.HasPrefix(loc3, e.base+"/pay/"+orderID) {
		t.Fatalf("second shopper got %q, want the open order %s", loc3, orderID)
	}

	co := e.startPayment(orderID, b)
	if _, status := e.finish(co, e.payAtSimulator(co, "pay", "2030")); status != "paid" {
		t.Fatalf("link order status %q, want paid", status)
	}
	v := e.getLink(l.ID)
	if v.Status != "used_up" || v.Orders != 1 || v.PaidCount != 1 || v.PaidAmount != "6.000" || v.Views < 4 {
		t.Fatalf("after payment: %+v", v)
	}
	gone := e.get(e.browser(), "/l/"+l.ID+"?lang=ar")
	expectStatus(t, gone, http.StatusGone)
	noRawKeys(t, gone.body)
	expectStatus(t, e.postForm(b, "/l/"+l.ID, url.Values{"csrf": {csrf}, "nonce": {"fresh-nonce"}, "name": {"x"}, "phone": {"+965 1234 5678"}}), http.StatusGone)
	if v := e.getLink(l.ID); v.Orders != 1 {
		t.Fatalf("a used-up link made an order: %+v", v)
	}

	// The merchant webhooks of the order carry the link.
	msgs, err := e.db.DueMessages(context.Background(), time.Now().Add(time.Hour), 100)
	if err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, m := range msgs {
		if m.OrderID == orderID {
			seen++
			if !strings.Contains(string(m.Payload), `"payment_link":"`+l.ID+`"`) {
				t.Errorf("webhook %s lacks payment_link: %s", m.Type, m.Payload)
			}
		}
	}
	if seen == 0 {
		t.Error("no merchant webhook for the link order")
	}
}

// 200 concurrent Continues on a single-use link make one order.
func TestPaymentLinkSingleUseRace(t *testing.T) {
	e := newEnv(t)
	l := e.createLink(`{"amount":"2.500","currency":"KWD","description":"Dates","single_use":true}`)
	b := e.browser()
	csrf, _, _ := e.openLink(b, l.ID, "en")
	var wg sync.WaitGroup
	locs := make([]string, 200)
	for i := range locs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// Each its own nonce: 200 shoppers, not a double click.
			res := e.postForm(b, "/l/"+l.ID, url.Values{"csrf": {csrf}, "nonce": {"n" + strconv.Itoa(i)}})
			if res.StatusCode == http.StatusSeeOther {
				locs[i] = strings.SplitN(res.Header.Get("Location"), "?", 2)[0]
			} else {
				t.Errorf("continue %d: %d", i, res.StatusCode)
			}
		}()
	}
	wg.Wait()
	for _, loc := range locs {
		if loc != locs[0] {
			t.Fatalf("two orders: %q and %q", locs[0], loc)
		}
	}
	if v := e.getLink(l.ID); v.Orders != 1 {
		t.Fatalf("link has %d orders, want 1", v.Orders)
	}
}

// A reusable link with an amount the shopper enters: range and scale checked, limits and
// expiry and deactivation end it.
func TestPaymentLinkOpenAmountAndLimits(t *testing.T) {
	clk := &testClock{}
	e := newEnv(t, withClock(clk.Now))
	exp := clk.Now().Add(2 * time.Hour).UTC().Format(time.RFC3339)
	l := e.createLink(`{"currency":"KWD","min_amount":"1.000","max_amount":"50.000","description":"Donation","max_payments":2,"expires_at":"` + exp + `","collect":["email"]}`)
	b := e.browser()
	post := func(amount, email string) *response {
		csrf, nonce, _ := e.openLink(b, l.ID, "en")
		return e.postForm(b, "/l/"+l.ID, url.Values{"csrf": {csrf}, "nonce": {nonce}, "amount": {amount}, "email": {email}})
	}
	for _, tc := range []struct{ amount, email, testid string }{
		{"0.500", "a@example.com", "link-amount-error"},
		{"51", "a@example.com", "link-amount-error"},
		{"1.0001", "a@example.com", "link-amount-error"},
		{"abc", "a@example.com", "link-amount-error"},
		{"", "a@example.com", "link-amount-error"},
		{"5", "not-an-email", "link-email-error"},
	} {
		res := post(tc.amount, tc.email)
		expectStatus(t, res, http.StatusUnprocessableEntity)
		if !strings.Contains(res.text(), `data-testid="`+tc.testid+`"`) {
			t.Errorf("amount %q email %q: no %s", tc.amount, tc.email, tc.testid)
		}
	}
	loc := expectRedirect(t, post("12.5", "a@example.com"))
	o := e.getOrder(strings.TrimPrefix(strings.SplitN(loc, "?", 2)[0], e.base+"/pay/"))
	if o.Amount != "12.500" || o.Customer == nil || o.Customer.Email != "a@example.com" || o.Reference != "link:"+l.ID+":1" {
		t.Fatalf("open-amount order: %+v", o)
	}
	expectRedirect(t, post("3", "b@example.com"))
	// Two orders open of two allowed: the third shopper is asked to come back (409), nothing made.
	expectStatus(t, post("4", "c@example.com"), http.StatusConflict)
	if v := e.getLink(l.ID); v.Orders != 2 || v.Status != "active" {
		t.Fatalf("at the limit: %+v", v)
	}
	// Past its expiry the link is gone.
	clk.Advance(3 * time.Hour)
	expectStatus(t, e.get(b, "/l/"+l.ID), http.StatusGone)
	if v := e.getLink(l.ID); v.Status != "expired" {
		t.Fatalf("after expiry: %+v", v)
	}
	// Deactivated: gone, too.
	l2 := e.createLink(`{"amount":"1.000","currency":"KWD","description":"Tea"}`)
	expectStatus(t, e.api("POST", "/api/v1/payment_links/"+l2.ID+"/deactivate", "", nil), http.StatusOK)
	gone := e.get(b, "/l/"+l2.ID+"?lang=en")
	expectStatus(t, gone, http.StatusGone)
	if !strings.Contains(gone.text(), "switched off") {
		t.Errorf("deactivated page: %s", clip(gone.body))
	}
	expectStatus(t, e.get(b, "/l/lnk_unknown"), http.StatusNotFound)
}

// The link's QR code scans (gozxing) to the link's URL; an unknown link has none.
func TestPaymentLinkQR(t *testing.T) {
	e := newEnv(t)
	l := e.createLink(fixedLink)
	res := e.get(nil, "/l/"+l.ID+"/qr.svg")
	expectStatus(t, res, http.StatusOK)
	if ct := res.Header.Get("Content-Type"); ct != "image/svg+xml" {
		t.Errorf("content type %q", ct)
	}
	got, err := qrtest.DecodeSVG(res.body)
	if err != nil {
		t.Fatalf("decode: %v\n%s", err, clip(res.body))
	}
	if got != l.URL {
		t.Fatalf("QR says %q, want %q", got, l.URL)
	}
	expectStatus(t, e.get(nil, "/l/lnk_unknown/qr.svg"), http.StatusNotFound)
}
