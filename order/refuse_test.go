package order_test

import (
	"context"
	"errors"
	"testing"

	"github.com/bawaba/checkout/api"
	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/money"
	"github.com/bawaba/checkout/order"
)

// refusingGateway is the fake gateway with KNET's handshake: what it does not acknowledge is voided.
type refusingGateway struct{ *fakeGateway }

func (refusingGateway) RefusesUnacknowledged() bool { return true }

func (refusingGateway) Acknowledge(_ []gateway.Notification, err error, _ func(string) string) gateway.Reply {
	if errors.Is(err, gateway.ErrRefused) {
		return gateway.Reply{Status: 409}
	}
	return gateway.Reply{Status: 200, Body: []byte("REDIRECT=…")}
}

// A success notified for an order that was cancelled (or expired, or paid through another
// attempt) meanwhile is refused at the handshake when the gateway can void it: no money taken.
func TestWebhookRefusesSuccessForAClosedOrder(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	paid := func(a order.Attempt) []gateway.Notification {
		return []gateway.Notification{{Ref: gateway.AttemptRef{AttemptID: a.ID},
			Result: gateway.Result{Status: gateway.StatusPaid, Amount: money.MustParse("6.000", "KWD"), OurReference: a.ID}}}
	}
	cases := []struct {
		name      string
		close     func(e *env, o order.Order)
		wantOrder order.Status
		refused   bool
	}{
		{"open order: acknowledged and paid", func(*env, order.Order) {}, order.StatusPaid, false},
		{"cancelled meanwhile", func(e *env, o order.Order) {
			if _, err := e.svc.Cancel(ctx, o.ID); err != nil {
				t.Fatal(err)
			}
		}, order.StatusCancelled, true},
		{"expired by time", func(e *env, o order.Order) { e.clk.Advance(2 * order.MaxExpiresIn * 1e9) }, order.StatusProcessing, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			g := refusingGateway{newKNET()}
			reg := gateway.NewRegistry()
			if err := reg.Register(g, gateway.MethodKNET); err != nil {
				t.Fatal(err)
			}
			e.svc = order.NewService(e.st, reg, order.Config{BaseURL: "https://checkout.example", Now: e.clk.Now,
				Events: api.Views{BaseURL: "https://checkout.example", Gateways: reg}})
			o := e.create(t, validOrder())
			a, _, err := e.svc.StartAttempt(ctx, o.ID, gateway.MethodKNET, order.StartOptions{})
			if err != nil {
				t.Fatal(err)
			}
			o = e.order(t, o.ID)
			tc.close(e, o)
			g.notes = paid(a)
			reply, err := e.svc.Webhook(ctx, "knet", gateway.WebhookRequest{})
			if tc.refused != errors.Is(err, gateway.ErrRefused) || (tc.refused && reply.Status != 409) {
				t.Fatalf("Webhook = %d, %v; refused want %v", reply.Status, err, tc.refused)
			}
			got := e.order(t, o.ID)
			att := got.Attempts[len(got.Attempts)-1]
			if tc.refused && (att.Status != gateway.StatusVoided || got.Status == order.StatusPaid) {
				t.Fatalf("refused payment: attempt %s, order %s; want voided and not paid", att.Status, got.Status)
			}
			if !tc.refused && got.Status != tc.wantOrder {
				t.Fatalf("order %s, want %s", got.Status, tc.wantOrder)
			}
		})
	}
}
