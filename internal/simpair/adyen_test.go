package simpair_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/gateway/adyen"
	"github.com/bawaba/checkout/money"
	"github.com/bawaba/checkout/order"
	adyensim "github.com/bawaba/checkout/sandbox/adyen"
)

const (
	adyenKey      = "AQE-test-api-key"
	adyenMerchant = "BawabaKW"
	adyenHMAC     = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056"
)

// adyenPair is the Adyen connector against the Adyen simulator, whose webhooks the connector
// reads at the shop's endpoint; what they say is handed to the test on notes.
type adyenPair struct {
	t     *testing.T
	srv   string
	shop  string
	conn  *adyen.Gateway
	notes chan gateway.Notification
	n     int
}

func newAdyenPair(t *testing.T) *adyenPair {
	t.Helper()
	srv, mux := server(t)
	shop, shopMux := server(t)
	p := &adyenPair{t: t, srv: srv.URL, shop: shop.URL, notes: make(chan gateway.Notification, 64)}
	p.conn = adyen.New(adyen.Config{BaseURL: srv.URL + "/sandbox/adyen/v71", APIKey: adyenKey, MerchantAccount: adyenMerchant, HMACKey: adyenHMAC})
	shopMux.HandleFunc("/webhooks/adyen", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		notes, err := p.conn.Webhook(r.Context(), gateway.WebhookRequest{Header: r.Header, Body: body})
		for _, n := range notes {
			p.notes <- n
		}
		rep := p.conn.Acknowledge(notes, err, func(string) string { return "" })
		w.WriteHeader(rep.Status)
		w.Write(rep.Body)
	})
	sim := adyensim.New(adyensim.Config{BasePath: "/sandbox/adyen", PublicURL: srv.URL + "/sandbox/adyen", APIKey: adyenKey,
		MerchantAccount: adyenMerchant, HMACKey: adyenHMAC, WebhookURL: shop.URL + "/webhooks/adyen", RetryBase: time.Millisecond, Logger: discard})
	t.Cleanup(sim.Close)
	mux.Handle("/sandbox/adyen/", sim)
	return p
}

// next waits for the next notification of event (skipping others, such as AUTHORISATION).
func (p *adyenPair) next(event string) gateway.Notification {
	p.t.Helper()
	for {
		select {
		case n := <-p.notes:
			if strings.HasPrefix(n.Result.GatewayCode, event+" ") {
				return n
			}
		case <-time.After(5 * time.Second):
			p.t.Fatalf("no %s notification", event)
		}
	}
}

