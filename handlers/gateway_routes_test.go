package handlers_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/order"
)

// With the shopper pages off, the gateways' returns and webhooks are still mounted: a payment
// under way is verified and recorded, and the pages themselves are gone.
func TestGatewayCallbacksWithoutShopperPages(t *testing.T) {
	e := newEnv(t, withoutShopperPages())
	v := e.createOrder("no-pages-1")

	if res := e.get(e.browser(), "/pay/"+v.ID); res.StatusCode != http.StatusNotFound {
		t.Errorf("GET /pay/{id} with the shopper pages off: %d, want 404", res.StatusCode)
	}
	if res := e.postForm(e.browser(), "/pay/"+v.ID+"/confirm", nil); res.StatusCode != http.StatusNotFound {
		t.Errorf("POST /pay/{id}/confirm with the shopper pages off: %d, want 404", res.StatusCode)
	}

	// A webhook with a bad signature reaches the connector (401), not the 404 of a missing route.
	if res := e.postWebhook([]byte(`{"id":"chg_x"}`), "0000"); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("webhook with a bad signature: %d, want 401 from the connector", res.StatusCode)
	}

	// The attempt starts through the service (there is no confirm page); the shopper pays at
	// the simulator and comes back: the return is verified and redirects to the result path.
	a, act, err := e.svc.StartAttempt(context.Background(), v.ID, gateway.MethodKNET, order.StartOptions{})
	if err != nil {
		t.Fatal(err)
	}
	co := checkout{orderID: v.ID, browser: e.browser(), simURL: act.URL}
	back := e.payAtSimulator(co, "submit", "2030")
	if loc := expectRedirect(t, e.get(co.browser, back)); loc != e.base+"/pay/"+v.ID+"/result" {
		t.Errorf("return redirected to %q, want the result path", loc)
	}
	if got := e.getOrder(v.ID); got.Status != "paid" || len(got.Attempts) != 1 || got.Attempts[0].ID != a.ID {
		t.Errorf("order after the return = %s with %d attempts, want paid by %s", got.Status, len(got.Attempts), a.ID)
	}
}
