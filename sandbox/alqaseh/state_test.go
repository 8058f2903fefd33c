package alqaseh

import (
	"net/http"
	"path/filepath"
	"testing"
)

// A QA suite restarts the server: a payment page opened before the restart is paid after it,
// and an order id used before is still refused.
func TestRestartKeepsPayments(t *testing.T) {
	file := filepath.Join(t.TempDir(), "sandbox", "alqaseh.json")
	keep := func(c *Config) { c.StateFile = file }

	before := newEnv(t, keep)
	id, token := before.create(createBody("ord_restart", "", ""))
	if status, _ := before.page(token, "?lang=en", nil); status != http.StatusOK {
		t.Fatalf("page before the restart: %d", status)
	}
	before.sim.Close()

	after := newEnv(t, keep)
	if got := after.get(id); str(got, "payment_status") != statusPrepared {
		t.Fatalf("after the restart: %v", got)
	}
	status, body, _ := after.pay(token, cardForm("5341432900077803", "01-2027", "971"))
	if status != http.StatusFound {
		t.Fatalf("paying after the restart: %d %s", status, body)
	}
	if got := after.get(id); str(got, "payment_status") != statusSucceeded {
		t.Errorf("the payment started before the restart: %v", got)
	}
	again, _ := after.create(createBody("ord_restart", "", ""))
	if got := after.get(again); str(got, "payment_status") != statusDuplicated {
		t.Errorf("an order id used before the restart was taken again: %v", got)
	}
}
