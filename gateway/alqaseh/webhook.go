package alqaseh

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/gateway/internal/wire"
)

// maxHistory bounds how many payments of one order_id a webhook makes us read.
const maxHistory = 10

// webhookFields are the notification's fields kept in Result.GatewayMessage (spec §6), in
// this order. p_sign cannot be verified (its formula is not public): it is kept, not trusted.
var webhookFields = []string{"payment_status", "rc", "p_sign", "nonce", "timestamp"}

// Webhook treats Al Qaseh's notification as a trigger only (its p_sign cannot be verified):
// it reads order_id (and payment_id, should Al Qaseh send one), then reads the payments from
// Al Qaseh itself and reports what Al Qaseh says. Notifications are keyed by payment id.
func (g *Gateway) Webhook(ctx context.Context, req gateway.WebhookRequest) ([]gateway.Notification, error) {
	fields, err := parseWebhook(req.Body)
	if err != nil {
		return nil, fmt.Errorf("alqaseh: webhook: %w: %v", gateway.ErrBadRequest, err)
	}
	orderID, paymentID := fields["order_id"], fields["payment_id"]
	if orderID == "" && paymentID == "" {
		return nil, fmt.Errorf("alqaseh: webhook: %w: no order_id", gateway.ErrBadRequest)
	}
	if orderID != "" && !orderIDPattern.MatchString(orderID) {
		return nil, fmt.Errorf("alqaseh: webhook: %w: order_id is not one of ours", gateway.ErrBadRequest)
	}
	if paymentID != "" && !idPattern.MatchString(paymentID) {
		return nil, fmt.Errorf("alqaseh: webhook: %w: malformed payment_id", gateway.ErrBadRequest)
	}

	ids := []string{paymentID}
	if paymentID == "" {
		if ids, err = g.history(ctx, orderID); err != nil {
			return nil, err
		}
		if len(ids) == 0 {
			return nil, fmt.Errorf("alqaseh: webhook: %w: Al Qaseh knows no payment with this order_id", gateway.ErrBadRequest)
		}
	}

	note := g.webhookNote(fields)
	var notes []gateway.Notification
	for _, id := range ids {
		p, raw, err := g.fetch(ctx, "retrieve payment", id)
		var e *Error
		if errors.As(err, &e) && e.HTTPStatus == http.StatusNotFound {
			return nil, fmt.Errorf("alqaseh: webhook: %w: Al Qaseh knows no payment %s", gateway.ErrBadRequest, id)
		}
		if err != nil {
			return nil, err
		}
		if orderID != "" && string(p.OrderID) != orderID {
			if paymentID != "" {
				return nil, fmt.Errorf("alqaseh: webhook: %w: the payment belongs to another order_id", gateway.ErrBadRequest)
			}
			continue // listed by the history but not this order's: not ours to report
		}
		res := g.result(raw, p)
		if res.Status == gateway.StatusPending {
			continue // nothing new: the attempt is pending already
		}
		res.Raw = g.webhookRaw(req.Body, raw)
		res.GatewayMessage = strings.TrimSpace(res.GatewayMessage + " " + note)
		notes = append(notes, gateway.Notification{
			Ref:    gateway.AttemptRef{PaymentID: res.PaymentID},
			Result: res,
		})
	}
	return notes, nil
}

// parseWebhook reads the notification's fields from a JSON object or, failing that, a form.
// Values are kept as sent (numbers verbatim); for a form, the first value of each field.
func parseWebhook(body []byte) (map[string]string, error) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 {
		return nil, fmt.Errorf("empty body")
	}
	out := map[string]string{}
	if body[0] == '{' {
		var m map[string]wire.FlexString
		if err := json.Unmarshal(body, &m); err != nil {
			return nil, fmt.Errorf("body is not a JSON object")
		}
		for k, v := range m {
			out[k] = string(v)
		}
		return out, nil
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return nil, fmt.Errorf("body is neither JSON nor a form")
	}
	for k, v := range form {
		if len(v) > 0 {
			out[k] = strings.TrimSpace(v[0])
		}
	}
	return out, nil
}

// webhookNote is the notification's own words for the timeline: its status, rc, p_sign,
// nonce and timestamp as received.
func (g *Gateway) webhookNote(fields map[string]string) string {
	var parts []string
	for _, k := range webhookFields {
		if v := fields[k]; v != "" {
			parts = append(parts, k+"="+wire.Clip(g.words(v), 256))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "webhook: " + strings.Join(parts, " ")
}

// webhookRaw keeps both payloads: {"webhook": <the notification as received>, "payment":
// <the payment read back>}. A notification that is not JSON is kept as a JSON string.
func (g *Gateway) webhookRaw(body, payment []byte) []byte {
	wrap := func(b []byte) json.RawMessage {
		b = bytes.TrimSpace(b)
		if json.Valid(b) && len(b) > 0 {
			return json.RawMessage(b)
		}
		s, _ := json.Marshal(string(b))
		return json.RawMessage(s)
	}
	out, err := json.Marshal(struct {
		Webhook json.RawMessage `json:"webhook"`
		Payment json.RawMessage `json:"payment"`
	}{wrap(body), wrap(payment)})
	if err != nil {
		return g.redactBytes(payment)
	}
	return g.redactBytes(out)
}

// history lists the payment ids Al Qaseh holds for order_id (GET /egw/payments/history,
// spec §2), newest first, at most maxHistory.
func (g *Gateway) history(ctx context.Context, orderID string) ([]string, error) {
	const op = "payment history"
	q := url.Values{
		"order_id":    {orderID},
		"limit":       {fmt.Sprint(maxHistory)},
		"offset":      {"0"},
		"order_by":    {"desc"},
		"order_field": {"created_at"},
	}
	raw, err := g.call(ctx, op, http.MethodGet, "/egw/payments/history?"+q.Encode(), nil)
	if err != nil {
		return nil, err
	}
	var doc any
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if err := d.Decode(&doc); err != nil {
		return nil, unavailable(op, "unreadable history")
	}
	list, ok := findList(doc, 2)
	if !ok {
		return nil, unavailable(op, "unreadable history: no list of payments")
	}
	var ids []string
	seen := map[string]bool{}
	for _, item := range list {
		m, ok := item.(map[string]any)
		if !ok {
			continue
		}
		id := scalar(m["payment_id"])
		if oid := scalar(m["order_id"]); oid != "" && oid != orderID {
			continue
		}
		if !idPattern.MatchString(id) || seen[id] {
			continue
		}
		seen[id] = true
		ids = append(ids, id)
		if len(ids) == maxHistory {
			break
		}
	}
	return ids, nil
}

// listKeys are the envelope keys under which a list of payments is looked for (the history
// answer's shape is not in the public material).
var listKeys = []string{"data", "payments", "items", "results", "records", "history", "rows", "content"}

// findList returns the list of payments in a history answer: the answer itself when it is an
// array, or the first array under listKeys, looking depth objects deep.
func findList(v any, depth int) ([]any, bool) {
	switch t := v.(type) {
	case []any:
		return t, true
	case map[string]any:
		if depth == 0 {
			return nil, false
		}
		for _, k := range listKeys {
			if sub, ok := t[k]; ok {
				if l, ok := findList(sub, depth-1); ok {
					return l, true
				}
			}
		}
	}
	return nil, false
}

// scalar returns a JSON string or number as a string, "" otherwise.
func scalar(v any) string {
	switch t := v.(type) {
	case string:
		return strings.TrimSpace(t)
	case json.Number:
		return t.String()
	}
	return ""
}
