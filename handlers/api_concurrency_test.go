package handlers_test

import (
	"bytes"
	"fmt"
	"net/http"
	"sync"
	"testing"
)

// burst runs n copies of fn at once (released together) and returns their responses.
func burst(n int, fn func(i int) *response) []*response {
	out := make([]*response, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			out[i] = fn(i)
		}()
	}
	close(start)
	wg.Wait()
	return out
}

func TestConcurrentCreateSameIdempotencyKey(t *testing.T) {
	e := newEnv(t)
	body := orderBody("conc-idem", "6.000")
	res := burst(200, func(int) *response {
		return e.api("POST", "/api/v1/orders", body, map[string]string{"Idempotency-Key": "one-key"})
	})
	replayed := 0
	for i, r := range res {
		if r.StatusCode != http.StatusCreated {
			t.Fatalf("request %d: status %d: %s", i, r.StatusCode, r.body)
		}
		if !bytes.Equal(r.body, res[0].body) {
			t.Fatalf("request %d: body differs:\n%s\n%s", i, r.body, res[0].body)
		}
		if r.Header.Get("Idempotent-Replayed") == "true" {
			replayed++
		}
	}
	if replayed != len(res)-1 {
		t.Errorf("%d answers marked replayed, want %d", replayed, len(res)-1)
	}
	if n := e.countByReference("conc-idem"); n != 1 {
		t.Errorf("%d orders, want exactly 1", n)
	}
}

func TestConcurrentCreateSameReference(t *testing.T) {
	e := newEnv(t)
	body := orderBody("conc-ref", "6.000")
	res := burst(200, func(i int) *response {
		return e.api("POST", "/api/v1/orders", body, map[string]string{"Idempotency-Key": fmt.Sprintf("key-%d", i)})
	})
	created, conflicts := 0, 0
	for i, r := range res {
		switch r.StatusCode {
		case http.StatusCreated:
			created++
		case http.StatusConflict:
			conflicts++
			if !bytes.Contains(r.body, []byte(`"field":"reference"`)) {
				t.Errorf("request %d: 409 does not name reference: %s", i, r.body)
			}
		default:
			t.Errorf("request %d: status %d: %s", i, r.StatusCode, r.body)
		}
	}
	if created != 1 || conflicts != len(res)-1 {
		t.Errorf("%d created and %d conflicts, want 1 and %d", created, conflicts, len(res)-1)
	}
	if n := e.countByReference("conc-ref"); n != 1 {
		t.Errorf("%d orders, want exactly 1", n)
	}
}
