package main

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bawaba/checkout/logging"
	"github.com/bawaba/checkout/store"
)

// Config is every setting of the server, filled from the environment and then from flags
// (a flag wins over its variable). README.md documents each one.
type Config struct {
	Addr         string // CHECKOUT_ADDR
	DB           string // CHECKOUT_DB
	BaseURL      string // CHECKOUT_BASE_URL
	Mode         string // CHECKOUT_MODE: sandbox | live
	MerchantName string // CHECKOUT_MERCHANT_NAME
	MerchantLogo string // CHECKOUT_MERCHANT_LOGO: URL of a logo, optional
	WebhookURL   string // CHECKOUT_WEBHOOK_URL: default merchant webhook target
	LogLevel     string // CHECKOUT_LOG_LEVEL: debug | info | warn | error
	LogFormat    string // CHECKOUT_LOG_FORMAT: text | json
	MetricsToken string // CHECKOUT_METRICS_TOKEN: when set, /metrics wants "Authorization: Bearer <token>"
	KNETGateway  string // CHECKOUT_KNET_GATEWAY: which gateway serves KNET (tap)
	TapSecretKey string // CHECKOUT_TAP_SECRET_KEY (live): sk_live_…
	TapBaseURL   string // CHECKOUT_TAP_BASE_URL: default https://api.tap.company
	// Adyen (live mode): on when the API key is set.
	AdyenBaseURL         string // CHECKOUT_ADYEN_BASE_URL
	AdyenAPIKey          string // CHECKOUT_ADYEN_API_KEY
	AdyenMerchantAccount string // CHECKOUT_ADYEN_MERCHANT_ACCOUNT
	AdyenHMACKey         string // CHECKOUT_ADYEN_HMAC_KEY
	// KNET direct (live mode): on when the tranportal id is set.
	KNETBaseURL            string // CHECKOUT_KNET_BASE_URL
	KNETTranportalID       string // CHECKOUT_KNET_TRANPORTAL_ID
	KNETTranportalPassword string // CHECKOUT_KNET_TRANPORTAL_PASSWORD
	KNETResourceKey        string // CHECKOUT_KNET_RESOURCE_KEY
	// K-Payment (Kasikornbank): live mode on when the secret key is set; the card mode and
	// installment settings apply in sandbox too.
	KPayPublicKey  string // CHECKOUT_KPAY_PUBLIC_KEY
	KPaySecretKey  string // CHECKOUT_KPAY_SECRET_KEY
	KPayMID        string // CHECKOUT_KPAY_MID
	KPayDCCMID     string // CHECKOUT_KPAY_DCC_MID
	KPayCardMode   string // CHECKOUT_KPAY_CARD_MODE: full | dcc | smartpay_id
	KPaySmartPayID string // CHECKOUT_KPAY_SMARTPAY_ID
	KPayTerms      []int  // CHECKOUT_KPAY_TERMS, comma-separated months
	KPayUIBaseURL  string // CHECKOUT_KPAY_UI_URL
	KPayAPIBaseURL string // CHECKOUT_KPAY_API_URL
	// Sandbox-only knobs of the K-Pay simulator, for demos and end-to-end tests.
	SandboxSettleAfter time.Duration // CHECKOUT_SANDBOX_SETTLE_AFTER: when K-Pay's "next day" settlement happens
	SandboxQRExpiry    time.Duration // CHECKOUT_SANDBOX_QR_EXPIRY: lifetime of a K-Pay QR code
	// SandboxState is the folder where the simulators keep their payments across restarts
	// (CHECKOUT_SANDBOX_STATE): by default "sandbox" beside a SQLite file; "" (with a
	// PostgreSQL database, or the value "memory") keeps them in memory only.
	SandboxState string
	// Al Qaseh (live mode): on when the client id is set.
	AlqasehBaseURL      string   // CHECKOUT_ALQASEH_BASE_URL
	AlqasehPageURL      string   // CHECKOUT_ALQASEH_PAGE_URL
	AlqasehClientID     string   // CHECKOUT_ALQASEH_CLIENT_ID
	AlqasehClientSecret string   // CHECKOUT_ALQASEH_CLIENT_SECRET
	AlqasehCurrencies   []string // CHECKOUT_ALQASEH_CURRENCIES, comma-separated
	// Click (live mode): on when the token is set.
	ClickBaseURL       string // CHECKOUT_CLICK_BASE_URL
	ClickDeveloperUser string // CHECKOUT_CLICK_DEVELOPER_USER
	ClickToken         string // CHECKOUT_CLICK_TOKEN
	// Tick is how often the reconciler and the webhook dispatcher wake up.
	Tick time.Duration // CHECKOUT_TICK
	// ReconcileAfter is when a pending attempt is first re-checked with its gateway.
	ReconcileAfter time.Duration // CHECKOUT_RECONCILE_AFTER
}

