package kpay

import (
	"net/url"
	"strings"
	"testing"
)

func TestRememberCard(t *testing.T) {
	e := newEnv(t, nil)
	// First payment with "Remember card": savecard from the token post to Create Charge.
	tok := e.token("4417706600005830", SandboxMID, map[string]any{"savecard": "true"})
	ch := e.ok("POST", "/card/v2/charge", `{"amount":300,"currency":"THB","description":"D","source_type":"card","mode":"token","token":"`+tok+`","savecard":true,"reference_order":"`+nextRef()+`","additional_data":{"mid":"`+SandboxMID+`"}}`)
	// Before the charge succeeds, the card cannot be saved.
	wantError(t, e.api("POST", "/card/v2/customer", `{"email":"somrak@gmail.com","name":"Somrak","mode":"token","token":"`+tok+`"}`), 400, "card_not_verified")
	r := e.complete3DS(ch, sandboxOTP)
	if loc, _ := url.Parse(r.header.Get("Location")); loc.Query().Get("saveCard") != "true" {
		t.Errorf("callback %s", loc)
	}
	wantError(t, e.api("POST", "/card/v2/customer", `{"email":"somrak@gmail.com","name":"Somrak","mode":"token"`), 400, "bad_request")
	wantError(t, e.api("POST", "/card/v2/customer", `{"email":"somrak@gmail.com","mode":"token"}`), 400, "mandatory_is_empty")
	wantError(t, e.api("POST", "/card/v2/customer", `{"email":"nope","name":"S","mode":"token"}`), 400, "invalid_parameter")
	wantError(t, e.api("POST", "/card/v2/customer", `{"email":"a@b.c","name":"S","mode":"token","token":"tokn_test_x"}`), 400, "token_invalid")
	cu := e.ok("POST", "/card/v2/customer", `{"email":"somrak@gmail.com","name":"Somrak Raktrakoon","mode":"token","token":"`+tok+`"}`)
	cards := cu["cards"].([]any)
	card := cards[0].(map[string]any)
	if !strings.HasPrefix(cu["id"].(string), "cust_test_") || cu["object"] != "customer" || len(cards) != 1 ||
		cu["default_card"] != card["id"] || card["object"] != "card" || card["brand"] != "VISA" ||
		card["card_masking"] != "441770*****5830" || card["expired"] != "20301231235959000" {
		t.Fatalf("customer %v", cu)
	}
	wantError(t, e.api("POST", "/card/v2/customer", `{"email":"a@b.c","name":"S","mode":"token","token":"`+tok+`"}`), 400, "used_token")
	cid := cu["id"].(string)

	// Inquiry lists cards with "number".
	g := e.ok("GET", "/card/v2/customer/"+cid, "")
	if c := g["cards"].([]any)[0].(map[string]any); c["number"] != "441770*****5830" || c["card_masking"] != nil {
		t.Errorf("inquiry %v", g)
	}
	wantError(t, e.api("GET", "/card/v2/customer/cust_test_nope", ""), 404, "customer_invalid")

	// Add a second card (a non-3-D Secure charge first).
	tok2 := e.token("5431289719925031", SandboxMID, nil)
	e.ok("POST", "/card/v2/charge", `{"amount":1,"currency":"THB","description":"D","source_type":"card","mode":"token","token":"`+tok2+`","reference_order":"`+nextRef()+`","additional_data":{"mid":"`+SandboxMID+`"}}`)
	wantError(t, e.api("POST", "/card/v2/customer/"+cid+"/card", `{"mode":"token"}`), 400, "mandatory_is_empty")
	added := e.ok("POST", "/card/v2/customer/"+cid+"/card", `{"mode":"token","token":"`+tok2+`"}`)
	if n := len(added["cards"].([]any)); n != 2 {
		t.Fatalf("%d cards", n)
	}
	second := added["cards"].([]any)[1].(map[string]any)["id"].(string)

	// Update: POST (table) and PATCH (sample).
	wantError(t, e.api("PATCH", "/card/v2/customer/"+cid, `{"email":"s@x.th","default_card":"card_test_nope"}`), 404, "card_invalid")
	up := e.ok("PATCH", "/card/v2/customer/"+cid, `{"email":"s@x.th","name":"somrak rakdee","default_card":"`+second+`"}`)
	if up["name"] != "somrak rakdee" || up["email"] != "s@x.th" || up["default_card"] != second {
		t.Errorf("update %v", up)
	}
	e.ok("POST", "/card/v2/customer/"+cid, `{"email":"s@x.th"}`)

	// Subsequent payment, Direct API: mode customer with the card id; 3-D Secure every time for a 3-D Secure card.
	first := card["id"].(string)
	pay := e.ok("POST", "/card/v2/charge", `{"amount":3000,"currency":"THB","description":"D","source_type":"card","mode":"customer","customer":{"customer_id":"`+cid+`","card_id":"`+first+`"},"reference_order":"`+nextRef()+`","additional_data":{"mid":"`+SandboxMID+`"}}`)
	if pay["transaction_state"] != "Pre-Authorized" || pay["source"].(map[string]any)["id"] != first {
		t.Errorf("customer mode: %v", pay)
	}
	if r := e.complete3DS(pay, sandboxOTP); r.status != 303 {
		t.Errorf("3DS: %d", r.status)
	}
	wantError(t, e.api("POST", "/card/v2/charge", `{"amount":1,"currency":"THB","description":"D","source_type":"card","mode":"customer","customer":{"customer_id":"`+cid+`","card_id":"card_test_nope"},"reference_order":"`+nextRef()+`","additional_data":{"mid":"`+SandboxMID+`"}}`), 404, "card_invalid")
	wantError(t, e.api("POST", "/card/v2/charge", `{"amount":1,"currency":"THB","description":"D","source_type":"card","mode":"customer","customer":{"customer_id":"cust_test_nope","card_id":"x"},"reference_order":"`+nextRef()+`","additional_data":{"mid":"`+SandboxMID+`"}}`), 404, "customer_invalid")
	wantError(t, e.api("POST", "/card/v2/charge", `{"amount":1,"currency":"THB","description":"D","source_type":"card","mode":"customer","reference_order":"`+nextRef()+`","additional_data":{"mid":"`+SandboxMID+`"}}`), 400, "mandatory_is_empty")

	// Embedded UI with data-customer-id: the saved cards are listed.
	page := e.page(formURL(map[string]string{"method": "card", "amount": "3000.00", "mid": SandboxMID, "customer_id": cid}))
	contains(t, page.text(), catalog["en"]["saved_title"], `data-testid="kpay-saved-`+first+`"`, `data-testid="kpay-saved-new"`, "VISA 4417 70** **** 5830")
	done := e.post(formURL(map[string]string{"method": "card", "amount": "3000.00", "mid": SandboxMID, "customer_id": cid}), url.Values{"saved": {first}, "action": {"pay"}})
	savedTok := tokenRe.FindStringSubmatch(done.text())
	if done.status != 200 || savedTok == nil {
		t.Fatalf("saved card pay: %d %s", done.status, done.body)
	}
	ch2 := e.ok("POST", "/card/v2/charge", `{"amount":3000,"currency":"THB","description":"D","source_type":"card","mode":"token","token":"`+savedTok[1]+`","customer":{"customer_id":"`+cid+`"},"reference_order":"`+nextRef()+`","additional_data":{"mid":"`+SandboxMID+`"}}`)
	if ch2["source"].(map[string]any)["id"] != first {
		t.Errorf("saved card charge: %v", ch2)
	}

	// Delete a card, then the customer.
	wantError(t, e.api("DELETE", "/card/v2/customer/"+cid+"/card/card_test_nope", ""), 404, "card_invalid")
	del := e.ok("DELETE", "/card/v2/customer/"+cid+"/card/"+second, "")
	if del["id"] != second || del["object"] != "card" || del["deleted"] != true {
		t.Errorf("delete card %v", del)
	}
	if g := e.ok("GET", "/card/v2/customer/"+cid, ""); g["default_card"] != first || len(g["cards"].([]any)) != 1 {
		t.Errorf("after delete %v", g)
	}
	dc := e.ok("DELETE", "/card/v2/customer/"+cid, "")
	if dc["id"] != cid || dc["object"] != "customer" || dc["deleted"] != true {
		t.Errorf("delete customer %v", dc)
	}
	wantError(t, e.api("GET", "/card/v2/customer/"+cid, ""), 404, "customer_invalid")
}
