package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"golang.org/x/term"

	"github.com/bawaba/checkout/admin"
	"github.com/bawaba/checkout/store"
)

// stdin is where `checkout user add` reads the password; a variable for tests.
var stdin io.Reader = os.Stdin

// splitVerb takes the verb of a command with sub-commands ("user add …") and pulls out the
// boolean --password-stdin wherever it is, leaving flags and arguments to loadConfig.
func splitVerb(cmd string, args []string) (verb string, rest []string, passwordStdin bool, err error) {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		return "", nil, false, usageOf(cmd)
	}
	verb = args[0]
	for _, a := range args[1:] {
		if a == "--password-stdin" || a == "-password-stdin" {
			passwordStdin = true
			continue
		}
		rest = append(rest, a)
	}
	return verb, rest, passwordStdin, nil
}

func usageOf(cmd string) error {
	if cmd == "user" {
		return errors.New("usage: checkout user add EMAIL [--password-stdin] | checkout user list | checkout user remove EMAIL")
	}
	return errors.New("usage: checkout apikey create NAME | checkout apikey list | checkout apikey revoke ID")
}

// userCommand runs `checkout user add|list|remove`.
func userCommand(ctx context.Context, db *store.DB, verb string, args []string, passwordStdin bool, stdout, stderr io.Writer) error {
	switch {
	case verb == "add" && len(args) == 1:
		email := strings.TrimSpace(args[0])
		if !strings.Contains(email, "@") || strings.ContainsAny(email, " \t") {
			return fmt.Errorf("user add: %q is not an email address", email)
		}
		password, err := readPassword(passwordStdin, stderr)
		if err != nil {
			return err
		}
		hash, err := admin.HashPassword(password)
		if err != nil {
			return fmt.Errorf("user add: %w", err)
		}
		u, err := db.CreateUser(ctx, email, hash)
		if err != nil {
			return fmt.Errorf("user add: %w", err)
		}
		fmt.Fprintf(stdout, "user %s added (%s): log in at /admin/login\n", u.Email, u.ID)
		return nil
	case verb == "list" && len(args) == 0:
		users, err := db.Users(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "EMAIL\tID\tCREATED\tLAST LOGIN")
		for _, u := range users {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u.Email, u.ID, stamp(u.CreatedAt), stamp(u.LastLoginAt))
		}
		return tw.Flush()
	case verb == "remove" && len(args) == 1:
		if err := db.RemoveUser(ctx, args[0]); err != nil {
			if errors.Is(err, store.ErrNoUser) {
				return fmt.Errorf("user remove: no user %q", args[0])
			}
			return err
		}
		fmt.Fprintf(stdout, "user %s removed; their sessions end at their next request\n", args[0])
		return nil
	}
	return usageOf("user")
}

// apikeyCommand runs `checkout apikey create|list|revoke`.
func apikeyCommand(ctx context.Context, db *store.DB, verb string, args []string, stdout io.Writer) error {
	switch {
	case verb == "create" && len(args) == 1 && strings.TrimSpace(args[0]) != "":
		id, key, err := db.CreateAPIKey(ctx, strings.TrimSpace(args[0]))
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "API key %s created. The key, shown only this once (it is stored hashed):\n%s\n", id, key)
		return nil
	case verb == "list" && len(args) == 0:
		keys, err := db.APIKeys(ctx)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tENDS WITH\tCREATED\tLAST USED\tREVOKED")
		for _, k := range keys {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", k.ID, k.Name, k.Hint, stamp(k.CreatedAt), stamp(k.LastUsedAt), stamp(k.RevokedAt))
		}
		return tw.Flush()
	case verb == "revoke" && len(args) == 1:
		ok, err := db.RevokeAPIKey(ctx, args[0])
		if err != nil {
			return err
		}
		if !ok {
			return fmt.Errorf("apikey revoke: no active key %q (see checkout apikey list)", args[0])
		}
		fmt.Fprintf(stdout, "API key %s revoked: requests with it now answer 401\n", args[0])
		return nil
	}
	return usageOf("apikey")
}

func stamp(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}

// readPassword reads the new user's password: with --password-stdin the first line of stdin (for
// scripts); else from the terminal without echo, twice. Piped input without the flag is refused,
// so a password never comes from somewhere the operator did not mean.
func readPassword(fromStdin bool, prompt io.Writer) (string, error) {
	if fromStdin {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", err
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	f, ok := stdin.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return "", errors.New("user add: stdin is not a terminal; pass --password-stdin to read the password from it")
	}
	fmt.Fprint(prompt, "Password: ")
	p1, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(prompt)
	if err != nil {
		return "", err
	}
	fmt.Fprint(prompt, "Repeat it: ")
	p2, err := term.ReadPassword(int(f.Fd()))
	fmt.Fprintln(prompt)
	if err != nil {
		return "", err
	}
	if string(p1) != string(p2) {
		return "", errors.New("user add: the two passwords differ")
	}
	return string(p1), nil
}
