package alqaseh

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/bawaba/checkout/gateway"
)

// seedWebhook is a notification with the seed's fields (spec §6), as JSON.
func seedWebhook(orderID, status string) []byte {
	b, _ := json.Marshal(map[string]any{
		"amount": 1500.0, "currency": "IQD", "terminal_id": "T0001234", "order_id": orderID,
		"trtype": "Retail", "rc": "00", "approval": "A12345", "rrn": "501012345678",
		"p_sign": "9f2c1e0d7a", "nonce": "n0nc3-42", "timestamp": "20250110100500", "payment_status": status,
	})
	return b
}

func webhookReq(body []byte, contentType string) gateway.WebhookRequest {
	return gateway.WebhookRequest{Header: http.Header{"Content-Type": {contentType}}, Query: url.Values{}, Body: body}
}

func TestWebhook(t *testing.T) {
	f := newFake(t)
	a := started(t, f, testAttempt())
	p := f.payment(a.PaymentID)
	p.Status, p.Approval, p.RRN = "declined", "", "501012345678"
	f.store(p)

	// The notification claims success; Al Qaseh's own record says declined: it wins.
	body := seedWebhook(a.ID, "Success")
	notes, err := f.gateway().Webhook(context.Background(), webhookReq(body, "application/json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(notes) != 1 {
		t.Fatalf("notes = %+v", notes)
	}
	n := notes[0]
	if n.Ref != (gateway.AttemptRef{PaymentID: "pay_0001"}) {
		t.Errorf("Ref = %+v", n.Ref)
	}
	if n.Result.Status != gateway.StatusFailed || n.Result.Reason != gateway.ReasonDeclined || n.Result.PaymentID != "pay_0001" {
		t.Errorf("Result = %+v", n.Result)
	}
	if !n.Result.Amount.Equal(a.Amount) || n.Result.Reference != "501012345678" || n.Result.AuthCode != "" {
		t.Errorf("Result ids/amount = %+v", n.Result)
	}
	wantMsg := "transaction_type=Retail webhook: payment_status=Success rc=00 p_sign=9f2c1e0d7a nonce=n0nc3-42 timestamp=20250110100500"
	if n.Result.GatewayMessage != wantMsg {
		t.Errorf("GatewayMessage = %q, want %q", n.Result.GatewayMessage, wantMsg)
	}
	var raw struct {
		Webhook json.RawMessage `json:"webhook"`
		Payment json.RawMessage `json:"payment"`
	}
	if err := json.Unmarshal(n.Result.Raw, &raw); err != nil {
		t.Fatalf("Raw = %s: %v", n.Result.Raw, err)
	}
	if string(raw.Webhook) != string(body) || string(raw.Payment) != f.payment("pay_0001").JSON() {
		t.Errorf("Raw = %s", n.Result.Raw)
	}
	calls := f.calls()[1:]
	if len(calls) != 2 || calls[0] != "GET /history" || calls[1] != "GET /pay_0001" {
		t.Errorf("calls = %v", calls)
	}
	if h, _ := f.find(http.MethodGet, "/history"); h.Query != "limit=10&offset=0&order_by=desc&order_field=created_at&order_id="+a.ID {
		t.Errorf("history query = %q", h.Query)
	}
	if f.posts() != 1 { // the create only: a webhook never changes anything at Al Qaseh
		t.Errorf("calls = %v", f.calls())
	}
}

func TestWebhookBodies(t *testing.T) {
	tests := []struct {
		name, contentType string
		body              func(orderID string) []byte
	}{
		{"json", "application/json", func(o string) []byte { return seedWebhook(o, "succeeded") }},
		{"form", "application/x-www-form-urlencoded", func(o string) []byte {
			return []byte(url.Values{"order_id": {o}, "payment_status": {"succeeded"}, "p_sign": {"ab+cd"}, "amount": {"1500"}}.Encode())
		}},
		{"json without content type", "", func(o string) []byte { return []byte(`{"order_id":"` + o + `","p_sign":"x"}`) }},
		{"json with payment_id", "application/json", func(o string) []byte {
			return []byte(`{"order_id":"` + o + `","payment_id":"pay_0001","payment_status":"Success"}`)
		}},
		{"payment_id only", "application/json", func(o string) []byte { return []byte(`{"payment_id":"pay_0001"}`) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			a := started(t, f, testAttempt())
			f.setStatus(a.PaymentID, "succeeded")
			notes, err := f.gateway().Webhook(context.Background(), webhookReq(tt.body(a.ID), tt.contentType))
			if err != nil {
				t.Fatal(err)
			}
			if len(notes) != 1 || notes[0].Ref.PaymentID != "pay_0001" || notes[0].Result.Status != gateway.StatusPaid ||
				!notes[0].Result.Amount.Equal(a.Amount) {
				t.Errorf("notes = %+v", notes)
			}
			if f.posts() != 1 {
				t.Errorf("calls = %v", f.calls())
			}
		})
	}

	t.Run("form kept as a string in Raw", func(t *testing.T) {
		f := newFake(t)
		a := started(t, f, testAttempt())
		f.setStatus(a.PaymentID, "expired")
		body := "order_id=" + a.ID + "&p_sign=ab%2Bcd&nonce=1"
		notes, err := f.gateway().Webhook(context.Background(), webhookReq([]byte(body), "application/x-www-form-urlencoded"))
		if err != nil || len(notes) != 1 || notes[0].Result.Status != gateway.StatusExpired {
			t.Fatalf("notes = %+v, err = %v", notes, err)
		}
		var raw struct{ Webhook string }
		if err := json.Unmarshal(notes[0].Result.Raw, &raw); err != nil || raw.Webhook != body {
			t.Errorf("Raw = %s", notes[0].Result.Raw)
		}
		if !strings.Contains(notes[0].Result.GatewayMessage, "p_sign=ab+cd nonce=1") {
			t.Errorf("GatewayMessage = %q", notes[0].Result.GatewayMessage)
		}
	})
}

// TestWebhookAfterRetry: the retried context keeps the prior's order_id, so one order_id has
// two payments; each is reported under its own payment id, never under the order_id.
func TestWebhookAfterRetry(t *testing.T) {
	f := newFake(t)
	prior := priorAttempt(t, f, "declined")
	a := testAttempt()
	a.Prior = &prior
	a = started(t, f, a)
	if a.PaymentID != "pay_0002" || a.State["order_id"] != prior.ID {
		t.Fatalf("retry did not happen: %+v", a)
	}
	f.setStatus("pay_0002", "succeeded")
	notes, err := f.gateway().Webhook(context.Background(), webhookReq(seedWebhook(prior.ID, "Success"), "application/json"))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]gateway.Status{}
	for _, n := range notes {
		if n.Ref.AttemptID != "" || n.Result.OurReference != "" {
			t.Errorf("note names an attempt: %+v", n)
		}
		got[n.Ref.PaymentID] = n.Result.Status
	}
	want := map[string]gateway.Status{"pay_0002": gateway.StatusPaid, "pay_0001": gateway.StatusFailed}
	if len(got) != len(want) || got["pay_0002"] != want["pay_0002"] || got["pay_0001"] != want["pay_0001"] {
		t.Errorf("notes = %v, want %v", got, want)
	}
}

