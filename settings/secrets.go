package settings

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"sync"
	"time"
)

// SecretKV is what webhook secrets need: a generated-once secret, and plain settings.
type SecretKV interface {
	KV
	Secret(ctx context.Context, name string, n int) ([]byte, error)
}

// ErrSecretFixed is returned when rotating a secret set by CHECKOUT_WEBHOOK_SECRET.
var ErrSecretFixed = errors.New("settings: the webhook secret is set by CHECKOUT_WEBHOOK_SECRET; change it there")

// Secrets is the secret that signs merchant webhooks and return links, and after a rotation the
// previous one, which keeps signing webhooks (beside the new one) until its overlap ends, so a
// shop can switch its verifier without missing an event.
type Secrets struct {
	kv  SecretKV
	env bool
	now func() time.Time

	mu    sync.RWMutex
	cur   string
	prev  string
	until time.Time
}

type previous struct {
	Secret string    `json:"secret"`
	Until  time.Time `json:"until"`
}

const (
	secretKey   = "webhook_secret"
	previousKey = "webhook_secret_previous"
)

func format(b []byte) string { return "whsec_" + hex.EncodeToString(b) }

// LoadSecrets reads the secrets: env (CHECKOUT_WEBHOOK_SECRET) when set, which cannot be
// rotated here; else the stored one, generated on first use.
func LoadSecrets(ctx context.Context, kv SecretKV, env string, now func() time.Time) (*Secrets, error) {
	if now == nil {
		now = time.Now
	}
	s := &Secrets{kv: kv, now: now}
	if env != "" {
		s.cur, s.env = env, true
		return s, nil
	}
	if _, err := kv.Secret(ctx, secretKey, 32); err != nil { // generated on first use
		return nil, err
	}
	if err := s.Refresh(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// Refresh reads the stored secrets again: another node may have rotated them in its console
// (the server refreshes every tick; meanwhile the old secret still signs, as the previous one
// in its overlap). A secret from the environment never changes.
func (s *Secrets) Refresh(ctx context.Context) error {
	if s.env || s.kv == nil {
		return nil
	}
	b, ok, err := s.kv.Setting(ctx, secretKey)
	if err != nil || !ok {
		return err
	}
	var p previous
	if v, ok, err := s.kv.Setting(ctx, previousKey); err != nil {
		return err
	} else if ok && json.Unmarshal(v, &p) != nil {
		p = previous{}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.cur, s.prev, s.until = format(b), p.Secret, p.Until
	return nil
}

// FixedSecret returns a secret that never rotates (tests).
func FixedSecret(secret string) *Secrets { return &Secrets{cur: secret, env: true, now: time.Now} }

// Current is the secret shops verify with from now on.
func (s *Secrets) Current() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.cur
}

// Fixed reports whether the secret comes from the environment (and cannot be rotated here).
func (s *Secrets) Fixed() bool { return s.env }

// Previous is the secret before the last rotation and until when it still signs; "" when none
// is in its overlap.
func (s *Secrets) Previous() (string, time.Time) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.prev == "" || !s.now().Before(s.until) {
		return "", time.Time{}
	}
	return s.prev, s.until
}

// Signing returns the secrets a webhook is signed with: the current one, then the previous one
// while its overlap lasts.
func (s *Secrets) Signing() []string {
	out := []string{s.Current()}
	if p, _ := s.Previous(); p != "" {
		out = append(out, p)
	}
	return out
}

// Rotate makes a new secret current; the old one keeps signing for overlap.
func (s *Secrets) Rotate(ctx context.Context, overlap time.Duration) (string, error) {
	if s.env {
		return "", ErrSecretFixed
	}
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	p := previous{Secret: s.cur, Until: s.now().Add(overlap).UTC()}
	pb, err := json.Marshal(p)
	if err != nil {
		return "", err
	}
	// The previous secret first: a crash between the two writes leaves the old secret current
	// and nothing lost.
	if err := s.kv.PutSetting(ctx, previousKey, pb); err != nil {
		return "", err
	}
	if err := s.kv.PutSetting(ctx, secretKey, fresh); err != nil {
		return "", err
	}
	s.prev, s.until, s.cur = p.Secret, p.Until, format(fresh)
	return s.cur, nil
}
