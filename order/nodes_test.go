package order_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/order"
)

// Exactly once across nodes: the races of race_test.go, with the racers spread over two nodes
// (two services, two stores) on one database. On PostgreSQL this is two servers behind one load
// balancer; on SQLite, two processes on one file.

// The gateway's webhooks, the shopper's returns and the reconciler report one success on both
// nodes at once: one paid transition, one order.paid webhook in the outbox.
func TestTwoNodesDuplicateWebhooksAndReturnsPayOnce(t *testing.T) {
	t.Parallel()
	a := newEnv(t)
	b := a.node(t)
	ctx := context.Background()
	o, att := a.startPending(t)
	res := paidResult(att, "6.000", "KWD")
	a.gw.result = res
	a.gw.notes = []gateway.Notification{{Ref: gateway.AttemptRef{PaymentID: att.PaymentID}, Result: res}}

	nodes := []*env{a, b}
	const n = 60
	errs := make([]error, n)
	together(n, func(i int) {
		e := nodes[i%2]
		switch (i / 2) % 3 {
		case 0:
			_, errs[i] = e.svc.Webhook(ctx, "knet", gateway.WebhookRequest{})
		case 1:
			_, errs[i] = e.svc.Return(ctx, "knet", att.ID, nil)
		default:
			_, errs[i] = e.svc.Check(ctx, att.ID)
		}
	})
	for i, err := range errs {
		if err != nil {
			t.Errorf("racer #%d on node %d: %v", i, i%2, err)
		}
	}
	for _, e := range nodes { // both nodes read the same truth
		e.paidOnce(t, o.ID)
	}
}

// A double click on Pay landing on both nodes: one attempt, one call to the gateway. And one
// Idempotency-Key retried on both: one order.
func TestTwoNodesOneAttemptAndOneOrder(t *testing.T) {
	t.Parallel()
	a := newEnv(t)
	b := a.node(t)
	nodes := []*env{a, b}
	ctx := context.Background()
	o := a.create(t, validOrder())

	const n = 20
	ids := make([]string, n)
	errs := make([]error, n)
	together(n, func(i int) {
		at, _, err := nodes[i%2].svc.StartAttempt(ctx, o.ID, gateway.MethodKNET, order.StartOptions{})
		ids[i], errs[i] = at.ID, err
	})
	for i := range n {
		if errs[i] != nil || ids[i] != ids[0] {
			t.Fatalf("StartAttempt #%d = %s, %v; #0 = %s", i, ids[i], errs[i], ids[0])
		}
	}
	if got := len(b.order(t, o.ID).Attempts); got != 1 {
		t.Errorf("%d attempts, want 1", got)
	}
	if got := a.gw.startCount(); got != 1 {
		t.Errorf("gateway Start called %d times, want 1", got)
	}

	in := validOrder()
	in.Reference = "INV-NODES"
	idem := order.Idempotency{Scope: "key_1", Key: "one-key", RequestHash: "same-body"}
	orders := make([]string, n)
	together(n, func(i int) {
		c, err := nodes[i%2].svc.Create(ctx, in, &idem)
		orders[i], errs[i] = c.Order.ID, err
	})
	for i := range n {
		if errs[i] != nil || orders[i] != orders[0] {
			t.Fatalf("Create #%d = %s, %v; #0 = %s", i, orders[i], errs[i], orders[0])
		}
	}
	if got, err := b.svc.ByReference(ctx, in.Reference); err != nil || len(got) != 1 {
		t.Errorf("%d orders for the reference (%v), want exactly 1", len(got), err)
	}
}

// Both nodes run the workers at once: each due order expires once, with one webhook, and each
// due attempt is asked about once.
func TestTwoNodesWorkersDoEachJobOnce(t *testing.T) {
	t.Parallel()
	a := newEnv(t)
	b := a.node(t)
	ctx := context.Background()
	const orders = 12
	var ids []string
	for i := range orders {
		in := validOrder()
		in.Reference = fmt.Sprintf("exp-%d", i)
		ids = append(ids, a.create(t, in).ID)
	}
	a.clk.Advance(24 * time.Hour) // every order is past its expiry

	expired := make([]int, 2)
	together(2, func(i int) {
		var err error
		if expired[i], err = []*env{a, b}[i].svc.ExpireDue(ctx); err != nil {
			t.Errorf("ExpireDue on node %d: %v", i, err)
		}
	})
	if expired[0]+expired[1] != orders {
		t.Errorf("nodes expired %d + %d orders, want %d in all", expired[0], expired[1], orders)
	}
	for _, id := range ids {
		if st := a.order(t, id).Status; st != order.StatusExpired {
			t.Errorf("order %s = %s, want expired", id, st)
		}
		if got := count(a.outboxTypes(t, id), order.NotifyExpired); got != 1 {
			t.Errorf("order %s: %d order.expired outbox rows, want 1", id, got)
		}
	}
}
