package kpay

import (
	"encoding/json"

	"github.com/bawaba/checkout/sandbox/internal/simkit"
)

// The WebHook Notify API (spec §5): KPGW POSTs JSON to the merchant's Notify
// URL and wants HTTP 200. The simulator retries anything but a 2xx after
// RetryBase, doubling up to 5 minutes, for 24 hours (the seed states no
// policy, §14.6). The body is fixed when the event happens: a retry resends
// the same bytes, with the same checksum.

// cardWebhook is §5.2 (cards, and UnionPay [GUESS], §5.1).
type cardWebhook struct {
	ID               string          `json:"id"`
	Object           string          `json:"object"`
	Amount           json.RawMessage `json:"amount"`
	Currency         string          `json:"currency"`
	TransactionState string          `json:"transaction_state"`
	Source           sourceJSON      `json:"source"`
	Created          string          `json:"created"`
	Status           string          `json:"status"`
	ReferenceOrder   string          `json:"reference_order"`
	Description      string          `json:"description"`
	RedirectURL      *string         `json:"redirect_url"`
	ApprovalCode     *string         `json:"approval_code"`
	Ref1             *string         `json:"ref_1"`
	Ref2             *string         `json:"ref_2"`
	Ref3             *string         `json:"ref_3"`
	Livemode         bool            `json:"livemode"`
	FailureCode      string          `json:"failure_code"`
	FailureMessage   string          `json:"failure_message"`
	CampaignID       *string         `json:"campaign_id"`
	Convfee          json.RawMessage `json:"convfee"`
	MPI              *mpiJSON        `json:"mpi"`
	Checksum         string          `json:"checksum"`
}

// qrWebhook is §5.3 (Thai QR and WeChat Pay); "object" is "qr" as in both seed samples.
type qrWebhook struct {
	ID               string          `json:"id"`
	OrderID          string          `json:"order_id"`
	Object           string          `json:"object"`
	Amount           json.RawMessage `json:"amount"`
	Currency         string          `json:"currency"`
	TransactionState string          `json:"transaction_state"`
	Source           sourceJSON      `json:"source"`
	Created          string          `json:"created"`
	Status           string          `json:"status"`
	ReferenceOrder   string          `json:"reference_order"`
	Description      string          `json:"description"`
	Livemode         bool            `json:"livemode"`
	FailureCode      string          `json:"failure_code"`
	FailureMessage   string          `json:"failure_message"`
	Checksum         string          `json:"checksum"`
}

// alipayWebhook is §5.4.
type alipayWebhook struct {
	ID               string          `json:"id"`
	Object           string          `json:"object"`
	Amount           json.RawMessage `json:"amount"`
	Currency         string          `json:"currency"`
	TransactionState string          `json:"transaction_state"`
	Source           sourceJSON      `json:"source"`
	Created          string          `json:"created"`
	Status           string          `json:"status"`
	ReferenceOrder   string          `json:"reference_order"`
	Description      string          `json:"description"`
	RedirectURL      *string         `json:"redirect_url"`
	Ref1             *string         `json:"ref_1"`
	Ref2             *string         `json:"ref_2"`
	Ref3             *string         `json:"ref_3"`
	Livemode         bool            `json:"livemode"`
	FailureCode      string          `json:"failure_code"`
	FailureMessage   string          `json:"failure_message"`
	Checksum         string          `json:"checksum"`
}

// webhookBody renders the notification for c's current state; the caller
// holds s.mu. failure_code is "" (never null) on success, so the Java
// sample's variant of the checksum (§6.3) agrees with the normative one.
func (s *Simulator) webhookBody(c *charge) []byte {
	sum := checksum(c.id, amount4(c.amount), c.currency, c.status, c.state, s.secretKey)
	amount := raw(jsonAmount(c.amount, c.currency))
	var v any
	switch c.kind {
	case kindQR, kindWeChat:
		v = qrWebhook{
			ID: c.id, OrderID: c.orderID, Object: "qr", Amount: amount, Currency: c.currency,
			TransactionState: c.state, Source: c.sourceJSON(), Created: kbankTime(c.created), Status: c.status,
			ReferenceOrder: c.reference, Description: c.description,
			FailureCode: c.failureCode, FailureMessage: c.failureMessage, Checksum: sum,
		}
	case kindAlipay:
		v = alipayWebhook{
			ID: c.id, Object: "charge", Amount: amount, Currency: c.currency, TransactionState: c.state,
			Source: c.sourceJSON(), Created: kbankTime(c.created), Status: c.status, ReferenceOrder: c.reference,
			Description: c.description, RedirectURL: nz(c.redirectURL), Ref1: nz(c.ref1), Ref2: nz(c.ref2), Ref3: nz(c.ref3),
			FailureCode: c.failureCode, FailureMessage: c.failureMessage, Checksum: sum,
		}
	default:
		w := cardWebhook{
			ID: c.id, Object: "charge", Amount: amount, Currency: c.currency, TransactionState: c.state,
			Source: c.sourceJSON(), Created: kbankTime(c.created), Status: c.status, ReferenceOrder: c.reference,
			Description: c.description, RedirectURL: nz(c.redirectURL), ApprovalCode: nz(c.approval),
			Ref1: nz(c.ref1), Ref2: nz(c.ref2), Ref3: nz(c.ref3),
			FailureCode: c.failureCode, FailureMessage: c.failureMessage, CampaignID: nz(c.campaignID),
			Convfee: jsonNull, Checksum: sum,
		}
		if c.mpi != nil {
			w.MPI = &mpiJSON{ECI: c.mpi.eci, XID: c.mpi.xid, CAVV: c.mpi.cavv, KBankMPI: true}
		}
		v = w
	}
	b, _ := json.Marshal(v)
	return b
}

// notification is one webhook waiting to be delivered.
type notification struct {
	chargeID string
	body     []byte
}

// notify captures c's webhook now (the caller holds s.mu) and returns it for
// send; nil when no Notify URL is configured.
func (s *Simulator) notify(c *charge) *notification {
	if s.notifyURL == "" {
		return nil
	}
	return &notification{chargeID: c.id, body: s.webhookBody(c)}
}

// send delivers n in the background, retrying until a 2xx, Close or 24h.
// The caller must not hold s.mu. A nil n does nothing.
func (s *Simulator) send(n *notification) {
	if n == nil {
		return
	}
	s.bg.Retry(s.sched, func(attempt int) bool { return s.deliver(n, attempt) }, func(attempts int) {
		s.log.Warn("kpay sandbox: webhook given up after 24h", "charge", n.chargeID, "attempts", attempts)
	})
}

// deliver makes one attempt and reports whether the merchant answered 2xx.
func (s *Simulator) deliver(n *notification, attempt int) bool {
	return simkit.Deliver(s.bg.Context(), s.client, s.log, "kpay sandbox", s.notifyURL, n.body, nil, "charge", n.chargeID, "attempt", attempt)
}
