package main

import (
	"net/url"
	"strings"
	"testing"

	"github.com/bawaba/checkout/internal/dbtest"
)

// checkout migrate works on both databases, says the same version, and never prints a
// PostgreSQL password.
func TestMigrateBothDatabases(t *testing.T) {
	pg, err := url.Parse(dbtest.PostgresDB(t))
	if err != nil {
		t.Fatal(err)
	}
	pg.User = url.UserPassword(pg.User.Username(), "s3cret-pw") // trust auth: accepted, unused
	var versions []string
	for _, db := range []string{t.TempDir() + "/m.db", pg.String()} {
		var outs []string
		for range 2 { // the second run finds nothing to apply
			out, err := cli(t, db, "", "migrate")
			if err != nil {
				t.Fatalf("migrate %s: %v", db, err)
			}
			outs = append(outs, out)
		}
		_, v, ok := strings.Cut(outs[0], "is at schema version ")
		if !ok || outs[1] != outs[0] {
			t.Errorf("migrate printed %q then %q; want the schema version twice", outs[0], outs[1])
		}
		versions = append(versions, v)
		if strings.Contains(outs[0], "s3cret-pw") {
			t.Errorf("migrate printed the password: %q", outs[0])
		}
	}
	if versions[0] != versions[1] {
		t.Errorf("SQLite is at version %q, PostgreSQL at %q; want the same", versions[0], versions[1])
	}
}

// checkout copy moves a SQLite shop (here: its users and API keys, made by the CLI) into
// PostgreSQL and prints the figures it compared; the copy serves the same key.
func TestCopyCommand(t *testing.T) {
	pg := dbtest.PostgresDB(t)
	file := t.TempDir() + "/shop.db"
	if _, err := cli(t, file, "correct horse battery\n", "user", "add", "owner@shop.test", "--password-stdin"); err != nil {
		t.Fatal(err)
	}
	if _, err := cli(t, file, "", "apikey", "create", "web shop"); err != nil {
		t.Fatal(err)
	}
	if _, err := cli(t, "", "", "copy", "--from", "sqlite:"+file); err == nil {
		t.Error("copy without --to succeeded")
	}
	out, err := cli(t, "", "", "copy", "--from", "sqlite:"+file, "--to", pg)
	if err != nil {
		t.Fatalf("copy: %v\n%s", err, out)
	}
	for _, want := range []string{"users rows", "api_keys rows", "every count and sum matches"} {
		if !strings.Contains(out, want) {
			t.Errorf("copy printed %q, want %q", out, want)
		}
	}
	if list, err := cli(t, pg, "", "user", "list"); err != nil || !strings.Contains(list, "owner@shop.test") {
		t.Errorf("user list on the copy: %q %v", list, err)
	}
	if _, err := cli(t, "", "", "copy", "--from", "sqlite:"+file, "--to", pg); err == nil {
		t.Error("a second copy into the same database succeeded")
	}
}

// checkout backup then checkout restore: the key made before the backup is back, the one made
// after it is gone, and the replaced database is kept.
func TestBackupRestoreCommands(t *testing.T) {
	dir := t.TempDir()
	db, backup := dir+"/shop.db", dir+"/backup.db"
	if _, err := cli(t, db, "", "apikey", "create", "before"); err != nil {
		t.Fatal(err)
	}
	if out, err := cli(t, db, "", "backup", backup); err != nil {
		t.Fatalf("backup: %v %s", err, out)
	}
	if _, err := cli(t, db, "", "apikey", "create", "after"); err != nil {
		t.Fatal(err)
	}
	if _, err := cli(t, db, "", "restore"); err == nil {
		t.Error("restore without a FILE succeeded")
	}
	out, err := cli(t, db, "", "restore", backup)
	if err != nil || !strings.Contains(out, "integrity ok") || !strings.Contains(out, "kept at "+db+".before-restore-") {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	keys, err := cli(t, db, "", "apikey", "list")
	if err != nil || !strings.Contains(keys, "before") || strings.Contains(keys, "after") {
		t.Errorf("keys after the restore: %v\n%s", err, keys)
	}
}
