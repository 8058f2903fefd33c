package order_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/money"
	"github.com/bawaba/checkout/order"
)

func TestStartAttemptCreatesOneAttemptAndMovesOrderToProcessing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	o := e.create(t, validOrder())

	a, act, err := e.svc.StartAttempt(ctx, o.ID, gateway.MethodKNET, order.StartOptions{Locale: "ar"})
	if err != nil {
		t.Fatalf("StartAttempt: %v", err)
	}
	if act.Kind != gateway.ActionRedirect || act.URL != "https://gw.example/pay?ref="+a.ID {
		t.Errorf("action = %+v, want the gateway's redirect for %s", act, a.ID)
	}
	if a.Status != gateway.StatusPending || a.Gateway != "knet" || a.Method != gateway.MethodKNET || a.PaymentID != "pay_1" {
		t.Errorf("attempt = %s via %s/%s payment %q; want pending via knet/knet payment pay_1", a.Status, a.Method, a.Gateway, a.PaymentID)
	}
	got := e.order(t, o.ID)
	if got.Status != order.StatusProcessing {
		t.Errorf("order status = %s, want processing", got.Status)
	}
	if len(got.Attempts) != 1 || got.Attempts[0].ID != a.ID {
		t.Fatalf("order has attempts %+v, want exactly %s", got.Attempts, a.ID)
	}
	if !reflect.DeepEqual(got.Attempts[0].Action, act) {
		t.Errorf("stored action = %+v, want %+v", got.Attempts[0].Action, act)
	}
	if evs := e.events(t, o.ID, order.EventAttemptStarted); len(evs) != 1 || evs[0].AttemptID != a.ID {
		t.Errorf("attempt.started events = %+v, want one for %s", evs, a.ID)
	}

	// A double click on Pay: the same attempt and the same action, and no second Start.
	a2, act2, err := e.svc.StartAttempt(ctx, o.ID, gateway.MethodKNET, order.StartOptions{})
	if err != nil {
		t.Fatalf("second StartAttempt: %v", err)
	}
	if a2.ID != a.ID {
		t.Errorf("second StartAttempt made attempt %s, want the pending %s", a2.ID, a.ID)
	}
	if !reflect.DeepEqual(act2, act) {
		t.Errorf("second action = %+v, want %+v", act2, act)
	}
	if n := e.gw.startCount(); n != 1 {
		t.Errorf("gateway Start called %d times, want 1", n)
	}
	if n := len(e.order(t, o.ID).Attempts); n != 1 {
		t.Errorf("order has %d attempts, want 1", n)
	}
}

