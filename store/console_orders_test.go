package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/order"
)

func TestListOrdersFiltersSearchTotalsAndCursor(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	// 7 orders, one minute apart: o0 oldest … o6 newest.
	specs := []struct{ amount, currency, status string }{
		{"6.000", "KWD", "paid"}, {"2.500", "KWD", "open"}, {"100.00", "THB", "paid"}, {"6.00", "THB", "cancelled"},
		{"6.000", "KWD", "expired"}, {"1.250", "KWD", "paid"}, {"6", "JPY", "open"},
	}
	for i, sp := range specs {
		o := newOrder("ord_"+string(rune('a'+i)), sp.amount, sp.currency)
		o.Status = order.Status(sp.status)
		o.CreatedAt = t0.Add(time.Duration(i) * time.Minute)
		insert(t, s, o)
	}
	// One attempt on ord_c (THB, paid) through kpay with a payment id.
	err := s.Write(ctx, func(tx order.Tx) error {
		return tx.InsertAttempt(&order.Attempt{ID: "att_1", Seq: 1, OrderID: "ord_c", Method: "card", Gateway: "kpay",
			Status: gateway.StatusPaid, PaymentID: "chrg_123", TrackID: "TRK9", CreatedAt: t0, UpdatedAt: t0})
	})
	if err != nil {
		t.Fatal(err)
	}
	ids := func(rows []OrderRow) string {
		out := ""
		for _, r := range rows {
			out += r.ID[4:]
		}
		return out
	}
	tests := []struct {
		name string
		f    OrderFilter
		want string
	}{
		{"all, newest first", OrderFilter{}, "gfedcba"},
		{"status", OrderFilter{Status: "paid"}, "fca"},
		{"currency", OrderFilter{Currency: "THB"}, "dc"},
		{"method", OrderFilter{Method: "card"}, "c"},
		{"gateway", OrderFilter{Gateway: "tap"}, ""},
		{"date range", OrderFilter{From: t0.Add(2 * time.Minute), To: t0.Add(4 * time.Minute)}, "dc"},
		{"search id", OrderFilter{Query: "ord_b"}, "b"},
		{"search reference", OrderFilter{Query: "ref-ord_e"}, "e"},
		{"search payment id", OrderFilter{Query: "chrg_123"}, "c"},
		{"search track id", OrderFilter{Query: "TRK9"}, "c"},
		{"search amount in every currency it is exact in", OrderFilter{Query: "6"}, "geda"},
		{"search amount with decimals", OrderFilter{Query: "2.5"}, "b"},
		{"search amount too precise for 2 decimals", OrderFilter{Query: "1.250"}, "f"},
		{"search and filter", OrderFilter{Query: "6", Currency: "KWD", Status: "paid"}, "a"},
		{"an injection attempt is only text", OrderFilter{Query: "' OR 1=1 --"}, ""},
	}
	for _, tc := range tests {
		rows, err := s.ListOrders(ctx, tc.f, nil, 100)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := ids(rows); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}

	// Pages of 3 by cursor cover everything once, in order.
	var all string
	var after *OrderCursor
	for range 5 {
		page, err := s.ListOrders(ctx, OrderFilter{}, after, 3)
		if err != nil {
			t.Fatal(err)
		}
		all += ids(page)
		if len(page) < 3 {
			break
		}
		c, ok := ParseOrderCursor(page[len(page)-1].Cursor().String())
		if !ok {
			t.Fatal("cursor does not round-trip")
		}
		after = &c
	}
	if all != "gfedcba" {
		t.Errorf("pages = %q", all)
	}
	for _, bad := range []string{"", "x", "12", "_ord", "-5_ord_a", "12_"} {
		if _, ok := ParseOrderCursor(bad); ok {
			t.Errorf("cursor %q accepted", bad)
		}
	}

	totals, err := s.OrderTotals(ctx, OrderFilter{Status: "paid"})
	if err != nil {
		t.Fatal(err)
	}
	got := ""
	for _, tt := range totals {
		got += tt.Sum.Currency().Code + ":" + tt.Sum.String() + "/" + string(rune('0'+tt.Count)) + " "
	}
	if got != "KWD:7.250/2 THB:100.00/1 " {
		t.Errorf("totals = %q", got)
	}

	n := 0
	if err := s.EachOrder(ctx, OrderFilter{Currency: "KWD"}, func(OrderRow) error { n++; return nil }); err != nil || n != 4 {
		t.Errorf("EachOrder KWD = %d, %v", n, err)
	}
}

