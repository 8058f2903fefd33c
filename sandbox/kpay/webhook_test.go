package kpay

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/bawaba/checkout/sandbox/internal/simkit"
)

func TestWebhookRetriedAfter500(t *testing.T) {
	e := newEnv(t, nil)
	e.hooks.mu.Lock()
	e.hooks.statuses = []int{500, 503}
	e.hooks.mu.Unlock()
	ch := e.cardCharge("4024007134786226", SandboxMID, "200.50", `,"ref_1":"reference_id123"`)
	got := e.hooks.wait(t, 3)
	if !bytes.Equal(got[0], got[1]) || !bytes.Equal(got[1], got[2]) {
		t.Error("a retry changed the body")
	}
	hook := decodeJSON(t, got[2])
	// §5.2 card webhook.
	for _, k := range []string{"id", "object", "amount", "currency", "transaction_state", "source", "created", "status",
		"reference_order", "description", "redirect_url", "approval_code", "ref_1", "ref_2", "ref_3", "livemode",
		"failure_code", "failure_message", "campaign_id", "convfee", "mpi", "checksum"} {
		if _, ok := hook[k]; !ok {
			t.Errorf("webhook lacks %s", k)
		}
	}
	if hook["id"] != ch["id"] || hook["amount"] != 200.5 || hook["ref_1"] != "reference_id123" || hook["failure_code"] != "" ||
		hook["checksum"] != checksum(ch["id"].(string), "200.5000", "THB", "success", "Authorized", SandboxSecretKey) {
		t.Errorf("webhook %v", hook)
	}
	if src := hook["source"].(map[string]any); src["card_masking"] != "402400*****6226" {
		t.Errorf("source %v", src)
	}
	e.idle()
	if n := e.hooks.count(); n != 3 {
		t.Errorf("%d deliveries after a 200, want 3", n)
	}
	if strings.Contains(e.logs.String(), SandboxSecretKey) {
		t.Error("secret key logged")
	}
}

func TestWebhookGivesUpAfter24h(t *testing.T) {
	e := newEnv(t, nil)
	e.hooks.mu.Lock()
	for i := 0; i < 100; i++ {
		e.hooks.statuses = append(e.hooks.statuses, 500)
	}
	e.hooks.mu.Unlock()
	e.cardCharge("4024007134786226", SandboxMID, "1", "")
	e.hooks.wait(t, 1)
	e.clock.Advance(simkit.RetryWindow)
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(e.logs.String(), "given up") {
		if time.Now().After(deadline) {
			t.Fatal("never gave up")
		}
		time.Sleep(5 * time.Millisecond)
	}
	n := e.hooks.count()
	e.idle() // the loop that gave up has returned
	if e.hooks.count() != n {
		t.Error("still delivering")
	}
}

func TestCloseStopsRetries(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.RetryBase = time.Hour })
	e.hooks.mu.Lock()
	e.hooks.statuses = []int{500}
	e.hooks.mu.Unlock()
	e.cardCharge("4024007134786226", SandboxMID, "1", "")
	e.hooks.wait(t, 1)
	done := make(chan struct{})
	go func() { e.sim.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("Close waited for the retry")
	}
}

func TestNoNotifyURL(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.NotifyURL = "" })
	e.cardCharge("4024007134786226", SandboxMID, "1", "")
	e.idle()
	if e.hooks.count() != 0 {
		t.Error("webhook sent without a Notify URL")
	}
}
