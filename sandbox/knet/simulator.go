package knet

import (
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/bawaba/checkout/sandbox/internal/simkit"
)

// Sandbox credentials: the made-up terminal of the spec's test vectors (spec
// §8, K3), so those vectors are accepted by the sandbox as they are.
const (
	SandboxTranportalID       = "123456"
	SandboxTranportalPassword = "123456pg"
	SandboxResourceKey        = "0123456789ABCDEF"
)

// DefaultMagicExpiry is the expiry (MM/YYYY) that makes the test cards
// CAPTURED when Config.MagicExpiry is empty: today's 09/30 of the aggregators'
// test pages, not the manual v1.4's stale 09/2021 (spec §7).
const DefaultMagicExpiry = "09/2030"

// SessionTimeout is how long a payment page stays usable after paymentInit;
// later the shopper is sent to errorURL with IPAY0100042 (spec §9.4).
const SessionTimeout = 15 * time.Minute

const defaultNotifyTimeout = 10 * time.Second

// Config configures a Simulator.
type Config struct {
	BasePath  string // path prefix it is mounted under, e.g. "/sandbox/knet"; requests arrive with the full path
	PublicURL string // absolute URL of BasePath as browsers reach it; used for the redirect to the payment page

	// The terminal (spec §2). Empty values take the Sandbox… constants.
	TranportalID       string // "id": clear in the redirect URL, inside trandata and in the XML API
	TranportalPassword string // "password": inside trandata and in the XML API, never shown
	ResourceKey        string // Terminal Resource Key: 16 characters, the AES-128 key and IV of trandata

	// MagicExpiry is the card expiry, "MM/YYYY" (or "MM/YY"), with which the
	// test cards are CAPTURED; any other expiry is NOT CAPTURED. Empty or
	// unparsable => DefaultMagicExpiry.
	MagicExpiry string
	// NotifyTimeout bounds the whole notification handshake (the POST of
	// trandata to responseURL and the REDIRECT= reply); past it the
	// transaction is auto-voided. 0 => 10s.
	NotifyTimeout time.Duration
	// HostTimeoutSettle is how long a HOST TIMEOUT transaction (card …0003) keeps answering
	// HOST TIMEOUT to inquiries before the issuer's late approval shows (CAPTURED), so that a
	// merchant's reconciler has something to settle. 0 => 5s.
	HostTimeoutSettle time.Duration

	HTTPClient *http.Client     // for the notification POST; nil => a 10s-timeout client. Redirects are never followed.
	Now        func() time.Time // nil => time.Now
	// RetryBase is accepted for uniformity with the other simulators but is
	// unused: KNET never retries a notification; a failed handshake auto-voids
	// the transaction (spec §4.4).
	RetryBase time.Duration
	Logger    *slog.Logger // nil => slog.Default()
	// StateFile keeps the payments and refunds across restarts (see simkit.Store); "" keeps
	// them in memory only.
	StateFile string
}

// Simulator is KNET's payment gateway (RAW / Tranportal) offline, an http.Handler.
type Simulator struct {
	base, publicURL string
	id, password    string
	key             []byte // nil when Config.ResourceKey is not 16 bytes
	magicMonth      int
	magicYear       int
	notifyTimeout   time.Duration
	hostSettle      time.Duration
	client          *http.Client
	now             func() time.Time
	log             *slog.Logger
	mux             *http.ServeMux

	bg simkit.Background // Close aborts notifications in flight and waits for them

	mu        simkit.Mutex        // saves the state file at every Unlock
	payments  map[string]*payment // by paymentid
	byTrackID map[string]*payment
	byTranID  map[string]*payment
	byRef     map[string]*payment
	refunds   map[string]*refundTx // by the refund's own tranid
}

// New returns a Simulator for cfg. Call Close when done.
func New(cfg Config) *Simulator {
	s := &Simulator{
		base:          strings.TrimSuffix(cfg.BasePath, "/"),
		publicURL:     strings.TrimSuffix(cfg.PublicURL, "/"),
		id:            cfg.TranportalID,
		password:      cfg.TranportalPassword,
		notifyTimeout: cfg.NotifyTimeout,
		hostSettle:    cfg.HostTimeoutSettle,
		now:           simkit.Clock(cfg.Now),
		log:           simkit.Logger(cfg.Logger),
		payments:      map[string]*payment{},
		byTrackID:     map[string]*payment{},
		byTranID:      map[string]*payment{},
		byRef:         map[string]*payment{},
		refunds:       map[string]*refundTx{},
	}
	if s.id == "" {
		s.id = SandboxTranportalID
	}
	if s.password == "" {
		s.password = SandboxTranportalPassword
	}
	key := cfg.ResourceKey
	if key == "" {
		key = SandboxResourceKey
	}
	if len(key) == 16 {
		s.key = []byte(key)
	}
	if s.notifyTimeout <= 0 {
		s.notifyTimeout = defaultNotifyTimeout
	}
	if s.hostSettle <= 0 {
		s.hostSettle = 5 * time.Second
	}
	if s.key == nil {
		s.log.Error("knet sandbox: ResourceKey must be 16 characters; paymentInit will answer IPAY0100050")
	}
	var ok bool
	if s.magicMonth, s.magicYear, ok = parseMagicExpiry(cfg.MagicExpiry); !ok {
		if cfg.MagicExpiry != "" {
			s.log.Warn("knet sandbox: unparsable MagicExpiry, using the default", "magic_expiry", cfg.MagicExpiry, "default", DefaultMagicExpiry)
		}
		s.magicMonth, s.magicYear, _ = parseMagicExpiry(DefaultMagicExpiry)
	}

	// The notification must see a 3xx as a wrong answer, so never follow redirects.
	if cfg.HTTPClient != nil {
		c := *cfg.HTTPClient
		s.client = &c
	} else {
		s.client = &http.Client{Timeout: 10 * time.Second}
	}
	s.client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

	simkit.Keep(&s.mu, cfg.StateFile, s.log, "knet sandbox", s.snapshot, s.restore)

	s.mux = http.NewServeMux()
	s.mux.HandleFunc("GET "+s.base+"/kpg/PaymentHTTP.htm", s.paymentInit)
	s.mux.HandleFunc("GET "+s.base+"/kpg/paymentpage.htm", s.showPage)
	s.mux.HandleFunc("POST "+s.base+"/kpg/paymentpage.htm", s.submitPage)
	s.mux.HandleFunc("POST "+s.base+"/kpg/tranPipe.htm", s.tranPipe)
	return s
}

// ServeHTTP serves KNET's paths beneath BasePath.
func (s *Simulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mux.ServeHTTP(w, r)
}

// Close aborts notifications in flight (their transactions are auto-voided)
// and waits for them to end.
func (s *Simulator) Close() { s.bg.Close() }

// parseMagicExpiry reads "MM/YYYY" or "MM/YY".
func parseMagicExpiry(v string) (month, year int, ok bool) {
	m, y, found := strings.Cut(strings.TrimSpace(v), "/")
	if !found || !simkit.Digits(m) || !simkit.Digits(y) || (len(y) != 2 && len(y) != 4) || len(m) > 2 {
		return 0, 0, false
	}
	month, _ = strconv.Atoi(m)
	year, _ = strconv.Atoi(y)
	if len(y) == 2 {
		year += 2000
	}
	if month < 1 || month > 12 {
		return 0, 0, false
	}
	return month, year, true
}
