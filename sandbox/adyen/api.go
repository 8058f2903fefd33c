package adyen

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
)

// apiError is Adyen's error body (spec §1; docs "Error codes and messages"):
// {"status":422,"errorCode":"…","message":"…","errorType":"validation"}.
type apiError struct {
	Status    int    `json:"status"`
	ErrorCode string `json:"errorCode"`
	Message   string `json:"message"`
	ErrorType string `json:"errorType"`
}

// Errors. Codes 000 (Unauthorized, Unable to parse message), 100, 14_002 and
// 905_1 are Adyen's, seen in Adyen's docs and public issues; 130, 137, 138,
// 167, 702, 704, 901 and 14_018 follow Adyen's published code list as far as
// it could be checked (package doc: decisions).
var (
	errUnauthorized = &apiError{401, "000", "HTTP Status Response - Unauthorized", "security"}
	errMerchant     = &apiError{403, "901", "Invalid Merchant Account", "security"}
	errParse        = &apiError{400, "000", "Unable to parse message.", "validation"}
	errNoAmount     = &apiError{422, "100", "Required object 'amount' is not provided.", "validation"}
	errNoReference  = &apiError{422, "130", "Required field 'reference' is not provided.", "validation"}
	errAmount       = &apiError{422, "137", "Invalid amount specified", "validation"}
	errCurrency     = &apiError{422, "138", "Unsupported currency specified", "validation"}
	errOriginal     = &apiError{422, "167", "Original pspReference required for this operation", "validation"}
	errIdempotency  = &apiError{422, "704", "request already processed or in progress", "validation"}
	errPayload      = &apiError{422, "14_018", "Invalid payload provided", "validation"}
	errNotFound     = &apiError{404, "000", "Not Found", "validation"}
)

func errRequired(field string) *apiError {
	return &apiError{422, "14_002", "Required field '" + field + "' is not provided.", "validation"}
}

func errInvalidField(field, why string) *apiError {
	return &apiError{422, "702", "Invalid field '" + field + "': " + why, "validation"}
}

func errNoAcquirer(txVariant, currency string) *apiError {
	return &apiError{422, "905_1", "Could not find an acquirer account for the provided txvariant (" +
		txVariant + "), currency (" + currency + "), and action (AUTH).", "configuration"}
}

func writeError(w http.ResponseWriter, e *apiError) {
	body, _ := json.Marshal(e)
	writeJSON(w, e.Status, body)
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// marshal encodes v as JSON without HTML escaping (URLs keep their '&').
func marshal(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic("adyen sandbox: marshal: " + err.Error())
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// apiResult is what an API operation produces; events are sent after the
// response is written.
type apiResult struct {
	status int
	body   []byte
	err    *apiError
	events []*event
}

func ok(status int, v any, evs ...*event) apiResult {
	return apiResult{status: status, body: marshal(v), events: evs}
}

func fail(e *apiError) apiResult { return apiResult{err: e} }

// idemEntry is a stored response for an Idempotency-Key.
type idemEntry struct {
	hash   [32]byte
	status int
	body   []byte
}

const maxBody = 1 << 20

// apiHandler authenticates with X-API-Key, reads the body, honours the
// Idempotency-Key header and runs op with s.mu held.
func (s *Simulator) apiHandler(op func(r *http.Request, body []byte) apiResult) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.authorised(r) {
			writeError(w, errUnauthorized)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			writeError(w, errParse)
			return
		}
		key := r.Header.Get("Idempotency-Key")
		slot := r.URL.Path + "\x00" + key
		hash := sha256.Sum256(body)

		s.mu.Lock()
		if prev, seen := s.idem[slot]; key != "" && seen {
			s.mu.Unlock()
			if prev.hash != hash {
				writeError(w, errIdempotency)
				return
			}
			w.Header().Set("Idempotency-Key", key)
			writeJSON(w, prev.status, prev.body)
			return
		}
		res := op(r, body)
		if key != "" && res.err == nil {
			s.idem[slot] = &idemEntry{hash, res.status, res.body}
		}
		s.mu.Unlock()

		if res.err != nil {
			writeError(w, res.err)
			return
		}
		if key != "" {
			w.Header().Set("Idempotency-Key", key)
		}
		writeJSON(w, res.status, res.body)
		s.sendAll(res.events)
	}
}

// authorised compares X-API-Key with the configured key in constant time.
func (s *Simulator) authorised(r *http.Request) bool {
	got := r.Header.Get("X-API-Key")
	return s.apiKey != "" && subtle.ConstantTimeCompare([]byte(got), []byte(s.apiKey)) == 1
}

// decodeBody parses a JSON object into v.
func decodeBody(body []byte, v any) *apiError {
	if len(bytes.TrimSpace(body)) == 0 || json.Unmarshal(body, v) != nil {
		return errParse
	}
	return nil
}

