package knet

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// A QA suite restarts the server: a payment started (paymentInit, a GET) before the restart
// is finished after it, with its notification, and inquired by its track id.
func TestRestartKeepsPayments(t *testing.T) {
	file := filepath.Join(t.TempDir(), "sandbox", "knet.json")
	keep := func(c *Config) { c.StateFile = file }

	before := newEnv(t, keep)
	p := before.defaultParams()
	pid := before.start(p)
	before.submit(pid, "8888880000000001", "09", "2030") // the confirmation page
	before.sim.Close()

	after := newEnv(t, keep)
	after.merchant = before.merchant // the shop did not move
	_, page, _ := after.do(http.MethodGet, after.pagePath(pid), nil, "")
	if !strings.Contains(page, `data-testid="knet-confirm"`) {
		t.Fatalf("after the restart the payment is not at its confirmation:\n%s", page)
	}
	status, body, hdr := after.action(pid, "confirm")
	if status != http.StatusFound || !strings.HasPrefix(hdr.Get("Location"), "https://shop.example/receipt/") {
		t.Fatalf("confirm after the restart: %d %q %s", status, hdr.Get("Location"), body)
	}
	if n := before.merchant.next(t); n.fields.Get("result") != resultCaptured || n.fields.Get("paymentid") != pid {
		t.Errorf("notification after the restart: %v", n.fields)
	}
}
