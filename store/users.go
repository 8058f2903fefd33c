package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"strings"
	"time"
)

// User is a person who may log in to the merchant console.
type User struct {
	ID           string
	Email        string
	PasswordHash string // a PHC string ($argon2id$…); never shown
	CreatedAt    time.Time
	LastLoginAt  time.Time // zero until the first login
}

// ErrUserExists is returned when a user with that email is already there.
var ErrUserExists = errors.New("store: a user with this email already exists")

// ErrNoUser is returned when no user matches.
var ErrNoUser = errors.New("store: no such user")

// CreateUser adds a console user. Emails are compared without case (lower() in the queries;
// the SQLite column is NOCASE, the PostgreSQL one has a unique index on lower(email)).
func (s *DB) CreateUser(ctx context.Context, email, passwordHash string) (User, error) {
	u := User{ID: "usr_" + rand.Text()[:16], Email: strings.TrimSpace(email), PasswordHash: passwordHash, CreatedAt: time.Now().UTC()}
	_, err := s.w.ExecContext(ctx, "INSERT INTO users (id, email, password_hash, created_at) VALUES (?,?,?,?)",
		u.ID, u.Email, u.PasswordHash, ms(u.CreatedAt))
	if isUniqueViolation(err) {
		return User{}, ErrUserExists
	}
	return u, err
}

// Users lists the console users by email.
func (s *DB) Users(ctx context.Context) ([]User, error) {
	return queryAll(ctx, s.r, scanUser, "SELECT id, email, password_hash, created_at, last_login_at FROM users ORDER BY email")
}

// UserByEmail returns the user with that email (any case), or ErrNoUser.
func (s *DB) UserByEmail(ctx context.Context, email string) (User, error) {
	return scanUser(s.r.QueryRowContext(ctx, "SELECT id, email, password_hash, created_at, last_login_at FROM users WHERE lower(email) = lower(?)", strings.TrimSpace(email)))
}

// UserByID returns the user with that id, or ErrNoUser.
func (s *DB) UserByID(ctx context.Context, id string) (User, error) {
	return scanUser(s.r.QueryRowContext(ctx, "SELECT id, email, password_hash, created_at, last_login_at FROM users WHERE id = ?", id))
}

// RemoveUser deletes the user with that email; ErrNoUser when there is none. Their sessions end
// at their next request (the console checks the user still exists).
func (s *DB) RemoveUser(ctx context.Context, email string) error {
	res, err := s.w.ExecContext(ctx, "DELETE FROM users WHERE lower(email) = lower(?)", strings.TrimSpace(email))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNoUser
	}
	return nil
}

// RecordLogin notes a successful login.
func (s *DB) RecordLogin(ctx context.Context, id string, at time.Time) error {
	_, err := s.w.ExecContext(ctx, "UPDATE users SET last_login_at = ? WHERE id = ?", ms(at), id)
	return err
}

func scanUser(r scanner) (User, error) {
	var u User
	var created, last int64
	err := r.Scan(&u.ID, &u.Email, &u.PasswordHash, &created, &last)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, ErrNoUser
	}
	u.CreatedAt, u.LastLoginAt = fromMS(created), fromMS(last)
	return u, err
}
