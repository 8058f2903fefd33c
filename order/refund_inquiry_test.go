package order_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/money"
	"github.com/bawaba/checkout/order"
)

// ledgerGateway is a refunding gateway that keeps the refunds it made, like K-Pay: no
// idempotency, but an inquiry that lists the payment's refunds (gateway.RefundInquirer). A test
// can lose the next answer after the refund was made, or drop the next call before it arrives;
// async makes it answer like Adyen (pending, the notification decides).
type ledgerGateway struct {
	*fakeGateway
	mu    sync.Mutex
	made  []ledgerRefund
	calls int  // Refund calls that reached the gateway
	lose  bool // the next refund is made, its answer lost
	drop  bool // the next call never reaches the gateway
	async bool // answer pending with the refund's id (Adyen's "received")
	// sloppy makes the inquiry ignore Claimed (two reconcilers reading before either wrote).
	sloppy bool
}

type ledgerRefund struct {
	id     string
	amount money.Amount
}

func (g *ledgerGateway) Refund(_ context.Context, _ gateway.Attempt, amount money.Amount) (gateway.Result, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.drop {
		g.drop = false
		return gateway.Result{}, fmt.Errorf("%w: connection refused", gateway.ErrUnavailable)
	}
	g.calls++
	r := ledgerRefund{id: fmt.Sprintf("rf_%d", len(g.made)+1), amount: amount}
	g.made = append(g.made, r)
	if g.lose {
		g.lose = false
		return gateway.Result{}, fmt.Errorf("%w: connection reset after the gateway answered", gateway.ErrUnavailable)
	}
	if g.async {
		return gateway.Result{Status: gateway.StatusPending, PaymentID: r.id, GatewayMessage: "received"}, nil
	}
	return gateway.Result{Status: gateway.StatusRefunded, PaymentID: r.id, Amount: amount}, nil
}

// InquireRefund finds the refund by its id, else the first unclaimed one of the same amount.
func (g *ledgerGateway) InquireRefund(_ context.Context, _ gateway.Attempt, q gateway.RefundQuery) (gateway.Result, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, r := range g.made {
		if (q.GatewayRef != "" && r.id == q.GatewayRef) ||
			(q.GatewayRef == "" && (g.sloppy || !slices.Contains(q.Claimed, r.id)) && r.amount.Equal(q.Amount)) {
			return gateway.Result{Status: gateway.StatusRefunded, PaymentID: r.id, Amount: r.amount}, nil
		}
	}
	return gateway.Result{}, gateway.ErrRefundNotFound
}

func (g *ledgerGateway) counts() (calls, made int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.calls, len(g.made)
}

// notifyOnly is a ledgerGateway without the inquiry (Adyen: the notification answers).
type notifyOnly struct{ *ledgerGateway }

func (g notifyOnly) InquireRefund() {} // hides the embedded method: not a gateway.RefundInquirer

func newLedgerEnv(t *testing.T, inquire bool) (*env, *ledgerGateway) {
	t.Helper()
	g := &ledgerGateway{fakeGateway: newKNET()}
	var gw gateway.Gateway = g
	if !inquire {
		gw = notifyOnly{g}
	}
	e := newEnvWith(t, gw)
	e.gw = g.fakeGateway
	return e, g
}

// paidOrder creates a 6.000 KWD order paid through the knet attempt.
func (e *env) paidOrder(t *testing.T) (order.Order, order.Attempt) {
	t.Helper()
	o, a := e.startPending(t)
	a = e.order(t, o.ID).Attempts[0]
	if _, err := e.svc.Apply(context.Background(), a.ID, paidResult(a, "6.000", "KWD"), "webhook"); err != nil {
		t.Fatal(err)
	}
	return e.order(t, o.ID), a
}

