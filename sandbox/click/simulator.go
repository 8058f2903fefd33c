package click

import (
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/bawaba/checkout/sandbox/internal/simkit"
)

// Sandbox credentials: the seed's own examples (spec §2). They are used when
// Config leaves DeveloperUser or Token empty.
const (
	SandboxDeveloperUser = "Dev1"
	SandboxToken         = "CIQC2Z5WUVTAKcBHISsOVMJIJE8PAbVe5"
)

// DeveloperStatus is the state of the developer account in CLK's panel
// (spec §5): an accepted account works, the two others answer every call
// with " Developer Not Accepted " or " Developer Suspended".
type DeveloperStatus int

const (
	DeveloperAccepted DeveloperStatus = iota
	DeveloperNotAccepted
	DeveloperSuspended
)

// Config configures a Simulator.
type Config struct {
	BasePath  string // path prefix it is mounted under, e.g. "/sandbox/click"; requests arrive with the full path
	PublicURL string // absolute URL of BasePath as browsers reach it; used for payment_url

	// DeveloperUser is the {developeruser} path segment CLK issues
	// ("" => SandboxDeveloperUser, "Dev1").
	DeveloperUser string
	// Token is the only accepted "Authorization: Bearer" token, shown in the
	// CLK developer panel ("" => SandboxToken).
	Token string
	// DeveloperStatus of the account (zero value: accepted).
	DeveloperStatus DeveloperStatus
	// MerchantName is the store's name on CLK's pages, "Payment To <name>"
	// ("" => "Click Sandbox Store").
	MerchantName string
	// KNETFee and CardFee are the store's fees set by CLK, in KWD with up to 3
	// decimals: an order amount not greater than the chosen method's fee
	// ends on CLK's error page (spec §5, seed §6.2.1). "" => "0.250" and "0.500".
	KNETFee, CardFee string
	// SessionTTL is how long a session lives after Create Session
	// (0 => 45 minutes, spec §3.1).
	SessionTTL time.Duration

	// HTTPClient is unused: CLK sends no notification to the store (spec §6);
	// the field keeps the simulators' common shape.
	HTTPClient *http.Client
	Now        func() time.Time // nil => time.Now
	// RetryBase is unused for the same reason as HTTPClient.
	RetryBase time.Duration
	Logger    *slog.Logger // nil => slog.Default()
	// StateFile keeps the sessions across restarts (see simkit.Store); "" keeps them in
	// memory only.
	StateFile string
}

const (
	defaultSessionTTL = 45 * time.Minute
	defaultMerchant   = "Click Sandbox Store"
	defaultKNETFee    = "0.250"
	defaultCardFee    = "0.500"
)

// Simulator is the offline CLK "gatedeveloper" API v1 with its hosted pages,
// an http.Handler.
type Simulator struct {
	base      string
	publicURL string
	devUser   string
	token     string
	devStatus DeveloperStatus
	merchant  string
	fees      map[string]int64 // by method, in fils
	ttl       time.Duration
	now       func() time.Time
	log       *slog.Logger
	mux       *http.ServeMux

	mu       simkit.Mutex        // saves the state file at every Unlock
	sessions map[string]*session // by session_id
	orders   map[int64]string    // order_id → session_id: order ids are unique per developer
}

// New returns a Simulator for cfg. Call Close when done.
func New(cfg Config) *Simulator {
	s := &Simulator{
		base:      strings.TrimSuffix(cfg.BasePath, "/"),
		publicURL: strings.TrimSuffix(cfg.PublicURL, "/"),
		devUser:   cfg.DeveloperUser,
		token:     cfg.Token,
		devStatus: cfg.DeveloperStatus,
		merchant:  cfg.MerchantName,
		ttl:       cfg.SessionTTL,
		now:       simkit.Clock(cfg.Now),
		log:       simkit.Logger(cfg.Logger),
		sessions:  map[string]*session{},
		orders:    map[int64]string{},
	}
	if s.devUser == "" {
		s.devUser = SandboxDeveloperUser
	}
	if s.token == "" {
		s.token = SandboxToken
	}
	if s.merchant == "" {
		s.merchant = defaultMerchant
	}
	if s.ttl <= 0 {
		s.ttl = defaultSessionTTL
	}
	s.fees = map[string]int64{
		methodKNET: s.fee("KNETFee", cfg.KNETFee, defaultKNETFee),
		methodCard: s.fee("CardFee", cfg.CardFee, defaultCardFee),
	}

	api := s.base + "/api/developer/gatedeveloper"
	gw := s.base + "/gateway/{sid}"
	simkit.Keep(&s.mu, cfg.StateFile, s.log, "click sandbox", s.snapshot, s.restore)

	s.mux = http.NewServeMux()
	s.mux.HandleFunc(api+"/{dev}", s.api(s.createSession))
	s.mux.HandleFunc(api+"/sessionupdate/{dev}", s.api(s.updateSession))
	s.mux.HandleFunc(api+"/sessionupdate/{dev}/{lang}", s.api(s.updateSession))
	s.mux.HandleFunc(api+"/paymentstatus/{dev}", s.api(s.paymentStatus))
	s.mux.HandleFunc("GET "+gw, s.showMethods)
	s.mux.HandleFunc("GET "+gw+"/confirm", s.showConfirm)
	s.mux.HandleFunc("POST "+gw+"/confirm", s.submitConfirm)
	s.mux.HandleFunc("GET "+gw+"/knet", s.showKNET)
	s.mux.HandleFunc("POST "+gw+"/knet", s.submitKNET)
	s.mux.HandleFunc("GET "+gw+"/card", s.showCard)
	s.mux.HandleFunc("POST "+gw+"/card", s.submitCard)
	s.mux.HandleFunc("GET "+gw+"/result", s.showResult)
	s.mux.HandleFunc("/", http.NotFound)
	return s
}

// fee parses a configured fee, falling back to def when it is empty or invalid.
func (s *Simulator) fee(name, v, def string) int64 {
	if v != "" {
		if f, ok := parseAmount(v); ok {
			return f
		}
		s.log.Warn("click sandbox: invalid fee, using the default", "field", name, "default", def)
	}
	f, _ := parseAmount(def)
	return f
}

// ServeHTTP serves the gatedeveloper API and CLK's hosted pages under BasePath.
func (s *Simulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mux.ServeHTTP(w, r)
}

// Close exists for the simulators' common shape. CLK sends no notification to the store
// (spec §6), so there is no background delivery to stop; the state file is written at every
// change.
func (s *Simulator) Close() {}
