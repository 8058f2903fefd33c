// Package settings holds what a merchant changes in the console without a restart: the shop's
// name, logo, brand colour and default language, and the default webhook URL. They are kept as
// one JSON value in the settings table, read through an in-memory copy; the configuration
// (CHECKOUT_MERCHANT_NAME …) gives the values until the merchant saves the form once.
package settings

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
)

// Shop is the merchant's settings.
type Shop struct {
	Name       string `json:"name"`
	Logo       string `json:"logo"`        // https URL or a data:image/… URL; empty: none
	Brand      string `json:"brand"`       // #rrggbb; empty: Bawaba's blue
	Lang       string `json:"lang"`        // ar | en: the pages' language when nothing else decides
	WebhookURL string `json:"webhook_url"` // default target of merchant webhooks
}

// KV is where the settings are kept. store.DB implements it.
type KV interface {
	Setting(ctx context.Context, name string) ([]byte, bool, error)
	PutSetting(ctx context.Context, name string, value []byte) error
}

const key = "shop_settings"

// Live is the current settings, safe for concurrent use.
type Live struct {
	kv  KV
	mu  sync.RWMutex
	cur Shop
}

// Load reads the saved settings, or starts from defaults (the configuration's).
func Load(ctx context.Context, kv KV, defaults Shop) (*Live, error) {
	l := &Live{kv: kv, cur: defaults}
	if err := l.Refresh(ctx); err != nil {
		return nil, err
	}
	return l, nil
}

// Refresh reads the saved settings again: another node behind the same load balancer may have
// saved them in its console (the server refreshes every tick). Nothing saved yet keeps what is.
func (l *Live) Refresh(ctx context.Context) error {
	if l == nil || l.kv == nil {
		return nil
	}
	b, ok, err := l.kv.Setting(ctx, key)
	if err != nil || !ok {
		return err
	}
	var s Shop
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("settings: stored value: %w", err)
	}
	l.mu.Lock()
	l.cur = s
	l.mu.Unlock()
	return nil
}

// Fixed returns settings that never change (tests, tools).
func Fixed(s Shop) *Live { return &Live{cur: s} }

// Get returns the current settings.
func (l *Live) Get() Shop {
	if l == nil {
		return Shop{}
	}
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.cur
}

// Save validates and keeps s; nothing changes when a field is refused.
func (l *Live) Save(ctx context.Context, s Shop) (map[string]string, error) {
	s = s.normalized()
	if errs := s.Validate(); len(errs) > 0 {
		return errs, nil
	}
	b, err := json.Marshal(s)
	if err != nil {
		return nil, err
	}
	if err := l.kv.PutSetting(ctx, key, b); err != nil {
		return nil, err
	}
	l.mu.Lock()
	l.cur = s
	l.mu.Unlock()
	return nil, nil
}

func (s Shop) normalized() Shop {
	s.Name = strings.TrimSpace(s.Name)
	s.Logo = strings.TrimSpace(s.Logo)
	s.Brand = strings.ToLower(strings.TrimSpace(s.Brand))
	s.WebhookURL = strings.TrimSpace(s.WebhookURL)
	return s
}

var hexColour = regexp.MustCompile(`^#[0-9a-f]{6}$`)

// MinContrast is the least contrast the brand colour must have against white, both ways it is
// used (white text on a brand button, brand links on white): WCAG AA for normal text.
const MinContrast = 4.5

// maxLogoBytes bounds a data: logo, which is sent with every page.
const maxLogoBytes = 64 << 10

// Validate returns the fields at fault with a message key each (for i18n).
func (s Shop) Validate() map[string]string {
	errs := map[string]string{}
	if s.Name == "" || len([]rune(s.Name)) > 80 {
		errs["name"] = "admin.settings.err_name"
	}
	if s.Logo != "" {
		if err := checkLogo(s.Logo); err != "" {
			errs["logo"] = err
		}
	}
	if s.Brand != "" {
		if !hexColour.MatchString(s.Brand) {
			errs["brand"] = "admin.settings.err_brand"
		} else if Contrast(s.Brand, "#ffffff") < MinContrast {
			errs["brand"] = "admin.settings.err_contrast"
		}
	}
	if s.Lang != "ar" && s.Lang != "en" {
		errs["lang"] = "admin.settings.err_lang"
	}
	if s.WebhookURL != "" {
		u, err := url.Parse(s.WebhookURL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil {
			errs["webhook_url"] = "admin.settings.err_webhook"
		}
	}
	return errs
}

// checkLogo accepts an https URL or a data: URL of a raster image or SVG, base64, not too big.
// Decision: plain http is refused (mixed content on an https checkout), and so is any other
// scheme (javascript:, file:).
func checkLogo(logo string) string {
	if rest, ok := strings.CutPrefix(logo, "data:"); ok {
		mime, _, _ := strings.Cut(rest, ",")
		mime = strings.TrimSuffix(mime, ";base64")
		switch mime {
		case "image/png", "image/jpeg", "image/gif", "image/webp", "image/svg+xml":
		default:
			return "admin.settings.err_logo"
		}
		if len(logo) > maxLogoBytes {
			return "admin.settings.err_logo_size"
		}
		return ""
	}
	u, err := url.Parse(logo)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil {
		return "admin.settings.err_logo"
	}
	return ""
}

// Contrast is the WCAG 2 contrast ratio of two #rrggbb colours (1 to 21).
func Contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func luminance(hex string) float64 {
	ch := func(i int) float64 {
		v, _ := strconv.ParseUint(hex[i:i+2], 16, 8)
		c := float64(v) / 255
		if c <= 0.03928 {
			return c / 12.92
		}
		return math.Pow((c+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(1) + 0.7152*ch(3) + 0.0722*ch(5)
}
