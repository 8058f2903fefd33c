package tap

import (
	"net/http"
	"path/filepath"
	"testing"
)

// A QA suite restarts the server: a payment started before the restart is finished after it,
// and what was done before (a capture, a refund, an Idempotency-Key) is still there.
func TestRestartKeepsPayments(t *testing.T) {
	file := filepath.Join(t.TempDir(), "sandbox", "tap.json")
	keep := func(c *Config) { c.StateFile = file }

	before := newEnv(t, keep)
	open := before.create(chargeBody("6", ""), map[string]string{"Idempotency-Key": "idem-open"})
	paid := before.captured("4.5")
	rf := before.refund(refundBody(paid, "1.5", ""), map[string]string{"Idempotency-Key": "idem-refund"})
	before.sim.Close() // the binary stops

	after := newEnv(t, keep) // and starts again on the same file
	if got := after.retrieve(str(open, "id")); str(got, "status") != "INITIATED" {
		t.Fatalf("the open charge after the restart: %v", got)
	}
	if status, b, _ := after.pay(submitForm(token(t, open), "8888880000000001", "09", "2030")); status != http.StatusSeeOther {
		t.Fatalf("paying the open charge after the restart: %d %s", status, b)
	}
	if got := after.retrieve(str(open, "id")); str(got, "status") != "CAPTURED" || str(got, "amount") != str(open, "amount") {
		t.Errorf("the charge started before the restart: %v", got)
	}
	if again := after.create(chargeBody("6", ""), map[string]string{"Idempotency-Key": "idem-open"}); str(again, "id") != str(open, "id") {
		t.Errorf("the Idempotency-Key was forgotten: %v, want %s", str(again, "id"), str(open, "id"))
	}
	if again := after.refund(refundBody(paid, "1.5", ""), map[string]string{"Idempotency-Key": "idem-refund"}); str(again, "id") != str(rf, "id") {
		t.Errorf("the refund's Idempotency-Key was forgotten: %v", again)
	}
	// The refunded amount is kept: only 3.000 of the 4.500 is left to refund.
	if status, b := after.postRefund(refundBody(paid, "3.5", ""), nil); status != http.StatusBadRequest {
		t.Errorf("refunding more than is left after the restart: %d %s", status, b)
	}
	if status, b, _ := after.do(http.MethodGet, testBase+"/v2/refunds/"+str(rf, "id"), nil, auth()); status != http.StatusOK {
		t.Errorf("the refund after the restart: %d %s", status, b)
	}
}
