package order_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/order"
)

// embedGateway is a fake K-Pay card: Start calls nothing and answers the gateway's script
// (ActionEmbed); Continue charges the posted token once per call, answering a 3-D Secure
// redirect, or with paid set an immediate result, or with declined a declined one. A post
// without a token is refused before any charge. With hold set, Continue waits for release.
type embedGateway struct {
	*fakeGateway
	paid, declined bool
	unclear        bool // the charge is made, but its answer is lost (ErrUnavailable)
	hold           bool
	entered        chan struct{} // receives once per Continue that reached the gateway
	release        chan struct{}

	cmu     sync.Mutex
	charges int
	tokens  []string
}

func (*embedGateway) StartsOffline(string) bool { return true }

func (g *embedGateway) Start(context.Context, gateway.Attempt) (gateway.Started, error) {
	return gateway.Started{Action: gateway.Action{Kind: gateway.ActionEmbed,
		Embed: &gateway.Embed{ScriptURL: "https://gw.example/button.js", Attributes: []gateway.Field{{Name: "data-amount", Value: "6.000"}}}}}, nil
}

func (g *embedGateway) Continue(_ context.Context, a gateway.Attempt, form url.Values) (gateway.Started, error) {
	token := form.Get("token")
	if token == "" {
		return gateway.Started{}, fmt.Errorf("fake: token post: %w: no token", gateway.ErrBadRequest)
	}
	g.entered <- struct{}{}
	if g.hold {
		<-g.release
	}
	g.cmu.Lock()
	g.charges++
	g.tokens = append(g.tokens, token)
	id := fmt.Sprintf("chrg_%d", g.charges)
	g.cmu.Unlock()
	if g.unclear {
		return gateway.Started{}, fmt.Errorf("fake: charge: %w: timeout awaiting response headers", gateway.ErrUnavailable)
	}
	st := gateway.Started{PaymentID: id, Action: gateway.Action{Kind: gateway.ActionRedirect, URL: "https://gw.example/3ds/" + id}}
	if g.paid || g.declined {
		res := gateway.Result{Status: gateway.StatusPaid, PaymentID: id, Amount: a.Amount, OurReference: a.ID}
		if g.declined {
			res = gateway.Result{Status: gateway.StatusFailed, PaymentID: id, Reason: gateway.ReasonDeclined}
		}
		st.Action, st.Result = gateway.Action{Kind: gateway.ActionWait}, &res
	}
	return st, nil
}

func (g *embedGateway) chargeCount() int {
	g.cmu.Lock()
	defer g.cmu.Unlock()
	return g.charges
}

func newEmbedEnv(t *testing.T, edit func(*embedGateway)) (*env, *embedGateway) {
	t.Helper()
	e := newEnv(t)
	g := &embedGateway{fakeGateway: e.gw, entered: make(chan struct{}, 64), release: make(chan struct{})}
	if edit != nil {
		edit(g)
	}
	e.svc = order.NewService(e.st, gatewayRegistry(t, g), order.Config{BaseURL: "https://checkout.example", Now: e.clk.Now, Events: e.views})
	return e, g
}

// startEmbed creates an order and starts its attempt, which shows the gateway's script.
func (e *env) startEmbed(t *testing.T) (order.Order, order.Attempt) {
	t.Helper()
	o := e.create(t, validOrder())
	a, act, err := e.svc.StartAttempt(context.Background(), o.ID, gateway.MethodKNET, order.StartOptions{})
	if err != nil || act.Kind != gateway.ActionEmbed || act.Embed == nil {
		t.Fatalf("StartAttempt = %+v, %v; want the script", act, err)
	}
	return o, a
}

var tokenForm = url.Values{"token": {"tokn_test_1"}, "mid": {"401001001001001"}}

