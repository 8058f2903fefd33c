package admin

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bawaba/checkout/internal/dbtest"
	"github.com/bawaba/checkout/store"
)

// harness is the console on a fiber app over a real store (SQLite, then PostgreSQL: dbtest),
// with a movable clock.
type harness struct {
	t   *testing.T
	app *fiber.App
	db  *store.DB

	mu  sync.Mutex
	now time.Time
}

const testPassword = "correct horse battery"

func newHarness(t *testing.T) *harness {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, dbtest.DB(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	h := &harness{t: t, db: db, now: time.Now()}
	hash, err := HashPassword(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateUser(ctx, "owner@shop.test", hash); err != nil {
		t.Fatal(err)
	}
	c, err := New(ctx, Config{
		BaseURL: "http://console.test", MerchantName: "Test Shop", Store: db,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), Now: h.clock,
	})
	if err != nil {
		t.Fatal(err)
	}
	h.app = fiber.New(fiber.Config{Immutable: true})
	c.Mount(h.app)
	return h
}

func (h *harness) clock() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.now
}

func (h *harness) advance(d time.Duration) {
	h.mu.Lock()
	h.now = h.now.Add(d)
	h.mu.Unlock()
}

// browser keeps cookies between requests like a browser on the console's origin.
type browser struct {
	h       *harness
	cookies map[string]string
}

func (h *harness) browser() *browser { return &browser{h: h, cookies: map[string]string{}} }

func (b *browser) do(method, path string, form url.Values, header map[string]string) (*http.Response, string) {
	b.h.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, "http://console.test"+path, body)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	for k, v := range b.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	resp, err := b.h.app.Test(req, 10_000)
	if err != nil {
		b.h.t.Fatal(err)
	}
	for _, c := range resp.Cookies() {
		b.cookies[c.Name] = c.Value
	}
	out, _ := io.ReadAll(resp.Body)
	return resp, string(out)
}

var csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

func (b *browser) csrf(path string) string {
	b.h.t.Helper()
	_, body := b.do("GET", path, nil, nil)
	m := csrfRE.FindStringSubmatch(body)
	if m == nil {
		b.h.t.Fatalf("no CSRF token on %s:\n%s", path, body)
	}
	return m[1]
}

func (b *browser) login(email, password string) *http.Response {
	tok := b.csrf("/admin/login")
	resp, _ := b.do("POST", "/admin/login", url.Values{"csrf": {tok}, "email": {email}, "password": {password}}, nil)
	return resp
}

func TestConsoleRefusesWithoutSession(t *testing.T) {
	h := newHarness(t)
	_, key, err := h.db.CreateAPIKey(context.Background(), "shop")
	if err != nil {
		t.Fatal(err)
	}
	b := h.browser()
	for _, tc := range []struct {
		method, path string
		header       map[string]string
		status       int
		location     string
	}{
		{"GET", "/admin", nil, 303, "/admin/login?next=%2Fadmin"},
		{"GET", "/admin/keys", nil, 303, "/admin/login?next=%2Fadmin%2Fkeys"},
		{"GET", "/admin/keys", map[string]string{"Authorization": "Bearer " + key}, 303, "/admin/login?next=%2Fadmin%2Fkeys"},
		{"POST", "/admin/keys", map[string]string{"Authorization": "Bearer " + key}, 303, "/admin/login"},
		{"GET", "/admin/orders.csv", map[string]string{"Authorization": "Bearer " + key}, 401, ""},
	} {
		resp, _ := b.do(tc.method, tc.path, url.Values{}, tc.header)
		if resp.StatusCode != tc.status || resp.Header.Get("Location") != tc.location {
			t.Errorf("%s %s: %d %q, want %d %q", tc.method, tc.path, resp.StatusCode, resp.Header.Get("Location"), tc.status, tc.location)
		}
	}
}