func (e *env) reconcileRefunds(t *testing.T) int {
	t.Helper()
	n, err := e.svc.ReconcileRefunds(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// A refund the gateway made whose answer we lost is found by the reconciler's inquiry
// (matched by amount among the payment's unclaimed refunds), recorded once with the gateway's
// refund id, with one order.refunded webhook, and the gateway is never asked for money again.
func TestRefundLostAnswerFoundByInquiry(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name     string
		lose     int // refunds of 1.000 whose answers are lost
		keep     int // refunds of 1.000 answered
		wantLeft string
	}{
		{"one lost", 1, 0, "5.000"},
		{"two lost twins of one amount", 2, 0, "4.000"},
		{"one lost between two answered", 1, 2, "3.000"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, g := newLedgerEnv(t, true)
			o, _ := e.paidOrder(t)
			for i := 0; i < tt.lose+tt.keep; i++ {
				g.mu.Lock()
				g.lose = i < tt.lose
				g.mu.Unlock()
				_, _, err := e.svc.Refund(ctx, o.ID, "1.000", "")
				if lost := i < tt.lose; lost != errors.Is(err, order.ErrRefundPending) {
					t.Fatalf("refund %d: %v", i, err)
				}
			}
			if n := e.reconcileRefunds(t); n != 0 {
				t.Fatalf("asked %d before the first check", n)
			}
			e.clk.Advance(2 * time.Minute)
			if n := e.reconcileRefunds(t); n != tt.lose {
				t.Fatalf("asked %d, want %d", n, tt.lose)
			}
			got := e.order(t, o.ID)
			seen := map[string]bool{}
			for _, r := range got.Refunds {
				if r.Status != order.RefundSucceeded || r.GatewayRef == "" || seen[r.GatewayRef] {
					t.Errorf("refund %s: %s, gateway ref %q (shared: %t)", r.ID, r.Status, r.GatewayRef, seen[r.GatewayRef])
				}
				seen[r.GatewayRef] = true
			}
			if left, _ := got.Amount.Sub(got.Refunded()); left.String() != tt.wantLeft || got.Status != order.StatusPartiallyRefunded {
				t.Errorf("order %s, %s left; want %s", got.Status, left, tt.wantLeft)
			}
			if calls, made := g.counts(); calls != tt.lose+tt.keep || made != tt.lose+tt.keep {
				t.Errorf("gateway asked %d times, made %d refunds; want %d", calls, made, tt.lose+tt.keep)
			}
			if n := count(e.outboxTypes(t, o.ID), "order.refunded"); n != tt.lose+tt.keep {
				t.Errorf("%d order.refunded webhooks, want %d", n, tt.lose+tt.keep)
			}
			e.clk.Advance(2 * time.Hour)
			if n := e.reconcileRefunds(t); n != 0 {
				t.Errorf("settled refunds asked about again: %d", n)
			}
		})
	}
}

// A refund that never reached a gateway without idempotency stays pending and reserved while
// the first call may still be in flight, then is recorded failed (the gateway has no such
// refund): its amount is free again, no webhook, and the gateway was never asked for money.
func TestRefundNeverMadeFailsAfterTheGrace(t *testing.T) {
	ctx := context.Background()
	e, g := newLedgerEnv(t, true)
	o, _ := e.paidOrder(t)
	g.mu.Lock()
	g.drop = true
	g.mu.Unlock()
	if _, _, err := e.svc.Refund(ctx, o.ID, "6.000", ""); !errors.Is(err, order.ErrRefundPending) {
		t.Fatalf("Refund: %v", err)
	}
	for _, d := range []time.Duration{2 * time.Minute, 4 * time.Minute} {
		e.clk.Advance(d)
		e.reconcileRefunds(t)
		if r := e.order(t, o.ID).Refunds[0]; r.Status != order.RefundPending {
			t.Fatalf("after %s: %s", d, r.Status)
		}
	}
	e.clk.Advance(15 * time.Minute)
	if n := e.reconcileRefunds(t); n != 1 {
		t.Fatalf("asked %d", n)
	}
	got := e.order(t, o.ID)
	if r := got.Refunds[0]; r.Status != order.RefundFailed || got.Status != order.StatusPaid {
		t.Fatalf("order %s, refund %+v", got.Status, r)
	}
	if calls, _ := g.counts(); calls != 0 {
		t.Errorf("the gateway was asked for money %d times", calls)
	}
	if n := count(e.outboxTypes(t, o.ID), "order.refunded"); n != 0 {
		t.Errorf("%d order.refunded webhooks", n)
	}
	// The amount is free again.
	if _, _, err := e.svc.Refund(ctx, o.ID, "6.000", ""); err != nil {
		t.Fatalf("refund again: %v", err)
	}
	if got := e.order(t, o.ID); got.Status != order.StatusRefunded {
		t.Errorf("order %s", got.Status)
	}
}

