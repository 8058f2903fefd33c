package e2e

import (
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bawaba/checkout/checkouttest"
	"github.com/bawaba/checkout/internal/dbtest"
)

// cluster is two nodes of the real binary on one PostgreSQL behind a round-robin load balancer:
// every request the shopper, the shop or a gateway makes goes to the other node than the one
// before. Both nodes have the balancer's URL as CHECKOUT_BASE_URL and run every worker.
type cluster struct {
	lb    *server // the balancer's URL, with node 0's demo API key
	nodes [2]*server
	hits  [2]atomic.Int64 // requests each node was given (the simulators' aside)
}

// startCluster starts the two nodes on a fresh PostgreSQL schema (skipped without
// CHECKOUT_TEST_POSTGRES) and the balancer in front of them. The sandbox's simulators keep their
// state in the memory of the node that serves them, so /sandbox/ always goes to node 0: the
// one gateway both nodes talk to, as in production.
func startCluster(t *testing.T, env ...string) *cluster {
	t.Helper()
	dsn := dbtest.PostgresDB(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	lbURL := "http://" + ln.Addr().String()
	env = append(env, "CHECKOUT_DB="+dsn, "CHECKOUT_BASE_URL="+lbURL)
	c := &cluster{}
	var proxies [2]*httputil.ReverseProxy
	for i := range c.nodes {
		c.nodes[i] = startServer(t, env...)
		u, err := url.Parse(c.nodes[i].BaseURL)
		if err != nil {
			t.Fatal(err)
		}
		proxies[i] = httputil.NewSingleHostReverseProxy(u)
	}
	var next atomic.Uint64
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/sandbox/") {
			proxies[0].ServeHTTP(w, r)
			return
		}
		i := next.Add(1) % 2
		c.hits[i].Add(1)
		proxies[i].ServeHTTP(w, r)
	})}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	c.lb = &server{&checkouttest.Server{BaseURL: lbURL, APIKey: c.nodes[0].APIKey, WebhookSecret: webhookSecret}}
	if c.lb.APIKey == "" {
		t.Fatalf("node 0 printed no demo API key\n%s", c.nodes[0].Output())
	}
	return c
}

// paidOnce checks the order is paid, both nodes served the flow, and the shop heard
// order.paid exactly once.
func (c *cluster) paidOnce(t *testing.T, id string, hook *receiver) {
	t.Helper()
	if got := apiOrder(t, c.lb, id)["status"]; got != "paid" {
		t.Fatalf("API status %v, want paid", got)
	}
	for i := range c.hits {
		if c.hits[i].Load() == 0 {
			t.Errorf("node %d served no request: the balancer did not spread the flow", i)
		}
	}
	for deadline := time.Now().Add(15 * time.Second); len(hook.events("order.paid")) == 0 && time.Now().Before(deadline); {
		time.Sleep(100 * time.Millisecond)
	}
	settle(t, c.lb, hook) // a duplicate from either node would have arrived by now
	if paid := hook.events("order.paid"); len(paid) != 1 {
		t.Fatalf("order.paid deliveries = %d, want exactly 1", len(paid))
	} else if !verifySignature(webhookSecret, paid[0].Signature, paid[0].Body) {
		t.Fatalf("Bawaba-Signature %q does not verify", paid[0].Signature)
	}
}

// KNET through Tap, paid, with every request alternating between two nodes.
func TestTwoNodesKNETViaTapPaid(t *testing.T) {
	c := startCluster(t, "CHECKOUT_TICK=200ms", "CHECKOUT_WEBHOOK_SECRET="+webhookSecret)
	hook := newReceiver(t)
	o := kwdOrder(t, c.lb, map[string]any{"webhook_url": hook.URL})
	page := newPage(t, "en")
	toKNET(t, page, o["checkout_url"].(string), "en", false)
	fillKNET(t, page, "2030", false)
	status(t, page, "paid")
	c.paidOnce(t, o["id"].(string), hook)
}

// A K-Pay card (the gateway's script on our attempt page), paid, across two nodes.
func TestTwoNodesKPayCardPaid(t *testing.T) {
	c := startCluster(t, "CHECKOUT_TICK=200ms", "CHECKOUT_WEBHOOK_SECRET="+webhookSecret,
		"CHECKOUT_RECONCILE_AFTER=1s", "CHECKOUT_SANDBOX_SETTLE_AFTER=1s")
	hook := newReceiver(t)
	o := thbOrder(t, c.lb, map[string]any{"webhook_url": hook.URL})
	page := newPage(t, "ar")
	f := toKPayCardForm(t, page, o["checkout_url"].(string), "ar", false)
	kpayCard(t, f, "4024007134786226")
	must(t, f.Locator("[data-testid=kpay-submit]").Click())
	waitStatus(t, page, "paid")
	c.paidOnce(t, o["id"].(string), hook)
}
