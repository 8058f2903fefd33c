package alqaseh

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

const (
	defaultHistoryLimit = 20
	maxHistoryLimit     = 100
)

// historyFields are the order_field values accepted (default created_at).
var historyFields = []string{"created_at", "updated_at", "amount", "order_id", "payment_id", "payment_status"}

// historyQuery is a validated history query (spec §2: limit, offset,
// order_by, order_field and the filters).
type historyQuery struct {
	limit, offset int
	desc          bool
	field         string
	amount        string // normalised decimal, "" = any
	from, to      time.Time
	eq            map[string]string // exact-match filters by query name
}

var languageText = regexp.MustCompile(`^[A-Za-z]{2}$`)

func parseHistoryQuery(q url.Values) (historyQuery, []string) {
	h := historyQuery{limit: defaultHistoryLimit, desc: true, field: "created_at", eq: map[string]string{}}
	var problems []string
	nonNegative := func(name string, dst *int) {
		if v := q.Get(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				problems = append(problems, name+": must be a non-negative integer")
				return
			}
			*dst = n
		}
	}
	nonNegative("limit", &h.limit)
	nonNegative("offset", &h.offset)
	if h.limit == 0 {
		h.limit = defaultHistoryLimit
	}
	h.limit = min(h.limit, maxHistoryLimit)
	switch q.Get("order_by") {
	case "", "desc":
	case "asc":
		h.desc = false
	default:
		problems = append(problems, "order_by: must be asc or desc")
	}
	if v := q.Get("order_field"); v != "" {
		if !slices.Contains(historyFields, v) {
			problems = append(problems, "order_field: must be one of "+strings.Join(historyFields, ", "))
		}
		h.field = v
	}
	if v := q.Get("amount"); v != "" {
		m := amountText.FindStringSubmatch(v)
		if m == nil {
			problems = append(problems, "amount: must be a number")
		} else {
			h.amount = normalDecimal(m[1], m[2])
		}
	}
	for _, b := range []struct {
		name  string
		dst   *time.Time
		toEnd bool
	}{{"from", &h.from, false}, {"to", &h.to, true}} {
		if v := q.Get(b.name); v != "" {
			t, ok := parseDate(v, b.toEnd)
			if !ok {
				problems = append(problems, b.name+": must be a date (YYYY-MM-DD) or an RFC 3339 time")
			}
			*b.dst = t
		}
	}
	if v := q.Get("payment_status"); v != "" && !slices.Contains(allStatuses, v) {
		problems = append(problems, "payment_status: must be one of "+strings.Join(allStatuses, ", "))
	}
	if v := q.Get("transaction_type"); v != "" && !slices.Contains(transactionTypes, v) {
		problems = append(problems, "transaction_type: must be one of "+strings.Join(transactionTypes, ", "))
	}
	if v := q.Get("language"); v != "" && !languageText.MatchString(v) {
		problems = append(problems, "language: must be a two-letter language code")
	}
	for _, name := range []string{"approval", "currency", "order_id", "payment_id", "payment_status", "rc", "rrn", "transaction_type"} {
		if v := q.Get(name); v != "" {
			h.eq[name] = v
		}
	}
	return h, problems
}

// parseDate reads YYYY-MM-DD (the whole day when toEnd) or RFC 3339.
func parseDate(v string, toEnd bool) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, true
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, false
	}
	if toEnd {
		t = t.Add(24*time.Hour - time.Nanosecond)
	}
	return t, true
}

func normalDecimal(whole, frac string) string {
	frac = strings.TrimRight(frac, "0")
	if frac == "" {
		return whole
	}
	return whole + "." + frac
}

