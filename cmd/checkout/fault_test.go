package main

import (
	"io"
	"log/slog"
	"testing"
)

// CHECKOUT_FAULT arms a hook only in sandbox mode and only for a known point; the hook ignores
// every other point (reaching the armed one kills the process: e2e/crash_test.go).
func TestFaultHookSandboxOnly(t *testing.T) {
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, c := range []struct {
		mode, point string
		armed       bool
	}{
		{"sandbox", "", false},
		{"sandbox", "paid-before-commit", true},
		{"sandbox", "refund-after-commit", true},
		{"sandbox", "no-such-point", false},
		{"live", "paid-before-commit", false},
	} {
		t.Setenv("CHECKOUT_FAULT", c.point)
		hook := faultHook(Config{Mode: c.mode}, log)
		if (hook != nil) != c.armed {
			t.Errorf("%s %q: armed %v, want %v", c.mode, c.point, hook != nil, c.armed)
		}
		if hook != nil {
			hook("paid-after-commit") // another point: nothing happens
		}
	}
}
