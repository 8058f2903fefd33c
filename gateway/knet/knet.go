package knet

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/gateway/internal/wire"
	"github.com/bawaba/checkout/money"
)

// Name is the gateway's id.
const Name = "knet"

// currencyKWD is the only currency KNET takes, ISO 4217 numeric 414 (spec §3.1).
const (
	currencyKWD     = "KWD"
	currencyCodeKWD = "414"
)

// Field limits of spec §3.1.
const (
	maxTrackID = 40
	maxAmt     = 10
	maxURL     = 255
	maxUDF     = 255
)

// attemptPrefix is the prefix of our attempt ids; the track id is the rest.
const attemptPrefix = "att_"

// stateTrackID is the key of the track id in Attempt.State.
const stateTrackID = "trackid"

// trackIDPattern is what we send and accept as a track id: alphanumeric, at most 40 (spec §3.1).
var trackIDPattern = regexp.MustCompile(`^[A-Za-z0-9]{1,40}$`)

// Config configures the connector.
type Config struct {
	// BaseURL is KNET's "/kpg" base: "https://kpaytest.com.kw/kpg" (test),
	// "https://www.kpay.com.kw/kpg" (live), or the sandbox's
	// "http://127.0.0.1:PORT/sandbox/knet/kpg". "/PaymentHTTP.htm" and "/tranPipe.htm" are
	// appended.
	BaseURL string
	// TranportalID is the terminal's Tranportal ID (sent in clear in the payment URL).
	TranportalID string
	// TranportalPassword is the Tranportal password: inside the encrypted trandata and in the
	// tranPipe XML only, never logged nor shown.
	TranportalPassword string
	// ResourceKey is the 16-character terminal resource key: its ASCII bytes are the AES-128
	// key and IV of trandata. Never logged nor shown.
	ResourceKey string
	// HTTPClient is used for the inquiry and refund calls; nil means a client with a 15 s
	// timeout.
	HTTPClient *http.Client
}

// Gateway is the KNET (direct, Tranportal/RAW) connector. It implements gateway.Gateway,
// gateway.Acknowledger, gateway.Refunder and gateway.RefundInquirer.
type Gateway struct {
	base     string
	id       string
	password string
	key      []byte
	client   *http.Client
}

var (
	_ gateway.Gateway      = (*Gateway)(nil)
	_ gateway.Acknowledger = (*Gateway)(nil)
	_ gateway.Refunder     = (*Gateway)(nil)
)

// New returns the connector for cfg.
func New(cfg Config) *Gateway {
	c := wire.DefaultClient(cfg.HTTPClient, 15*time.Second)
	return &Gateway{
		base:     strings.TrimRight(cfg.BaseURL, "/"),
		id:       cfg.TranportalID,
		password: cfg.TranportalPassword,
		key:      []byte(cfg.ResourceKey),
		client:   c,
	}
}

// Name returns "knet".
func (g *Gateway) Name() string { return Name }

// Supports reports whether method is KNET in KWD, the only thing KNET takes.
func (g *Gateway) Supports(method, currency string) bool {
	return method == gateway.MethodKNET && currency == currencyKWD
}

// StartsOffline implements gateway.OfflineStarter: Start builds the request and calls nothing.
func (g *Gateway) StartsOffline(string) bool { return true }

