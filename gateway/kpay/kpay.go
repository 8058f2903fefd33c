package kpay

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/gateway/internal/wire"
	"github.com/bawaba/checkout/money"
)

// Name is the gateway's id.
const Name = "kpay"

// K-Payment Gateway's hosts (spec §1.4).
const (
	LiveUIBaseURL     = "https://kpaymentgateway.kasikornbank.com"
	LiveAPIBaseURL    = "https://kpaymentgateway-services.kasikornbank.com"
	SandboxUIBaseURL  = "https://dev-kpaymentgateway.kasikornbank.com"
	SandboxAPIBaseURL = "https://dev-kpaymentgateway-services.kasikornbank.com"
)

// scriptPath is where the K-Pay button script lives under the UI host (spec §2.1).
const scriptPath = "/ui/v2/kpayment.min.js"

// Card modes: which K-Pay button variant (spec §2.2–§2.4) the card method uses.
const (
	CardModeFull            = "full"             // Full Payment, MCC (§2.2)
	CardModeDCC             = "dcc"              // Full Payment, DCC (§2.3), THB priced
	CardModeSmartPayID      = "smartpay_id"      // SmartPay installments via SmartpayID (§2.4.1)
	CardModeInstallmentPlan = "installment_plan" // SmartPay installments via Installment Plan (§2.4.3)
)

// InstallmentPlan holds one row of the merchant's "Installment Plan Report" (spec §2.4.2), used
// for CardModeInstallmentPlan.
type InstallmentPlan struct {
	PlanID      string // PlanID → data-plan-id, smartpay.plan_id (e.g. "999")
	IPanMode    string // IPanMode → data-ipan-mode, smartpay.ipan_mode ("01", "02", "03")
	ProductType string // ProductType → data-product-type, smartpay.product_type (e.g. "003")
	SupplierNo  string // SupplierNo. → data-supplier-no, smartpay.supplier_no (e.g. "99903")
	ModelNo     string // ModelNo. → data-model-no, smartpay.model_no (e.g. "123456")
}

// Config configures the connector.
type Config struct {
	// UIBaseURL is the host of kpayment.min.js: LiveUIBaseURL, SandboxUIBaseURL, or the
	// simulator's "http://127.0.0.1:PORT/sandbox/kpay". The script is
	// {UIBaseURL}/ui/v2/kpayment.min.js. Empty means LiveUIBaseURL when Live, else
	// SandboxUIBaseURL.
	UIBaseURL string
	// APIBaseURL is the REST host ("/card/v2/charge" is appended). Empty means UIBaseURL when
	// UIBaseURL is set (the simulator serves both), else LiveAPIBaseURL or SandboxAPIBaseURL.
	APIBaseURL string
	// PublicKey (pkey_…) goes to the page as data-apikey.
	PublicKey string
	// SecretKey (skey_…) is the x-api-key of every API call and the salt of the webhook
	// checksum. It is never put on a page, in a URL, an error or Raw.
	SecretKey string
	// MID is the merchant id of the Full Payment MCC (or SmartPay) button: data-mid and
	// additional_data.mid.
	MID string
	// DCCMID is the Full DCC merchant id, used as data-mid when CardMode is "dcc".
	DCCMID string
	// CardMode is "full" (default), "dcc", "smartpay_id" or "installment_plan".
	CardMode string
	// SmartPayID is data-smartpay-id and additional_data.smartpay_id for "smartpay_id".
	SmartPayID string
	// Terms are the installment terms (numbers of months) the merchant allows for the two
	// SmartPay modes, e.g. 3, 4, 6, 10. With exactly one, it is sent as data-term; a posted
	// term outside the list is refused. Empty allows any term from 1 to 99.
	Terms []int
	// Plan is the installment plan for "installment_plan".
	Plan InstallmentPlan
	// CardCurrencies are the currencies the card method takes (the MID's MCC currencies);
	// default ["THB"]. DCC is THB only whatever is listed.
	CardCurrencies []string
	// ShopName is data-name (K-Pay shows at most 15 characters).
	ShopName string
	// HTTPClient is used for every call; nil means a client with a 20 s timeout.
	HTTPClient *http.Client
	// Live: a live connector refuses objects KBank marks "livemode": false.
	Live bool
}

