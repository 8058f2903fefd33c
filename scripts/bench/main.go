// Command bench measures Bawaba against what it is built on, in one run on one machine, and
// prints one line per measure as a ratio (scripts/bench.sh builds and runs it; `make bench`).
//
//   - pay_page, result_page: req/s and p99 of the real binary serving GET /pay/{id} and
//     GET /pay/{id}/result, against a tiny fiber static-file server serving the same bytes.
//     Both are driven by wrk with the same threads, connections and duration; the runs are
//     interleaved (static, app, static, app …) and the medians compared, so a neighbour taking
//     the CPU for a while hurts both sides alike. The app requests carry the session cookie the
//     first load set (a shopper reloading), as a browser would.
//   - create_order: POST /api/v1/orders (wrk, a Lua script) against a raw SQLite loop doing one
//     transaction of one order row plus one event row, on a file opened with the store's own
//     settings (store.DSN: WAL, synchronous=FULL, IMMEDIATE transactions).
//   - first_load_bytes: what a first visit to the pay page downloads (the page and every asset
//     it links), bodies as sent to a browser that accepts br and gzip; headers are not counted.
//
// Ratios rather than absolute figures, because the two cores are shared: both sides of a ratio
// see the same machine.
package main

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bawaba/checkout/store"
)

func main() {
	bin := flag.String("bin", "bin/checkout", "the checkout binary to measure")
	dur := flag.Duration("d", 5*time.Second, "duration of each wrk run")
	rounds := flag.Int("rounds", 3, "interleaved rounds; the median of each side is compared")
	threads := flag.Int("t", 2, "wrk threads")
	conns := flag.Int("c", 32, "wrk connections")
	verbose := flag.Bool("v", false, "print every run")
	nodes := flag.String("nodes", "", "instead of the ratios: order creation and the pay page on PostgreSQL (-pg) with these node counts, e.g. 1,2,4 (nodes.go)")
	pg := flag.String("pg", "", "with -nodes: a postgres:// URL of a role that may create schemas (scripts/bench-nodes.sh starts one)")
	flag.Parse()
	b := &bench{dur: *dur, threads: *threads, conns: *conns, verbose: *verbose}
	run := func() error { return b.run(*bin, *rounds) }
	if *nodes != "" {
		run = func() error { return b.runNodes(*bin, *pg, *nodes, *rounds) }
	}
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

type bench struct {
	dur            time.Duration
	threads, conns int
	verbose        bool
	tmp            string
	app, static    string // base URLs
	key            string // the sandbox demo API key
}

// wrkRun is one wrk result.
type wrkRun struct {
	rps    float64
	p99    time.Duration
	errors int // non-2xx/3xx answers and socket errors
}

func (b *bench) run(bin string, rounds int) error {
	tmp, err := os.MkdirTemp("", "bawaba-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	b.tmp = tmp

	stop, err := b.startApp(bin)
	if err != nil {
		return err
	}
	defer stop()
	stopStatic, err := b.startStatic()
	if err != nil {
		return err
	}
	defer stopStatic()

	// The pages under test: an open order's pay page, a cancelled order's result page.
	payID, err := b.createOrder()
	if err != nil {
		return err
	}
	cancelID, err := b.createOrder()
	if err != nil {
		return err
	}
	if _, err := b.do("POST", "/api/v1/orders/"+cancelID+"/cancel", "", nil); err != nil {
		return err
	}
	first, cookie, err := b.firstLoad("/pay/" + payID)
	if err != nil {
		return err
	}
	pay, err := b.page("/pay/"+payID, cookie, "pay.html")
	if err != nil {
		return err
	}
	result, err := b.page("/pay/"+cancelID+"/result", cookie, "result.html")
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "pay page %d bytes, result page %d bytes; %d rounds of wrk -t%d -c%d -d%s\n",
		pay, result, rounds, b.threads, b.conns, b.dur)

	createLua := filepath.Join(tmp, "create.lua")
	if err := os.WriteFile(createLua, []byte(fmt.Sprintf(`wrk.method = "POST"
wrk.body = %q
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer %s"
`, orderJSON, b.key)), 0o600); err != nil {
		return err
	}

	var payApp, payStatic, resApp, resStatic, create []wrkRun
	var raw []float64
	cookieHdr := []string{"-H", "Cookie: " + cookie, "-H", "Accept-Language: ar"}
	for r := range rounds {
		steps := []func() error{
			func() error { return b.wrk(&payStatic, "static pay", b.static+"/pay.html") },
			func() error { return b.wrk(&payApp, "app pay", b.app+"/pay/"+payID, cookieHdr...) },
			func() error { return b.wrk(&resStatic, "static result", b.static+"/result.html") },
			func() error {
				return b.wrk(&resApp, "app result", b.app+"/pay/"+cancelID+"/result", cookieHdr...)
			},
			func() error {
				v, err := rawSQLite(filepath.Join(tmp, fmt.Sprintf("raw-%d.db", r)), b.dur)
				b.logf("raw sqlite: %.0f tx/s", v)
				raw = append(raw, v)
				return err
			},
			func() error { return b.wrk(&create, "app create", b.app+"/api/v1/orders", "-s", createLua) },
		}
		for _, s := range steps {
			if err := s(); err != nil {
				return err
			}
		}
	}
	fmt.Printf("pay_page ratio=%.2f p99_ratio=%.1f app_rps=%.0f static_rps=%.0f app_p99=%s static_p99=%s\n", ratio(payApp, payStatic), p99Ratio(payApp, payStatic),
		medianRPS(payApp), medianRPS(payStatic), medianP99(payApp), medianP99(payStatic))
	fmt.Printf("result_page ratio=%.2f p99_ratio=%.1f app_rps=%.0f static_rps=%.0f app_p99=%s static_p99=%s\n", ratio(resApp, resStatic), p99Ratio(resApp, resStatic),
		medianRPS(resApp), medianRPS(resStatic), medianP99(resApp), medianP99(resStatic))
	fmt.Printf("create_order ratio=%.2f app_rps=%.0f raw_tx_per_s=%.0f\n", medianRPS(create)/median(raw), medianRPS(create), median(raw))
	fmt.Printf("first_load_bytes=%d %s\n", first.total, first.detail)
	return nil
}

func (b *bench) logf(format string, args ...any) {
	if b.verbose {
		fmt.Fprintf(os.Stderr, format+"\n", args...)
	}
}

func freePort() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

var keyRe = regexp.MustCompile(`bwb_sk_[A-Za-z0-9]+`)

// startApp runs the real binary in sandbox mode on a fresh database and reads the demo key it
// prints on its first start.
func (b *bench) startApp(bin string) (func(), error) {
	app, key, stop, err := startServer(bin, filepath.Join(b.tmp, "checkout.db"), true)
	b.app, b.key = app, key
	return stop, err
}

// startServer runs the binary in sandbox mode on db (a CHECKOUT_DB value) and waits until it is
// healthy; with wantKey, it reads the demo key the server prints on its first start.
func startServer(bin, db string, wantKey bool) (app, key string, stop func(), err error) {
	addr, err := freePort()
	if err != nil {
		return "", "", nil, err
	}
	app = "http://" + addr
	cmd := exec.Command(bin, "serve", "-addr", addr, "-db", db,
		"-base-url", app, "-mode", "sandbox", "-log-level", "warn")
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return "", "", nil, err
	}
	if err := cmd.Start(); err != nil {
		return "", "", nil, fmt.Errorf("start %s: %w", bin, err)
	}
	stop = func() {
		cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
		}
	}
	keyc := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		sent := false
		for sc.Scan() {
			if k := keyRe.FindString(sc.Text()); k != "" && !sent {
				keyc <- k
				sent = true
			}
		}
	}()
	if wantKey {
		select {
		case key = <-keyc:
		case <-time.After(30 * time.Second):
			stop()
			return "", "", nil, errors.New("the server printed no demo key in 30s")
		}
	}
	for i := 0; ; i++ {
		res, err := http.Get(app + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				break
			}
		}
		if i > 100 {
			stop()
			return "", "", nil, fmt.Errorf("the server is not healthy: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	return app, key, stop, nil
}

// startStatic serves the files of tmp/static with fiber's static handler (kept in memory by
// fasthttp), the baseline the pages are compared with.
func (b *bench) startStatic() (func(), error) {
	dir := filepath.Join(b.tmp, "static")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	addr, err := freePort()
	if err != nil {
		return nil, err
	}
	b.static = "http://" + addr
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Static("/", dir)
	go app.Listen(addr)
	for range 50 {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return func() { app.Shutdown() }, nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	return nil, errors.New("static server did not start")
}

// orderJSON is the order every measure creates: Arabic, with items, like a real shop's.
const orderJSON = `{"amount":"6.000","currency":"KWD","description":"طقم قهوة عربية",` +
	`"items":[{"name":"دلة","quantity":2,"unit_amount":"3.000"}],` +
	`"customer":{"name":"Fatima Al-Sabah","email":"fatima@example.com"},"locale":"ar",` +
	`"return_url":"https://shop.example/thanks","cancel_url":"https://shop.example/cart"}`

func (b *bench) do(method, path, body string, hdr map[string]string) ([]byte, error) {
	req, err := http.NewRequest(method, b.app+path, strings.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+b.key)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	data, err := io.ReadAll(res.Body)
	if res.StatusCode >= 300 {
		return nil, fmt.Errorf("%s %s: %d %s", method, path, res.StatusCode, data)
	}
	return data, err
}

func (b *bench) createOrder() (string, error) {
	data, err := b.do("POST", "/api/v1/orders", orderJSON, nil)
	if err != nil {
		return "", err
	}
	var o struct{ ID string }
	if err := json.Unmarshal(data, &o); err != nil || o.ID == "" {
		return "", fmt.Errorf("create order: %v %s", err, data)
	}
	return o.ID, nil
}

// page fetches a page as the benchmark's browser will (with the cookie, uncompressed, as wrk
// asks) and writes its bytes for the static server.
func (b *bench) page(path, cookie, name string) (int, error) {
	data, err := b.do("GET", path, "", map[string]string{"Cookie": cookie, "Accept-Language": "ar"})
	if err != nil {
		return 0, err
	}
	if !bytes.Contains(data, []byte(`dir="rtl"`)) {
		return 0, fmt.Errorf("%s is not the Arabic page", path)
	}
	return len(data), os.WriteFile(filepath.Join(b.tmp, "static", name), data, 0o600)
}

type loadSize struct {
	total  int
	detail string
}

var assetRe = regexp.MustCompile(`(?:href|src)="(/assets/[^"]+)"`)

// firstLoad downloads the page and every asset it links as a first-time browser accepting br
// and gzip would, and returns the bytes of the bodies as sent, and the session cookie set.
func (b *bench) firstLoad(path string) (loadSize, string, error) {
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	get := func(p string) ([]byte, int, http.Header, error) {
		req, _ := http.NewRequest("GET", b.app+p, nil)
		req.Header.Set("Accept-Encoding", "br, gzip")
		req.Header.Set("Accept-Language", "ar")
		res, err := client.Do(req)
		if err != nil {
			return nil, 0, nil, err
		}
		defer res.Body.Close()
		data, err := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusOK {
			return nil, 0, nil, fmt.Errorf("GET %s: %d", p, res.StatusCode)
		}
		return data, len(data), res.Header, err
	}
	html, n, hdr, err := get(path)
	if err != nil {
		return loadSize{}, "", err
	}
	var cookie string
	for _, c := range (&http.Response{Header: hdr}).Cookies() {
		cookie = c.Name + "=" + c.Value
	}
	if enc := hdr.Get("Content-Encoding"); enc != "" {
		html, err = decode(enc, html)
		if err != nil {
			return loadSize{}, "", err
		}
	}
	sizes := map[string]int{"html": n}
	total := n
	seen := map[string]bool{}
	for _, m := range assetRe.FindAllStringSubmatch(string(html), -1) {
		if seen[m[1]] {
			continue
		}
		seen[m[1]] = true
		_, n, _, err := get(m[1])
		if err != nil {
			return loadSize{}, "", err
		}
		sizes[strings.TrimPrefix(filepath.Ext(m[1]), ".")] += n
		total += n
	}
	keys := make([]string, 0, len(sizes))
	for k := range sizes {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s=%d", k, sizes[k]))
	}
	return loadSize{total: total, detail: "(" + strings.Join(parts, " ") + "; " + strconv.Itoa(len(seen)) + " assets; headers not counted)"}, cookie, nil
}

// wrk runs wrk once against url and appends its result.
func (b *bench) wrk(into *[]wrkRun, label, url string, extra ...string) error {
	r, err := b.wrkWith(label, url, b.threads, b.conns, extra...)
	if err != nil {
		return err
	}
	*into = append(*into, r)
	return nil
}

// wrkWith runs wrk once against url with that many threads and connections.
func (b *bench) wrkWith(label, url string, threads, conns int, extra ...string) (wrkRun, error) {
	args := append([]string{"-t" + strconv.Itoa(threads), "-c" + strconv.Itoa(conns),
		"-d" + b.dur.String(), "--latency"}, extra...)
	args = append(args, url)
	out, err := exec.Command("wrk", args...).CombinedOutput()
	if err != nil {
		return wrkRun{}, fmt.Errorf("wrk %s: %w\n%s", label, err, out)
	}
	r, err := parseWrk(string(out))
	if err != nil {
		return wrkRun{}, fmt.Errorf("wrk %s: %w\n%s", label, err, out)
	}
	if r.errors > 0 {
		return wrkRun{}, fmt.Errorf("wrk %s: %d failed requests\n%s", label, r.errors, out)
	}
	b.logf("%-14s %8.0f req/s  p99 %s", label, r.rps, r.p99)
	return r, nil
}

var (
	rpsRe    = regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`)
	p99Re    = regexp.MustCompile(`\s99%\s+([0-9.]+)(us|ms|s)`)
	non2xxRe = regexp.MustCompile(`Non-2xx or 3xx responses: (\d+)`)
	sockRe   = regexp.MustCompile(`Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)`)
)

func parseWrk(out string) (wrkRun, error) {
	var r wrkRun
	m := rpsRe.FindStringSubmatch(out)
	if m == nil {
		return r, errors.New("no Requests/sec in the output")
	}
	r.rps, _ = strconv.ParseFloat(m[1], 64)
	m = p99Re.FindStringSubmatch(out)
	if m == nil {
		return r, errors.New("no 99% latency in the output")
	}
	v, _ := strconv.ParseFloat(m[1], 64)
	unit := map[string]time.Duration{"us": time.Microsecond, "ms": time.Millisecond, "s": time.Second}[m[2]]
	r.p99 = time.Duration(v * float64(unit))
	if m := non2xxRe.FindStringSubmatch(out); m != nil {
		r.errors, _ = strconv.Atoi(m[1])
	}
	if m := sockRe.FindStringSubmatch(out); m != nil {
		for _, s := range m[1:] {
			n, _ := strconv.Atoi(s)
			r.errors += n
		}
	}
	return r, nil
}

// rawSQLite is the rate of one-order-plus-one-event transactions a single writer gets from
// SQLite on a fresh file with the store's schema and settings: the ceiling order creation is
// measured against.
func rawSQLite(path string, d time.Duration) (float64, error) {
	ctx := context.Background()
	st, err := store.Open(ctx, path) // the schema, by the store's own migrations
	if err != nil {
		return 0, err
	}
	st.Close()
	db, err := sql.Open("sqlite", store.DSN(path, true))
	if err != nil {
		return 0, err
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	items := `[{"name":"دلة","quantity":2,"unit_amount":"3.000"}]`
	customer := `{"name":"Fatima Al-Sabah","email":"fatima@example.com"}`
	start := time.Now()
	n := 0
	for time.Since(start) < d {
		now := time.Now().UnixMilli()
		id := fmt.Sprintf("ord_raw%017d", n)
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return 0, err
		}
		if _, err := tx.Exec(`INSERT INTO orders (id, reference, amount, currency, description, items, customer,
			locale, return_url, cancel_url, webhook_url, methods, metadata, status, needs_review, expires_at,
			created_at, updated_at, paid_at, amount_minor) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
			id, "", "6.000", "KWD", "طقم قهوة عربية", items, customer, "ar", "https://shop.example/thanks",
			"https://shop.example/cart", "", "[]", "{}", "open", 0, now+1800_000, now, now, 0, 6000); err != nil {
			tx.Rollback()
			return 0, err
		}
		if _, err := tx.Exec("INSERT INTO events (order_id, attempt_id, type, data, created_at) VALUES (?,?,?,?,?)",
			id, "", "order.created", `{"amount":"6.000","currency":"KWD"}`, now); err != nil {
			tx.Rollback()
			return 0, err
		}
		if err := tx.Commit(); err != nil {
			return 0, err
		}
		n++
	}
	return float64(n) / time.Since(start).Seconds(), nil
}

func decode(enc string, data []byte) ([]byte, error) {
	switch enc {
	case "gzip":
		return gunzip(data)
	case "br":
		return unbrotli(data)
	}
	return nil, fmt.Errorf("unknown Content-Encoding %q", enc)
}

func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	return s[len(s)/2]
}

func medianRPS(runs []wrkRun) float64 {
	v := make([]float64, len(runs))
	for i, r := range runs {
		v[i] = r.rps
	}
	return median(v)
}

func medianP99(runs []wrkRun) time.Duration {
	v := make([]float64, len(runs))
	for i, r := range runs {
		v[i] = float64(r.p99)
	}
	return time.Duration(median(v)).Round(10 * time.Microsecond)
}

func ratio(app, static []wrkRun) float64 { return medianRPS(app) / medianRPS(static) }

func p99Ratio(app, static []wrkRun) float64 {
	return float64(medianP99(app)) / float64(medianP99(static))
}
