package main

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"path/filepath"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/gateway/adyen"
	"github.com/bawaba/checkout/gateway/alqaseh"
	"github.com/bawaba/checkout/gateway/click"
	"github.com/bawaba/checkout/gateway/knet"
	"github.com/bawaba/checkout/gateway/kpay"
	"github.com/bawaba/checkout/gateway/tap"
	adyensim "github.com/bawaba/checkout/sandbox/adyen"
	alqasehsim "github.com/bawaba/checkout/sandbox/alqaseh"
	clicksim "github.com/bawaba/checkout/sandbox/click"
	knetsim "github.com/bawaba/checkout/sandbox/knet"
	kpaysim "github.com/bawaba/checkout/sandbox/kpay"
	tapsim "github.com/bawaba/checkout/sandbox/tap"
)

// simulator is a sandbox gateway: an http.Handler mounted under /sandbox/{gateway}.
type simulator interface {
	http.Handler
	Close()
}

// wiring is what the gateways add to the server: the registry, and in sandbox mode their
// simulators by path prefix.
type wiring struct {
	registry   *gateway.Registry
	simulators map[string]http.Handler
	closers    []func()
}

func (w *wiring) mount(prefix string, s simulator) {
	w.simulators[prefix] = s
	w.closers = append(w.closers, s.Close)
}

func (w *wiring) close() {
	for _, c := range w.closers {
		c()
	}
}

// sandboxCredentials are the credentials every simulator accepts, and so what the connectors
// use in sandbox mode. They are test values of the offline simulators, not real keys.
const (
	sandboxTapKey        = "sk_test_EXAMPLEKEY0000000000"
	sandboxAdyenKey      = "AQE_bawaba_sandbox_adyen_api_key_0001"
	sandboxAdyenMerchant = "BawabaSandboxECOM"
	sandboxAdyenHMAC     = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056"
)