// Validate reports configuration mistakes, for the start-up check. New does not call it.
func (c Config) Validate() error {
	var problems []string
	if c.SecretKey == "" {
		problems = append(problems, "SecretKey is required")
	}
	if c.PublicKey == "" {
		problems = append(problems, "PublicKey is required")
	}
	for _, u := range []string{c.UIBaseURL, c.APIBaseURL} {
		if u == "" {
			continue
		}
		if p, err := url.Parse(u); err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			problems = append(problems, fmt.Sprintf("base URL %q is not an absolute http(s) URL", u))
		}
	}
	switch c.mode() {
	case CardModeFull:
		if c.MID == "" {
			problems = append(problems, "MID is required")
		}
	case CardModeDCC:
		if c.DCCMID == "" {
			problems = append(problems, "DCCMID is required for CardMode dcc")
		}
	case CardModeSmartPayID:
		if c.MID == "" || c.SmartPayID == "" {
			problems = append(problems, "MID and SmartPayID are required for CardMode smartpay_id")
		}
	case CardModeInstallmentPlan:
		p := c.Plan
		if c.MID == "" || p.PlanID == "" || p.IPanMode == "" || p.ProductType == "" || p.SupplierNo == "" || p.ModelNo == "" {
			problems = append(problems, "MID and every Plan field are required for CardMode installment_plan")
		}
	default:
		problems = append(problems, fmt.Sprintf("unknown CardMode %q", c.CardMode))
	}
	for _, t := range c.Terms {
		if t < 1 || t > 99 {
			problems = append(problems, fmt.Sprintf("term %d is not within 1–99", t))
		}
	}
	for _, cur := range c.CardCurrencies {
		if cc, ok := money.LookupCurrency(cur); !ok || cc.Scale > 2 {
			problems = append(problems, fmt.Sprintf("card currency %q is unknown or has more than 2 decimals", cur))
		}
	}
	if len(problems) > 0 {
		return errors.New("kpay: config: " + strings.Join(problems, "; "))
	}
	return nil
}

func (c Config) mode() string {
	if c.CardMode == "" {
		return CardModeFull
	}
	return c.CardMode
}

// Gateway is the K-Payment Gateway connector. It implements gateway.Gateway, Embedder,
// OfflineStarter, Acknowledger, Refunder, Voider and Capturer.
type Gateway struct {
	cfg    Config
	ui     string
	api    string
	client *http.Client
	now    func() time.Time
}

var (
	_ gateway.Gateway        = (*Gateway)(nil)
	_ gateway.Embedder       = (*Gateway)(nil)
	_ gateway.OfflineStarter = (*Gateway)(nil)
	_ gateway.Acknowledger   = (*Gateway)(nil)
	_ gateway.Refunder       = (*Gateway)(nil)
	_ gateway.Voider         = (*Gateway)(nil)
	_ gateway.Capturer       = (*Gateway)(nil)
)

// New returns the connector for cfg. Call cfg.Validate at start-up to catch mistakes early.
func New(cfg Config) *Gateway {
	c := wire.DefaultClient(cfg.HTTPClient, 20*time.Second)
	ui, api := strings.TrimRight(cfg.UIBaseURL, "/"), strings.TrimRight(cfg.APIBaseURL, "/")
	switch {
	case ui == "" && cfg.Live:
		ui = LiveUIBaseURL
	case ui == "":
		ui = SandboxUIBaseURL
	}
	switch {
	case api == "" && cfg.UIBaseURL != "":
		api = ui
	case api == "" && cfg.Live:
		api = LiveAPIBaseURL
	case api == "":
		api = SandboxAPIBaseURL
	}
	if len(cfg.CardCurrencies) == 0 {
		cfg.CardCurrencies = []string{"THB"}
	}
	cfg.CardMode = cfg.mode()
	return &Gateway{cfg: cfg, ui: ui, api: api, client: c, now: time.Now}
}

// Name returns "kpay".
func (g *Gateway) Name() string { return Name }

