package alqaseh

import (
	"bytes"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bawaba/checkout/sandbox/internal/simkit"
)

// apiError is an error answer: {"err":"…","error_code":"…","reference_code":"…"}
// (spec §2). The codes are the simulator's own (Al Qaseh's are not public).
type apiError struct {
	code, msg string
}

var (
	errUnauthorized    = apiError{"UNAUTHORIZED", "unauthorized"}
	errInvalidBody     = apiError{"INVALID_REQUEST_BODY", "request body must be one JSON object"}
	errPaymentNotFound = apiError{"PAYMENT_NOT_FOUND", "payment not found"}
	errRouteNotFound   = apiError{"ROUTE_NOT_FOUND", "route not found"}
)

func errValidation(problems []string) apiError {
	return apiError{"VALIDATION_ERROR", "validation failed: " + strings.Join(problems, "; ")}
}

func errInvalidStatus(status, action string) apiError {
	return apiError{"INVALID_PAYMENT_STATUS", "payment in status " + status + " cannot be " + action}
}

// writeError answers an error with a fresh reference_code, logged with it.
func (s *Simulator) writeError(w http.ResponseWriter, r *http.Request, status int, e apiError) {
	ref := newPaymentID()
	route := r.Pattern // keeps tokens out of the log
	if route == "" || route == "/" {
		route = r.Method + " " + r.URL.Path
	}
	s.log.InfoContext(r.Context(), "alqaseh sandbox: request refused", "route", route,
		"status", status, "error_code", e.code, "err", e.msg, "reference_code", ref)
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Basic realm="alqaseh", charset="UTF-8"`)
	}
	writeJSON(w, status, struct {
		Err           string `json:"err"`
		ErrorCode     string `json:"error_code"`
		ReferenceCode string `json:"reference_code"`
	}{e.msg, e.code, ref})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // URLs keep their '&'
	_ = enc.Encode(v)        // only plain data
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// auth wraps an API handler with the HTTP Basic check (spec §1), in constant time.
func (s *Simulator) auth(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.authorized(r) {
			s.writeError(w, r, http.StatusUnauthorized, errUnauthorized)
			return
		}
		next(w, r)
	}
}

func (s *Simulator) authorized(r *http.Request) bool {
	scheme, encoded, ok := strings.Cut(strings.TrimSpace(r.Header.Get("Authorization")), " ")
	if !ok || !strings.EqualFold(scheme, "Basic") {
		return false
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(encoded))
	if err != nil {
		return false
	}
	id, secret, ok := strings.Cut(string(raw), ":")
	idOK := subtle.ConstantTimeCompare([]byte(id), []byte(s.clientID))
	secretOK := subtle.ConstantTimeCompare([]byte(secret), []byte(s.secret))
	return ok && idOK&secretOK == 1
}

// fields is a JSON object body, each member kept raw so types can be checked
// and reported per field.
type fields map[string]json.RawMessage

func decodeObject(w http.ResponseWriter, r *http.Request) (fields, error) {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	var f fields
	if err := dec.Decode(&f); err != nil {
		return nil, err
	}
	if f == nil {
		return nil, errors.New("null body")
	}
	if dec.Decode(&struct{}{}) != io.EOF {
		return nil, errors.New("trailing data after the JSON object")
	}
	return f, nil
}

// present reports whether name is set to something other than null.
func (f fields) present(name string) bool {
	raw, ok := f[name]
	return ok && !bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}

// str reads a string member; absent or null is "". It records a problem when
// the member is not a string, is required and blank, or is longer than max runes.
func (f fields) str(name string, required bool, max int, problems *[]string) string {
	var v string
	if f.present(name) {
		if err := json.Unmarshal(f[name], &v); err != nil {
			*problems = append(*problems, name+": must be a string")
			return ""
		}
	}
	v = strings.TrimSpace(v)
	switch {
	case required && v == "":
		*problems = append(*problems, name+": is required")
	case max > 0 && len([]rune(v)) > max:
		*problems = append(*problems, name+": must be at most "+itoa(max)+" characters")
	}
	return v
}

// number reads a numeric member as a json.Number.
func (f fields) number(name string, problems *[]string) (json.Number, bool) {
	if !f.present(name) {
		return "", false
	}
	dec := json.NewDecoder(bytes.NewReader(f[name]))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		*problems = append(*problems, name+": must be a number")
		return "", false
	}
	n, ok := v.(json.Number)
	if !ok {
		*problems = append(*problems, name+": must be a JSON number")
		return "", false
	}
	return n, true
}

func itoa(n int) string { return strconv.Itoa(n) }

func absoluteHTTP(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// createInput is a validated create request.
type createInput struct {
	amount                                  int64
	currency                                string
	decimals                                int
	orderID, description, transactionType   string
	redirectURL, webhookURL, country, email string
	customData                              json.RawMessage
	ttl                                     time.Duration
}

// validateCreate checks a create body (spec §3) and lists every problem.
func (s *Simulator) validateCreate(f fields) (createInput, []string) {
	var in createInput
	var problems []string

	in.currency = strings.ToUpper(f.str("currency", true, 0, &problems))
	decimals, knownCurrency := currencies[in.currency]
	if in.currency != "" && !knownCurrency {
		problems = append(problems, "currency: must be IQD or USD")
	}
	in.decimals = decimals
	if n, ok := f.number("amount", &problems); ok {
		if knownCurrency {
			var msg string
			if in.amount, msg = parseAmount(n, decimals); msg != "" {
				problems = append(problems, "amount: "+msg)
			}
		}
	} else if !f.present("amount") {
		problems = append(problems, "amount: is required")
	}
	in.orderID = f.str("order_id", true, 32, &problems)
	in.description = f.str("description", true, 255, &problems)
	in.redirectURL = f.str("redirect_url", true, 2048, &problems)
	if in.redirectURL != "" && !absoluteHTTP(in.redirectURL) {
		problems = append(problems, "redirect_url: must be an absolute http(s) URL")
	}
	in.transactionType = f.str("transaction_type", true, 0, &problems)
	if in.transactionType != "" && !slices.Contains(transactionTypes, in.transactionType) {
		problems = append(problems, "transaction_type: must be one of Retail, Authorization, Reversal, CompleteSales")
	}
	in.webhookURL = f.str("webhook_url", false, 2048, &problems)
	if in.webhookURL != "" && !absoluteHTTP(in.webhookURL) {
		problems = append(problems, "webhook_url: must be an absolute http(s) URL")
	}
	in.country = strings.ToUpper(f.str("country", false, 0, &problems))
	if in.country != "" && (len(in.country) != 2 || strings.Trim(in.country, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != "") {
		problems = append(problems, "country: must be a two-letter ISO 3166 code")
	}
	in.email = f.str("email", false, 80, &problems)
	if in.email != "" && !strings.Contains(in.email, "@") {
		problems = append(problems, "email: must be an email address")
	}
	if f.present("nonce") {
		if v := f.str("nonce", false, 64, &problems); v == "" {
			problems = append(problems, "nonce: must be 1 to 64 characters")
		}
	}
	if f.present("p_sign") { // accepted, not verified: the formula is not public
		if v := f.str("p_sign", false, 256, &problems); v == "" {
			problems = append(problems, "p_sign: must be 1 to 256 characters")
		}
	}
	if f.present("custom_data") {
		raw := bytes.TrimSpace(f["custom_data"])
		if len(raw) == 0 || raw[0] != '{' {
			problems = append(problems, "custom_data: must be an object")
		} else {
			var compact bytes.Buffer
			_ = json.Compact(&compact, raw) // already valid JSON
			in.customData = compact.Bytes()
		}
	}
	in.ttl = s.tokenTTL
	if n, ok := f.number("token_expiry_in_hour", &problems); ok {
		h, err := n.Int64()
		if err != nil || h < 1 || h > 720 {
			problems = append(problems, "token_expiry_in_hour: must be a whole number of hours from 1 to 720")
		} else {
			in.ttl = time.Duration(h) * time.Hour
		}
	}
	return in, problems
}

// createPayment serves POST /v1/egw/payments/create (spec §3, §9): a context
// in status prepared, or duplicated when its order_id was used before.
func (s *Simulator) createPayment(w http.ResponseWriter, r *http.Request) {
	f, err := decodeObject(w, r)
	if err != nil {
		s.writeError(w, r, http.StatusBadRequest, errInvalidBody)
		return
	}
	in, problems := s.validateCreate(f)
	if len(problems) > 0 {
		s.writeError(w, r, http.StatusBadRequest, errValidation(problems))
		return
	}
	now := s.now()
	p := &payment{
		id:              newPaymentID(),
		token:           newToken(),
		orderID:         in.orderID,
		amount:          in.amount,
		currency:        in.currency,
		decimals:        in.decimals,
		description:     in.description,
		transactionType: in.transactionType,
		country:         in.country,
		email:           in.email,
		customData:      in.customData,
		redirectURL:     in.redirectURL,
		webhookURL:      in.webhookURL,
		ttl:             in.ttl,
		createdAt:       now,
		expiresAt:       now.Add(in.ttl),
	}
	p.ids = []string{p.id}

	s.mu.Lock()
	if s.orders[p.orderID] {
		p.setStatus(statusDuplicated, now, "order_id already used")
	} else {
		s.orders[p.orderID] = true
		p.setStatus(statusPrepared, now, "payment context created")
	}
	s.payments = append(s.payments, p)
	s.byID[p.id] = p
	s.byToken[p.token] = p
	id, token, status := p.id, p.token, p.status
	s.mu.Unlock()

	s.log.InfoContext(r.Context(), "alqaseh sandbox: payment created", "payment_id", id, "order_id", in.orderID,
		"amount", simkit.Decimal(in.amount, in.decimals), "currency", in.currency, "payment_status", status)
	writeJSON(w, http.StatusOK, struct {
		PaymentID string `json:"payment_id"`
		Token     string `json:"token"`
	}{id, token})
}

// retrievePayment serves GET /v1/egw/payments/{payment_id} (spec §4): the
// server-to-server verification call. Former payment_ids of a retried
// context still find it.
func (s *Simulator) retrievePayment(w http.ResponseWriter, r *http.Request) {
	s.retrieve(w, r, s.byID, r.PathValue("payment_id"))
}

// retrieveByToken serves GET /v1/egw/payments/info/{token}: current tokens only.
func (s *Simulator) retrieveByToken(w http.ResponseWriter, r *http.Request) {
	s.retrieve(w, r, s.byToken, r.PathValue("token"))
}

// retrieve answers the payment of index[key] (expired first if due), or 404.
func (s *Simulator) retrieve(w http.ResponseWriter, r *http.Request, index map[string]*payment, key string) {
	s.mu.Lock()
	p := index[key]
	var v paymentJSON
	if p != nil {
		p.expireIfDue(s.now())
		v = p.view()
	}
	s.mu.Unlock()
	if p == nil {
		s.writeError(w, r, http.StatusNotFound, errPaymentNotFound)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// retryable are the statuses retry accepts (seed "Retry Payment").
var retryable = []string{statusExpired, statusDeclined, statusFailed, statusUnknown}

// retryPayment serves POST /v1/egw/payments/retry {"payment_id","details"}:
// status → retried with a new payment_id and token (seed).
func (s *Simulator) retryPayment(w http.ResponseWriter, r *http.Request) {
	s.changeStatus(w, r, "retried", func(p *payment, now time.Time, details string) {
		p.id = newPaymentID()
		p.ids = append(p.ids, p.id)
		s.byID[p.id] = p
		s.replaceToken(p)
		p.rc, p.approval, p.rrn = "", "", ""
		p.expiresAt = now.Add(p.ttl)
		p.setStatus(statusRetried, now, details)
	}, retryable)
}

// revokePayment serves POST /v1/egw/payments/revoke {"payment_id","details"}:
// status → revoked with a new token (seed).
func (s *Simulator) revokePayment(w http.ResponseWriter, r *http.Request) {
	s.changeStatus(w, r, "revoked", func(p *payment, now time.Time, details string) {
		s.replaceToken(p)
		p.setStatus(statusRevoked, now, details)
	}, []string{statusPrepared, statusRetried})
}

// replaceToken gives p a new token; the old one goes stale. The caller holds s.mu.
func (s *Simulator) replaceToken(p *payment) {
	delete(s.byToken, p.token)
	s.stale[p.token] = p
	p.token = newToken()
	s.byToken[p.token] = p
}

// changeStatus is retry and revoke: read {"payment_id","details"}, check the
// state guard, apply, and answer the context with its (new) token.
func (s *Simulator) changeStatus(w http.ResponseWriter, r *http.Request, action string,
	apply func(p *payment, now time.Time, details string), from []string) {
	f, err := decodeObject(w, r)
	if err != nil {
		s.writeError(w, r, http.StatusBadRequest, errInvalidBody)
		return
	}
	var problems []string
	id := f.str("payment_id", true, 250, &problems)
	details := f.str("details", false, 1000, &problems)
	if len(problems) > 0 {
		s.writeError(w, r, http.StatusBadRequest, errValidation(problems))
		return
	}
	now := s.now()
	s.mu.Lock()
	p := s.byID[id]
	if p == nil {
		s.mu.Unlock()
		s.writeError(w, r, http.StatusNotFound, errPaymentNotFound)
		return
	}
	p.expireIfDue(now)
	if p.id != id || !slices.Contains(from, p.status) {
		status := p.status
		if p.id != id {
			status += " (payment_id superseded by " + p.id + ")"
		}
		s.mu.Unlock()
		s.writeError(w, r, http.StatusConflict, errInvalidStatus(status, action))
		return
	}
	if details == "" {
		details = "payment " + action
	}
	apply(p, now, details)
	v := p.view()
	v.Token = p.token
	s.mu.Unlock()
	s.log.InfoContext(r.Context(), "alqaseh sandbox: payment "+action, "payment_id", v.PaymentID, "previous_payment_id", id, "order_id", v.OrderID)
	writeJSON(w, http.StatusOK, v)
}

// processPayment serves POST /v1/egw/payments/process/{token} (spec §2,
// PCI-DSS merchants): {"CardNumber","Cvv","EXPMon","EXPYear"}; the card
// decides the outcome as on the hosted page; the webhook follows.
func (s *Simulator) processPayment(w http.ResponseWriter, r *http.Request) {
	f, err := decodeObject(w, r)
	if err != nil {
		s.writeError(w, r, http.StatusBadRequest, errInvalidBody)
		return
	}
	var problems []string
	pan := f.str("CardNumber", true, 0, &problems)
	cvv := f.str("Cvv", true, 0, &problems)
	mon := f.str("EXPMon", true, 0, &problems)
	yr := f.str("EXPYear", true, 0, &problems)
	if pan != "" && (!simkit.Digits(pan) || len(pan) < 13 || len(pan) > 19) {
		problems = append(problems, "CardNumber: must be 13 to 19 digits")
	}
	if cvv != "" && (!simkit.Digits(cvv) || len(cvv) < 3 || len(cvv) > 4) {
		problems = append(problems, "Cvv: must be 3 or 4 digits")
	}
	month, year, ok := parseExpiry(mon + "/" + yr)
	if mon != "" && yr != "" && (!ok || len(mon) != 2) {
		problems = append(problems, "EXPMon, EXPYear: must be MM and YY")
	}
	if len(problems) > 0 {
		s.writeError(w, r, http.StatusBadRequest, errValidation(problems))
		return
	}
	now := s.now()
	s.mu.Lock()
	p := s.byToken[r.PathValue("token")]
	if p == nil {
		s.mu.Unlock()
		s.writeError(w, r, http.StatusNotFound, errPaymentNotFound)
		return
	}
	p.expireIfDue(now)
	if !p.payable() {
		status := p.status
		s.mu.Unlock()
		s.writeError(w, r, http.StatusConflict, errInvalidStatus(status, "processed"))
		return
	}
	p.finish(decide(pan, cvv, month, year), now, "card payment processed (API)")
	v := p.view()
	n := s.notification(p, now)
	s.mu.Unlock()
	s.send(n)
	s.log.InfoContext(r.Context(), "alqaseh sandbox: payment processed", "payment_id", v.PaymentID, "order_id", v.OrderID, "payment_status", v.PaymentStatus)
	writeJSON(w, http.StatusOK, v)
}
