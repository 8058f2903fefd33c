package simpair_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/gateway/kpay"
	"github.com/bawaba/checkout/money"
	"github.com/bawaba/checkout/order"
	kpaysim "github.com/bawaba/checkout/sandbox/kpay"
)

// clock is a clock the test moves by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) Advance(d time.Duration) { c.mu.Lock(); defer c.mu.Unlock(); c.t = c.t.Add(d) }

// kpayPair is the K-Pay connector against the K-Pay simulator, which settles a card charge a
// minute after it is authorized.
type kpayPair struct {
	t     *testing.T
	srv   string
	clock *clock
	conn  *kpay.Gateway
	lose  *loser
	n     int
}

func newKPayPair(t *testing.T) *kpayPair {
	t.Helper()
	srv, mux := server(t)
	clk := &clock{t: time.Now().UTC()}
	sim := kpaysim.New(kpaysim.Config{BasePath: "/sandbox/kpay", PublicURL: srv.URL + "/sandbox/kpay",
		SettlementDelay: time.Minute, Now: clk.Now, Logger: discard})
	t.Cleanup(sim.Close)
	mux.Handle("/sandbox/kpay/", sim)
	c, l := client("/refund", "")
	conn := kpay.New(kpay.Config{UIBaseURL: srv.URL + "/sandbox/kpay", PublicKey: kpaysim.SandboxPublicKey,
		SecretKey: kpaysim.SandboxSecretKey, MID: kpaysim.SandboxMID, HTTPClient: c})
	return &kpayPair{t: t, srv: srv.URL, clock: clk, conn: conn, lose: l}
}

// pay charges 200.50 THB with a non-3-D Secure test card token the K-Pay button posted,
// and lets KBank settle it.
func (p *kpayPair) pay() gateway.Attempt {
	t := p.t
	t.Helper()
	p.n++
	a := gateway.Attempt{ID: fmt.Sprintf("att_KPayPair%012d", p.n), Seq: int64(p.n), OrderID: "ord_pair",
		Method: gateway.MethodCard, Amount: money.MustParse("200.50", "THB"), Locale: "en",
		ReturnURL: "https://shop.example/return", WebhookURL: "https://shop.example/hook", ExpiresAt: p.clock.Now().Add(time.Hour)}
	st, err := p.conn.Continue(context.Background(), a, p.tokenForm())
	if err != nil || st.Result == nil || st.Result.Status != gateway.StatusPaid {
		t.Fatalf("Continue: %+v %v", st, err)
	}
	a.PaymentID, a.State = st.PaymentID, st.State
	p.clock.Advance(2 * time.Minute) // KBank's "next day": Authorized → Settled
	return a
}