// checkMerchant validates merchantAccount (required, and the configured one).
func (s *Simulator) checkMerchant(m string) *apiError {
	if m == "" {
		return errRequired("merchantAccount")
	}
	if subtle.ConstantTimeCompare([]byte(m), []byte(s.merchant)) != 1 {
		return errMerchant
	}
	return nil
}

// decode parses body into req and checks its merchant account, the field at merchant.
func (s *Simulator) decode(body []byte, req any, merchant *string) *apiError {
	if e := decodeBody(body, req); e != nil {
		return e
	}
	return s.checkMerchant(*merchant)
}

// decodeMoney is decode for a request that moves money: it also returns the amount at
// amount in minor units, which must be positive.
func (s *Simulator) decodeMoney(body []byte, req any, merchant *string, amount **amountReq) (int64, *apiError) {
	if e := s.decode(body, req, merchant); e != nil {
		return 0, e
	}
	return (*amount).parse(false)
}

// amountReq is an amount as received; value stays raw so a decimal, an
// exponent or a quoted number can be told apart from an integer.
type amountReq struct {
	Currency string          `json:"currency"`
	Value    json.RawMessage `json:"value"`
}

var (
	currencyRe = regexp.MustCompile(`^[A-Z]{3}$`)
	digitsRe   = regexp.MustCompile(`^[0-9]{1,18}$`)
)

// parse returns the amount in minor units; value must be a JSON integer,
// positive unless zeroOK.
func (a *amountReq) parse(zeroOK bool) (int64, *apiError) {
	if a == nil {
		return 0, errNoAmount
	}
	if !currencyRe.MatchString(a.Currency) {
		return 0, errCurrency
	}
	raw := string(bytes.TrimSpace(a.Value))
	if !digitsRe.MatchString(raw) {
		return 0, errAmount
	}
	v, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || v < 0 || (v == 0 && !zeroOK) {
		return 0, errAmount
	}
	return v, nil
}

// paymentMethods serves POST /v71/paymentMethods (spec §3, §9): knet for
// countryCode KW when the amount, if given, is in KWD.
func (s *Simulator) paymentMethods(_ *http.Request, body []byte) apiResult {
	var req struct {
		MerchantAccount string     `json:"merchantAccount"`
		CountryCode     string     `json:"countryCode"`
		Amount          *amountReq `json:"amount"`
		Channel         string     `json:"channel"`
		ShopperLocale   string     `json:"shopperLocale"`
	}
	if e := s.decode(body, &req, &req.MerchantAccount); e != nil {
		return fail(e)
	}
	offer := strings.EqualFold(req.CountryCode, "KW")
	if req.Amount != nil {
		if _, e := req.Amount.parse(true); e != nil {
			return fail(e)
		}
		offer = offer && req.Amount.Currency == "KWD"
	}
	type method struct {
		Name string `json:"name"`
		Type string `json:"type"`
	}
	methods := []method{}
	if offer {
		methods = append(methods, method{"KNET", "knet"})
	}
	return ok(http.StatusOK, struct {
		PaymentMethods []method `json:"paymentMethods"`
	}{methods})
}

