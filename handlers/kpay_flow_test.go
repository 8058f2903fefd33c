package handlers_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/bawaba/checkout/api"
	kpaysim "github.com/bawaba/checkout/sandbox/kpay"
)

// createTHBOrder creates a 590.00 THB order (K-Pay's currency) through the API.
func (e *env) createTHBOrder(ref string) api.OrderView {
	e.t.Helper()
	res := e.api("POST", "/api/v1/orders", `{"amount":"590.00","currency":"THB","reference":"`+ref+`",`+
		`"description":"Thai silk scarf","return_url":"https://shop.example/return"}`, nil)
	if res.StatusCode != http.StatusCreated {
		e.t.Fatalf("create order: %d %s", res.StatusCode, res.body)
	}
	var v api.OrderView
	if err := json.Unmarshal(res.body, &v); err != nil {
		e.t.Fatal(err)
	}
	return v
}

// kpayToken is what the K-Pay button posts for a non-3-D Secure test card: the simulator makes
// the token, as its card form would.
func (e *env) kpayToken() url.Values {
	e.t.Helper()
	body, _ := json.Marshal(map[string]string{"name": "Test Shopper", "number": "4024007134786226", "expiration_month": "12",
		"expiration_year": "2030", "security_code": "123", "mid": kpaysim.SandboxMID})
	req, _ := http.NewRequest(http.MethodPost, e.base+"/sandbox/kpay/ui/v2/tokens", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("x-api-key", kpaysim.SandboxPublicKey)
	res, err := (&http.Client{Transport: e.transport()}).Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	var tok struct{ ID string }
	if err := json.NewDecoder(res.Body).Decode(&tok); err != nil || tok.ID == "" {
		e.t.Fatalf("token: %d %v", res.StatusCode, err)
	}
	return url.Values{"token": {tok.ID}, "mid": {kpaysim.SandboxMID}, "paymentMethods": {"card"}}
}

// A K-Pay card goes the one embed path: confirm shows our Pay button, Pay starts the attempt
// (no call to K-Pay) and sends the shopper to the attempt page with the K-Pay button, whose
// token post comes back to that page's URL, past the CSRF check, and is charged once.
func TestKPayCardThroughTheAttemptPage(t *testing.T) {
	e := newEnv(t, withKPay())
	o := e.createTHBOrder("kpay-card-1")
	b := e.browser()

	conf := e.get(b, "/pay/"+o.ID+"/confirm?method=card&lang=en")
	expectStatus(t, conf, http.StatusOK)
	if !strings.Contains(conf.text(), `data-testid="pay"`) || strings.Contains(conf.text(), "kpayment.min.js") {
		t.Fatalf("confirm page: want our Pay button and no K-Pay script; got %s", clip(conf.body))
	}
	csrf := inputValue(t, conf.body, "csrf")
	page := expectRedirect(t, e.postForm(b, "/pay/"+o.ID+"/confirm", url.Values{"csrf": {csrf}, "method": {"card"}}))
	v := e.getOrder(o.ID)
	if len(v.Attempts) != 1 || v.Attempts[0].PaymentID != "" || v.Status != "processing" {
		t.Fatalf("after Pay: %s with attempts %+v; want processing, one attempt, nothing charged", v.Status, v.Attempts)
	}
	att := v.Attempts[0].ID
	path := "/pay/" + o.ID + "/attempt/" + att
	if page != e.base+path {
		t.Fatalf("Pay went to %s, want the attempt page %s", page, path)
	}
	shown := e.get(b, path)
	expectStatus(t, shown, http.StatusOK)
	for _, want := range []string{`action="` + path + `"`, `/sandbox/kpay/ui/v2/kpayment.min.js`, `data-payment-methods="card"`,
		`data-testid="back"`, `<noscript>`} {
		if !strings.Contains(shown.text(), want) {
			t.Errorf("attempt page lacks %q", want)
		}
	}
	if inputValue(t, shown.body, "csrf") != csrf {
		t.Errorf("the attempt page's form carries no session CSRF token")
	}
	token := e.kpayToken()

	// The CSRF middleware comes first: without the token nothing is read, nothing charged.
	expectStatus(t, e.postForm(b, path, token), http.StatusForbidden)
	// A post without the card token: the friendly 400 page, and the attempt as it was.
	bad := e.postForm(b, path, url.Values{"csrf": {csrf}, "mid": {kpaysim.SandboxMID}})
	expectStatus(t, bad, http.StatusBadRequest)
	if v := e.getOrder(o.ID); v.Attempts[0].Status != "pending" || v.Attempts[0].PaymentID != "" {
		t.Fatalf("after a post without a token: %+v", v.Attempts[0])
	}
	expectStatus(t, e.get(b, path), http.StatusOK) // the button is still there

	token.Set("csrf", csrf)
	if to := expectRedirect(t, e.postForm(b, path, token)); to != e.base+"/pay/"+o.ID+"/result" {
		t.Errorf("token post went to %s, want the result page", to)
	}
	paid := e.getOrder(o.ID)
	if paid.Status != "paid" || len(paid.Attempts) != 1 || paid.Attempts[0].PaymentID == "" {
		t.Fatalf("after the token post: %s %+v; want paid by one charge", paid.Status, paid.Attempts)
	}
	// A double submit, and a reload of the attempt page: the result page, nothing more charged.
	if to := expectRedirect(t, e.postForm(b, path, token)); to != e.base+"/pay/"+o.ID+"/result" {
		t.Errorf("second token post went to %s, want the result page", to)
	}
	if to := expectRedirect(t, e.get(b, path)); to != e.base+"/pay/"+o.ID+"/result" {
		t.Errorf("reloading the attempt page went to %s, want the result page", to)
	}
	if again := e.getOrder(o.ID); len(again.Attempts) != 1 || again.Attempts[0].PaymentID != paid.Attempts[0].PaymentID {
		t.Errorf("after a double submit: %+v", again.Attempts)
	}
	// Another order's attempt is not found under this order.
	expectStatus(t, e.postForm(b, "/pay/"+e.createTHBOrder("kpay-card-2").ID+"/attempt/"+att, token), http.StatusNotFound)
	// Nor under an order that does not exist.
	expectStatus(t, e.postForm(b, "/pay/ord_doesnotexist/attempt/"+att, token), http.StatusNotFound)
}

// The QR button takes the same path: its chargeId post comes back to the attempt page's URL
// and is only a trigger — posted before anything is paid, it pays nothing and sends the
// shopper to the result page, which follows the attempt.
func TestKPayQRPostIsOnlyATrigger(t *testing.T) {
	e := newEnv(t, withKPay())
	o := e.createTHBOrder("kpay-qr-1")
	b := e.browser()
	csrf := inputValue(t, e.get(b, "/pay/"+o.ID+"/confirm?method=thaiqr&lang=ar").body, "csrf")
	page := expectRedirect(t, e.postForm(b, "/pay/"+o.ID+"/confirm", url.Values{"csrf": {csrf}, "method": {"thaiqr"}}))
	v := e.getOrder(o.ID)
	path := "/pay/" + o.ID + "/attempt/" + v.Attempts[0].ID
	if page != e.base+path || !strings.HasPrefix(v.Attempts[0].PaymentID, "order_") {
		t.Fatalf("Pay went to %s with attempt %+v; want the attempt page of a K-Pay order", page, v.Attempts[0])
	}
	shown := e.get(b, path)
	expectStatus(t, shown, http.StatusOK)
	for _, want := range []string{`action="` + path + `"`, `data-payment-methods="qr"`, `data-testid="check-status"`, `dir="rtl"`} {
		if !strings.Contains(shown.text(), want) {
			t.Errorf("QR attempt page lacks %q", want)
		}
	}
	forged := url.Values{"csrf": {csrf}, "chargeId": {"chrg_test_forged"}}
	if to := expectRedirect(t, e.postForm(b, path, forged)); to != e.base+"/pay/"+o.ID+"/result" {
		t.Errorf("chargeId post went to %s, want the result page", to)
	}
	if v := e.getOrder(o.ID); v.Status != "processing" || v.Attempts[0].Status != "pending" {
		t.Errorf("after a forged chargeId: %s %+v; want nothing paid", v.Status, v.Attempts[0])
	}
	expectStatus(t, e.get(b, path), http.StatusOK) // the QR is still there to pay
}
