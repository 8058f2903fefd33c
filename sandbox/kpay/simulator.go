package kpay

import (
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"github.com/bawaba/checkout/sandbox/internal/simkit"
)

// Sandbox credentials: the values New uses for an empty Config field. The
// public key and the MIDs are the spec's own samples (§2.1, §2.3); the spec
// prints no test secret key, so SandboxSecretKey is its sample secret with the
// test prefix (§1.5, §4.0).
const (
	SandboxPublicKey = "pkey_test_20923L43S4RABbtwVoM1zsopFCYzyZnyMwFsn"
	SandboxSecretKey = "skey_test_41Bbw6At8dJjVyKV3ZaXghhLpRro5oAtR"
	SandboxMID       = "401001001001001" // Full Payment MCC (and SmartPay, QR)
	SandboxDCCMID    = "451111111111001" // Full Payment DCC
)

// Config configures a Simulator.
type Config struct {
	BasePath  string // path prefix it is mounted under, e.g. "/sandbox/kpay"; requests arrive with the full path
	PublicURL string // absolute URL of BasePath as browsers and our server reach it

	PublicKey   string // "pkey_test_…": the only data-apikey / token-API key accepted ("" => SandboxPublicKey)
	SecretKey   string // "skey_test_…": the only x-api-key accepted, and the webhook checksum salt ("" => SandboxSecretKey)
	MID         string // Full Payment MCC merchant ID ("" => SandboxMID)
	DCCMID      string // Full Payment DCC merchant ID ("" => SandboxDCCMID)
	SmartPayMID string // SmartPay (installments) MID; "" => MID takes SmartPay too

	// NotifyURL is the merchant's Notify URL, registered with KBank per
	// merchant (spec §3, FAQ 4): every webhook goes there. "" => none sent.
	NotifyURL string
	// CallbackURL is the merchant's Callback URL, registered with KBank per
	// merchant (spec §3, FAQ 5): the browser goes there after 3-D Secure,
	// UnionPay and Alipay. "{charge_id}" and "{reference_order}" in it are
	// replaced (URL-escaped) by the charge's values, so one registered URL can
	// still reach a per-attempt route. A Create Charge "metadata.callback_url"
	// overrides it for that charge (a sandbox-only extension). "" and no
	// override => the simulator shows the result page itself.
	CallbackURL string

	QRExpiry time.Duration // lifetime of a QR/WeChat order (0 => 3600s, spec §4.7.1)
	// SettlementDelay is when KBank's "next day" processing happens: an
	// Authorized charge is settled, a Captured one becomes Settled, a Refund
	// Sent one becomes Refunded / Partial Refund. 0 => at the first Bangkok
	// midnight after the event (spec §4.4, §4.5); > 0 => that long after it.
	SettlementDelay time.Duration
	// OverlapNon3DS charges the three PANs listed both as 3-D Secure and as
	// non-3-D Secure test cards (spec §11, §14.50) without 3-D Secure.
	// By default they go through 3-D Secure, as KBank recommends.
	OverlapNon3DS bool

	HTTPClient *http.Client     // webhook POSTs; nil => 10s timeout client that does not follow redirects
	Now        func() time.Time // nil => time.Now
	RetryBase  time.Duration    // first webhook retry delay (0 => 2s), doubling, capped at 5 min, until 2xx or 24h
	Logger     *slog.Logger     // nil => slog.Default()
	// StateFile keeps charges, tokens, QR orders and customers across restarts (see
	// simkit.Store); "" keeps them in memory only.
	StateFile string
}

const (
	defaultQRExpiry = 3600 * time.Second
	tokenTTL        = 15 * time.Minute // [GUESS] lifetime of a card token and of a DCC offer
	redirectTTL     = 30 * time.Minute // [GUESS] lifetime of a 3-D Secure / UnionPay / Alipay page
	maxBody         = 64 << 10
)

// bangkok is the zone of every KBank timestamp ("created", the settlement day).
var bangkok = time.FixedZone("ICT", 7*60*60)