// Supports reports whether the method can be paid in the currency: cards in CardCurrencies
// (THB only in DCC mode; never a currency with more than two decimals, which K-Pay's
// Decimal(12,2) amounts cannot carry); Thai QR, WeChat Pay, UnionPay and Alipay in THB.
func (g *Gateway) Supports(method, currency string) bool {
	switch method {
	case gateway.MethodCard:
		if g.cardMID() == "" {
			return false
		}
		if g.cfg.CardMode == CardModeDCC {
			return currency == "THB"
		}
		c, ok := money.LookupCurrency(currency)
		return ok && c.Scale <= 2 && slices.Contains(g.cfg.CardCurrencies, currency)
	case gateway.MethodThaiQR, gateway.MethodWeChat, gateway.MethodAlipay:
		return currency == "THB"
	case gateway.MethodUnionPay:
		return currency == "THB" && g.cfg.MID != ""
	}
	return false
}

// StartsOffline reports that a card attempt starts without calling K-Pay (Start only builds
// the card button), so the order service creates it, started, in one transaction.
func (g *Gateway) StartsOffline(method string) bool { return method == gateway.MethodCard }

// cardEmbed is the K-Pay card button for the configured CardMode (spec §2.2–§2.4). It calls
// nothing.
func (g *Gateway) cardEmbed(a gateway.Attempt) *gateway.Embed {
	attrs := []gateway.Field{
		{Name: "data-apikey", Value: g.cfg.PublicKey},
		{Name: "data-amount", Value: a.Amount.String()},
	}
	if g.cfg.CardMode != CardModeDCC { // the DCC button has no data-currency (§2.3): THB priced
		attrs = append(attrs, gateway.Field{Name: "data-currency", Value: a.Amount.Currency().Code})
	}
	attrs = append(attrs, gateway.Field{Name: "data-payment-methods", Value: "card"})
	if n := shopName(g.cfg.ShopName); n != "" {
		attrs = append(attrs, gateway.Field{Name: "data-name", Value: n})
	}
	attrs = append(attrs, gateway.Field{Name: "data-mid", Value: g.cardMID()})
	switch g.cfg.CardMode {
	case CardModeSmartPayID:
		// §14.7: the table says data-smartpay-id, the sample data-smartpayid; both are sent.
		attrs = append(attrs,
			gateway.Field{Name: "data-smartpay-id", Value: g.cfg.SmartPayID},
			gateway.Field{Name: "data-smartpayid", Value: g.cfg.SmartPayID})
	case CardModeInstallmentPlan:
		p := g.cfg.Plan
		attrs = append(attrs,
			gateway.Field{Name: "data-plan-id", Value: p.PlanID},
			gateway.Field{Name: "data-ipan-mode", Value: p.IPanMode},
			gateway.Field{Name: "data-product-type", Value: p.ProductType},
			gateway.Field{Name: "data-supplier-no", Value: p.SupplierNo},
			gateway.Field{Name: "data-model-no", Value: p.ModelNo})
	}
	if (g.cfg.CardMode == CardModeSmartPayID || g.cfg.CardMode == CardModeInstallmentPlan) && len(g.cfg.Terms) == 1 {
		attrs = append(attrs, gateway.Field{Name: "data-term", Value: strconv.Itoa(g.cfg.Terms[0])})
	}
	return g.embed(attrs)
}

// embed wraps the script's attributes with its URL and the origins our page's CSP must allow.
func (g *Gateway) embed(attrs []gateway.Field) *gateway.Embed {
	e := &gateway.Embed{ScriptURL: g.ui + scriptPath, Attributes: attrs}
	if o := origin(g.ui); o != "" {
		e.ScriptOrigins = []string{o}
		e.FrameOrigins = []string{o}
	}
	return e
}