// At a gateway whose refunds are asynchronous and that cannot be asked (Adyen), the refund
// stays pending with the gateway's id until its notification: REFUND success settles it once
// however often it comes, REFUND false fails it, and a notification naming our refund id finds
// a refund whose gateway id we never stored (a crash after the call).
func TestRefundNotifications(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name       string
		lose       bool // the "received" answer is lost: no gateway id stored
		status     gateway.Status
		byRefundID bool // the notification names our refund id (else only the gateway's id)
		want       order.RefundStatus
		wantOrder  order.Status
		webhooks   int
	}{
		{"REFUND true by our refund id", false, gateway.StatusRefunded, true, order.RefundSucceeded, order.StatusRefunded, 1},
		{"REFUND true by the gateway's id", false, gateway.StatusRefunded, false, order.RefundSucceeded, order.StatusRefunded, 1},
		{"REFUND true after a lost answer", true, gateway.StatusRefunded, true, order.RefundSucceeded, order.StatusRefunded, 1},
		{"REFUND false", false, gateway.StatusFailed, true, order.RefundFailed, order.StatusPaid, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, g := newLedgerEnv(t, false)
			g.async, g.lose = true, tt.lose
			o, a := e.paidOrder(t)
			_, ref, err := e.svc.Refund(ctx, o.ID, "", "")
			if !errors.Is(err, order.ErrRefundPending) {
				t.Fatalf("Refund: %v", err)
			}
			e.clk.Advance(2 * time.Minute)
			e.reconcileRefunds(t) // nothing to ask: it waits
			if r := e.order(t, o.ID).Refunds[0]; r.Status != order.RefundPending {
				t.Fatalf("before the notification: %s", r.Status)
			}
			note := gateway.Notification{
				Ref:    gateway.AttemptRef{PaymentID: a.PaymentID},
				Result: gateway.Result{Status: tt.status, PaymentID: a.PaymentID, Amount: money.MustParse("6.000", "KWD")},
				Refund: &gateway.RefundNote{GatewayRef: "rf_1"},
			}
			if tt.byRefundID {
				note.Ref.AttemptID, note.Refund.RefundID = ref.ID, ref.ID
			}
			e.gw.mu.Lock()
			e.gw.notes = []gateway.Notification{note}
			e.gw.mu.Unlock()
			for i := 0; i < 3; i++ {
				if _, err := e.svc.Webhook(ctx, "knet", gateway.WebhookRequest{}); err != nil {
					t.Fatalf("Webhook: %v", err)
				}
			}
			got := e.order(t, o.ID)
			if r := got.Refunds[0]; r.Status != tt.want || r.GatewayRef != "rf_1" || got.Status != tt.wantOrder {
				t.Errorf("order %s, refund %+v", got.Status, r)
			}
			if n := count(e.outboxTypes(t, o.ID), "order.refunded"); n != tt.webhooks {
				t.Errorf("%d order.refunded webhooks, want %d", n, tt.webhooks)
			}
			if calls, _ := g.counts(); calls != 1 {
				t.Errorf("the gateway was asked for money %d times", calls)
			}
		})
	}
}

