package knet

import (
	"fmt"
	"strings"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/money"
)

// KNET error codes we give a meaning to (spec §5, manual §10).
const (
	codeInProgress   = "IPAY0100040" // transaction in progress in another tab/window
	codeTimeLimit    = "IPAY0100042" // transaction time limit exceeds
	codeDeniedRisk   = "IPAY0100045" // denied by risk
	codeCancelled    = "IPAY0100048" // cancelled
	codeHostTimeout  = "IPAY0100158" // host timeout
	codeMerchantDown = "IPAY0100249" // merchant response URL is down (→ auto-void)
	codeMerchantResp = "IPAY0200014" // problem occurred during merchant response (→ auto-void)
)

// requestErrors are the codes that say our own request (credentials, terminal key, fields) is
// wrong rather than anything about the shopper's transaction. In an inquiry or refund answer
// they become errors wrapping gateway.ErrRejected.
var requestErrors = map[string]bool{
	"IPAY0100001": true, "IPAY0100003": true, // missing error / response URL
	"IPAY0100005": true, "IPAY0100006": true, // missing / invalid tranportal id
	"IPAY0100007": true, "IPAY0100013": true, // missing / invalid transaction data
	"IPAY0100015": true,                                           // invalid tranportal password
	"IPAY0100020": true,                                           // invalid action type
	"IPAY0100022": true,                                           // invalid currency
	"IPAY0100023": true, "IPAY0100024": true, "IPAY0100025": true, // amount
	"IPAY0100026": true, "IPAY0100027": true, // language id, track id
	"IPAY0100028": true, "IPAY0100029": true, "IPAY0100030": true, "IPAY0100031": true, "IPAY0100032": true, // UDF1–5
	"IPAY0100050": true, "IPAY0100051": true, // invalid / missing terminal key
	"IPAY0100176": true, // decrypting transaction data failed
}

// mapResult maps a result value of a notification or an inquiry (spec §5) to a status and,
// for failures, a reason. Only CAPTURED and the inquiry's SUCCESS are paid; anything
// unlisted is unknown (ask again later), never paid.
func mapResult(result string) (gateway.Status, string) {
	r := strings.Join(strings.Fields(strings.ToUpper(result)), " ")
	// An inquiry's failure may name its cause: FAILURE(NOT CAPTURED), FAILURE(CANCELED),
	// FAILURE(DENIED BY RISK), FAILURE(SUSPECT)… (spec §6 "FAILURE…"). The cause refines the
	// reason; whatever it is, a FAILURE is never paid.
	if inner, ok := strings.CutPrefix(r, "FAILURE"); ok && inner != "" {
		inner = strings.TrimSpace(inner)
		if strings.HasPrefix(inner, "(") && strings.HasSuffix(inner, ")") {
			switch st, reason := mapResult(strings.Trim(inner, "()")); st {
			case gateway.StatusFailed, gateway.StatusCancelled:
				return st, reason
			}
			if strings.Contains(inner, "SUSPECT") {
				return gateway.StatusFailed, gateway.ReasonRisk
			}
			return gateway.StatusFailed, gateway.ReasonDeclined
		}
	}
	switch r {
	case "CAPTURED", "SUCCESS":
		return gateway.StatusPaid, ""
	case "NOT CAPTURED", "NOT APPROVED", "FAILURE":
		return gateway.StatusFailed, gateway.ReasonDeclined
	case "DENIED BY RISK", "SUSPECTED", "SUSPECT":
		return gateway.StatusFailed, gateway.ReasonRisk
	case "CANCELED", "CANCELLED":
		return gateway.StatusCancelled, gateway.ReasonCancelled
	case "APPROVED": // action 4 (authorization) only; we never send it
		return gateway.StatusAuthorized, ""
	case "VOIDED":
		return gateway.StatusVoided, ""
	default: // HOST TIMEOUT, NOT VOIDED, anything new
		return gateway.StatusUnknown, ""
	}
}

