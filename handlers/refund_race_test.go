package handlers_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bawaba/checkout/api"
	"github.com/bawaba/checkout/order"
)

// payOrder creates a 6.000 KWD order and pays it at the Tap simulator.
func (e *env) payOrder(ref string) api.OrderView {
	e.t.Helper()
	o := e.createOrder(ref)
	co := e.startPayment(o.ID, nil)
	if _, st := e.finish(co, e.payAtSimulator(co, "submit", "2030")); st != "paid" {
		e.t.Fatalf("pay %s: %s", o.ID, st)
	}
	return e.getOrder(o.ID)
}

// Concurrent partial refunds through the API against the real Tap simulator: the gateway is
// never asked for more than was paid, every refund it made is recorded as succeeded, the
// order's refunded amount is their sum, and each has exactly one order.refunded webhook.
func TestConcurrentPartialRefunds(t *testing.T) {
	cases := []struct {
		name       string
		n          int
		amount     string
		wantMade   int
		wantStatus string
		wantSum    string
	}{
		{"two halves", 2, "3.000", 2, "refunded", "6.000"},
		{"100 of 1.000 on 6.000", 100, "1.000", 6, "refunded", "6.000"},
		{"5 of 1.000 on 6.000", 5, "1.000", 5, "partially_refunded", "5.000"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			o := e.payOrder("race-" + strings.ReplaceAll(tc.name, " ", "-"))
			var made, refused atomic.Int32
			var other sync.Map
			var wg sync.WaitGroup
			start := make(chan struct{})
			for i := 0; i < tc.n; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					<-start
					res := e.api("POST", "/api/v1/orders/"+o.ID+"/refund", `{"amount":"`+tc.amount+`"}`, nil)
					switch res.StatusCode {
					case http.StatusCreated:
						made.Add(1)
					case http.StatusUnprocessableEntity, http.StatusConflict: // too large; or already refunded in full
						refused.Add(1)
					default:
						other.Store(res.StatusCode, string(res.body))
					}
				}()
			}
			close(start)
			wg.Wait()
			other.Range(func(k, v any) bool { t.Errorf("refund answered %v: %v", k, v); return true })
			if int(made.Load()) != tc.wantMade || int(refused.Load()) != tc.n-tc.wantMade {
				t.Fatalf("201 × %d, 422/409 × %d; want %d and %d", made.Load(), refused.Load(), tc.wantMade, tc.n-tc.wantMade)
			}
			got := e.getOrder(o.ID)
			if string(got.Status) != tc.wantStatus || got.RefundedAmount != tc.wantSum {
				t.Errorf("order %s, refunded %s; want %s, %s", got.Status, got.RefundedAmount, tc.wantStatus, tc.wantSum)
			}
			seen := map[string]bool{}
			for _, r := range got.Refunds {
				if r.Status != order.RefundSucceeded {
					t.Errorf("refund %s is %s", r.ID, r.Status)
				}
				if r.GatewayReference == "" || seen[r.GatewayReference] {
					t.Errorf("refund %s: gateway reference %q missing or shared", r.ID, r.GatewayReference)
				}
				seen[r.GatewayReference] = true
				// The simulator really holds each one.
				res := e.do(nil, "GET", "/sandbox/tap/v2/refunds/"+r.GatewayReference,
					map[string]string{"Authorization": "Bearer " + sandboxTapKey}, "")
				expectStatus(t, res, http.StatusOK)
			}
			if len(got.Refunds) != tc.wantMade {
				t.Errorf("%d refunds recorded, want %d", len(got.Refunds), tc.wantMade)
			}
			if n := e.outbox(o.ID, "order.refunded"); n != tc.wantMade {
				t.Errorf("%d order.refunded webhooks, want %d", n, tc.wantMade)
			}
			// What the gateway itself says remains: a refund of what we think is left
			// (nothing, or 1.000) is all it still takes.
			if tc.wantStatus == "refunded" {
				res := e.do(nil, "POST", "/sandbox/tap/v2/refunds", map[string]string{
					"Authorization": "Bearer " + sandboxTapKey, "Content-Type": "application/json"},
					`{"charge_id":"`+got.Attempts[len(got.Attempts)-1].PaymentID+`","amount":0.001,"currency":"KWD","reason":"requested_by_customer","reference":{"merchant":"x"}}`)
				if res.StatusCode == http.StatusOK {
					t.Errorf("the simulator still refunds after the order is refunded: %s", res.body)
				}
			}
		})
	}
}

