package adyen

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/money"
)

// fakeClock is a settable clock for the /paymentMethods cache.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// gatewayAt is f's gateway on clock c.
func (f *fakeAdyen) gatewayAt(c *fakeClock) *Gateway {
	g := f.gateway()
	g.now = c.Now
	return g
}

func TestPaymentMethodsRequest(t *testing.T) {
	f := newFakeAdyen(t)
	f.paymentBody = redirectGET
	a := testAttempt()
	a.Amount = money.MustParse("1.5", "KWD")
	if _, err := f.gateway().Start(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	reqs := append([]recorded(nil), f.requests...)
	f.mu.Unlock()
	if len(reqs) != 2 || reqs[0].Path != fakePrefix+"/paymentMethods" || reqs[1].Path != fakePrefix+"/payments" {
		t.Fatalf("requests = %v, want /paymentMethods then /payments", paths(reqs))
	}
	r := reqs[0]
	if r.Method != http.MethodPost {
		t.Errorf("method = %s", r.Method)
	}
	for h, w := range map[string]string{
		"X-API-Key":       testAPIKey,
		"Content-Type":    "application/json",
		"Accept":          "application/json",
		"Idempotency-Key": "",
	} {
		if got := r.Header.Get(h); got != w {
			t.Errorf("header %s = %q, want %q", h, got, w)
		}
	}
	want := `{"merchantAccount":"BawabaKW","countryCode":"KW","amount":{"currency":"KWD","value":1500},"shopperLocale":"ar-KW","channel":"Web"}`
	if string(r.Body) != want {
		t.Errorf("body = %s\nwant   %s", r.Body, want)
	}

	t.Run("english", func(t *testing.T) {
		f := newFakeAdyen(t)
		f.paymentBody = redirectGET
		a := testAttempt()
		a.Locale = "en"
		if _, err := f.gateway().Start(context.Background(), a); err != nil {
			t.Fatal(err)
		}
		f.mu.Lock()
		body := decodeBody(t, f.requests[0].Body)
		f.mu.Unlock()
		if body["shopperLocale"] != "en-US" || get(body, "amount.value") != json.Number("6000") {
			t.Errorf("body = %v", body)
		}
	})
}

func paths(reqs []recorded) []string {
	var p []string
	for _, r := range reqs {
		p = append(p, strings.TrimPrefix(r.Path, fakePrefix))
	}
	return p
}

func TestStartKNETAvailability(t *testing.T) {
	tests := []struct {
		name         string
		status       int // 0: the fake's spec behaviour (KNET for KW/KWD)
		body         string
		wantErr      error
		wantMsg      string
		wantPayments int
	}{
		{name: "spec sample", wantPayments: 1},
		{name: "knet among others", status: 200,
			body: `{"paymentMethods":[{"name":"Cards","type":"scheme","brands":["visa","mc"]},{"name":"KNET","type":"knet"},{"name":"Apple Pay","type":"applepay"}],` +
				`"storedPaymentMethods":[]}`, wantPayments: 1},
		{name: "empty list", status: 200, body: `{"paymentMethods":[]}`, wantErr: gateway.ErrRejected, wantMsg: errKNETDisabled},
		{name: "other methods only", status: 200, body: `{"paymentMethods":[{"name":"Cards","type":"scheme"},{"name":"KNET","type":"benefit"}]}`,
			wantErr: gateway.ErrRejected, wantMsg: errKNETDisabled},
		{name: "knet only as a stored method", status: 200, body: `{"paymentMethods":[],"storedPaymentMethods":[{"type":"knet"}]}`,
			wantErr: gateway.ErrRejected, wantMsg: errKNETDisabled},
		{name: "no paymentMethods", status: 200, body: `{}`, wantErr: gateway.ErrRejected, wantMsg: errKNETDisabled},
		{name: "null paymentMethods", status: 200, body: `{"paymentMethods":null}`, wantErr: gateway.ErrRejected, wantMsg: errKNETDisabled},
		{name: "not json", status: 200, body: `<html>`, wantErr: gateway.ErrUnavailable, wantMsg: "unreadable answer"},
		{name: "paymentMethods not an array", status: 200, body: `{"paymentMethods":"knet"}`, wantErr: gateway.ErrUnavailable, wantMsg: "unreadable answer"},
		{name: "500", status: 500, body: `{"status":500,"errorCode":"000","message":"Internal error","errorType":"internal"}`,
			wantErr: gateway.ErrUnavailable, wantMsg: "adyen: paymentMethods: gateway: unavailable: HTTP 500: 000 Internal error"},
		{name: "503", status: 503, body: ``, wantErr: gateway.ErrUnavailable, wantMsg: "HTTP 503"},
		{name: "429", status: 429, body: `{}`, wantErr: gateway.ErrUnavailable, wantMsg: "HTTP 429"},
		{name: "401", status: 401, body: `{"status":401,"errorCode":"000","message":"HTTP Status Response - Unauthorized","errorType":"security"}`,
			wantErr: gateway.ErrRejected, wantMsg: "HTTP 401"},
		{name: "422", status: 422, body: `{"status":422,"errorCode":"14_005","message":"Required field 'merchantAccount' is not provided.","errorType":"validation"}`,
			wantErr: gateway.ErrRejected, wantMsg: "14_005"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeAdyen(t)
			f.paymentBody = redirectGET
			f.setMethods(tt.status, tt.body)
			st, err := f.gateway().Start(context.Background(), testAttempt())
			if tt.wantErr == nil {
				if err != nil {
					t.Fatal(err)
				}
				if st.Action.Kind != gateway.ActionRedirect {
					t.Errorf("Action = %+v", st.Action)
				}
			} else {
				checkErr(t, "Start", err, tt.wantErr, tt.wantMsg)
				if tt.wantErr == gateway.ErrRejected && errors.Is(err, gateway.ErrUnavailable) {
					t.Errorf("err = %v is also ErrUnavailable", err)
				}
			}
			if n := f.calls("/paymentMethods"); n != 1 {
				t.Errorf("%d /paymentMethods calls, want 1", n)
			}
			if n := f.calls("/payments"); n != tt.wantPayments {
				t.Errorf("%d /payments calls, want %d", n, tt.wantPayments)
			}
		})
	}

	t.Run("network", func(t *testing.T) {
		f := newFakeAdyen(t)
		g := f.gateway()
		f.srv.Close()
		_, err := g.Start(context.Background(), testAttempt())
		checkErr(t, "Start", err, gateway.ErrUnavailable, "paymentMethods")
	})
}

