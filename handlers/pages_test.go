package handlers_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bawaba/checkout/handlers"
)

// pageScenario is one shopper page request and what must come of it.
type pageScenario struct {
	name        string
	before      func(t *testing.T, e *env) map[string]string // values for "{name}" in path/expectations
	method      string
	path        string
	headers     map[string]string
	status      int
	contains    []string
	notContains []string
	headersWant map[string]string // header → required substring
}

var friendlyNoLeak = []string{"goroutine", "panic", ".go:", "runtime.", "sql:", "order: not found", sandboxTapKey}

func TestShopperPages(t *testing.T) {
	scenarios := []pageScenario{
		{
			name: "unknown order, English", method: "GET", path: "/pay/ord_doesnotexist",
			status:      http.StatusNotFound,
			contains:    []string{`data-testid="error-page"`, `data-code="404"`, `<html lang="en" dir="ltr">`, "Order not found", `data-testid="lang-switch"`},
			notContains: friendlyNoLeak,
			headersWant: map[string]string{"Cache-Control": "no-store", "Content-Type": "text/html"},
		},
		{
			name: "unknown order, Arabic by Accept-Language", method: "GET", path: "/pay/ord_doesnotexist",
			headers: map[string]string{"Accept-Language": "ar-KW,ar;q=0.9,en;q=0.5"},
			status:  http.StatusNotFound, contains: []string{`data-testid="error-page"`, `<html lang="ar" dir="rtl">`},
			notContains: append([]string{"Order not found"}, friendlyNoLeak...),
		},
		{
			name: "unknown order, Arabic by ?lang", method: "GET", path: "/pay/ord_doesnotexist/result?lang=ar",
			status: http.StatusNotFound, contains: []string{`data-testid="error-page"`, `<html lang="ar" dir="rtl">`},
			notContains: friendlyNoLeak,
		},
		{
			name: "unknown order's confirm page", method: "GET", path: "/pay/ord_doesnotexist/confirm?method=knet",
			status: http.StatusNotFound, contains: []string{`data-testid="error-page"`}, notContains: friendlyNoLeak,
		},
		{
			name: "unknown attempt's return", method: "GET", path: "/return/tap/att_doesnotexist?tap_id=chg_TS00A0020250101Abcd0000000",
			status: http.StatusNotFound, contains: []string{`data-testid="error-page"`}, notContains: friendlyNoLeak,
		},
		{
			name: "an attempt returned under another gateway's name", method: "GET", path: "/return/kpay/{attempt}",
			before: func(t *testing.T, e *env) map[string]string {
				o := e.createOrder("pages-gw")
				e.startPayment(o.ID, nil)
				return map[string]string{"attempt": e.getOrder(o.ID).Attempts[0].ID}
			},
			status: http.StatusNotFound, contains: []string{`data-testid="error-page"`}, notContains: friendlyNoLeak,
		},
		{
			name: "unknown path", method: "GET", path: "/no/such/page",
			status: http.StatusNotFound, contains: []string{`data-testid="error-page"`}, notContains: friendlyNoLeak,
		},
		{
			name: "webhook of an unknown gateway", method: "POST", path: "/webhooks/nosuchgateway",
			status: http.StatusNotFound,
		},
		{
			name: "the method page is never cached", method: "GET", path: "/pay/{order}", before: withOrder,
			status:      http.StatusOK,
			contains:    []string{`data-testid="method-knet"`, `data-testid="order-total"`, `held-1`, `minutes left to pay`},
			headersWant: map[string]string{"Cache-Control": "no-store", "Content-Security-Policy": "frame-ancestors 'none'", "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff"},
		},
		{
			name: "the confirm page is never cached", method: "GET", path: "/pay/{order}/confirm?method=knet", before: withOrder,
			status: http.StatusOK, contains: []string{`name="csrf"`, `data-testid="pay"`},
			headersWant: map[string]string{"Cache-Control": "no-store"},
		},
		{
			name: "confirm with a method the order cannot take", method: "GET", path: "/pay/{order}/confirm?method=card", before: withOrder,
			status: http.StatusSeeOther, headersWant: map[string]string{"Location": "/pay/{order}?error=method"},
		},
		{
			name: "the method page names a refused method", method: "GET", path: "/pay/{order}?error=method", before: withOrder,
			status: http.StatusOK, contains: []string{`role="alert"`, "Please choose a payment method."},
		},
		{
			name: "an order without an attempt has no result yet", method: "GET", path: "/pay/{order}/result", before: withOrder,
			status: http.StatusSeeOther, headersWant: map[string]string{"Location": "/pay/{order}", "Cache-Control": "no-store"},
		},
		{
			name: "status JSON", method: "GET", path: "/pay/{order}/status", before: withOrder,
			status: http.StatusOK, contains: []string{`{"status":"choose"}`}, headersWant: map[string]string{"Cache-Control": "no-store"},
		},
		{
			name: "a merchant-cancelled order shows its result", method: "GET", path: "/pay/{order}/result", before: func(t *testing.T, e *env) map[string]string {
				vars := withOrder(t, e)
				expectStatus(t, e.api("POST", "/api/v1/orders/"+vars["order"]+"/cancel", "", nil), http.StatusOK)
				return vars
			},
			status:   http.StatusOK,
			contains: []string{`data-testid="order-status" data-status="cancelled"`, "The shop cancelled this order"},
		},
		{
			name: "merchant text is escaped", method: "GET", path: "/pay/{order}",
			before: func(t *testing.T, e *env) map[string]string {
				res := e.api("POST", "/api/v1/orders", `{"amount":"1.500","currency":"KWD","reference":"<img src=x onerror=alert(1)>",`+
					`"description":"<script>alert(1)</script>","items":[{"name":"<b>bold</b>","quantity":1,"unit_amount":"1.500"}],`+
					`"return_url":"https://shop.example/"}`, nil)
				expectStatus(t, res, http.StatusCreated)
				return map[string]string{"order": e.countAndID("<img src=x onerror=alert(1)>")}
			},
			status:      http.StatusOK,
			contains:    []string{"&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;b&gt;bold&lt;/b&gt;", "&lt;img src=x onerror=alert(1)&gt;"},
			notContains: []string{"<script>alert", "<b>bold", "<img src=x"},
		},
		{
			name: "health", method: "GET", path: "/healthz",
			status: http.StatusOK, contains: []string{`"status":"ok"`, `"database":"ok"`},
		},
		{
			name: "the demo shop", method: "GET", path: "/",
			status: http.StatusOK, contains: []string{`name="csrf"`, `data-testid="demo-buy"`, `<meta name="description" content="Bawaba demo shop`, `rel="icon"`},
			notContains: []string{`name="robots"`},
		},
		{
			name: "payment pages are not indexed and carry the icon and the headers", method: "GET", path: "/pay/{order}", before: withOrder,
			status:      http.StatusOK,
			contains:    []string{`<meta name="robots" content="noindex">`, `<link rel="icon" href="/assets/favicon.`, `<section class="sandbox" aria-label="Sandbox notice">`},
			headersWant: map[string]string{"Permissions-Policy": "camera=()", "Referrer-Policy": "no-referrer"},
		},
		{
			name: "error pages are not indexed either", method: "GET", path: "/pay/ord_doesnotexist?lang=ar",
			status: http.StatusNotFound, contains: []string{`<meta name="robots" content="noindex">`, `aria-label="تنبيه البيئة التجريبية"`},
		},
		{
			name: "a favicon for pages that do not link one (the simulators')", method: "GET", path: "/favicon.ico",
			status: http.StatusOK, contains: []string{"<svg", "<title>Bawaba</title>"},
			headersWant: map[string]string{"Content-Type": "image/svg+xml", "Cache-Control": "max-age="},
		},
	}
	for _, s := range scenarios {
		t.Run(s.name, func(t *testing.T) {
			e := newEnv(t)
			vars := map[string]string{}
			if s.before != nil {
				vars = s.before(t, e)
			}
			sub := func(x string) string {
				for k, v := range vars {
					x = strings.ReplaceAll(x, "{"+k+"}", v)
				}
				return x
			}
			res := e.do(e.browser(), s.method, sub(s.path), s.headers, "")
			if res.StatusCode != s.status {
				t.Fatalf("status %d, want %d: %s", res.StatusCode, s.status, clip(res.body))
			}
			if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
				noRawKeys(t, res.body)
			}
			for _, c := range s.contains {
				if !strings.Contains(res.text(), sub(c)) {
					t.Errorf("page lacks %q: %s", sub(c), clip(res.body))
				}
			}
			for _, c := range s.notContains {
				if strings.Contains(res.text(), sub(c)) {
					t.Errorf("page contains %q", sub(c))
				}
			}
			for k, v := range s.headersWant {
				if got := res.Header.Get(k); !strings.Contains(got, sub(v)) {
					t.Errorf("header %s = %q, want it to contain %q", k, got, sub(v))
				}
			}
		})
	}
}