func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

// loadConfig reads the environment, then parses args as flags over it.
func loadConfig(fs *flag.FlagSet, args []string) (Config, error) {
	c := Config{}
	fs.StringVar(&c.Addr, "addr", env("CHECKOUT_ADDR", ":8080"), "listen address (CHECKOUT_ADDR)")
	fs.StringVar(&c.DB, "db", env("CHECKOUT_DB", "./data/checkout.db"), "SQLite database file, or a postgres:// URL (CHECKOUT_DB)")
	fs.StringVar(&c.BaseURL, "base-url", env("CHECKOUT_BASE_URL", "http://localhost:8080"), "public URL of this server (CHECKOUT_BASE_URL)")
	fs.StringVar(&c.Mode, "mode", env("CHECKOUT_MODE", "sandbox"), "sandbox or live (CHECKOUT_MODE)")
	fs.StringVar(&c.MerchantName, "merchant-name", env("CHECKOUT_MERCHANT_NAME", "Bawaba Demo Shop"), "shop name shown to shoppers (CHECKOUT_MERCHANT_NAME)")
	fs.StringVar(&c.MerchantLogo, "merchant-logo", env("CHECKOUT_MERCHANT_LOGO", ""), "URL of the shop's logo (CHECKOUT_MERCHANT_LOGO)")
	fs.StringVar(&c.WebhookURL, "webhook-url", env("CHECKOUT_WEBHOOK_URL", ""), "default merchant webhook URL (CHECKOUT_WEBHOOK_URL)")
	fs.StringVar(&c.LogLevel, "log-level", env("CHECKOUT_LOG_LEVEL", "info"), "debug, info, warn or error (CHECKOUT_LOG_LEVEL)")
	fs.StringVar(&c.LogFormat, "log-format", env("CHECKOUT_LOG_FORMAT", "text"), "text or json (CHECKOUT_LOG_FORMAT)")
	c.MetricsToken = env("CHECKOUT_METRICS_TOKEN", "")
	fs.StringVar(&c.KNETGateway, "knet-gateway", env("CHECKOUT_KNET_GATEWAY", "tap"), "gateway serving KNET: tap, adyen or knet (CHECKOUT_KNET_GATEWAY)")
	fs.StringVar(&c.TapSecretKey, "tap-secret-key", env("CHECKOUT_TAP_SECRET_KEY", ""), "Tap secret key, live mode (CHECKOUT_TAP_SECRET_KEY)")
	fs.StringVar(&c.TapBaseURL, "tap-base-url", env("CHECKOUT_TAP_BASE_URL", "https://api.tap.company"), "Tap API base URL, live mode (CHECKOUT_TAP_BASE_URL)")
	fs.StringVar(&c.AdyenBaseURL, "adyen-base-url", env("CHECKOUT_ADYEN_BASE_URL", ""), "Adyen Checkout API base with version, live mode, e.g. https://…-checkout-live.adyenpayments.com/checkout/v71 (CHECKOUT_ADYEN_BASE_URL)")
	fs.StringVar(&c.AdyenAPIKey, "adyen-api-key", env("CHECKOUT_ADYEN_API_KEY", ""), "Adyen API key, live mode (CHECKOUT_ADYEN_API_KEY)")
	fs.StringVar(&c.AdyenMerchantAccount, "adyen-merchant-account", env("CHECKOUT_ADYEN_MERCHANT_ACCOUNT", ""), "Adyen merchant account, live mode (CHECKOUT_ADYEN_MERCHANT_ACCOUNT)")
	fs.StringVar(&c.AdyenHMACKey, "adyen-hmac-key", env("CHECKOUT_ADYEN_HMAC_KEY", ""), "Adyen webhook HMAC key (hex), live mode (CHECKOUT_ADYEN_HMAC_KEY)")
	fs.StringVar(&c.KNETBaseURL, "knet-base-url", env("CHECKOUT_KNET_BASE_URL", "https://www.kpay.com.kw/kpg"), "KNET gateway base URL, live mode (CHECKOUT_KNET_BASE_URL)")
	fs.StringVar(&c.KNETTranportalID, "knet-tranportal-id", env("CHECKOUT_KNET_TRANPORTAL_ID", ""), "KNET tranportal id, live mode (CHECKOUT_KNET_TRANPORTAL_ID)")
	fs.StringVar(&c.KNETTranportalPassword, "knet-tranportal-password", env("CHECKOUT_KNET_TRANPORTAL_PASSWORD", ""), "KNET tranportal password, live mode (CHECKOUT_KNET_TRANPORTAL_PASSWORD)")
	fs.StringVar(&c.KNETResourceKey, "knet-resource-key", env("CHECKOUT_KNET_RESOURCE_KEY", ""), "KNET terminal resource key, live mode (CHECKOUT_KNET_RESOURCE_KEY)")
	fs.StringVar(&c.KPayPublicKey, "kpay-public-key", env("CHECKOUT_KPAY_PUBLIC_KEY", ""), "K-Payment public key (pkey_…), live mode (CHECKOUT_KPAY_PUBLIC_KEY)")
	fs.StringVar(&c.KPaySecretKey, "kpay-secret-key", env("CHECKOUT_KPAY_SECRET_KEY", ""), "K-Payment secret key (skey_…), live mode (CHECKOUT_KPAY_SECRET_KEY)")
	fs.StringVar(&c.KPayMID, "kpay-mid", env("CHECKOUT_KPAY_MID", ""), "K-Payment merchant id, live mode (CHECKOUT_KPAY_MID)")
	fs.StringVar(&c.KPayDCCMID, "kpay-dcc-mid", env("CHECKOUT_KPAY_DCC_MID", ""), "K-Payment DCC merchant id (CHECKOUT_KPAY_DCC_MID)")
	fs.StringVar(&c.KPayCardMode, "kpay-card-mode", env("CHECKOUT_KPAY_CARD_MODE", "full"), "K-Pay card button: full, dcc or smartpay_id (CHECKOUT_KPAY_CARD_MODE)")
	fs.StringVar(&c.KPaySmartPayID, "kpay-smartpay-id", env("CHECKOUT_KPAY_SMARTPAY_ID", "0001"), "K-Pay SmartPay id for installments (CHECKOUT_KPAY_SMARTPAY_ID)")
	terms := env("CHECKOUT_KPAY_TERMS", "3,4,6,10")
	fs.StringVar(&terms, "kpay-terms", terms, "K-Pay installment terms in months (CHECKOUT_KPAY_TERMS)")
	fs.StringVar(&c.KPayUIBaseURL, "kpay-ui-url", env("CHECKOUT_KPAY_UI_URL", ""), "K-Pay script host, live mode; empty: KBank's (CHECKOUT_KPAY_UI_URL)")
	fs.StringVar(&c.KPayAPIBaseURL, "kpay-api-url", env("CHECKOUT_KPAY_API_URL", ""), "K-Pay API host, live mode; empty: KBank's (CHECKOUT_KPAY_API_URL)")
	fs.StringVar(&c.AlqasehBaseURL, "alqaseh-base-url", env("CHECKOUT_ALQASEH_BASE_URL", "https://api.alqaseh.com/v1"), "Al Qaseh API base, live mode (CHECKOUT_ALQASEH_BASE_URL)")
	fs.StringVar(&c.AlqasehPageURL, "alqaseh-page-url", env("CHECKOUT_ALQASEH_PAGE_URL", "https://pay.alqaseh.com/pay"), "Al Qaseh payment page, live mode (CHECKOUT_ALQASEH_PAGE_URL)")
	fs.StringVar(&c.AlqasehClientID, "alqaseh-client-id", env("CHECKOUT_ALQASEH_CLIENT_ID", ""), "Al Qaseh client id, live mode (CHECKOUT_ALQASEH_CLIENT_ID)")
	fs.StringVar(&c.AlqasehClientSecret, "alqaseh-client-secret", env("CHECKOUT_ALQASEH_CLIENT_SECRET", ""), "Al Qaseh client secret, live mode (CHECKOUT_ALQASEH_CLIENT_SECRET)")
	alqCur := env("CHECKOUT_ALQASEH_CURRENCIES", "IQD,USD")
	fs.StringVar(&alqCur, "alqaseh-currencies", alqCur, "currencies Al Qaseh takes cards in (CHECKOUT_ALQASEH_CURRENCIES)")
	fs.StringVar(&c.ClickBaseURL, "click-base-url", env("CHECKOUT_CLICK_BASE_URL", "https://clickkw.com"), "Click API host, live mode (CHECKOUT_CLICK_BASE_URL)")
	fs.StringVar(&c.ClickDeveloperUser, "click-developer-user", env("CHECKOUT_CLICK_DEVELOPER_USER", ""), "Click developer user, live mode (CHECKOUT_CLICK_DEVELOPER_USER)")
	fs.StringVar(&c.ClickToken, "click-token", env("CHECKOUT_CLICK_TOKEN", ""), "Click bearer token, live mode (CHECKOUT_CLICK_TOKEN)")
	tick := env("CHECKOUT_TICK", "5s")
	fs.Func("tick", "how often the reconciler and webhook dispatcher run (CHECKOUT_TICK, default 5s)", func(s string) error {
		tick = s
		return nil
	})
	settle := env("CHECKOUT_SANDBOX_SETTLE_AFTER", "30s")
	fs.StringVar(&settle, "sandbox-settle-after", settle, "sandbox: when the K-Pay simulator settles a card charge (CHECKOUT_SANDBOX_SETTLE_AFTER)")
	qrExpiry := env("CHECKOUT_SANDBOX_QR_EXPIRY", "1h")
	fs.StringVar(&qrExpiry, "sandbox-qr-expiry", qrExpiry, "sandbox: lifetime of a K-Pay QR code (CHECKOUT_SANDBOX_QR_EXPIRY)")
	state := env("CHECKOUT_SANDBOX_STATE", "")
	fs.StringVar(&state, "sandbox-state", state, "sandbox: folder where the simulators keep their payments across restarts; default: sandbox/ beside the SQLite file; memory: none (CHECKOUT_SANDBOX_STATE)")
	reconcile := env("CHECKOUT_RECONCILE_AFTER", "1m")
	fs.Func("reconcile-after", "when a pending payment is first re-checked with its gateway (CHECKOUT_RECONCILE_AFTER, default 1m)", func(s string) error {
		reconcile = s
		return nil
	})
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	d, err := time.ParseDuration(tick)
	if err != nil || d < 100*time.Millisecond {
		return c, fmt.Errorf("config: tick %q: use a duration of at least 100ms, such as 5s", tick)
	}
	c.Tick = d
	for _, t := range strings.Split(terms, ",") {
		if t = strings.TrimSpace(t); t == "" {
			continue
		}
		n, err := strconv.Atoi(t)
		if err != nil || n < 1 || n > 60 {
			return c, fmt.Errorf("config: kpay terms %q: use months such as 3,4,6,10", terms)
		}
		c.KPayTerms = append(c.KPayTerms, n)
	}
	for _, cur := range strings.Split(alqCur, ",") {
		if cur = strings.ToUpper(strings.TrimSpace(cur)); cur != "" {
			c.AlqasehCurrencies = append(c.AlqasehCurrencies, cur)
		}
	}
	if c.ReconcileAfter, err = time.ParseDuration(reconcile); err != nil || c.ReconcileAfter < time.Second {
		return c, fmt.Errorf("config: reconcile-after %q: use a duration of at least 1s, such as 1m", reconcile)
	}
	if c.SandboxSettleAfter, err = time.ParseDuration(settle); err != nil || c.SandboxSettleAfter <= 0 {
		return c, fmt.Errorf("config: sandbox-settle-after %q: use a positive duration such as 30s", settle)
	}
	if c.SandboxQRExpiry, err = time.ParseDuration(qrExpiry); err != nil || c.SandboxQRExpiry < time.Second {
		return c, fmt.Errorf("config: sandbox-qr-expiry %q: use a duration of at least 1s such as 1h", qrExpiry)
	}
	c.SandboxState = sandboxState(state, c.DB)
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	return c, c.validate()
}

