package adyen

import (
	"encoding/hex"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/bawaba/checkout/sandbox/internal/simkit"
)

// Config configures a Simulator. See the package documentation for the
// sandbox values of APIKey, MerchantAccount and HMACKey.
type Config struct {
	BasePath  string // path prefix it is mounted under, e.g. "/sandbox/adyen"; requests arrive with the full path
	PublicURL string // absolute URL of BasePath as browsers reach it; used for action.url

	// APIKey is the only X-API-Key accepted (Adyen's "API key" of the
	// API credential, spec §1).
	APIKey string
	// MerchantAccount is the only merchantAccount accepted, and the
	// merchantAccountCode of every webhook (spec §3, §6).
	MerchantAccount string
	// HMACKey is the webhook HMAC key as Adyen's Customer Area shows it: 64 hex
	// characters (spec §7). It signs every notification item.
	HMACKey string
	// WebhookURL is where Standard webhooks are POSTed. In Adyen it is set in
	// the Customer Area, not per request; empty => no webhooks are sent.
	WebhookURL string
	// WebhookDelay is waited before the first delivery attempt of every
	// webhook (0 => deliver at once, right after the browser was answered).
	WebhookDelay time.Duration
	// PendingDelay is how long a payment made with a "Pending" test card stays
	// pending before its final AUTHORISATION webhook (0 => 5s).
	PendingDelay time.Duration

	HTTPClient *http.Client     // for webhook POSTs; nil => a client with a 10s timeout that does not follow redirects
	Now        func() time.Time // nil => time.Now
	// RetryBase is the first webhook retry delay (0 => 2s). It doubles on each
	// retry, capped at 5 minutes; retries stop once the merchant answers 2xx
	// with the body "[accepted]", or 24h after the first attempt.
	RetryBase time.Duration
	Logger    *slog.Logger // nil => slog.Default()
	// StateFile keeps the payments, refunds and cancels across restarts (see simkit.Store);
	// "" keeps them in memory only.
	StateFile string
}

const (
	defaultPendingDelay = 5 * time.Second
	// offerLifetime is how long a payment may stay on the hosted page before
	// Adyen closes the offer (OFFER_CLOSED). Adyen's KNET runs through Tap,
	// whose KNET charges expire after 30 minutes (tap.md §3).
	offerLifetime = 30 * time.Minute
	sweepEvery    = time.Second
)

// Simulator is the offline Adyen Checkout API v71 for KNET with Standard
// webhooks, an http.Handler.
type Simulator struct {
	base         string
	publicURL    string
	apiKey       string
	merchant     string
	hmacKey      []byte // hex-decoded; nil when Config.HMACKey is not valid hex
	webhookURL   string
	webhookDelay time.Duration
	pendingDelay time.Duration
	client       *http.Client
	now          func() time.Time
	sched        simkit.Schedule // webhook retries (see Config.RetryBase)
	log          *slog.Logger
	mux          *http.ServeMux

	bg simkit.Background // Close stops webhook deliveries and timers

	mu       simkit.Mutex             // saves the state file at every Unlock
	payments map[string]*payment      // by pspReference
	pages    map[string]*payment      // by redirectData (hosted page token)
	results  map[string]*payment      // by redirectResult
	mods     map[string]*modification // refunds and cancels, by their pspReference
	idem     map[string]*idemEntry    // by route + Idempotency-Key
	events   []*event                 // every webhook, in creation order
}

// New returns a Simulator for cfg. Call Close when done.
func New(cfg Config) *Simulator {
	s := &Simulator{
		base:         strings.TrimSuffix(cfg.BasePath, "/"),
		publicURL:    strings.TrimSuffix(cfg.PublicURL, "/"),
		apiKey:       cfg.APIKey,
		merchant:     cfg.MerchantAccount,
		webhookURL:   cfg.WebhookURL,
		webhookDelay: cfg.WebhookDelay,
		pendingDelay: cfg.PendingDelay,
		client:       simkit.HookClient(cfg.HTTPClient),
		now:          simkit.Clock(cfg.Now),
		log:          simkit.Logger(cfg.Logger),
		payments:     map[string]*payment{},
		pages:        map[string]*payment{},
		results:      map[string]*payment{},
		mods:         map[string]*modification{},
		idem:         map[string]*idemEntry{},
	}
	s.sched = simkit.Webhooks(cfg.RetryBase, s.now)
	if s.pendingDelay <= 0 {
		s.pendingDelay = defaultPendingDelay
	}
	if key, err := hex.DecodeString(cfg.HMACKey); err == nil && len(key) > 0 {
		s.hmacKey = key
	} else {
		// The key itself is never logged.
		s.log.Error("adyen sandbox: HMACKey is not a hex string; webhooks will carry an empty hmacSignature")
	}

	simkit.Keep(&s.mu, cfg.StateFile, s.log, "adyen sandbox", s.snapshot, s.restore)

	s.mux = http.NewServeMux()
	api := s.base + "/v71"
	s.mux.HandleFunc("POST "+api+"/paymentMethods", s.apiHandler(s.paymentMethods))
	s.mux.HandleFunc("POST "+api+"/payments", s.apiHandler(s.createPayment))
	s.mux.HandleFunc("POST "+api+"/payments/details", s.apiHandler(s.paymentDetails))
	s.mux.HandleFunc("POST "+api+"/payments/{pspReference}/refunds", s.apiHandler(s.refundPayment))
	s.mux.HandleFunc("POST "+api+"/payments/{pspReference}/cancels", s.apiHandler(s.cancelPayment))
	s.mux.HandleFunc("GET "+s.base+"/hpp/knet", s.showPage)
	s.mux.HandleFunc("POST "+s.base+"/hpp/knet", s.postPage)
	s.mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, errNotFound)
	})

	s.bg.Spawn(s.sweeper)
	return s
}

// ServeHTTP serves the Checkout API and the hosted KNET page under BasePath.
func (s *Simulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mux.ServeHTTP(w, r)
}

// Close stops background webhook deliveries, pending payments and the offer
// sweeper, and waits for them to end.
func (s *Simulator) Close() { s.bg.Close() }

// sleep waits d, or until Close; it reports whether the time elapsed.
func (s *Simulator) sleep(d time.Duration) bool {
	if d <= 0 {
		return s.bg.Context().Err() == nil
	}
	return simkit.Sleep(s.bg.Context(), d)
}

// sweeper closes expired offers every second, so OFFER_CLOSED is sent even
// when nobody looks at the payment again.
func (s *Simulator) sweeper() {
	for s.sleep(sweepEvery) {
		s.closeExpiredOffers()
	}
}

// closeExpiredOffers closes every offer past its expiry (by Config.Now) and
// queues its OFFER_CLOSED webhook.
func (s *Simulator) closeExpiredOffers() {
	s.mu.Lock()
	var due []*event
	now := s.now()
	for _, p := range s.payments {
		if ev := s.expireLocked(p, now); ev != nil {
			due = append(due, ev)
		}
	}
	s.mu.Unlock()
	s.sendAll(due)
}
