package e2e

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// Lighthouse (mobile emulation, the npm CLI with the same Debian chromium) on the shopper's
// pages in Arabic and English: accessibility and best practices 100, and every SEO audit passed
// but one on purpose. The payment pages carry <meta name="robots" content="noindex"> (a
// checkout for one order must never turn up in a search engine), so they fail Lighthouse's
// "is-crawlable" by design, and the test asserts exactly that (their SEO score is therefore
// below 100); the demo shop is indexable and must score SEO 100. The paid and pending pages go
// elsewhere by themselves (back to the shop, a reload), which Lighthouse cannot hold still:
// they are covered by axe and the visual test instead. Four pages, each kind once, alternating
// the language: a Lighthouse run costs 10 to 40 s of a shared machine's CPU (all seven, pay,
// confirm and result in both languages, scored the same when measured for issue 13).
func TestLighthouse(t *testing.T) {
	cli := os.Getenv("BAWABA_LIGHTHOUSE")
	if cli == "" {
		cli = filepath.Join(repoRoot, ".cache", "lighthouse", "node_modules", "lighthouse", "cli", "index.js")
	}
	if _, err := os.Stat(cli); err != nil {
		missing(t, "lighthouse (npm) missing: %v", err)
	}
	if _, err := exec.LookPath("node"); err != nil {
		missing(t, "node missing: %v", err)
	}
	s := shop(t)
	order := func(ref, currency string) string {
		body := map[string]any{"amount": "6.000", "currency": currency, "reference": "lh-" + ref,
			"description": "Arabic coffee set", "return_url": s.BaseURL + "/demo/return"}
		if currency == "THB" {
			body["amount"], body["description"] = "590.00", "Thai silk scarf"
		}
		return s.createOrder(t, body)["checkout_url"].(string)
	}
	// declined is the result page of a KNET payment the simulator declined.
	declined := func(lang string) string {
		page := newPage(t, lang)
		toKNET(t, page, order("result-"+lang, "KWD"), lang, false)
		fillKNET(t, page, "2029", false)
		status(t, page, "failed")
		return page.URL()
	}
	// kpayCard is the attempt page with K-Pay's card button (the gateway's script on our page).
	kpayCard := func(lang string) string {
		page := newPage(t, lang)
		_, err := page.Goto(order("embed-"+lang, "THB") + "/confirm?method=card&lang=" + lang)
		must(t, err)
		must(t, page.Locator("[data-testid=pay]").Click())
		must(t, expect.Locator(page.Locator("[data-testid=kpay-button]")).ToBeVisible())
		return page.URL() + "?lang=" + lang
	}
	pages := []struct {
		name, url string
		indexable bool
	}{
		{"demo-en", s.BaseURL + "/?lang=en", true},
		{"pay-ar", order("pay-ar", "THB") + "?lang=ar", false},
		{"kpay-embed-card-en", kpayCard("en"), false},
		{"result-failed-ar", declined("ar"), false},
	}
	chromium := chromiumPath()
	for _, pg := range pages {
		t.Run(pg.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "lh.json")
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			cmd := exec.CommandContext(ctx, "node", cli, pg.url, "--quiet", "--form-factor=mobile",
				"--only-categories=accessibility,best-practices,seo", "--output=json", "--output-path="+out,
				"--disable-full-page-screenshot", "--throttling-method=provided", // faster; neither changes these audits
				"--chrome-flags=--headless=new --no-sandbox --disable-gpu")
			cmd.Env = append(os.Environ(), "CHROME_PATH="+chromium)
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("lighthouse %s: %v\n%s", pg.url, err, b)
			}
			raw, err := os.ReadFile(out)
			must(t, err)
			var rep struct {
				Categories map[string]struct {
					Score     *float64 `json:"score"`
					AuditRefs []struct {
						ID     string  `json:"id"`
						Weight float64 `json:"weight"`
					} `json:"auditRefs"`
				} `json:"categories"`
				Audits map[string]struct {
					Title string   `json:"title"`
					Score *float64 `json:"score"`
				} `json:"audits"`
			}
			must(t, json.Unmarshal(raw, &rep))
			scores := map[string]float64{}
			for id, c := range rep.Categories {
				if c.Score == nil {
					t.Fatalf("%s: category %s has no score", pg.name, id)
				}
				scores[id] = *c.Score
				for _, ref := range c.AuditRefs {
					a := rep.Audits[ref.ID]
					if ref.Weight == 0 || a.Score == nil {
						continue
					}
					failed := *a.Score < 1
					switch {
					case ref.ID == "is-crawlable" && !pg.indexable:
						if !failed {
							t.Errorf("%s: Lighthouse finds the payment page crawlable; want noindex", pg.name)
						}
					case failed:
						t.Errorf("%s: %s audit %s scores %.2f: %s", pg.name, id, ref.ID, *a.Score, a.Title)
					}
				}
			}
			t.Logf("%s: accessibility %.0f, best-practices %.0f, seo %.0f", pg.name,
				100*scores["accessibility"], 100*scores["best-practices"], 100*scores["seo"])
		})
	}
}
