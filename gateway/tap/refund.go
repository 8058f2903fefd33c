package tap

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/gateway/internal/wire"
	"github.com/bawaba/checkout/money"
)

var _ gateway.Refunder = (*Gateway)(nil)

// refundReason is the reason sent with every refund (Tap's own sample value).
const refundReason = "requested_by_customer"

// chargeIDPattern is idPattern restricted to charges: only a captured charge is refunded.
var chargeIDPattern = regexp.MustCompile(`^chg_[A-Za-z0-9]{1,64}$`)

// refundIDPattern bounds what we accept as a refund id (Tap's are re_…). It only goes into
// Result.PaymentID, never into a URL.
var refundIDPattern = regexp.MustCompile(`^[A-Za-z0-9_.:-]{1,128}$`)

// refundRequest is the create-refund body (spec §1): no post.url, see the package comment.
type refundRequest struct {
	ChargeID  string            `json:"charge_id"`
	Amount    json.RawMessage   `json:"amount"`
	Currency  string            `json:"currency"`
	Reason    string            `json:"reason"`
	Reference merchantReference `json:"reference"`
	Metadata  map[string]string `json:"metadata,omitempty"`
}

type merchantReference struct {
	Merchant string `json:"merchant"`
}

// refund is what we read of Tap's refund object.
type refund struct {
	ID        string          `json:"id"`
	Status    string          `json:"status"`
	ChargeID  string          `json:"charge_id"`
	Amount    json.Number     `json:"amount"`
	Currency  string          `json:"currency"`
	Created   wire.FlexString `json:"created"`
	Reference struct {
		Merchant wire.FlexString `json:"merchant"`
		Gateway  wire.FlexString `json:"gateway"`
		Acquirer wire.FlexString `json:"acquirer"`
	} `json:"reference"`
	Response struct {
		Code    wire.FlexString `json:"code"`
		Message string          `json:"message"`
	} `json:"response"`
}

// refundClass is how a refund's status and response code are read.
type refundClass int

const (
	// refundUnknown: TIMEDOUT 701, UNKNOWN 801, anything unlisted: the outcome is not known.
	refundUnknown refundClass = iota
	// refundDone: REFUNDED 000.
	refundDone
	// refundPending: PENDING 100, IN_PROGRESS 200.
	refundPending
	// refundFailed: CANCELLED 301, FAILED 401–403, DECLINED 501–504, RESTRICTED 601–602.
	refundFailed
	// refundNone: neither status nor code was given.
	refundNone
)

// refundStatusClass reads Tap's refund status string.
func refundStatusClass(s string) (refundClass, string) {
	switch strings.ToUpper(strings.TrimSpace(s)) {
	case "":
		return refundNone, ""
	case "REFUNDED":
		return refundDone, ""
	case "PENDING", "IN_PROGRESS":
		return refundPending, ""
	case "CANCELLED", "CANCELED":
		return refundFailed, gateway.ReasonCancelled
	case "FAILED":
		return refundFailed, gateway.ReasonGatewayError
	case "DECLINED":
		return refundFailed, gateway.ReasonDeclined
	case "RESTRICTED":
		return refundFailed, gateway.ReasonRisk
	default: // TIMEDOUT, UNKNOWN, anything new
		return refundUnknown, ""
	}
}

// refundCodeClass reads Tap's refund response code (spec §5).
func refundCodeClass(code string) (refundClass, string) {
	code = strings.TrimSpace(code)
	if code == "" {
		return refundNone, ""
	}
	n, err := strconv.Atoi(code)
	if err != nil || len(code) != 3 {
		return refundUnknown, ""
	}
	switch {
	case n == 0:
		return refundDone, ""
	case n == 100 || n == 200:
		return refundPending, ""
	case n == 301:
		return refundFailed, gateway.ReasonCancelled
	case n >= 401 && n <= 403:
		return refundFailed, gateway.ReasonGatewayError
	case n >= 501 && n <= 504:
		return refundFailed, gateway.ReasonDeclined
	case n >= 601 && n <= 602:
		return refundFailed, gateway.ReasonRisk
	default: // 701 Timed Out, 801 Unknown, anything unlisted
		return refundUnknown, ""
	}
}

