package simkit

import (
	"context"
	"html/template"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestWriteHTML(t *testing.T) {
	tmpl := template.Must(template.New("p").Parse(`<p>{{.}}</p>`))
	for _, tt := range []struct {
		name, csp string
		wantDENY  bool
	}{
		{"no framing", CSP, true},
		{"framed by the shop", "default-src 'none'; frame-ancestors https://shop.example", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			rec.Header().Set("Content-Language", "ar")
			WriteHTML(rec, slog.Default(), "test", http.StatusGone, tmpl, "p", "<b>", tt.csp)
			h := rec.Header()
			if rec.Code != http.StatusGone || rec.Body.String() != "<p>&lt;b&gt;</p>" {
				t.Fatalf("got %d %q", rec.Code, rec.Body.String())
			}
			if h.Get("Content-Security-Policy") != tt.csp || h.Get("Cache-Control") != "no-store" ||
				h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Content-Language") != "ar" {
				t.Errorf("headers %v", h)
			}
			if (h.Get("X-Frame-Options") == "DENY") != tt.wantDENY {
				t.Errorf("X-Frame-Options = %q", h.Get("X-Frame-Options"))
			}
		})
	}
	rec := httptest.NewRecorder()
	WriteHTML(rec, slog.New(slog.DiscardHandler), "test", http.StatusOK, tmpl, "missing", nil, CSP)
	if rec.Code != http.StatusInternalServerError {
		t.Errorf("a template error answered %d", rec.Code)
	}
}

func TestBackground(t *testing.T) {
	var b Background
	started := make(chan struct{})
	var stopped atomic.Bool
	b.Spawn(func() {
		close(started)
		<-b.Context().Done()
		stopped.Store(true)
	})
	<-started
	b.Close()
	if !stopped.Load() {
		t.Fatal("Close returned before the goroutine ended")
	}
	ran := false
	b.Spawn(func() { ran = true })
	b.Wait()
	if ran {
		t.Fatal("Spawn ran after Close")
	}
}

func TestScheduleGivesUpAfterWindow(t *testing.T) {
	// A clock that moves 10 minutes per reading: the 24h window closes after a few attempts.
	var clock atomic.Int64
	now := func() time.Time { return time.Unix(0, 0).Add(time.Duration(clock.Add(1)) * 10 * time.Minute) }
	sc := Schedule{Base: time.Millisecond, Max: 2 * time.Millisecond, Window: time.Hour, Now: now}
	attempts, gaveUp := 0, 0
	sc.Retry(context.Background(), func(a int) bool { attempts = a; return false }, func(n int) { gaveUp = n })
	if gaveUp == 0 || gaveUp != attempts {
		t.Fatalf("gave up after %d, attempts %d", gaveUp, attempts)
	}
	attempts = 0
	sc.Retry(context.Background(), func(a int) bool { attempts = a; return a == 2 }, func(int) { t.Error("gave up") })
	if attempts != 2 {
		t.Fatalf("stopped at attempt %d, want 2", attempts)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	sc.Retry(ctx, func(a int) bool {
		if a > 1 {
			t.Error("retried after the context ended")
		}
		return false
	}, func(int) { t.Error("gave up instead of stopping") })
}

func TestWebhooksDefaults(t *testing.T) {
	if sc := Webhooks(0, nil); sc.Base != DefaultRetryBase || sc.Max != MaxRetryDelay || sc.Window != RetryWindow {
		t.Errorf("Webhooks(0) = %+v", sc)
	}
	if sc := Webhooks(time.Millisecond, nil); sc.Base != time.Millisecond {
		t.Errorf("Webhooks(1ms).Base = %v", sc.Base)
	}
	fixed := time.Unix(42, 0)
	if got := Clock(func() time.Time { return fixed })(); !got.Equal(fixed) {
		t.Errorf("Clock kept %v, want %v", got, fixed)
	}
	if Clock(nil) == nil || Logger(nil) != slog.Default() {
		t.Error("nil Now or Logger has no default")
	}
}

func TestDeliver(t *testing.T) {
	var gotHeader http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotHeader = r.Header.Clone()
		if r.URL.Path == "/refuse" {
			http.Error(w, "no", http.StatusInternalServerError)
			return
		}
		_, _ = w.Write([]byte("[accepted]"))
	}))
	defer srv.Close()
	for _, tt := range []struct {
		name, target string
		want         bool
		log          string
	}{
		{"2xx", srv.URL + "/ok", true, "test: webhook delivered"},
		{"5xx", srv.URL + "/refuse", false, "test: webhook refused"},
		{"unreachable", "http://127.0.0.1:1/", false, "test: webhook failed"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var logs strings.Builder
			log := slog.New(slog.NewTextHandler(&logs, nil))
			got := Deliver(context.Background(), HookClient(nil), log, "test", tt.target, []byte(`{}`), http.Header{"hashstring": {"sig"}}, "id", "x", "attempt", 3)
			if got != tt.want || !strings.Contains(logs.String(), tt.log) || !strings.Contains(logs.String(), "id=x attempt=3") {
				t.Errorf("Deliver = %v, logs %q", got, logs.String())
			}
		})
	}
	if gotHeader.Get("Content-Type") != "application/json" || gotHeader.Values("Hashstring")[0] != "sig" {
		t.Errorf("headers %v", gotHeader)
	}
	status, reply, err := PostJSON(context.Background(), HookClient(nil), srv.URL+"/ok", nil, nil)
	if err != nil || status != http.StatusOK || string(reply) != "[accepted]" {
		t.Errorf("PostJSON = %d %q %v", status, reply, err)
	}
}
