package wire

import (
	"context"
	"fmt"
	"net/url"
	"regexp"

	"github.com/bawaba/checkout/gateway"
)

// Lookup checks the payment id of a browser return or an inquiry, for a connector that answers
// both by reading one payment by the id the gateway gave at Start (Tap's charge, Al Qaseh's
// payment). Nothing that fails a check reaches the gateway.
type Lookup struct {
	Gateway string         // the connector's name, for errors: "tap"
	Param   string         // the return's query parameter naming the payment: "tap_id"
	Noun    string         // what the id names, for errors: "charge"
	Shape   *regexp.Regexp // a well-formed id: nothing else goes into a URL
}

// Read reads the attempt's payment (a.PaymentID, already checked) from the gateway.
type Read func(ctx context.Context, a gateway.Attempt) (gateway.Result, error)

// Return checks the browser's return: its Param must be the attempt's payment id, and
// well-formed, or the answer is an error wrapping gateway.ErrBadRequest. The payment is then
// read; the query's other parameters are ignored.
func (l Lookup) Return(ctx context.Context, a gateway.Attempt, query url.Values, read Read) (gateway.Result, error) {
	id := query.Get(l.Param)
	if id == "" || a.PaymentID == "" || id != a.PaymentID || !l.Shape.MatchString(id) {
		return gateway.Result{}, fmt.Errorf("%s: return: %w: %s is not the attempt's %s", l.Gateway, gateway.ErrBadRequest, l.Param, l.Noun)
	}
	return read(ctx, a)
}

// Inquire reads the attempt's payment. Without a payment id the status is unknown; a
// malformed one is an error wrapping gateway.ErrBadRequest.
func (l Lookup) Inquire(ctx context.Context, a gateway.Attempt, read Read) (gateway.Result, error) {
	if a.PaymentID == "" {
		return gateway.Result{Status: gateway.StatusUnknown}, nil
	}
	if !l.Shape.MatchString(a.PaymentID) {
		return gateway.Result{}, fmt.Errorf("%s: inquire: %w: malformed %s id", l.Gateway, gateway.ErrBadRequest, l.Noun)
	}
	return read(ctx, a)
}
