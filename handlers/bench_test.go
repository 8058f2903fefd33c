package handlers_test

import (
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// Benchmarks of the whole stack over loopback HTTP (fiber, the order service, SQLite in WAL
// on a temporary file): run with
//
//	go test -run '^$' -bench . -benchtime 2s ./handlers/

// BenchmarkCreateOrderAPI is POST /api/v1/orders with a fresh reference each time.
func BenchmarkCreateOrderAPI(b *testing.B) {
	e := newEnv(b)
	b.ResetTimer()
	for i := range b.N {
		res := e.api("POST", "/api/v1/orders", orderBody(fmt.Sprintf("bench-%d", i), "6.000"), nil)
		if res.StatusCode != http.StatusCreated {
			b.Fatalf("create: %d %s", res.StatusCode, res.text())
		}
	}
}

// BenchmarkPayPage is the shopper's first page, GET /pay/{id}, rendered in Arabic.
func BenchmarkPayPage(b *testing.B) {
	e := newEnv(b)
	o := e.createOrder("bench-page")
	c := e.browser()
	b.ResetTimer()
	for range b.N {
		res := e.get(c, e.base+"/pay/"+o.ID+"?lang=ar")
		if res.StatusCode != http.StatusOK || !strings.Contains(res.text(), `dir="rtl"`) {
			b.Fatalf("pay page: %d", res.StatusCode)
		}
	}
}

// BenchmarkGetOrderAPI is GET /api/v1/orders/{id}.
func BenchmarkGetOrderAPI(b *testing.B) {
	e := newEnv(b)
	o := e.createOrder("bench-get")
	b.ResetTimer()
	for range b.N {
		if res := e.api("GET", "/api/v1/orders/"+o.ID, "", nil); res.StatusCode != http.StatusOK {
			b.Fatalf("get: %d", res.StatusCode)
		}
	}
}

// BenchmarkCreateOrderAPIParallel is order creation from many clients at once: every write goes
// through SQLite's one writer connection, so this is the create throughput of one server.
func BenchmarkCreateOrderAPIParallel(b *testing.B) {
	e := newEnv(b)
	var n atomic.Int64
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			res := e.api("POST", "/api/v1/orders", orderBody(fmt.Sprintf("bench-par-%d", n.Add(1)), "6.000"), nil)
			if res.StatusCode != http.StatusCreated {
				b.Errorf("create: %d %s", res.StatusCode, res.text())
				return
			}
		}
	})
}