// buildGateways registers every configured gateway. In sandbox mode each one talks to its
// simulator, mounted in this process; in live mode a gateway is on when its credentials are set.
func buildGateways(cfg Config, log *slog.Logger) (*wiring, error) {
	w := &wiring{registry: gateway.NewRegistry(), simulators: map[string]http.Handler{}}
	sim := func(name string) (prefix, public string) {
		return "/sandbox/" + name, cfg.BaseURL + "/sandbox/" + name
	}
	// stateFile is where the simulator name keeps its payments across restarts ("": memory).
	stateFile := func(name string) string {
		if cfg.SandboxState == "" {
			return ""
		}
		return filepath.Join(cfg.SandboxState, name+".json")
	}
	var errs []error
	register := func(g gateway.Gateway, methods ...string) {
		if err := w.registry.Register(g, methods...); err != nil {
			errs = append(errs, err)
		}
	}
	knetVia := func(name string) []string {
		if cfg.KNETGateway == name {
			return []string{gateway.MethodKNET}
		}
		return nil
	}

	// Tap (KNET).
	if cfg.sandbox() {
		prefix, public := sim("tap")
		w.mount(prefix, tapsim.New(tapsim.Config{BasePath: prefix, PublicURL: public, SecretKey: sandboxTapKey, MerchantName: cfg.MerchantName, Logger: log,
			StateFile: stateFile("tap")}))
		register(tap.New(tap.Config{BaseURL: public, SecretKey: sandboxTapKey}), knetVia("tap")...)
	} else if cfg.TapSecretKey != "" {
		register(tap.New(tap.Config{BaseURL: cfg.TapBaseURL, SecretKey: cfg.TapSecretKey, Live: true}), knetVia("tap")...)
	}

	// Adyen (KNET).
	if cfg.sandbox() {
		prefix, public := sim("adyen")
		w.mount(prefix, adyensim.New(adyensim.Config{BasePath: prefix, PublicURL: public, APIKey: sandboxAdyenKey,
			MerchantAccount: sandboxAdyenMerchant, HMACKey: sandboxAdyenHMAC, WebhookURL: cfg.BaseURL + "/webhooks/adyen", Logger: log,
			StateFile: stateFile("adyen")}))
		register(adyen.New(adyen.Config{BaseURL: public + "/v71", APIKey: sandboxAdyenKey, MerchantAccount: sandboxAdyenMerchant,
			HMACKey: sandboxAdyenHMAC}), knetVia("adyen")...)
	} else if cfg.AdyenAPIKey != "" {
		ac := adyen.Config{BaseURL: cfg.AdyenBaseURL, APIKey: cfg.AdyenAPIKey, MerchantAccount: cfg.AdyenMerchantAccount,
			HMACKey: cfg.AdyenHMACKey, Live: true}
		if err := ac.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("config: adyen: %w", err))
		} else {
			register(adyen.New(ac), knetVia("adyen")...)
		}
	}

	// KNET's own gateway (KNET direct).
	if cfg.sandbox() {
		prefix, public := sim("knet")
		w.mount(prefix, knetsim.New(knetsim.Config{BasePath: prefix, PublicURL: public, Logger: log, StateFile: stateFile("knet")}))
		register(knet.New(knet.Config{BaseURL: public + "/kpg", TranportalID: knetsim.SandboxTranportalID,
			TranportalPassword: knetsim.SandboxTranportalPassword, ResourceKey: knetsim.SandboxResourceKey}), knetVia("knet")...)
	} else if cfg.KNETTranportalID != "" {
		register(knet.New(knet.Config{BaseURL: cfg.KNETBaseURL, TranportalID: cfg.KNETTranportalID,
			TranportalPassword: cfg.KNETTranportalPassword, ResourceKey: cfg.KNETResourceKey}), knetVia("knet")...)
	}

	// Click (its own method, KWD).
	if cfg.sandbox() {
		prefix, public := sim("click")
		w.mount(prefix, clicksim.New(clicksim.Config{BasePath: prefix, PublicURL: public, MerchantName: cfg.MerchantName, Logger: log,
			StateFile: stateFile("click")}))
		register(click.New(click.Config{BaseURL: public, DeveloperUser: clicksim.SandboxDeveloperUser, Token: clicksim.SandboxToken}), gateway.MethodClick)
	} else if cfg.ClickToken != "" {
		register(click.New(click.Config{BaseURL: cfg.ClickBaseURL, DeveloperUser: cfg.ClickDeveloperUser, Token: cfg.ClickToken}), gateway.MethodClick)
	}

	// Kasikornbank K-Payment (cards by the embedded K-Pay button, Thai QR, WeChat Pay, UnionPay,
	// Alipay). Cards in THB go to K-Pay; in IQD/USD to Al Qaseh (registered after it).
	kpayMethods := []string{gateway.MethodCard, gateway.MethodThaiQR, gateway.MethodWeChat, gateway.MethodUnionPay, gateway.MethodAlipay}
	kc := kpay.Config{PublicKey: cfg.KPayPublicKey, SecretKey: cfg.KPaySecretKey, MID: cfg.KPayMID, DCCMID: cfg.KPayDCCMID,
		CardMode: cfg.KPayCardMode, SmartPayID: cfg.KPaySmartPayID, Terms: cfg.KPayTerms, ShopName: cfg.MerchantName,
		UIBaseURL: cfg.KPayUIBaseURL, APIBaseURL: cfg.KPayAPIBaseURL, Live: true}
	if cfg.sandbox() {
		prefix, public := sim("kpay")
		w.mount(prefix, kpaysim.New(kpaysim.Config{BasePath: prefix, PublicURL: public,
			NotifyURL: cfg.BaseURL + "/webhooks/kpay", CallbackURL: cfg.BaseURL + "/return/kpay",
			SettlementDelay: cfg.SandboxSettleAfter, QRExpiry: cfg.SandboxQRExpiry, Logger: log, StateFile: stateFile("kpay")}))
		kc.PublicKey, kc.SecretKey, kc.MID, kc.DCCMID = kpaysim.SandboxPublicKey, kpaysim.SandboxSecretKey, kpaysim.SandboxMID, kpaysim.SandboxDCCMID
		kc.UIBaseURL, kc.APIBaseURL, kc.Live = public, public, false
	}
	if cfg.sandbox() || cfg.KPaySecretKey != "" {
		if err := kc.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("config: kpay: %w", err))
		} else {
			register(kpay.New(kc), kpayMethods...)
		}
	}

	// Al Qaseh (cards in IQD, and USD where configured).
	if cfg.sandbox() {
		prefix, public := sim("alqaseh")
		w.mount(prefix, alqasehsim.New(alqasehsim.Config{BasePath: prefix, PublicURL: public, Logger: log, StateFile: stateFile("alqaseh")}))
		register(alqaseh.New(alqaseh.Config{BaseURL: public + "/v1", PaymentPageURL: public + "/pay",
			ClientID: alqasehsim.SandboxClientID, ClientSecret: alqasehsim.SandboxClientSecret,
			Currencies: cfg.AlqasehCurrencies}), gateway.MethodCard)
	} else if cfg.AlqasehClientID != "" {
		register(alqaseh.New(alqaseh.Config{BaseURL: cfg.AlqasehBaseURL, PaymentPageURL: cfg.AlqasehPageURL,
			ClientID: cfg.AlqasehClientID, ClientSecret: cfg.AlqasehClientSecret, Currencies: cfg.AlqasehCurrencies}), gateway.MethodCard)
	}

	if len(errs) > 0 {
		w.close()
		return nil, errors.Join(errs...)
	}
	if _, ok := w.registry.ForMethod(gateway.MethodKNET, "KWD"); !ok && cfg.sandbox() {
		w.close()
		return nil, fmt.Errorf("config: knet gateway %q is not available", cfg.KNETGateway)
	}
	return w, nil
}