// Simulator is the offline K-Payment Gateway: REST API, K-Pay script and
// hosted pages. It is an http.Handler.
type Simulator struct {
	base        string
	publicURL   string
	publicKey   string
	secretKey   string
	mid         string
	dccMID      string
	smartpayMID string
	notifyURL   string
	callbackURL string
	qrExpiry    time.Duration
	settleDelay time.Duration
	overlapNon  bool
	client      *http.Client
	now         func() time.Time // Config.Now, moved on by the test clock
	skew        atomic.Int64     // how far POST /test/clock moved the clock, in nanoseconds
	sched       simkit.Schedule  // webhook retries (see Config.RetryBase)
	log         *slog.Logger
	mux         *http.ServeMux

	bg simkit.Background // Close stops webhook deliveries and timers

	mu        simkit.Mutex         // saves the state file at every Unlock
	charges   map[string]*charge   // by id
	chargeRef map[string]*charge   // card-endpoint charges by reference_order
	pages     map[string]*charge   // by 3DS auth id / redirect id (the redirect_url's last segment)
	tokens    map[string]*token    // by id
	drafts    map[string]*dccDraft // DCC offers waiting for the cardholder's choice
	orders    map[string]*order    // by id
	orderRef  map[string]*order    // by reference_order
	qrs       map[string]*qrCode   // by id
	customers map[string]*customer // by id
}

// New returns a Simulator for cfg. Call Close when done.
func New(cfg Config) *Simulator {
	s := &Simulator{
		base:        strings.TrimSuffix(cfg.BasePath, "/"),
		publicURL:   strings.TrimSuffix(cfg.PublicURL, "/"),
		publicKey:   or(cfg.PublicKey, SandboxPublicKey),
		secretKey:   or(cfg.SecretKey, SandboxSecretKey),
		mid:         or(cfg.MID, SandboxMID),
		dccMID:      or(cfg.DCCMID, SandboxDCCMID),
		smartpayMID: cfg.SmartPayMID,
		notifyURL:   cfg.NotifyURL,
		callbackURL: cfg.CallbackURL,
		qrExpiry:    cfg.QRExpiry,
		settleDelay: cfg.SettlementDelay,
		overlapNon:  cfg.OverlapNon3DS,
		client:      simkit.HookClient(cfg.HTTPClient),
		log:         simkit.Logger(cfg.Logger),
		charges:     map[string]*charge{},
		chargeRef:   map[string]*charge{},
		pages:       map[string]*charge{},
		tokens:      map[string]*token{},
		drafts:      map[string]*dccDraft{},
		orders:      map[string]*order{},
		orderRef:    map[string]*order{},
		qrs:         map[string]*qrCode{},
		customers:   map[string]*customer{},
	}
	if s.qrExpiry <= 0 {
		s.qrExpiry = defaultQRExpiry
	}
	clock := simkit.Clock(cfg.Now)
	s.now = func() time.Time { return clock().Add(time.Duration(s.skew.Load())) }
	s.sched = simkit.Webhooks(cfg.RetryBase, s.now)
	simkit.Keep(&s.mu, cfg.StateFile, s.log, "kpay sandbox", s.snapshot, s.restore)
	s.routes()
	return s
}