func TestLoginAndSession(t *testing.T) {
	h := newHarness(t)
	b := h.browser()
	if resp := b.login("owner@shop.test", "wrong password!"); resp.StatusCode != 401 {
		t.Fatalf("wrong password: %d", resp.StatusCode)
	}
	resp := b.login("OWNER@shop.test", testPassword)
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/admin" {
		t.Fatalf("login: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	sc := resp.Header.Get("Set-Cookie")
	for _, want := range []string{"bawaba_admin=", "Path=/admin", "HttpOnly", "SameSite=Strict"} {
		if !strings.Contains(sc, want) {
			t.Errorf("Set-Cookie %q lacks %q", sc, want)
		}
	}
	if strings.Contains(sc, "Secure") {
		t.Errorf("Secure cookie on an http base URL: %s", sc)
	}
	if r, body := b.do("GET", "/admin/keys", nil, nil); r.StatusCode != 200 || !strings.Contains(body, "owner@shop.test") {
		t.Fatalf("keys after login: %d", r.StatusCode)
	}
	// 29 minutes idle is fine and counts as activity; 30 more end the session.
	h.advance(29 * time.Minute)
	if r, _ := b.do("GET", "/admin/keys", nil, nil); r.StatusCode != 200 {
		t.Fatalf("after 29 min: %d", r.StatusCode)
	}
	h.advance(30 * time.Minute)
	if r, _ := b.do("GET", "/admin/keys", nil, nil); r.StatusCode != 303 {
		t.Fatalf("after 30 idle minutes: %d, want a redirect to login", r.StatusCode)
	}
	// Logout ends it at once.
	b.login("owner@shop.test", testPassword)
	tok := b.csrf("/admin/keys")
	if r, _ := b.do("POST", "/admin/logout", url.Values{"csrf": {tok}}, nil); r.StatusCode != 303 {
		t.Fatalf("logout: %d", r.StatusCode)
	}
	if r, _ := b.do("GET", "/admin/keys", nil, nil); r.StatusCode != 303 {
		t.Fatalf("after logout: %d", r.StatusCode)
	}
	// A removed user's session ends.
	b.login("owner@shop.test", testPassword)
	if err := h.db.RemoveUser(context.Background(), "owner@shop.test"); err != nil {
		t.Fatal(err)
	}
	if r, _ := b.do("GET", "/admin/keys", nil, nil); r.StatusCode != 303 {
		t.Fatalf("after the user was removed: %d", r.StatusCode)
	}
}

func TestLoginThrottled(t *testing.T) {
	h := newHarness(t)
	b := h.browser()
	for i := 1; i <= 6; i++ {
		if resp := b.login("owner@shop.test", "guess number "+string(rune('0'+i))); resp.StatusCode != 401 {
			t.Fatalf("guess %d: %d", i, resp.StatusCode)
		}
	}
	// Now even the right password waits, from this IP and for this account.
	if resp := b.login("owner@shop.test", testPassword); resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" {
		t.Fatalf("right password while throttled: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	h.advance(16 * time.Second)
	if resp := b.login("owner@shop.test", testPassword); resp.StatusCode != 303 {
		t.Fatalf("after the delay: %d", resp.StatusCode)
	}
}

func TestConsoleActionsNeedCSRFAndSameOrigin(t *testing.T) {
	h := newHarness(t)
	b := h.browser()
	b.login("owner@shop.test", testPassword)
	tok := b.csrf("/admin/keys")
	cases := []struct {
		name   string
		form   url.Values
		header map[string]string
		status int
	}{
		{"no token", url.Values{"name": {"x"}}, nil, 403},
		{"wrong token", url.Values{"name": {"x"}, "csrf": {"nope"}}, nil, 403},
		{"other origin", url.Values{"name": {"x"}, "csrf": {tok}}, map[string]string{"Origin": "https://evil.example"}, 403},
		{"cross-site fetch", url.Values{"name": {"x"}, "csrf": {tok}}, map[string]string{"Sec-Fetch-Site": "cross-site"}, 403},
		{"token in the URL only", nil, nil, 403},
	}
	for _, tc := range cases {
		path := "/admin/keys"
		if tc.form == nil {
			path += "?csrf=" + tok + "&name=x"
		}
		if r, _ := b.do("POST", path, tc.form, tc.header); r.StatusCode != tc.status {
			t.Errorf("%s: %d, want %d", tc.name, r.StatusCode, tc.status)
		}
	}
	keys, _ := h.db.APIKeys(context.Background())
	if len(keys) != 0 {
		t.Fatalf("refused requests created keys: %+v", keys)
	}

	// The real thing: same origin, right token.
	r, body := b.do("POST", "/admin/keys", url.Values{"name": {"web shop"}, "csrf": {tok}}, map[string]string{"Origin": "http://console.test", "Sec-Fetch-Site": "same-origin"})
	if r.StatusCode != 200 {
		t.Fatalf("create: %d", r.StatusCode)
	}
	secret := regexp.MustCompile(`value="(bwb_sk_[A-Z0-9]+)"`).FindStringSubmatch(body)
	if secret == nil {
		t.Fatalf("no secret shown:\n%s", body)
	}
	ctx := context.Background()
	id, _ := h.db.APIKeyID(ctx, secret[1])
	if id == "" {
		t.Fatal("the shown key does not authenticate")
	}
	if _, again := b.do("GET", "/admin/keys", nil, nil); strings.Contains(again, secret[1]) {
		t.Fatal("the secret is shown a second time")
	}
	if r, body := b.do("GET", "/admin/keys/"+id+"/revoke", nil, nil); r.StatusCode != 200 || !strings.Contains(body, "web shop") {
		t.Fatalf("revoke confirmation: %d", r.StatusCode)
	}
	if r, _ := b.do("POST", "/admin/keys/"+id+"/revoke", url.Values{"csrf": {tok}}, nil); r.StatusCode != 303 {
		t.Fatalf("revoke: %d", r.StatusCode)
	}
	if id, _ := h.db.APIKeyID(ctx, secret[1]); id != "" {
		t.Fatal("a revoked key still authenticates")
	}
}
