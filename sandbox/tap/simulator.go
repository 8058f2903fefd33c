package tap

import (
	"cmp"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/bawaba/checkout/sandbox/internal/simkit"
)

// Config configures a Simulator.
type Config struct {
	BasePath  string // path prefix it is mounted under, e.g. "/sandbox/tap"; requests arrive with the full path
	PublicURL string // absolute URL of BasePath as browsers reach it; used for transaction.url
	SecretKey string // the only accepted Bearer key; also the webhook signing key
	// MerchantName is the Tap account's business name, which the payment page shows as the
	// merchant when a charge has no statement_descriptor ("" => "Sandbox merchant").
	MerchantName string
	HTTPClient   *http.Client     // for webhook POSTs; nil => a client with a 10s timeout that does not follow redirects
	Now          func() time.Time // nil => time.Now
	// WebhookFirst delivers the webhook's first attempt before redirecting the
	// browser; by default the browser is redirected first and the webhook is
	// delivered in the background.
	WebhookFirst bool
	// RetryBase is the first webhook retry delay (0 => 2s). It doubles on each
	// retry, capped at 5 minutes; retries stop at a 2xx or 24h after the first try.
	RetryBase time.Duration
	Logger    *slog.Logger // nil => slog.Default()
	// StateFile keeps the charges and refunds across restarts (see simkit.Store); "" keeps
	// them in memory only.
	StateFile string
}

// Simulator is the offline Tap Charges and Refunds API v2 for KNET, an
// http.Handler.
type Simulator struct {
	base      string
	publicURL string
	secret    string
	merchant  string // the account's business name (Config.MerchantName)
	client    *http.Client
	now       func() time.Time
	hookFirst bool
	sched     simkit.Schedule // webhook retries (see Config.RetryBase)
	log       *slog.Logger
	mux       *http.ServeMux

	bg simkit.Background // Close stops webhook deliveries and timers

	mu      simkit.Mutex       // saves the state file at every Unlock
	charges map[string]*charge // by id
	tokens  map[string]*charge // by hosted-page token
	idem    map[string]*charge // by Idempotency-Key

	refunds    map[string]*refund // by id
	refundIdem map[string]*refund // by Idempotency-Key of POST /v2/refunds
}

// New returns a Simulator for cfg. Call Close when done.
func New(cfg Config) *Simulator {
	s := &Simulator{
		base:      strings.TrimSuffix(cfg.BasePath, "/"),
		publicURL: strings.TrimSuffix(cfg.PublicURL, "/"),
		secret:    cfg.SecretKey,
		merchant:  cmp.Or(cfg.MerchantName, "Sandbox merchant"),
		client:    simkit.HookClient(cfg.HTTPClient),
		now:       simkit.Clock(cfg.Now),
		hookFirst: cfg.WebhookFirst,
		log:       simkit.Logger(cfg.Logger),
		charges:   map[string]*charge{},
		tokens:    map[string]*charge{},
		idem:      map[string]*charge{},

		refunds:    map[string]*refund{},
		refundIdem: map[string]*refund{},
	}
	s.sched = simkit.Webhooks(cfg.RetryBase, s.now)

	simkit.Keep(&s.mu, cfg.StateFile, s.log, "tap sandbox", s.snapshot, s.restore)

	s.mux = http.NewServeMux()
	s.mux.HandleFunc("POST "+s.base+"/v2/charges", s.createCharge)
	s.mux.HandleFunc("GET "+s.base+"/v2/charges/{id}", s.retrieveCharge)
	s.mux.HandleFunc("POST "+s.base+"/v2/refunds", s.createRefund)
	s.mux.HandleFunc("GET "+s.base+"/v2/refunds/{id}", s.retrieveRefund)
	s.mux.HandleFunc("GET "+s.base+"/knet/pay", s.showPage)
	s.mux.HandleFunc("POST "+s.base+"/knet/pay", s.submitPage)
	s.mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, http.StatusNotFound, tapError{"1000", "Resource not found"})
	})
	return s
}

// ServeHTTP serves the Charges and Refunds APIs and the hosted KNET page under
// BasePath.
func (s *Simulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mux.ServeHTTP(w, r)
}

// Close stops background webhook deliveries and waits for them to end.
func (s *Simulator) Close() { s.bg.Close() }