func TestWebhookPendingIsNothingNew(t *testing.T) {
	for _, status := range []string{"prepared", "retried"} {
		f := newFake(t)
		a := started(t, f, testAttempt())
		f.setStatus(a.PaymentID, status)
		notes, err := f.gateway().Webhook(context.Background(), webhookReq(seedWebhook(a.ID, "Pending"), "application/json"))
		if err != nil || len(notes) != 0 {
			t.Errorf("%s: notes = %+v, err = %v", status, notes, err)
		}
	}
}

func TestWebhookHistoryShapes(t *testing.T) {
	item := func(id, orderID string) string {
		return `{"payment_id":` + id + `,"order_id":"` + orderID + `","payment_status":"succeeded"}`
	}
	tests := []struct {
		name, body string
		wantGets   []string
	}{
		{"top-level array", `[` + item(`"pay_0001"`, testAttemptID) + `]`, []string{"GET /pay_0001"}},
		{"data.items", `{"data":{"items":[` + item(`"pay_0001"`, testAttemptID) + `],"total":1}}`, []string{"GET /pay_0001"}},
		{"payments", `{"payments":[` + item(`"pay_0001"`, testAttemptID) + `]}`, []string{"GET /pay_0001"}},
		{"other order_id skipped, duplicates once", `{"data":[` + item(`"pay_0009"`, "att_other") + `,` + item(`"pay_0001"`, testAttemptID) + `,` + item(`"pay_0001"`, testAttemptID) + `]}`,
			[]string{"GET /pay_0001"}},
		{"unsafe id skipped", `{"data":[` + item(`"../x"`, testAttemptID) + `,` + item(`"pay_0001"`, testAttemptID) + `]}`, []string{"GET /pay_0001"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			a := started(t, f, testAttempt())
			f.setStatus(a.PaymentID, "succeeded")
			f.historyStatus, f.historyBody = 200, tt.body
			notes, err := f.gateway().Webhook(context.Background(), webhookReq(seedWebhook(a.ID, "Success"), "application/json"))
			if err != nil {
				t.Fatal(err)
			}
			if len(notes) != 1 || notes[0].Ref.PaymentID != "pay_0001" || notes[0].Result.Status != gateway.StatusPaid {
				t.Errorf("notes = %+v", notes)
			}
			if calls := f.calls()[2:]; !slices.Equal(calls, tt.wantGets) {
				t.Errorf("calls = %v, want %v", calls, tt.wantGets)
			}
		})
	}

	t.Run("listed payment of another order_id", func(t *testing.T) {
		f := newFake(t)
		a := started(t, f, testAttempt())
		f.setStatus(a.PaymentID, "succeeded")
		f.historyStatus, f.historyBody = 200, `{"data":[{"payment_id":"pay_0001"}]}` // no order_id in the list
		notes, err := f.gateway().Webhook(context.Background(), webhookReq(seedWebhook("att_someone_else", "Success"), "application/json"))
		if err != nil || len(notes) != 0 {
			t.Errorf("notes = %+v, err = %v", notes, err)
		}
	})
}

