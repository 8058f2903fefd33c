// Package gateway defines the seam between the order service and the payment gateways:
// the Gateway interface, the Action a shopper is sent to, the normalized Result, and the registry.
package gateway

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/bawaba/checkout/money"
)

// Status is the normalized status of one attempt at a gateway
// (see ../shared/spec/gateways-summary.md §1–2).
type Status string

// The normalized attempt statuses. Every connector maps its gateway's own vocabulary to these.
const (
	StatusPending    Status = "pending"    // created at the gateway, shopper not back yet
	StatusAuthorized Status = "authorized" // funds held, not captured
	StatusPaid       Status = "paid"       // captured: money taken
	StatusFailed     Status = "failed"     // declined, refused, error
	StatusCancelled  Status = "cancelled"  // the shopper cancelled at the gateway
	StatusExpired    Status = "expired"    // the gateway or we gave up waiting
	StatusUnknown    Status = "unknown"    // the gateway does not know yet: ask again later
	StatusVoided     Status = "voided"     // an authorization or unsettled charge was voided
	StatusRefunded   Status = "refunded"   // the whole amount went back
)

// Statuses lists every normalized status, in a stable order.
var Statuses = []Status{
	StatusPending, StatusAuthorized, StatusPaid, StatusFailed, StatusCancelled,
	StatusExpired, StatusUnknown, StatusVoided, StatusRefunded,
}

// Valid reports whether s is one of the normalized statuses.
func (s Status) Valid() bool {
	return slices.Contains(Statuses, s)
}

// Methods a shopper can pick. A method is served by one gateway, chosen by configuration.
const (
	MethodKNET     = "knet"
	MethodCard     = "card"
	MethodUnionPay = "unionpay"
	MethodAlipay   = "alipay"
	MethodThaiQR   = "thaiqr"
	MethodWeChat   = "wechat"
	MethodClick    = "click"
)

// AllMethods lists every method in the order the checkout page shows them.
var AllMethods = []string{MethodKNET, MethodCard, MethodUnionPay, MethodAlipay, MethodThaiQR, MethodWeChat, MethodClick}

// KnownMethod reports whether m is one of AllMethods.
func KnownMethod(m string) bool {
	return slices.Contains(AllMethods, m)
}

// Customer is who pays, as the merchant described them. Every field may be empty.
type Customer struct {
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
	Phone string `json:"phone,omitempty"`
}

// Attempt is what a connector sees of one try to pay an order at its gateway.
type Attempt struct {
	ID          string       // our attempt id, att_…; unique per try, safe to send as the gateway's order reference
	Seq         int64        // a unique positive integer per attempt, for gateways whose order ids are numbers
	OrderID     string       // our order id, ord_…
	Reference   string       // the merchant's reference of the order
	Method      string       // the method the shopper picked
	Amount      money.Amount // what must be paid, in the order's currency
	Description string
	Customer    Customer
	Locale      string    // "ar" or "en": the language of the gateway's page
	ReturnURL   string    // absolute URL of /return/{gateway}/{attempt}: where the browser comes back
	WebhookURL  string    // absolute URL of /webhooks/{gateway}: where the gateway notifies us
	ExpiresAt   time.Time // the order's expiry: no payment page should outlive it
	// PaymentID is the gateway's identifier of the payment (a Tap charge id, …), empty before Start.
	PaymentID string
	// State is the connector's own small memory for this attempt (an indicator to compare on
	// return, a token, …), returned by Start and handed back on every later call.
	State map[string]string
	// Prior is, in Start only, the order's latest earlier attempt at this gateway that ended
	// without payment (failed, cancelled, expired), so a gateway with a "retry" call can reuse
	// its payment context; nil when there is none.
	Prior *Attempt
}

// ActionKind says how the shopper is sent on from our confirmation page.
type ActionKind string

// The kinds of Action.
const (
	ActionRedirect ActionKind = "redirect"  // a top-level GET navigation to URL
	ActionPostForm ActionKind = "post_form" // an auto-submitting form POSTed to URL with Fields
	ActionEmbed    ActionKind = "embed"     // a gateway script embedded in our own page (Embed); see Embedder
	ActionWait     ActionKind = "wait"      // nothing to do in the browser: wait on the pending page
)

