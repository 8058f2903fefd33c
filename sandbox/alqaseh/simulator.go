package alqaseh

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/bawaba/checkout/sandbox/internal/simkit"
)

// Sandbox credentials: the seed's "Test Credentials" (docs.alqaseh.com,
// Payment API 2.0), used when Config leaves them empty. They are Al Qaseh's
// public test merchant, not a secret of anyone's.
const (
	SandboxClientID     = "public_test"
	SandboxClientSecret = "Lr10yWWmm1dXLoI7VgXCrQVnlq13c1G0"
)

// The seed's test card: it succeeds with exactly this CVV and expiry.
const (
	TestCardPAN    = "5341432900077803"
	TestCardCVV    = "971"
	TestCardExpiry = "01-2027"
)

// DefaultTokenTTL is the payment-page token lifetime when create omits
// token_expiry_in_hour and Config.TokenTTL is 0 (spec §3: 72 hours).
const DefaultTokenTTL = 72 * time.Hour

// TerminalID is the terminal the simulator reports in webhooks (terminal_id).
const TerminalID = "90010001"

// Config configures a Simulator.
type Config struct {
	BasePath  string // path prefix it is mounted under, e.g. "/sandbox/alqaseh"; requests arrive with the full path
	PublicURL string // absolute URL of BasePath as browsers and our server reach it

	// HTTP Basic credentials of the merchant (spec §1: client id and client
	// secret, the seed's "Test Merchant Username/password"). Empty values take
	// SandboxClientID and SandboxClientSecret. The secret also keys the
	// simulator's provisional p_sign.
	ClientID     string
	ClientSecret string

	// TokenTTL is the payment token lifetime when create omits
	// token_expiry_in_hour; 0 => DefaultTokenTTL (72h).
	TokenTTL time.Duration

	HTTPClient *http.Client     // for webhook POSTs; nil => a 10s-timeout client that does not follow redirects
	Now        func() time.Time // nil => time.Now
	// RetryBase is the first webhook retry delay (0 => 2s). It doubles on each
	// retry, capped at 5 minutes; retries stop at a 2xx or 24h after the first try.
	RetryBase time.Duration
	Logger    *slog.Logger // nil => slog.Default()
	// StateFile keeps the payment contexts across restarts (see simkit.Store); "" keeps them
	// in memory only.
	StateFile string
}

// Simulator is Al Qaseh's Payment API v2 ("egw") and hosted payment page,
// offline, as an http.Handler.
type Simulator struct {
	base      string
	publicURL string
	clientID  string
	secret    string
	tokenTTL  time.Duration
	client    *http.Client
	now       func() time.Time
	sched     simkit.Schedule // webhook retries (see Config.RetryBase)
	log       *slog.Logger
	mux       *http.ServeMux

	bg simkit.Background // Close stops webhook deliveries and timers

	mu       simkit.Mutex        // saves the state file at every Unlock
	payments []*payment          // in creation order
	byID     map[string]*payment // every payment_id a context ever had
	byToken  map[string]*payment // current tokens
	stale    map[string]*payment // tokens replaced by retry or revoke
	orders   map[string]bool     // order_ids already used
}

// New returns a Simulator for cfg. Call Close when done.
func New(cfg Config) *Simulator {
	s := &Simulator{
		base:      strings.TrimSuffix(cfg.BasePath, "/"),
		publicURL: strings.TrimSuffix(cfg.PublicURL, "/"),
		clientID:  cfg.ClientID,
		secret:    cfg.ClientSecret,
		tokenTTL:  cfg.TokenTTL,
		client:    simkit.HookClient(cfg.HTTPClient),
		now:       simkit.Clock(cfg.Now),
		log:       simkit.Logger(cfg.Logger),
		byID:      map[string]*payment{},
		byToken:   map[string]*payment{},
		stale:     map[string]*payment{},
		orders:    map[string]bool{},
	}
	if s.clientID == "" {
		s.clientID = SandboxClientID
	}
	if s.secret == "" {
		s.secret = SandboxClientSecret
	}
	if s.tokenTTL <= 0 {
		s.tokenTTL = DefaultTokenTTL
	}
	s.sched = simkit.Webhooks(cfg.RetryBase, s.now)

	api := s.base + "/v1/egw/payments"
	simkit.Keep(&s.mu, cfg.StateFile, s.log, "alqaseh sandbox", s.snapshot, s.restore)

	s.mux = http.NewServeMux()
	s.mux.HandleFunc("POST "+api+"/create", s.auth(s.createPayment))
	s.mux.HandleFunc("GET "+api+"/history", s.auth(s.history))
	s.mux.HandleFunc("GET "+api+"/history/download", s.auth(s.historyDownload))
	s.mux.HandleFunc("GET "+api+"/info/{token}", s.auth(s.retrieveByToken))
	s.mux.HandleFunc("POST "+api+"/process/{token}", s.auth(s.processPayment))
	s.mux.HandleFunc("POST "+api+"/retry", s.auth(s.retryPayment))
	s.mux.HandleFunc("POST "+api+"/revoke", s.auth(s.revokePayment))
	s.mux.HandleFunc("GET "+api+"/{payment_id}", s.auth(s.retrievePayment))
	s.mux.HandleFunc("GET "+s.base+"/pay/{token}", s.showPage)
	s.mux.HandleFunc("POST "+s.base+"/pay/{token}", s.submitPage)
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.writeError(w, r, http.StatusNotFound, errRouteNotFound)
	})
	return s
}

// ServeHTTP serves the API and the hosted payment page under BasePath.
func (s *Simulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mux.ServeHTTP(w, r)
}

// Close stops background webhook deliveries and waits for them to end.
func (s *Simulator) Close() { s.bg.Close() }