// The card starts in one transaction with its script, and the token posted to the attempt is
// charged once: a double submit afterwards gets the same 3-D Secure page, charging nothing.
func TestContinueChargesOnce(t *testing.T) {
	t.Parallel()
	e, g := newEmbedEnv(t, nil)
	o, a := e.startEmbed(t)
	if stored := e.order(t, o.ID).Attempts[0]; stored.Action.Kind != gateway.ActionEmbed || stored.PaymentID != "" {
		t.Fatalf("started attempt %+v; want its script recorded, no payment yet", stored)
	}
	for i := range 2 {
		got, act, err := e.svc.ContinueAttempt(context.Background(), o.ID, a.ID, tokenForm)
		if err != nil || got.ID != a.ID || act.Kind != gateway.ActionRedirect || act.URL != "https://gw.example/3ds/chrg_1" {
			t.Fatalf("continue %d = %s %+v %v; want the 3-D Secure redirect of the one charge", i, got.ID, act, err)
		}
	}
	if n := g.chargeCount(); n != 1 {
		t.Errorf("charged %d times, want 1", n)
	}
	stored := e.order(t, o.ID).Attempts[0]
	if stored.PaymentID != "chrg_1" || stored.Action.URL != "https://gw.example/3ds/chrg_1" || stored.Status != gateway.StatusPending {
		t.Errorf("stored attempt %+v; want the charge and its redirect, pending", stored)
	}
}

// Many submits at once, on two nodes: one charge, and every submit is sent to its answer.
func TestContinueRaceOneCharge(t *testing.T) {
	t.Parallel()
	e, g := newEmbedEnv(t, func(g *embedGateway) { g.paid = true })
	o, a := e.startEmbed(t)
	other := e.node(t)
	other.svc = order.NewService(other.st, gatewayRegistry(t, g), order.Config{BaseURL: "https://checkout.example", Now: e.clk.Now, Events: e.views})
	const n = 8
	acts := make([]gateway.Action, n)
	errs := make([]error, n)
	together(n, func(i int) {
		svc := e.svc
		if i%2 == 1 {
			svc = other.svc
		}
		_, acts[i], errs[i] = svc.ContinueAttempt(context.Background(), o.ID, a.ID, tokenForm)
	})
	if c := g.chargeCount(); c != 1 {
		t.Fatalf("charged %d times, want 1", c)
	}
	for i := range n {
		// The winner and those who waited for it see its answer (wait); a submit that came
		// after the payment was applied is told the attempt is closed.
		if errs[i] != nil && !errors.Is(errs[i], order.ErrAttemptClosed) && !errors.Is(errs[i], order.ErrNotPayable) {
			t.Errorf("submit %d: %v", i, errs[i])
		}
		if errs[i] == nil && acts[i].Kind != gateway.ActionWait {
			t.Errorf("submit %d: action %+v, want wait", i, acts[i])
		}
	}
	if got := e.order(t, o.ID); got.Status != order.StatusPaid || got.Attempts[0].PaymentID != "chrg_1" {
		t.Errorf("order %s attempt %+v; want paid by chrg_1", got.Status, got.Attempts[0])
	}
}

// A submit that arrives while the first is at the gateway waits for its answer, and never
// calls the gateway itself.
func TestContinueSecondWaitsForFirst(t *testing.T) {
	t.Parallel()
	e, g := newEmbedEnv(t, func(g *embedGateway) { g.hold = true })
	o, a := e.startEmbed(t)
	first := make(chan gateway.Action, 1)
	go func() {
		_, act, err := e.svc.ContinueAttempt(context.Background(), o.ID, a.ID, tokenForm)
		if err != nil {
			t.Errorf("first submit: %v", err)
		}
		first <- act
	}()
	<-g.entered // the first is at the gateway, the attempt claimed
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	if _, _, err := e.svc.ContinueAttempt(ctx, o.ID, a.ID, tokenForm); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("second submit while the first is at the gateway = %v; want it waiting (deadline exceeded)", err)
	}
	second := make(chan gateway.Action, 1)
	go func() {
		_, act, _ := e.svc.ContinueAttempt(context.Background(), o.ID, a.ID, tokenForm)
		second <- act
	}()
	close(g.release)
	if f, s := <-first, <-second; f.Kind != gateway.ActionRedirect || s.URL != f.URL {
		t.Errorf("first %+v second %+v; want the same redirect", f, s)
	}
	if c := g.chargeCount(); c != 1 {
		t.Errorf("charged %d times, want 1", c)
	}
}

