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

// pay charges 200.50 THB with a non-3-D Secure test card token, as the K-Pay button would,
// and lets KBank settle it.
func (p *kpayPair) pay() gateway.Attempt {
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
	p.n++
	a := gateway.Attempt{ID: fmt.Sprintf("att_KPayPair%012d", p.n), Seq: int64(p.n), OrderID: "ord_pair",
		Method: gateway.MethodCard, Amount: money.MustParse("200.50", "THB"), Locale: "en",
		ReturnURL: "https://shop.example/return", WebhookURL: "https://shop.example/hook", ExpiresAt: p.clock.Now().Add(time.Hour),
		Form: url.Values{"token": {tok.ID}, "mid": {kpaysim.SandboxMID}, "paymentMethods": {"card"}}}
	st, err := p.conn.Start(context.Background(), a)
	if err != nil || st.Result == nil || st.Result.Status != gateway.StatusPaid {
		t.Fatalf("Start: %+v %v", st, err)
	}
	a.PaymentID, a.State, a.Form = st.PaymentID, st.State, nil
	p.clock.Advance(2 * time.Minute) // KBank's "next day": Authorized → Settled
	return a
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
