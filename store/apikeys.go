package store

import (
	"context"
	"time"
)

// lastUsedGranularity is how stale an API key's last-used time may get: the store writes it at
// most this often per key.
const lastUsedGranularity = time.Minute

// APIKey is an API key as the console lists it: never the secret, only its last characters.
type APIKey struct {
	ID         string
	Name       string
	Hint       string // the key's last 4 characters ("" for keys made before hints were kept)
	CreatedAt  time.Time
	LastUsedAt time.Time // zero: never used (or not within lastUsedGranularity of creation)
	RevokedAt  time.Time // zero: active
}

// APIKeys lists every API key, active ones first, newest first.
func (s *DB) APIKeys(ctx context.Context) ([]APIKey, error) {
	return queryAll(ctx, s.r, scanAPIKey, `SELECT id, label, hint, created_at, last_used_at, revoked_at FROM api_keys
		ORDER BY revoked_at > 0, created_at DESC, rowid DESC`)
}

func scanAPIKey(sc scanner) (APIKey, error) {
	var k APIKey
	var created, used, revoked int64
	err := sc.Scan(&k.ID, &k.Name, &k.Hint, &created, &used, &revoked)
	k.CreatedAt, k.LastUsedAt, k.RevokedAt = fromMS(created), fromMS(used), fromMS(revoked)
	return k, err
}

// RevokeAPIKey revokes an active key at once: the next request with it is refused. It reports
// whether an active key with that id existed.
func (s *DB) RevokeAPIKey(ctx context.Context, id string) (bool, error) {
	res, err := s.w.ExecContext(ctx, "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at = 0", time.Now().UnixMilli(), id)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n > 0, err
}