// Start builds the encrypted payment request (spec §3) and sends the shopper to KNET's
// PaymentHTTP.htm with it. Nothing is called server-side: KNET's payment id is only known
// from the notification, so Started.PaymentID is empty and State keeps the track id.
func (g *Gateway) Start(ctx context.Context, a gateway.Attempt) (gateway.Started, error) {
	if err := g.checkConfig(); err != nil {
		return gateway.Started{}, fmt.Errorf("knet: start: %w: %v", gateway.ErrRejected, err)
	}
	trackID, err := trackIDFromID(a.ID)
	if err != nil {
		return gateway.Started{}, fmt.Errorf("knet: start: %w: %v", gateway.ErrRejected, err)
	}
	if a.Amount.Currency().Code != currencyKWD {
		return gateway.Started{}, fmt.Errorf("knet: start: %w: KNET takes KWD only, not %q", gateway.ErrRejected, a.Amount.Currency().Code)
	}
	if !a.Amount.IsPositive() {
		return gateway.Started{}, fmt.Errorf("knet: start: %w: amount must be positive", gateway.ErrRejected)
	}
	amt := a.Amount.String()
	if len(amt) > maxAmt {
		return gateway.Started{}, fmt.Errorf("knet: start: %w: amount %s is longer than %d characters", gateway.ErrRejected, amt, maxAmt)
	}
	if err := checkURL(a.WebhookURL); err != nil {
		return gateway.Started{}, fmt.Errorf("knet: start: %w: response (webhook) URL: %v", gateway.ErrRejected, err)
	}
	if err := checkURL(a.ReturnURL); err != nil {
		return gateway.Started{}, fmt.Errorf("knet: start: %w: error (return) URL: %v", gateway.ErrRejected, err)
	}
	plain := g.paymentPlaintext(a, amt, trackID)
	trandata, err := encryptTrandata(g.key, plain)
	if err != nil {
		return gateway.Started{}, fmt.Errorf("knet: start: %w: %v", gateway.ErrRejected, err)
	}
	u := g.base + "/PaymentHTTP.htm?param=paymentInit" +
		"&trandata=" + trandata +
		"&tranportalId=" + url.QueryEscape(g.id) +
		"&responseURL=" + url.QueryEscape(a.WebhookURL) +
		"&errorURL=" + url.QueryEscape(a.ReturnURL)
	return gateway.Started{
		Action: gateway.Action{Kind: gateway.ActionRedirect, URL: u},
		State:  map[string]string{stateTrackID: trackID},
	}, nil
}

// paymentPlaintext is the parameter string of spec §3.1, in the kit's order, values not
// URL-encoded (every value has been checked to hold no '&').
func (g *Gateway) paymentPlaintext(a gateway.Attempt, amt, trackID string) string {
	var b strings.Builder
	add := func(k, v string) {
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(v)
	}
	add("id", g.id)
	add("password", g.password)
	add("action", "1")
	add("langid", langID(a.Locale))
	add("currencycode", currencyCodeKWD)
	add("amt", amt)
	add("responseURL", a.WebhookURL)
	add("errorURL", a.ReturnURL)
	add("trackid", trackID)
	add("udf1", safeUDF(a.OrderID))
	add("udf2", safeUDF(a.Reference))
	add("udf3", "")
	add("udf4", "")
	add("udf5", "")
	return b.String()
}

// Return handles the browser at the errorURL. Its query (Error, ErrorText, paymentid, trackid)
// is unsigned: a trackid that is not the attempt's is refused without calling KNET; otherwise
// the transaction is inquired by our track id and the inquiry's verdict is returned (the
// query's error code may only make a confirmed failure more precise).
func (g *Gateway) Return(ctx context.Context, a gateway.Attempt, query url.Values) (gateway.Result, error) {
	trackID, err := attemptTrackID(a)
	if err != nil {
		return gateway.Result{}, fmt.Errorf("knet: return: %w: %v", gateway.ErrBadRequest, err)
	}
	hint := lowerKeys(query)
	if t := hint["trackid"]; t != "" && t != trackID {
		return gateway.Result{}, fmt.Errorf("knet: return: %w: trackid is not the attempt's", gateway.ErrBadRequest)
	}
	if len(errorCode(hint)) > 32 {
		return gateway.Result{}, fmt.Errorf("knet: return: %w: malformed Error", gateway.ErrBadRequest)
	}
	v, err := g.inquire(ctx, trackID, attemptAmount(a))
	if err != nil {
		return gateway.Result{}, err
	}
	st, reason := hintStatus(hint)
	return refine(v, st, reason, errorCode(hint)), nil
}

// Inquire asks KNET for the attempt's transaction by our track id (action 8).
func (g *Gateway) Inquire(ctx context.Context, a gateway.Attempt) (gateway.Result, error) {
	trackID, err := attemptTrackID(a)
	if err != nil {
		return gateway.Result{}, fmt.Errorf("knet: inquire: %w: %v", gateway.ErrBadRequest, err)
	}
	return g.inquire(ctx, trackID, attemptAmount(a))
}

