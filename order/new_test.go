package order_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/order"
)

func ptr[T any](v T) *T { return &v }

// TestCreateValidation drives Service.Create (with a real store and a fake "knet" gateway that
// takes KWD only) through the validation rules. wantField "" means the order is accepted; any
// other value must be one of the fields named by the *order.ValidationError, and nothing may
// be stored.
func TestCreateValidation(t *testing.T) {
	t.Parallel()
	tooMany := map[string]string{}
	for i := range 21 {
		tooMany[fmt.Sprintf("k%02d", i)] = "v"
	}
	twenty := map[string]string{}
	for i := range 20 {
		twenty[fmt.Sprintf("k%02d", i)] = "v"
	}

	tests := []struct {
		name      string
		edit      func(*order.NewOrder)
		wantField string
	}{
		{"6.000 KWD is accepted", func(*order.NewOrder) {}, ""},
		{"6 KWD (no decimals) is accepted", func(in *order.NewOrder) { in.Amount = "6" }, ""},
		{"6.0001 KWD has too many decimals", func(in *order.NewOrder) { in.Amount = "6.0001" }, "amount"},
		{"6.0000 KWD has too many decimals (trailing zeros count)", func(in *order.NewOrder) { in.Amount = "6.0000" }, "amount"},
		{"zero amount", func(in *order.NewOrder) { in.Amount = "0.000" }, "amount"},
		{"negative amount", func(in *order.NewOrder) { in.Amount = "-6.000" }, "amount"},
		{"amount with exponent", func(in *order.NewOrder) { in.Amount = "6e3" }, "amount"},
		{"missing amount", func(in *order.NewOrder) { in.Amount = "" }, "amount"},
		{"unknown currency", func(in *order.NewOrder) { in.Currency = "XYZ" }, "currency"},
		{"lower-case currency", func(in *order.NewOrder) { in.Currency = "kwd" }, "currency"},
		{"missing currency", func(in *order.NewOrder) { in.Currency = "" }, "currency"},
		{"THB with only knet configured", func(in *order.NewOrder) { in.Currency, in.Amount = "THB", "100.00" }, "currency"},
		{"items adding up", func(in *order.NewOrder) {
			in.Items = []order.NewItem{{Name: "Tea", Quantity: 2, UnitAmount: "2.500"}, {Name: "Cup", Quantity: 1, UnitAmount: "1.000"}}
		}, ""},
		{"items not adding up", func(in *order.NewOrder) {
			in.Items = []order.NewItem{{Name: "Tea", Quantity: 2, UnitAmount: "2.000"}}
		}, "items"},
		{"item without a name", func(in *order.NewOrder) {
			in.Items = []order.NewItem{{Name: " ", Quantity: 1, UnitAmount: "6.000"}}
		}, "items[0].name"},
		{"item with zero quantity", func(in *order.NewOrder) {
			in.Items = []order.NewItem{{Name: "Tea", Quantity: 0, UnitAmount: "6.000"}}
		}, "items[0].quantity"},
		{"item with too many decimals", func(in *order.NewOrder) {
			in.Items = []order.NewItem{{Name: "Tea", Quantity: 1, UnitAmount: "6.0001"}}
		}, "items[0].unit_amount"},
		{"relative return_url", func(in *order.NewOrder) { in.ReturnURL = "/thanks" }, "return_url"},
		{"ftp return_url", func(in *order.NewOrder) { in.ReturnURL = "ftp://shop.example/thanks" }, "return_url"},
		{"missing return_url", func(in *order.NewOrder) { in.ReturnURL = "" }, "return_url"},
		{"return_url with credentials", func(in *order.NewOrder) { in.ReturnURL = "https://u:p@shop.example/" }, "return_url"},
		{"javascript return_url", func(in *order.NewOrder) { in.ReturnURL = "javascript:alert(1)" }, "return_url"},
		{"http return_url", func(in *order.NewOrder) { in.ReturnURL = "http://localhost:8080/thanks" }, ""},
		{"relative webhook_url", func(in *order.NewOrder) { in.WebhookURL = "hooks" }, "webhook_url"},
		{"relative cancel_url", func(in *order.NewOrder) { in.CancelURL = "/cancel" }, "cancel_url"},
		{"expires_in 299", func(in *order.NewOrder) { in.ExpiresIn = ptr[int64](299) }, "expires_in"},
		{"expires_in 300", func(in *order.NewOrder) { in.ExpiresIn = ptr[int64](300) }, ""},
		{"expires_in 604800", func(in *order.NewOrder) { in.ExpiresIn = ptr[int64](604800) }, ""},
		{"expires_in 604801", func(in *order.NewOrder) { in.ExpiresIn = ptr[int64](604801) }, "expires_in"},
		{"locale ar", func(in *order.NewOrder) { in.Locale = "ar" }, ""},
		{"locale en", func(in *order.NewOrder) { in.Locale = "en" }, ""},
		{"locale fr", func(in *order.NewOrder) { in.Locale = "fr" }, "locale"},
		{"known and configured method", func(in *order.NewOrder) { in.Methods = []string{gateway.MethodKNET} }, ""},
		{"unknown method", func(in *order.NewOrder) { in.Methods = []string{"paypal"} }, "methods[0]"},
		{"known method no configured gateway takes", func(in *order.NewOrder) { in.Methods = []string{gateway.MethodCard} }, "methods"},
		{"20 metadata keys", func(in *order.NewOrder) { in.Metadata = twenty }, ""},
		{"21 metadata keys", func(in *order.NewOrder) { in.Metadata = tooMany }, "metadata"},
		{"empty metadata key", func(in *order.NewOrder) { in.Metadata = map[string]string{"": "v"} }, "metadata"},
		{"good email", func(in *order.NewOrder) { in.Customer.Email = "shopper@example.com" }, ""},
		{"bad email", func(in *order.NewOrder) { in.Customer.Email = "not-an-email" }, "customer.email"},
		{"email with display name", func(in *order.NewOrder) { in.Customer.Email = "Sara <sara@example.com>" }, "customer.email"},
		{"bad phone", func(in *order.NewOrder) { in.Customer.Phone = "call me" }, "customer.phone"},
		{"reference too long", func(in *order.NewOrder) { in.Reference = strings.Repeat("r", 65) }, "reference"},
		{"control character in description", func(in *order.NewOrder) { in.Description = "tea\x00" }, "description"},
	}
	e := newEnv(t)
	ctx := context.Background()
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := validOrder()
			tc.edit(&in)
			if in.Reference == "" {
				in.Reference = fmt.Sprintf("validation-%d", i)
			}
			got, err := e.svc.Create(ctx, in, nil)

			if tc.wantField == "" {
				if err != nil {
					t.Fatalf("Create: %v", err)
				}
				if got.Order.ID == "" || got.Order.Status != order.StatusOpen {
					t.Fatalf("created order = %+v, want an open order with an id", got.Order)
				}
				return
			}
			var ve *order.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("err = %v (%T), want *order.ValidationError naming %q", err, err, tc.wantField)
			}
			var fields []string
			for _, f := range ve.Fields {
				fields = append(fields, f.Field)
				if f.Message == "" {
					t.Errorf("field %q has no message", f.Field)
				}
			}
			if !slices.Contains(fields, tc.wantField) {
				t.Errorf("fields at fault = %q, want %q among them", fields, tc.wantField)
			}
			// Bad input changes nothing.
			if len(in.Reference) <= 64 {
				stored, err := e.svc.ByReference(ctx, in.Reference)
				if err != nil {
					t.Fatal(err)
				}
				if len(stored) != 0 {
					t.Errorf("a rejected order was stored: %d orders with reference %q", len(stored), in.Reference)
				}
			}
		})
	}
}

func TestCreateReportsEveryFieldAtOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	in := validOrder()
	in.Amount = "6.0001"
	in.Locale = "fr"
	in.ReturnURL = ""
	_, err := e.svc.Create(context.Background(), in, nil)
	var ve *order.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("err = %v, want *order.ValidationError", err)
	}
	var fields []string
	for _, f := range ve.Fields {
		fields = append(fields, f.Field)
	}
	for _, want := range []string{"amount", "locale", "return_url"} {
		if !slices.Contains(fields, want) {
			t.Errorf("fields = %q, want %q among them", fields, want)
		}
	}
}

func TestCreateDefaults(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	o := e.create(t, validOrder())

	if got := o.ExpiresAt.Sub(o.CreatedAt); got != 1800*time.Second {
		t.Errorf("expires in %v, want the default 1800s", got)
	}
	if !o.CreatedAt.Equal(e.clk.Now()) {
		t.Errorf("CreatedAt = %v, want the injected clock %v", o.CreatedAt, e.clk.Now())
	}
	if o.Amount.String() != "6.000" || o.Amount.Currency().Code != "KWD" {
		t.Errorf("amount = %s %s, want 6.000 KWD", o.Amount, o.Amount.Currency().Code)
	}
	stored := e.order(t, o.ID)
	if stored.Status != order.StatusOpen || !stored.ExpiresAt.Equal(o.ExpiresAt) || !stored.Amount.Equal(o.Amount) {
		t.Errorf("stored order = %s, expires %v, %s; want open, %v, 6.000", stored.Status, stored.ExpiresAt, stored.Amount, o.ExpiresAt)
	}
	if evs := e.events(t, o.ID, order.EventCreated); len(evs) != 1 {
		t.Errorf("%d order.created events, want 1", len(evs))
	}
}