func TestStartAttemptRefusals(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("method not configured", func(t *testing.T) {
		e := newEnv(t)
		o := e.create(t, validOrder())
		if _, _, err := e.svc.StartAttempt(ctx, o.ID, gateway.MethodCard, order.StartOptions{}); !errors.Is(err, order.ErrMethodUnavailable) {
			t.Errorf("err = %v, want ErrMethodUnavailable", err)
		}
	})
	t.Run("order past its expiry", func(t *testing.T) {
		e := newEnv(t)
		o := e.create(t, validOrder())
		e.clk.Advance(30 * time.Minute)
		if _, _, err := e.svc.StartAttempt(ctx, o.ID, gateway.MethodKNET, order.StartOptions{}); !errors.Is(err, order.ErrOrderExpired) {
			t.Errorf("err = %v, want ErrOrderExpired", err)
		}
	})
	t.Run("cancelled order", func(t *testing.T) {
		e := newEnv(t)
		o := e.create(t, validOrder())
		if _, err := e.svc.Cancel(ctx, o.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := e.svc.StartAttempt(ctx, o.ID, gateway.MethodKNET, order.StartOptions{}); !errors.Is(err, order.ErrNotPayable) {
			t.Errorf("err = %v, want ErrNotPayable", err)
		}
	})
	t.Run("unknown order", func(t *testing.T) {
		e := newEnv(t)
		if _, _, err := e.svc.StartAttempt(ctx, "ord_nope", gateway.MethodKNET, order.StartOptions{}); !errors.Is(err, order.ErrNotFound) {
			t.Errorf("err = %v, want ErrNotFound", err)
		}
	})
}

func TestApplyPaidWithMatchingAmount(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o, a := e.startPending(t)
	e.clk.Advance(time.Minute)

	got, err := e.svc.Apply(context.Background(), a.ID, paidResult(a, "6.000", "KWD"), "return")
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if got.Status != order.StatusPaid {
		t.Errorf("returned order status = %s, want paid", got.Status)
	}
	stored := e.order(t, o.ID)
	if stored.Status != order.StatusPaid || stored.NeedsReview {
		t.Errorf("stored order = %s, needs_review %v; want paid, false", stored.Status, stored.NeedsReview)
	}
	if !stored.PaidAt.Equal(e.clk.Now()) {
		t.Errorf("PaidAt = %v, want %v", stored.PaidAt, e.clk.Now())
	}
	sa := stored.Attempts[0]
	if sa.Status != gateway.StatusPaid || sa.AuthCode != "A1B2C3" || sa.FinishedAt.IsZero() || !sa.NextCheckAt.IsZero() {
		t.Errorf("stored attempt = %s auth %q finished %v next check %v; want paid, A1B2C3, finished, no next check",
			sa.Status, sa.AuthCode, sa.FinishedAt, sa.NextCheckAt)
	}
	if sa.ReportedAmount.String() != "6.000" || sa.ReportedAmount.Currency().Code != "KWD" {
		t.Errorf("reported amount = %s %s, want 6.000 KWD", sa.ReportedAmount, sa.ReportedAmount.Currency().Code)
	}
	if types := e.outboxTypes(t, o.ID); !slices.Equal(types, []string{order.NotifyPaid}) {
		t.Errorf("outbox = %q, want exactly [order.paid]", types)
	}
	st := e.events(t, o.ID, order.EventAttemptStatus)
	if len(st) != 1 || st[0].Data["from"] != "pending" || st[0].Data["to"] != "paid" || st[0].Data["source"] != "return" {
		t.Errorf("attempt.status events = %+v, want one pending → paid from return", st)
	}
	if n := len(e.events(t, o.ID, order.EventPaid)); n != 1 {
		t.Errorf("%d order.paid events, want 1", n)
	}
}

func TestApplyPaidThatDoesNotMatchIsNeverPaid(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, amount, currency string
	}{
		{"smaller amount", "5.000", "KWD"},
		{"larger amount", "6.001", "KWD"},
		{"other currency, same digits", "6.000", "BHD"},
		{"other currency", "6.00", "USD"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			o, a := e.startPending(t)

			if _, err := e.svc.Apply(context.Background(), a.ID, paidResult(a, tc.amount, tc.currency), "webhook"); err != nil {
				t.Fatalf("Apply: %v", err)
			}
			stored := e.order(t, o.ID)
			if stored.Status == order.StatusPaid {
				t.Fatalf("order paid with %s %s for a 6.000 KWD order", tc.amount, tc.currency)
			}
			if !stored.NeedsReview {
				t.Error("order needs_review = false, want true")
			}
			sa := stored.Attempts[0]
			if sa.Status != gateway.StatusFailed || sa.FailureReason != gateway.ReasonMismatch || !sa.NeedsReview {
				t.Errorf("attempt = %s reason %q needs_review %v; want failed, mismatch, true", sa.Status, sa.FailureReason, sa.NeedsReview)
			}
			if evs := e.events(t, o.ID, order.EventAttemptMismatch); len(evs) != 1 {
				t.Errorf("%d attempt.mismatch events, want 1", len(evs))
			}
			if types := e.outboxTypes(t, o.ID); count(types, order.NotifyPaid) != 0 {
				t.Errorf("outbox = %q, want no order.paid", types)
			}
		})
	}
}

func TestApplyPaidWithWrongReferenceIsNeverPaid(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o, a := e.startPending(t)
	res := paidResult(a, "6.000", "KWD")
	res.OurReference = "att_someone_else"
	if _, err := e.svc.Apply(context.Background(), a.ID, res, "webhook"); err != nil {
		t.Fatal(err)
	}
	if st := e.order(t, o.ID); st.Status == order.StatusPaid || !st.NeedsReview {
		t.Errorf("order = %s needs_review %v; want not paid, flagged", st.Status, st.NeedsReview)
	}
}