// tokenForm is what the K-Pay button posts into our form for a non-3-D Secure test card.
func (p *kpayPair) tokenForm() url.Values {
	t := p.t
	t.Helper()
	body, _ := json.Marshal(map[string]string{"name": "Test Shopper", "number": "4024007134786226", "expiration_month": "12",
		"expiration_year": "2030", "security_code": "123", "mid": kpaysim.SandboxMID})
	req, _ := http.NewRequest(http.MethodPost, p.srv+"/sandbox/kpay/ui/v2/tokens", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("x-api-key", kpaysim.SandboxPublicKey)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var tok struct{ ID string }
	err = json.NewDecoder(res.Body).Decode(&tok)
	res.Body.Close()
	if err != nil || tok.ID == "" {
		t.Fatalf("token: %d %v", res.StatusCode, err)
	}
	return url.Values{"token": {tok.ID}, "mid": {kpaysim.SandboxMID}, "paymentMethods": {"card"}}
}

func TestKPayRefundInquiry(t *testing.T) {
	ctx := context.Background()
	thb := func(s string) money.Amount { return money.MustParse(s, "THB") }
	p := newKPayPair(t)
	tests := []struct {
		name string
		run  func(t *testing.T, a gateway.Attempt)
	}{
		{"a refund K-Pay answered is found by its refund_id", func(t *testing.T, a gateway.Attempt) {
			made, err := p.conn.Refund(ctx, a, thb("50.00"))
			if err != nil || made.Status != gateway.StatusRefunded || made.PaymentID == "" {
				t.Fatalf("Refund: %+v %v", made, err)
			}
			got, err := p.conn.InquireRefund(ctx, a, gateway.RefundQuery{GatewayRef: made.PaymentID, Amount: thb("50.00")})
			if err != nil || got.Status != gateway.StatusRefunded || got.PaymentID != made.PaymentID {
				t.Fatalf("InquireRefund: %+v %v", got, err)
			}
		}},
		{"a lost answer is found among the unclaimed refunds of its amount, once", func(t *testing.T, a gateway.Attempt) {
			first, err := p.conn.Refund(ctx, a, thb("50.00"))
			if err != nil {
				t.Fatal(err)
			}
			p.lose.set(true, false)
			if _, err := p.conn.Refund(ctx, a, thb("50.00")); !errors.Is(err, gateway.ErrUnavailable) {
				t.Fatalf("lost Refund: %v", err)
			}
			got, err := p.conn.InquireRefund(ctx, a, gateway.RefundQuery{Amount: thb("50.00"), Claimed: []string{first.PaymentID}})
			if err != nil || got.Status != gateway.StatusRefunded || got.PaymentID == "" || got.PaymentID == first.PaymentID {
				t.Fatalf("InquireRefund: %+v %v", got, err)
			}
			// Once both are claimed, a third refund of that amount was never made.
			_, err = p.conn.InquireRefund(ctx, a, gateway.RefundQuery{Amount: thb("50.00"), Claimed: []string{first.PaymentID, got.PaymentID}})
			if !errors.Is(err, gateway.ErrRefundNotFound) {
				t.Fatalf("third: %v", err)
			}
		}},
		{"a refund that never reached K-Pay is not found", func(t *testing.T, a gateway.Attempt) {
			p.lose.set(false, true)
			if _, err := p.conn.Refund(ctx, a, thb("20.00")); !errors.Is(err, gateway.ErrUnavailable) {
				t.Fatalf("dropped Refund: %v", err)
			}
			if _, err := p.conn.InquireRefund(ctx, a, gateway.RefundQuery{Amount: thb("20.00")}); !errors.Is(err, gateway.ErrRefundNotFound) {
				t.Fatalf("InquireRefund: %v", err)
			}
			// And the whole amount is still there to refund.
			if r, err := p.conn.Refund(ctx, a, thb("200.50")); err != nil || r.Status != gateway.StatusRefunded {
				t.Fatalf("full refund after: %+v %v", r, err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, p.pay()) })
	}
}

// Through the order service: refunds whose answer K-Pay never gave us (lost after it refunded,
// or never sent) are settled by the refund reconciler exactly once — the refund K-Pay made is
// recorded with its refund_id and one order.refunded webhook, the one it never made fails and
// frees its amount — and K-Pay is never asked for money again.
func TestKPayReconcilerRecordsLostRefundsOnce(t *testing.T) {
	ctx := context.Background()
	p := newKPayPair(t)
	s := newShop(t, p.clock, "https://checkout.example", p.conn, gateway.MethodCard)
	o := s.create("200.50", "THB")
	a, act, err := s.svc.StartAttempt(ctx, o.ID, gateway.MethodCard, order.StartOptions{})
	if err != nil || act.Kind != gateway.ActionEmbed {
		t.Fatalf("StartAttempt: %+v %v; want the K-Pay button", act, err)
	}
	if _, _, err := s.svc.ContinueAttempt(ctx, o.ID, a.ID, p.tokenForm()); err != nil {
		t.Fatal(err)
	}
	if got := s.order(o.ID); got.Status != order.StatusPaid {
		t.Fatalf("order %s", got.Status)
	}
	p.clock.Advance(2 * time.Minute) // settled

	// Two refunds of 50 whose answers are lost after K-Pay made them, one answered, and one
	// that never reaches K-Pay.
	for _, step := range []struct{ lose, drop bool }{{true, false}, {false, false}, {true, false}, {false, true}} {
		p.lose.set(step.lose, step.drop)
		_, _, err := s.svc.Refund(ctx, o.ID, "50.00", "")
		if lost := step.lose || step.drop; lost != errors.Is(err, order.ErrRefundPending) {
			t.Fatalf("refund %+v: %v", step, err)
		}
	}
	sent := p.lose.reached()
	if sent != 3 {
		t.Fatalf("%d refund calls reached K-Pay, want 3", sent)
	}
	if n := s.reconcile(2 * time.Minute); n != 3 {
		t.Fatalf("reconciler asked about %d refunds, want 3", n)
	}
	got := s.order(o.ID)
	refs := map[string]bool{}
	var ok, pending int
	for _, r := range got.Refunds {
		switch r.Status {
		case order.RefundSucceeded:
			ok++
			if r.GatewayRef == "" || refs[r.GatewayRef] {
				t.Errorf("refund %s: refund_id %q missing or shared", r.ID, r.GatewayRef)
			}
			refs[r.GatewayRef] = true
		case order.RefundPending:
			pending++
		}
	}
	if ok != 3 || pending != 1 || got.Refunded().String() != "150.00" || got.Status != order.StatusPartiallyRefunded {
		t.Fatalf("order %s, refunded %s, %d succeeded, %d pending", got.Status, got.Refunded(), ok, pending)
	}
	if n := s.webhooks(o.ID, "order.refunded"); n != 3 {
		t.Errorf("%d order.refunded webhooks, want 3", n)
	}
	// The one K-Pay never got is failed once the grace is over, its amount free again.
	s.reconcile(20 * time.Minute)
	got = s.order(o.ID)
	if got.Refunds[3].Status != order.RefundFailed {
		t.Fatalf("the refund K-Pay never got is %s", got.Refunds[3].Status)
	}
	if n := s.reconcile(2 * time.Hour); n != 0 {
		t.Errorf("settled refunds asked about again: %d", n)
	}
	if p.lose.reached() != sent || s.webhooks(o.ID, "order.refunded") != 3 {
		t.Errorf("the reconciler asked K-Pay for money (%d calls) or sent webhooks again", p.lose.reached()-sent)
	}
	// K-Pay agrees: what is left is 50.50 exactly.
	if _, _, err := s.svc.Refund(ctx, o.ID, "50.50", ""); err != nil {
		t.Fatalf("refund the rest: %v", err)
	}
	if got := s.order(o.ID); got.Status != order.StatusRefunded {
		t.Errorf("order %s after refunding the rest", got.Status)
	}
}