func TestAssetsAreFingerprinted(t *testing.T) {
	e := newEnv(t)
	o := e.createOrder("assets-1")
	page := e.get(nil, "/pay/"+o.ID)
	expectStatus(t, page, http.StatusOK)

	re := regexp.MustCompile(`/assets/([a-z0-9_-]+)\.([0-9a-f]{8})\.(css|js|svg)`)
	found := map[string]string{}
	for _, m := range re.FindAllStringSubmatch(page.text(), -1) {
		found[m[1]+"."+m[3]] = m[0]
	}
	for _, want := range []string{"app.css", "app.js", "knet.svg"} {
		if found[want] == "" {
			t.Errorf("page does not link a fingerprinted %s (found %v)", want, found)
		}
	}
	types := map[string]string{"css": "text/css", "js": "text/javascript", "svg": "image/svg+xml"}
	for name, path := range found {
		res := e.get(nil, path)
		expectStatus(t, res, http.StatusOK)
		if cc := res.Header.Get("Cache-Control"); !strings.Contains(cc, "immutable") || !strings.Contains(cc, "max-age=31536000") {
			t.Errorf("%s: Cache-Control %q", path, cc)
		}
		ext := name[strings.LastIndex(name, ".")+1:]
		if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, types[ext]) {
			t.Errorf("%s: Content-Type %q", path, ct)
		}
		if len(res.body) == 0 {
			t.Errorf("%s: empty", path)
		}
	}
	// Another fingerprint, or none, is not served.
	for _, p := range []string{"/assets/app.css", "/assets/app.00000000.css", "/assets/../go.mod"} {
		res := e.get(nil, p)
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", p, res.StatusCode)
		}
		if strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
			t.Errorf("%s: a 404 cached as immutable", p)
		}
	}
}

