package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/bawaba/checkout/admin"
	"github.com/bawaba/checkout/api"
	"github.com/bawaba/checkout/handlers"
	"github.com/bawaba/checkout/metrics"
	"github.com/bawaba/checkout/order"
	"github.com/bawaba/checkout/settings"
	"github.com/bawaba/checkout/store"
	"github.com/bawaba/checkout/webhook"
)

func serve(ctx context.Context, cfg Config, db *store.DB, log *slog.Logger, stdout io.Writer) error {
	log.Debug("configuration", "config", cfg)
	gws, err := buildGateways(cfg, log)
	if err != nil {
		return err
	}
	defer gws.close()
	registry, simulators := gws.registry, gws.simulators
	m := metrics.New(db)
	db.ObserveWriterWait(m.WriterWait)
	registry.Observe(m.GatewayCall)

	views := api.Views{BaseURL: cfg.BaseURL, Gateways: registry}
	// What the merchant changes in the console; the configuration gives the values until then.
	shop, err := settings.Load(ctx, db, settings.Shop{Name: cfg.MerchantName, Logo: cfg.MerchantLogo, Lang: "en", WebhookURL: cfg.WebhookURL})
	if err != nil {
		return err
	}
	secrets, err := settings.LoadSecrets(ctx, db, os.Getenv("CHECKOUT_WEBHOOK_SECRET"), nil)
	if err != nil {
		return err
	}
	svc := order.NewService(db, registry, order.Config{BaseURL: cfg.BaseURL, DefaultWebhookURL: cfg.WebhookURL,
		DefaultWebhook: func() string { return shop.Get().WebhookURL },
		FirstCheck:     cfg.ReconcileAfter, Events: views, Logger: log, Observer: m, Fault: faultHook(cfg, log)})

	shopper, err := handlers.NewShopper(ctx, handlers.ShopperConfig{
		MerchantName: cfg.MerchantName, MerchantLogo: cfg.MerchantLogo, BaseURL: cfg.BaseURL,
		Sandbox: cfg.sandbox(), Secrets: db, Shop: shop, WebhookSecrets: secrets,
	})
	if err != nil {
		return err
	}
	wake := make(waker, 1)
	console, err := admin.New(ctx, admin.Config{
		BaseURL: cfg.BaseURL, MerchantName: cfg.MerchantName, Sandbox: cfg.sandbox(),
		Store: db, Orders: svc, Logger: log, WakeWorkers: wake.poke, Shop: shop, Secrets: secrets,
	})
	if err != nil {
		return err
	}
	var draining atomic.Bool // set at shutdown: /readyz answers 503 from then on
	app := handlers.New(handlers.Deps{
		Orders: svc, Views: views, Keys: db, DB: db, Logger: log, Version: version, Sandbox: cfg.sandbox(),
		Simulators: simulators, Shopper: shopper, Metrics: m, MetricsToken: cfg.MetricsToken,
		Console: console, HSTS: strings.HasPrefix(cfg.BaseURL, "https://"), Draining: draining.Load,
	})

	if cfg.sandbox() {
		if err := printDemoKey(ctx, db, cfg, stdout); err != nil {
			return err
		}
	}

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", cfg.Addr, err)
	}
	log.Info("Bawaba listening", "addr", ln.Addr().String(), "base_url", cfg.BaseURL, "mode", cfg.Mode, "version", version)
	fmt.Fprintf(stdout, "Bawaba (%s mode) is listening on %s — open %s/\n", cfg.Mode, ln.Addr(), cfg.BaseURL)

	workers, stopWorkers := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		refresh := func(ctx context.Context) error { return errors.Join(shop.Refresh(ctx), secrets.Refresh(ctx)) }
		runWorkers(workers, cfg.Tick, wake, refresh, svc, &webhook.Dispatcher{Outbox: db, Secrets: secrets.Signing, Logger: log, Observe: m.WebhookDelivery}, log)
	}()

	errc := make(chan error, 1)
	go func() { errc <- app.Listener(ln) }()
	select {
	case err = <-errc:
	case <-ctx.Done():
		log.Info("shutting down")
		draining.Store(true)
		err = app.ShutdownWithTimeout(10 * time.Second)
	}
	stopWorkers()
	<-done
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// waker wakes the workers before their tick (a redelivery asked in the console).
type waker chan struct{}

// poke asks for a run without waiting; pokes while one is pending merge into it.
func (w waker) poke() {
	select {
	case w <- struct{}{}:
	default:
	}
}

// runWorkers runs the background work as independent loops, each on its own tick, so that
// none waits for another (issue #11: a merchant endpoint that never answers held up expiry for
// as long as its deliveries took): expiry (all due orders, a batch per transaction), the
// reconciler, the refund reconciler, webhook delivery (concurrent, a few at a time per
// endpoint: webhook.Dispatcher) and the refresh of the settings and webhook secrets another
// node may have changed. wake runs webhook delivery before its tick (a redelivery asked in the
// console). Every node runs them: the store claims each job for one node (store/claims.go).
// It returns when ctx ends and every loop has stopped.
func runWorkers(ctx context.Context, tick time.Duration, wake waker, refresh func(context.Context) error, svc *order.Service, disp *webhook.Dispatcher, log *slog.Logger) {
	loop := func(name string, wake <-chan struct{}, run func(context.Context) (int, error)) {
		t := time.NewTicker(tick)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			case <-wake:
			}
			if _, err := run(ctx); err != nil && ctx.Err() == nil {
				log.Error(name, "err", err)
			}
		}
	}
	var wg sync.WaitGroup
	for _, w := range []struct {
		name string
		wake <-chan struct{}
		run  func(context.Context) (int, error)
	}{
		{"refresh settings", nil, func(ctx context.Context) (int, error) { return 0, refresh(ctx) }},
		{"expire orders", nil, svc.ExpireDue},
		{"reconcile attempts", nil, svc.ReconcileDue},
		{"reconcile refunds", nil, svc.ReconcileRefunds},
		{"deliver webhooks", wake, disp.RunDue},
	} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			loop(w.name, w.wake, w.run)
		}()
	}
	wg.Wait()
}

// printDemoKey creates the sandbox's demo API key on the first start and prints it in a
// ready-to-paste curl line. The key is stored hashed, so it is shown only this once.
func printDemoKey(ctx context.Context, db *store.DB, cfg Config, w io.Writer) error {
	n, err := db.CountAPIKeys(ctx)
	if err != nil || n > 0 {
		return err
	}
	_, key, err := db.CreateAPIKey(ctx, "sandbox demo key")
	if err != nil {
		return err
	}
	fmt.Fprintf(w, `
Sandbox demo API key (shown once; it is stored hashed): %s
Create a test order:

  curl -s %s/api/v1/orders -H "Authorization: Bearer %s" -H "Content-Type: application/json" \
    -d '{"amount":"6.000","currency":"KWD","reference":"demo-1","return_url":"%s/"}'

`, key, cfg.BaseURL, key, cfg.BaseURL)
	return nil
}
