package order_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/order"
)

// together runs fn(i) for i in [0, n) in n goroutines released at the same moment, and waits.
func together(n int, fn func(i int)) {
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	ready.Add(n)
	done.Add(n)
	for i := range n {
		go func() {
			defer done.Done()
			ready.Done()
			<-start
			fn(i)
		}()
	}
	ready.Wait()
	close(start)
	done.Wait()
}

// A return, a webhook and the reconciler may report the same success at once: exactly one wins.
func TestConcurrentApplyPaidTransitionsOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	o, a := e.startPending(t)
	res := paidResult(a, "6.000", "KWD")

	const n = 100
	errs := make([]error, n)
	together(n, func(i int) {
		_, errs[i] = e.svc.Apply(ctx, a.ID, res, fmt.Sprintf("racer-%d", i))
	})

	for i, err := range errs {
		if err != nil {
			t.Errorf("Apply #%d: %v", i, err)
		}
	}
	e.paidOnce(t, o.ID)
}

// paidOnce checks that an order was paid exactly once: one attempt moved to paid, one
// order.paid event, one order.paid webhook in the outbox, and nothing flagged.
func (e *env) paidOnce(t *testing.T, orderID string) {
	t.Helper()
	toPaid := 0
	for _, ev := range e.events(t, orderID, order.EventAttemptStatus) {
		if ev.Data["to"] == string(gateway.StatusPaid) {
			toPaid++
		}
	}
	if toPaid != 1 {
		t.Errorf("%d attempt.status events to paid, want exactly 1", toPaid)
	}
	if n := len(e.events(t, orderID, order.EventPaid)); n != 1 {
		t.Errorf("%d order.paid events, want exactly 1", n)
	}
	if got := count(e.outboxTypes(t, orderID), order.NotifyPaid); got != 1 {
		t.Errorf("%d order.paid outbox rows, want exactly 1", got)
	}
	if st := e.order(t, orderID); st.Status != order.StatusPaid || st.NeedsReview {
		t.Errorf("order = %s needs_review %v, want paid and not flagged", st.Status, st.NeedsReview)
	}
}

// A shop retrying one request with one Idempotency-Key gets one order and one answer.
func TestConcurrentCreateWithOneIdempotencyKey(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	in := validOrder()
	in.Reference = "INV-IDEM"
	idem := order.Idempotency{Scope: "key_1", Key: "one-key", RequestHash: "same-body"}

	const n = 200
	answers := make([]string, n)
	replayed := make([]bool, n)
	errs := make([]error, n)
	together(n, func(i int) {
		c, err := e.svc.Create(ctx, in, &idem)
		answers[i], replayed[i], errs[i] = e.createdJSON(t, c.Order), c.Replayed, err
	})

	fresh := 0
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("Create #%d: %v", i, errs[i])
		}
		if !replayed[i] {
			fresh++
		}
		if answers[i] != answers[0] {
			t.Errorf("Create #%d answered %s, #0 answered %s", i, answers[i], answers[0])
		}
	}
	if fresh != 1 {
		t.Errorf("%d answers not replayed, want 1", fresh)
	}
	orders, err := e.svc.ByReference(ctx, in.Reference)
	if err != nil {
		t.Fatal(err)
	}
	if len(orders) != 1 {
		t.Errorf("%d orders created, want exactly 1", len(orders))
	}
}

// Two checkouts for one purchase: exactly one open order holds the reference.
func TestConcurrentCreateWithOneReference(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	in := validOrder()
	in.Reference = "INV-RACE"

	const n = 200
	errs := make([]error, n)
	together(n, func(i int) {
		idem := &order.Idempotency{Scope: "key_1", Key: fmt.Sprintf("key-%d", i), RequestHash: "h"}
		_, errs[i] = e.svc.Create(ctx, in, idem)
	})

	ok, taken := 0, 0
	for i, err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, order.ErrReferenceTaken):
			taken++
		default:
			t.Errorf("Create #%d: %v", i, err)
		}
	}
	if ok != 1 || taken != n-1 {
		t.Errorf("%d created and %d ErrReferenceTaken, want 1 and %d", ok, taken, n-1)
	}
	orders, err := e.svc.ByReference(ctx, in.Reference)
	if err != nil {
		t.Fatal(err)
	}
	open := 0
	for _, o := range orders {
		if o.Status == order.StatusOpen {
			open++
		}
	}
	if len(orders) != 1 || open != 1 {
		t.Errorf("%d orders (%d open) with the reference, want exactly 1 open", len(orders), open)
	}
}

// A double click on Pay, many times over: one attempt, one call to the gateway, one action.
func TestConcurrentStartAttemptMakesOneAttempt(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	o := e.create(t, validOrder())

	const n = 20
	ids := make([]string, n)
	acts := make([]gateway.Action, n)
	errs := make([]error, n)
	together(n, func(i int) {
		a, act, err := e.svc.StartAttempt(ctx, o.ID, gateway.MethodKNET, order.StartOptions{})
		ids[i], acts[i], errs[i] = a.ID, act, err
	})
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("StartAttempt #%d: %v", i, errs[i])
		}
		if ids[i] != ids[0] || acts[i].URL != acts[0].URL || acts[i].Kind != gateway.ActionRedirect {
			t.Errorf("StartAttempt #%d = %s %+v, #0 = %s %+v", i, ids[i], acts[i], ids[0], acts[0])
		}
	}
	if got := len(e.order(t, o.ID).Attempts); got != 1 {
		t.Errorf("%d attempts, want 1", got)
	}
	if got := e.gw.startCount(); got != 1 {
		t.Errorf("gateway Start called %d times, want 1", got)
	}
}
