package click

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/bawaba/checkout/sandbox/internal/simkit"
)

// Error codes of the "gatewayResponse" kind (spec §5, seed §6):
// {"apiVersion":"1","gatewayResponse":{"error":"…","status":"false"}}.
const (
	errInvalidRequest = "INVALID_REQUEST"
	errInvalidAuth    = "INVALID_AUTH"
	errInvalidHeader  = "INVALID_HEADER"
)

// messageError is the other error kind: {"message":"…","status":0}. The
// odd spaces are the seed's, kept on purpose.
type messageError struct {
	Message string `json:"message"`
	Status  int    `json:"status"`
}

var (
	errNotSupported   = messageError{"Developer Not Supported", -1}
	errNotAccepted    = messageError{" Developer Not Accepted ", 0}
	errSuspended      = messageError{" Developer Suspended", 0}
	errOrderDuplicate = messageError{" ORDER Duplicate ", 0}
	errSessionExpire  = messageError{" Session Expire", 0}
	errInvalidSession = messageError{" INVALID SESSION", 0}
)

type gatewayError struct {
	APIVersion      string `json:"apiVersion"`
	GatewayResponse struct {
		Error  string `json:"error"`
		Status string `json:"status"`
	} `json:"gatewayResponse"`
}

// writeGatewayError answers an error of the gatewayResponse kind. CLK's
// HTTP status codes are unknown (spec §9.3): application errors are 200.
func writeGatewayError(w http.ResponseWriter, status int, code string) {
	var e gatewayError
	e.APIVersion = "1"
	e.GatewayResponse.Error = code
	e.GatewayResponse.Status = "false"
	writeJSON(w, status, e)
}

func writeMessageError(w http.ResponseWriter, e messageError) {
	writeJSON(w, http.StatusOK, e)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

const maxBody = 64 << 10

// api wraps a gatedeveloper call with the checks every call makes, in this
// order: POST; both required headers (INVALID_HEADER); the token
// (INVALID_AUTH); the {developeruser} of the URL, which must be the token's
// developer (Developer Not Supported); the developer's status.
func (s *Simulator) api(h func(http.ResponseWriter, *http.Request, []byte)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			writeGatewayError(w, http.StatusMethodNotAllowed, errInvalidRequest)
			return
		}
		token, ok := bearer(r.Header.Get("Authorization"))
		if !ok || !isJSONType(r.Header.Get("Content-Type")) {
			writeGatewayError(w, http.StatusOK, errInvalidHeader)
			return
		}
		if subtle.ConstantTimeCompare([]byte(token), []byte(s.token)) != 1 {
			s.log.InfoContext(r.Context(), "click sandbox: invalid token", "path", r.URL.Path)
			writeGatewayError(w, http.StatusOK, errInvalidAuth)
			return
		}
		if r.PathValue("dev") != s.devUser {
			writeMessageError(w, errNotSupported)
			return
		}
		switch s.devStatus {
		case DeveloperNotAccepted:
			writeMessageError(w, errNotAccepted)
			return
		case DeveloperSuspended:
			writeMessageError(w, errSuspended)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			writeGatewayError(w, http.StatusOK, errInvalidRequest)
			return
		}
		h(w, r, body)
	}
}

// bearer returns the token of "Authorization: Bearer <token>".
func bearer(h string) (string, bool) {
	scheme, token, ok := strings.Cut(strings.TrimSpace(h), " ")
	token = strings.TrimSpace(token)
	return token, ok && strings.EqualFold(scheme, "Bearer") && token != ""
}

func isJSONType(ct string) bool {
	mt, _, err := mime.ParseMediaType(ct)
	return err == nil && mt == "application/json"
}

type sessionExpire struct {
	Date         string `json:"date"`
	TimezoneType int    `json:"timezone_type"`
	Timezone     string `json:"timezone"`
}

type createResponse struct {
	APIVersion      int `json:"apiVersion"`
	GatewayResponse struct {
		Result          string        `json:"result"`
		SessionID       string        `json:"session_id"`
		SessionExpire   sessionExpire `json:"session_expire"`
		IndicatorStatus string        `json:"indicator_status"`
		Status          string        `json:"status"`
	} `json:"gatewayResponse"`
}