// Field is one name/value pair of a form; order is kept.
type Field struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Embed describes a gateway's client-side script embedded in our own <form> on the attempt
// page, such as the K-Pay button: the form POSTs what the script adds to our
// /pay/{id}/attempt/{attempt}, which hands it to the gateway's Embedder.Continue.
type Embed struct {
	ScriptURL  string  `json:"script_url"`
	Attributes []Field `json:"attributes"` // data-* attributes of the <script> tag, in order
	// ScriptOrigins and FrameOrigins are the origins the page's Content-Security-Policy must allow.
	ScriptOrigins []string `json:"script_origins,omitempty"`
	FrameOrigins  []string `json:"frame_origins,omitempty"`
}

// Action is where the shopper goes after confirming.
type Action struct {
	Kind   ActionKind `json:"kind"`
	URL    string     `json:"url,omitempty"`
	Fields []Field    `json:"fields,omitempty"`
	Embed  *Embed     `json:"embed,omitempty"`
}

// Started is what Start reports: the action for the shopper, the gateway's payment id and the
// connector's state to keep. Result is set when the gateway already answered with a final or
// known status at creation (a non-3-D Secure card charge, an immediate refusal).
type Started struct {
	Action    Action
	PaymentID string
	State     map[string]string
	Result    *Result
}

// Result is a verified status of an attempt as the gateway reported it.
type Result struct {
	Status Status
	// The gateway's identifiers, as far as it has them.
	PaymentID     string // the gateway's payment or charge id
	TransactionID string // the processor's transaction id
	AuthCode      string // the authorization code
	Reference     string // the acquirer/bank reference (RRN)
	TrackID       string // the tracking id
	// Amount and currency as the gateway reported them; the zero Amount when it did not.
	Amount money.Amount
	// OurReference is the reference the gateway echoed back (the attempt id we sent); empty when none.
	OurReference string
	// Reason is a stable, language-free failure reason for the shopper page (see Reason*).
	Reason string
	// GatewayCode and GatewayMessage are the gateway's own words, for logs and the timeline.
	GatewayCode    string
	GatewayMessage string
	// Raw is the gateway's payload that this result was read from (never containing our secrets).
	Raw []byte
	// At is when the gateway says it happened; zero when unknown.
	At time.Time
}

// Failure reasons shown to shoppers in plain words (i18n keys "reason.<value>").
const (
	ReasonDeclined     = "declined"      // the bank or issuer said no
	ReasonInsufficient = "insufficient"  // not enough funds
	ReasonCardExpired  = "card_expired"  // the card's expiry is past or wrong
	ReasonCancelled    = "cancelled"     // the shopper cancelled
	ReasonTimeout      = "timeout"       // the gateway or bank took too long
	ReasonRisk         = "risk"          // refused by the gateway's risk checks
	ReasonGatewayError = "gateway_error" // the gateway could not process it
	ReasonMismatch     = "mismatch"      // the gateway's amount, currency or reference did not match
	ReasonExpired      = "expired"       // the gateway's page or QR code expired before payment
	// ReasonNotCompleted is for a gateway that reports a cancel and a decline alike (Click):
	// the shopper is told it did not go through, without blaming the bank or themselves.
	ReasonNotCompleted = "not_completed"
)

// AttemptRef tells the order service which attempt a notification is about. Connectors fill
// what the gateway gave them; the service looks the attempt up by the first non-empty field.
type AttemptRef struct {
	AttemptID string // our att_… id, when the gateway echoes it
	PaymentID string // the gateway's payment id
}

// Notification is one verified server-to-server message about one attempt.
type Notification struct {
	Ref    AttemptRef
	Result Result
	// Refund is set when the message is about one refund of the attempt's payment rather than
	// the payment itself (Adyen's REFUND, REFUND_FAILED): Result.Status is then refunded or
	// failed, and Result.PaymentID is the payment's id, not the refund's.
	Refund *RefundNote
}

