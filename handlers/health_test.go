package handlers_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/gofiber/fiber/v2"

	"github.com/bawaba/checkout/handlers"
)

// fakeDB reads always and writes while writable; it counts the writes.
type fakeDB struct {
	readOnly atomic.Bool
	writes   atomic.Int32
}

func (d *fakeDB) Ping(context.Context) error { return nil }

func (d *fakeDB) CheckWrite(context.Context) error {
	d.writes.Add(1)
	if d.readOnly.Load() {
		return errors.New("attempt to write a readonly database")
	}
	return nil
}

// fakeKeys knows one API key.
type fakeKeys struct{}

func (fakeKeys) APIKeyID(_ context.Context, key string) (string, error) {
	if key == "sk_good" {
		return "key_1", nil
	}
	return "", nil
}

func bareApp(d handlers.Deps) *fiber.App {
	d.Logger = testLogger()
	if d.DB == nil {
		d.DB = &fakeDB{}
	}
	d.Keys = fakeKeys{}
	return handlers.New(d)
}

func get(t *testing.T, app *fiber.App, path string, header map[string]string) *http.Response {
	t.Helper()
	req := httptest.NewRequest("GET", path, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// /healthz and /readyz answer 503 when the database cannot be written, checked with a real
// write at most every few seconds; /readyz also while the server drains.
func TestHealthWrites(t *testing.T) {
	t.Parallel()
	db := &fakeDB{}
	var draining atomic.Bool
	app := bareApp(handlers.Deps{DB: db, Draining: draining.Load})
	for _, p := range []string{"/healthz", "/readyz"} {
		if res := get(t, app, p, nil); res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d, want 200", p, res.StatusCode)
		}
	}
	for range 20 {
		get(t, app, "/healthz", nil)
	}
	if n := db.writes.Load(); n != 2 { // one per endpoint, then cached
		t.Errorf("%d writes for 22 polls within seconds, want 2", n)
	}

	draining.Store(true)
	if res := get(t, app, "/readyz", nil); res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("/readyz while draining: %d, want 503", res.StatusCode)
	}
	if res := get(t, app, "/healthz", nil); res.StatusCode != http.StatusOK {
		t.Errorf("/healthz while draining: %d, want 200", res.StatusCode)
	}

	// A fresh app (a fresh cache) over a database that cannot be written.
	ro := &fakeDB{}
	ro.readOnly.Store(true)
	app = bareApp(handlers.Deps{DB: ro})
	for _, p := range []string{"/healthz", "/readyz"} {
		if res := get(t, app, p, nil); res.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("%s on a read-only database: %d, want 503", p, res.StatusCode)
		}
	}
}

// After repeated failed authentications an IP is answered 429 with Retry-After; a valid key
// from it is served all the same.
func TestAPIAuthThrottled(t *testing.T) {
	t.Parallel()
	app := bareApp(handlers.Deps{})
	bad := map[string]string{"Authorization": "Bearer sk_bad"}
	good := map[string]string{"Authorization": "Bearer sk_good"}
	for i := range 10 {
		if res := get(t, app, "/api/v1/nothing", bad); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("failure #%d: %d, want 401", i+1, res.StatusCode)
		}
	}
	for _, h := range []map[string]string{bad, nil} {
		res := get(t, app, "/api/v1/nothing", h)
		secs, err := strconv.Atoi(res.Header.Get("Retry-After"))
		if res.StatusCode != http.StatusTooManyRequests || err != nil || secs < 1 || secs > 60 {
			t.Errorf("after 10 failures (%v): %d Retry-After %q, want 429 within a minute", h, res.StatusCode, res.Header.Get("Retry-After"))
		}
	}
	if res := get(t, app, "/api/v1/nothing", good); res.StatusCode != http.StatusNotFound {
		t.Errorf("a valid key from the throttled IP: %d, want served (404 for this path)", res.StatusCode)
	}
}

// Permissions-Policy on every response; HSTS only with an https base URL.
func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	for _, hsts := range []bool{false, true} {
		app := bareApp(handlers.Deps{HSTS: hsts})
		for _, p := range []string{"/healthz", "/nowhere", "/api/v1/orders"} {
			res := get(t, app, p, nil)
			if res.Header.Get("Permissions-Policy") == "" {
				t.Errorf("%s: no Permissions-Policy", p)
			}
			if got := res.Header.Get("Strict-Transport-Security") != ""; got != hsts {
				t.Errorf("%s with HSTS %v: Strict-Transport-Security %q", p, hsts, res.Header.Get("Strict-Transport-Security"))
			}
		}
	}
}
