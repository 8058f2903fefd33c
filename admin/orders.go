package admin

import (
	"bufio"
	"context"
	"encoding/csv"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/i18n"
	"github.com/bawaba/checkout/money"
	"github.com/bawaba/checkout/order"
	"github.com/bawaba/checkout/store"
	"github.com/bawaba/checkout/views"
)

// pageSize is how many orders one page of the list shows.
const pageSize = 50

// orderFilter reads the list's filter from the query string, refusing nothing: an unknown
// status, method or currency, or a malformed date, is dropped (and the form shows it empty).
// Dates are whole days in the viewer's zone; "to" is inclusive.
func (c *Console) orderFilter(ctx *fiber.Ctx) (store.OrderFilter, views.AdminOrderFilter) {
	var f store.OrderFilter
	var v views.AdminOrderFilter
	if s := ctx.Query("status"); slices.Contains(order.Statuses, order.Status(s)) {
		f.Status, v.Status = s, s
	}
	if m := ctx.Query("method"); gateway.KnownMethod(m) {
		f.Method, v.Method = m, m
	}
	if g := ctx.Query("gateway"); g != "" && slices.Contains(c.gatewayNames(), g) {
		f.Gateway, v.Gateway = g, g
	}
	if cur := strings.ToUpper(ctx.Query("currency")); cur != "" {
		if _, ok := money.LookupCurrency(cur); ok {
			f.Currency, v.Currency = cur, cur
		}
	}
	loc := c.zone(ctx)
	if d, err := time.ParseInLocation("2006-01-02", ctx.Query("from"), loc); err == nil {
		f.From, v.From = d, d.Format("2006-01-02")
	}
	if d, err := time.ParseInLocation("2006-01-02", ctx.Query("to"), loc); err == nil {
		f.To, v.To = d.AddDate(0, 0, 1), d.Format("2006-01-02")
	}
	if q := strings.TrimSpace(ctx.Query("q")); len(q) <= 200 {
		f.Query, v.Q = q, q
	}
	if ctx.Query("review") == "1" {
		f.NeedsReview, v.Review = true, true
	}
	return f, v
}

func (c *Console) gatewayNames() []string {
	if c.cfg.Orders == nil {
		return nil
	}
	return c.cfg.Orders.Gateways().Names()
}

// filterQuery is the filter as URL parameters, for the next page and the CSV link.
func filterQuery(v views.AdminOrderFilter) url.Values {
	q := url.Values{}
	for k, val := range map[string]string{"status": v.Status, "method": v.Method, "gateway": v.Gateway,
		"currency": v.Currency, "from": v.From, "to": v.To, "q": v.Q} {
		if val != "" {
			q.Set(k, val)
		}
	}
	if v.Review {
		q.Set("review", "1")
	}
	return q
}

// amount formats money for the page's language (Latin digits, as everywhere in Bawaba).
func amount(l i18n.Lang, a money.Amount) string { return a.Format(string(l), money.LatinDigits) }

