package main

import (
	"log/slog"
	"os"
	"slices"

	"github.com/bawaba/checkout/order"
)

// faultHook reads CHECKOUT_FAULT, the crash tests' switch: set to one of order.FaultPoints
// ("paid-before-commit", "paid-after-commit", "refund-before-record", "refund-id-recorded", "refund-after-commit"),
// the process kills itself with SIGKILL (as kill -9: no deferred code, no flush, no graceful
// shutdown) the first time it reaches that point. Honoured only in sandbox mode: in live mode
// it is ignored, with a warning, so that a stray variable can never crash a real shop. An
// unknown point is refused the same way.
func faultHook(cfg Config, log *slog.Logger) func(string) {
	point := os.Getenv("CHECKOUT_FAULT")
	switch {
	case point == "":
		return nil
	case !cfg.sandbox():
		log.Warn("CHECKOUT_FAULT ignored: fault points exist in sandbox mode only", "point", point)
		return nil
	case !slices.Contains(order.FaultPoints, point):
		log.Warn("CHECKOUT_FAULT ignored: unknown fault point", "point", point, "known", order.FaultPoints)
		return nil
	}
	log.Warn("sandbox fault point armed: the process will kill itself there", "point", point)
	return func(at string) {
		if at != point {
			return
		}
		log.Warn("fault point reached: SIGKILL", "point", at)
		if p, err := os.FindProcess(os.Getpid()); err == nil {
			_ = p.Kill() // SIGKILL on Unix
		}
		select {} // never go on past the point while the signal lands
	}
}