func TestApplyPaidTwiceIsANoop(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	o, a := e.startPending(t)
	res := paidResult(a, "6.000", "KWD")

	if _, err := e.svc.Apply(ctx, a.ID, res, "return"); err != nil {
		t.Fatal(err)
	}
	got, err := e.svc.Apply(ctx, a.ID, res, "webhook")
	if err != nil {
		t.Fatalf("second Apply: %v", err)
	}
	if got.Status != order.StatusPaid {
		t.Errorf("order = %s, want paid", got.Status)
	}
	if types := e.outboxTypes(t, o.ID); !slices.Equal(types, []string{order.NotifyPaid}) {
		t.Errorf("outbox = %q, want exactly one order.paid", types)
	}
	if n := len(e.events(t, o.ID, order.EventAttemptStatus)); n != 1 {
		t.Errorf("%d attempt.status events, want 1", n)
	}
	if n := len(e.events(t, o.ID, order.EventPaid)); n != 1 {
		t.Errorf("%d order.paid events, want 1", n)
	}
}

func TestFailedAfterPaidIsRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	o, a := e.startPending(t)
	if _, err := e.svc.Apply(ctx, a.ID, paidResult(a, "6.000", "KWD"), "return"); err != nil {
		t.Fatal(err)
	}

	for _, st := range []gateway.Status{gateway.StatusFailed, gateway.StatusCancelled, gateway.StatusExpired, gateway.StatusPending} {
		got, err := e.svc.Apply(ctx, a.ID, gateway.Result{Status: st, Reason: gateway.ReasonDeclined}, "webhook")
		if err != nil {
			t.Fatalf("Apply %s after paid: %v", st, err)
		}
		if got.Status != order.StatusPaid {
			t.Errorf("after %s: returned order = %s, want paid", st, got.Status)
		}
	}
	stored := e.order(t, o.ID)
	if stored.Status != order.StatusPaid || stored.Attempts[0].Status != gateway.StatusPaid {
		t.Errorf("order %s, attempt %s; want both paid", stored.Status, stored.Attempts[0].Status)
	}
	refused := e.events(t, o.ID, order.EventAttemptRefused)
	if len(refused) != 4 {
		t.Fatalf("%d attempt.transition_refused events, want 4", len(refused))
	}
	if refused[0].Data["from"] != "paid" || refused[0].Data["to"] != "failed" || refused[0].AttemptID != a.ID {
		t.Errorf("refused event = %+v, want paid → failed for %s", refused[0], a.ID)
	}
	if types := e.outboxTypes(t, o.ID); !slices.Equal(types, []string{order.NotifyPaid}) {
		t.Errorf("outbox = %q, want only order.paid (no payment.failed)", types)
	}
}

func TestApplyFailedReopensOrder(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o, a := e.startPending(t)
	res := gateway.Result{Status: gateway.StatusFailed, Reason: gateway.ReasonDeclined, GatewayCode: "NOT CAPTURED"}
	got, err := e.svc.Apply(context.Background(), a.ID, res, "return")
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != order.StatusOpen {
		t.Errorf("order = %s, want open again (the shopper may try another method)", got.Status)
	}
	sa := e.order(t, o.ID).Attempts[0]
	if sa.Status != gateway.StatusFailed || sa.FailureReason != gateway.ReasonDeclined || sa.GatewayCode != "NOT CAPTURED" {
		t.Errorf("attempt = %s %q %q, want failed, declined, NOT CAPTURED", sa.Status, sa.FailureReason, sa.GatewayCode)
	}
	if types := e.outboxTypes(t, o.ID); !slices.Equal(types, []string{order.NotifyPaymentFailed}) {
		t.Errorf("outbox = %q, want [payment.failed]", types)
	}
}