// A refund whose answer is lost (the gateway made it, the connector heard nothing) stays
// pending with its amount reserved (202), and the refund reconciler, asking again with the
// same refund id, finds it: succeeded, the order refunded, one webhook, one refund at Tap.
func TestLostRefundAnswerIsFoundByTheReconciler(t *testing.T) {
	clock := &testClock{}
	var lose atomic.Bool
	e := newEnv(t, withClock(clock.Now), withConnectorTransport(func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			res, err := next.RoundTrip(r)
			if err == nil && r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/v2/refunds") && lose.CompareAndSwap(true, false) {
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				return nil, errors.New("connection reset by the test after Tap answered")
			}
			return res, err
		})
	}))
	o := e.payOrder("lost-refund")
	lose.Store(true)
	res := e.api("POST", "/api/v1/orders/"+o.ID+"/refund", `{"amount":"2.000"}`, nil)
	expectStatus(t, res, http.StatusAccepted)
	var v api.OrderView
	if err := json.Unmarshal(res.body, &v); err != nil {
		t.Fatal(err)
	}
	if len(v.Refunds) != 1 || v.Refunds[0].Status != order.RefundPending || v.Status != order.StatusPaid {
		t.Fatalf("after a lost answer: order %s, refunds %+v", v.Status, v.Refunds)
	}
	// The amount stays reserved: 4.000 remains, so 4.001 is refused… and nothing is asked yet.
	expectStatus(t, e.api("POST", "/api/v1/orders/"+o.ID+"/refund", `{"amount":"4.001"}`, nil), http.StatusUnprocessableEntity)
	if n, err := e.svc.ReconcileRefunds(t.Context()); err != nil || n != 0 {
		t.Fatalf("reconcile before the first check: %d, %v", n, err)
	}
	clock.Advance(2 * time.Minute)
	if n, err := e.svc.ReconcileRefunds(t.Context()); err != nil || n != 1 {
		t.Fatalf("reconcile: %d, %v", n, err)
	}
	got := e.getOrder(o.ID)
	if got.Status != order.StatusPartiallyRefunded || got.RefundedAmount != "2.000" || len(got.Refunds) != 1 ||
		got.Refunds[0].Status != order.RefundSucceeded || got.Refunds[0].GatewayReference == "" {
		t.Fatalf("after reconcile: %s %s %+v", got.Status, got.RefundedAmount, got.Refunds)
	}
	// Asked again, it is the same refund at Tap: the remaining 4.000 can still be refunded
	// in full, so Tap made 2.000 once, not twice.
	expectStatus(t, e.api("POST", "/api/v1/orders/"+o.ID+"/refund", "", nil), http.StatusCreated)
	got = e.getOrder(o.ID)
	if got.Status != order.StatusRefunded || got.RefundedAmount != "6.000" {
		t.Fatalf("full refund after: %s %s", got.Status, got.RefundedAmount)
	}
	if n := e.outbox(o.ID, "order.refunded"); n != 2 {
		t.Errorf("%d order.refunded webhooks, want 2", n)
	}
	clock.Advance(time.Hour)
	if n, _ := e.svc.ReconcileRefunds(t.Context()); n != 0 {
		t.Errorf("settled refunds asked about again: %d", n)
	}
}

// A refund Tap answers "in progress" is kept pending with Tap's refund id, and the refund
// reconciler asks Tap about that id (GET /v2/refunds/{id}, never a second POST): once Tap says
// REFUNDED it is recorded, with one order.refunded webhook.
func TestPendingRefundIsAskedAboutByItsID(t *testing.T) {
	clock := &testClock{}
	var posts, gets atomic.Int32
	e := newEnv(t, withClock(clock.Now), withConnectorTransport(func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			isPost := r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/v2/refunds")
			if isPost {
				posts.Add(1)
			}
			if r.Method == http.MethodGet && strings.Contains(r.URL.Path, "/v2/refunds/") {
				gets.Add(1)
			}
			res, err := next.RoundTrip(r)
			if err != nil || !isPost {
				return res, err
			}
			// Tap made it, but says it is still in progress.
			b, _ := io.ReadAll(res.Body)
			res.Body.Close()
			b = []byte(strings.NewReplacer(`"status":"REFUNDED"`, `"status":"IN_PROGRESS"`, `"code":"000"`, `"code":"200"`).Replace(string(b)))
			res.Body = io.NopCloser(strings.NewReader(string(b)))
			res.ContentLength = int64(len(b))
			res.Header.Del("Content-Length")
			return res, nil
		})
	}))
	o := e.payOrder("pending-refund")
	res := e.api("POST", "/api/v1/orders/"+o.ID+"/refund", `{"amount":"2.000"}`, nil)
	expectStatus(t, res, http.StatusAccepted)
	got := e.getOrder(o.ID)
	if len(got.Refunds) != 1 || got.Refunds[0].Status != order.RefundPending || !strings.HasPrefix(got.Refunds[0].GatewayReference, "re_") {
		t.Fatalf("in progress: %+v", got.Refunds)
	}
	clock.Advance(2 * time.Minute)
	if n, err := e.svc.ReconcileRefunds(t.Context()); err != nil || n != 1 {
		t.Fatalf("reconcile: %d, %v", n, err)
	}
	got = e.getOrder(o.ID)
	if got.Status != order.StatusPartiallyRefunded || got.RefundedAmount != "2.000" || got.Refunds[0].Status != order.RefundSucceeded {
		t.Fatalf("after reconcile: %s %s %+v", got.Status, got.RefundedAmount, got.Refunds)
	}
	if posts.Load() != 1 || gets.Load() != 1 {
		t.Errorf("Tap was POSTed %d and asked %d times, want 1 and 1", posts.Load(), gets.Load())
	}
	if n := e.outbox(o.ID, "order.refunded"); n != 1 {
		t.Errorf("%d order.refunded webhooks, want 1", n)
	}
}
