package kpay

import (
	"net/http"
	"net/url"
	"path/filepath"
	"testing"
	"time"
)

// A QA suite restarts the server: a QR shown and a 3-D Secure page opened before the restart
// are paid after it; the test clock keeps where it was.
func TestRestartKeepsPayments(t *testing.T) {
	file := filepath.Join(t.TempDir(), "sandbox", "kpay.json")
	keep := func(c *Config) { c.StateFile = file; c.QRExpiry = time.Hour }

	before := newEnv(t, keep)
	o := before.order("qr", "13.00")
	qr := before.showQR(o, "qr")
	ch := before.cardCharge("5404888000072727", SandboxMID, "10", "")
	if r := before.post(testBase+"/test/clock", url.Values{"advance": {"10m"}}); r.status != http.StatusOK {
		t.Fatalf("advance: %d", r.status)
	}
	before.sim.Close()

	after := newEnv(t, keep)
	if st := after.qrStatus(o["id"].(string)); st["status"] != "pending" || st["expires_in"] != 3000.0 {
		t.Fatalf("the QR after the restart: %v (the clock's 10 minutes must be kept)", st)
	}
	if r := after.post(testBase+"/qr-simulator", url.Values{"qr_id": {qr}, "action": {"pay"}}); r.status != http.StatusOK {
		t.Fatalf("paying the QR after the restart: %d %s", r.status, r.body)
	}
	if st := after.qrStatus(o["id"].(string)); st["status"] != "paid" {
		t.Errorf("the QR order started before the restart: %v", st)
	}
	page := before.pathOf(ch["redirect_url"].(string)) // the shopper's tab, on the same path
	if r := after.post(page, url.Values{"action": {"submit"}, "otp": {sandboxOTP}}); r.status != http.StatusSeeOther {
		t.Fatalf("3-D Secure after the restart: %d %s", r.status, r.body)
	}
	if got := after.ok("GET", "/card/v2/charge/"+ch["id"].(string), ""); got["transaction_state"] != "Authorized" || got["status"] != "success" {
		t.Errorf("the card charge started before the restart: %v", got)
	}
	if got := after.ok("GET", "/card/v2/charge/"+ch["reference_order"].(string), ""); got["id"] != ch["id"] {
		t.Errorf("inquiry by reference_order after the restart: %v", got)
	}
}