// RefundNote names the refund a notification is about, as far as the gateway told.
type RefundNote struct {
	RefundID   string // our refund id (ref_…) when the gateway echoed it, else what it echoed or ""
	GatewayRef string // the gateway's id of the refund (Adyen's pspReference of the modification)
}

// WebhookRequest is a gateway's server-to-server request, with the exact bytes received.
type WebhookRequest struct {
	Header http.Header
	Query  url.Values
	Body   []byte
}

// Gateway is one payment gateway connector.
type Gateway interface {
	// Name is the gateway's id: "tap", "kpay", "adyen", "knet", "click", "alqaseh".
	Name() string
	// Supports reports whether the gateway can take this method in this currency.
	Supports(method, currency string) bool
	// Start creates the payment at the gateway and says where the shopper goes.
	Start(ctx context.Context, a Attempt) (Started, error)
	// Return handles the browser coming back. The query is only a hint: the result must be
	// verified server-side (inquiry API or signature) before it is returned.
	Return(ctx context.Context, a Attempt, query url.Values) (Result, error)
	// Webhook verifies a server-to-server notification (signature first) and reads it.
	// A batch may carry several notifications.
	Webhook(ctx context.Context, req WebhookRequest) ([]Notification, error)
	// Inquire asks the gateway for the attempt's current status (the reconciler's call).
	Inquire(ctx context.Context, a Attempt) (Result, error)
}

// Reply is the HTTP answer to a gateway's notification.
type Reply struct {
	Status      int
	ContentType string
	Body        []byte
}

// Acknowledger is the optional capability to shape the answer to a notification, for gateways
// that expect a particular one (Adyen's "[accepted]", KNET's "REDIRECT=<url>"). err is what
// handling the notification returned (nil when it was applied); resultURL gives the shopper's
// result page for an attempt id. Without it the answer is 200 "ok", or an error status.
type Acknowledger interface {
	Acknowledge(notes []Notification, err error, resultURL func(attemptID string) string) Reply
}

// Embedder is the optional capability of gateways whose Start answers ActionEmbed: their
// script, on our attempt page inside our own form, posts fields back to us (K-Pay: a card
// token, or the QR's chargeId), and Continue takes the payment on from there.
//
// Continue is called once per attempt (the order service makes sure a double submit does not
// call it twice) with the posted fields, our own removed. It answers like Start: PaymentID and
// State replace the attempt's when not empty; Action is where the shopper goes now (the zero
// Action: nowhere new, the attempt keeps its embed); Result, when set, is applied. The posted
// fields are only a trigger or a token to charge: a result comes from the gateway's API. An
// error wrapping ErrBadRequest means nothing was sent to the gateway (a missing or malformed
// field): the attempt stays as it was and the page can post again.
type Embedder interface {
	Continue(ctx context.Context, a Attempt, form url.Values) (Started, error)
}

// ReturnLocator is the optional capability of gateways that send every shopper back to one
// fixed URL registered with them (K-Pay's Callback URL), /return/{gateway}, rather than to a URL
// per attempt: it says which attempt a return is about. The return is still only a trigger.
type ReturnLocator interface {
	LocateReturn(query url.Values) (AttemptRef, error)
}

// Refuser is the optional capability of gateways whose notification can still decline a
// payment: when the notification is not acknowledged, the gateway voids it and no money is
// taken (KNET's REDIRECT= handshake). The order service then refuses a success for an order that
// can no longer be paid (cancelled, expired, already paid) by handing ErrRefused to Acknowledge.
type Refuser interface {
	RefusesUnacknowledged() bool
}

// Refunder is the optional capability to give money back, in whole or in part. The order
// service puts its refund id in ctx (WithRefundID); a connector whose gateway takes an
// idempotency key derives it from that id, so asking again about the same refund can never make
// a second one.
type Refunder interface {
	Refund(ctx context.Context, a Attempt, amount money.Amount) (Result, error)
}