// mapErrorCode maps an IPAY error code that speaks about the shopper's transaction. ok is
// false for codes we give no meaning to.
func mapErrorCode(code string) (st gateway.Status, reason string, ok bool) {
	switch strings.ToUpper(code) {
	case codeCancelled:
		return gateway.StatusCancelled, gateway.ReasonCancelled, true
	case codeTimeLimit:
		return gateway.StatusExpired, "", true
	case codeDeniedRisk:
		return gateway.StatusFailed, gateway.ReasonRisk, true
	case codeHostTimeout:
		return gateway.StatusUnknown, "", true
	case codeInProgress:
		return gateway.StatusPending, "", true
	case codeMerchantDown, codeMerchantResp:
		return gateway.StatusFailed, gateway.ReasonGatewayError, true
	}
	return "", "", false
}

// hintStatus reads what an unverified message (a notification's fields, the errorURL's query)
// says: an error first (manual: "first check for any error"), then the result. Unlisted
// error codes are failures with reason gateway_error. It is only ever used to refine an
// inquiry's verdict (see refine).
func hintStatus(f map[string]string) (gateway.Status, string) {
	if code := errorCode(f); code != "" {
		if st, reason, ok := mapErrorCode(code); ok {
			return st, reason
		}
		return gateway.StatusFailed, gateway.ReasonGatewayError
	}
	if r := f["result"]; r != "" {
		return mapResult(r)
	}
	return "", ""
}

// inquiryResult maps an inquiry answer (spec §6). An error code that says our request is wrong
// is an error wrapping gateway.ErrRejected; an error code about the transaction is mapped
// (mapErrorCode); any other error code (such as "no such transaction yet") is pending: there
// is no result at KNET, and the reconciler asks again. Without an error, the result decides.
func (g *Gateway) inquiryResult(what string, tags map[string]string, raw []byte) (gateway.Result, error) {
	r := gateway.Result{
		PaymentID:     first(tags, "payid", "paymentid"),
		TransactionID: tags["tranid"],
		AuthCode:      tags["auth"],
		Reference:     tags["ref"],
		TrackID:       tags["trackid"],
		Raw:           raw,
	}
	if amt, err := money.Parse(strings.TrimSpace(tags["amt"]), "KWD"); err == nil {
		r.Amount = amt
	}
	if code := errorCode(tags); code != "" {
		text := g.redact(errorText(tags))
		if requestErrors[strings.ToUpper(code)] {
			return gateway.Result{}, fmt.Errorf("knet: %s: %w: %s %s", what, gateway.ErrRejected, code, text)
		}
		st, reason, ok := mapErrorCode(code)
		if !ok {
			st, reason = gateway.StatusPending, ""
		}
		r.Status, r.Reason, r.GatewayCode, r.GatewayMessage = st, reason, code, text
		return r, nil
	}
	r.Status, r.Reason = mapResult(tags["result"])
	r.GatewayCode = first(tags, "authrespcode", "authresponsecode")
	r.GatewayMessage = tags["result"]
	return r, nil
}

// refine lets an unverified hint make a failure confirmed by the inquiry more precise — never
// anything else: a generic failure becomes the hint's cancelled or expired, a generic decline
// takes the hint's failure reason. A verdict that is not a failure is kept as it is.
func refine(v gateway.Result, hint gateway.Status, hintReason, hintCode string) gateway.Result {
	if v.Status != gateway.StatusFailed {
		return v
	}
	switch {
	case hint == gateway.StatusCancelled || hint == gateway.StatusExpired:
		v.Status, v.Reason = hint, hintReason
	case hint == gateway.StatusFailed && v.Reason == gateway.ReasonDeclined && hintReason != "":
		v.Reason = hintReason
	}
	if v.GatewayCode == "" {
		v.GatewayCode = hintCode
	}
	return v
}

// first returns the first non-empty value of the keys.
func first(f map[string]string, keys ...string) string {
	for _, k := range keys {
		if v := strings.TrimSpace(f[k]); v != "" {
			return v
		}
	}
	return ""
}