func (s *Simulator) routes() {
	m := http.NewServeMux()
	b := s.base
	// REST API (spec §4), x-api-key = secret key.
	m.HandleFunc("POST "+b+"/card/v2/charge", s.api(s.createCharge))
	m.HandleFunc("GET "+b+"/card/v2/charge/{key}", s.api(s.inquireCharge))
	m.HandleFunc("GET "+b+"/card/v2/charge/{key}/{date}", s.api(s.inquireCharge))
	m.HandleFunc("POST "+b+"/card/v2/charge/{id}/void", s.api(s.voidCharge))
	m.HandleFunc("POST "+b+"/card/v2/charge/{id}/settle", s.api(s.settleCharge))
	m.HandleFunc("POST "+b+"/card/v2/charge/{id}/refund", s.api(s.refundCharge))
	m.HandleFunc("POST "+b+"/card/v2/customer", s.api(s.createCustomer))
	m.HandleFunc("GET "+b+"/card/v2/customer/{id}", s.api(s.inquireCustomer))
	m.HandleFunc("POST "+b+"/card/v2/customer/{id}", s.api(s.updateCustomer))
	m.HandleFunc("PATCH "+b+"/card/v2/customer/{id}", s.api(s.updateCustomer))
	m.HandleFunc("DELETE "+b+"/card/v2/customer/{id}", s.api(s.deleteCustomer))
	m.HandleFunc("POST "+b+"/card/v2/customer/{id}/card", s.api(s.addCard))
	m.HandleFunc("DELETE "+b+"/card/v2/customer/{id}/card/{card}", s.api(s.deleteCard))
	m.HandleFunc("POST "+b+"/qr/v2/order", s.api(s.createOrder))
	m.HandleFunc("GET "+b+"/qr/v2/order/{id}", s.api(s.inquireOrder))
	m.HandleFunc("GET "+b+"/qr/v2/qr/{id}", s.api(s.inquireQR))
	m.HandleFunc("POST "+b+"/qr/v2/qr/{id}/void", s.api(s.voidQR))
	m.HandleFunc("POST "+b+"/qr/v2/qr/{id}/cancel", s.api(s.cancelQR))

	// Embedded UI (spec §2): the script, its style sheet, the iframe form.
	m.HandleFunc("GET "+b+"/ui/v2/kpayment.min.js", s.serveStatic("kpayment.min.js", "text/javascript; charset=utf-8"))
	m.HandleFunc("GET "+b+"/ui/v2/kpayment.css", s.serveStatic("kpayment.css", "text/css; charset=utf-8"))
	m.HandleFunc("GET "+b+"/ui/v2/frame.js", s.serveStatic("frame.js", "text/javascript; charset=utf-8"))
	m.HandleFunc("GET "+b+"/ui/v2/form", s.showForm)
	m.HandleFunc("POST "+b+"/ui/v2/form", s.submitForm)
	m.HandleFunc("POST "+b+"/ui/v2/tokens", s.createTokenAPI)
	m.HandleFunc("OPTIONS "+b+"/ui/v2/tokens", s.preflight)
	m.HandleFunc("GET "+b+"/ui/v2/qr-status", s.qrStatus)

	// Hosted pages reached through redirect_url (spec §3.1, §3.4, §3.5).
	m.HandleFunc("GET "+b+"/3ds/{id}", s.show3DS)
	m.HandleFunc("POST "+b+"/3ds/{id}", s.submit3DS)
	m.HandleFunc("GET "+b+"/unionpay/{id}", s.showUnionPay)
	m.HandleFunc("POST "+b+"/unionpay/{id}", s.submitUnionPay)
	m.HandleFunc("GET "+b+"/alipay/{id}", s.showAlipay)
	m.HandleFunc("POST "+b+"/alipay/{id}", s.submitAlipay)

	// The sandbox's test clock: not K-Pay's, for tests that must not wait on real time.
	m.HandleFunc("POST "+b+"/test/clock", s.advanceClock)

	// The Merchant Portal's QR Simulator (spec §11.4).
	m.HandleFunc("GET "+b+"/qr-simulator", s.showQRSim)
	m.HandleFunc("POST "+b+"/qr-simulator", s.submitQRSim)

	m.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, errNotFound)
	})
	s.mux = m
}

// ServeHTTP serves the K-Payment Gateway under BasePath.
func (s *Simulator) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mux.ServeHTTP(w, r)
}

// Close stops background webhook deliveries and waits for them to end.
func (s *Simulator) Close() { s.bg.Close() }

// newID returns "<prefix>_test_<35 hex digits>", the shape of the spec's ids.
func newID(prefix string) string {
	b := make([]byte, 18)
	_, _ = rand.Read(b)
	return prefix + "_test_" + hex.EncodeToString(b)[:35]
}

// kbankTime formats t as KBank's 17-digit "created": YYYYMMDDHHmmSS + milliseconds, Bangkok time.
func kbankTime(t time.Time) string {
	t = t.In(bangkok)
	return t.Format("20060102150405") + threeDigits(t.Nanosecond()/1e6)
}

func threeDigits(n int) string {
	s := "00" + itoa(int64(n))
	return s[len(s)-3:]
}

// settleAt is when KBank's "next day" processing of something done at t happens.
func (s *Simulator) settleAt(t time.Time) time.Time {
	if s.settleDelay > 0 {
		return t.Add(s.settleDelay)
	}
	b := t.In(bangkok)
	return time.Date(b.Year(), b.Month(), b.Day()+1, 0, 0, 0, 0, bangkok)
}

// isMID reports whether mid is one of the merchant's MIDs.
func (s *Simulator) isMID(mid string) bool {
	return mid != "" && (mid == s.mid || mid == s.dccMID || mid == s.smartpayMID)
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