// createPayment serves POST /v71/payments (spec §4, §9) for knet.
func (s *Simulator) createPayment(_ *http.Request, body []byte) apiResult {
	var req struct {
		MerchantAccount string     `json:"merchantAccount"`
		Amount          *amountReq `json:"amount"`
		Reference       string     `json:"reference"`
		PaymentMethod   *struct {
			Type string `json:"type"`
		} `json:"paymentMethod"`
		ReturnURL                string `json:"returnUrl"`
		CountryCode              string `json:"countryCode"`
		ShopperLocale            string `json:"shopperLocale"`
		RedirectToIssuerMethod   string `json:"redirectToIssuerMethod"`
		RedirectFromIssuerMethod string `json:"redirectFromIssuerMethod"`
	}
	value, e := s.decodeMoney(body, &req, &req.MerchantAccount, &req.Amount)
	if e != nil {
		return fail(e)
	}
	switch {
	case req.Reference == "":
		return fail(errNoReference)
	case len(req.Reference) > 80:
		return fail(errInvalidField("reference", "maximum length is 80 characters"))
	case req.PaymentMethod == nil || req.PaymentMethod.Type == "":
		return fail(errRequired("paymentMethod.type"))
	case req.ReturnURL == "":
		return fail(errRequired("returnUrl"))
	case !absoluteHTTP(req.ReturnURL):
		return fail(errInvalidField("returnUrl", "an absolute http or https URL of at most 8000 characters is expected"))
	case req.PaymentMethod.Type != "knet" || req.Amount.Currency != "KWD":
		return fail(errNoAcquirer(req.PaymentMethod.Type, req.Amount.Currency))
	}
	toPost, e := issuerMethod("redirectToIssuerMethod", req.RedirectToIssuerMethod)
	if e != nil {
		return fail(e)
	}
	fromPost, e := issuerMethod("redirectFromIssuerMethod", req.RedirectFromIssuerMethod)
	if e != nil {
		return fail(e)
	}

	now := s.now()
	p := &payment{
		psp:       s.newPSPLocked(),
		reference: req.Reference,
		value:     value,
		currency:  req.Amount.Currency,
		returnURL: req.ReturnURL,
		lang:      localeLang(req.ShopperLocale),
		postBack:  fromPost,
		token:     pageToken(),
		created:   now,
		expires:   now.Add(offerLifetime),
		state:     stateOpen,
	}
	s.payments[p.psp] = p
	s.pages[p.token] = p
	s.log.Info("adyen sandbox: payment created", "pspReference", p.psp, "merchantReference", p.reference)

	type redirectAction struct {
		PaymentMethodType string            `json:"paymentMethodType"`
		Method            string            `json:"method"`
		URL               string            `json:"url"`
		Data              map[string]string `json:"data,omitempty"`
		Type              string            `json:"type"`
	}
	page := s.publicURL + "/hpp/knet"
	action := redirectAction{PaymentMethodType: "knet", Method: http.MethodGet,
		URL: page + "?redirectData=" + url.QueryEscape(p.token), Type: "redirect"}
	if toPost {
		action.Method, action.URL = http.MethodPost, page
		action.Data = map[string]string{"redirectData": p.token}
	}
	return ok(http.StatusOK, struct {
		Action            redirectAction `json:"action"`
		MerchantReference string         `json:"merchantReference"`
		PspReference      string         `json:"pspReference"`
		ResultCode        string         `json:"resultCode"`
	}{action, p.reference, p.psp, "RedirectShopper"})
}

// issuerMethod reads redirectToIssuerMethod / redirectFromIssuerMethod: GET
// (default) or POST; it reports whether POST was asked.
func issuerMethod(field, v string) (bool, *apiError) {
	switch strings.ToUpper(v) {
	case "", http.MethodGet:
		return false, nil
	case http.MethodPost:
		return true, nil
	}
	return false, errInvalidField(field, "GET or POST is expected")
}