func TestCancel(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	o := e.create(t, validOrder())

	got, err := e.svc.Cancel(ctx, o.ID)
	if err != nil {
		t.Fatalf("Cancel: %v", err)
	}
	if got.Status != order.StatusCancelled || e.order(t, o.ID).Status != order.StatusCancelled {
		t.Errorf("order = %s, want cancelled", got.Status)
	}
	if _, err := e.svc.Cancel(ctx, o.ID); !errors.Is(err, order.ErrNotCancellable) {
		t.Errorf("second Cancel: err = %v, want ErrNotCancellable", err)
	}
	if types := e.outboxTypes(t, o.ID); !slices.Equal(types, []string{order.NotifyCancelled}) {
		t.Errorf("outbox = %q, want exactly one order.cancelled", types)
	}
	if n := len(e.events(t, o.ID, order.EventCancelled)); n != 1 {
		t.Errorf("%d order.cancelled events, want 1", n)
	}

	if _, err := e.svc.Cancel(ctx, "ord_nope"); !errors.Is(err, order.ErrNotFound) {
		t.Errorf("Cancel unknown: err = %v, want ErrNotFound", err)
	}
	// While the shopper is at a gateway the order can still be cancelled; once paid it cannot.
	processing, _ := e.startPending(t)
	if got, err := e.svc.Cancel(ctx, processing.ID); err != nil || got.Status != order.StatusCancelled {
		t.Errorf("Cancel processing: %s, %v; want cancelled", got.Status, err)
	}
	paid, att := e.startPending(t)
	if _, err := e.svc.Apply(ctx, att.ID, gateway.Result{Status: gateway.StatusPaid, Amount: money.MustParse("6.000", "KWD")}, "test"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Cancel(ctx, paid.ID); !errors.Is(err, order.ErrNotCancellable) {
		t.Errorf("Cancel paid: err = %v, want ErrNotCancellable", err)
	}
}

func TestExpireDue(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	o := e.create(t, validOrder()) // expires in 1800s

	steps := []struct {
		advance time.Duration
		want    int
		status  order.Status
	}{
		{0, 0, order.StatusOpen},
		{1799 * time.Second, 0, order.StatusOpen},
		{time.Second, 1, order.StatusExpired}, // exactly at expires_at
		{time.Hour, 0, order.StatusExpired},   // already expired: nothing more
	}
	for _, s := range steps {
		e.clk.Advance(s.advance)
		n, err := e.svc.ExpireDue(ctx)
		if err != nil {
			t.Fatalf("ExpireDue: %v", err)
		}
		if n != s.want {
			t.Errorf("at +%v: ExpireDue = %d, want %d", e.clk.Now().Sub(o.CreatedAt), n, s.want)
		}
		if got := e.order(t, o.ID).Status; got != s.status {
			t.Errorf("at +%v: order %s, want %s", e.clk.Now().Sub(o.CreatedAt), got, s.status)
		}
	}
	if types := e.outboxTypes(t, o.ID); !slices.Equal(types, []string{order.NotifyExpired}) {
		t.Errorf("outbox = %q, want exactly one order.expired", types)
	}
	if n := len(e.events(t, o.ID, order.EventExpired)); n != 1 {
		t.Errorf("%d order.expired events, want 1", n)
	}
}

func TestSuccessAfterExpiryIsRecordedAndFlagged(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	o, a := e.startPending(t)
	e.clk.Advance(31 * time.Minute)
	if n, err := e.svc.ExpireDue(ctx); err != nil || n != 1 {
		t.Fatalf("ExpireDue = %d, %v; want 1", n, err)
	}
	if st := e.order(t, o.ID).Status; st != order.StatusExpired {
		t.Fatalf("order = %s, want expired", st)
	}

	got, err := e.svc.Apply(ctx, a.ID, paidResult(a, "6.000", "KWD"), "inquiry")
	if err != nil {
		t.Fatalf("Apply late success: %v", err)
	}
	stored := e.order(t, o.ID)
	if got.Status != order.StatusPaid || stored.Status != order.StatusPaid {
		t.Errorf("order = %s (stored %s), want paid", got.Status, stored.Status)
	}
	if !stored.NeedsReview || !stored.Attempts[0].NeedsReview {
		t.Errorf("needs_review order %v attempt %v, want both true", stored.NeedsReview, stored.Attempts[0].NeedsReview)
	}
	if n := len(e.events(t, o.ID, order.EventLatePayment)); n != 1 {
		t.Errorf("%d order.late_payment events, want 1", n)
	}
	if types := e.outboxTypes(t, o.ID); !slices.Equal(types, []string{order.NotifyExpired, order.NotifyPaid}) {
		t.Errorf("outbox = %q, want [order.expired order.paid]", types)
	}
}

// A late success must be recorded even when the merchant already made a new order with the
// same reference after the first one expired.
func TestSuccessAfterExpiryWithReferenceReused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	in := validOrder()
	in.Reference = "INV-7"
	first := e.create(t, in)
	a, _, err := e.svc.StartAttempt(ctx, first.ID, gateway.MethodKNET, order.StartOptions{})
	if err != nil {
		t.Fatal(err)
	}
	e.clk.Advance(31 * time.Minute)
	if _, err := e.svc.ExpireDue(ctx); err != nil {
		t.Fatal(err)
	}
	second := e.create(t, in) // the reference is free again

	if _, err := e.svc.Apply(ctx, a.ID, paidResult(a, "6.000", "KWD"), "inquiry"); err != nil {
		t.Fatalf("late success dropped: Apply: %v", err)
	}
	stored := e.order(t, first.ID)
	if stored.Attempts[0].Status != gateway.StatusPaid || !stored.NeedsReview {
		t.Errorf("first order %s attempt %s needs_review %v; want the payment recorded and flagged",
			stored.Status, stored.Attempts[0].Status, stored.NeedsReview)
	}
	if n := len(e.events(t, first.ID, order.EventLatePayment)); n != 1 {
		t.Errorf("%d order.late_payment events, want 1", n)
	}
	if st := e.order(t, second.ID).Status; st != order.StatusOpen {
		t.Errorf("second order = %s, want still open", st)
	}
}

