package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/bawaba/checkout/admin"
	"github.com/bawaba/checkout/store"
)

// cli runs the command with stdin as its input and returns stdout and the error.
func cli(t *testing.T, db, in string, args ...string) (string, error) {
	t.Helper()
	t.Setenv("CHECKOUT_DB", db)
	old := stdin
	stdin = strings.NewReader(in)
	defer func() { stdin = old }()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, &out, &errb)
	return out.String(), err
}

func TestUserCommands(t *testing.T) {
	db := t.TempDir() + "/c.db"
	if _, err := cli(t, db, "correct horse battery\n", "user", "add", "owner@shop.test"); err == nil || !strings.Contains(err.Error(), "--password-stdin") {
		t.Fatalf("piped password without --password-stdin: %v", err)
	}
	if out, err := cli(t, db, "correct horse battery\n", "user", "add", "owner@shop.test", "--password-stdin"); err != nil || !strings.Contains(out, "owner@shop.test added") {
		t.Fatalf("user add: %q %v", out, err)
	}
	if _, err := cli(t, db, "another long password\n", "user", "add", "OWNER@shop.test", "--password-stdin"); err == nil {
		t.Fatal("a second user with the same email (other case) was added")
	}
	if _, err := cli(t, db, "short\n", "user", "add", "b@shop.test", "--password-stdin"); err == nil {
		t.Fatal("a short password was accepted")
	}
	if _, err := cli(t, db, "", "user", "add", "not-an-email", "--password-stdin"); err == nil {
		t.Fatal("not an email accepted")
	}
	out, err := cli(t, db, "", "user", "list")
	if err != nil || !strings.Contains(out, "owner@shop.test") || strings.Contains(out, "argon2") {
		t.Fatalf("user list: %q %v", out, err)
	}

	s, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	u, err := s.UserByEmail(context.Background(), "owner@shop.test")
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := admin.CheckPassword(u.PasswordHash, "correct horse battery"); !ok || !strings.HasPrefix(u.PasswordHash, "$argon2id$") {
		t.Fatalf("stored hash %q does not check", u.PasswordHash)
	}

	if _, err := cli(t, db, "", "user", "remove", "owner@shop.test"); err != nil {
		t.Fatal(err)
	}
	if _, err := cli(t, db, "", "user", "remove", "owner@shop.test"); err == nil {
		t.Fatal("removing a missing user succeeded")
	}
	if _, err := cli(t, db, "", "user"); err == nil {
		t.Fatal("user without a verb succeeded")
	}
}

func TestAPIKeyCommands(t *testing.T) {
	db := t.TempDir() + "/c.db"
	out, err := cli(t, db, "", "apikey", "create", "web shop")
	if err != nil {
		t.Fatal(err)
	}
	fields := strings.Fields(out)
	id, key := fields[2], fields[len(fields)-1]
	if !strings.HasPrefix(id, "key_") || !strings.HasPrefix(key, store.APIKeyPrefix) {
		t.Fatalf("apikey create printed %q", out)
	}
	list, err := cli(t, db, "", "apikey", "list")
	if err != nil || !strings.Contains(list, id) || !strings.Contains(list, "web shop") || strings.Contains(list, key) {
		t.Fatalf("apikey list: %q %v", list, err)
	}
	if _, err := cli(t, db, "", "apikey", "revoke", id); err != nil {
		t.Fatal(err)
	}
	if _, err := cli(t, db, "", "apikey", "revoke", id); err == nil {
		t.Fatal("revoking twice succeeded")
	}
	s, err := store.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got, _ := s.APIKeyID(context.Background(), key); got != "" {
		t.Fatal("a revoked key authenticates")
	}
}