// classifyRefund combines status and code: when both are given they must agree, otherwise
// the outcome is unknown. A refund is never "done" on one of them alone if the other disagrees.
func classifyRefund(r *refund) (refundClass, string) {
	sc, sr := refundStatusClass(r.Status)
	cc, cr := refundCodeClass(string(r.Response.Code))
	switch {
	case sc == refundNone && cc == refundNone:
		return refundUnknown, ""
	case sc == refundNone:
		return cc, cr
	case cc == refundNone:
		return sc, sr
	case sc != cc:
		return refundUnknown, ""
	default:
		return sc, sr
	}
}

// checkDashboard ends every message about a refund whose outcome we do not know.
const checkDashboard = "the refund may still be made: check it in Tap's dashboard before refunding again"

// Refund gives amount of the attempt's captured charge back with POST /v2/refunds.
// REFUNDED (000) → refunded, with the refund id as PaymentID; CANCELLED, FAILED, DECLINED and
// RESTRICTED → failed with Tap's words in GatewayMessage; PENDING, IN_PROGRESS, TIMEDOUT,
// UNKNOWN and anything unclear → an error wrapping gateway.ErrUnavailable.
func (g *Gateway) Refund(ctx context.Context, a gateway.Attempt, amount money.Amount) (gateway.Result, error) {
	cur := a.Amount.Currency().Code
	switch {
	case !chargeIDPattern.MatchString(a.PaymentID):
		return gateway.Result{}, fmt.Errorf("tap: refund: %w: the attempt has no valid charge id", gateway.ErrRejected)
	case a.ID == "":
		return gateway.Result{}, fmt.Errorf("tap: refund: %w: attempt id is required", gateway.ErrRejected)
	case !amount.IsPositive():
		return gateway.Result{}, fmt.Errorf("tap: refund: %w: amount must be positive", gateway.ErrRejected)
	case cur == "" || !amount.SameCurrency(a.Amount):
		return gateway.Result{}, fmt.Errorf("tap: refund: %w: %s refund of a %s charge", gateway.ErrRejected,
			amount.Currency().Code, cur)
	case a.Amount.IsPositive() && amount.Cmp(a.Amount) > 0:
		return gateway.Result{}, fmt.Errorf("tap: refund: %w: %s is more than the charge's %s", gateway.ErrRejected,
			amount.String(), a.Amount.String())
	}
	body, err := buildRefundRequest(a, amount)
	if err != nil {
		return gateway.Result{}, err
	}
	key, err := refundIdempotencyKey(a.ID, gateway.RefundID(ctx))
	if err != nil {
		return gateway.Result{}, fmt.Errorf("tap: refund %s: %w: no random idempotency key", a.PaymentID, gateway.ErrUnavailable)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.base+"/v2/refunds", bytes.NewReader(body))
	if err != nil {
		return gateway.Result{}, fmt.Errorf("tap: refund: %w: bad base URL", gateway.ErrRejected)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	what := "refund " + a.PaymentID
	raw, err := g.do(req, what)
	if err != nil {
		if errors.Is(err, gateway.ErrUnavailable) {
			return gateway.Result{}, fmt.Errorf("%w; %s", err, checkDashboard)
		}
		return gateway.Result{}, err
	}
	r, err := decodeRefund(raw)
	if err != nil || (r.ID == "" && r.Status == "" && r.Response.Code == "") {
		if e := tapErrors(raw); e != "" {
			return gateway.Result{}, fmt.Errorf("tap: %s: %w: %s", what, gateway.ErrRejected, g.redact(e))
		}
		return gateway.Result{}, fmt.Errorf("tap: %s: %w: unreadable refund; %s", what, gateway.ErrUnavailable, checkDashboard)
	}
	if r.ChargeID != "" && r.ChargeID != a.PaymentID {
		return gateway.Result{}, fmt.Errorf("tap: %s: %w: Tap answered for another charge; %s", what, gateway.ErrUnavailable, checkDashboard)
	}
	if r.ID != "" && !refundIDPattern.MatchString(r.ID) {
		return gateway.Result{}, fmt.Errorf("tap: %s: %w: malformed refund id; %s", what, gateway.ErrUnavailable, checkDashboard)
	}
	res := g.refundResult(raw, r)
	class, reason := classifyRefund(r)
	switch class {
	case refundDone:
		if r.ID == "" {
			return gateway.Result{}, fmt.Errorf("tap: %s: %w: REFUNDED without a refund id; %s", what, gateway.ErrUnavailable, checkDashboard)
		}
		if err := sameRefundAmount(r, amount); err != nil {
			return gateway.Result{}, fmt.Errorf("tap: %s %s: %w: %v; check it in Tap's dashboard", what, r.ID, gateway.ErrUnavailable, err)
		}
		res.Status = gateway.StatusRefunded
		if res.Amount.IsZero() {
			res.Amount = amount
		}
		return res, nil
	case refundFailed:
		res.Status = gateway.StatusFailed
		res.Reason = reason
		res.GatewayMessage = g.redact(refundWords(r))
		return res, nil
	case refundPending:
		return refundIDOnly(r, raw), fmt.Errorf("tap: %s: %w: refund %s is pending at Tap (%s), not yet made: check it in Tap's dashboard before refunding again",
			what, gateway.ErrUnavailable, orNone(r.ID), g.redact(refundWords(r)))
	default:
		return refundIDOnly(r, raw), fmt.Errorf("tap: %s: %w: refund %s outcome unknown (%s); %s",
			what, gateway.ErrUnavailable, orNone(r.ID), g.redact(refundWords(r)), checkDashboard)
	}
}

// refundIDOnly is the Result beside an error about a refund whose outcome is not known yet:
// no Status, only the refund id Tap gave (checked by the caller), so that the order service
// stores it and the refund reconciler asks about it by GET /v2/refunds/{id}.
func refundIDOnly(r *refund, raw []byte) gateway.Result {
	return gateway.Result{PaymentID: r.ID, TransactionID: r.ID, Raw: append([]byte(nil), raw...)}
}

// buildRefundRequest returns the JSON body refunding amount of a's charge.
func buildRefundRequest(a gateway.Attempt, amount money.Amount) ([]byte, error) {
	body := refundRequest{
		ChargeID: a.PaymentID,
		// Exactly the currency's decimals ("2.500"), as a JSON number literal.
		Amount:    json.RawMessage(amount.String()),
		Currency:  amount.Currency().Code,
		Reason:    refundReason,
		Reference: merchantReference{Merchant: a.ID},
	}
	body.Metadata = metadata(a)
	b, err := wire.Marshal(body)
	if err != nil {
		return nil, fmt.Errorf("tap: refund: %w: %v", gateway.ErrRejected, err)
	}
	return b, nil
}

// refundIdempotencyKey is attemptID + ":refund:" + the order service's refund id when ctx
// carries one (gateway.WithRefundID), so that asking again about the same refund replays it;
// otherwise 32 fresh random hex digits. See the package comment for why it is never derived
// from the amount.
func refundIdempotencyKey(attemptID, refundID string) (string, error) {
	if refundID != "" {
		return attemptID + ":refund:" + refundID, nil
	}
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return attemptID + ":refund:" + hex.EncodeToString(b[:]), nil
}

// decodeRefund reads a refund object, keeping numbers exact.
func decodeRefund(raw []byte) (*refund, error) { return decodeObject[refund](raw) }

// refundResult fills what the refund object tells, whatever its status.
func (g *Gateway) refundResult(raw []byte, r *refund) gateway.Result {
	res := gateway.Result{
		PaymentID:      r.ID,
		TransactionID:  r.ID,
		Reference:      wire.FirstNonEmpty(string(r.Reference.Acquirer), string(r.Reference.Gateway)),
		OurReference:   string(r.Reference.Merchant),
		GatewayCode:    string(r.Response.Code),
		GatewayMessage: g.redact(strings.TrimSpace(r.Response.Message)),
		At:             unixMillis(r.Created),
		Raw:            append([]byte(nil), raw...),
	}
	if amt, ok := wire.JSONAmount(r.Amount.String(), r.Currency); ok {
		res.Amount = amt
	}
	return res
}

// sameRefundAmount checks the amount and currency Tap echoed, when it echoed them.
func sameRefundAmount(r *refund, want money.Amount) error {
	if r.Currency != "" && r.Currency != want.Currency().Code {
		return fmt.Errorf("tap refunded in %s, asked %s", clip(r.Currency), want.Currency().Code)
	}
	if r.Amount == "" {
		return nil
	}
	cur := r.Currency
	if cur == "" {
		cur = want.Currency().Code
	}
	got, ok := wire.JSONAmount(r.Amount.String(), cur)
	if !ok || !got.Equal(want) {
		return fmt.Errorf("tap refunded %s, asked %s", clip(r.Amount.String()), want.String())
	}
	return nil
}

// refundWords is "STATUS code message" of a refund, for logs and the order's timeline.
func refundWords(r *refund) string {
	parts := []string{}
	for _, p := range []string{r.Status, string(r.Response.Code), r.Response.Message} {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, clip(p))
		}
	}
	if len(parts) == 0 {
		return "no status"
	}
	return "Tap refund " + strings.Join(parts, " ")
}