func TestCreateIdempotency(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	in := validOrder()
	in.Reference = "INV-1"
	idem := func(hash string) *order.Idempotency {
		return &order.Idempotency{Scope: "key_1", Key: "idem-123", RequestHash: hash}
	}

	first, err := e.svc.Create(ctx, in, idem("hash-a"))
	if err != nil {
		t.Fatalf("first Create: %v", err)
	}
	if first.Replayed {
		t.Fatal("first Create replayed")
	}

	// The order moves on; a replay still gets the order as the first answer showed it.
	if _, _, err := e.svc.StartAttempt(ctx, first.Order.ID, gateway.MethodKNET, order.StartOptions{}); err != nil {
		t.Fatal(err)
	}
	e.clk.Advance(time.Minute)
	again, err := e.svc.Create(ctx, in, idem("hash-a"))
	if err != nil {
		t.Fatalf("replayed Create: %v", err)
	}
	if !again.Replayed || again.Order.ID != first.Order.ID {
		t.Fatalf("replay = replayed %v order %s; want order %s replayed", again.Replayed, again.Order.ID, first.Order.ID)
	}
	if again.Order.Status != order.StatusProcessing || len(again.Order.Attempts) != 1 {
		t.Errorf("replay's order = %s with %d attempts; want the order as it is now", again.Order.Status, len(again.Order.Attempts))
	}
	if got, want := e.createdJSON(t, again.Order), e.createdJSON(t, first.Order); got != want {
		t.Errorf("replayed answer =\n%s\nwant the first answer, byte for byte\n%s", got, want)
	}

	if _, err := e.svc.Create(ctx, in, idem("hash-b")); !errors.Is(err, order.ErrIdempotencyReused) {
		t.Errorf("same key, other request: err = %v, want ErrIdempotencyReused", err)
	}
	if orders, _ := e.svc.ByReference(ctx, "INV-1"); len(orders) != 1 {
		t.Errorf("%d orders with the reference, want 1", len(orders))
	}

	// The same key in another scope (another API key) is another request.
	other := idem("hash-a")
	other.Scope = "key_2"
	in.Reference = "INV-2"
	o2, err := e.svc.Create(ctx, in, other)
	if err != nil || o2.Replayed || o2.Order.ID == first.Order.ID {
		t.Errorf("other scope: replayed %v order %s err %v; want a new order", o2.Replayed, o2.Order.ID, err)
	}
}

