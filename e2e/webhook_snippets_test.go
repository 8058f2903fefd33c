package e2e

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The webhook verification snippets for shops (examples/webhooks: Go, PHP, Node.js, Python)
// accept a real delivery signed by the server, and refuse it altered, with another secret, or
// replayed with an old timestamp.
func TestWebhookVerificationSnippets(t *testing.T) {
	dir := filepath.Join(repoRoot, "examples", "webhooks")
	goBin := filepath.Join(t.TempDir(), "verify")
	if out, err := exec.Command("go", "build", "-o", goBin, dir).CombinedOutput(); err != nil {
		t.Fatalf("go build examples/webhooks: %v\n%s", err, out)
	}
	verifiers := []struct {
		name string
		argv []string
	}{
		{"go", []string{goBin}},
		{"php", []string{"php", filepath.Join(dir, "verify.php")}},
		{"node", []string{"node", filepath.Join(dir, "verify.js")}},
		{"python", []string{"python3", filepath.Join(dir, "verify.py")}},
	}

	// A real delivery from the server.
	s := shop(t)
	hook := newReceiver(t)
	o := kwdOrder(t, s, map[string]any{"webhook_url": hook.URL})
	if st, b := s.do(t, http.MethodPost, "/api/v1/orders/"+o["id"].(string)+"/cancel", s.APIKey, nil); st != http.StatusOK {
		t.Fatalf("cancel: %d %s", st, b)
	}
	var d delivery
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if got := hook.events("order.cancelled"); len(got) > 0 {
			d = got[0]
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no order.cancelled webhook within 15s")
		}
	}

	sign := func(ts int64, body []byte) string {
		mac := hmac.New(sha256.New, []byte(webhookSecret))
		mac.Write([]byte(strconv.FormatInt(ts, 10) + "."))
		mac.Write(body)
		return "t=" + strconv.FormatInt(ts, 10) + ",v1=" + hex.EncodeToString(mac.Sum(nil))
	}
	altered := bytes.Replace(d.Body, []byte(`"order.cancelled"`), []byte(`"order.paid"`), 1)
	if bytes.Equal(altered, d.Body) {
		t.Fatalf("could not alter the body: %s", d.Body)
	}
	cases := []struct {
		name, secret, header string
		body                 []byte
		valid                bool
	}{
		{"the real delivery", webhookSecret, d.Signature, d.Body, true},
		{"the body altered", webhookSecret, d.Signature, altered, false},
		{"another secret", "whsec_someone_else", d.Signature, d.Body, false},
		{"replayed 10 minutes later", webhookSecret, sign(time.Now().Add(-10*time.Minute).Unix(), d.Body), d.Body, false},
		{"no signature", webhookSecret, "", d.Body, false},
		{"v1 missing", webhookSecret, "t=" + strconv.FormatInt(time.Now().Unix(), 10), d.Body, false},
	}
	for _, v := range verifiers {
		t.Run(v.name, func(t *testing.T) {
			if _, err := exec.LookPath(v.argv[0]); err != nil {
				missing(t, "%s is not installed", v.argv[0])
			}
			for _, tc := range cases {
				cmd := exec.Command(v.argv[0], append(v.argv[1:], tc.header)...)
				cmd.Env = append(environWithout("BAWABA_"), "BAWABA_WEBHOOK_SECRET="+tc.secret)
				cmd.Stdin = bytes.NewReader(tc.body)
				out, err := cmd.CombinedOutput()
				code := 0
				if ee, ok := err.(*exec.ExitError); ok {
					code = ee.ExitCode()
				} else if err != nil {
					t.Fatalf("%s: %v", tc.name, err)
				}
				want, wantCode := "invalid", 1
				if tc.valid {
					want, wantCode = "valid", 0
				}
				if code != wantCode || strings.TrimSpace(string(out)) != want {
					t.Errorf("%s: exit %d %q, want %d %q", tc.name, code, strings.TrimSpace(string(out)), wantCode, want)
				}
			}
		})
	}
}
