package e2e

import (
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bawaba/checkout/checkouttest"
	"github.com/bawaba/checkout/order"
)

// Crash tests: the real binary kills itself with SIGKILL (CHECKOUT_FAULT, sandbox only) at a
// point between the gateway's answer and our commit, for a payment and for a refund; a new
// process on the same SQLite file (and the simulators' state beside it) must end with nothing
// lost or doubled: one paid transition, the refund recorded exactly once after the reconcilers
// ran, one merchant webhook of each.
func TestCrashBetweenGatewayAndCommit(t *testing.T) {
	for _, point := range order.FaultPoints {
		t.Run(point, func(t *testing.T) {
			refund := strings.HasPrefix(point, "refund-")
			first := checkouttest.Start(t, checkouttest.Binary(binaryPath),
				checkouttest.Env("CHECKOUT_KNET_GATEWAY=tap", "CHECKOUT_FAULT="+point))
			hooks := checkouttest.NewWebhooks(t, first.WebhookSecret)
			o := first.CreateOrder(t, checkouttest.KWD("6.000", hooks.URL))

			page := newPage(t, "en")
			if err := checkouttest.GoToGateway(page, o.CheckoutURL, "knet", "en"); err != nil {
				t.Fatal(err)
			}
			// At a payment's fault point the process dies under the shopper, whose page then
			// waits in vain for the result: that wait is left to run out on its own.
			paid := make(chan error, 1)
			go func() { paid <- checkouttest.PayWithKNET(page, checkouttest.Paid) }()
			if refund {
				if payErr := <-paid; payErr != nil {
					t.Fatalf("pay: %v", payErr)
				}
				hooks.Wait(t, o.ID, "order.paid", 20*time.Second)
				// The gateway refunds; the process dies before or right after recording it,
				// so the API never answers.
				if code, body, err := first.Do("POST", "/api/v1/orders/"+o.ID+"/refund", map[string]any{"amount": "2.000"}); err == nil {
					t.Logf("refund answered %d %s before the fault point", code, body)
				}
			}
			select {
			case <-first.Exited():
			case <-time.After(30 * time.Second):
				t.Fatalf("the fault point %s was never reached", point)
			}
			if !strings.Contains(first.Log(), "fault point reached") {
				t.Fatalf("the server ended, but not at the fault point:\n%s", first.Output())
			}

			second := checkouttest.Start(t, checkouttest.Binary(binaryPath), checkouttest.Database(first.DBPath),
				checkouttest.Env("CHECKOUT_KNET_GATEWAY=tap"))
			second.APIKey = first.APIKey // printed on the first start only
			settled := func(v checkouttest.Order) bool {
				if !refund {
					return v.Status == "paid"
				}
				refunds, _ := v.Raw["refunds"].([]any)
				if v.Status != "partially_refunded" || v.Raw["refunded_amount"] != "2.000" || len(refunds) != 1 {
					return false
				}
				r, _ := refunds[0].(map[string]any)
				return r["status"] == "succeeded"
			}
			var v checkouttest.Order
			for deadline := time.Now().Add(45 * time.Second); ; time.Sleep(200 * time.Millisecond) {
				if v = second.Order(t, o.ID); settled(v) {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("after the restart the order stays %s: %s", v.Status, v.Raw)
				}
			}
			want := map[string]int{"order.paid": 1}
			if refund {
				want["order.refunded"] = 1
			}
			for typ := range want {
				hooks.Wait(t, o.ID, typ, 20*time.Second)
			}
			db, err := sql.Open("sqlite", "file:"+second.DBPath+"?mode=ro")
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			count := func(q string, args ...any) int {
				t.Helper()
				var n int
				if err := db.QueryRow(q, args...).Scan(&n); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
				return n
			}
			// Every message of the order is recorded as delivered: nothing more will be sent
			// (a duplicate would come from a message tried again before this).
			for deadline := time.Now().Add(30 * time.Second); count(`SELECT count(*) FROM outbox WHERE order_id = ? AND delivered_at = 0`, o.ID) > 0; time.Sleep(100 * time.Millisecond) {
				if time.Now().After(deadline) {
					t.Fatal("the order's webhooks are still undelivered in the outbox")
				}
			}
			got := map[string]int{}
			for _, ev := range hooks.All() {
				if ev.Order["id"] == o.ID {
					got[ev.Type]++
				}
			}
			for typ, n := range want {
				if got[typ] != n {
					t.Errorf("%d %s webhooks delivered, want %d (all: %v)", got[typ], typ, n, got)
				}
			}

			if n := count(`SELECT count(*) FROM events WHERE order_id = ? AND type = 'order.paid'`, o.ID); n != 1 {
				t.Errorf("%d paid transitions, want 1", n)
			}
			if n := count(`SELECT count(*) FROM attempts WHERE order_id = ? AND status = 'paid'`, o.ID); n != 1 {
				t.Errorf("%d paid attempts, want 1", n)
			}
			if refund {
				if n := count(`SELECT count(*) FROM refunds WHERE order_id = ?`, o.ID); n != 1 {
					t.Errorf("%d refunds recorded, want 1", n)
				}
				if n := count(`SELECT count(*) FROM events WHERE order_id = ? AND type = 'order.refunded'`, o.ID); n != 1 {
					t.Errorf("%d order.refunded events, want 1", n)
				}
				// The simulator made exactly one refund (its state file, beside the database).
				raw, err := os.ReadFile(filepath.Join(filepath.Dir(second.DBPath), "sandbox", "tap.json"))
				if err != nil {
					t.Fatal(err)
				}
				var st struct{ Refunds []json.RawMessage }
				if err := json.Unmarshal(raw, &st); err != nil || len(st.Refunds) != 1 {
					t.Errorf("the Tap simulator holds %d refunds (%v), want 1", len(st.Refunds), err)
				}
			}
		})
	}
}