func TestUsers(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	u, err := s.CreateUser(ctx, "Owner@Shop.test", "$argon2id$x")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateUser(ctx, "owner@shop.TEST", "$argon2id$y"); err != ErrUserExists {
		t.Errorf("same email in another case: %v", err)
	}
	if got, err := s.UserByEmail(ctx, "OWNER@shop.test"); err != nil || got.ID != u.ID {
		t.Errorf("UserByEmail = %+v, %v", got, err)
	}
	if err := s.RemoveUser(ctx, "owner@shop.test"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UserByID(ctx, u.ID); err != ErrNoUser {
		t.Errorf("removed user: %v", err)
	}
}

func TestAPIKeyListAndRevoke(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	id, key, _ := s.CreateAPIKey(ctx, "old")
	id2, _, _ := s.CreateAPIKey(ctx, "new")
	if got, _ := s.APIKeyID(ctx, key); got != id {
		t.Fatal("key does not authenticate")
	}
	keys, err := s.APIKeys(ctx)
	if err != nil || len(keys) != 2 || keys[0].ID != id2 {
		t.Fatalf("APIKeys = %+v, %v", keys, err)
	}
	if keys[1].Hint != key[len(key)-4:] || keys[1].LastUsedAt.IsZero() {
		t.Errorf("old key: hint %q, last used %v", keys[1].Hint, keys[1].LastUsedAt)
	}
	if ok, err := s.RevokeAPIKey(ctx, id); !ok || err != nil {
		t.Fatalf("revoke: %v %v", ok, err)
	}
	if ok, _ := s.RevokeAPIKey(ctx, id); ok {
		t.Error("revoked twice")
	}
	if got, _ := s.APIKeyID(ctx, key); got != "" {
		t.Error("revoked key authenticates")
	}
	keys, _ = s.APIKeys(ctx)
	if keys[len(keys)-1].ID != id || keys[len(keys)-1].RevokedAt.IsZero() {
		t.Errorf("revoked key not listed last: %+v", keys)
	}
}

// The kept totals (order_totals, by triggers) agree with summing the orders after inserts and
// status changes, for every status and currency filter.
func TestKeptTotalsFollowTheOrders(t *testing.T) {
	s, _ := openTemp(t)
	ctx := context.Background()
	var ids []string
	for i, c := range []struct{ amount, currency string }{{"6.000", "KWD"}, {"1.250", "KWD"}, {"100.00", "THB"}, {"2.500", "KWD"}} {
		o := newOrder(fmt.Sprintf("ord_totals%d", i), c.amount, c.currency)
		insert(t, s, o)
		ids = append(ids, o.ID)
	}
	for i, to := range []order.Status{order.StatusPaid, order.StatusExpired, order.StatusPaid} {
		if err := s.Write(ctx, func(tx order.Tx) error {
			o, err := tx.Order(ids[i])
			if err != nil {
				return err
			}
			o.Status = to
			return tx.UpdateOrder(&o)
		}); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []OrderFilter{{}, {Status: "paid"}, {Status: "open"}, {Status: "expired", Currency: "KWD"}, {Currency: "THB"}, {Status: "refunded"}} {
		kept, err := s.OrderTotals(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		summed, err := s.OrderTotals(ctx, OrderFilter{Status: f.Status, Currency: f.Currency, To: t0.Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(kept) != fmt.Sprint(summed) {
			t.Errorf("%+v: kept %v, summed %v", f, kept, summed)
		}
	}
	if got, _ := s.OrderTotals(ctx, OrderFilter{Status: "paid"}); fmt.Sprint(got) != "[{1 6.000} {1 100.00}]" {
		t.Errorf("paid totals %v", got)
	}
}
