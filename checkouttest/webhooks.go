package checkouttest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Webhooks is a shop's webhook endpoint for a test: it records every delivery, and Wait
// returns one only when its Bawaba-Signature verifies with the server's secret.
type Webhooks struct {
	URL    string
	secret string
	mu     sync.Mutex
	got    []Event
}

// Event is one delivered merchant webhook.
type Event struct {
	ID        string         `json:"id"`
	Type      string         `json:"type"`
	Created   int64          `json:"created"`
	Order     map[string]any `json:"-"` // data.order
	Body      []byte         `json:"-"` // the exact bytes received
	Signature string         `json:"-"` // the Bawaba-Signature header
	Verified  bool           `json:"-"` // the signature verified with the secret
}

// NewWebhooks listens on a free 127.0.0.1 port until the test ends. Pass srv.WebhookSecret.
func NewWebhooks(t testing.TB, secret string) *Webhooks {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	w := &Webhooks{URL: "http://" + ln.Addr().String() + "/hook", secret: secret}
	srv := &http.Server{Handler: http.HandlerFunc(w.receive)}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return w
}

func (w *Webhooks) receive(rw http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var ev Event
	var data struct {
		Data struct {
			Order map[string]any `json:"order"`
		} `json:"data"`
	}
	_ = json.Unmarshal(body, &ev)
	_ = json.Unmarshal(body, &data)
	ev.Order, ev.Body, ev.Signature = data.Data.Order, body, r.Header.Get("Bawaba-Signature")
	ev.Verified = Verify(w.secret, ev.Signature, body, time.Now())
	w.mu.Lock()
	w.got = append(w.got, ev)
	w.mu.Unlock()
	rw.WriteHeader(http.StatusNoContent)
}

// All returns every delivery so far.
func (w *Webhooks) All() []Event {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]Event(nil), w.got...)
}

// Wait waits for a delivery of eventType about orderID, fails the test if none arrives within
// timeout or if its signature does not verify, and returns it.
func (w *Webhooks) Wait(t testing.TB, orderID, eventType string, timeout time.Duration) Event {
	t.Helper()
	for deadline := time.Now().Add(timeout); ; time.Sleep(100 * time.Millisecond) {
		for _, ev := range w.All() {
			if ev.Type == eventType && ev.Order["id"] == orderID {
				if !ev.Verified {
					t.Fatalf("checkouttest: %s webhook for %s: Bawaba-Signature %q does not verify", eventType, orderID, ev.Signature)
				}
				return ev
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("checkouttest: no %s webhook for %s within %s (got %d deliveries)", eventType, orderID, timeout, len(w.All()))
		}
	}
}

// Verify checks a Bawaba-Signature header ("t=<unix>,v1=<hex HMAC-SHA256(secret, t.body)>")
// with a 5-minute tolerance, as examples/webhooks tells shops to.
func Verify(secret, header string, body []byte, now time.Time) bool {
	var ts, v1 string
	for _, part := range strings.Split(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			v1 = v
		}
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || v1 == "" || now.Sub(time.Unix(sec, 0)).Abs() > 5*time.Minute {
		return false
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "."))
	mac.Write(body)
	return hmac.Equal([]byte(hex.EncodeToString(mac.Sum(nil))), []byte(v1))
}