// inquire runs an inquiry by track id and maps it. An answer about another track id is an
// error wrapping gateway.ErrUnavailable. OurReference is our attempt id when KNET echoed the
// track id.
func (g *Gateway) inquire(ctx context.Context, trackID, amt string) (gateway.Result, error) {
	what := "inquiry " + trackID
	tags, raw, err := g.tranPipe(ctx, what, g.tranPipeRequest(actionInquiry, amt, trackID))
	if err != nil {
		return gateway.Result{}, err
	}
	r, err := g.inquiryResult(what, tags, raw)
	if err != nil {
		return gateway.Result{}, err
	}
	if r.TrackID != "" {
		if r.TrackID != trackID {
			return gateway.Result{}, fmt.Errorf("knet: %s: %w: KNET answered for another track id", what, gateway.ErrUnavailable)
		}
		r.OurReference = attemptPrefix + trackID
	}
	r.TrackID = trackID
	return r, nil
}

// Webhook reads KNET's notification POSTed to our responseURL (spec §4): the form's trandata
// is decrypted and parsed (any failure: gateway.ErrSignature, the scheme has no MAC); without
// trandata, the plain error fields are only a trigger and need a well-formed trackid
// (gateway.ErrBadRequest otherwise). The track id names the attempt; the transaction is then
// confirmed by an inquiry, whose verdict is reported. When the inquiry cannot confirm it, the
// notification is reported as unknown (the reconciler asks again) and carries nothing else
// from the unconfirmed message.
func (g *Gateway) Webhook(ctx context.Context, req gateway.WebhookRequest) ([]gateway.Notification, error) {
	form, err := url.ParseQuery(string(req.Body))
	if err != nil {
		return nil, fmt.Errorf("knet: notification: %w: body is not form-encoded", gateway.ErrBadRequest)
	}
	outer := lowerKeys(form)
	var (
		fields  map[string]string
		noteAmt money.Amount
		rawNote []byte
		trusted bool // fields came out of trandata
	)
	if td := outer["trandata"]; td != "" {
		text, err := decryptTrandata(g.key, td)
		if err != nil {
			return nil, fmt.Errorf("knet: notification: %w: %v", gateway.ErrSignature, err)
		}
		q, err := url.ParseQuery(text)
		if err != nil {
			return nil, fmt.Errorf("knet: notification: %w: %v", gateway.ErrSignature, errTrandata)
		}
		fields = lowerKeys(q)
		if !trackIDPattern.MatchString(fields["trackid"]) || (fields["result"] == "" && errorCode(fields) == "") {
			return nil, fmt.Errorf("knet: notification: %w: %v", gateway.ErrSignature, errTrandata)
		}
		if t := outer["trackid"]; t != "" && t != fields["trackid"] {
			return nil, fmt.Errorf("knet: notification: %w: the plain trackid contradicts trandata", gateway.ErrSignature)
		}
		if s := strings.TrimSpace(fields["amt"]); s != "" {
			if noteAmt, err = money.Parse(s, currencyKWD); err != nil {
				return nil, fmt.Errorf("knet: notification: %w: %v", gateway.ErrSignature, errTrandata)
			}
		}
		rawNote, trusted = []byte(text), true
	} else {
		fields = outer
		if !trackIDPattern.MatchString(fields["trackid"]) {
			return nil, fmt.Errorf("knet: notification: %w: neither trandata nor a valid trackid", gateway.ErrBadRequest)
		}
		rawNote = bytes.Clone(req.Body)
	}
	trackID := fields["trackid"]
	ref := gateway.AttemptRef{AttemptID: attemptPrefix + trackID}

	// The amount we ask about: the notification's own when it was encrypted, else a plain
	// one that parses, else none (KNET may then refuse the inquiry; the reconciler asks
	// again with the attempt's amount).
	inqAmt := ""
	switch {
	case trusted && noteAmt.Currency().Code != "":
		inqAmt = noteAmt.String()
	case !trusted:
		if a, err := money.Parse(strings.TrimSpace(fields["amt"]), currencyKWD); err == nil {
			inqAmt = a.String()
		}
	}

	v, err := g.inquire(ctx, trackID, inqAmt)
	if err == nil && trusted && v.PaymentID != "" && fields["paymentid"] != "" && v.PaymentID != fields["paymentid"] {
		err = fmt.Errorf("knet: inquiry %s: %w: KNET answered for another payment id", trackID, gateway.ErrUnavailable)
	}
	if err != nil {
		return []gateway.Notification{{Ref: ref, Result: gateway.Result{
			Status:         gateway.StatusUnknown,
			TrackID:        trackID,
			GatewayMessage: "notification not confirmed by inquiry: " + g.redact(err.Error()),
			Raw:            rawNote,
		}}}, nil
	}
	if trusted {
		v.OurReference = attemptPrefix + trackID
		if v.Amount.Currency().Code == "" {
			v.Amount = noteAmt
		}
		fill(&v.PaymentID, fields["paymentid"])
		fill(&v.TransactionID, fields["tranid"])
		fill(&v.Reference, fields["ref"])
		fill(&v.AuthCode, fields["auth"])
	}
	st, reason := hintStatus(fields)
	v = refine(v, st, reason, errorCode(fields))
	v.Raw = joinRaw(rawNote, v.Raw)
	ref.PaymentID = v.PaymentID
	return []gateway.Notification{{Ref: ref, Result: v}}, nil
}

