package adyen

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/gateway/internal/wire"
)

// notificationItem is one NotificationRequestItem of a Standard webhook (spec §6).
type notificationItem struct {
	AdditionalData      map[string]wire.FlexString `json:"additionalData"`
	Amount              *respAmount                `json:"amount"`
	EventCode           string                     `json:"eventCode"`
	EventDate           string                     `json:"eventDate"`
	MerchantAccountCode string                     `json:"merchantAccountCode"`
	MerchantReference   string                     `json:"merchantReference"`
	OriginalReference   string                     `json:"originalReference"`
	PaymentMethod       string                     `json:"paymentMethod"`
	PSPReference        string                     `json:"pspReference"`
	Reason              string                     `json:"reason"`
	Success             wire.FlexString            `json:"success"`

	raw json.RawMessage // the item's bytes as received
}

// webhookBody is the Standard webhook envelope (spec §6).
type webhookBody struct {
	Live              wire.FlexString `json:"live"`
	NotificationItems []struct {
		Item json.RawMessage `json:"NotificationRequestItem"`
	} `json:"notificationItems"`
}

// decodeWebhook reads the envelope and every item, keeping numbers exact.
func decodeWebhook(body []byte) (string, []notificationItem, error) {
	var env webhookBody
	if err := wire.DecodeObject(body, &env); err != nil {
		return "", nil, err
	}
	if len(env.NotificationItems) == 0 {
		return "", nil, errors.New("no notificationItems")
	}
	items := make([]notificationItem, 0, len(env.NotificationItems))
	for i, w := range env.NotificationItems {
		var it notificationItem
		if err := wire.DecodeObject(w.Item, &it); err != nil {
			return "", nil, fmt.Errorf("item %d: %v", i, err)
		}
		it.raw = append(json.RawMessage(nil), bytes.TrimSpace(w.Item)...)
		items = append(items, it)
	}
	return string(env.Live), items, nil
}

// signedData returns the strings an item's hmacSignature may have been computed over (spec §7):
// pspReference:originalReference:merchantAccountCode:merchantReference:value:currency:eventCode:success,
// with the amount's value as its JSON literal, unescaped and unsorted. An item without an
// amount is signed with empty value and currency by Adyen's Java library and with value "0"
// by its Go library: both are accepted.
func (it *notificationItem) signedData() []string {
	join := func(value, currency string) string {
		return strings.Join([]string{it.PSPReference, it.OriginalReference, it.MerchantAccountCode,
			it.MerchantReference, value, currency, it.EventCode, string(it.Success)}, ":")
	}
	if it.Amount == nil {
		return []string{join("", ""), join("0", "")}
	}
	return []string{join(it.Amount.Value.String(), it.Amount.Currency)}
}