// createSession serves POST …/gatedeveloper/{developeruser} (spec §3.1).
// It has no body; one sent anyway is ignored.
func (s *Simulator) createSession(w http.ResponseWriter, _ *http.Request, _ []byte) {
	se := newSession(s.now(), s.ttl)
	s.mu.Lock()
	s.sessions[se.id] = se
	s.mu.Unlock()
	s.log.Info("click sandbox: session created", "session", se.id)

	var resp createResponse
	resp.APIVersion = 1
	g := &resp.GatewayResponse
	g.Result = "SUCCESS"
	g.SessionID = se.id
	g.SessionExpire = sessionExpire{kuwaitDate(se.expires), 3, "Asia/Kuwait"}
	g.IndicatorStatus = se.indicator
	g.Status = "No_status"
	writeJSON(w, http.StatusOK, resp)
}

// updateBody is the Update Session body (spec §3.2). encoding/json matches
// keys case-insensitively, so the seed's "Order_amout" and "Customer_name"
// spellings are read too; the key is order_amout (sic), and "order_amount"
// is not it. "return_url " with the sample's trailing space is not
// return_url either.
type updateBody struct {
	SessionID       json.RawMessage `json:"session_id"`
	OrderID         json.RawMessage `json:"order_id"`
	OrderAmout      json.RawMessage `json:"order_amout"`
	ReturnURL       json.RawMessage `json:"return_url"`
	Lang            json.RawMessage `json:"lang"`
	CustomerID      json.RawMessage `json:"customer_id"`
	CustomerName    json.RawMessage `json:"customer_name"`
	CustomerPhone   json.RawMessage `json:"customer_phone"`
	CustomerEmail   json.RawMessage `json:"customer_email"`
	CustomerAddress json.RawMessage `json:"customer_address"`
	CustomerComment json.RawMessage `json:"customer_comment"`
	CustomerCivilID json.RawMessage `json:"customer_civilid"`
}

type updateResponse struct {
	APIVersion      int `json:"apiVersion"`
	GatewayResponse struct {
		Result     string `json:"result"`
		SessionID  string `json:"session_id"`
		OrderID    int64  `json:"order_id"`
		PaymentURL string `json:"payment_url"`
		Status     string `json:"status"`
	} `json:"gatewayResponse"`
}

// updateSession serves POST …/gatedeveloper/sessionupdate/{developeruser}[/{lang}]
// (spec §3.2).
func (s *Simulator) updateSession(w http.ResponseWriter, r *http.Request, body []byte) {
	var b updateBody
	if err := json.Unmarshal(body, &b); err != nil {
		writeGatewayError(w, http.StatusOK, errInvalidRequest)
		return
	}
	lang := "en"
	if l := r.PathValue("lang"); l != "" {
		if strings.EqualFold(l, "ar") {
			lang = "ar"
		}
	} else if l, isStr, ok := scalar(b.Lang); ok && isStr && strings.EqualFold(strings.TrimSpace(l), "ar") {
		lang = "ar"
	}
	sid, _, _ := scalar(b.SessionID)
	sid = strings.TrimSpace(sid)

	s.mu.Lock()
	defer s.mu.Unlock()
	se := s.sessions[sid]
	if se == nil {
		writeMessageError(w, errInvalidSession)
		return
	}
	se.expireIfDue(s.now())
	if se.state == stateExpired {
		writeMessageError(w, errSessionExpire)
		return
	}
	if !se.updatable() {
		writeMessageError(w, errInvalidSession)
		return
	}
	orderID, ok := parseOrderID(b.OrderID)
	if !ok {
		writeGatewayError(w, http.StatusOK, errInvalidRequest)
		return
	}
	amount, ok := parseJSONAmount(b.OrderAmout)
	if !ok || amount <= 0 {
		writeGatewayError(w, http.StatusOK, errInvalidRequest)
		return
	}
	ret, isStr, ok := scalar(b.ReturnURL)
	if !ok || !isStr || !validReturnURL(ret) {
		writeGatewayError(w, http.StatusOK, errInvalidRequest)
		return
	}
	customer := map[string]string{}
	for name, raw := range map[string]json.RawMessage{
		"customer_id": b.CustomerID, "customer_name": b.CustomerName, "customer_phone": b.CustomerPhone,
		"customer_email": b.CustomerEmail, "customer_address": b.CustomerAddress,
		"customer_comment": b.CustomerComment, "customer_civilid": b.CustomerCivilID,
	} {
		if len(raw) == 0 || string(raw) == "null" {
			continue
		}
		v, _, ok := scalar(raw)
		if !ok || len(v) > 255 {
			writeGatewayError(w, http.StatusOK, errInvalidRequest)
			return
		}
		customer[name] = strings.TrimSpace(v)
	}
	if _, used := s.orders[orderID]; used {
		writeMessageError(w, errOrderDuplicate)
		return
	}

	s.orders[orderID] = se.id
	se.hasOrder = true
	se.orderID = orderID
	se.amount = amount
	se.returnURL = ret
	se.customer = customer
	se.lang = lang
	s.log.InfoContext(r.Context(), "click sandbox: session updated", "session", se.id, "order_id", orderID,
		"amount", formatAmount(amount), "lang", lang)

	var resp updateResponse
	resp.APIVersion = 1
	g := &resp.GatewayResponse
	g.Result = "SUCCESS"
	g.SessionID = se.id
	g.OrderID = orderID
	g.PaymentURL = s.publicURL + "/gateway/" + se.id
	g.Status = "No_status"
	writeJSON(w, http.StatusOK, resp)
}

