package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// server is one running `checkout serve` process with its own empty database.
type server struct {
	BaseURL string // http://127.0.0.1:PORT
	APIKey  string // the sandbox demo key the server printed on its first start ("" if none)
	DBPath  string // its SQLite file

	out *syncBuffer
	log *syncBuffer // stderr alone: the server's log
}

// Output returns everything the server has printed so far (stdout and stderr).
func (s *server) Output() string { return s.out.String() }

var demoKeyRE = regexp.MustCompile(`Authorization: Bearer ([A-Za-z0-9_]+)`)

// httpClient is for the tests' own API calls; it never follows redirects so tests see them.
var httpClient = &http.Client{
	Timeout:       15 * time.Second,
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
}

// startServer runs the binary built by TestMain on a free loopback port with a fresh database in
// t.TempDir(), waits until /healthz answers 200, and stops it when the test ends. extraEnv
// entries ("KEY=value") are added last, so they override the defaults.
func startServer(t *testing.T, extraEnv ...string) *server {
	t.Helper()
	dbPath := t.TempDir() + "/checkout.db"
	// A port picked free may be taken before the server binds it: try a few times.
	for attempt := 1; ; attempt++ {
		s, err := tryStartServer(t, dbPath, extraEnv)
		if err == nil {
			return s
		}
		if attempt == 3 || !strings.Contains(s.Output(), "address already in use") {
			t.Fatalf("server did not start: %v\n--- server output ---\n%s", err, s.Output())
		}
	}
}

func tryStartServer(t *testing.T, dbPath string, extraEnv []string) (*server, error) {
	port, err := freePort()
	s := &server{out: &syncBuffer{}, log: &syncBuffer{}, DBPath: dbPath}
	if err != nil {
		return s, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	s.BaseURL = "http://" + addr

	cmd := exec.Command(binaryPath, "serve")
	cmd.Env = append(environWithout("CHECKOUT_"),
		"CHECKOUT_ADDR="+addr,
		"CHECKOUT_BASE_URL="+s.BaseURL,
		"CHECKOUT_DB="+dbPath,
		"CHECKOUT_LOG_LEVEL=debug", // the most the server logs: searched for secrets (secrets_test.go)
	)
	cmd.Env = append(cmd.Env, extraEnv...)
	cmd.Stdout, cmd.Stderr = s.out, io.MultiWriter(s.out, s.log)
	serverLogs.add(s, cmd.Env)
	if err := cmd.Start(); err != nil {
		return s, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()

	stop := func() {
		select {
		case <-exited:
			return
		default:
		}
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			t.Logf("server did not stop within 10s of SIGINT: killing it")
			_ = cmd.Process.Kill()
			<-exited
		}
	}

	// Wait, bounded, for /healthz 200; then briefly for the demo key line.
	deadline := time.Now().Add(30 * time.Second)
	for {
		if s.get("/healthz") == http.StatusOK {
			break
		}
		select {
		case err := <-exited:
			return s, fmt.Errorf("server exited before it was healthy: %v", err)
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			stop()
			return s, fmt.Errorf("GET %s/healthz did not answer 200 within 30s", s.BaseURL)
		}
	}
	for keyDeadline := time.Now().Add(3 * time.Second); time.Now().Before(keyDeadline); time.Sleep(50 * time.Millisecond) {
		if m := demoKeyRE.FindStringSubmatch(s.Output()); m != nil {
			s.APIKey = m[1]
			break
		}
	}

	// Registered after t.TempDir(), so the process stops before its database is removed.
	t.Cleanup(func() {
		stop()
		if t.Failed() {
			t.Logf("--- server output (%s) ---\n%s", s.BaseURL, s.Output())
		}
	})
	return s, nil
}

// get returns the status of GET path, or 0 if the request failed.
func (s *server) get(path string) int {
	resp, err := httpClient.Get(s.BaseURL + path)
	if err != nil {
		return 0
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode
}

// do sends a request (body marshalled as JSON when not nil) with the given API key ("" for none)
// and returns the status and the response body.
func (s *server) do(t *testing.T, method, path, apiKey string, body any) (int, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, s.BaseURL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	if apiKey != "" {
		req.Header.Set("Authorization", "Bearer "+apiKey)
	}
	resp, err := httpClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: reading body: %v", method, path, err)
	}
	return resp.StatusCode, b
}

// createOrder POSTs body to /api/v1/orders with the demo key, expects 201 and returns the decoded
// order (its "checkout_url" is where a shopper goes).
func (s *server) createOrder(t *testing.T, body map[string]any) map[string]any {
	t.Helper()
	if s.APIKey == "" {
		t.Fatalf("createOrder: the server printed no demo API key\n%s", s.Output())
	}
	status, b := s.do(t, http.MethodPost, "/api/v1/orders", s.APIKey, body)
	if status != http.StatusCreated {
		t.Fatalf("POST /api/v1/orders: status %d, want 201\n%s", status, b)
	}
	var order map[string]any
	if err := json.Unmarshal(b, &order); err != nil {
		t.Fatalf("POST /api/v1/orders: %v\n%s", err, b)
	}
	return order
}

// freePort asks the kernel for a free loopback port.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// environWithout is os.Environ() minus variables with the prefix, so a developer's own
// CHECKOUT_* settings (live credentials, say) never reach a test server.
func environWithout(prefix string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, prefix) {
			env = append(env, kv)
		}
	}
	return env
}

// syncBuffer is a bytes.Buffer safe for the process's writes and the test's reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
