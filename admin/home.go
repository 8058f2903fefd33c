package admin

import (
	"slices"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/shopspring/decimal"

	"github.com/bawaba/checkout/i18n"
	"github.com/bawaba/checkout/money"
	"github.com/bawaba/checkout/order"
	"github.com/bawaba/checkout/store"
	"github.com/bawaba/checkout/views"
)

// chartDays is how many days the home chart shows; chartCurrencies how many charts at most.
const (
	chartDays       = 30
	chartCurrencies = 3
)

// homeShow is the page a merchant opens every morning: paid today and over the last 7 days per
// currency, orders by status over 30 days, orders needing review, failing webhook endpoints, and
// a server-drawn chart of paid volume per day. Days are the viewer's.
func (c *Console) homeShow(ctx *fiber.Ctx) error {
	uctx := ctx.UserContext()
	loc := c.zone(ctx)
	now := c.cfg.Now().In(loc)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	first := today.AddDate(0, 0, -(chartDays - 1))
	paid, err := c.cfg.Store.PaidSince(uctx, first)
	if err != nil {
		return err
	}
	counts, err := c.cfg.Store.StatusCounts(uctx, first)
	if err != nil {
		return err
	}
	review, err := c.cfg.Store.NeedsReviewCount(uctx)
	if err != nil {
		return err
	}
	failing, err := c.cfg.Store.FailingEndpoints(uctx)
	if err != nil {
		return err
	}
	p := c.Page(ctx, "admin.home.title", "home")
	l := p.Lang
	d := views.AdminHome{
		Today:  sums(l, paid, today),
		Week:   sums(l, paid, today.AddDate(0, 0, -6)),
		Review: review, ReviewLabel: l.N("admin.home.review_count", review),
	}
	for _, s := range order.Statuses {
		d.Statuses = append(d.Statuses, views.AdminStat{Status: string(s), Label: l.T("admin.status." + string(s)),
			Count: strconv.Itoa(counts[string(s)]), URL: "/admin/orders?status=" + string(s) + "&from=" + first.Format("2006-01-02")})
	}
	for _, u := range slices.Sorted(func(yield func(string) bool) {
		for u := range failing {
			if !yield(u) {
				return
			}
		}
	}) {
		d.Failing = append(d.Failing, views.AdminFailing{URL: u, Label: l.N("admin.home.failing_events", failing[u])})
	}
	d.Charts = charts(l, paid, first)
	return c.Render(ctx, fiber.StatusOK, views.AdminHomePage(p, d))
}

// sums totals what was paid at or after since, per currency (sorted by code).
func sums(l i18n.Lang, paid []store.PaidLine, since time.Time) []string {
	type tot struct {
		n   int
		sum money.Amount
	}
	by := map[string]*tot{}
	for _, pl := range paid {
		if pl.PaidAt.Before(since) {
			continue
		}
		code := pl.Amount.Currency().Code
		if by[code] == nil {
			z, _ := money.Zero(code)
			by[code] = &tot{sum: z}
		}
		by[code].n++
		by[code].sum, _ = by[code].sum.Add(pl.Amount)
	}
	var out []string
	for _, code := range slices.Sorted(func(yield func(string) bool) {
		for k := range by {
			if !yield(k) {
				return
			}
		}
	}) {
		out = append(out, amount(l, by[code].sum)+" · "+l.N("admin.orders.count", by[code].n))
	}
	return out
}

// Chart geometry, in SVG user units.
const (
	chartW, chartH, chartTop, chartBase = 600, 170, 20, 150
	barStep                             = chartW / chartDays
)

// charts draws paid volume per day, one chart per currency (the biggest by count first).
// Decision: the time axis runs left to right in both languages, as in Arabic financial charts;
// the labels around it follow the page's direction.
func charts(l i18n.Lang, paid []store.PaidLine, first time.Time) []views.AdminChart {
	perDay := map[string][]decimal.Decimal{}
	count := map[string]int{}
	for _, pl := range paid {
		code := pl.Amount.Currency().Code
		if perDay[code] == nil {
			perDay[code] = make([]decimal.Decimal, chartDays)
		}
		day := int(pl.PaidAt.In(first.Location()).Sub(first).Hours() / 24)
		if day < 0 || day >= chartDays {
			continue
		}
		perDay[code][day] = perDay[code][day].Add(pl.Amount.Decimal())
		count[code]++
	}
	codes := make([]string, 0, len(perDay))
	for c := range perDay {
		codes = append(codes, c)
	}
	slices.SortFunc(codes, func(a, b string) int {
		if count[a] != count[b] {
			return count[b] - count[a]
		}
		if a < b {
			return -1
		}
		return 1
	})
	if len(codes) > chartCurrencies {
		codes = codes[:chartCurrencies]
	}
	var out []views.AdminChart
	for _, code := range codes {
		days := perDay[code]
		maxV := decimal.Zero
		for _, v := range days {
			maxV = decimal.Max(maxV, v)
		}
		cur, _ := money.LookupCurrency(code)
		maxA, _ := money.New(maxV, code)
		ch := views.AdminChart{
			Currency: code, Title: l.T("admin.home.chart_title", "currency", code),
			Max: amount(l, maxA), First: first.Format("2006-01-02"), Last: first.AddDate(0, 0, chartDays-1).Format("2006-01-02"),
			W: chartW, H: chartH, Base: chartBase, Top: chartTop,
		}
		for i, v := range days {
			h := 0
			if maxV.IsPositive() {
				h = int(v.Mul(decimal.NewFromInt(chartBase - chartTop)).Div(maxV).Round(0).IntPart())
			}
			if v.IsPositive() && h < 2 {
				h = 2 // a small day stays visible
			}
			a, _ := money.New(v.Round(cur.Scale), code)
			ch.Bars = append(ch.Bars, views.AdminBar{
				X: i*barStep + 2, Y: chartBase - h, W: barStep - 4, H: h,
				Label: first.AddDate(0, 0, i).Format("2006-01-02") + ": " + amount(l, a),
			})
		}
		out = append(out, ch)
	}
	return out
}
