package simpair_test

import (
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"testing"
	"time"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/gateway/tap"
	"github.com/bawaba/checkout/money"
	tapsim "github.com/bawaba/checkout/sandbox/tap"
)

const tapKey = "sk_test_EXAMPLEKEY0000000000"

// tapPair is the Tap connector against the Tap simulator.
type tapPair struct {
	t    *testing.T
	srv  string
	conn *tap.Gateway
	lose *loser
	n    int
}

func newTapPair(t *testing.T) *tapPair {
	t.Helper()
	srv, mux := server(t)
	sim := tapsim.New(tapsim.Config{BasePath: "/sandbox/tap", PublicURL: srv.URL + "/sandbox/tap", SecretKey: tapKey, Logger: discard})
	t.Cleanup(sim.Close)
	mux.Handle("/sandbox/tap/", sim)
	c, l := client("/v2/refunds", "")
	return &tapPair{t: t, srv: srv.URL, conn: tap.New(tap.Config{BaseURL: srv.URL + "/sandbox/tap", SecretKey: tapKey, HTTPClient: c}), lose: l}
}

var chgInput = regexp.MustCompile(`name="chg" value="([^"]+)"`)

// pay makes a 6.000 KWD charge and pays it on the simulator's KNET page with the test card.
func (p *tapPair) pay() gateway.Attempt {
	t := p.t
	t.Helper()
	p.n++
	a := gateway.Attempt{ID: fmt.Sprintf("att_TapPair%013d", p.n), Seq: int64(p.n), OrderID: "ord_pair", Reference: "pair",
		Method: gateway.MethodKNET, Amount: money.MustParse("6.000", "KWD"), Locale: "en",
		ReturnURL: "https://shop.example/return", WebhookURL: "https://shop.example/hook", ExpiresAt: time.Now().Add(time.Hour)}
	ctx := context.Background()
	st, err := p.conn.Start(ctx, a)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	a.PaymentID, a.State = st.PaymentID, st.State
	res, err := noRedirect.Get(st.Action.URL)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(res.Body)
	res.Body.Close()
	m := chgInput.FindSubmatch(page)
	if m == nil {
		t.Fatalf("no chg on the KNET page (%d)", res.StatusCode)
	}
	res, err = noRedirect.PostForm(p.srv+"/sandbox/tap/knet/pay", url.Values{"chg": {html.UnescapeString(string(m[1]))}, "lang": {"en"}, "bank": {"knet1"},
		"card": {"8888880000000001"}, "exp_month": {"09"}, "exp_year": {"2030"}, "pin": {"1234"}, "action": {"submit"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("KNET page: %d", res.StatusCode)
	}
	if got, err := p.conn.Inquire(ctx, a); err != nil || got.Status != gateway.StatusPaid {
		t.Fatalf("Inquire after paying: %s %v", got.Status, err)
	}
	return a
}

// left checks what Tap still refunds of the charge: exactly left, not a fils more.
func (p *tapPair) left(a gateway.Attempt, left string) {
	t := p.t
	t.Helper()
	ctx := gateway.WithRefundID(context.Background(), "ref_probe_over")
	over, _ := money.MustParse(left, "KWD").Add(money.MustParse("0.001", "KWD"))
	if _, err := p.conn.Refund(ctx, a, over); !errors.Is(err, gateway.ErrRejected) {
		t.Fatalf("Tap refunds %s, more than the %s left: %v", over, left, err)
	}
	ctx = gateway.WithRefundID(context.Background(), "ref_probe_all")
	if r, err := p.conn.Refund(ctx, a, money.MustParse(left, "KWD")); err != nil || r.Status != gateway.StatusRefunded {
		t.Fatalf("Tap does not refund the %s left: %+v %v", left, r, err)
	}
}

func TestTapRefundInquiry(t *testing.T) {
	kwd := func(s string) money.Amount { return money.MustParse(s, "KWD") }
	p := newTapPair(t)
	ctx := gateway.WithRefundID(context.Background(), "ref_pair_1")
	tests := []struct {
		name string
		run  func(t *testing.T, a gateway.Attempt)
	}{
		{"a refund Tap answered is found by its id", func(t *testing.T, a gateway.Attempt) {
			made, err := p.conn.Refund(ctx, a, kwd("2.000"))
			if err != nil || made.Status != gateway.StatusRefunded {
				t.Fatalf("Refund: %+v %v", made, err)
			}
			got, err := p.conn.InquireRefund(ctx, a, gateway.RefundQuery{RefundID: "ref_pair_1", GatewayRef: made.PaymentID, Amount: kwd("2.000")})
			if err != nil || got.Status != gateway.StatusRefunded || got.PaymentID != made.PaymentID {
				t.Fatalf("InquireRefund: %+v %v", got, err)
			}
		}},
		{"a lost answer: not found by id, the replay returns the refund Tap made", func(t *testing.T, a gateway.Attempt) {
			p.lose.set(true, false)
			if _, err := p.conn.Refund(ctx, a, kwd("2.000")); !errors.Is(err, gateway.ErrUnavailable) {
				t.Fatalf("lost Refund: %v", err)
			}
			if _, err := p.conn.InquireRefund(ctx, a, gateway.RefundQuery{RefundID: "ref_pair_1", Amount: kwd("2.000")}); !errors.Is(err, gateway.ErrRefundNotFound) {
				t.Fatalf("InquireRefund: %v", err)
			}
			again, err := p.conn.Refund(ctx, a, kwd("2.000"))
			if err != nil || again.Status != gateway.StatusRefunded {
				t.Fatalf("replay: %+v %v", again, err)
			}
			p.left(a, "4.000") // made once, not twice
		}},
		{"a refund that never reached Tap: the replay makes it once", func(t *testing.T, a gateway.Attempt) {
			p.lose.set(false, true)
			if _, err := p.conn.Refund(ctx, a, kwd("2.000")); !errors.Is(err, gateway.ErrUnavailable) {
				t.Fatalf("dropped Refund: %v", err)
			}
			p.left(a, "6.000") // nothing was made…
		}},
		{"… and once replayed, it is made once", func(t *testing.T, a gateway.Attempt) {
			p.lose.set(false, true)
			if _, err := p.conn.Refund(ctx, a, kwd("2.000")); !errors.Is(err, gateway.ErrUnavailable) {
				t.Fatalf("dropped Refund: %v", err)
			}
			for i := 0; i < 2; i++ {
				if r, err := p.conn.Refund(ctx, a, kwd("2.000")); err != nil || r.Status != gateway.StatusRefunded {
					t.Fatalf("replay %d: %+v %v", i, r, err)
				}
			}
			p.left(a, "4.000")
		}},
		{"an unknown refund id is not found", func(t *testing.T, a gateway.Attempt) {
			_, err := p.conn.InquireRefund(ctx, a, gateway.RefundQuery{GatewayRef: "re_TS05A0000000000000000000", Amount: kwd("2.000")})
			if !errors.Is(err, gateway.ErrRefundNotFound) {
				t.Fatalf("InquireRefund: %v", err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, p.pay()) })
	}
}