// TestWebhookForged: anything unusable changes nothing and makes no state-changing call.
func TestWebhookForged(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		setup   func(f *fakeAlqaseh)
		want    error
		wantMsg string
	}{
		{name: "empty", body: ``, want: gateway.ErrBadRequest},
		{name: "broken json", body: `{"order_id":`, want: gateway.ErrBadRequest},
		{name: "json array", body: `[1,2]`, want: gateway.ErrBadRequest},
		{name: "no order_id", body: `{"payment_status":"Success","p_sign":"x"}`, want: gateway.ErrBadRequest},
		{name: "order_id not ours", body: `{"order_id":"../../egw/payments/revoke"}`, want: gateway.ErrBadRequest},
		{name: "order_id too long", body: `{"order_id":"` + strings.Repeat("a", 33) + `"}`, want: gateway.ErrBadRequest},
		{name: "malformed payment_id", body: `{"order_id":"` + testAttemptID + `","payment_id":"a/b"}`, want: gateway.ErrBadRequest},
		{name: "unknown order_id", body: `{"order_id":"att_nobody","payment_status":"Success"}`, want: gateway.ErrBadRequest},
		{name: "payment of another order", body: `{"order_id":"att_nobody","payment_id":"pay_0001"}`, want: gateway.ErrBadRequest},
		{name: "unknown payment_id", body: `{"order_id":"` + testAttemptID + `","payment_id":"pay_0404"}`, want: gateway.ErrBadRequest},
		{name: "history unavailable", body: string(seedWebhook(testAttemptID, "Success")),
			setup: func(f *fakeAlqaseh) { f.historyStatus = 503 }, want: gateway.ErrUnavailable},
		{name: "history unreadable", body: string(seedWebhook(testAttemptID, "Success")),
			setup: func(f *fakeAlqaseh) { f.historyStatus, f.historyBody = 200, `{"total":1}` }, want: gateway.ErrUnavailable},
		{name: "payment unavailable", body: string(seedWebhook(testAttemptID, "Success")),
			setup: func(f *fakeAlqaseh) { f.getStatus = 500 }, want: gateway.ErrUnavailable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFake(t)
			a := started(t, f, testAttempt())
			f.setStatus(a.PaymentID, "succeeded")
			if tt.setup != nil {
				tt.setup(f)
			}
			notes, err := f.gateway().Webhook(context.Background(), webhookReq([]byte(tt.body), "application/json"))
			if !errors.Is(err, tt.want) || notes != nil {
				t.Errorf("notes = %+v, err = %v, want %v", notes, err, tt.want)
			}
			if f.posts() != 1 {
				t.Errorf("calls = %v: a webhook must make no state-changing call", f.calls())
			}
			if err != nil && strings.Contains(err.Error(), testSecret) {
				t.Errorf("the secret is in the error: %v", err)
			}
		})
	}
}

func TestWebhookBadOrderIDMakesNoCall(t *testing.T) {
	f := newFake(t)
	_, err := f.gateway().Webhook(context.Background(), webhookReq([]byte(`order_id=%2E%2E%2Fx`), "application/x-www-form-urlencoded"))
	if !errors.Is(err, gateway.ErrBadRequest) || len(f.calls()) != 0 {
		t.Errorf("err = %v, calls = %v", err, f.calls())
	}
	if _, err := f.gateway().Webhook(context.Background(), webhookReq(bytes.Repeat([]byte("%zz"), 3), "")); !errors.Is(err, gateway.ErrBadRequest) {
		t.Errorf("err = %v", err)
	}
}
