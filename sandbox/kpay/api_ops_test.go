package kpay

import (
	"testing"
	"time"
)

func TestVoid(t *testing.T) {
	e := newEnv(t, nil)
	ch := e.cardCharge("4024007134786226", SandboxMID, "11.50", "")
	id := ch["id"].(string)
	wantError(t, e.api("POST", "/card/v2/charge/chrg_test_nope/void", `{"reason":"x"}`), 404, "charge_id_not_exist")
	wantError(t, e.api("POST", "/card/v2/charge/"+id+"/void", `{}`), 400, "mandatory_is_empty")
	v := e.ok("POST", "/card/v2/charge/"+id+"/void", `{"reason":"TEST VOID"}`)
	if v["transaction_state"] != "Voided" || v["status"] != "success" || v["amount"] != 11.5 {
		t.Fatalf("void: %v", v)
	}
	wantError(t, e.api("POST", "/card/v2/charge/"+id+"/void", `{"reason":"again"}`), 400, "void_state_invalid")
	wantError(t, e.api("POST", "/card/v2/charge/"+id+"/settle", `{"amount":11.5,"type":"full"}`), 400, "settle_state_invalid")
	wantError(t, e.api("POST", "/card/v2/charge/"+id+"/refund", `{"amount":1,"reason":"x"}`), 400, "refund_state_invalid")

	// A declined charge cannot be voided; nor a settled one (the next day).
	d := e.cardCharge("4532741632025415", SandboxMID, "10", "")
	wantError(t, e.api("POST", "/card/v2/charge/"+d["id"].(string)+"/void", `{"reason":"x"}`), 400, "void_state_invalid")
	a := e.cardCharge("4024007134786226", SandboxMID, "10", "")
	e.clock.Advance(day)
	wantError(t, e.api("POST", "/card/v2/charge/"+a["id"].(string)+"/void", `{"reason":"x"}`), 400, "void_state_invalid")
}

func TestSettle(t *testing.T) {
	e := newEnv(t, nil)
	ch := e.cardCharge("4024007134786226", SandboxMID, "100", "")
	id := ch["id"].(string)
	wantError(t, e.api("POST", "/card/v2/charge/"+id+"/settle", `{"amount":100}`), 400, "mandatory_is_empty")
	wantError(t, e.api("POST", "/card/v2/charge/"+id+"/settle", `{"amount":100,"type":"half"}`), 400, "invalid_parameter")
	wantError(t, e.api("POST", "/card/v2/charge/"+id+"/settle", `{"amount":100.01,"type":"partial"}`), 400, "amount_exceed")
	wantError(t, e.api("POST", "/card/v2/charge/"+id+"/settle", `{"amount":50,"type":"full"}`), 400, "invalid_parameter")
	wantError(t, e.api("POST", "/card/v2/charge/"+id+"/settle", `{"amount":0,"type":"partial"}`), 400, "amount_invalid")
	s := e.ok("POST", "/card/v2/charge/"+id+"/settle", `{"amount":"60.00","type":"partial"}`)
	if s["transaction_state"] != "Captured" || s["status"] != "success" {
		t.Fatalf("settle: %v", s)
	}
	if si := s["settlement_info"].(map[string]any); si["settle_amount"] != 60.0 || si["settlement_amount"] != 60.0 {
		t.Errorf("settlement_info %v", si)
	}
	wantError(t, e.api("POST", "/card/v2/charge/"+id+"/settle", `{"amount":10,"type":"partial"}`), 400, "settle_state_invalid")
	// Refund needs Settled: Captured is not yet.
	wantError(t, e.api("POST", "/card/v2/charge/"+id+"/refund", `{"amount":1,"reason":"x"}`), 400, "refund_state_invalid")
	// The next day (Bangkok midnight) it is Settled.
	e.clock.Advance(14*time.Hour + 59*time.Minute) // 23:59 in Bangkok
	if g := e.ok("GET", "/card/v2/charge/"+id, ""); g["transaction_state"] != "Captured" {
		t.Errorf("before midnight: %v", g["transaction_state"])
	}
	e.clock.Advance(time.Minute)
	if g := e.ok("GET", "/card/v2/charge/"+id, ""); g["transaction_state"] != "Settled" {
		t.Errorf("after midnight: %v", g["transaction_state"])
	}
}

