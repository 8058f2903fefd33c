package main

import (
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// runNodes measures order creation (POST /api/v1/orders) and the pay page (GET /pay/{id}, with
// the session cookie) with 1 node on SQLite, then 1, 2, 4 … nodes of the binary on one
// PostgreSQL (a fresh schema each). The load is the same in every configuration: b.conns
// connections in all, split evenly over the nodes, one wrk per node run at the same time
// (b.threads threads in all, at least one per node); the figures are the sum of the wrks' req/s
// and the worst of their p99s, the median over rounds.
//
// On one machine this measures what nodes cost, not what they add: every node, wrk and the
// database share the same cores. See README, Several nodes on PostgreSQL.
func (b *bench) runNodes(bin, pgURL, counts string, rounds int) error {
	if pgURL == "" {
		return errors.New("-nodes needs -pg postgres://… (scripts/bench-nodes.sh starts a PostgreSQL)")
	}
	admin, err := sql.Open("pgx", pgURL)
	if err != nil {
		return err
	}
	defer admin.Close()
	tmp, err := os.MkdirTemp("", "bawaba-bench-nodes-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	b.tmp = tmp

	type config struct {
		label string
		db    string
		n     int
	}
	configs := []config{{"sqlite", filepath.Join(tmp, "checkout.db"), 1}}
	for _, s := range strings.Split(counts, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			return fmt.Errorf("-nodes: %q is not a node count", s)
		}
		schema := "bench_" + strings.ToLower(rand.Text()[:12])
		if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
			return err
		}
		defer admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		u, err := url.Parse(pgURL)
		if err != nil {
			return err
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		configs = append(configs, config{"postgres", u.String(), n})
	}
	fmt.Fprintf(os.Stderr, "%d rounds of %d connections in all, -d%s, split over the nodes\n", rounds, b.conns, b.dur)
	for _, c := range configs {
		line, err := b.measureNodes(bin, c.db, c.n, rounds)
		if err != nil {
			return fmt.Errorf("%s nodes=%d: %w", c.label, c.n, err)
		}
		fmt.Printf("%s nodes=%d %s\n", c.label, c.n, line)
	}
	return nil
}

// measureNodes starts n nodes on db, and measures order creation and the pay page across them.
func (b *bench) measureNodes(bin, db string, n, rounds int) (string, error) {
	apps := make([]string, n)
	for i := range n {
		app, key, stop, err := startServer(bin, db, i == 0) // the first start prints the demo key
		if err != nil {
			return "", err
		}
		defer stop()
		apps[i] = app
		if i == 0 {
			b.app, b.key = app, key
		}
	}
	payID, err := b.createOrder()
	if err != nil {
		return "", err
	}
	_, cookie, err := b.firstLoad("/pay/" + payID) // the cookie is signed with keys every node reads
	if err != nil {
		return "", err
	}
	createLua := filepath.Join(b.tmp, "create.lua")
	if err := os.WriteFile(createLua, []byte(fmt.Sprintf(`wrk.method = "POST"
wrk.body = %q
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer %s"
`, orderJSON, b.key)), 0o600); err != nil {
		return "", err
	}
	var create, pay []wrkRun
	for range rounds {
		r, err := b.acrossNodes("create", apps, "/api/v1/orders", "-s", createLua)
		if err != nil {
			return "", err
		}
		create = append(create, r)
		if r, err = b.acrossNodes("pay", apps, "/pay/"+payID, "-H", "Cookie: "+cookie, "-H", "Accept-Language: ar"); err != nil {
			return "", err
		}
		pay = append(pay, r)
	}
	return fmt.Sprintf("create_order_rps=%.0f create_p99=%s pay_page_rps=%.0f pay_p99=%s",
		medianRPS(create), medianP99(create), medianRPS(pay), medianP99(pay)), nil
}

// acrossNodes runs one wrk per node at the same time, the connections split evenly, and sums
// them: req/s added, the worst p99.
func (b *bench) acrossNodes(label string, apps []string, path string, extra ...string) (wrkRun, error) {
	n := len(apps)
	threads, conns := max(1, b.threads/n), max(1, b.conns/n)
	runs := make([]wrkRun, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i, app := range apps {
		wg.Go(func() {
			runs[i], errs[i] = b.wrkWith(fmt.Sprintf("%s node%d", label, i), app+path, threads, conns, extra...)
		})
	}
	wg.Wait()
	var sum wrkRun
	for i, r := range runs {
		if errs[i] != nil {
			return sum, errs[i]
		}
		sum.rps += r.rps
		sum.p99 = max(sum.p99, r.p99)
	}
	b.logf("%-14s %8.0f req/s in all over %d nodes (p99 %s)", label, sum.rps, n, sum.p99.Round(time.Microsecond))
	return sum, nil
}
