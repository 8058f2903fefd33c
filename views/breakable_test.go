package views

import (
	"context"
	"slices"
	"strings"
	"testing"
)

func TestBreakable(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"ord_FzIr8uwSuPXELbMtq8qYKx", []string{"ord_", "FzIr8uwSuPXELbMtq8qYKx"}},
		{"e2e-cancel-alqaseh-ar", []string{"e2e-", "cancel-", "alqaseh-", "ar"}},
		{"2026-12-04 07:38 (UTC+03:00)", []string{"2026-", "12-", "04 07:", "38 (UTC+03:", "00)"}},
		{"123456", []string{"123456"}},
		{"", []string{""}},
	} {
		if got := Breakable(c.in); !slices.Equal(got, c.want) {
			t.Errorf("Breakable(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestBreakableRendersWithoutSpaces(t *testing.T) {
	var b strings.Builder
	if err := breakable("ord_<x>-1").Render(context.Background(), &b); err != nil {
		t.Fatal(err)
	}
	if got, want := b.String(), "ord_<wbr>&lt;x&gt;-<wbr>1"; got != want {
		t.Errorf("breakable = %q, want %q", got, want)
	}
}