func TestReferenceTaken(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	in := validOrder()
	in.Reference = "INV-42"

	first := e.create(t, in)
	if _, err := e.svc.Create(ctx, in, nil); !errors.Is(err, order.ErrReferenceTaken) {
		t.Fatalf("second open order with the reference: err = %v, want ErrReferenceTaken", err)
	}
	if _, err := e.svc.Cancel(ctx, first.ID); err != nil {
		t.Fatal(err)
	}
	second, err := e.svc.Create(ctx, in, nil)
	if err != nil {
		t.Fatalf("after the first is cancelled: %v", err)
	}
	if _, err := e.svc.Create(ctx, in, nil); !errors.Is(err, order.ErrReferenceTaken) {
		t.Errorf("third order while the second is open: err = %v, want ErrReferenceTaken", err)
	}
	orders, err := e.svc.ByReference(ctx, "INV-42")
	if err != nil {
		t.Fatal(err)
	}
	if len(orders) != 2 || orders[0].ID != second.Order.ID || orders[1].ID != first.ID {
		t.Errorf("ByReference = %d orders, want [second, first]", len(orders))
	}
}

func TestReferenceStaysTakenWhilePaid(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	in := validOrder()
	in.Reference = "INV-9"
	o := e.create(t, in)
	a, _, err := e.svc.StartAttempt(ctx, o.ID, gateway.MethodKNET, order.StartOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Apply(ctx, a.ID, paidResult(a, "6.000", "KWD"), "return"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Create(ctx, in, nil); !errors.Is(err, order.ErrReferenceTaken) {
		t.Errorf("new order for a paid reference: err = %v, want ErrReferenceTaken", err)
	}
}

func TestReturnWebhookAndCheckApplyTheGatewaysVerifiedResult(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		name string
		run  func(e *env, a order.Attempt) error
	}{
		{"return", func(e *env, a order.Attempt) error {
			_, err := e.svc.Return(ctx, "knet", a.ID, nil)
			return err
		}},
		{"webhook by payment id", func(e *env, a order.Attempt) error {
			e.gw.notes = []gateway.Notification{{Ref: gateway.AttemptRef{PaymentID: a.PaymentID}, Result: paidResult(a, "6.000", "KWD")}}
			reply, err := e.svc.Webhook(ctx, "knet", gateway.WebhookRequest{})
			if err == nil && reply.Status != 200 {
				t.Errorf("webhook reply status %d, want 200", reply.Status)
			}
			return err
		}},
		{"inquiry", func(e *env, a order.Attempt) error {
			_, err := e.svc.Check(ctx, a.ID)
			return err
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			o, a := e.startPending(t)
			e.gw.result = paidResult(a, "6.000", "KWD")
			if err := tc.run(e, a); err != nil {
				t.Fatal(err)
			}
			if st := e.order(t, o.ID).Status; st != order.StatusPaid {
				t.Errorf("order = %s, want paid", st)
			}
			if types := e.outboxTypes(t, o.ID); !slices.Equal(types, []string{order.NotifyPaid}) {
				t.Errorf("outbox = %q, want [order.paid]", types)
			}
		})
	}
}

// The reconciler backs off and, after a week of a payment that never settles, stops asking.
func TestReconcilerBacksOffThenStops(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	_, a := e.startPending(t)
	e.gw.result = gateway.Result{Status: gateway.StatusPending}
	prev := time.Duration(0)
	for i := 0; i < 4; i++ {
		if _, err := e.svc.Check(ctx, a.ID); err != nil {
			t.Fatal(err)
		}
		got, _ := e.st.Attempt(ctx, a.ID)
		wait := got.NextCheckAt.Sub(e.clk.Now())
		if wait <= prev {
			t.Fatalf("check %d: next in %s, want more than %s", i, wait, prev)
		}
		prev = wait
	}
	e.clk.Advance(8 * 24 * time.Hour)
	if _, err := e.svc.Check(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.st.Attempt(ctx, a.ID); !got.NextCheckAt.IsZero() {
		t.Fatalf("after a week the next check is %s, want none", got.NextCheckAt)
	}
}
