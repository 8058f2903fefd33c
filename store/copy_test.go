package store

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/internal/dbtest"
	"github.com/bawaba/checkout/money"
	"github.com/bawaba/checkout/order"
	"github.com/bawaba/checkout/webhook"
)

// shopHistory fills s with what a running shop accumulates: orders in three currencies (paid,
// refunded, open), attempts, events, a refund, webhooks and their deliveries, a payment link
// with its Idempotency-Key, an API key, a console user and settings.
func shopHistory(t *testing.T, s *DB) (apiKey string) {
	t.Helper()
	ctx := context.Background()
	amounts := []struct{ amount, cur string }{{"6.000", "KWD"}, {"12.500", "KWD"}, {"590.00", "THB"}, {"25000", "IQD"}, {"0.001", "KWD"}}
	err := s.Write(ctx, func(tx order.Tx) error {
		if err := tx.InsertLink(&order.Link{ID: "lnk_1", Currency: money.MustParse("6.000", "KWD").Currency(), Amount: money.MustParse("6.000", "KWD"),
			Description: "Dallah", CreatedAt: t0}); err != nil {
			return err
		}
		if err := tx.PutLinkIdempotency(order.IdempotencyRecord{Scope: "key_x", Key: "k1", RequestHash: "h", OrderID: "lnk_1", CreatedAt: t0}); err != nil {
			return err
		}
		for i, a := range amounts {
			o := newOrder(fmt.Sprintf("ord_c%d", i), a.amount, a.cur)
			o.CreatedAt = t0.Add(time.Duration(i) * time.Second)
			if i%2 == 0 {
				o.Status, o.PaidAt = order.StatusPaid, o.CreatedAt.Add(time.Minute)
			}
			if i == 0 {
				o.PaymentLink = "lnk_1"
			}
			if err := tx.InsertOrder(&o); err != nil {
				return err
			}
			if err := tx.PutIdempotency(order.IdempotencyRecord{Scope: "key_x", Key: o.ID, RequestHash: "h", OrderID: o.ID, CreatedAt: t0}); err != nil {
				return err
			}
			at := order.Attempt{ID: fmt.Sprintf("att_c%d", i), OrderID: o.ID, Method: "knet", Gateway: "tap", PaymentID: fmt.Sprintf("chg_%d", i),
				Status: gateway.StatusPending, State: map[string]string{"k": "v"}, CreatedAt: o.CreatedAt, UpdatedAt: o.CreatedAt, NextCheckAt: o.CreatedAt}
			if i%2 == 0 {
				at.Status, at.ReportedAmount, at.NextCheckAt = gateway.StatusPaid, o.Amount, time.Time{}
			}
			if err := tx.InsertAttempt(&at); err != nil {
				return err
			}
			for _, typ := range []string{"order.created", "attempt.started"} {
				if err := tx.AppendEvent(order.Event{OrderID: o.ID, AttemptID: at.ID, Type: typ, Data: map[string]string{"n": "1"}, CreatedAt: o.CreatedAt}); err != nil {
					return err
				}
			}
			if err := tx.Enqueue(order.Message{ID: fmt.Sprintf("evt_c%d", i), OrderID: o.ID, Type: "order.paid", URL: "https://shop.example/h",
				Payload: []byte(`{"id":"` + o.ID + `"}`), CreatedAt: o.CreatedAt}); err != nil {
				return err
			}
		}
		return tx.InsertRefund(&order.Refund{ID: "rf_c0", OrderID: "ord_c0", AttemptID: "att_c0", Amount: money.MustParse("1.500", "KWD"),
			Status: order.RefundSucceeded, Kind: "refund", GatewayRef: "re_1", CreatedAt: t0.Add(time.Hour), UpdatedAt: t0.Add(time.Hour)})
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RecordDelivery(ctx, webhook.Delivery{MessageID: "evt_c0", At: t0, StatusCode: 200, Duration: time.Millisecond, Delivered: true, Response: "ok"}); err != nil {
		t.Fatal(err)
	}
	if _, apiKey, err = s.CreateAPIKey(ctx, "web shop"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateUser(ctx, "Owner@Shop.example", "$argon2id$x"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Secret(ctx, "webhook_secret", 32); err != nil {
		t.Fatal(err)
	}
	return apiKey
}

// checkout copy moves a SQLite shop into PostgreSQL: the same counts and sums, the same orders
// read back, and the target goes on from there (new ids after the copied ones).
func TestCopySQLiteToPostgres(t *testing.T) {
	if dbtest.Kind() != dbtest.SQLite {
		t.Skip("copies between both databases; runs once")
	}
	ctx := context.Background()
	from, err := Open(ctx, "sqlite:"+t.TempDir()+"/shop.db")
	if err != nil {
		t.Fatal(err)
	}
	defer from.Close()
	key := shopHistory(t, from)
	to, err := Open(ctx, dbtest.PostgresDB(t))
	if err != nil {
		t.Fatal(err)
	}
	defer to.Close()

	checks, err := Copy(ctx, from, to)
	if err != nil {
		t.Fatalf("Copy: %v", err)
	}
	want := map[string]int64{"orders rows": 5, "attempts rows": 5, "events rows": 10, "deliveries rows": 1,
		"orders paid KWD sum_minor": 6001, "orders paid THB sum_minor": 59000, "refunds KWD succeeded sum_minor": 1500}
	for _, c := range checks {
		if w, ok := want[c.What]; ok {
			if c.Source != w || c.Dest != w {
				t.Errorf("%s: source %d, target %d; want %d", c.What, c.Source, c.Dest, w)
			}
			delete(want, c.What)
		}
	}
	if len(want) > 0 {
		t.Errorf("figures not checked: %v", want)
	}

	for i := range 5 {
		id := fmt.Sprintf("ord_c%d", i)
		a, errA := from.Order(ctx, id)
		b, errB := to.Order(ctx, id)
		if errA != nil || errB != nil || !reflect.DeepEqual(a, b) {
			t.Errorf("order %s: source %+v (%v)\n  target %+v (%v)", id, a, errA, b, errB)
		}
		ea, _ := from.Events(ctx, id)
		eb, _ := to.Events(ctx, id)
		if !reflect.DeepEqual(ea, eb) {
			t.Errorf("events of %s differ: %+v vs %+v", id, ea, eb)
		}
	}
	la, _ := from.Link(ctx, "lnk_1")
	lb, err := to.Link(ctx, "lnk_1")
	if err != nil || !reflect.DeepEqual(la, lb) {
		t.Errorf("link: %+v vs %+v (%v)", la, lb, err)
	}
	if id, err := to.APIKeyID(ctx, key); err != nil || id == "" {
		t.Errorf("the API key does not work on the target: %q %v", id, err)
	}
	if _, err := to.UserByEmail(ctx, "owner@shop.EXAMPLE"); err != nil {
		t.Errorf("the console user: %v", err)
	}
	sa, _ := from.Secret(ctx, "webhook_secret", 32)
	if sb, err := to.Secret(ctx, "webhook_secret", 32); err != nil || !bytes.Equal(sa, sb) {
		t.Errorf("the webhook secret changed in the copy")
	}

	// The target goes on: a new attempt's seq and a new event's id follow the copied ones.
	if err := to.Write(ctx, func(tx order.Tx) error {
		a := order.Attempt{ID: "att_new", OrderID: "ord_c1", Method: "knet", Gateway: "tap", Status: gateway.StatusPending, CreatedAt: t0, UpdatedAt: t0}
		if err := tx.InsertAttempt(&a); err != nil {
			return err
		}
		if a.Seq != 6 {
			t.Errorf("new attempt seq %d, want 6", a.Seq)
		}
		return tx.AppendEvent(order.Event{OrderID: "ord_c1", Type: "note", CreatedAt: t0})
	}); err != nil {
		t.Fatalf("writing after the copy: %v", err)
	}
	evs, _ := to.Events(ctx, "ord_c1")
	if last := evs[len(evs)-1]; last.Type != "note" || last.ID != 11 {
		t.Errorf("new event %+v, want id 11", last)
	}

	// And back: PostgreSQL into a new SQLite file (a shop leaving the cluster) checks the same.
	back, err := Open(ctx, t.TempDir()+"/back.db")
	if err != nil {
		t.Fatal(err)
	}
	defer back.Close()
	if _, err := Copy(ctx, to, back); err != nil {
		t.Errorf("copy back to SQLite: %v", err)
	}
	there, _ := to.Order(ctx, "ord_c1")
	if b, err := back.Order(ctx, "ord_c1"); err != nil || !reflect.DeepEqual(there, b) {
		t.Errorf("order copied back: %+v vs %+v (%v)", there, b, err)
	}

	// Copying into a database that is not empty is refused.
	if _, err := Copy(ctx, from, to); err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Errorf("second copy: %v, want refused", err)
	}
}