func TestRefund(t *testing.T) {
	e := newEnv(t, nil)
	ch := e.cardCharge("4024007134786226", SandboxMID, "11", "")
	id := ch["id"].(string)
	e.clock.Advance(day) // auto-settled in full at the cut-off
	g := e.ok("GET", "/card/v2/charge/"+id, "")
	si := g["settlement_info"].(map[string]any)
	if g["transaction_state"] != "Settled" || si["settle_amount"] != 11.0 || si["orig_mdr"] != 0.28 || si["orig_vat"] != 0.02 || si["orig_net_amount"] != 10.7 {
		t.Fatalf("settled: %v", g)
	}
	wantError(t, e.api("POST", "/card/v2/charge/"+id+"/refund", `{"amount":1}`), 400, "mandatory_is_empty")
	wantError(t, e.api("POST", "/card/v2/charge/"+id+"/refund", `{"amount":11.01,"reason":"x"}`), 400, "amount_exceed")
	wantError(t, e.api("POST", "/card/v2/charge/"+id+"/refund", `{"amount":1,"reason":"x","transaction_date":"2025-03-01"}`), 400, "transaction_date_invalid")
	wantError(t, e.api("POST", "/card/v2/charge/"+id+"/refund", `{"amount":1,"reason":"x","transaction_date":"20250302"}`), 400, "invalid_parameter")
	r := e.ok("POST", "/card/v2/charge/"+id+"/refund", `{"amount":4,"reason":"wrong product spec","transaction_date":"20250301"}`)
	if r["transaction_state"] != "Refund Sent" || r["status"] != "success" || len(r["refund_id"].(string)) < 12 || r["reason"] != nil {
		t.Fatalf("refund: %v", r)
	}
	if _, ok := r["reason"]; !ok {
		t.Error("refund response lacks reason")
	}
	// Never more than what remains: 11 - 4 = 7.
	wantError(t, e.api("POST", "/card/v2/charge/"+id+"/refund", `{"amount":7.01,"reason":"x"}`), 400, "amount_exceed")
	r = e.ok("POST", "/card/v2/charge/"+id+"/refund", `{"amount":5,"reason":"x"}`)
	if info := r["refund_info"].([]any); len(info) != 2 {
		t.Errorf("refund_info %v", info)
	}
	e.clock.Advance(day)
	if g := e.ok("GET", "/card/v2/charge/"+id, ""); g["transaction_state"] != "Partial Refund" {
		t.Errorf("next day: %v", g["transaction_state"])
	}
	e.ok("POST", "/card/v2/charge/"+id+"/refund", `{"amount":2,"reason":"x"}`)
	wantError(t, e.api("POST", "/card/v2/charge/"+id+"/refund", `{"amount":0.01,"reason":"x"}`), 400, "amount_exceed")
	e.clock.Advance(day)
	if g := e.ok("GET", "/card/v2/charge/"+id, ""); g["transaction_state"] != "Refunded" {
		t.Errorf("fully refunded: %v", g["transaction_state"])
	}
	wantError(t, e.api("POST", "/card/v2/charge/"+id+"/refund", `{"amount":1,"reason":"x"}`), 400, "refund_state_invalid")

	// Older than 180 days needs transaction_date; older than 366 days cannot be refunded.
	old := e.cardCharge("4024007134786226", SandboxMID, "11", "")
	oid := old["id"].(string)
	date := old["created"].(string)[:8]
	e.clock.Advance(181 * day)
	wantError(t, e.api("POST", "/card/v2/charge/"+oid+"/refund", `{"amount":1,"reason":"x"}`), 400, "refund_transaction_is_not_owed")
	e.ok("POST", "/card/v2/charge/"+oid+"/refund", `{"amount":1,"reason":"x","transaction_date":"`+date+`"}`)
	e.clock.Advance(186 * day)
	wantError(t, e.api("POST", "/card/v2/charge/"+oid+"/refund", `{"amount":1,"reason":"x","transaction_date":"`+date+`"}`), 400, "refund_transaction_is_not_owed")
}

func TestSettlementDelay(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.SettlementDelay = time.Second })
	ch := e.cardCharge("4024007134786226", SandboxMID, "11", "")
	e.clock.Advance(time.Second)
	id := ch["id"].(string)
	e.ok("POST", "/card/v2/charge/"+id+"/refund", `{"amount":11,"reason":"x"}`)
	e.clock.Advance(time.Second)
	if g := e.ok("GET", "/card/v2/charge/"+id, ""); g["transaction_state"] != "Refunded" {
		t.Errorf("after the delay: %v", g["transaction_state"])
	}
}

func TestSmartPayRefundRules(t *testing.T) {
	e := newEnv(t, nil)
	plan := func(ipan string) string {
		tok := e.token("4024007134786226", SandboxMID, nil)
		ch := e.ok("POST", "/card/v2/charge", `{"amount":100,"currency":"THB","description":"D","source_type":"card","mode":"token","token":"`+tok+`","reference_order":"`+nextRef()+`","additional_data":{"mid":"`+SandboxMID+`"},"smartpay":{"plan_id":"999","ipan_mode":"`+ipan+`","product_type":"3","payment_term":"10","supplier_no":"99903","model_no":"123456"}}`)
		return ch["id"].(string)
	}
	m01, m02, m03 := plan("01"), plan("02"), plan("03")
	e.clock.Advance(day)
	wantError(t, e.api("POST", "/card/v2/charge/"+m01+"/refund", `{"amount":10,"reason":"x"}`), 400, "internal_permission_denied")
	wantError(t, e.api("POST", "/card/v2/charge/"+m01+"/refund", `{"amount":100,"reason":"x"}`), 400, "internal_permission_denied")
	wantError(t, e.api("POST", "/card/v2/charge/"+m02+"/refund", `{"amount":100,"reason":"x"}`), 400, "internal_permission_denied")
	e.ok("POST", "/card/v2/charge/"+m02+"/refund", `{"amount":10,"reason":"x"}`)
	wantError(t, e.api("POST", "/card/v2/charge/"+m02+"/refund", `{"amount":10,"reason":"x"}`), 400, "partial_refund_is_not_allowed")
	e.ok("POST", "/card/v2/charge/"+m03+"/refund", `{"amount":100,"reason":"x"}`)
}

func TestAlipayNotRefundable(t *testing.T) {
	e := newEnv(t, nil)
	ch := e.ok("POST", "/card/v2/charge", `{"amount":15,"currency":"THB","description":"TEST ALIPAY","source_type":"alipay","reference_order":"A1"}`)
	e.post(e.pathOf(ch["redirect_url"].(string)), map[string][]string{"action": {"approve"}})
	e.clock.Advance(day)
	wantError(t, e.api("POST", "/card/v2/charge/"+ch["id"].(string)+"/refund", `{"amount":1,"reason":"x"}`), 400, "refund_not_allowed")
}
