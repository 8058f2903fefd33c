package order_test

import (
	"context"
	"testing"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/order"
)

// A notification with our reference for one attempt but another attempt's payment id (Adyen:
// merchantReference of one, pspReference of another) is recorded as a mismatch for review and
// acknowledged; it changes no status and takes no id (was: a UNIQUE constraint and a 503 that
// Adyen would retry for 30 days).
func TestNotificationWithAnotherAttemptsPaymentID(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, status := range []gateway.Status{gateway.StatusPaid, gateway.StatusFailed} {
		t.Run(string(status), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t)
			o, a := e.startPending(t)
			in := validOrder()
			in.Reference = "INV-OTHER"
			other := e.create(t, in)
			b, _, err := e.svc.StartAttempt(ctx, other.ID, gateway.MethodKNET, order.StartOptions{})
			if err != nil {
				t.Fatal(err)
			}
			res := paidResult(a, "6.000", "KWD")
			res.Status, res.PaymentID = status, b.PaymentID
			e.gw.mu.Lock()
			e.gw.notes = []gateway.Notification{{Ref: gateway.AttemptRef{AttemptID: a.ID, PaymentID: b.PaymentID}, Result: res}}
			e.gw.mu.Unlock()
			for range 2 { // and again, as the gateway retries
				if _, err := e.svc.Webhook(ctx, "knet", gateway.WebhookRequest{}); err != nil {
					t.Fatalf("Webhook: %v, want it acknowledged", err)
				}
			}
			got := e.order(t, o.ID)
			ga := got.Attempts[0]
			if got.Status != order.StatusProcessing || ga.Status != gateway.StatusPending || ga.PaymentID != a.PaymentID {
				t.Errorf("order %s, attempt %s with payment id %s; want processing, pending, %s unchanged", got.Status, ga.Status, ga.PaymentID, a.PaymentID)
			}
			if !got.NeedsReview || !ga.NeedsReview {
				t.Errorf("needs_review order %v attempt %v, want both", got.NeedsReview, ga.NeedsReview)
			}
			if n := len(e.events(t, o.ID, order.EventAttemptMismatch)); n != 2 {
				t.Errorf("%d mismatch events, want one per notification (2)", n)
			}
			if st := e.order(t, other.ID); st.NeedsReview || st.Attempts[0].Status != gateway.StatusPending {
				t.Errorf("the other order changed: %s review %v", st.Attempts[0].Status, st.NeedsReview)
			}
		})
	}
}
