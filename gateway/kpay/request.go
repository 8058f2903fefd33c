package kpay

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/money"
)

// chargeRequest is the Create Charge body (spec §4.1, §2.8).
type chargeRequest struct {
	Amount         json.RawMessage   `json:"amount"`
	Currency       string            `json:"currency"`
	Description    string            `json:"description"`
	SourceType     string            `json:"source_type"`
	Mode           string            `json:"mode,omitempty"`
	ReferenceOrder string            `json:"reference_order"`
	Token          string            `json:"token,omitempty"`
	SaveCard       *bool             `json:"savecard,omitempty"`
	Ref1           string            `json:"ref_1,omitempty"`
	Ref2           string            `json:"ref_2,omitempty"`
	DCCData        *dccData          `json:"dcc_data,omitempty"`
	AdditionalData *additionalData   `json:"additional_data,omitempty"`
	SmartPay       *smartPay         `json:"smartpay,omitempty"`
	Metadata       map[string]string `json:"metadata,omitempty"`
}

type dccData struct {
	DCCCurrency string `json:"dcc_currency"`
}

type additionalData struct {
	MID        string `json:"mid"`
	SmartPayID string `json:"smartpay_id,omitempty"`
	Term       int    `json:"term,omitempty"`
}

type smartPay struct {
	PlanID      string `json:"plan_id"`
	IPanMode    string `json:"ipan_mode"`
	ProductType string `json:"product_type"`
	PaymentTerm string `json:"payment_term"`
	SupplierNo  string `json:"supplier_no"`
	ModelNo     string `json:"model_no"`
}

// orderRequest is the Create Order body (spec §4.7.1).
type orderRequest struct {
	Amount         json.RawMessage `json:"amount"`
	Currency       string          `json:"currency"`
	Description    string          `json:"description"`
	SourceType     string          `json:"source_type"`
	ReferenceOrder string          `json:"reference_order"`
	Ref1           string          `json:"ref_1,omitempty"`
	Ref2           string          `json:"ref_2,omitempty"`
}

// metaCallbackURL is the metadata key carrying the attempt's return URL (see doc.go).
const metaCallbackURL = "callback_url"

// Identifier checks, applied before an id goes into a URL path.
var (
	chargeIDPattern = regexp.MustCompile(`^chrg_[A-Za-z0-9_]{1,95}$`)
	orderIDPattern  = regexp.MustCompile(`^(order|ordr)_[A-Za-z0-9_]{1,94}$`)
	tokenPattern    = regexp.MustCompile(`^[A-Za-z0-9_-]{1,100}$`)
	midPattern      = regexp.MustCompile(`^[0-9]{1,22}$`)
	currencyPattern = regexp.MustCompile(`^[A-Z]{3}$`)
	referencePatt   = regexp.MustCompile(`^att[A-Za-z0-9]{1,47}$`)
)

// attemptPrefix is the prefix of our attempt ids.
const attemptPrefix = "att_"

// referenceFor derives reference_order from our attempt id: the id without its underscore
// ("att_3hT…" → "att3hT…"), letters and digits only, at most 50 characters, unique because the
// attempt id is.
func referenceFor(attemptID string) (string, error) {
	rest, ok := strings.CutPrefix(attemptID, attemptPrefix)
	ref := "att" + rest
	if !ok || !referencePatt.MatchString(ref) {
		return "", fmt.Errorf("kpay: %w: attempt id %q cannot make a reference_order", gateway.ErrRejected, clip(attemptID))
	}
	return ref, nil
}

// attemptIDFromReference is the inverse of referenceFor.
func attemptIDFromReference(ref string) (string, bool) {
	if !referencePatt.MatchString(ref) {
		return "", false
	}
	return attemptPrefix + ref[len("att"):], true
}

// formValue returns the value posted under name, compared case-insensitively (spec §10.1:
// the seed spells smartpayId/smartpayid and savecard/saveCard). Several different values
// under one name are refused.
func formValue(form url.Values, name string) (string, error) {
	var found []string
	for k, vs := range form {
		if !strings.EqualFold(k, name) {
			continue
		}
		for _, v := range vs {
			v = strings.TrimSpace(v)
			if !slices.Contains(found, v) {
				found = append(found, v)
			}
		}
	}
	switch len(found) {
	case 0:
		return "", nil
	case 1:
		return found[0], nil
	}
	return "", fmt.Errorf("%w: conflicting values for %q", gateway.ErrBadRequest, name)
}

