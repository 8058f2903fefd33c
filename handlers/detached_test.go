package handlers_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/bawaba/checkout/handlers"
)

// A simulator may keep what it reads from a request (an Idempotency-Key in a map): the value
// must not change when the next request arrives.
func TestSimulatorsGetRequestsThatOwnTheirMemory(t *testing.T) {
	var mu sync.Mutex
	var kept []string
	sim := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		kept = append(kept, r.Header.Get("Idempotency-Key"), r.URL.Query().Get("q"), string(body))
		mu.Unlock()
	})
	app := handlers.New(handlers.Deps{Simulators: map[string]http.Handler{"/sandbox/x": sim}})
	for _, v := range []string{"first-key-aaaa", "other-key-bbbb", "third-key-cccc"} {
		req := httptest.NewRequest("POST", "/sandbox/x/y?q="+v, strings.NewReader("body-"+v))
		req.Header.Set("Idempotency-Key", v)
		if _, err := app.Test(req); err != nil {
			t.Fatal(err)
		}
	}
	want := []string{"first-key-aaaa", "first-key-aaaa", "body-first-key-aaaa", "other-key-bbbb", "other-key-bbbb",
		"body-other-key-bbbb", "third-key-cccc", "third-key-cccc", "body-third-key-cccc"}
	mu.Lock()
	defer mu.Unlock()
	if strings.Join(kept, ",") != strings.Join(want, ",") {
		t.Fatalf("kept %q\nwant %q", kept, want)
	}
}
