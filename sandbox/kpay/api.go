package kpay

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
)

// apiError is the error object of spec §4.0 ({"object":"error","code","message"})
// with the HTTP status the simulator answers it with. The seed documents no
// HTTP statuses (§14.49): 401 for authentication, 404 for an unknown id, 400
// for everything else [GUESS].
type apiError struct {
	status        int
	code, message string
}

func (e apiError) Error() string { return e.code }

// The §9.3 codes and messages the simulator emits.
var (
	errAuth            = apiError{401, "authentication_failure", "Failure to properly authenticate yourself in the ALL request"}
	errMandatory       = apiError{400, "mandatory_is_empty", "Mandatory parameter is missing"}
	errBadJSON         = apiError{400, "bad_request", "Invalid JSON. (EMBR)"}
	errInvalidParam    = apiError{400, "invalid_parameter", "Invalid parameter value"}
	errAmountInvalid   = apiError{400, "amount_invalid", "Amount must be positive"}
	errAmountExceed    = apiError{400, "amount_exceed", "Amount exceeds the available limit which can be CHARGE"}
	errRefundExceed    = apiError{400, "amount_exceed", "Refund amount cannot exceed the available limit"}
	errFloatNotSupport = apiError{400, "float_not_support", "Decimal places are not supported with small CHARGE currencies"}
	errCurrency        = apiError{400, "currency_invalid", "Currency is currently not supported"}
	errCardType        = apiError{400, "card_error", "Card type is not supported"}
	errChargeNotExist  = apiError{404, "charge_id_not_exist", "Charge ID does not exist or invalid"}
	errMID             = apiError{400, "mid_and_tid_not_exist", "MID and/or TID do not exist or are not mapped to this currency"}
	errTokenInvalid    = apiError{400, "token_invalid", "Token was expired or cannot be found"}
	errUsedToken       = apiError{400, "used_token", "Token was already used"}
	errTokenConflict   = apiError{400, "token_conflict", "Token has been changed"}
	errVoidState       = apiError{400, "void_state_invalid", "Transaction status is not eligible for void"}
	errSettleState     = apiError{400, "settle_state_invalid", "Transaction status is not eligible for settlement"}
	errRefundState     = apiError{400, "refund_state_invalid", "Transaction status is not valid to refund"}
	errRefundNotAllow  = apiError{400, "refund_not_allowed", "Refund is not allowed"}
	errRefundRange     = apiError{400, "refund_transaction_is_not_owed", "Invalid refund date range"}
	errPartialRefund   = apiError{400, "partial_refund_is_not_allowed", "Invalid refund request"}
	errPermission      = apiError{400, "internal_permission_denied", "Permission denied."}
	errDateFormat      = apiError{400, "transaction_date_invalid", "Invalid Transaction date format"}
	errDateMismatch    = apiError{400, "invalid_parameter", "Invalid Charge ID or Transaction date value"}
	errForeignCard     = apiError{400, "foreign_card_not_supported", "Not support foreign card for register with 3D mode"}
	errSmartpay        = apiError{400, "smartpay_invalid", "smartpay information cannot found in system"}
	errDuplicate       = apiError{400, "duplicate_request", "This request is duplicated. (EMDR)"}
	errSourceOfFund    = apiError{400, "sof_is_empty", "don't have any source of fund support for this merchant"}
	errOrderNotFound   = apiError{404, "invalid_order_id", "Order ID cannot found in system"}
	errNoTransaction   = apiError{404, "no_transaction_found", "Transaction does not exist in the system"}
	errCustomerInvalid = apiError{404, "customer_invalid", "Customer ID is invalid or does not exist"}
	errCardInvalid     = apiError{404, "card_invalid", "Card ID does not exist or invalid"}
	errCardNotVerified = apiError{400, "card_not_verified", "Customer ID cannot be generated due to unsuccessful charge"}
	errNotFound        = apiError{404, "not_found", "Resource not found"}
)

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

func writeError(w http.ResponseWriter, e apiError) {
	writeJSON(w, e.status, map[string]string{"object": "error", "code": e.code, "message": e.message})
}

// api wraps a REST handler: x-api-key must be the secret key (compared in
// constant time, never logged); a returned apiError becomes the error object.
func (s *Simulator) api(h func(*http.Request) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		key := strings.TrimSpace(r.Header.Get("x-api-key"))
		if subtle.ConstantTimeCompare([]byte(key), []byte(s.secretKey)) != 1 {
			s.log.WarnContext(r.Context(), "kpay sandbox: authentication failure", "method", r.Method, "path", r.URL.Path, "key_present", key != "")
			writeError(w, errAuth)
			return
		}
		v, err := h(r)
		var ae apiError
		switch {
		case errors.As(err, &ae):
			s.log.InfoContext(r.Context(), "kpay sandbox: api error", "method", r.Method, "path", r.URL.Path, "code", ae.code)
			writeError(w, ae)
		case err != nil:
			s.log.ErrorContext(r.Context(), "kpay sandbox: api", "method", r.Method, "path", r.URL.Path, "err", err)
			writeError(w, apiError{500, "internal_error", "System unavailable. (EMIU)"})
		default:
			rp, ok := v.(reply)
			if !ok {
				writeJSON(w, http.StatusOK, v)
				return
			}
			writeJSON(w, http.StatusOK, rp.body)
			if rp.after != nil { // e.g. a webhook: the caller hears first
				_ = http.NewResponseController(w).Flush()
				rp.after()
			}
		}
	}
}

// reply is a handler's answer plus what to do once it has been written.
type reply struct {
	body  any
	after func()
}

// field is a scalar JSON value read leniently: a string, a number (its
// exact literal text), a boolean ("true"/"false") or absent/null (unset).
// The spec mixes strings and numbers for amounts, terms and flags (§4.0, §14.12).
type field struct {
	set  bool
	text string
}

func (f *field) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*f = field{}
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = field{true, s}
	case bytes.Equal(b, []byte("true")), bytes.Equal(b, []byte("false")):
		*f = field{true, string(b)}
	case len(b) > 0 && (b[0] == '-' || b[0] >= '0' && b[0] <= '9'):
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return err
		}
		*f = field{true, n.String()}
	default:
		return errors.New("not a scalar")
	}
	return nil
}

// str is the trimmed text; "" when unset.
func (f field) str() string { return strings.TrimSpace(f.text) }

func (f field) isTrue() bool { return strings.EqualFold(f.str(), "true") }

// decode reads a JSON body (at most 64 KiB) into v. An empty body is {}.
func decode(r *http.Request, v any) error {
	b, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil || len(b) > maxBody {
		return errBadJSON
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	if err := json.Unmarshal(b, v); err != nil {
		return errBadJSON
	}
	return nil
}

// amountOf validates a request amount for currency (spec §4.0, §9.3.2).
func amountOf(f field, currency string) (int64, error) {
	if !f.set || f.str() == "" {
		return 0, errMandatory
	}
	c, why := parseAmount(f.str())
	switch why {
	case amountNotPositive:
		return 0, errAmountInvalid
	case amountMalformed: // a sign, an exponent, more than 2 decimals or 10 digits
		return 0, errAmountInvalid
	}
	if isoDecimals[currency] == 0 && c%100 != 0 {
		return 0, errFloatNotSupport
	}
	return c, nil
}