// Start begins the payment (see the package doc, "One embed path"):
//   - card: calls nothing → Embed the K-Pay card button; Continue charges the token it posts.
//   - unionpay, alipay: Create Charge with that source_type → Redirect to redirect_url.
//   - thaiqr, wechat: Create Order → Embed the K-Pay QR button; Continue reads the order once
//     the button posts its chargeId.
func (g *Gateway) Start(ctx context.Context, a gateway.Attempt) (gateway.Started, error) {
	if !g.Supports(a.Method, a.Amount.Currency().Code) {
		return gateway.Started{}, fmt.Errorf("kpay: start: %w: method %q in %q is not supported", gateway.ErrRejected,
			a.Method, a.Amount.Currency().Code)
	}
	if !a.Amount.IsPositive() {
		return gateway.Started{}, fmt.Errorf("kpay: start: %w: amount must be positive", gateway.ErrRejected)
	}
	ref, err := referenceFor(a.ID)
	if err != nil {
		return gateway.Started{}, err
	}
	switch a.Method {
	case gateway.MethodCard:
		return gateway.Started{Action: gateway.Action{Kind: gateway.ActionEmbed, Embed: g.cardEmbed(a)}}, nil
	case gateway.MethodUnionPay, gateway.MethodAlipay:
		return g.startCharge(ctx, g.redirectChargeRequest(a, ref))
	case gateway.MethodThaiQR, gateway.MethodWeChat:
		return g.startQR(ctx, a, ref)
	}
	return gateway.Started{}, fmt.Errorf("kpay: start: %w: method %q", gateway.ErrRejected, a.Method)
}

// startCharge sends Create Charge and turns the answer into the shopper's next step.
func (g *Gateway) startCharge(ctx context.Context, body *chargeRequest) (gateway.Started, error) {
	raw, c, err := g.createCharge(ctx, body)
	if err != nil {
		return gateway.Started{}, err
	}
	res := g.chargeResult(raw, c, false)
	st := gateway.Started{PaymentID: c.ID}
	if res.Status == gateway.StatusPending {
		u, ok := absoluteURL(string(c.RedirectURL))
		if !ok {
			return gateway.Started{}, fmt.Errorf("kpay: create charge %s: %w: %s/%s without a redirect_url",
				c.ID, gateway.ErrUnavailable, clip(c.TransactionState), clip(c.Status))
		}
		st.Action = gateway.Action{Kind: gateway.ActionRedirect, URL: u}
		return st, nil
	}
	// Final at once (non-3-D Secure, or refused): nothing more in the browser.
	st.Action = gateway.Action{Kind: gateway.ActionWait}
	st.Result = &res
	return st, nil
}

// startQR creates the QR/WeChat order and returns the K-Pay QR button (spec §2.5, §3.3).
func (g *Gateway) startQR(ctx context.Context, a gateway.Attempt, ref string) (gateway.Started, error) {
	source := "qr"
	if a.Method == gateway.MethodWeChat {
		source = "wechat"
	}
	o, err := g.createOrder(ctx, &orderRequest{
		Amount:         amountLiteral(a.Amount),
		Currency:       a.Amount.Currency().Code,
		Description:    description(a),
		SourceType:     source,
		ReferenceOrder: ref,
		Ref1:           clipTo(a.OrderID, 128),
		Ref2:           clipTo(a.Reference, 128),
	})
	if err != nil {
		return gateway.Started{}, err
	}
	ttl := 3600 * time.Second // spec §4.7.1 sample and §10.2
	if s, err := strconv.Atoi(strings.TrimSpace(string(o.ExpireTimeSeconds))); err == nil && s > 0 {
		ttl = time.Duration(s) * time.Second
	}
	expires := g.now().Add(ttl)
	if !a.ExpiresAt.IsZero() && a.ExpiresAt.Before(expires) {
		expires = a.ExpiresAt
	}
	attrs := []gateway.Field{
		{Name: "data-apikey", Value: g.cfg.PublicKey},
		{Name: "data-amount", Value: a.Amount.String()},
		{Name: "data-payment-methods", Value: source},
		{Name: "data-order-id", Value: o.ID},
	}
	if n := shopName(g.cfg.ShopName); n != "" {
		attrs = append(attrs, gateway.Field{Name: "data-name", Value: n})
	}
	return gateway.Started{
		Action:    gateway.Action{Kind: gateway.ActionEmbed, Embed: g.embed(attrs)},
		PaymentID: o.ID,
		State:     map[string]string{stateQRExpires: expires.UTC().Format(time.RFC3339)},
	}, nil
}

// stateQRExpires is the State key holding when the QR order stops being payable.
const stateQRExpires = "qr_expires_at"

