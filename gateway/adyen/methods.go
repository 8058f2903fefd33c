package adyen

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/gateway/internal/wire"
)

// methodsTTL is how long a positive /paymentMethods answer (KNET offered) is trusted for a
// merchant account. A negative answer is never cached.
const methodsTTL = 10 * time.Minute

// errKNETDisabled is the message of the error Start returns when Adyen does not offer KNET.
const errKNETDisabled = "KNET is not enabled on this Adyen merchant account"

// methodsRequest is the /paymentMethods body (spec §3).
type methodsRequest struct {
	MerchantAccount string `json:"merchantAccount"`
	CountryCode     string `json:"countryCode"`
	Amount          amount `json:"amount"`
	ShopperLocale   string `json:"shopperLocale"`
	Channel         string `json:"channel"`
}

// methodsResponse is what we read of its answer: the type of every payment method offered.
type methodsResponse struct {
	PaymentMethods []struct {
		Type string `json:"type"`
	} `json:"paymentMethods"`
}

// knetCache remembers, per merchant account, when Adyen last said KNET was offered.
type knetCache struct {
	mu sync.Mutex
	at map[string]time.Time // merchant account → time of the positive answer
}

// fresh reports whether a positive answer for merchant, given at most methodsTTL before now,
// is cached.
func (c *knetCache) fresh(merchant string, now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	at, ok := c.at[merchant]
	if !ok {
		return false
	}
	if d := now.Sub(at); d >= 0 && d < methodsTTL {
		return true
	}
	delete(c.at, merchant)
	return false
}

// remember caches a positive answer for merchant, given at now.
func (c *knetCache) remember(merchant string, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.at == nil {
		c.at = map[string]time.Time{}
	}
	c.at[merchant] = now
}

// clock returns g.now(), or time.Now() for a Gateway not made by New.
func (g *Gateway) clock() time.Time {
	if g.now == nil {
		return time.Now()
	}
	return g.now()
}

// ensureKNET checks, with POST /paymentMethods, that Adyen offers KNET to the merchant account
// for a's amount in Kuwait (spec §3). A positive answer is cached for methodsTTL per merchant
// account; a negative answer (an error wrapping gateway.ErrRejected) and errors are not.
// Network errors, 408, 429, 5xx and unreadable answers wrap gateway.ErrUnavailable; other 4xx
// wrap gateway.ErrRejected. a must already have been validated (KWD, positive).
func (g *Gateway) ensureKNET(ctx context.Context, a gateway.Attempt) error {
	if g.knet.fresh(g.merchant, g.clock()) {
		return nil
	}
	body, err := wire.Marshal(methodsRequest{
		MerchantAccount: g.merchant,
		CountryCode:     "KW",
		Amount:          amount{Currency: "KWD", Value: a.Amount.Minor()},
		ShopperLocale:   shopperLocale(a.Locale),
		Channel:         "Web",
	})
	if err != nil {
		return fmt.Errorf("adyen: paymentMethods: %w: %v", gateway.ErrRejected, err)
	}
	raw, _, err := g.post(ctx, "/paymentMethods", "", body, "paymentMethods")
	if err != nil {
		return err
	}
	var m methodsResponse
	if err := wire.DecodeObject(raw, &m); err != nil {
		return fmt.Errorf("adyen: paymentMethods: %w: unreadable answer", gateway.ErrUnavailable)
	}
	for _, pm := range m.PaymentMethods {
		if pm.Type == "knet" {
			// Stamped after the answer, so a slow call does not shorten the cache.
			g.knet.remember(g.merchant, g.clock())
			return nil
		}
	}
	return fmt.Errorf("adyen: paymentMethods: %w: %s (%s)", gateway.ErrRejected, errKNETDisabled, g.merchant)
}