// ordersShow is the order list: newest first, a page of pageSize after the cursor, the totals
// of everything the filter shows.
func (c *Console) ordersShow(ctx *fiber.Ctx) error {
	f, fv := c.orderFilter(ctx)
	var after *store.OrderCursor
	if cur, ok := store.ParseOrderCursor(ctx.Query("after")); ok {
		after = &cur
	}
	uctx := ctx.UserContext()
	rows, err := c.cfg.Store.ListOrders(uctx, f, after, pageSize+1)
	if err != nil {
		return err
	}
	totals, err := c.cfg.Store.OrderTotals(uctx, f)
	if err != nil {
		return err
	}
	p := c.Page(ctx, "admin.orders.title", "orders")
	l := p.Lang
	data := views.AdminOrders{Filter: fv}
	for _, s := range order.Statuses {
		data.Statuses = append(data.Statuses, views.Option{Value: string(s), Label: l.T("admin.status." + string(s))})
	}
	for _, m := range gateway.AllMethods {
		data.Methods = append(data.Methods, views.Option{Value: m, Label: l.T("method." + m)})
	}
	for _, g := range c.gatewayNames() {
		data.Gateways = append(data.Gateways, views.Option{Value: g, Label: g})
	}
	for _, cur := range money.Currencies() {
		data.Currencies = append(data.Currencies, views.Option{Value: cur.Code, Label: cur.Code})
	}
	q := filterQuery(fv)
	if len(rows) > pageSize {
		rows = rows[:pageSize]
		next := url.Values{}
		for k, v := range q {
			next[k] = v
		}
		next.Set("after", rows[len(rows)-1].Cursor().String())
		data.NextURL = "/admin/orders?" + next.Encode()
	}
	if after != nil {
		data.FirstURL = "/admin/orders?" + q.Encode()
	}
	data.CSVURL = "/admin/orders.csv?" + q.Encode()
	for _, r := range rows {
		data.Rows = append(data.Rows, c.orderRow(ctx, l, r))
	}
	for _, t := range totals {
		data.Totals = append(data.Totals, l.N("admin.orders.count", t.Count)+" · "+amount(l, t.Sum))
	}
	return c.Render(ctx, fiber.StatusOK, views.AdminOrderList(p, data))
}

func (c *Console) orderRow(ctx *fiber.Ctx, l i18n.Lang, r store.OrderRow) views.AdminOrderRow {
	row := views.AdminOrderRow{
		ID: r.ID, Reference: r.Reference, Amount: amount(l, r.Amount), Status: r.Status,
		StatusLabel: l.T("admin.status." + r.Status), Customer: r.Customer, Gateway: r.Gateway,
		Created: c.when(ctx, r.CreatedAt), NeedsReview: r.NeedsReview,
	}
	if r.Method != "" {
		row.Method = l.T("method." + r.Method)
	}
	return row
}

// csvHeader is the export's first line.
var csvHeader = []string{"id", "created_at", "status", "amount", "currency", "reference", "customer",
	"method", "gateway", "payment_id", "paid_at", "needs_review"}

// ordersCSV streams exactly what the filter shows (every page), amounts as text at the
// currency's scale, times in UTC (RFC 3339). A cell starting with = + - @ gets a leading ' so
// that a spreadsheet never runs it as a formula.
func (c *Console) ordersCSV(ctx *fiber.Ctx) error {
	f, _ := c.orderFilter(ctx)
	if err := c.saveSession(ctx); err != nil {
		return err
	}
	ctx.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	ctx.Set(fiber.HeaderContentDisposition, `attachment; filename="orders-`+c.cfg.Now().UTC().Format("20060102-150405")+`.csv"`)
	ctx.Set(fiber.HeaderCacheControl, "no-store")
	// The stream outlives the handler: it gets its own context, and its own copy of the filter.
	st := c.cfg.Store
	log := c.log
	ctx.Context().SetBodyStreamWriter(func(bw *bufio.Writer) {
		w := csv.NewWriter(bw)
		_ = w.Write(csvHeader)
		n := 0
		err := st.EachOrder(context.Background(), f, func(r store.OrderRow) error {
			paid := ""
			if !r.PaidAt.IsZero() {
				paid = r.PaidAt.UTC().Format(time.RFC3339)
			}
			rec := []string{r.ID, r.CreatedAt.UTC().Format(time.RFC3339), r.Status, r.Amount.String(), r.Amount.Currency().Code,
				safeCell(r.Reference), safeCell(r.Customer), r.Method, r.Gateway, safeCell(r.PaymentID), paid, strconv.FormatBool(r.NeedsReview)}
			if err := w.Write(rec); err != nil {
				return err
			}
			if n++; n%500 == 0 {
				w.Flush()
				return bw.Flush()
			}
			return nil
		})
		w.Flush()
		if err == nil {
			err = w.Error()
		}
		if err != nil {
			log.Error("admin: CSV export", "err", err)
		}
	})
	return nil
}

func safeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