// Acknowledge answers KNET's notification (spec §4): 200 text/plain with exactly one line
// "REDIRECT=<our result page>" whenever the notification was read and names an attempt the
// order service knows — also when it could not be confirmed yet or could not be recorded
// (the money stays; the reconciler settles it by inquiry). When the notification could not
// be decrypted or read (ErrSignature, ErrBadRequest) or names an attempt we do not know,
// the answer has no REDIRECT= line on purpose: KNET then auto-voids the transaction, so no
// money is kept for something we cannot verify or attach to an order.
func (g *Gateway) Acknowledge(notes []gateway.Notification, err error, resultURL func(attemptID string) string) gateway.Reply {
	switch {
	case errors.Is(err, gateway.ErrSignature):
		return plainReply(http.StatusUnauthorized, "trandata does not verify")
	case errors.Is(err, gateway.ErrBadRequest):
		return plainReply(http.StatusBadRequest, "malformed notification")
	case errors.Is(err, gateway.ErrRefused):
		// No REDIRECT= line: KNET voids the transaction, so no money is taken.
		return plainReply(http.StatusConflict, "payment refused: the order can no longer be paid")
	}
	if len(notes) == 0 || notes[0].Ref.AttemptID == "" {
		return plainReply(http.StatusNotFound, "unknown transaction")
	}
	u := resultURL(notes[0].Ref.AttemptID)
	if u == "" || u == resultURL("") || strings.ContainsAny(u, "\r\n") {
		return plainReply(http.StatusNotFound, "unknown transaction")
	}
	return plainReply(http.StatusOK, "REDIRECT="+u)
}

// RefusesUnacknowledged reports that KNET voids a transaction whose notification is not
// answered with REDIRECT= (spec §4), so the order service may refuse a payment at the handshake.
func (g *Gateway) RefusesUnacknowledged() bool { return true }

// Refund refunds amount of the attempt's captured transaction (action 2, spec §6), identified
// by our track id. KNET's CAPTURED answer is a refund made (Status refunded); another result
// is a refused refund (Status failed); an error code is an error wrapping gateway.ErrRejected;
// a host timeout is an error wrapping gateway.ErrUnavailable whose outcome must be checked in
// KNET's portal before any retry.
func (g *Gateway) Refund(ctx context.Context, a gateway.Attempt, amount money.Amount) (gateway.Result, error) {
	trackID, err := attemptTrackID(a)
	if err != nil {
		return gateway.Result{}, fmt.Errorf("knet: refund: %w: %v", gateway.ErrRejected, err)
	}
	if amount.Currency().Code != currencyKWD || !amount.IsPositive() {
		return gateway.Result{}, fmt.Errorf("knet: refund: %w: the amount must be a positive KWD amount", gateway.ErrRejected)
	}
	if a.Amount.Currency().Code == currencyKWD && amount.Cmp(a.Amount) > 0 {
		return gateway.Result{}, fmt.Errorf("knet: refund: %w: %s is more than the %s paid", gateway.ErrRejected, amount, a.Amount)
	}
	what := "refund " + trackID
	tags, raw, err := g.tranPipe(ctx, what, g.tranPipeRequest(actionRefund, amount.String(), trackID))
	if err != nil {
		return gateway.Result{}, err
	}
	r := gateway.Result{
		// The refund's own tranid names it at KNET (InquireRefund asks by it); payid is the
		// payment's.
		PaymentID:      first(tags, "tranid", "payid", "paymentid"),
		TransactionID:  tags["tranid"],
		AuthCode:       tags["auth"],
		Reference:      tags["ref"],
		TrackID:        trackID,
		GatewayMessage: tags["result"],
		Raw:            raw,
	}
	if amt, err := money.Parse(strings.TrimSpace(tags["amt"]), currencyKWD); err == nil {
		r.Amount = amt
	}
	code := errorCode(tags)
	res := strings.Join(strings.Fields(strings.ToUpper(tags["result"])), " ")
	switch {
	case strings.EqualFold(code, codeHostTimeout) || (code == "" && res == "HOST TIMEOUT"):
		return gateway.Result{}, fmt.Errorf("knet: %s: %w: host timeout, the refund's outcome is unknown: check KNET's portal before retrying", what, gateway.ErrUnavailable)
	case code != "":
		return gateway.Result{}, fmt.Errorf("knet: %s: %w: %s %s", what, gateway.ErrRejected, code, g.redact(errorText(tags)))
	case res == "CAPTURED":
		r.Status = gateway.StatusRefunded
	default:
		r.Status, r.Reason = gateway.StatusFailed, gateway.ReasonDeclined
	}
	return r, nil
}