type statusBody struct {
	SessionID json.RawMessage `json:"session_id"`
	OrderID   json.RawMessage `json:"order_id"`
}

type statusResponse struct {
	OrderID  int64  `json:"Order_id"`
	Status   string `json:"Status"`
	Response string `json:"Response"`
}

// paymentStatus serves POST …/gatedeveloper/paymentstatus/{developeruser}
// (spec §3.4). Status and Response mirror the return's message and
// message_type: success/success, error/wrong; No_status/No_status while the
// shopper has not finished.
func (s *Simulator) paymentStatus(w http.ResponseWriter, _ *http.Request, body []byte) {
	var b statusBody
	if err := json.Unmarshal(body, &b); err != nil {
		writeGatewayError(w, http.StatusOK, errInvalidRequest)
		return
	}
	orderID, ok := parseOrderID(b.OrderID)
	if !ok {
		writeGatewayError(w, http.StatusOK, errInvalidRequest)
		return
	}
	sid, _, _ := scalar(b.SessionID)
	sid = strings.TrimSpace(sid)

	s.mu.Lock()
	defer s.mu.Unlock()
	se := s.sessions[sid]
	if se == nil || !se.hasOrder || se.orderID != orderID {
		writeMessageError(w, errInvalidSession)
		return
	}
	se.expireIfDue(s.now())
	resp := statusResponse{OrderID: orderID}
	switch se.state {
	case statePaid:
		resp.Status, resp.Response = "success", "success"
	case stateFailed:
		resp.Status, resp.Response = "error", "wrong"
	case stateExpired:
		writeMessageError(w, errSessionExpire)
		return
	default:
		resp.Status, resp.Response = "No_status", "No_status"
	}
	writeJSON(w, http.StatusOK, resp)
}

// scalar returns a JSON string's value (isString) or a number's literal;
// ok is false for an absent value, null, bool, array or object.
func scalar(raw json.RawMessage) (v string, isString, ok bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "", false, false
	}
	switch c := raw[0]; {
	case c == '"':
		if err := json.Unmarshal(raw, &v); err != nil {
			return "", false, false
		}
		return v, true, true
	case c == '-' || (c >= '0' && c <= '9'):
		var n json.Number
		if err := json.Unmarshal(raw, &n); err != nil {
			return "", false, false
		}
		return n.String(), false, true
	}
	return "", false, false
}

// parseOrderID reads order_id, an int(11): a positive integer up to
// 2147483647, as a JSON number or (leniently) a string of digits.
func parseOrderID(raw json.RawMessage) (int64, bool) {
	v, _, ok := scalar(raw)
	v = strings.TrimSpace(v)
	if !ok || !simkit.Digits(v) || len(v) > 10 {
		return 0, false
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 1 || n > 2147483647 {
		return 0, false
	}
	return n, true
}

// parseJSONAmount reads order_amout as a JSON number or a string, never
// through a float.
func parseJSONAmount(raw json.RawMessage) (int64, bool) {
	v, _, ok := scalar(raw)
	if !ok {
		return 0, false
	}
	return parseAmount(strings.TrimSpace(v))
}

// validReturnURL accepts an absolute http(s) URL of at most 255 characters
// (varchar(255)); the seed's "Www.order.com/return" has no scheme and is
// refused, since a browser could not be sent there.
func validReturnURL(s string) bool {
	if len(s) > 255 || strings.ContainsAny(s, " \t\r\n") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil
}