// cardChargeRequest reads the K-Pay button's token post (spec §2.7) and builds Create Charge
// for the configured card mode (§2.8). Everything is checked before anything is sent: a
// missing token or a foreign MID charges nothing.
func (g *Gateway) cardChargeRequest(a gateway.Attempt, form url.Values, ref string) (*chargeRequest, error) {
	get := func(name string) (string, error) {
		v, err := formValue(form, name)
		if err != nil {
			return "", fmt.Errorf("kpay: token post: %w", err)
		}
		return v, nil
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("kpay: token post: %w: "+format, append([]any{gateway.ErrBadRequest}, args...)...)
	}
	token, err := get("token")
	if err != nil {
		return nil, err
	}
	if token == "" {
		return nil, bad("no token")
	}
	if !tokenPattern.MatchString(token) {
		return nil, bad("malformed token")
	}
	mid, err := get("mid")
	if err != nil {
		return nil, err
	}
	if !midPattern.MatchString(mid) || !g.ownMID(mid) {
		return nil, bad("mid is not one of ours")
	}
	if pm, err := get("paymentMethods"); err != nil {
		return nil, err
	} else if pm != "" && !strings.EqualFold(pm, "card") {
		return nil, bad("paymentMethods %q is not card", clip(pm))
	}
	body := &chargeRequest{
		Amount:         amountLiteral(a.Amount),
		Currency:       a.Amount.Currency().Code,
		Description:    description(a),
		SourceType:     "card",
		Mode:           "token",
		ReferenceOrder: ref,
		Token:          token,
		Ref1:           clipTo(a.OrderID, 128),
		Ref2:           clipTo(a.Reference, 128),
		AdditionalData: &additionalData{MID: mid},
		Metadata:       callbackMetadata(a.ReturnURL),
	}
	if sc, err := get("savecard"); err != nil {
		return nil, err
	} else if sc != "" {
		b, perr := strconv.ParseBool(sc)
		if perr != nil {
			return nil, bad("savecard %q is not a boolean", clip(sc))
		}
		body.SaveCard = &b
	}
	if dcc, err := get("dcc_currency"); err != nil {
		return nil, err
	} else if dcc != "" {
		dcc = strings.ToUpper(dcc)
		if !currencyPattern.MatchString(dcc) {
			return nil, bad("malformed dcc_currency")
		}
		body.DCCData = &dccData{DCCCurrency: dcc}
	}
	switch g.cfg.CardMode {
	case CardModeSmartPayID:
		if id, err := get("smartpayId"); err != nil {
			return nil, err
		} else if id != "" && id != g.cfg.SmartPayID {
			return nil, bad("smartpayId is not ours")
		}
		term, err := g.postedTerm(get)
		if err != nil {
			return nil, err
		}
		body.AdditionalData.SmartPayID = g.cfg.SmartPayID
		body.AdditionalData.Term = term
	case CardModeInstallmentPlan:
		p := g.cfg.Plan
		for _, f := range []struct{ name, want string }{
			{"planid", p.PlanID}, {"ipanmode", p.IPanMode}, {"producttype", p.ProductType},
			{"supplierno", p.SupplierNo}, {"modelno", p.ModelNo},
		} {
			v, err := get(f.name)
			if err != nil {
				return nil, err
			}
			if v != "" && v != f.want {
				return nil, bad("%s is not our installment plan's", f.name)
			}
		}
		term, err := g.postedTerm(get)
		if err != nil {
			return nil, err
		}
		body.SmartPay = &smartPay{
			PlanID: p.PlanID, IPanMode: p.IPanMode, ProductType: p.ProductType,
			PaymentTerm: strconv.Itoa(term), SupplierNo: p.SupplierNo, ModelNo: p.ModelNo,
		}
	}
	return body, nil
}

// postedTerm reads the installment term of a SmartPay token post; with a single configured
// term, a missing one means that term.
func (g *Gateway) postedTerm(get func(string) (string, error)) (int, error) {
	v, err := get("term")
	if err != nil {
		return 0, err
	}
	if v == "" {
		if len(g.cfg.Terms) == 1 {
			return g.cfg.Terms[0], nil
		}
		return 0, fmt.Errorf("kpay: token post: %w: no installment term", gateway.ErrBadRequest)
	}
	t, err := strconv.Atoi(v)
	if err != nil || t < 1 || t > 99 {
		return 0, fmt.Errorf("kpay: token post: %w: malformed term", gateway.ErrBadRequest)
	}
	if len(g.cfg.Terms) > 0 && !slices.Contains(g.cfg.Terms, t) {
		return 0, fmt.Errorf("kpay: token post: %w: term %d is not offered", gateway.ErrBadRequest, t)
	}
	return t, nil
}

// ownMID reports whether mid is one of the configured merchant ids.
func (g *Gateway) ownMID(mid string) bool {
	return mid != "" && (mid == g.cfg.MID || mid == g.cfg.DCCMID)
}

// redirectChargeRequest builds Create Charge for UnionPay or Alipay (spec §3.4, §3.5).
func (g *Gateway) redirectChargeRequest(a gateway.Attempt, ref string) *chargeRequest {
	body := &chargeRequest{
		Amount:         amountLiteral(a.Amount),
		Currency:       a.Amount.Currency().Code,
		Description:    description(a),
		SourceType:     a.Method, // "unionpay" or "alipay"
		ReferenceOrder: ref,
		Ref1:           clipTo(a.OrderID, 128),
		Ref2:           clipTo(a.Reference, 128),
		Metadata:       callbackMetadata(a.ReturnURL),
	}
	if a.Method == gateway.MethodUnionPay { // the UnionPay sample carries the MID; Alipay's does not
		body.AdditionalData = &additionalData{MID: g.cfg.MID}
	}
	return body
}

// callbackMetadata carries the attempt's return URL (see doc.go, "Callback URL").
func callbackMetadata(returnURL string) map[string]string {
	if returnURL == "" {
		return nil
	}
	return map[string]string{metaCallbackURL: returnURL}
}

// amountLiteral is the amount as a JSON number with exactly the currency's decimals
// ("200.50"), never through a float.
func amountLiteral(a money.Amount) json.RawMessage {
	return json.RawMessage(a.String())
}