// calculateHMAC is base64(HMAC-SHA256(hex_decode(hexKey), data)) (spec §7).
func calculateHMAC(data, hexKey string) (string, error) {
	key, err := hex.DecodeString(hexKey)
	if err != nil || len(key) == 0 {
		return "", errors.New("the HMAC key is not hex")
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return base64.StdEncoding.EncodeToString(m.Sum(nil)), nil
}

// verifyItem reports whether the item's additionalData.hmacSignature is the HMAC of its
// fields under the key. Comparisons are constant-time.
func verifyItem(it *notificationItem, hexKey string) bool {
	sig := []byte(it.AdditionalData["hmacSignature"])
	if len(sig) == 0 {
		return false
	}
	ok := false
	for _, data := range it.signedData() {
		want, err := calculateHMAC(data, hexKey)
		if err != nil {
			return false
		}
		if hmac.Equal([]byte(want), sig) {
			ok = true
		}
	}
	return ok
}

// Webhook verifies every item of a Standard webhook batch, then reads the ones about our
// payments. One item that fails verification refuses the whole batch (gateway.ErrSignature):
// nothing of it is applied. Items for another merchant account and events other than
// AUTHORISATION, OFFER_CLOSED, CANCELLATION, REFUND and REFUND_FAILED give no notification.
func (g *Gateway) Webhook(_ context.Context, req gateway.WebhookRequest) ([]gateway.Notification, error) {
	live, items, err := decodeWebhook(req.Body)
	if err != nil {
		return nil, fmt.Errorf("adyen: webhook: %w: %s", gateway.ErrBadRequest, clip(err.Error()))
	}
	if _, err := hex.DecodeString(g.hmacKey); err != nil || g.hmacKey == "" {
		return nil, fmt.Errorf("adyen: webhook: %w: no valid HMAC key configured", gateway.ErrSignature)
	}
	for i := range items {
		if !verifyItem(&items[i], g.hmacKey) {
			return nil, fmt.Errorf("adyen: webhook: %w: item %d (pspReference %q)", gateway.ErrSignature, i, clip(items[i].PSPReference))
		}
	}
	switch l := strings.ToLower(live); {
	case l == "":
	case l != "true" && l != "false", (l == "true") != g.live:
		return nil, fmt.Errorf("adyen: webhook: %w: live %q, expected %t", gateway.ErrBadRequest, clip(live), g.live)
	}
	var notes []gateway.Notification
	for i := range items {
		it := &items[i]
		if g.merchant != "" && it.MerchantAccountCode != g.merchant {
			continue
		}
		if n, ok := itemNotification(it); ok {
			notes = append(notes, n)
		}
	}
	return notes, nil
}

// itemNotification maps one verified item (spec §6, seed webhook table) to a notification;
// false when the event is not one we act on.
func itemNotification(it *notificationItem) (gateway.Notification, bool) {
	success := strings.EqualFold(string(it.Success), "true")
	r := gateway.Result{
		PaymentID:      it.PSPReference,
		OurReference:   it.MerchantReference,
		GatewayCode:    it.EventCode + " success=" + string(it.Success),
		GatewayMessage: it.Reason,
		AuthCode:       string(it.AdditionalData["authCode"]),
		Raw:            append([]byte(nil), it.raw...),
	}
	if amt, ok := it.Amount.money(); ok {
		r.Amount = amt
	}
	if t, err := time.Parse(time.RFC3339, it.EventDate); err == nil {
		r.At = t
	}
	switch it.EventCode {
	case "AUTHORISATION":
		if success {
			r.Status = gateway.StatusPaid
		} else {
			r.Status, r.Reason = gateway.StatusFailed, refusalReason(it.Reason)
			if r.Reason == gateway.ReasonCancelled {
				// "Shopper Cancelled": the same outcome as the Cancelled resultCode, so the
				// webhook and the browser's return agree whichever arrives first.
				r.Status = gateway.StatusCancelled
			}
		}
	case "OFFER_CLOSED":
		if !success {
			return gateway.Notification{}, false
		}
		r.Status = gateway.StatusExpired
	case "CANCELLATION":
		if !success {
			return gateway.Notification{}, false
		}
		r.Status = gateway.StatusVoided
		modification(it, &r)
	case "REFUND", "REFUND_FAILED":
		// REFUND success "true": made; "false": refused, no money moved. REFUND_FAILED: a
		// refund Adyen had accepted failed at the bank afterwards, whatever success says.
		r.Status = gateway.StatusRefunded
		if !success || it.EventCode == "REFUND_FAILED" {
			r.Status, r.Reason = gateway.StatusFailed, gateway.ReasonGatewayError
		}
		modification(it, &r)
		return gateway.Notification{
			Ref:    gateway.AttemptRef{AttemptID: it.MerchantReference, PaymentID: r.PaymentID},
			Result: r,
			Refund: &gateway.RefundNote{RefundID: it.MerchantReference, GatewayRef: it.PSPReference},
		}, true
	default:
		return gateway.Notification{}, false
	}
	return gateway.Notification{
		Ref:    gateway.AttemptRef{AttemptID: it.MerchantReference, PaymentID: r.PaymentID},
		Result: r,
	}, true
}

// modification reads a modification's item: its own pspReference is the transaction, the
// payment is the originalReference, and its merchantReference is the modification's (our
// refund id for our refunds), not the attempt's.
func modification(it *notificationItem, r *gateway.Result) {
	r.TransactionID = it.PSPReference
	if it.OriginalReference != "" {
		r.PaymentID = it.OriginalReference
	}
	r.OurReference = ""
}

// Acknowledge answers Adyen: 200 "[accepted]" when the batch was applied or can never be
// (malformed, another environment); 401 when a signature did not verify, so that Adyen keeps
// retrying until the HMAC key is fixed; 503 on any other failure (our store), so that Adyen
// retries and nothing is lost.
func (g *Gateway) Acknowledge(_ []gateway.Notification, err error, _ func(string) string) gateway.Reply {
	switch {
	case err == nil || errors.Is(err, gateway.ErrBadRequest):
		return gateway.Reply{Status: http.StatusOK, ContentType: "text/plain; charset=utf-8", Body: []byte("[accepted]")}
	case errors.Is(err, gateway.ErrSignature):
		return gateway.Reply{Status: http.StatusUnauthorized, ContentType: "text/plain; charset=utf-8", Body: []byte("signature does not verify")}
	default:
		return gateway.Reply{Status: http.StatusServiceUnavailable, ContentType: "text/plain; charset=utf-8", Body: []byte("try again")}
	}
}
