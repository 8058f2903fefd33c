package adyen

import (
	"cmp"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/bawaba/checkout/sandbox/internal/simkit"
)

// Standard webhook event codes (spec §6).
const (
	eventAuthorisation = "AUTHORISATION"
	eventOfferClosed   = "OFFER_CLOSED"
	eventCancellation  = "CANCELLATION"
	eventRefund        = "REFUND"
	eventRefundFailed  = "REFUND_FAILED"
)

// amountJSON is Adyen's amount object: currency and integer minor units.
type amountJSON struct {
	Currency string `json:"currency"`
	Value    int64  `json:"value"`
}

// notificationItem is a NotificationRequestItem (spec §6), fields in the
// order of Adyen's samples.
type notificationItem struct {
	AdditionalData      map[string]string `json:"additionalData"`
	Amount              *amountJSON       `json:"amount,omitempty"`
	EventCode           string            `json:"eventCode"`
	EventDate           string            `json:"eventDate"`
	MerchantAccountCode string            `json:"merchantAccountCode"`
	MerchantReference   string            `json:"merchantReference"`
	OriginalReference   string            `json:"originalReference"`
	Operations          []string          `json:"operations,omitempty"`
	PaymentMethod       string            `json:"paymentMethod"`
	PspReference        string            `json:"pspReference"`
	Reason              string            `json:"reason,omitempty"`
	Success             string            `json:"success"`
}

type notificationBatch struct {
	Live              string              `json:"live"`
	NotificationItems []notificationEntry `json:"notificationItems"`
}

type notificationEntry struct {
	Item notificationItem `json:"NotificationRequestItem"`
}

// event is one webhook: a batch holding one signed notification item.
type event struct {
	item      notificationItem
	body      []byte
	attempts  int  // delivery attempts made so far
	delivered bool // answered 2xx with "[accepted]"
	gaveUp    bool // no acceptance within 24h of the first attempt
}

// eventDateLayout is Adyen's eventDate: seconds and a numeric offset
// ("2019-11-20T14:35:36+01:00").
const eventDateLayout = "2006-01-02T15:04:05-07:00"

// newEventLocked builds, signs and records a webhook; the caller holds s.mu
// and sends it with sendAll after unlocking.
func (s *Simulator) newEventLocked(it notificationItem) *event {
	it.MerchantAccountCode = s.merchant
	it.PaymentMethod = "knet"
	it.EventDate = s.now().Format(eventDateLayout)
	s.sign(&it)
	body, err := json.Marshal(notificationBatch{
		Live:              "false",
		NotificationItems: []notificationEntry{{it}},
	})
	if err != nil { // cannot happen: only strings and integers
		panic("adyen sandbox: marshal webhook: " + err.Error())
	}
	ev := &event{item: it, body: body}
	s.events = append(s.events, ev)
	return ev
}

// paymentEventLocked is the AUTHORISATION or OFFER_CLOSED webhook of p's
// current (final) state.
func (s *Simulator) paymentEventLocked(p *payment) *event {
	it := notificationItem{
		Amount:            &amountJSON{p.currency, p.value},
		MerchantReference: p.reference,
		PspReference:      p.psp,
	}
	switch p.state {
	case stateAuthorised:
		it.EventCode, it.Success = eventAuthorisation, "true"
		it.Operations = []string{"CANCEL", "REFUND"}
	case stateExpired:
		it.EventCode, it.Success = eventOfferClosed, "true"
	default: // refused, error, cancelled
		it.EventCode, it.Success = eventAuthorisation, "false"
		it.Reason = p.refusal
	}
	return s.newEventLocked(it)
}

// sendAll delivers events in the background. It must not be called with
// s.mu held.
func (s *Simulator) sendAll(evs []*event) {
	for _, ev := range evs {
		if ev == nil {
			continue
		}
		if s.webhookURL == "" {
			s.log.Debug("adyen sandbox: no WebhookURL, webhook not sent",
				"eventCode", ev.item.EventCode, "pspReference", ev.item.PspReference)
			continue
		}
		s.bg.Spawn(func() { s.deliverLoop(ev) })
	}
}