func TestExpiredOrder(t *testing.T) {
	clock := &testClock{}
	e := newEnv(t, withClock(clock.Now))
	res := e.api("POST", "/api/v1/orders", `{"amount":"2.750","currency":"KWD","reference":"exp-1","return_url":"https://shop.example/r","expires_in":300}`, nil)
	expectStatus(t, res, http.StatusCreated)
	id := e.countAndID("exp-1")
	b := e.browser()
	conf := e.get(b, "/pay/"+id+"/confirm?method=knet")
	expectStatus(t, conf, http.StatusOK)
	csrf := inputValue(t, conf.body, "csrf")

	clock.Advance(301 * time.Second)
	result := e.base + "/pay/" + id + "/result"
	if loc := expectRedirect(t, e.get(b, "/pay/"+id)); loc != result {
		t.Errorf("expired /pay → %q", loc)
	}
	// The confirm form, still open in a tab, cannot start a payment any more.
	if loc := expectRedirect(t, e.postForm(b, "/pay/"+id+"/confirm", url.Values{"csrf": {csrf}, "method": {"knet"}})); loc != result {
		t.Errorf("expired confirm → %q", loc)
	}
	page := e.get(b, result)
	expectStatus(t, page, http.StatusGone)
	if st := shopperStatus(t, page.body); st != "expired" {
		t.Errorf("data-status %q, want expired", st)
	}
	back := hrefOf(t, page.body, "result-primary")
	u, _ := url.Parse(back)
	if u.Query().Get("status") != "expired" || u.Query().Get("signature") != handlers.ReturnSignature(testReturnSecret, id, "expired") {
		t.Errorf("expired back link %q", back)
	}
	if v := e.getOrder(id); len(v.Attempts) != 0 {
		t.Errorf("an attempt was started on an expired order: %+v", v.Attempts)
	}
}