func (c *Config) validate() error {
	var errs []error
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Path != "" {
		errs = append(errs, fmt.Errorf("config: base URL %q must be an absolute http(s) URL without a path", c.BaseURL))
	}
	switch c.Mode {
	case "sandbox":
	case "live":
		if c.KNETGateway == "tap" && c.TapSecretKey == "" {
			errs = append(errs, errors.New("config: live mode with KNET via Tap needs CHECKOUT_TAP_SECRET_KEY"))
		}
		if c.KNETGateway == "knet" && (c.KNETTranportalID == "" || c.KNETTranportalPassword == "" || len(c.KNETResourceKey) != 16) {
			errs = append(errs, errors.New("config: live mode with KNET direct needs CHECKOUT_KNET_TRANPORTAL_ID, _PASSWORD and a 16-character _RESOURCE_KEY"))
		}
		if c.KNETGateway == "adyen" && c.AdyenAPIKey == "" {
			errs = append(errs, errors.New("config: live mode with KNET via Adyen needs CHECKOUT_ADYEN_API_KEY and its settings"))
		}
		if u != nil && u.Scheme != "https" {
			errs = append(errs, errors.New("config: live mode needs an https base URL"))
		}
	default:
		errs = append(errs, fmt.Errorf("config: mode %q: use sandbox or live", c.Mode))
	}
	switch c.KNETGateway {
	case "tap", "adyen", "knet":
	default:
		errs = append(errs, fmt.Errorf("config: knet gateway %q: use tap, adyen or knet", c.KNETGateway))
	}
	if _, err := parseLevel(c.LogLevel); err != nil {
		errs = append(errs, err)
	}
	if !slices.Contains(logging.Formats, c.LogFormat) {
		errs = append(errs, fmt.Errorf("config: log format %q: use text or json", c.LogFormat))
	}
	if c.WebhookURL != "" {
		if w, err := url.Parse(c.WebhookURL); err != nil || (w.Scheme != "http" && w.Scheme != "https") || w.Host == "" {
			errs = append(errs, fmt.Errorf("config: webhook URL %q must be an absolute http(s) URL", c.WebhookURL))
		}
	}
	return errors.Join(errs...)
}

