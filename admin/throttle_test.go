package admin

import (
	"testing"
	"time"
)

func TestThrottle(t *testing.T) {
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	th := NewThrottle()
	th.Now = func() time.Time { return now }

	// Five failures are free.
	for i := 1; i <= 5; i++ {
		if d := th.Fail("acct:a", "ip:1"); d != 0 {
			t.Fatalf("failure %d imposed %v, want none", i, d)
		}
		if w := th.Wait("acct:a", "ip:1"); w != 0 {
			t.Fatalf("after failure %d wait %v, want none", i, w)
		}
	}
	// Then the delay grows: 15s, 30s, 60s …
	for i, want := range []time.Duration{15 * time.Second, 30 * time.Second, time.Minute, 2 * time.Minute} {
		if d := th.Fail("acct:a", "ip:1"); d != want {
			t.Fatalf("failure %d imposed %v, want %v", 6+i, d, want)
		}
		if w := th.Wait("acct:a"); w != want {
			t.Fatalf("wait %v, want %v", w, want)
		}
		if w := th.Wait("ip:1"); w != want {
			t.Fatalf("IP wait %v, want %v", w, want)
		}
		now = now.Add(want) // waiting it out
		if w := th.Wait("acct:a", "ip:1"); w != 0 {
			t.Fatalf("after waiting, still %v", w)
		}
	}
	// Another account from another IP is not affected.
	if w := th.Wait("acct:b", "ip:2"); w != 0 {
		t.Errorf("unrelated keys wait %v", w)
	}
	// Capped.
	for range 20 {
		th.Fail("acct:a")
	}
	if w := th.Wait("acct:a"); w != th.MaxDelay {
		t.Errorf("wait %v, want the cap %v", w, th.MaxDelay)
	}
	// A success forgets the account, not the IP.
	th.Succeed("acct:a")
	if w := th.Wait("acct:a"); w != 0 {
		t.Errorf("after success the account waits %v", w)
	}
	// A quiet quarter of an hour forgets the count.
	now = now.Add(time.Hour)
	for i := 1; i <= 5; i++ {
		if d := th.Fail("ip:1"); d != 0 {
			t.Fatalf("after an hour, failure %d imposed %v", i, d)
		}
	}
}

func TestSessionRules(t *testing.T) {
	r := sessionRules{}.withDefaults()
	born := time.Date(2026, 12, 4, 8, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		seen, now time.Time
		born      time.Time
		want      bool
	}{
		{"just logged in", born, born, born, true},
		{"active 29 minutes idle", born.Add(time.Hour), born.Add(time.Hour + 29*time.Minute), born, true},
		{"idle 30 minutes", born.Add(time.Hour), born.Add(time.Hour + 30*time.Minute), born, false},
		{"active but 12 hours old", born.Add(12*time.Hour - time.Minute), born.Add(12 * time.Hour), born, false},
		{"never logged in", time.Time{}, born, time.Time{}, false},
		{"seen in the future", born.Add(time.Hour), born, born, false},
		{"seen before born", born.Add(-time.Minute), born, born, false},
	}
	for _, tt := range tests {
		if got := r.valid(tt.born, tt.seen, tt.now); got != tt.want {
			t.Errorf("%s: valid = %v, want %v", tt.name, got, tt.want)
		}
	}
	if o := cookieOptions("https://pay.shop.example", r); !o.Secure || !o.HttpOnly || o.SameSite != 3 || o.Path != "/admin" {
		t.Errorf("https options %+v", o)
	}
	if o := cookieOptions("http://localhost:8080", r); o.Secure {
		t.Errorf("http options are Secure: %+v", o)
	}
}

func TestPassword(t *testing.T) {
	h, err := HashPassword("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := CheckPassword(h, "correct horse battery"); !ok || err != nil {
		t.Errorf("right password: %v %v", ok, err)
	}
	if ok, _ := CheckPassword(h, "correct horse batterz"); ok {
		t.Error("wrong password accepted")
	}
	if h2, _ := HashPassword("correct horse battery"); h2 == h {
		t.Error("two hashes of one password are equal: no salt")
	}
	if _, err := HashPassword("short"); err != ErrWeakPassword {
		t.Errorf("short password: %v", err)
	}
	if ok, err := CheckPassword("$2a$10$notargon", "x"); ok || err == nil {
		t.Errorf("foreign hash: %v %v", ok, err)
	}
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"/admin/orders?status=paid": "/admin/orders?status=paid",
		"/admin":                    "/admin",
		"//evil.example/admin":      "",
		"https://evil.example":      "",
		"/administrator\\x":         "",
		"/admin/login?next=/x":      "",
		"/pay/ord_1":                "",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}
