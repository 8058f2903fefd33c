package main

import (
	"bytes"
	"flag"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func load(t *testing.T, env map[string]string, args ...string) (Config, error) {
	t.Helper()
	for _, k := range []string{"CHECKOUT_ADDR", "CHECKOUT_DB", "CHECKOUT_BASE_URL", "CHECKOUT_MODE", "CHECKOUT_KNET_GATEWAY",
		"CHECKOUT_TAP_SECRET_KEY", "CHECKOUT_TICK", "CHECKOUT_KPAY_TERMS", "CHECKOUT_ALQASEH_CURRENCIES", "CHECKOUT_WEBHOOK_URL"} {
		t.Setenv(k, "")
	}
	for k, v := range env {
		t.Setenv(k, v)
	}
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return loadConfig(fs, args)
}

func TestConfigDefaults(t *testing.T) {
	c, err := load(t, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8080" || c.DB != "./data/checkout.db" || c.BaseURL != "http://localhost:8080" || c.Mode != "sandbox" ||
		c.KNETGateway != "tap" || c.Tick != 5*time.Second || c.ReconcileAfter != time.Minute {
		t.Errorf("defaults: %+v", c)
	}
	if got := c.KPayTerms; len(got) != 4 || got[3] != 10 {
		t.Errorf("kpay terms %v", got)
	}
	if got := c.AlqasehCurrencies; len(got) != 2 || got[0] != "IQD" || got[1] != "USD" {
		t.Errorf("al qaseh currencies %v", got)
	}
}

// A flag wins over its variable.
func TestConfigFlagOverEnv(t *testing.T) {
	c, err := load(t, map[string]string{"CHECKOUT_ADDR": ":9000", "CHECKOUT_BASE_URL": "http://shop.test/"}, "-addr", "127.0.0.1:7000")
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:7000" || c.BaseURL != "http://shop.test" {
		t.Errorf("addr %q base %q", c.Addr, c.BaseURL)
	}
}

func TestConfigRefusesBadSettings(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"base URL with a path", map[string]string{"CHECKOUT_BASE_URL": "http://x.test/pay"}, "base URL"},
		{"base URL not http", map[string]string{"CHECKOUT_BASE_URL": "ftp://x.test"}, "base URL"},
		{"unknown mode", map[string]string{"CHECKOUT_MODE": "test"}, "mode"},
		{"live over http", map[string]string{"CHECKOUT_MODE": "live", "CHECKOUT_TAP_SECRET_KEY": "sk_live_x"}, "https"},
		{"live KNET via Tap without key", map[string]string{"CHECKOUT_MODE": "live", "CHECKOUT_BASE_URL": "https://pay.shop.test"}, "CHECKOUT_TAP_SECRET_KEY"},
		{"unknown KNET gateway", map[string]string{"CHECKOUT_KNET_GATEWAY": "benefit"}, "knet gateway"},
		{"tick too small", map[string]string{"CHECKOUT_TICK": "1ms"}, "tick"},
		{"bad terms", map[string]string{"CHECKOUT_KPAY_TERMS": "3,x"}, "terms"},
		{"bad webhook URL", map[string]string{"CHECKOUT_WEBHOOK_URL": "shop.test/hook"}, "webhook URL"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := load(t, tc.env)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one mentioning %q", err, tc.want)
			}
		})
	}
}

// Printing the configuration (debug level) never shows a secret.
func TestConfigLogValueMasksSecrets(t *testing.T) {
	c, err := load(t, map[string]string{"CHECKOUT_TAP_SECRET_KEY": "sk_live_SECRET1", "CHECKOUT_KPAY_SECRET_KEY": "skey_SECRET2",
		"CHECKOUT_ADYEN_API_KEY": "AQE_SECRET3", "CHECKOUT_KNET_TRANPORTAL_PASSWORD": "SECRET4", "CHECKOUT_ALQASEH_CLIENT_SECRET": "SECRET5"})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	slog.New(slog.NewTextHandler(&buf, nil)).Info("configuration", "config", c)
	for _, s := range []string{"SECRET1", "SECRET2", "SECRET3", "SECRET4", "SECRET5"} {
		if strings.Contains(buf.String(), s) {
			t.Errorf("the log shows %s: %s", s, buf.String())
		}
	}
	if !strings.Contains(buf.String(), "tap_secret_key=****") {
		t.Errorf("masked key not shown as ****: %s", buf.String())
	}
}

// In sandbox mode every gateway is wired to its simulator, and configuration alone picks the
// gateway that serves KNET.
func TestSandboxWiresEveryGateway(t *testing.T) {
	for _, knet := range []string{"tap", "adyen", "knet"} {
		t.Run(knet, func(t *testing.T) {
			c, err := load(t, map[string]string{"CHECKOUT_KNET_GATEWAY": knet})
			if err != nil {
				t.Fatal(err)
			}
			w, err := buildGateways(c, slog.New(slog.NewTextHandler(io.Discard, nil)))
			if err != nil {
				t.Fatal(err)
			}
			defer w.close()
			for cur, want := range map[string]string{
				"KWD": "knet click", "THB": "card unionpay alipay thaiqr wechat", "IQD": "card", "USD": "card",
			} {
				if got := strings.Join(w.registry.Available(cur, nil), " "); got != want {
					t.Errorf("%s methods = %q, want %q", cur, got, want)
				}
			}
			if g, _ := w.registry.ForMethod("knet", "KWD"); g.Name() != knet {
				t.Errorf("knet served by %s, want %s", g.Name(), knet)
			}
			if g, _ := w.registry.ForMethod("card", "IQD"); g.Name() != "alqaseh" {
				t.Errorf("IQD cards served by %s", g.Name())
			}
			if g, _ := w.registry.ForMethod("card", "THB"); g.Name() != "kpay" {
				t.Errorf("THB cards served by %s", g.Name())
			}
			if len(w.simulators) != 6 {
				t.Errorf("%d simulators mounted, want 6", len(w.simulators))
			}
		})
	}
}

func TestSandboxStateFolder(t *testing.T) {
	tests := []struct{ asked, db, want string }{
		{"", "./data/checkout.db", filepath.Join("data", "sandbox")},
		{"", "/var/lib/bawaba/checkout.db", "/var/lib/bawaba/sandbox"},
		{"", "postgres://bawaba@db/checkout", ""},
		{"/srv/sim", "postgres://bawaba@db/checkout", "/srv/sim"},
		{"memory", "./data/checkout.db", ""},
	}
	for _, tt := range tests {
		if got := sandboxState(tt.asked, tt.db); got != tt.want {
			t.Errorf("sandboxState(%q, %q) = %q, want %q", tt.asked, tt.db, got, tt.want)
		}
	}
}
