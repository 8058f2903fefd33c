package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/bawaba/checkout/store"
)

// copyCommand is `checkout copy --from sqlite:FILE --to postgres://…`: it moves a shop that
// outgrew one machine into PostgreSQL (any CHECKOUT_DB value works on both sides). The target
// is migrated first and must be empty; stop the servers on the source before copying, so that
// nothing is written there after the snapshot. It prints every figure it compared (each
// table's rows, the money by currency and status) and fails when any differs.
func copyCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("checkout copy", flag.ContinueOnError)
	fs.SetOutput(stderr)
	from := fs.String("from", "", "the database to copy: sqlite:FILE (or any CHECKOUT_DB value)")
	to := fs.String("to", "", "the empty database to copy into: postgres://… (or any CHECKOUT_DB value)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if *from == "" || *to == "" || fs.NArg() > 0 {
		return errors.New("usage: checkout copy --from sqlite:FILE --to postgres://user@host/db")
	}
	if *from == *to {
		return errors.New("copy: --from and --to are the same database")
	}
	src, err := store.Open(ctx, *from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := store.Open(ctx, *to)
	if err != nil {
		return err
	}
	defer dst.Close()
	checks, err := store.Copy(ctx, src, dst)
	for _, c := range checks {
		mark := "ok"
		if c.Source != c.Dest {
			mark = "DIFFERS"
		}
		fmt.Fprintf(stdout, "%-44s %12d %12d  %s\n", c.What, c.Source, c.Dest, mark)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "copied %s (%s) to %s (%s): every count and sum matches\n",
		store.Redact(*from), src.Dialect(), store.Redact(*to), dst.Dialect())
	return nil
}