// pay makes a 6.000 KWD KNET payment on the simulator's page and redeems the return.
func (p *adyenPair) pay() gateway.Attempt {
	t := p.t
	t.Helper()
	p.n++
	a := gateway.Attempt{ID: fmt.Sprintf("att_AdyenPair%011d", p.n), Seq: int64(p.n), OrderID: "ord_pair", Reference: "pair",
		Method: gateway.MethodKNET, Amount: money.MustParse("6.000", "KWD"), Locale: "en",
		ReturnURL: p.shop + "/return", WebhookURL: p.shop + "/webhooks/adyen", ExpiresAt: time.Now().Add(time.Hour)}
	ctx := context.Background()
	st, err := p.conn.Start(ctx, a)
	if err != nil || st.Action.Kind != gateway.ActionRedirect {
		t.Fatalf("Start: %+v %v", st, err)
	}
	a.PaymentID, a.State = st.PaymentID, st.State
	u, _ := url.Parse(st.Action.URL)
	res, err := noRedirect.PostForm(p.srv+"/sandbox/adyen/hpp/knet", url.Values{"redirectData": {u.Query().Get("redirectData")},
		"bank": {"KNET1"}, "card_number": {"8888880000000001"}, "exp_month": {"09"}, "exp_year": {"2030"}, "pin": {"1234"}, "action": {"submit"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	back, err := url.Parse(res.Header.Get("Location"))
	if err != nil || res.StatusCode != http.StatusSeeOther {
		t.Fatalf("KNET page: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	got, err := p.conn.Return(ctx, a, back.Query())
	if err != nil || got.Status != gateway.StatusPaid {
		t.Fatalf("Return: %+v %v", got, err)
	}
	a.PaymentID = got.PaymentID
	p.next("AUTHORISATION")
	return a
}

// Adyen's refunds are asynchronous and it has no status lookup: the connector reports
// "received" as pending with the refund's pspReference, and the REFUND notification names our
// refund id (merchantReference) and that pspReference, so the order service can settle the
// refund even when it never stored the pspReference.
func TestAdyenRefundNotification(t *testing.T) {
	kwd := func(s string) money.Amount { return money.MustParse(s, "KWD") }
	p := newAdyenPair(t)
	if _, ok := gateway.As[gateway.RefundInquirer](gateway.Gateway(p.conn)); ok {
		t.Fatal("the Adyen connector claims a refund inquiry its spec does not have")
	}
	tests := []struct {
		name   string
		amount string
		want   gateway.Status
	}{
		{"made", "2.000", gateway.StatusRefunded},
		{"refused (more than paid)", "7.000", gateway.StatusFailed},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := p.pay()
			refundID := fmt.Sprintf("ref_AdyenPair%d", i)
			got, err := p.conn.Refund(gateway.WithRefundID(context.Background(), refundID), a, kwd(tt.amount))
			if err != nil || got.Status != gateway.StatusPending || got.PaymentID == "" {
				t.Fatalf("Refund: %+v %v", got, err)
			}
			n := p.next("REFUND")
			if n.Refund == nil || n.Refund.RefundID != refundID || n.Refund.GatewayRef != got.PaymentID ||
				n.Result.Status != tt.want || n.Ref.PaymentID != a.PaymentID {
				t.Fatalf("notification %+v refund %+v", n.Result, n.Refund)
			}
		})
	}
}

// Through the order service: an Adyen refund stays pending until its REFUND notification,
// which settles it exactly once — also when the "received" answer was lost and we never stored
// the refund's pspReference: the notification names our refund id.
func TestAdyenRefundSettledByItsNotification(t *testing.T) {
	ctx := context.Background()
	for _, lose := range []bool{false, true} {
		t.Run(fmt.Sprintf("received answer lost: %t", lose), func(t *testing.T) {
			c, l := client("/refunds", "")
			s, o := adyenPaidOrder(t, c, func(cfg *adyensim.Config) {
				cfg.WebhookDelay = 100 * time.Millisecond // the notification comes after the API's answer
			})
			l.set(lose, false)
			_, ref, err := s.svc.Refund(ctx, o.ID, "", "")
			if !errors.Is(err, order.ErrRefundPending) {
				t.Fatalf("Refund: %v (Adyen's received is not a refund yet)", err)
			}
			if lose != (ref.GatewayRef == "") {
				t.Fatalf("gateway ref %q after the answer (lost: %t)", ref.GatewayRef, lose)
			}
			deadline := time.Now().Add(5 * time.Second)
			for s.order(o.ID).Refunds[0].Status == order.RefundPending {
				if time.Now().After(deadline) {
					t.Fatal("the REFUND notification never settled the refund")
				}
				time.Sleep(10 * time.Millisecond)
			}
			got := s.order(o.ID)
			if r := got.Refunds[0]; r.Status != order.RefundSucceeded || r.GatewayRef == "" || got.Status != order.StatusRefunded {
				t.Fatalf("order %s, refund %+v", got.Status, r)
			}
			// The reconciler has nothing to ask, and nothing more is sent, however long we wait.
			if n := s.reconcile(time.Hour); n != 0 {
				t.Errorf("reconciler asked about %d refunds", n)
			}
			if n := s.webhooks(o.ID, "order.refunded"); n != 1 {
				t.Errorf("%d order.refunded webhooks, want 1", n)
			}
			if n := l.reached(); n != 1 {
				t.Errorf("%d refund calls reached Adyen, want 1", n)
			}
		})
	}
}

// A refund Adyen accepts and later reports failed (the simulator's x.013 amounts: REFUND
// "true", then REFUND_FAILED): the order service keeps the succeeded record, flags the order
// for a person once, and sends one order.refunded.
func TestAdyenRefundFailedAfterItWasAccepted(t *testing.T) {
	ctx := context.Background()
	s, o := adyenPaidOrder(t, nil, func(cfg *adyensim.Config) { cfg.PendingDelay = 200 * time.Millisecond })

	if _, _, err := s.svc.Refund(ctx, o.ID, "1.013", ""); !errors.Is(err, order.ErrRefundPending) {
		t.Fatalf("Refund: %v (Adyen's received is not a refund yet)", err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for got := s.order(o.ID); !got.NeedsReview; got = s.order(o.ID) {
		if time.Now().After(deadline) {
			t.Fatalf("REFUND_FAILED never reached the order: %s, review %t, refund %+v", got.Status, got.NeedsReview, got.Refunds[0])
		}
		time.Sleep(10 * time.Millisecond)
	}
	got := s.order(o.ID)
	if r := got.Refunds[0]; r.Status != order.RefundSucceeded || got.Status != order.StatusPartiallyRefunded {
		t.Errorf("order %s, refund %+v; want the accepted refund kept for a person to look at", got.Status, r)
	}
	events, err := s.db.Events(ctx, o.ID)
	if err != nil {
		t.Fatal(err)
	}
	reviews := 0
	for _, ev := range events {
		if ev.Type == order.EventRefundReview {
			reviews++
		}
	}
	if reviews != 1 {
		t.Errorf("%d refund.needs_review events, want 1", reviews)
	}
	if n := s.webhooks(o.ID, "order.refunded"); n != 1 {
		t.Errorf("%d order.refunded webhooks, want 1", n)
	}
}

// adyenPaidOrder is the order service with the Adyen connector (through client, when not nil)
// against the simulator (tweaked by edit), which notifies the shop's service; it returns a
// 6.000 KWD order paid on the simulator's KNET page.
func adyenPaidOrder(t *testing.T, client *http.Client, edit func(*adyensim.Config)) (*shop, order.Order) {
	t.Helper()
	ctx := context.Background()
	srv, mux := server(t)
	shopSrv, shopMux := server(t)
	conn := adyen.New(adyen.Config{BaseURL: srv.URL + "/sandbox/adyen/v71", APIKey: adyenKey, MerchantAccount: adyenMerchant,
		HMACKey: adyenHMAC, HTTPClient: client})
	s := newShop(t, &clock{t: time.Now()}, shopSrv.URL, conn, gateway.MethodKNET)
	shopMux.HandleFunc("/webhooks/adyen", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		rep, _ := s.svc.Webhook(r.Context(), "adyen", gateway.WebhookRequest{Header: r.Header, Body: body})
		w.WriteHeader(rep.Status)
		w.Write(rep.Body)
	})
	cfg := adyensim.Config{BasePath: "/sandbox/adyen", PublicURL: srv.URL + "/sandbox/adyen", APIKey: adyenKey,
		MerchantAccount: adyenMerchant, HMACKey: adyenHMAC, WebhookURL: shopSrv.URL + "/webhooks/adyen",
		RetryBase: time.Millisecond, Logger: discard}
	edit(&cfg)
	sim := adyensim.New(cfg)
	t.Cleanup(sim.Close)
	mux.Handle("/sandbox/adyen/", sim)

	o := s.create("6.000", "KWD")
	a, act, err := s.svc.StartAttempt(ctx, o.ID, gateway.MethodKNET, order.StartOptions{Locale: "en"})
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(act.URL)
	res, err := noRedirect.PostForm(srv.URL+"/sandbox/adyen/hpp/knet", url.Values{"redirectData": {u.Query().Get("redirectData")},
		"bank": {"KNET1"}, "card_number": {"8888880000000001"}, "exp_month": {"09"}, "exp_year": {"2030"}, "pin": {"1234"}, "action": {"submit"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	back, _ := url.Parse(res.Header.Get("Location"))
	if got, err := s.svc.Return(ctx, "adyen", a.ID, back.Query()); err != nil || got.Status != order.StatusPaid {
		t.Fatalf("Return: %s %v", got.Status, err)
	}
	return s, o
}