// A charge whose answer is lost (a timeout, a 5xx) may have taken the money: the attempt stays
// pending, with no button to post again and no failure recorded, until the reconciler asks the
// gateway; the gateway's word then settles it.
func TestContinueUnclearAnswerIsLeftToTheReconciler(t *testing.T) {
	t.Parallel()
	e, g := newEmbedEnv(t, func(g *embedGateway) { g.unclear = true })
	o, a := e.startEmbed(t)
	statuses := len(e.events(t, o.ID, order.EventAttemptStatus))
	got, act, err := e.svc.ContinueAttempt(context.Background(), o.ID, a.ID, tokenForm)
	if !errors.Is(err, order.ErrOutcomeUnknown) || !errors.Is(err, gateway.ErrUnavailable) || got.ID != a.ID || act.Kind != "" {
		t.Fatalf("continue with a lost answer = %s %+v %v; want ErrOutcomeUnknown for the attempt, no action", got.ID, act, err)
	}
	after := e.order(t, o.ID)
	stored := after.Attempts[0]
	if stored.Status != gateway.StatusPending || stored.Action.Kind != gateway.ActionWait || after.Status != order.StatusProcessing {
		t.Fatalf("after a lost answer: order %s, attempt %s with action %q; want processing, pending, wait", after.Status, stored.Status, stored.Action.Kind)
	}
	if n := len(e.events(t, o.ID, order.EventAttemptStatus)); n != statuses {
		t.Errorf("%d attempt status events after a lost answer, %d before; want none recorded", n, statuses)
	}
	// A second submit charges nothing and goes on to wait for the check.
	if _, act, err := e.svc.ContinueAttempt(context.Background(), o.ID, a.ID, tokenForm); err != nil || act.Kind != gateway.ActionWait {
		t.Errorf("a second post after a lost answer = %+v, %v; want to wait on the result page", act, err)
	}
	if c := g.chargeCount(); c != 1 {
		t.Errorf("charged %d times, want 1", c)
	}
	// The gateway says the charge went through: the reconciler's check records it as paid.
	g.mu.Lock()
	g.result = gateway.Result{Status: gateway.StatusPaid, PaymentID: "chrg_1", Amount: o.Amount, OurReference: a.ID}
	g.mu.Unlock()
	if _, err := e.svc.Check(context.Background(), a.ID); err != nil {
		t.Fatal(err)
	}
	if after := e.order(t, o.ID); after.Status != order.StatusPaid || after.Attempts[0].PaymentID != "chrg_1" {
		t.Errorf("after the check: order %s, payment %q; want paid by chrg_1", after.Status, after.Attempts[0].PaymentID)
	}
}

