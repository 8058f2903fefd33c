package gateway

import (
	"context"
	"net/url"
	"time"

	"github.com/bawaba/checkout/money"
)

// CallObserver hears every call the order service makes to a connector through the registry
// (Registry.Observe): the gateway's name, the operation ("start", "continue", "return",
// "webhook", "inquire", "refund", "void", "capture", "close") and how it went. The metrics use
// it, so that no connector has to be edited to be measured.
type CallObserver func(gatewayName, operation string, took time.Duration, err error)

// As returns g's optional capability T (Refunder, Closer, Embedder…), or false when the
// connector has none. Use it instead of a type assertion: a connector handed out by an observed
// registry is wrapped, and the wrapper has every method; As asks the connector inside.
func As[T any](g Gateway) (T, bool) {
	if o, ok := g.(*observed); ok {
		inner, has := o.Gateway.(T)
		if !has {
			var zero T
			return zero, false
		}
		if t, ok := g.(T); ok {
			return t, true
		}
		// A capability the wrapper does not know yet: it works, unmeasured.
		return inner, true
	}
	t, ok := g.(T)
	return t, ok
}

// observed wraps a connector and reports each call to obs. It implements every optional
// capability by delegation; As tells which the connector really has.
type observed struct {
	Gateway
	obs CallObserver
}

func (o *observed) time(op string, start time.Time, err error) {
	o.obs(o.Gateway.Name(), op, time.Since(start), err)
}

func (o *observed) Start(ctx context.Context, a Attempt) (s Started, err error) {
	defer func(t time.Time) { o.time("start", t, err) }(time.Now())
	return o.Gateway.Start(ctx, a)
}

func (o *observed) Return(ctx context.Context, a Attempt, q url.Values) (r Result, err error) {
	defer func(t time.Time) { o.time("return", t, err) }(time.Now())
	return o.Gateway.Return(ctx, a, q)
}

func (o *observed) Webhook(ctx context.Context, req WebhookRequest) (n []Notification, err error) {
	defer func(t time.Time) { o.time("webhook", t, err) }(time.Now())
	return o.Gateway.Webhook(ctx, req)
}

func (o *observed) Inquire(ctx context.Context, a Attempt) (r Result, err error) {
	defer func(t time.Time) { o.time("inquire", t, err) }(time.Now())
	return o.Gateway.Inquire(ctx, a)
}

func (o *observed) Refund(ctx context.Context, a Attempt, amount money.Amount) (r Result, err error) {
	defer func(t time.Time) { o.time("refund", t, err) }(time.Now())
	return o.Gateway.(Refunder).Refund(ctx, a, amount)
}

func (o *observed) Void(ctx context.Context, a Attempt) (r Result, err error) {
	defer func(t time.Time) { o.time("void", t, err) }(time.Now())
	return o.Gateway.(Voider).Void(ctx, a)
}

func (o *observed) Capture(ctx context.Context, a Attempt, amount money.Amount) (r Result, err error) {
	defer func(t time.Time) { o.time("capture", t, err) }(time.Now())
	return o.Gateway.(Capturer).Capture(ctx, a, amount)
}

func (o *observed) Continue(ctx context.Context, a Attempt, form url.Values) (s Started, err error) {
	defer func(t time.Time) { o.time("continue", t, err) }(time.Now())
	return o.Gateway.(Embedder).Continue(ctx, a, form)
}

func (o *observed) Close(ctx context.Context, a Attempt) (err error) {
	defer func(t time.Time) { o.time("close", t, err) }(time.Now())
	return o.Gateway.(Closer).Close(ctx, a)
}

// The capabilities that make no call to the gateway are passed through unmeasured.

func (o *observed) Acknowledge(notes []Notification, err error, resultURL func(string) string) Reply {
	return o.Gateway.(Acknowledger).Acknowledge(notes, err, resultURL)
}

func (o *observed) LocateReturn(q url.Values) (AttemptRef, error) {
	return o.Gateway.(ReturnLocator).LocateReturn(q)
}

func (o *observed) RefusesUnacknowledged() bool {
	return o.Gateway.(Refuser).RefusesUnacknowledged()
}

func (o *observed) StartsOffline(method string) bool {
	return o.Gateway.(OfflineStarter).StartsOffline(method)
}