// deliverLoop waits WebhookDelay, then delivers until accepted: retries after
// RetryBase, doubling up to 5 minutes, for 24h after the first attempt.
func (s *Simulator) deliverLoop(ev *event) {
	if !s.sleep(s.webhookDelay) {
		return
	}
	s.sched.Retry(s.bg.Context(), func(int) bool { return s.deliver(ev) }, func(int) {
		s.mu.Lock()
		ev.gaveUp = true
		s.mu.Unlock()
		s.log.Warn("adyen sandbox: webhook given up after 24h",
			"eventCode", ev.item.EventCode, "pspReference", ev.item.PspReference)
	})
}

// deliver makes one attempt. Adyen counts a delivery as accepted when the
// merchant answers 2xx with the body "[accepted]" (spec §6).
func (s *Simulator) deliver(ev *event) bool {
	s.mu.Lock()
	ev.attempts++
	attempt := ev.attempts
	s.mu.Unlock()
	logArgs := []any{"eventCode", ev.item.EventCode, "success", ev.item.Success,
		"pspReference", ev.item.PspReference, "attempt", attempt}

	status, body, err := simkit.PostJSON(s.bg.Context(), s.client, s.webhookURL, ev.body, http.Header{"User-Agent": {"Adyen HttpClient 1.0"}})
	if err != nil {
		s.log.Warn("adyen sandbox: webhook failed", append(logArgs, "err", err)...)
		return false
	}
	if !simkit.OK(status) {
		s.log.Warn("adyen sandbox: webhook refused", append(logArgs, "status", status)...)
		return false
	}
	if strings.TrimSpace(string(body)) != "[accepted]" {
		s.log.Warn("adyen sandbox: webhook answered without [accepted]", append(logArgs, "status", status)...)
		return false
	}
	s.mu.Lock()
	ev.delivered = true
	s.mu.Unlock()
	s.log.Info("adyen sandbox: webhook accepted", append(logArgs, "status", status)...)
	return true
}

// settleLater ends a pending payment after PendingDelay with its final
// AUTHORISATION webhook (the browser already got "Pending").
func (s *Simulator) settleLater(psp string) {
	s.bg.Spawn(func() {
		if !s.sleep(s.pendingDelay) {
			return
		}
		s.mu.Lock()
		p := s.payments[psp]
		var ev *event
		final := ""
		if p != nil && p.state == statePending {
			final = p.pendingFinal
			p.state = final
			if p.state == stateRefused {
				p.refusal, p.refusalCode = outRefused.refusal, outRefused.refusalCode
			}
			ev = s.paymentEventLocked(p)
		}
		s.mu.Unlock()
		if ev != nil {
			s.log.Info("adyen sandbox: pending payment settled", "pspReference", psp, "state", final)
			s.sendAll([]*event{ev})
		}
	})
}

// failRefundLater undoes refund m (its REFUND webhook said success "true") after
// PendingDelay with a REFUND_FAILED webhook, as Adyen reports a refund the card scheme
// returned after accepting it; the payment's refundable balance comes back.
func (s *Simulator) failRefundLater(m *modification) {
	s.bg.Spawn(func() {
		if !s.sleep(s.pendingDelay) {
			return
		}
		s.mu.Lock()
		var ev *event
		if p := s.payments[m.paymentPsp]; p != nil {
			p.refunded -= m.value
			ev = s.newEventLocked(notificationItem{
				Amount:            &amountJSON{m.currency, m.value},
				EventCode:         eventRefundFailed,
				MerchantReference: cmp.Or(m.reference, p.reference),
				OriginalReference: p.psp,
				PspReference:      m.psp,
				Reason:            refundFailedReason,
				Success:           "true",
			})
		}
		s.mu.Unlock()
		if ev != nil {
			s.log.Info("adyen sandbox: refund failed after it was accepted", "pspReference", m.psp, "paymentPspReference", m.paymentPsp)
			s.sendAll([]*event{ev})
		}
	})
}

// expireLocked closes p's offer if it is still open past its expiry and
// returns the OFFER_CLOSED webhook (nil otherwise).
func (s *Simulator) expireLocked(p *payment, now time.Time) *event {
	if p.state != stateOpen || now.Before(p.expires) {
		return nil
	}
	p.state = stateExpired
	s.log.Info("adyen sandbox: offer closed", "pspReference", p.psp)
	return s.paymentEventLocked(p)
}