func TestPaymentMethodsCache(t *testing.T) {
	ctx := context.Background()
	start := func(t *testing.T, g *Gateway, want error) {
		t.Helper()
		_, err := g.Start(ctx, testAttempt())
		if want == nil && err != nil || want != nil && !errors.Is(err, want) {
			t.Fatalf("Start: err = %v, want %v", err, want)
		}
	}
	counts := func(t *testing.T, f *fakeAdyen, methods, payments int) {
		t.Helper()
		if m, p := f.calls("/paymentMethods"), f.calls("/payments"); m != methods || p != payments {
			t.Fatalf("calls: /paymentMethods %d, /payments %d; want %d, %d", m, p, methods, payments)
		}
	}

	t.Run("positive cached for 10 minutes, then asked again", func(t *testing.T) {
		f, c := newFakeAdyen(t), newFakeClock()
		f.paymentBody = redirectGET
		g := f.gatewayAt(c)
		start(t, g, nil)
		start(t, g, nil)
		counts(t, f, 1, 2)
		c.Advance(methodsTTL - time.Second)
		start(t, g, nil)
		counts(t, f, 1, 3)
		c.Advance(time.Second) // exactly 10 minutes after the answer
		start(t, g, nil)
		counts(t, f, 2, 4)
		c.Advance(time.Minute) // the new answer is cached from its own time
		start(t, g, nil)
		counts(t, f, 2, 5)
	})

	t.Run("expired positive answer, now negative", func(t *testing.T) {
		f, c := newFakeAdyen(t), newFakeClock()
		f.paymentBody = redirectGET
		g := f.gatewayAt(c)
		start(t, g, nil)
		f.setMethods(200, `{"paymentMethods":[{"type":"scheme"}]}`)
		start(t, g, nil) // still cached: KNET disabled meanwhile is seen within 10 minutes
		counts(t, f, 1, 2)
		c.Advance(methodsTTL)
		start(t, g, gateway.ErrRejected)
		counts(t, f, 2, 2)
	})

	t.Run("negative not cached", func(t *testing.T) {
		f, c := newFakeAdyen(t), newFakeClock()
		f.paymentBody = redirectGET
		f.setMethods(200, `{"paymentMethods":[]}`)
		g := f.gatewayAt(c)
		start(t, g, gateway.ErrRejected)
		start(t, g, gateway.ErrRejected)
		counts(t, f, 2, 0)
		f.setMethods(0, "") // KNET enabled in the Customer Area: seen at once
		start(t, g, nil)
		counts(t, f, 3, 1)
		start(t, g, nil)
		counts(t, f, 3, 2)
	})

	t.Run("errors not cached", func(t *testing.T) {
		f, c := newFakeAdyen(t), newFakeClock()
		f.paymentBody = redirectGET
		f.setMethods(503, ``)
		g := f.gatewayAt(c)
		start(t, g, gateway.ErrUnavailable)
		start(t, g, gateway.ErrUnavailable)
		counts(t, f, 2, 0)
		f.setMethods(0, "")
		start(t, g, nil)
		start(t, g, nil)
		counts(t, f, 3, 2)
	})

	t.Run("a /payments failure keeps the cache", func(t *testing.T) {
		f, c := newFakeAdyen(t), newFakeClock()
		f.paymentStatus, f.paymentBody = 500, `{}`
		g := f.gatewayAt(c)
		start(t, g, gateway.ErrUnavailable)
		start(t, g, gateway.ErrUnavailable)
		counts(t, f, 1, 2)
	})

	t.Run("clock set back", func(t *testing.T) {
		f, c := newFakeAdyen(t), newFakeClock()
		f.paymentBody = redirectGET
		g := f.gatewayAt(c)
		start(t, g, nil)
		c.Advance(-time.Hour)
		start(t, g, nil)
		counts(t, f, 2, 2)
	})

	t.Run("per merchant account", func(t *testing.T) {
		f, c := newFakeAdyen(t), newFakeClock()
		f.paymentBody = redirectGET
		g := f.gatewayAt(c)
		g.knet.remember("OtherMerchant", c.Now())
		start(t, g, nil)
		counts(t, f, 1, 1)
		if !g.knet.fresh("OtherMerchant", c.Now()) || !g.knet.fresh(testMerchant, c.Now()) {
			t.Error("cache entries lost")
		}
	})

	t.Run("gateways do not share the cache", func(t *testing.T) {
		f, c := newFakeAdyen(t), newFakeClock()
		f.paymentBody = redirectGET
		start(t, f.gatewayAt(c), nil)
		start(t, f.gatewayAt(c), nil)
		counts(t, f, 2, 2)
	})

	t.Run("concurrent Starts", func(t *testing.T) {
		f, c := newFakeAdyen(t), newFakeClock()
		f.paymentBody = redirectGET
		g := f.gatewayAt(c)
		start(t, g, nil)
		var wg sync.WaitGroup
		errs := make(chan error, 20)
		for range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, err := g.Start(ctx, testAttempt()); err != nil {
					errs <- err
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		counts(t, f, 1, 21)
	})

	t.Run("zero Gateway clock", func(t *testing.T) {
		f := newFakeAdyen(t)
		f.paymentBody = redirectGET
		g := f.gateway()
		g.now = nil
		start(t, g, nil)
		start(t, g, nil)
		counts(t, f, 1, 2)
	})
}
