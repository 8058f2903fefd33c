package handlers_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bawaba/checkout/money"
)

// FuzzCreateOrderBody posts any body to POST /api/v1/orders through the whole server: it never
// answers 5xx; every refusal is problem+json and creates nothing; every 201 created exactly one
// order whose amount is the body's, parsed and formatted at the currency's scale. Every answer
// is checked against api/openapi.json (validatingTransport).
func FuzzCreateOrderBody(f *testing.F) {
	f.Add(orderBody("INV-1001", "6.000"))
	f.Add(`{"amount":"6.000","currency":"KWD"}`)
	f.Add(`{"amount":6,"currency":"KWD"}`)
	f.Add(`{"amount":"1e3","currency":"KWD","items":[{"name":"x","quantity":-1,"unit_amount":"0.001"}]}`)
	f.Add(`{"amount":"0.5","currency":"KWD","expires_in":-1,"metadata":{"a":"b"},"methods":["knet"],"customer":{"email":"x"}}`)
	f.Add(`{"amount":"6.000","currency":"KWD"} {}`)
	f.Add(`{"amount":"٦","currency":"kwd","locale":"ar","return_url":"javascript:alert(1)"}`)
	f.Add(`[1,2]`)
	e := newEnv(f, withoutShopperPages())
	tr := e.transport()
	ctx := context.Background()
	total := func(t *testing.T) int {
		counts, err := e.db.StatusCounts(ctx, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, c := range counts {
			n += c
		}
		return n
	}
	f.Fuzz(func(t *testing.T, body string) {
		c := &http.Client{Timeout: 30 * time.Second, Transport: validatingTransport{t: t, next: tr}}
		req, err := http.NewRequest("POST", e.base+"/api/v1/orders", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+e.apiKey)
		req.Header.Set("Content-Type", "application/json")
		before := total(t)
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(res.Body)
		res.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		after := total(t)
		switch {
		case res.StatusCode >= 500:
			t.Fatalf("%d for %q: %s", res.StatusCode, body, got)
		case res.StatusCode != http.StatusCreated:
			if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
				t.Fatalf("%d with Content-Type %q", res.StatusCode, ct)
			}
			if after != before {
				t.Fatalf("a refused body (%d) changed the order count %d -> %d", res.StatusCode, before, after)
			}
		default:
			if after != before+1 {
				t.Fatalf("a 201 changed the order count %d -> %d", before, after)
			}
			var in struct{ Amount, Currency string }
			var out struct{ Amount, Currency string }
			if json.Unmarshal([]byte(body), &in) != nil || json.Unmarshal(got, &out) != nil {
				t.Fatalf("201 for %q: %s", body, got)
			}
			want, err := money.Parse(in.Amount, out.Currency)
			if err != nil || want.String() != out.Amount {
				t.Fatalf("amount %q %q came out as %q %q (%v)", in.Amount, in.Currency, out.Amount, out.Currency, err)
			}
		}
	})
}