// The pending page says what is happening without a clock to pay against, always offers the
// way back to the shop, and offers another way to pay only once the attempt looks abandoned.
func TestPendingPage(t *testing.T) {
	clock := &testClock{}
	e := newEnv(t, withClock(clock.Now))
	o := e.createOrder("pending-1")
	co := e.startPayment(o.ID, nil)
	result := "/pay/" + o.ID + "/result"
	page := e.get(co.browser, result)
	expectStatus(t, page, http.StatusOK)
	if st := shopperStatus(t, page.body); st != "pending" {
		t.Fatalf("data-status %q, want pending", st)
	}
	for _, want := range []string{"We are confirming the payment", `http-equiv="refresh"`, `data-poll="/pay/` + o.ID + `/status"`} {
		if !strings.Contains(page.text(), want) {
			t.Errorf("pending page lacks %q", want)
		}
	}
	if strings.Contains(page.text(), "left to pay") || strings.Contains(page.text(), `data-testid="result-primary"`) {
		t.Error("a fresh pending page shows a clock to pay against or another way to pay")
	}
	back, _ := url.Parse(hrefOf(t, page.body, "result-secondary"))
	if back.Query().Get("status") != "pending" || back.Query().Get("signature") != handlers.ReturnSignature(testReturnSecret, o.ID, "pending") {
		t.Errorf("pending back link %q", back)
	}

	clock.Advance(11 * time.Minute) // the shopper left the gateway's page without paying
	page = e.get(co.browser, result)
	if st := shopperStatus(t, page.body); st != "pending" {
		t.Fatalf("data-status %q, want pending", st)
	}
	if got := hrefOf(t, page.body, "result-primary"); got != "/pay/"+o.ID {
		t.Errorf("abandoned pending page: try another way → %q", got)
	}
	if !strings.Contains(page.text(), "has not moved for a while") {
		t.Error("abandoned pending page does not say so")
	}
}

// countAndID returns the id of the one order with a reference.
func (e *env) countAndID(ref string) string {
	e.t.Helper()
	res := e.api("GET", "/api/v1/orders?reference="+url.QueryEscape(ref), "", nil)
	m := regexp.MustCompile(`"id":"(ord_[A-Za-z0-9]+)"`).FindAllStringSubmatch(res.text(), -1)
	if len(m) != 1 {
		e.t.Fatalf("orders with reference %q: %s", ref, res.body)
	}
	return m[0][1]
}

func TestDemoShop(t *testing.T) {
	e := newEnv(t)
	b := e.browser()
	home := e.get(b, "/?lang=ar")
	expectStatus(t, home, http.StatusOK)
	if !strings.Contains(home.text(), `<html lang="ar" dir="rtl">`) {
		t.Errorf("demo ?lang=ar is not Arabic")
	}
	csrf := inputValue(t, home.body, "csrf")
	if res := e.postForm(b, "/demo/orders", url.Values{"product": {"coffee"}}); res.StatusCode != http.StatusForbidden {
		t.Errorf("demo order without csrf: %d", res.StatusCode)
	}
	if res := e.postForm(b, "/demo/orders", url.Values{"csrf": {csrf}, "product": {"caviar"}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown product: %d", res.StatusCode)
	}
	loc := expectRedirect(t, e.postForm(b, "/demo/orders", url.Values{"csrf": {csrf}, "product": {"coffee"}}))
	id := strings.TrimPrefix(loc, e.base+"/pay/")
	if id == loc {
		t.Fatalf("demo order went to %q", loc)
	}
	v := e.getOrder(id)
	if v.Amount != "6.000" || v.Currency != "KWD" || v.Locale != "ar" {
		t.Errorf("demo order: %+v", v)
	}
	co := e.startPayment(id, b)
	page, st := e.finish(co, e.payAtSimulator(co, "submit", "2030"))
	if st != "paid" {
		t.Fatalf("demo order: %s", st)
	}
	back := e.get(b, hrefOf(t, page.body, "result-primary"))
	expectStatus(t, back, http.StatusOK)
	if !strings.Contains(back.text(), `data-verified="true" data-status="paid"`) {
		t.Errorf("the demo shop does not verify the signed return: %s", clip(back.body))
	}
	for _, forged := range []string{
		"/demo/return?order_id=" + id + "&status=paid&signature=00",
		"/demo/return?order_id=" + id + "&status=paid&signature=" + handlers.ReturnSignature(testReturnSecret, id, "failed"),
		"/demo/return?order_id=" + id + "&status=paid&signature=" + handlers.ReturnSignature("another secret", id, "paid"),
	} {
		if res := e.get(b, forged); !strings.Contains(res.text(), `data-verified="false"`) {
			t.Errorf("the demo shop trusted %s: %s", forged, clip(res.body))
		}
	}
}
