// Command checkout is Bawaba: a self-hosted, bilingual hosted checkout in one binary.
//
//	checkout [serve] [flags]   run the server (the default)
//	checkout version           print the version
//	checkout migrate           apply database migrations and exit
//	checkout backup FILE       write an online backup of the database to FILE
//	checkout restore FILE      put a backup in place of the database (server stopped; the old one is kept)
//	checkout webhook-secret    print the secret that signs merchant webhooks
//	checkout copy --from sqlite:FILE --to postgres://…   move a shop to another database
//	checkout user add EMAIL    add a console user (password from the terminal, or --password-stdin)
//	checkout user list | remove EMAIL
//	checkout apikey create NAME | list | revoke ID
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	_ "time/tzdata" // receipts show Gulf and Thai local times even in a scratch image

	"github.com/bawaba/checkout/logging"
	"github.com/bawaba/checkout/settings"
	"github.com/bawaba/checkout/store"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "checkout:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		cmd, args = args[0], args[1:]
	}
	fs := flag.NewFlagSet("checkout "+cmd, flag.ContinueOnError)
	var verb string        // user add, apikey create …
	var passwordStdin bool // user add --password-stdin
	fs.SetOutput(stderr)
	switch cmd {
	case "version":
		fmt.Fprintln(stdout, "bawaba checkout", version)
		return nil
	case "copy":
		return copyCommand(ctx, args, stdout, stderr)
	case "healthcheck":
		return healthcheck(ctx, env("CHECKOUT_ADDR", ":8080"), stdout)
	case "serve", "migrate", "backup", "restore", "webhook-secret":
	case "user", "apikey":
		var err error
		if verb, args, passwordStdin, err = splitVerb(cmd, args); err != nil {
			return err
		}
	default:
		return fmt.Errorf("unknown command %q: use serve, version, migrate, backup FILE, restore FILE, webhook-secret, user, apikey, copy or healthcheck", cmd)
	}
	cfg, err := loadConfig(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if cmd != "backup" && cmd != "restore" && cmd != "user" && cmd != "apikey" && fs.NArg() > 0 {
		return fmt.Errorf("%s takes no arguments, got %q", cmd, fs.Args())
	}
	level, _ := parseLevel(cfg.LogLevel)
	log, err := logging.New(stderr, cfg.LogFormat, level)
	if err != nil {
		return err
	}
	slog.SetDefault(log)

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	if cmd == "restore" { // before Open: the database is replaced, not opened
		return restoreCommand(ctx, cfg.DB, fs.Args(), stdout)
	}
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()

	switch cmd {
	case "migrate":
		v, err := db.SchemaVersion(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "database %s is at schema version %d\n", store.Redact(cfg.DB), v)
		return nil
	case "backup":
		if fs.NArg() != 1 {
			return errors.New("usage: checkout backup FILE")
		}
		if err := db.Backup(ctx, fs.Arg(0)); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "backup written to %s\n", fs.Arg(0))
		return nil
	case "user":
		return userCommand(ctx, db, verb, fs.Args(), passwordStdin, stdout, stderr)
	case "apikey":
		return apikeyCommand(ctx, db, verb, fs.Args(), stdout)
	case "webhook-secret":
		secret, err := webhookSecret(ctx, db)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, secret)
		return nil
	}
	return serve(ctx, cfg, db, log, stdout)
}

// webhookSecret returns the secret that signs merchant webhooks: CHECKOUT_WEBHOOK_SECRET when
// set, else the stored one (generated on first use, rotated in the console).
func webhookSecret(ctx context.Context, db *store.DB) (string, error) {
	s, err := settings.LoadSecrets(ctx, db, os.Getenv("CHECKOUT_WEBHOOK_SECRET"), nil)
	if err != nil {
		return "", err
	}
	return s.Current(), nil
}

// restoreCommand is `checkout restore FILE` (store.Restore): run it with the server stopped.
func restoreCommand(ctx context.Context, db string, args []string, stdout io.Writer) error {
	if len(args) != 1 {
		return errors.New("usage: checkout restore FILE (a file checkout backup wrote; stop the server first)")
	}
	r, err := store.Restore(ctx, args[0], db)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored %s to %s: integrity ok, schema version %d, %d orders\n", args[0], store.Redact(db), r.SchemaVersion, r.Orders)
	if r.Kept != "" {
		fmt.Fprintf(stdout, "the database it replaced is kept at %s\n", r.Kept)
	}
	return nil
}