// matches reports whether p passes the filters; the caller holds s.mu.
func (h historyQuery) matches(p *payment) bool {
	if h.amount != "" && string(jsonAmount(p.amount, p.decimals)) != h.amount {
		return false
	}
	if !h.from.IsZero() && p.createdAt.Before(h.from) {
		return false
	}
	if !h.to.IsZero() && p.createdAt.After(h.to) {
		return false
	}
	for name, want := range h.eq {
		var ok bool
		switch name {
		case "approval":
			ok = p.approval == want
		case "currency":
			ok = strings.EqualFold(p.currency, want)
		case "order_id":
			ok = p.orderID == want
		case "payment_id":
			ok = slices.Contains(p.ids, want)
		case "payment_status":
			ok = p.status == want
		case "rc":
			ok = p.rc == want
		case "rrn":
			ok = p.rrn == want
		case "transaction_type":
			ok = p.transactionType == want
		}
		if !ok {
			return false
		}
	}
	return true
}

// compare orders two contexts by the query's order_field, ascending.
func (h historyQuery) compare(a, b *payment) int {
	var c int
	switch h.field {
	case "updated_at":
		c = a.updatedAt.Compare(b.updatedAt)
	case "amount":
		c = cmp.Compare(float64(a.amount)/pow10(a.decimals), float64(b.amount)/pow10(b.decimals))
	case "order_id":
		c = cmp.Compare(a.orderID, b.orderID)
	case "payment_id":
		c = cmp.Compare(a.id, b.id)
	case "payment_status":
		c = cmp.Compare(a.status, b.status)
	}
	if c == 0 {
		c = a.createdAt.Compare(b.createdAt)
	}
	return c
}

func pow10(n int) float64 {
	f := 1.0
	for range n {
		f *= 10
	}
	return f
}

// search applies expiry, the filters, the order and the page; it returns the
// page and the number of matches.
func (s *Simulator) search(h historyQuery) ([]paymentJSON, int) {
	now := s.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	var found []*payment
	for _, p := range s.payments { // creation order: a stable tie-break
		p.expireIfDue(now)
		if h.matches(p) {
			found = append(found, p)
		}
	}
	slices.SortStableFunc(found, func(a, b *payment) int {
		if h.desc {
			return h.compare(b, a)
		}
		return h.compare(a, b)
	})
	total := len(found)
	start := min(h.offset, total)
	end := min(start+h.limit, total)
	page := make([]paymentJSON, 0, end-start)
	for _, p := range found[start:end] {
		page = append(page, p.view())
	}
	return page, total
}

// history serves GET /v1/egw/payments/history:
// {"payments":[…],"total":N,"limit":L,"offset":O}.
func (s *Simulator) history(w http.ResponseWriter, r *http.Request) {
	h, problems := parseHistoryQuery(r.URL.Query())
	if len(problems) > 0 {
		s.writeError(w, r, http.StatusBadRequest, errValidation(problems))
		return
	}
	page, total := s.search(h)
	writeJSON(w, http.StatusOK, struct {
		Payments []paymentJSON `json:"payments"`
		Total    int           `json:"total"`
		Limit    int           `json:"limit"`
		Offset   int           `json:"offset"`
	}{page, total, h.limit, h.offset})
}

// csvColumns are the columns of the history download.
var csvColumns = []string{"payment_id", "order_id", "amount", "currency", "payment_status", "transaction_type",
	"rc", "approval_code", "rrn", "description", "merchant_email", "created_at", "updated_at"}

// historyDownload serves GET /v1/egw/payments/history/download: the same
// query as history, as CSV.
func (s *Simulator) historyDownload(w http.ResponseWriter, r *http.Request) {
	h, problems := parseHistoryQuery(r.URL.Query())
	if len(problems) > 0 {
		s.writeError(w, r, http.StatusBadRequest, errValidation(problems))
		return
	}
	page, _ := s.search(h)
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	_ = cw.Write(csvColumns)
	for _, p := range page {
		_ = cw.Write([]string{p.PaymentID, cell(p.OrderID), string(p.Amount), p.Currency, p.PaymentStatus,
			p.TransactionType, p.RC, p.ApprovalCode, p.RRN, cell(p.Description), cell(p.MerchantEmail),
			p.CreatedAt, p.UpdatedAt})
	}
	cw.Flush()
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="payments.csv"`)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf.Bytes())
}

// cell defuses spreadsheet formulas in merchant-supplied text.
func cell(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
