package logging

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
)

func TestValidRequestID(t *testing.T) {
	for _, tc := range []struct {
		id   string
		want bool
	}{
		{"", false},
		{"abc-123_X.y:z", true},
		{strings.Repeat("a", 64), true},
		{strings.Repeat("a", 65), false},
		{"with space", false},
		{"new\nline", false},
		{"quote\"", false},
		{"عربي", false},
	} {
		if got := ValidRequestID(tc.id); got != tc.want {
			t.Errorf("ValidRequestID(%q) = %v, want %v", tc.id, got, tc.want)
		}
	}
	if a, b := NewRequestID(), NewRequestID(); a == b || !ValidRequestID(a) || len(a) != 16 {
		t.Errorf("NewRequestID gave %q and %q", a, b)
	}
}

func TestNewAddsRequestID(t *testing.T) {
	for _, format := range []string{"json", "text"} {
		t.Run(format, func(t *testing.T) {
			var buf bytes.Buffer
			log, err := New(&buf, format, slog.LevelInfo)
			if err != nil {
				t.Fatal(err)
			}
			ctx := WithRequestID(context.Background(), "req-42")
			log.With("component", "api").InfoContext(ctx, "order created", "order", "ord_1")
			log.Info("no request")
			log.DebugContext(ctx, "below the level")
			lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
			if len(lines) != 2 {
				t.Fatalf("%d lines, want 2:\n%s", len(lines), buf.String())
			}
			if !strings.Contains(lines[0], "req-42") || !strings.Contains(lines[0], "component") || strings.Contains(lines[1], "request_id") {
				t.Errorf("lines:\n%s", buf.String())
			}
			if format == "json" {
				var rec map[string]any
				if err := json.Unmarshal([]byte(lines[0]), &rec); err != nil {
					t.Fatalf("not JSON: %v: %s", err, lines[0])
				}
				if rec["request_id"] != "req-42" || rec["msg"] != "order created" || rec["order"] != "ord_1" {
					t.Errorf("record %v", rec)
				}
			}
		})
	}
	if _, err := New(&bytes.Buffer{}, "xml", slog.LevelInfo); err == nil {
		t.Error("format xml accepted")
	}
}
