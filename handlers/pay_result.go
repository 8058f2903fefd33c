package handlers

import (
	"context"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/gofiber/fiber/v2"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/i18n"
	"github.com/bawaba/checkout/order"
	"github.com/bawaba/checkout/views"
)

// autoReturnSeconds is how long the paid page waits before taking the shopper back to the shop.
const autoReturnSeconds = 8

// recheckAfter keeps the pending page from asking the gateway more often than this.
const recheckAfter = 3 * time.Second

// abandonedAfter is how long an attempt may stay pending (the gateway saw no payment start:
// not "unknown", which means one may be in flight) before the pending page offers another
// way to pay. A late success of the old attempt is still accepted (and flagged if the order
// was paid twice), so this only decides what the page offers, never what the order is.
const abandonedAfter = 10 * time.Minute

// shopperStatus is the status a shopper sees (the data-status hook): paid, failed, cancelled,
// pending, expired, refunded; "choose" when the order waits for a method.
func shopperStatus(o *order.Order, now time.Time) (string, *order.Attempt) {
	last, hasLast := o.LastAttempt()
	switch o.Status {
	case order.StatusPaid, order.StatusPartiallyRefunded:
		a, _ := o.PaidAttempt()
		return "paid", &a
	case order.StatusRefunded:
		return "refunded", nil
	case order.StatusCancelled:
		return "cancelled", nil
	case order.StatusExpired:
		return "expired", nil
	}
	if o.Expired(now) {
		return "expired", nil
	}
	if o.Status == order.StatusProcessing {
		return "pending", &last
	}
	if !hasLast {
		return "choose", nil
	}
	switch last.Status {
	case gateway.StatusCancelled:
		return "cancelled", &last
	case gateway.StatusFailed, gateway.StatusExpired, gateway.StatusVoided:
		return "failed", &last
	}
	return "pending", &last
}

// recheck is the order as the shopper should see it now: while its attempt is pending and was
// not looked at for recheckAfter, the gateway is asked at once rather than waiting for the
// reconciler — bounded, so a slow gateway only delays the page, never breaks it.
func recheck(c *fiber.Ctx, d Deps, o order.Order, now time.Time) (order.Order, string, *order.Attempt) {
	status, att := shopperStatus(&o, now)
	if status != "pending" || att == nil || att.Final() || now.Sub(att.UpdatedAt) < recheckAfter {
		return o, status, att
	}
	ctx, cancel := context.WithTimeout(c.UserContext(), 8*time.Second)
	defer cancel()
	fresh, err := d.Orders.Check(ctx, att.ID)
	if err != nil {
		return o, status, att
	}
	status, att = shopperStatus(&fresh, now)
	return fresh, status, att
}

// resultShow is /pay/{id}/result: what happened, verified, and the way on.
func resultShow(d Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		s := d.Shopper
		o, version, keepable, err := s.keep.order(c.UserContext(), d.Orders, c.Params("id"))
		if err != nil {
			return shopperOrderError(c, err)
		}
		now := d.Orders.Now()
		o, status, att := recheck(c, d, o, now)
		if status == "choose" {
			return s.redirect(c, "/pay/"+o.ID)
		}
		l := s.lang(c, o.Locale)
		key := ""
		// A pending page asks the gateway and counts the abandoned time: never kept. The others
		// depend on the order (its counter), the clock (status, time left) and the secret that
		// signs the way back to the shop.
		if keepable && status != "pending" {
			key = s.pageKey(c, "result", version, string(l), status+"\x00"+leftToPay(l, &o, now)+"\x00"+s.returnSecret())
		}
		code := fiber.StatusOK
		if status == "expired" {
			code = fiber.StatusGone // the payment link is gone for good; the page says why
		}
		return s.renderKept(c, code, key, func() templ.Component {
			p := s.page(c, l, "result."+status+".title")
			r := s.resultView(l, &o, status, att, now)
			sum := summarize(l, &o, now)
			if status == "pending" {
				p.Refresh = 3
				sum.TimeLeft = "" // the payment is being checked: no clock to pay against
			}
			return views.ResultPage(p, sum, r)
		})
	}
}