var _ gateway.RefundInquirer = (*Gateway)(nil)

// InquireRefund asks KNET about one refund by its own tranid (the one Refund reported as
// PaymentID): an inquiry (action 8) with transid = that tranid, udf5 "TransID", trackid = our
// track id and amt = the refund's amount (spec §6). CAPTURED → refunded; a failure → failed;
// anything else (KNET not finding it yet, a host timeout) → pending. A refund whose answer was
// lost before we stored its tranid cannot be asked about: KNET's inquiry names transactions by
// tranid, track id, payment id or ref only, and a refund shares the purchase's track id and
// payment id, so there is no lookup by our refund id; action 2 has no idempotency either, so
// it is never sent again. That refund stays pending, its amount reserved, for a person to check
// in KNET's portal (an error wrapping gateway.ErrRefundNoLookup: the order is flagged for review).
func (g *Gateway) InquireRefund(ctx context.Context, a gateway.Attempt, q gateway.RefundQuery) (gateway.Result, error) {
	trackID, err := attemptTrackID(a)
	if err != nil {
		return gateway.Result{}, fmt.Errorf("knet: refund inquiry: %w: %v", gateway.ErrRejected, err)
	}
	if q.GatewayRef == "" {
		return gateway.Result{}, fmt.Errorf("knet: refund inquiry %s: %w: no KNET tranid stored for it, and KNET has no lookup by our reference: check KNET's portal", q.RefundID, gateway.ErrRefundNoLookup)
	}
	if !tranIDPattern.MatchString(q.GatewayRef) || q.Amount.Currency().Code != currencyKWD {
		return gateway.Result{}, fmt.Errorf("knet: refund inquiry %s: %w: malformed tranid or amount", q.RefundID, gateway.ErrRejected)
	}
	what := "refund inquiry " + q.GatewayRef
	tags, raw, err := g.tranPipe(ctx, what, g.tranPipeRequestBy(actionInquiry, q.Amount.String(), q.GatewayRef, trackID, "TransID"))
	if err != nil {
		return gateway.Result{}, err
	}
	r, err := g.inquiryResult(what, tags, raw)
	if err != nil {
		return gateway.Result{}, err
	}
	if t := tags["tranid"]; (r.TrackID != "" && r.TrackID != trackID) || (t != "" && t != q.GatewayRef) ||
		strings.Contains(strings.ToUpper(tags["result"]), "SUSPECT") {
		return gateway.Result{}, fmt.Errorf("knet: %s: %w: KNET answered about another transaction (%s)", what, gateway.ErrUnavailable, clipResult(tags["result"]))
	}
	switch r.Status {
	case gateway.StatusPaid:
		r.Status = gateway.StatusRefunded
	case gateway.StatusFailed, gateway.StatusCancelled:
		r.Status = gateway.StatusFailed
	default:
		r.Status = gateway.StatusPending
	}
	r.PaymentID, r.TrackID = q.GatewayRef, trackID
	return r, nil
}

// clipResult bounds KNET's result text before it goes into an error.
func clipResult(s string) string { return wire.Clip(strings.TrimSpace(s), 60) }

