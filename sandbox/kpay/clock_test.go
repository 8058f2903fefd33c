package kpay

import (
	"net/http"
	"net/url"
	"testing"
	"time"
)

// POST /test/clock moves what K-Pay does later to now: a QR expires, a charge settles.
func TestClockAdvances(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.QRExpiry = time.Hour; c.SettlementDelay = 30 * time.Second })
	o := e.order("qr", "13.00")
	ch := e.cardCharge("4024007134786226", SandboxMID, "11.50", "")
	id := ch["id"].(string)
	if g := e.ok("GET", "/card/v2/charge/"+id, ""); g["transaction_state"] != "Authorized" {
		t.Fatalf("before: %v", g["transaction_state"])
	}

	for _, bad := range []string{"", "soon", "-1s", "0s", "10000h"} {
		r := e.post(testBase+"/test/clock", url.Values{"advance": {bad}})
		if r.status != http.StatusBadRequest {
			t.Errorf("advance=%q: %d %s", bad, r.status, r.text())
		}
	}
	if st := e.qrStatus(o["id"].(string)); st["status"] != "pending" {
		t.Fatalf("a refused advance moved the clock: %v", st)
	}

	r := e.post(testBase+"/test/clock", url.Values{"advance": {"30m"}})
	if v := r.json(t); r.status != http.StatusOK || v["advanced"] != "30m0s" {
		t.Fatalf("advance 30m: %d %v", r.status, v)
	}
	if st := e.qrStatus(o["id"].(string)); st["status"] != "pending" {
		t.Errorf("after 30m: %v", st)
	}
	if g := e.ok("GET", "/card/v2/charge/"+id, ""); g["transaction_state"] != "Settled" {
		t.Errorf("after 30m the charge is %v, want Settled", g["transaction_state"])
	}
	r = e.post(testBase+"/test/clock", url.Values{"advance": {"30m"}})
	if v := r.json(t); v["advanced"] != "1h0m0s" {
		t.Fatalf("advance 30m more: %v", v)
	}
	if st := e.qrStatus(o["id"].(string)); st["status"] != "expired" {
		t.Errorf("after 1h: %v", st)
	}
	wantError(t, e.api("GET", "/qr/v2/qr/"+o["id"].(string), ""), 404, "qr_expired")
}