// A failure the gateway reports after it reported the refund made (Adyen's REFUND_FAILED)
// keeps the record and flags the order for a person, once.
func TestRefundFailedAfterItWasMade(t *testing.T) {
	ctx := context.Background()
	e, _ := newLedgerEnv(t, false)
	o, a := e.paidOrder(t)
	_, ref, err := e.svc.Refund(ctx, o.ID, "2.000", "")
	if err != nil {
		t.Fatal(err)
	}
	e.gw.mu.Lock()
	e.gw.notes = []gateway.Notification{{Ref: gateway.AttemptRef{AttemptID: ref.ID, PaymentID: a.PaymentID},
		Result: gateway.Result{Status: gateway.StatusFailed, PaymentID: a.PaymentID, GatewayMessage: "bank refused"},
		Refund: &gateway.RefundNote{RefundID: ref.ID, GatewayRef: ref.GatewayRef}}}
	e.gw.mu.Unlock()
	if _, err := e.svc.Webhook(ctx, "knet", gateway.WebhookRequest{}); err != nil {
		t.Fatal(err)
	}
	got := e.order(t, o.ID)
	if got.Refunds[0].Status != order.RefundSucceeded || !got.NeedsReview || got.Status != order.StatusPartiallyRefunded {
		t.Errorf("order %s review %t, refund %s", got.Status, got.NeedsReview, got.Refunds[0].Status)
	}
	for i := 0; i < 2; i++ { // notified again: nothing more
		if _, err := e.svc.Webhook(ctx, "knet", gateway.WebhookRequest{}); err != nil {
			t.Fatal(err)
		}
	}
	if n := len(e.events(t, o.ID, order.EventRefundReview)); n != 1 {
		t.Errorf("%d refund.needs_review events, want 1", n)
	}
}

// A refund that stays pending a day (a notification that never came) flags its order for a
// person, with one refund.needs_review event however often the reconciler asks again.
func TestRefundPendingADayNeedsReview(t *testing.T) {
	ctx := context.Background()
	e, g := newLedgerEnv(t, false)
	g.async = true
	o, _ := e.paidOrder(t)
	if _, _, err := e.svc.Refund(ctx, o.ID, "1.000", ""); !errors.Is(err, order.ErrRefundPending) {
		t.Fatal(err)
	}
	for _, d := range []time.Duration{2 * time.Minute, time.Hour, 12 * time.Hour} {
		e.clk.Advance(d)
		e.reconcileRefunds(t)
	}
	if got := e.order(t, o.ID); got.NeedsReview {
		t.Fatal("flagged before a day")
	}
	for i := 0; i < 3; i++ {
		e.clk.Advance(12 * time.Hour)
		e.reconcileRefunds(t)
	}
	got := e.order(t, o.ID)
	if !got.NeedsReview || got.Refunds[0].Status != order.RefundPending {
		t.Fatalf("review %t, refund %s", got.NeedsReview, got.Refunds[0].Status)
	}
	if n := len(e.events(t, o.ID, order.EventRefundReview)); n != 1 {
		t.Errorf("%d refund.needs_review events, want 1", n)
	}
}

// One gateway refund is never counted for two of our refunds: when two reconcilers (two nodes)
// match the same K-Pay entry to two lost refunds of one amount, the second finds it taken and
// stays pending, so the order's refunded amount is what the gateway gave back.
func TestOneGatewayRefundIsNeverTakenTwice(t *testing.T) {
	ctx := context.Background()
	e, g := newLedgerEnv(t, true)
	g.sloppy = true
	o, _ := e.paidOrder(t)
	g.mu.Lock()
	g.lose = true
	g.mu.Unlock()
	if _, _, err := e.svc.Refund(ctx, o.ID, "1.000", ""); !errors.Is(err, order.ErrRefundPending) {
		t.Fatal(err)
	}
	g.mu.Lock()
	g.drop = true
	g.mu.Unlock()
	if _, _, err := e.svc.Refund(ctx, o.ID, "1.000", ""); !errors.Is(err, order.ErrRefundPending) {
		t.Fatal(err)
	}
	for _, d := range []time.Duration{2 * time.Minute, 20 * time.Minute, time.Hour} {
		e.clk.Advance(d)
		e.reconcileRefunds(t)
	}
	got := e.order(t, o.ID)
	if got.Refunded().String() != "1.000" || got.Refunds[0].Status != order.RefundSucceeded || got.Refunds[1].Status != order.RefundPending {
		t.Fatalf("refunded %s; refunds %+v", got.Refunded(), got.Refunds)
	}
	if got.Refunds[1].GatewayRef != "" {
		t.Errorf("the second refund took %q too", got.Refunds[1].GatewayRef)
	}
	if n := count(e.outboxTypes(t, o.ID), "order.refunded"); n != 1 {
		t.Errorf("%d order.refunded webhooks, want 1", n)
	}
}
