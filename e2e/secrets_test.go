package e2e

import (
	"fmt"
	"regexp"
	"strings"
	"sync"

	alqasehsim "github.com/bawaba/checkout/sandbox/alqaseh"
	clicksim "github.com/bawaba/checkout/sandbox/click"
	knetsim "github.com/bawaba/checkout/sandbox/knet"
	kpaysim "github.com/bawaba/checkout/sandbox/kpay"
)

// serverLogs keeps the log (stderr) of every server the e2e run started, with the secrets it
// was configured with; TestMain searches them all when the run ends (check). Servers log at
// debug level there, the most they ever log.
var serverLogs logArchive

// alwaysSecret are the secrets every sandbox server holds: the gateway credentials its
// connectors send to the simulators (cmd/checkout/gateways.go), and the test cards the suites
// type into the simulators' pages (card data must never be logged either).
var alwaysSecret = []string{
	"sk_test_EXAMPLEKEY0000000000",                                     // Tap secret key
	"AQE_bawaba_sandbox_adyen_api_key_0001",                            // Adyen API key
	"44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056", // Adyen HMAC key
	knetsim.SandboxTranportalPassword, knetsim.SandboxResourceKey,
	kpaysim.SandboxSecretKey, clicksim.SandboxToken, alqasehsim.SandboxClientSecret,
	// Test card numbers of the simulators' READMEs and suites.
	"8888880000000001", "8888880000000002", "8888880000000003",
	"4024007134786226", "4532741632025415", "5404888000072727", "6210947764000027",
	"5341432900077803", "4111111111111111",
}

// secretEnv names the settings whose values are secrets.
var secretEnv = regexp.MustCompile(`^CHECKOUT_[A-Z_]*(SECRET|TOKEN|PASSWORD|API_KEY|HMAC_KEY|RESOURCE_KEY)[A-Z_]*=(.+)$`)

// demoKeyLine is the sandbox banner line (stdout, shown once on purpose) with the API key.
var apiKeyRE = regexp.MustCompile(`bwb_sk_[A-Za-z0-9_]+`)

type logArchive struct {
	mu      sync.Mutex
	servers []loggedServer
}

type loggedServer struct {
	s       *server
	secrets []string
}

func (a *logArchive) add(s *server, env []string) {
	secrets := append([]string(nil), alwaysSecret...)
	for _, kv := range env {
		if m := secretEnv.FindStringSubmatch(kv); m != nil && len(m[2]) >= 6 {
			secrets = append(secrets, m[2])
		}
	}
	a.mu.Lock()
	a.servers = append(a.servers, loggedServer{s: s, secrets: secrets})
	a.mu.Unlock()
}

// check searches every server's log for its secrets and its API keys.
func (a *logArchive) check() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	var leaks []string
	lines := 0
	for _, ls := range a.servers {
		log := ls.s.Log()
		lines += strings.Count(log, "\n")
		secrets := ls.secrets
		if ls.s.APIKey != "" {
			secrets = append(secrets, ls.s.APIKey)
		}
		for _, sec := range secrets {
			if i := strings.Index(log, sec); i >= 0 {
				leaks = append(leaks, fmt.Sprintf("%s: %q in the log line %q", ls.s.BaseURL, sec, lineAt(log, i)))
			}
		}
		if m := apiKeyRE.FindString(log); m != "" {
			leaks = append(leaks, fmt.Sprintf("%s: an API key %q in the log", ls.s.BaseURL, m))
		}
	}
	if len(leaks) > 0 {
		return fmt.Errorf("secrets in the server logs:\n  %s", strings.Join(leaks, "\n  "))
	}
	if len(a.servers) > 0 {
		fmt.Printf("e2e: searched %d log lines of %d servers for their secrets and card numbers: none found\n", lines, len(a.servers))
	}
	return nil
}

func lineAt(s string, i int) string {
	start := strings.LastIndexByte(s[:i], '\n') + 1
	end := strings.IndexByte(s[i:], '\n')
	if end < 0 {
		return s[start:]
	}
	return s[start : i+end]
}