// Continue takes on what the K-Pay button posted into our attempt page's form
// (gateway.Embedder, spec §2.7):
//   - card: the token and its fields are checked (anything wrong is gateway.ErrBadRequest and
//     nothing is sent), then charged with Create Charge; 3-D Secure → Redirect to
//     redirect_url; otherwise the charge is final → Wait with its Result.
//   - thaiqr, wechat: the posted chargeId is only a trigger and is ignored: the attempt's own
//     order is read with Inquiry QR, as Return does. When K-Pay cannot be asked now the answer
//     is no Result (not an error, which would fail the attempt): the webhook and the
//     reconciler tell later.
func (g *Gateway) Continue(ctx context.Context, a gateway.Attempt, form url.Values) (gateway.Started, error) {
	switch {
	case a.Method == gateway.MethodCard:
		ref, err := referenceFor(a.ID)
		if err != nil {
			return gateway.Started{}, err
		}
		body, err := g.cardChargeRequest(a, form, ref)
		if err != nil {
			return gateway.Started{}, err
		}
		return g.startCharge(ctx, body)
	case isQR(a.Method):
		res, err := g.inquireQR(ctx, a)
		if err != nil {
			return gateway.Started{}, nil
		}
		return gateway.Started{Result: &res}, nil
	}
	return gateway.Started{}, fmt.Errorf("kpay: continue: %w: method %q has no K-Pay button", gateway.ErrBadRequest, a.Method)
}

// Return handles the browser coming back: the 3-D Secure / UnionPay / Alipay Callback URL
// (objectId, status, …) or the QR button's post (chargeId). None of it is believed: the
// charge is read from K-Pay and mapped.
func (g *Gateway) Return(ctx context.Context, a gateway.Attempt, query url.Values) (gateway.Result, error) {
	if a.PaymentID == "" {
		return gateway.Result{}, fmt.Errorf("kpay: return: %w: the attempt has no K-Pay payment", gateway.ErrBadRequest)
	}
	if isQR(a.Method) {
		// The posted chargeId is ignored: the order we created is asked for its charge.
		return g.inquireQR(ctx, a)
	}
	hint, err := formValue(query, "objectId")
	if err != nil {
		return gateway.Result{}, fmt.Errorf("kpay: return: %w", err)
	}
	if hint != "" && hint != a.PaymentID {
		return gateway.Result{}, fmt.Errorf("kpay: return: %w: objectId is not the attempt's charge", gateway.ErrBadRequest)
	}
	return g.inquireCharge(ctx, a)
}

