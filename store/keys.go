package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"time"
)

// APIKeyPrefix starts every merchant API key, so a leaked key is easy to recognise.
const APIKeyPrefix = "bwb_sk_"

func hashKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// CreateAPIKey makes a new API key and stores only its SHA-256. The key itself is returned
// once and never stored.
func (s *DB) CreateAPIKey(ctx context.Context, label string) (id, key string, err error) {
	key = APIKeyPrefix + rand.Text()
	id = "key_" + rand.Text()[:16]
	_, err = s.w.ExecContext(ctx, "INSERT INTO api_keys (id, hash, label, created_at, hint) VALUES (?,?,?,?,?)",
		id, hashKey(key), label, time.Now().UnixMilli(), key[len(key)-4:])
	return id, key, err
}

// APIKeyID returns the id of an active API key, or "" when the key is unknown or revoked.
// The lookup is by the key's hash, so timing reveals nothing about stored keys. It records when
// the key was last used, at most once a minute per key (so reads do not queue behind writes).
func (s *DB) APIKeyID(ctx context.Context, key string) (string, error) {
	var id string
	var last int64
	err := s.rq.QueryRowContext(ctx, "SELECT id, last_used_at FROM api_keys WHERE hash = ? AND revoked_at = 0", hashKey(key)).Scan(&id, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if now := time.Now().UnixMilli(); err == nil && now-last >= lastUsedGranularity.Milliseconds() {
		if _, err := s.w.ExecContext(ctx, "UPDATE api_keys SET last_used_at = ? WHERE id = ?", now, id); err != nil {
			return "", err
		}
	}
	return id, err
}

// CountAPIKeys returns how many active API keys exist.
func (s *DB) CountAPIKeys(ctx context.Context) (int, error) {
	var n int
	err := s.rq.QueryRowContext(ctx, "SELECT count(*) FROM api_keys WHERE revoked_at = 0").Scan(&n)
	return n, err
}

// Secret returns the named secret, creating it with n random bytes on first use, so that
// cookie and signing keys survive restarts. Concurrent first calls agree on one value.
func (s *DB) Secret(ctx context.Context, name string, n int) ([]byte, error) {
	fresh := make([]byte, n)
	if _, err := rand.Read(fresh); err != nil {
		return nil, err
	}
	if _, err := s.w.ExecContext(ctx, "INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING", name, fresh); err != nil {
		return nil, err
	}
	var v []byte
	err := s.w.QueryRowContext(ctx, "SELECT value FROM settings WHERE name = ?", name).Scan(&v)
	return v, err
}

// Setting returns a stored setting, and whether there is one.
func (s *DB) Setting(ctx context.Context, name string) ([]byte, bool, error) {
	var v []byte
	err := s.r.QueryRowContext(ctx, "SELECT value FROM settings WHERE name = ?", name).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, nil
	}
	return v, err == nil, err
}

// PutSetting stores (replaces) a setting.
func (s *DB) PutSetting(ctx context.Context, name string, value []byte) error {
	_, err := s.w.ExecContext(ctx, "INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value", name, value)
	return err
}
