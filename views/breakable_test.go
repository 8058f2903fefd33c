package views

import (
	"slices"
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