// LocateReturn finds the attempt of a return to the merchant's one registered Callback URL
// (our /return/kpay, spec §3.1 step 18): its objectId is the charge id Start recorded as the
// attempt's PaymentID (gateway.ReturnLocator). It proves nothing: Return still inquires.
func (g *Gateway) LocateReturn(query url.Values) (gateway.AttemptRef, error) {
	id, err := formValue(query, "objectId")
	if err != nil {
		return gateway.AttemptRef{}, fmt.Errorf("kpay: return: %w", err)
	}
	if id == "" || len(id) > 64 || strings.ContainsFunc(id, func(r rune) bool {
		return !(r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}) {
		return gateway.AttemptRef{}, fmt.Errorf("kpay: return: %w: no usable objectId", gateway.ErrBadRequest)
	}
	return gateway.AttemptRef{PaymentID: id}, nil
}

// Inquire asks K-Pay for the attempt's status: Inquiry Transaction (§4.2) for cards, UnionPay
// and Alipay — by charge id, or by our reference_order when Start never learnt the id — and
// Inquiry QR (§4.8.1) by order id for Thai QR and WeChat Pay.
func (g *Gateway) Inquire(ctx context.Context, a gateway.Attempt) (gateway.Result, error) {
	if isQR(a.Method) {
		if a.PaymentID == "" {
			return gateway.Result{Status: gateway.StatusUnknown}, nil
		}
		return g.inquireQR(ctx, a)
	}
	return g.inquireCharge(ctx, a)
}

// inquireCharge reads the attempt's card/UnionPay/Alipay charge.
func (g *Gateway) inquireCharge(ctx context.Context, a gateway.Attempt) (gateway.Result, error) {
	key := a.PaymentID
	if key == "" {
		ref, err := referenceFor(a.ID)
		if err != nil {
			return gateway.Result{}, err
		}
		key = ref
	} else if !chargeIDPattern.MatchString(key) {
		return gateway.Result{}, fmt.Errorf("kpay: inquiry: %w: malformed charge id", gateway.ErrBadRequest)
	}
	raw, c, err := g.getCharge(ctx, key)
	if err != nil {
		if isNotFound(err) && a.PaymentID == "" {
			// Start never got as far as a charge.
			return g.notYet(a, "no charge for this attempt"), nil
		}
		return gateway.Result{}, err
	}
	if a.PaymentID != "" && c.ID != a.PaymentID {
		return gateway.Result{}, fmt.Errorf("kpay: inquiry %s: %w: K-Pay answered for another charge", a.PaymentID, gateway.ErrUnavailable)
	}
	return g.chargeResult(raw, c, false), nil
}

// inquireQR reads the charge of the attempt's QR/WeChat order; before payment there is none.
func (g *Gateway) inquireQR(ctx context.Context, a gateway.Attempt) (gateway.Result, error) {
	if !orderIDPattern.MatchString(a.PaymentID) {
		return gateway.Result{}, fmt.Errorf("kpay: inquiry QR: %w: malformed order id", gateway.ErrBadRequest)
	}
	op := "inquiry QR " + a.PaymentID
	raw, err := g.call(ctx, http.MethodGet, "/qr/v2/qr/"+a.PaymentID, nil, op)
	if err != nil {
		// K-Pay answers an unpaid QR that can no longer be paid with an error (spec §9.2).
		switch apiErrorCode(err) {
		case "qr_expired":
			return gateway.Result{Status: gateway.StatusExpired, Reason: gateway.ReasonExpired, PaymentID: a.PaymentID,
				GatewayCode: "qr_expired", GatewayMessage: "the QR expired unpaid"}, nil
		case "qr_cancelled":
			return gateway.Result{Status: gateway.StatusCancelled, Reason: gateway.ReasonCancelled, PaymentID: a.PaymentID,
				GatewayCode: "qr_cancelled", GatewayMessage: "the QR was cancelled unpaid"}, nil
		}
		if isNotFound(err) {
			return g.notYet(a, "the QR is not paid yet"), nil
		}
		return gateway.Result{}, err
	}
	c, err := decodeCharge(raw)
	if err != nil {
		return gateway.Result{}, &apiError{op: op, kind: gateway.ErrUnavailable, message: "unreadable charge"}
	}
	if err := g.checkLive(c.Livemode, op); err != nil {
		return gateway.Result{}, err
	}
	if c.OrderID != "" && string(c.OrderID) != a.PaymentID {
		return gateway.Result{}, fmt.Errorf("kpay: %s: %w: K-Pay answered for another order", op, gateway.ErrUnavailable)
	}
	st, _ := mapState(c.TransactionState, c.Status, string(c.FailureCode), true)
	if !chargeIDPattern.MatchString(c.ID) {
		// No charge yet (K-Pay may answer with the order itself): not paid yet, unless it
		// says the QR expired or was cancelled.
		if c.ID != "" && c.ID != a.PaymentID {
			return gateway.Result{}, &apiError{op: op, kind: gateway.ErrUnavailable, message: "malformed charge id"}
		}
		if st == gateway.StatusExpired || st == gateway.StatusCancelled {
			r := g.chargeResult(raw, c, true)
			r.PaymentID, r.TransactionID = a.PaymentID, ""
			return r, nil
		}
		return g.notYet(a, "the QR is not paid yet"), nil
	}
	if st == gateway.StatusUnknown && strings.TrimSpace(c.TransactionState) == "" {
		return g.notYet(a, "the QR is not paid yet"), nil
	}
	return g.chargeResult(raw, c, true), nil
}

// notYet is the result for a payment K-Pay has no charge for: pending while it can still be
// paid, expired after.
func (g *Gateway) notYet(a gateway.Attempt, why string) gateway.Result {
	deadline := a.ExpiresAt
	if t, err := time.Parse(time.RFC3339, a.State[stateQRExpires]); err == nil && (deadline.IsZero() || t.Before(deadline)) {
		deadline = t
	}
	r := gateway.Result{Status: gateway.StatusPending, PaymentID: a.PaymentID, GatewayMessage: why}
	if !deadline.IsZero() && g.now().After(deadline.Add(2*time.Minute)) {
		r.Status = gateway.StatusExpired
	}
	return r
}

// Webhook verifies a WebHook Notify (§5: card, QR, Alipay) by its checksum (§6), in constant
// time, then confirms it with the matching inquiry API and reports what the inquiry says.
func (g *Gateway) Webhook(ctx context.Context, req gateway.WebhookRequest) ([]gateway.Notification, error) {
	n, err := parseNotify(req.Body)
	if err != nil {
		return nil, fmt.Errorf("kpay: webhook: %w: body is not a K-Pay notification", gateway.ErrBadRequest)
	}
	if !verifyChecksum(n, g.cfg.SecretKey) {
		return nil, fmt.Errorf("kpay: webhook: %w", gateway.ErrSignature)
	}
	id := n.str("id")
	if !chargeIDPattern.MatchString(id) {
		return nil, fmt.Errorf("kpay: webhook: %w: malformed charge id", gateway.ErrBadRequest)
	}
	var res gateway.Result
	if n.isQR() {
		raw, c, err := g.getQR(ctx, id)
		if err != nil {
			return nil, err
		}
		if c.ID != id {
			return nil, fmt.Errorf("kpay: webhook: inquiry QR %s: %w: K-Pay answered for another charge", id, gateway.ErrUnavailable)
		}
		res = g.chargeResult(raw, c, true)
	} else {
		raw, c, err := g.getCharge(ctx, id)
		if err != nil {
			return nil, err
		}
		if c.ID != id {
			return nil, fmt.Errorf("kpay: webhook: inquiry %s: %w: K-Pay answered for another charge", id, gateway.ErrUnavailable)
		}
		res = g.chargeResult(raw, c, false)
	}
	attemptID, _ := attemptIDFromReference(res.TrackID)
	return []gateway.Notification{{
		Ref:    gateway.AttemptRef{AttemptID: attemptID, PaymentID: res.PaymentID},
		Result: res,
	}}, nil
}

// Acknowledge answers K-Pay's webhook with a bare 200 OK (spec §5: no body needed). When the
// notification failed (bad checksum, unavailable inquiry) the handler's own error status is
// used, so that a failed delivery can be retried.
func (g *Gateway) Acknowledge(_ []gateway.Notification, err error, _ func(string) string) gateway.Reply {
	if err != nil {
		return gateway.Reply{}
	}
	return gateway.Reply{Status: http.StatusOK, ContentType: "text/plain; charset=utf-8"}
}

// cardMID is the MID the card button is embedded with.
func (g *Gateway) cardMID() string {
	if g.cfg.CardMode == CardModeDCC {
		return g.cfg.DCCMID
	}
	return g.cfg.MID
}

func isQR(method string) bool {
	return method == gateway.MethodThaiQR || method == gateway.MethodWeChat
}

// origin returns scheme://host of an absolute URL, or "".
func origin(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.Scheme == "" || p.Host == "" {
		return ""
	}
	return p.Scheme + "://" + p.Host
}

// absoluteURL returns u when it is an absolute http(s) URL.
func absoluteURL(u string) (string, bool) {
	u = strings.TrimSpace(u)
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
		return "", false
	}
	return u, true
}

// shopName is data-name: at most 15 characters (spec §2.2 Varchar(15)), cut at a word boundary
// when there is one ("Bawaba Demo Shop" → "Bawaba Demo"), so K-Pay's form shows no broken word.
func shopName(s string) string {
	s = strings.TrimSpace(s)
	clipped := clipTo(s, 15)
	if clipped == s {
		return s
	}
	if i := strings.LastIndex(clipped, " "); i > 0 {
		return strings.TrimSpace(clipped[:i])
	}
	return clipped
}

// description is Create Charge/Order's mandatory description (String(255)).
func description(a gateway.Attempt) string {
	d := strings.TrimSpace(a.Description)
	if d == "" {
		d = "Order " + wire.FirstNonEmpty(a.Reference, a.OrderID, a.ID)
	}
	return clipTo(d, 255)
}

// clipTo cuts s to at most n characters.
func clipTo(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

// clip bounds a gateway string before it goes into an error.
func clip(s string) string { return clipTo(strings.TrimSpace(s), 120) }