func (s *ShopperDeps) resultView(l i18n.Lang, o *order.Order, status string, att *order.Attempt, now time.Time) views.Result {
	r := views.Result{Status: status, Headline: l.T("result." + status + ".title"), Message: l.T("result." + status + ".message")}
	back := o.CancelURL
	if back == "" {
		back = o.ReturnURL
	}
	switch status {
	case "paid":
		r.Receipt, r.Details = receipt(l, o, att)
		r.Printable = true
		r.PrimaryURL, r.PrimaryTxt = s.returnLink(o.ReturnURL, o.ID, "paid"), l.T("result.back_to_shop")
		r.AutoReturn = autoReturnSeconds
	case "refunded":
		r.PrimaryURL, r.PrimaryTxt = s.returnLink(o.ReturnURL, o.ID, "refunded"), l.T("result.back_to_shop")
	case "failed":
		if att != nil && att.FailureReason != "" {
			r.Message = l.T("reason." + att.FailureReason)
		}
		r.PrimaryURL, r.PrimaryTxt = "/pay/"+o.ID, l.T("result.try_another")
		r.SecondaryURL, r.SecondaryTxt = s.returnLink(back, o.ID, "failed"), l.T("result.back_to_shop")
	case "cancelled":
		if o.Status == order.StatusCancelled {
			r.Message = l.T("result.cancelled.by_merchant")
			r.PrimaryURL, r.PrimaryTxt = s.returnLink(back, o.ID, "cancelled"), l.T("result.back_to_shop")
			break
		}
		r.PrimaryURL, r.PrimaryTxt = "/pay/"+o.ID, l.T("result.choose_again")
		r.SecondaryURL, r.SecondaryTxt = s.returnLink(back, o.ID, "cancelled"), l.T("result.back_to_shop")
	case "pending":
		r.PollURL = "/pay/" + o.ID + "/status"
		r.SecondaryURL, r.SecondaryTxt = s.returnLink(back, o.ID, "pending"), l.T("result.back_to_shop")
		if att != nil && att.Status == gateway.StatusPending && now.Sub(att.CreatedAt) >= abandonedAfter {
			r.Message = l.T("result.pending.abandoned")
			r.PrimaryURL, r.PrimaryTxt = "/pay/"+o.ID, l.T("result.try_another")
		}
	case "expired":
		r.PrimaryURL, r.PrimaryTxt = s.returnLink(back, o.ID, "expired"), l.T("result.back_to_shop")
	}
	return r
}

// receiptZone is the time zone receipts use for a currency's home market.
func receiptZone(currency string) *time.Location {
	zone := map[string]string{
		"KWD": "Asia/Kuwait", "SAR": "Asia/Riyadh", "BHD": "Asia/Bahrain", "QAR": "Asia/Qatar",
		"AED": "Asia/Dubai", "OMR": "Asia/Muscat", "IQD": "Asia/Baghdad", "JOD": "Asia/Amman",
		"EGP": "Africa/Cairo", "THB": "Asia/Bangkok",
	}[currency]
	if loc, err := time.LoadLocation(zone); zone != "" && err == nil {
		return loc
	}
	return time.UTC
}

// receipt is what a shopper needs from a paid order (amount, method, date, the shop's
// reference, the gateway's reference and authorization code), then the internal ids for the
// collapsed details.
func receipt(l i18n.Lang, o *order.Order, a *order.Attempt) (main, details []views.Row) {
	paidAt := o.PaidAt.In(receiptZone(o.Amount.Currency().Code))
	main = []views.Row{
		{Label: l.T("receipt.amount"), Value: formatAmount(l, o.Amount)},
		{Label: l.T("receipt.method"), Value: nowrap(l.T("method." + a.Method))},
		{Label: l.T("receipt.date"), Value: paidAt.Format("2006-01-02 15:04") + " (UTC" + paidAt.Format("-07:00") + ")", Mono: true},
	}
	add := func(rows *[]views.Row, key, v string) {
		if v != "" {
			*rows = append(*rows, views.Row{Label: l.T(key), Value: v, Mono: true})
		}
	}
	add(&main, "receipt.reference", o.Reference)
	add(&main, "receipt.bank_reference", a.BankReference)
	add(&main, "receipt.auth_code", a.AuthCode)
	add(&details, "receipt.order", o.ID)
	add(&details, "receipt.payment_id", a.PaymentID)
	add(&details, "receipt.transaction_id", a.TransactionID)
	add(&details, "receipt.track_id", a.TrackID)
	return main, details
}

// nowrap keeps a method's name («كي نت», "Thai QR") on one line inside a sentence or a row.
func nowrap(s string) string { return strings.ReplaceAll(s, " ", "\u00a0") }

// statusJSON is the pending page's polling endpoint: {"status": "..."} and nothing more.
func statusJSON(d Deps) fiber.Handler {
	return func(c *fiber.Ctx) error {
		o, _, _, err := d.Shopper.keep.order(c.UserContext(), d.Orders, c.Params("id"))
		if err != nil {
			return shopperOrderError(c, err)
		}
		_, status, _ := recheck(c, d, o, d.Orders.Now())
		c.Set(fiber.HeaderCacheControl, "no-store")
		return c.JSON(fiber.Map{"status": status})
	}
}
