package simpair_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/gateway/knet"
	"github.com/bawaba/checkout/money"
	"github.com/bawaba/checkout/order"
	knetsim "github.com/bawaba/checkout/sandbox/knet"
)

// knetPair is the KNET connector against the KNET simulator, with the shop's notification
// endpoint answering REDIRECT= as our handler does.
type knetPair struct {
	t    *testing.T
	srv  string
	shop string
	conn *knet.Gateway
	lose *loser
	n    int
}

func newKNETPair(t *testing.T) *knetPair {
	t.Helper()
	srv, mux := server(t)
	sim := knetsim.New(knetsim.Config{Logger: discard, BasePath: "/sandbox/knet", PublicURL: srv.URL + "/sandbox/knet", RetryBase: time.Millisecond})
	t.Cleanup(sim.Close)
	mux.Handle("/sandbox/knet/", sim)
	shop, shopMux := server(t)
	shopMux.HandleFunc("/notify", func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		io.WriteString(w, "REDIRECT=https://shop.example/receipt")
	})
	c, l := client("/tranPipe.htm", "<action>2</action>")
	conn := knet.New(knet.Config{BaseURL: srv.URL + "/sandbox/knet/kpg", TranportalID: knetsim.SandboxTranportalID,
		TranportalPassword: knetsim.SandboxTranportalPassword, ResourceKey: knetsim.SandboxResourceKey, HTTPClient: c})
	return &knetPair{t: t, srv: srv.URL, shop: shop.URL, conn: conn, lose: l}
}