// No charge for an attempt that is no longer pending, or whose order expired; a post without
// the token is refused with ErrBadForm and changes nothing, and the page can post again.
func TestContinueRefusals(t *testing.T) {
	t.Parallel()
	t.Run("attempt no longer pending", func(t *testing.T) {
		t.Parallel()
		e, g := newEmbedEnv(t, func(g *embedGateway) { g.declined = true })
		o, a := e.startEmbed(t)
		if _, _, err := e.svc.ContinueAttempt(context.Background(), o.ID, a.ID, tokenForm); err != nil {
			t.Fatal(err)
		}
		if got := e.order(t, o.ID).Attempts[0]; got.Status != gateway.StatusFailed {
			t.Fatalf("attempt %s, want failed (declined)", got.Status)
		}
		if _, _, err := e.svc.ContinueAttempt(context.Background(), o.ID, a.ID, tokenForm); !errors.Is(err, order.ErrAttemptClosed) {
			t.Errorf("continue on a failed attempt = %v; want ErrAttemptClosed", err)
		}
		if c := g.chargeCount(); c != 1 {
			t.Errorf("charged %d times, want 1", c)
		}
	})
	t.Run("order expired", func(t *testing.T) {
		t.Parallel()
		e, g := newEmbedEnv(t, nil)
		o, a := e.startEmbed(t)
		e.clk.Advance(time.Hour)
		if _, _, err := e.svc.ContinueAttempt(context.Background(), o.ID, a.ID, tokenForm); !errors.Is(err, order.ErrOrderExpired) {
			t.Errorf("continue on an expired order = %v; want ErrOrderExpired", err)
		}
		if c := g.chargeCount(); c != 0 {
			t.Errorf("charged %d times, want 0", c)
		}
		if got := e.order(t, o.ID).Attempts[0]; got.Action.Kind != gateway.ActionEmbed || got.PaymentID != "" {
			t.Errorf("attempt %+v; want it untouched", got)
		}
	})
	t.Run("no token", func(t *testing.T) {
		t.Parallel()
		e, g := newEmbedEnv(t, nil)
		o, a := e.startEmbed(t)
		before, evs := e.order(t, o.ID), len(mustEvents(t, e, o.ID))
		_, act, err := e.svc.ContinueAttempt(context.Background(), o.ID, a.ID, url.Values{"mid": {"401001001001001"}})
		if !errors.Is(err, order.ErrBadForm) || !errors.Is(err, gateway.ErrBadRequest) || act.Kind != gateway.ActionEmbed {
			t.Fatalf("continue without a token = %+v, %v; want ErrBadForm and the script again", act, err)
		}
		after := e.order(t, o.ID)
		ba, aa := before.Attempts[0], after.Attempts[0]
		if after.Status != before.Status || aa.Status != gateway.StatusPending || aa.PaymentID != "" || !aa.UpdatedAt.Equal(ba.UpdatedAt) ||
			aa.Action.Kind != gateway.ActionEmbed || aa.Action.Embed.ScriptURL != ba.Action.Embed.ScriptURL {
			t.Errorf("after a refused post: order %s attempt %+v; before: %s %+v", after.Status, aa, before.Status, ba)
		}
		if n := len(mustEvents(t, e, o.ID)); n != evs {
			t.Errorf("%d events after a refused post, %d before", n, evs)
		}
		if c := g.chargeCount(); c != 0 {
			t.Errorf("charged %d times, want 0", c)
		}
		if _, act, err := e.svc.ContinueAttempt(context.Background(), o.ID, a.ID, tokenForm); err != nil || act.Kind != gateway.ActionRedirect {
			t.Errorf("the post again, with its token = %+v, %v; want the charge's redirect", act, err)
		}
	})
	t.Run("unknown attempt", func(t *testing.T) {
		t.Parallel()
		e, _ := newEmbedEnv(t, nil)
		o, _ := e.startEmbed(t)
		if _, _, err := e.svc.ContinueAttempt(context.Background(), o.ID, "att_nope", tokenForm); !errors.Is(err, order.ErrNotFound) {
			t.Errorf("continue of an unknown attempt = %v; want ErrNotFound", err)
		}
	})
}

func mustEvents(t *testing.T, e *env, orderID string) []order.Event {
	t.Helper()
	all, err := e.st.Events(context.Background(), orderID)
	if err != nil {
		t.Fatal(err)
	}
	return all
}

func gatewayRegistry(t *testing.T, g gateway.Gateway) *gateway.Registry {
	t.Helper()
	reg := gateway.NewRegistry()
	if err := reg.Register(g, gateway.MethodKNET); err != nil {
		t.Fatal(err)
	}
	return reg
}