// RefundReplayer is the optional capability of a Refunder whose Refund is idempotent by the
// refund id in ctx: calling it again for the same refund returns what the gateway made the first
// time (or makes it, exactly once, if the first call never reached the gateway). The refund
// reconciler uses it to settle refunds whose answer was lost: a timeout, a crash, a 5xx.
type RefundReplayer interface {
	ReplaysRefunds() bool
}

// RefundQuery is what the order service knows of one refund it asked a gateway for, so that a
// RefundInquirer can find it there.
type RefundQuery struct {
	RefundID   string       // our refund id, ref_… (the one WithRefundID carried)
	GatewayRef string       // the gateway's refund id, when an answer told us one; else ""
	Amount     money.Amount // what we asked to give back
	// Claimed are the gateway refund ids our other refunds of this payment already hold: a
	// gateway that cannot echo our refund id (K-Pay) must not hand one of them out again.
	Claimed []string
}

// RefundInquirer is the optional capability to ask the gateway where one refund stands, for the
// refund reconciler: a refund whose answer was lost (a timeout, a 5xx, a crash before the
// gateway's refund id was stored) or that the gateway reported in progress. The answer is a
// Result with Status refunded (made; PaymentID the gateway's refund id), failed (the gateway
// refused it: no money moved), or pending/unknown (ask again later); an error wrapping
// ErrRefundNotFound when the gateway, asked in a way that would find it, has no such refund
// (it never reached the gateway); any other error leaves the refund as it is.
type RefundInquirer interface {
	InquireRefund(ctx context.Context, a Attempt, q RefundQuery) (Result, error)
}

type refundIDKey struct{}

// WithRefundID returns ctx carrying the order service's id of the refund being asked for.
func WithRefundID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, refundIDKey{}, id)
}

// RefundID returns the refund id WithRefundID put in ctx, or "".
func RefundID(ctx context.Context) string {
	id, _ := ctx.Value(refundIDKey{}).(string)
	return id
}

// Voider is the optional capability to void an authorization or an unsettled charge.
type Voider interface {
	Void(ctx context.Context, a Attempt) (Result, error)
}

// Capturer is the optional capability to capture an authorization.
type Capturer interface {
	Capture(ctx context.Context, a Attempt, amount money.Amount) (Result, error)
}

// Closer is the optional capability to close the payment at the gateway when the order is
// cancelled or expires, so that no stale payment page can still take money.
type Closer interface {
	Close(ctx context.Context, a Attempt) error
}

// OfflineStarter is the optional capability of gateways whose Start calls nothing (it only
// builds where the shopper goes, as KNET's encrypted payment request does) for a method: the
// order service then starts the attempt inside the transaction that creates it.
type OfflineStarter interface {
	StartsOffline(method string) bool
}

// Errors a connector returns so that callers can react without knowing the gateway.
var (
	// ErrSignature: a webhook's signature or MAC did not verify. Answer 401, change nothing.
	ErrSignature = errors.New("gateway: signature does not verify")
	// ErrBadRequest: a return or webhook carried unusable data. Change nothing.
	ErrBadRequest = errors.New("gateway: malformed request")
	// ErrUnavailable: the gateway could not be reached or answered 5xx. Try again later.
	ErrUnavailable = errors.New("gateway: unavailable")
	// ErrRejected: the gateway refused to create the payment (bad credentials, bad data).
	ErrRejected = errors.New("gateway: request rejected")
	// ErrRefused: we decline a payment the gateway notified, because its order can no longer be
	// paid; a Refuser's Acknowledge answers so that the gateway voids it.
	ErrRefused = errors.New("gateway: payment refused: the order can no longer be paid")
	// ErrRefundNotFound: a RefundInquirer asked the gateway in a way that would find the refund,
	// and the gateway has none: the refund was never made.
	ErrRefundNotFound = errors.New("gateway: no such refund at the gateway")
	// ErrRefundNoLookup: a RefundInquirer cannot ask the gateway about this refund at all
	// (KNET without the refund's transaction id): only a person, in the gateway's portal, can.
	ErrRefundNoLookup = errors.New("gateway: the gateway cannot be asked about this refund")
)