func orNone(id string) string {
	if id == "" {
		return "(no id)"
	}
	return id
}

// clip bounds a string from Tap before it goes into a message.
func clip(s string) string { return strings.ToValidUTF8(wire.Clip(s, 100), "") }

// ReplaysRefunds reports that Refund is idempotent by the refund id in ctx (gateway.RefundReplayer):
// the Idempotency-Key is derived from it, so the refund reconciler may ask again.
func (g *Gateway) ReplaysRefunds() bool { return true }

var _ gateway.RefundInquirer = (*Gateway)(nil)

// InquireRefund asks Tap where one refund stands: GET /v2/refunds/{id} by the refund id Tap
// gave us. Without one (the answer to our POST was lost), Tap has no lookup by our reference,
// so the answer is gateway.ErrRefundNotFound and the order service replays Refund with the same
// refund id: its Idempotency-Key returns the refund Tap made, or makes it exactly once.
// REFUNDED → refunded; CANCELLED, FAILED, DECLINED, RESTRICTED → failed; PENDING,
// IN_PROGRESS, TIMEDOUT, UNKNOWN → pending (asked again later). A 404 is ErrRefundNotFound; a
// refund of another charge, or of another amount, is an error wrapping gateway.ErrUnavailable
// (nothing is recorded from it).
func (g *Gateway) InquireRefund(ctx context.Context, a gateway.Attempt, q gateway.RefundQuery) (gateway.Result, error) {
	if q.GatewayRef == "" {
		return gateway.Result{}, fmt.Errorf("tap: refund %s: %w: no Tap refund id yet: replay it by its Idempotency-Key", q.RefundID, gateway.ErrRefundNotFound)
	}
	if !refundIDPattern.MatchString(q.GatewayRef) || strings.ContainsAny(q.GatewayRef, "/.:") {
		return gateway.Result{}, fmt.Errorf("tap: refund %s: %w: malformed Tap refund id", q.RefundID, gateway.ErrRejected)
	}
	what := "retrieve refund " + q.GatewayRef
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, g.base+"/v2/refunds/"+q.GatewayRef, nil)
	if err != nil {
		return gateway.Result{}, fmt.Errorf("tap: %s: %w: bad base URL", what, gateway.ErrUnavailable)
	}
	raw, err := g.do(req, what)
	if errors.Is(err, errNotFound) {
		return gateway.Result{}, fmt.Errorf("%w: %w", gateway.ErrRefundNotFound, err)
	}
	if err != nil {
		return gateway.Result{}, err
	}
	r, err := decodeRefund(raw)
	if err != nil || r.ID != q.GatewayRef {
		return gateway.Result{}, fmt.Errorf("tap: %s: %w: unreadable refund, or another one", what, gateway.ErrUnavailable)
	}
	if r.ChargeID != "" && r.ChargeID != a.PaymentID {
		return gateway.Result{}, fmt.Errorf("tap: %s: %w: a refund of another charge", what, gateway.ErrUnavailable)
	}
	res := g.refundResult(raw, r)
	class, reason := classifyRefund(r)
	switch class {
	case refundDone:
		if err := sameRefundAmount(r, q.Amount); err != nil {
			return gateway.Result{}, fmt.Errorf("tap: %s: %w: %v; check it in Tap's dashboard", what, gateway.ErrUnavailable, err)
		}
		res.Status = gateway.StatusRefunded
	case refundFailed:
		res.Status, res.Reason = gateway.StatusFailed, reason
		res.GatewayMessage = g.redact(refundWords(r))
	default:
		res.Status = gateway.StatusPending
		res.GatewayMessage = g.redact(refundWords(r))
	}
	return res, nil
}
