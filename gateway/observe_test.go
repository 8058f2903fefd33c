package gateway

import (
	"context"
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/bawaba/checkout/money"
)

// plain has only the required methods; refunding adds Refunder.
type plain struct{ err error }

func (plain) Name() string              { return "plain" }
func (plain) Supports(_, _ string) bool { return true }
func (p plain) Start(context.Context, Attempt) (Started, error) {
	return Started{PaymentID: "p1"}, p.err
}
func (plain) Return(context.Context, Attempt, url.Values) (Result, error)     { return Result{}, nil }
func (plain) Webhook(context.Context, WebhookRequest) ([]Notification, error) { return nil, nil }
func (plain) Inquire(context.Context, Attempt) (Result, error) {
	return Result{Status: StatusPaid}, nil
}

type refunding struct{ plain }

func (refunding) Refund(context.Context, Attempt, money.Amount) (Result, error) {
	return Result{Status: StatusRefunded}, nil
}

func TestObservedRegistry(t *testing.T) {
	type call struct {
		gw, op string
		failed bool
	}
	var calls []call
	r := NewRegistry()
	if err := r.Register(refunding{plain{err: errors.New("down")}}, MethodKNET); err != nil {
		t.Fatal(err)
	}
	r.Observe(func(g, op string, took time.Duration, err error) {
		if took < 0 {
			t.Errorf("negative duration")
		}
		calls = append(calls, call{g, op, err != nil})
	})
	g, ok := r.ForMethod(MethodKNET, "KWD")
	if !ok {
		t.Fatal("no gateway for knet")
	}
	if s, err := g.Start(context.Background(), Attempt{}); err == nil || s.PaymentID != "p1" {
		t.Errorf("Start through the wrapper = %+v, %v", s, err)
	}
	if res, _ := g.Inquire(context.Background(), Attempt{}); res.Status != StatusPaid {
		t.Errorf("Inquire = %v", res.Status)
	}
	// The capabilities the connector has, and only those.
	rf, ok := As[Refunder](g)
	if !ok {
		t.Fatal("As[Refunder] = false for a refunding connector")
	}
	if res, _ := rf.Refund(context.Background(), Attempt{}, money.Amount{}); res.Status != StatusRefunded {
		t.Errorf("Refund = %v", res.Status)
	}
	for name, has := range map[string]bool{
		"Closer":       func() bool { _, ok := As[Closer](g); return ok }(),
		"Voider":       func() bool { _, ok := As[Voider](g); return ok }(),
		"Embedder":     func() bool { _, ok := As[Embedder](g); return ok }(),
		"Acknowledger": func() bool { _, ok := As[Acknowledger](g); return ok }(),
	} {
		if has {
			t.Errorf("As[%s] = true for a connector without it", name)
		}
	}
	want := []call{{"plain", "start", true}, {"plain", "inquire", false}, {"plain", "refund", false}}
	if len(calls) != len(want) {
		t.Fatalf("calls %+v, want %+v", calls, want)
	}
	for i := range want {
		if calls[i] != want[i] {
			t.Errorf("call %d = %+v, want %+v", i, calls[i], want[i])
		}
	}
	// Unobserved, connectors are handed out as they are.
	r2 := NewRegistry()
	_ = r2.Register(plain{}, MethodKNET)
	if g, _ := r2.Gateway("plain"); g != (plain{}) {
		t.Errorf("unobserved registry wrapped the connector: %T", g)
	}
	if _, ok := As[Refunder](plain{}); ok {
		t.Error("As[Refunder](plain) = true")
	}
}

// offline has a capability the wrapper delegates (OfflineStarter) and one it does not know.
type offline struct{ plain }

func (offline) StartsOffline(string) bool { return true }

type unknownCapability interface{ Novel() string }

func (offline) Novel() string { return "works" }

func TestAsFindsEveryCapabilityThroughTheWrapper(t *testing.T) {
	r := NewRegistry()
	if err := r.Register(offline{}, MethodKNET); err != nil {
		t.Fatal(err)
	}
	r.Observe(func(string, string, time.Duration, error) {})
	g, _ := r.Gateway("plain")
	if off, ok := As[OfflineStarter](g); !ok || !off.StartsOffline(MethodKNET) {
		t.Error("As[OfflineStarter] lost the capability behind the observer")
	}
	if n, ok := As[unknownCapability](g); !ok || n.Novel() != "works" {
		t.Error("a capability the wrapper does not know is lost")
	}
	if _, ok := As[Refunder](g); ok {
		t.Error("As[Refunder] = true for a connector without it")
	}
}