// pay makes a 6.000 KWD payment at the simulator with the test card, as a shopper would.
func (p *knetPair) pay() gateway.Attempt {
	t := p.t
	t.Helper()
	p.n++
	a := gateway.Attempt{ID: "att_KNETpair" + strings.Repeat("0", 13) + string(rune('A'+p.n)), Seq: int64(p.n), OrderID: "ord_pair",
		Method: gateway.MethodKNET, Amount: money.MustParse("6.000", "KWD"), Locale: "en",
		ReturnURL: p.shop + "/return", WebhookURL: p.shop + "/notify", ExpiresAt: time.Now().Add(time.Hour)}
	ctx := context.Background()
	st, err := p.conn.Start(ctx, a)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	a.PaymentID, a.State = st.PaymentID, st.State
	res, err := noRedirect.Get(st.Action.URL)
	if err != nil || res.StatusCode != http.StatusFound {
		t.Fatalf("paymentInit: %v %v", res, err)
	}
	res.Body.Close()
	page, _ := url.Parse(res.Header.Get("Location"))
	pid := page.Query().Get("PaymentID")
	post := func(form url.Values) *http.Response {
		res, err := noRedirect.PostForm(p.srv+"/sandbox/knet/kpg/paymentpage.htm", form)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res
	}
	if r := post(url.Values{"PaymentID": {pid}, "bank": {"knet1"}, "card": {"8888880000000001"}, "exp_month": {"09"},
		"exp_year": {"2030"}, "pin": {"1234"}, "action": {"submit"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("card page: %d", r.StatusCode)
	}
	if r := post(url.Values{"PaymentID": {pid}, "action": {"confirm"}}); r.StatusCode != http.StatusFound {
		t.Fatalf("confirm: %d", r.StatusCode)
	}
	if got, err := p.conn.Inquire(ctx, a); err != nil || got.Status != gateway.StatusPaid {
		t.Fatalf("Inquire after paying: %s %v", got.Status, err)
	}
	return a
}

func TestKNETRefundInquiry(t *testing.T) {
	ctx := context.Background()
	kwd := func(s string) money.Amount { return money.MustParse(s, "KWD") }
	p := newKNETPair(t)
	tests := []struct {
		name string
		run  func(t *testing.T, a gateway.Attempt)
	}{
		{"a refund KNET answered is found by its tranid", func(t *testing.T, a gateway.Attempt) {
			made, err := p.conn.Refund(ctx, a, kwd("1.000"))
			if err != nil || made.Status != gateway.StatusRefunded || made.PaymentID == "" {
				t.Fatalf("Refund: %+v %v", made, err)
			}
			got, err := p.conn.InquireRefund(ctx, a, gateway.RefundQuery{RefundID: "ref_1", GatewayRef: made.PaymentID, Amount: kwd("1.000")})
			if err != nil || got.Status != gateway.StatusRefunded || got.PaymentID != made.PaymentID {
				t.Fatalf("InquireRefund: %+v %v", got, err)
			}
		}},
		{"asked with another amount: nothing to record", func(t *testing.T, a gateway.Attempt) {
			made, err := p.conn.Refund(ctx, a, kwd("1.000"))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := p.conn.InquireRefund(ctx, a, gateway.RefundQuery{GatewayRef: made.PaymentID, Amount: kwd("2.000")}); !errors.Is(err, gateway.ErrUnavailable) {
				t.Fatalf("err = %v, want ErrUnavailable", err)
			}
		}},
		{"an unknown tranid: pending, never 'not made'", func(t *testing.T, a gateway.Attempt) {
			got, err := p.conn.InquireRefund(ctx, a, gateway.RefundQuery{GatewayRef: "9999999999999999", Amount: kwd("1.000")})
			if err != nil || got.Status != gateway.StatusPending {
				t.Fatalf("InquireRefund: %+v %v", got, err)
			}
		}},
		{"a lost answer cannot be looked up, and KNET did refund", func(t *testing.T, a gateway.Attempt) {
			p.lose.set(true, false)
			if _, err := p.conn.Refund(ctx, a, kwd("6.000")); !errors.Is(err, gateway.ErrUnavailable) {
				t.Fatalf("lost Refund: %v", err)
			}
			_, err := p.conn.InquireRefund(ctx, a, gateway.RefundQuery{RefundID: "ref_2", Amount: kwd("6.000")})
			if !errors.Is(err, gateway.ErrRefundNoLookup) || errors.Is(err, gateway.ErrRefundNotFound) {
				t.Fatalf("InquireRefund without tranid: %v", err)
			}
			// The money did go back: KNET refuses to refund any more of it.
			if _, err := p.conn.Refund(ctx, a, kwd("0.001")); !errors.Is(err, gateway.ErrRejected) {
				t.Fatalf("refund past the paid amount: %v", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, p.pay()) })
	}
}

// Through the order service: a KNET refund whose answer was lost cannot be looked up (KNET
// has no search by our reference, and action 2 has no idempotency), so the reconciler keeps it
// pending with its amount reserved, for a person, and never asks KNET for the money again.
// One KNET answered is recorded at once with its tranid.
func TestKNETLostRefundStaysPendingNeverResent(t *testing.T) {
	ctx := context.Background()
	srv, mux := server(t)
	shopSrv, shopMux := server(t)
	c, l := client("/tranPipe.htm", "<action>2</action>")
	conn := knet.New(knet.Config{BaseURL: srv.URL + "/sandbox/knet/kpg", TranportalID: knetsim.SandboxTranportalID,
		TranportalPassword: knetsim.SandboxTranportalPassword, ResourceKey: knetsim.SandboxResourceKey, HTTPClient: c})
	clk := &clock{t: time.Now()}
	s := newShop(t, clk, shopSrv.URL, conn, gateway.MethodKNET)
	shopMux.HandleFunc("/webhooks/knet", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rep, _ := s.svc.Webhook(r.Context(), "knet", gateway.WebhookRequest{Header: r.Header, Body: body})
		w.WriteHeader(rep.Status)
		w.Write(rep.Body)
	})
	sim := knetsim.New(knetsim.Config{Logger: discard, BasePath: "/sandbox/knet", PublicURL: srv.URL + "/sandbox/knet", RetryBase: time.Millisecond})
	t.Cleanup(sim.Close)
	mux.Handle("/sandbox/knet/", sim)

	o := s.create("6.000", "KWD")
	_, act, err := s.svc.StartAttempt(ctx, o.ID, gateway.MethodKNET, order.StartOptions{Locale: "en"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := noRedirect.Get(act.URL)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	page, _ := url.Parse(res.Header.Get("Location"))
	pid := page.Query().Get("PaymentID")
	for _, form := range []url.Values{
		{"PaymentID": {pid}, "bank": {"knet1"}, "card": {"8888880000000001"}, "exp_month": {"09"}, "exp_year": {"2030"}, "pin": {"1234"}, "action": {"submit"}},
		{"PaymentID": {pid}, "action": {"confirm"}},
	} {
		res, err := noRedirect.PostForm(srv.URL+"/sandbox/knet/kpg/paymentpage.htm", form)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
	}
	if got := s.order(o.ID); got.Status != order.StatusPaid {
		t.Fatalf("order %s after KNET's notification", got.Status)
	}

	if _, ref, err := s.svc.Refund(ctx, o.ID, "1.000", ""); err != nil || ref.GatewayRef == "" {
		t.Fatalf("answered refund: %+v %v", ref, err)
	}
	l.set(true, false)
	if _, _, err := s.svc.Refund(ctx, o.ID, "2.000", ""); !errors.Is(err, order.ErrRefundPending) {
		t.Fatalf("lost refund: %v", err)
	}
	for _, d := range []time.Duration{2 * time.Minute, time.Hour, 24 * time.Hour} {
		s.reconcile(d)
	}
	got := s.order(o.ID)
	if r := got.Refunds[1]; r.Status != order.RefundPending || got.Refunded().String() != "1.000" {
		t.Fatalf("lost KNET refund: %+v, refunded %s", r, got.Refunded())
	}
	if !got.NeedsReview {
		t.Error("the order of a refund nobody can look up is not flagged for review")
	}
	if n := l.reached(); n != 2 {
		t.Errorf("%d refund calls reached KNET, want 2", n)
	}
	if n := s.webhooks(o.ID, "order.refunded"); n != 1 {
		t.Errorf("%d order.refunded webhooks, want 1", n)
	}
	// Its 2.000 stay reserved: only 3.000 remain to refund.
	if _, _, err := s.svc.Refund(ctx, o.ID, "3.001", ""); !errors.Is(err, order.ErrRefundTooLarge) {
		t.Errorf("refund past the reserve: %v", err)
	}
}