// tranIDPattern bounds a KNET transaction id we put into a request.
var tranIDPattern = regexp.MustCompile(`^[0-9A-Za-z]{1,40}$`)

// checkConfig refuses credentials that cannot be put into the request.
func (g *Gateway) checkConfig() error {
	if len(g.key) != 16 {
		return errKey
	}
	if g.id == "" || g.password == "" {
		return errors.New("tranportal id and password are required")
	}
	if strings.ContainsAny(g.id, "&=<> \t\r\n") || strings.ContainsAny(g.password, "&=<> \t\r\n") {
		return errors.New("tranportal id or password holds a character the request cannot carry")
	}
	return nil
}

// trackIDFromID derives the track id from our attempt id: "att_" is stripped, and the rest must
// be 1–40 letters and digits (our ids are "att_" + 22 base62 characters).
func trackIDFromID(id string) (string, error) {
	t, ok := strings.CutPrefix(id, attemptPrefix)
	if !ok || !trackIDPattern.MatchString(t) {
		return "", errors.New("the attempt id is not att_ followed by 1–40 letters and digits")
	}
	return t, nil
}

// attemptTrackID returns the track id Start kept in the attempt's state, or derives it.
func attemptTrackID(a gateway.Attempt) (string, error) {
	if t := a.State[stateTrackID]; t != "" {
		if !trackIDPattern.MatchString(t) {
			return "", errors.New("the attempt's stored track id is malformed")
		}
		return t, nil
	}
	return trackIDFromID(a.ID)
}

// attemptAmount is the attempt's amount as KNET's amt, or "" when it is not KWD.
func attemptAmount(a gateway.Attempt) string {
	if a.Amount.Currency().Code != currencyKWD {
		return ""
	}
	return a.Amount.String()
}

// langID maps our locale to KNET's langid (spec §3.1): "AR" for Arabic, "USA" otherwise.
func langID(locale string) string {
	if locale == "ar" {
		return "AR"
	}
	return "USA"
}

// checkURL accepts an absolute http(s) URL that can go into the plain-text request as is: no
// query, fragment, '&', spaces or control characters, at most 255 characters.
func checkURL(s string) error {
	if s == "" || len(s) > maxURL {
		return errors.New("missing or longer than 255 characters")
	}
	if strings.ContainsAny(s, "?#&= \t\r\n") {
		return errors.New("must have no query, fragment or spaces")
	}
	if !wire.AbsoluteURL(s) {
		return errors.New("not an absolute http(s) URL")
	}
	return nil
}

// safeUDF keeps the letters, digits, '_', '-' and '.' of s (KNET refuses '@', '/' and the kit's
// list of special characters in UDFs), at most 255.
func safeUDF(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' || r == '.' {
			b.WriteRune(r)
			if b.Len() == maxUDF {
				break
			}
		}
	}
	return b.String()
}

// lowerKeys returns the first value of every key, keyed by the lower-cased name. When two
// keys differ only in case, the lower-case spelling wins, else the first in sorted order.
func lowerKeys(v url.Values) map[string]string {
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make(map[string]string, len(v))
	for _, k := range keys {
		vs := v[k]
		lk := strings.ToLower(k)
		if len(vs) == 0 {
			continue
		}
		if _, dup := out[lk]; !dup || k == lk {
			out[lk] = strings.TrimSpace(vs[0])
		}
	}
	return out
}

// fill sets *dst to v when *dst is empty.
func fill(dst *string, v string) {
	if *dst == "" {
		*dst = v
	}
}

// joinRaw keeps both the notification's plain text and the inquiry's answer.
func joinRaw(note, inquiry []byte) []byte {
	var b bytes.Buffer
	b.WriteString("notification: ")
	b.Write(note)
	b.WriteString("\ninquiry: ")
	b.Write(inquiry)
	return b.Bytes()
}

func plainReply(status int, body string) gateway.Reply {
	return gateway.Reply{Status: status, ContentType: "text/plain; charset=utf-8", Body: []byte(body)}
}

// redact removes the secrets from s, should KNET ever echo them.
func (g *Gateway) redact(s string) string {
	return string(g.redactBytes([]byte(s)))
}

func (g *Gateway) redactBytes(b []byte) []byte { return wire.RedactBytes(b, []byte(g.password), g.key) }
