package adyen

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A QA suite restarts the server: a KNET page opened before the restart is paid after it and
// its redirectResult redeemed; a payment pending at the restart still settles, with its
// webhook.
func TestRestartKeepsPayments(t *testing.T) {
	file := filepath.Join(t.TempDir(), "sandbox", "adyen.json")
	h := newHook(t, accepted)
	keep := func(c *Config) { c.StateFile = file; c.PendingDelay = time.Hour } // nothing settles before the restart

	before := newEnv(t, h, keep)
	open := before.create("en-US", "")
	pending := before.create("en-US", "")
	if status, _, _ := before.submit(submitForm(tokenOf(t, pending), "8888880000000003", "09", "2030")); status != http.StatusSeeOther {
		t.Fatalf("submit the pending card: %d", status)
	}
	before.sim.Close()

	after := newEnv(t, h, func(c *Config) { c.StateFile = file })
	if status, page := after.page(tokenOf(t, open), "en"); status != http.StatusOK || !strings.Contains(page, `data-testid="adyen-knet-card"`) {
		t.Fatalf("the open page after the restart: %d", status)
	}
	status, _, hdr := after.submit(submitForm(tokenOf(t, open), "8888880000000001", "09", "2030"))
	if status != http.StatusSeeOther {
		t.Fatalf("paying after the restart: %d", status)
	}
	if _, d := after.details(redirectResultOf(t, hdr.Get("Location"))); str(d, "resultCode") != "Authorised" {
		t.Errorf("the payment started before the restart: %v", d)
	}
	psp := str(pending, "pspReference")
	eventually(t, "the pending payment settles after the restart", func() bool { return after.state(psp) == stateAuthorised })
}
