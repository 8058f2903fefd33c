package settings

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"
)

func TestContrast(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want float64
	}{
		{"#000000", "#ffffff", 21},
		{"#ffffff", "#ffffff", 1},
		{"#0b5cad", "#ffffff", 6.67}, // Bawaba's blue
		{"#777777", "#ffffff", 4.48},
	} {
		if got := Contrast(tc.a, tc.b); math.Abs(got-tc.want) > 0.05 {
			t.Errorf("Contrast(%s, %s) = %.2f, want %.2f", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestValidate(t *testing.T) {
	ok := Shop{Name: "My Shop", Lang: "ar"}
	for _, tc := range []struct {
		name  string
		edit  func(*Shop)
		field string // "" : valid
	}{
		{"minimal", func(*Shop) {}, ""},
		{"https logo", func(s *Shop) { s.Logo = "https://cdn.shop.example/logo.png" }, ""},
		{"data png logo", func(s *Shop) { s.Logo = "data:image/png;base64,iVBORw0KGgo=" }, ""},
		{"http logo", func(s *Shop) { s.Logo = "http://cdn.shop.example/logo.png" }, "logo"},
		{"javascript logo", func(s *Shop) { s.Logo = "javascript:alert(1)" }, "logo"},
		{"data html logo", func(s *Shop) { s.Logo = "data:text/html;base64,PGgxPg==" }, "logo"},
		{"huge data logo", func(s *Shop) { s.Logo = "data:image/png;base64," + strings.Repeat("A", 70000) }, "logo"},
		{"dark brand", func(s *Shop) { s.Brand = "#0b5cad" }, ""},
		{"pale brand", func(s *Shop) { s.Brand = "#ffcc00" }, "brand"},
		{"not a colour", func(s *Shop) { s.Brand = "blue" }, "brand"},
		{"no name", func(s *Shop) { s.Name = "" }, "name"},
		{"other language", func(s *Shop) { s.Lang = "fr" }, "lang"},
		{"webhook ftp", func(s *Shop) { s.WebhookURL = "ftp://shop.example/hook" }, "webhook_url"},
		{"webhook https", func(s *Shop) { s.WebhookURL = "https://shop.example/hook" }, ""},
	} {
		s := ok
		tc.edit(&s)
		errs := s.normalized().Validate()
		if tc.field == "" && len(errs) > 0 {
			t.Errorf("%s: refused %v", tc.name, errs)
		}
		if tc.field != "" && errs[tc.field] == "" {
			t.Errorf("%s: %s accepted (%v)", tc.name, tc.field, errs)
		}
	}
}

type memKV map[string][]byte

func (m memKV) Setting(_ context.Context, n string) ([]byte, bool, error) {
	v, ok := m[n]
	return v, ok, nil
}
func (m memKV) PutSetting(_ context.Context, n string, v []byte) error { m[n] = v; return nil }

func TestSaveAndLoad(t *testing.T) {
	kv := memKV{}
	ctx := context.Background()
	l, err := Load(ctx, kv, Shop{Name: "From config", Lang: "en"})
	if err != nil || l.Get().Name != "From config" {
		t.Fatalf("defaults: %+v %v", l.Get(), err)
	}
	if errs, err := l.Save(ctx, Shop{Name: "  New  ", Lang: "ar", Brand: "#FFCC00"}); err != nil || errs["brand"] == "" {
		t.Fatalf("pale brand saved: %v %v", errs, err)
	}
	if l.Get().Name != "From config" {
		t.Fatal("a refused save changed the settings")
	}
	if errs, err := l.Save(ctx, Shop{Name: "  New  ", Lang: "ar", Brand: "#0B5CAD"}); err != nil || len(errs) > 0 {
		t.Fatalf("save: %v %v", errs, err)
	}
	l2, _ := Load(ctx, kv, Shop{Name: "From config"})
	if got := l2.Get(); got.Name != "New" || got.Brand != "#0b5cad" || got.Lang != "ar" {
		t.Errorf("reloaded %+v", got)
	}
	// Another node saves: this one sees it at its next refresh.
	if errs, err := l2.Save(ctx, Shop{Name: "Other node", Lang: "en"}); err != nil || len(errs) > 0 {
		t.Fatalf("save: %v %v", errs, err)
	}
	if l.Get().Name != "New" {
		t.Fatal("settings changed before a refresh")
	}
	if err := l.Refresh(ctx); err != nil || l.Get().Name != "Other node" {
		t.Errorf("after Refresh: %+v, %v; want the other node's save", l.Get(), err)
	}
}

func (m memKV) Secret(_ context.Context, n string, size int) ([]byte, error) {
	if v, ok := m[n]; ok {
		return v, nil
	}
	m[n] = make([]byte, size)
	for i := range m[n] {
		m[n][i] = byte(i)
	}
	return m[n], nil
}

func TestSecretsRotateWithOverlap(t *testing.T) {
	kv := memKV{}
	ctx := context.Background()
	now := time.Date(2026, 12, 4, 8, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	s, err := LoadSecrets(ctx, kv, "", clock)
	if err != nil {
		t.Fatal(err)
	}
	old := s.Current()
	if !strings.HasPrefix(old, "whsec_") || len(s.Signing()) != 1 {
		t.Fatalf("initial %q %v", old, s.Signing())
	}
	fresh, err := s.Rotate(ctx, 24*time.Hour)
	if err != nil || fresh == old || s.Current() != fresh {
		t.Fatalf("rotate: %q %v", fresh, err)
	}
	if got := s.Signing(); len(got) != 2 || got[0] != fresh || got[1] != old {
		t.Fatalf("during the overlap Signing = %v", got)
	}
	// Another process (checkout webhook-secret) sees the same state.
	s2, _ := LoadSecrets(ctx, kv, "", clock)
	if s2.Current() != fresh || len(s2.Signing()) != 2 {
		t.Fatalf("reloaded: %q %v", s2.Current(), s2.Signing())
	}
	// A rotation on another node reaches this one at its next refresh.
	third, err := s2.Rotate(ctx, 24*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Refresh(ctx); err != nil || s.Current() != third || s.Signing()[1] != fresh {
		t.Fatalf("after Refresh: %q %v, %v; want %q then %q", s.Current(), s.Signing(), err, third, fresh)
	}
	fresh = third
	now = now.Add(24 * time.Hour)
	if got := s.Signing(); len(got) != 1 || got[0] != fresh {
		t.Fatalf("after the overlap Signing = %v", got)
	}
	fixed, _ := LoadSecrets(ctx, kv, "whsec_env", clock)
	if _, err := fixed.Rotate(ctx, time.Hour); err != ErrSecretFixed || fixed.Current() != "whsec_env" {
		t.Fatalf("env secret rotated: %v", err)
	}
}