func (c *Config) sandbox() bool { return c.Mode == "sandbox" }

func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return l, fmt.Errorf("config: log level %q: use debug, info, warn or error", s)
	}
	return l, nil
}

// LogValue prints the configuration with secrets masked (slog.LogValuer).
func (c Config) LogValue() slog.Value {
	mask := func(s string) string {
		if s == "" {
			return ""
		}
		return "****"
	}
	return slog.GroupValue(
		slog.String("addr", c.Addr), slog.String("db", store.Redact(c.DB)), slog.String("base_url", c.BaseURL),
		slog.String("mode", c.Mode), slog.String("merchant_name", c.MerchantName),
		slog.String("webhook_url", c.WebhookURL), slog.String("knet_gateway", c.KNETGateway),
		slog.String("tap_secret_key", mask(c.TapSecretKey)), slog.String("tap_base_url", c.TapBaseURL),
		slog.String("adyen_base_url", c.AdyenBaseURL), slog.String("adyen_api_key", mask(c.AdyenAPIKey)),
		slog.String("adyen_merchant_account", c.AdyenMerchantAccount), slog.String("adyen_hmac_key", mask(c.AdyenHMACKey)),
		slog.String("knet_base_url", c.KNETBaseURL), slog.String("knet_tranportal_id", c.KNETTranportalID),
		slog.String("knet_tranportal_password", mask(c.KNETTranportalPassword)), slog.String("knet_resource_key", mask(c.KNETResourceKey)),
		slog.String("kpay_public_key", c.KPayPublicKey), slog.String("kpay_secret_key", mask(c.KPaySecretKey)),
		slog.String("kpay_mid", c.KPayMID), slog.String("kpay_dcc_mid", c.KPayDCCMID), slog.String("kpay_card_mode", c.KPayCardMode),
		slog.String("alqaseh_base_url", c.AlqasehBaseURL), slog.String("alqaseh_client_id", c.AlqasehClientID),
		slog.String("alqaseh_client_secret", mask(c.AlqasehClientSecret)), slog.Any("alqaseh_currencies", c.AlqasehCurrencies),
		slog.String("click_base_url", c.ClickBaseURL), slog.String("click_developer_user", c.ClickDeveloperUser),
		slog.String("click_token", mask(c.ClickToken)), slog.String("log_format", c.LogFormat),
		slog.String("metrics_token", mask(c.MetricsToken)),
		slog.Duration("tick", c.Tick), slog.Duration("reconcile_after", c.ReconcileAfter),
	)
}

// sandboxState is the simulators' state folder: the one asked for, none for "memory", by
// default "sandbox" beside a SQLite file. Decision: with a PostgreSQL database the default is
// none, since nodes behind a balancer would each write their own simulators' file; set the
// folder to keep them.
func sandboxState(asked, db string) string {
	switch {
	case asked == "memory":
		return ""
	case asked != "":
		return asked
	case strings.Contains(db, "://"):
		return ""
	}
	return filepath.Join(filepath.Dir(db), "sandbox")
}
