package wire

import (
	"math/big"
	"net/http"
	"regexp"
	"time"

	"github.com/bawaba/checkout/money"
)

// Exact converts the exact decimal r into an amount of cur. It fails when r has more decimals
// than the currency's ISO 4217 scale or does not fit in int64 minor units. Each connector
// checks the literal against its own gateway's number syntax before it parses r (JSONAmount
// does it for a JSON number).
func Exact(r *big.Rat, cur money.Currency) (money.Amount, bool) {
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(cur.Scale)), nil)
	m := new(big.Rat).Mul(r, new(big.Rat).SetInt(scale))
	if !m.IsInt() || !m.Num().IsInt64() {
		return money.Amount{}, false
	}
	amt, err := money.FromMinor(m.Num().Int64(), cur.Code)
	return amt, err == nil
}

// jsonNumber is a JSON number literal with a bounded exponent.
var jsonNumber = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]{1,3})?$`)

// JSONAmount converts the literal of a JSON number (e.g. "0.5", "1500", "1.5e3") exactly into
// an amount of currency (an ISO code, as given). It fails when lit is not a JSON number of at
// most 64 bytes, the currency is unknown, or the value does not fit the currency's ISO 4217
// decimals.
func JSONAmount(lit, currency string) (money.Amount, bool) {
	if len(lit) > 64 || !jsonNumber.MatchString(lit) {
		return money.Amount{}, false
	}
	cur, ok := money.LookupCurrency(currency)
	if !ok {
		return money.Amount{}, false
	}
	r, ok := new(big.Rat).SetString(lit)
	if !ok {
		return money.Amount{}, false
	}
	return Exact(r, cur)
}

// DefaultClient is the HTTP client of a connector whose configuration names none.
func DefaultClient(c *http.Client, timeout time.Duration) *http.Client {
	if c != nil {
		return c
	}
	return &http.Client{Timeout: timeout}
}

// NoRedirectClient returns a copy of c (or of a default client with timeout when c is nil)
// that hands redirects back to the caller instead of following them; the caller's client is
// left as it was.
func NoRedirectClient(c *http.Client, timeout time.Duration) *http.Client {
	out := http.Client{Timeout: timeout}
	if c != nil {
		out = *c
	}
	out.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &out
}
