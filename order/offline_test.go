package order_test

import (
	"context"
	"errors"
	"testing"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/order"
)

// offlineGateway is the fake gateway declaring that its Start calls nothing, so the service
// starts attempts inside the transaction that creates them. With fail, Start refuses.
type offlineGateway struct {
	*fakeGateway
	fail bool
}

func (offlineGateway) StartsOffline(string) bool { return true }

func (g offlineGateway) Start(ctx context.Context, a gateway.Attempt) (gateway.Started, error) {
	if g.fail {
		return gateway.Started{}, errors.New("knet: start: rejected: no terminal")
	}
	return g.fakeGateway.Start(ctx, a)
}

func newOfflineEnv(t *testing.T, fail bool) *env {
	t.Helper()
	e := newEnv(t)
	reg := gateway.NewRegistry()
	if err := reg.Register(offlineGateway{e.gw, fail}, gateway.MethodKNET); err != nil {
		t.Fatal(err)
	}
	e.svc = order.NewService(e.st, reg, order.Config{BaseURL: "https://checkout.example", Now: e.clk.Now, Events: e.views})
	return e
}

// A double click on Pay at an offline gateway: one attempt, started once, and every click gets
// its action at once (nobody waits for another's answer, nobody is told the attempt is busy).
func TestOfflineStartOneTransaction(t *testing.T) {
	t.Parallel()
	e := newOfflineEnv(t, false)
	o := e.create(t, validOrder())

	const n = 20
	atts := make([]order.Attempt, n)
	acts := make([]gateway.Action, n)
	errs := make([]error, n)
	together(n, func(i int) {
		atts[i], acts[i], errs[i] = e.svc.StartAttempt(context.Background(), o.ID, gateway.MethodKNET, order.StartOptions{})
	})
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("click %d: %v", i, errs[i])
		}
		if atts[i].ID != atts[0].ID || acts[i].URL != acts[0].URL || acts[i].Kind != gateway.ActionRedirect {
			t.Errorf("click %d: attempt %s action %+v; click 0: %s %+v", i, atts[i].ID, acts[i], atts[0].ID, acts[0])
		}
	}
	if got := e.gw.startCount(); got != 1 {
		t.Errorf("the gateway was asked to start %d times, want 1", got)
	}
	stored := e.order(t, o.ID)
	if len(stored.Attempts) != 1 || stored.Status != order.StatusProcessing {
		t.Fatalf("order %s with %d attempts, want processing with 1", stored.Status, len(stored.Attempts))
	}
	if a := stored.Attempts[0]; a.PaymentID != "pay_1" || a.Action.URL != acts[0].URL || a.State["n"] != "1" {
		t.Errorf("stored attempt = payment %q action %q state %v; want what Start answered", a.PaymentID, a.Action.URL, a.State)
	}
}

// A refused offline start leaves a failed attempt (gateway_error) and an order still payable,
// as an online one does.
func TestOfflineStartRefusedIsRecorded(t *testing.T) {
	t.Parallel()
	e := newOfflineEnv(t, true)
	o := e.create(t, validOrder())
	a, act, err := e.svc.StartAttempt(context.Background(), o.ID, gateway.MethodKNET, order.StartOptions{})
	if err == nil || a.ID == "" || act.Kind != "" {
		t.Fatalf("StartAttempt = %s, %+v, %v; want the attempt and an error", a.ID, act, err)
	}
	stored := e.order(t, o.ID)
	if len(stored.Attempts) != 1 || stored.Attempts[0].Status != gateway.StatusFailed ||
		stored.Attempts[0].FailureReason != gateway.ReasonGatewayError || !stored.Status.Payable() {
		t.Errorf("order %s attempts %+v; want one failed attempt (gateway_error) and the order payable", stored.Status, stored.Attempts)
	}
	if n := len(e.events(t, o.ID, order.EventAttemptStarted)); n != 1 {
		t.Errorf("%d attempt started events, want 1", n)
	}
}