func absoluteHTTP(raw string) bool {
	if len(raw) > 8000 {
		return false
	}
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// localeLang maps shopperLocale to the page language: ar, ar-KW, ar_KW → ar.
func localeLang(locale string) string {
	l := strings.ToLower(locale)
	if l == "ar" || strings.HasPrefix(l, "ar-") || strings.HasPrefix(l, "ar_") {
		return "ar"
	}
	return "en"
}

// paymentDetails serves POST /v71/payments/details (spec §5): it redeems a
// redirectResult once.
func (s *Simulator) paymentDetails(_ *http.Request, body []byte) apiResult {
	var req struct {
		Details *struct {
			RedirectResult string `json:"redirectResult"`
		} `json:"details"`
	}
	if e := decodeBody(body, &req); e != nil {
		return fail(e)
	}
	if req.Details == nil {
		return fail(errRequired("details"))
	}
	if req.Details.RedirectResult == "" {
		return fail(errRequired("details.redirectResult"))
	}
	p := s.results[req.Details.RedirectResult]
	if p == nil || p.redeemed {
		return fail(errPayload)
	}
	p.redeemed = true
	r := p.result
	s.log.Info("adyen sandbox: redirectResult redeemed", "pspReference", p.psp, "resultCode", r.ResultCode)
	type pm struct {
		Type string `json:"type"`
	}
	return ok(http.StatusOK, struct {
		Amount            amountJSON `json:"amount"`
		MerchantReference string     `json:"merchantReference"`
		PaymentMethod     pm         `json:"paymentMethod"`
		PspReference      string     `json:"pspReference"`
		RefusalReason     string     `json:"refusalReason,omitempty"`
		RefusalReasonCode string     `json:"refusalReasonCode,omitempty"`
		ResultCode        string     `json:"resultCode"`
	}{amountJSON{p.currency, p.value}, p.reference, pm{"knet"}, p.psp,
		r.RefusalReason, r.RefusalReasonCode, r.ResultCode})
}

// modificationResponse is the 201 answer of /refunds and /cancels.
type modificationResponse struct {
	Amount              *amountJSON `json:"amount,omitempty"`
	MerchantAccount     string      `json:"merchantAccount"`
	PaymentPspReference string      `json:"paymentPspReference"`
	PspReference        string      `json:"pspReference"`
	Reference           string      `json:"reference,omitempty"`
	Status              string      `json:"status"`
}

// paymentLocked is the payment of the path's {pspReference}, or nil, with the OFFER_CLOSED
// event of an offer that expired meanwhile.
func (s *Simulator) paymentLocked(r *http.Request) (*payment, []*event) {
	p := s.payments[r.PathValue("pspReference")]
	if p == nil {
		return nil, nil
	}
	var evs []*event
	if ev := s.expireLocked(p, s.now()); ev != nil {
		evs = append(evs, ev)
	}
	return p, evs
}

// modifyLocked records a refund or cancel (kind) of p with its own pspReference.
func (s *Simulator) modifyLocked(p *payment, kind, reference string, value int64, currency string) *modification {
	m := &modification{psp: s.newPSPLocked(), paymentPsp: p.psp, reference: reference,
		kind: kind, value: value, currency: currency}
	s.mods[m.psp] = m
	return m
}

// A refund whose minor units end in 013 (1.013 KWD, 0.013 KWD …) is accepted and then fails:
// REFUND success "true", then REFUND_FAILED after PendingDelay (failRefundLater).
const (
	refundFailsLater   = 13
	refundFailedReason = "Refund failed at the acquirer"
)

// refundPayment serves POST /v71/payments/{pspReference}/refunds: "received", then
// a REFUND webhook saying whether it succeeded.
func (s *Simulator) refundPayment(r *http.Request, body []byte) apiResult {
	var req struct {
		MerchantAccount string     `json:"merchantAccount"`
		Amount          *amountReq `json:"amount"`
		Reference       string     `json:"reference"`
	}
	value, e := s.decodeMoney(body, &req, &req.MerchantAccount, &req.Amount)
	if e != nil {
		return fail(e)
	}
	p, evs := s.paymentLocked(r)
	if p == nil {
		return fail(errOriginal)
	}
	m := s.modifyLocked(p, eventRefund, req.Reference, value, req.Amount.Currency)

	success, reason := "true", ""
	switch {
	case p.state != stateAuthorised:
		success, reason = "false", "Payment is not authorised"
	case m.currency != p.currency:
		success, reason = "false", "Currency mismatch"
	case p.refunded+value > p.value:
		success, reason = "false", "Insufficient balance on payment"
	default:
		p.refunded += value
		if value%1000 == refundFailsLater {
			s.failRefundLater(m)
		}
	}
	merchantRef := req.Reference
	if merchantRef == "" {
		merchantRef = p.reference
	}
	evs = append(evs, s.newEventLocked(notificationItem{
		Amount:            &amountJSON{m.currency, value},
		EventCode:         eventRefund,
		MerchantReference: merchantRef,
		OriginalReference: p.psp,
		PspReference:      m.psp,
		Reason:            reason,
		Success:           success,
	}))
	s.log.InfoContext(r.Context(), "adyen sandbox: refund received", "pspReference", m.psp, "paymentPspReference", p.psp, "success", success)
	return ok(http.StatusCreated, modificationResponse{
		Amount: &amountJSON{m.currency, value}, MerchantAccount: s.merchant,
		PaymentPspReference: p.psp, PspReference: m.psp, Reference: req.Reference, Status: "received",
	}, evs...)
}

// cancelPayment serves POST /v71/payments/{pspReference}/cancels: "received", then
// a CANCELLATION webhook. An offer still on the page, or an authorised
// payment with no refund, is cancelled (success "true"); anything else is not.
func (s *Simulator) cancelPayment(r *http.Request, body []byte) apiResult {
	var req struct {
		MerchantAccount string `json:"merchantAccount"`
		Reference       string `json:"reference"`
	}
	if e := s.decode(body, &req, &req.MerchantAccount); e != nil {
		return fail(e)
	}
	p, evs := s.paymentLocked(r)
	if p == nil {
		return fail(errOriginal)
	}
	m := s.modifyLocked(p, eventCancellation, req.Reference, p.value, p.currency)

	success, reason := "true", ""
	switch {
	case p.state == stateOpen, p.state == stateAuthorised && p.refunded == 0:
		p.state = stateVoided
	default:
		success, reason = "false", "Transaction cannot be cancelled"
	}
	merchantRef := req.Reference
	if merchantRef == "" {
		merchantRef = p.reference
	}
	evs = append(evs, s.newEventLocked(notificationItem{
		Amount:            &amountJSON{p.currency, p.value},
		EventCode:         eventCancellation,
		MerchantReference: merchantRef,
		OriginalReference: p.psp,
		PspReference:      m.psp,
		Reason:            reason,
		Success:           success,
	}))
	s.log.InfoContext(r.Context(), "adyen sandbox: cancel received", "pspReference", m.psp, "paymentPspReference", p.psp, "success", success)
	return ok(http.StatusCreated, modificationResponse{
		MerchantAccount: s.merchant, PaymentPspReference: p.psp, PspReference: m.psp,
		Reference: req.Reference, Status: "received",
	}, evs...)
}
