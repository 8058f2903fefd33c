package alqaseh

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/bawaba/checkout/sandbox/internal/simkit"
)

// webhookBody is the notification POSTed to webhook_url (seed "Webhook
// Notification Details"), in the seed's field order.
type webhookBody struct {
	Amount        json.Number `json:"amount"`
	Currency      string      `json:"currency"`
	TerminalID    string      `json:"terminal_id"`
	OrderID       string      `json:"order_id"`
	TrType        string      `json:"trtype"`
	RC            string      `json:"rc"`
	Approval      string      `json:"approval"`
	RRN           string      `json:"rrn"`
	PSign         string      `json:"p_sign"`
	Nonce         string      `json:"nonce"`
	Timestamp     string      `json:"timestamp"`
	PaymentStatus string      `json:"payment_status"`
}

// way4Time is the timestamp format of the Way4 gateway vocabulary the
// webhook uses: UTC, YYYYMMDDHHMMSS.
const way4Time = "20060102150405"

// pSign is the simulator's PROVISIONAL p_sign: Al Qaseh's formula is not
// public (spec §6). Way4 style: for each field in the order below, its
// length in bytes and the value, or "-" when empty; then HMAC-SHA256 keyed
// with the client secret, upper-case hex. Merchants must not rely on it.
func pSign(secret string, b webhookBody) string {
	var msg bytes.Buffer
	for _, v := range [...]string{
		string(b.Amount), b.Currency, b.TerminalID, b.OrderID, b.TrType,
		b.RC, b.Approval, b.RRN, b.Nonce, b.Timestamp, b.PaymentStatus,
	} {
		if v == "" {
			msg.WriteString("-")
			continue
		}
		msg.WriteString(strconv.Itoa(len(v)))
		msg.WriteString(v)
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(msg.Bytes())
	return hexUpper(mac.Sum(nil))
}

func hexUpper(b []byte) string {
	return string(bytes.ToUpper([]byte(hex.EncodeToString(b))))
}

// notification is one webhook to deliver; its body is fixed, retries resend it.
type notification struct {
	paymentID, orderID, url string
	body                    []byte
}

// notification builds the webhook of a context that just left prepared or
// retried; nil when it has no webhook_url. The caller holds s.mu.
func (s *Simulator) notification(p *payment, now time.Time) *notification {
	if p.webhookURL == "" {
		return nil
	}
	b := webhookBody{
		Amount:        jsonAmount(p.amount, p.decimals),
		Currency:      p.currency,
		TerminalID:    TerminalID,
		OrderID:       p.orderID,
		TrType:        p.transactionType,
		RC:            p.rc,
		Approval:      p.approval,
		RRN:           p.rrn,
		Nonce:         randomHex(16),
		Timestamp:     now.UTC().Format(way4Time),
		PaymentStatus: p.status,
	}
	b.PSign = pSign(s.secret, b)
	body, _ := json.Marshal(b) // only plain data
	return &notification{paymentID: p.id, orderID: p.orderID, url: p.webhookURL, body: body}
}

// send delivers n in the background: a first attempt at once, then retries
// after RetryBase, doubling up to 5 minutes, until a 2xx, Close, or 24h after
// the first attempt. Call it without holding s.mu.
func (s *Simulator) send(n *notification) {
	if n == nil {
		return
	}
	s.bg.Retry(s.sched, func(attempt int) bool { return s.deliver(n, attempt) }, func(attempts int) {
		s.log.Warn("alqaseh sandbox: webhook given up after 24h", "payment_id", n.paymentID, "attempts", attempts)
	})
}

// deliver makes one webhook attempt and reports whether it got a 2xx.
func (s *Simulator) deliver(n *notification, attempt int) bool {
	return simkit.Deliver(s.bg.Context(), s.client, s.log, "alqaseh sandbox", n.url, n.body, http.Header{"Accept": {"application/json"}}, "payment_id", n.paymentID, "order_id", n.orderID, "attempt", attempt)
}
