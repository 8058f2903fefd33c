package kpay

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"math/big"
)

// The JSON objects of spec §4 and §5, fields in the seed's order. Amounts
// are json.RawMessage number text built from cents, never floats.

type sourceJSON struct {
	ID          string `json:"id"`
	Object      string `json:"object"`
	Brand       string `json:"brand"`
	CardMasking string `json:"card_masking,omitempty"`
	IssuerBank  string `json:"issuer_bank,omitempty"`
}

type mpiJSON struct {
	ECI      string `json:"eci"`
	XID      string `json:"xid"`
	CAVV     string `json:"cavv"`
	KBankMPI bool   `json:"kbank_mpi"`
	Version  int    `json:"version,omitempty"`
	DTransID string `json:"dtransid,omitempty"`
}

type dccJSON struct {
	BahtAmount            json.RawMessage `json:"baht_amount"`
	Rate                  json.RawMessage `json:"rate"`
	ConvertedAmount       json.RawMessage `json:"converted_amount"`
	ConvertedCurrencyCode string          `json:"converted_currency_code"`
	ConvertedCurrencyName string          `json:"converted_currency_name"`
	MID                   string          `json:"mid"`
}

// settlementJSON carries the amount under both names the spec uses:
// settle_amount (samples) and settlement_amount (Refund table), §14.27.
type settlementJSON struct {
	SettleAmount     json.RawMessage `json:"settle_amount"`
	SettlementAmount json.RawMessage `json:"settlement_amount"`
	BahtAmount       json.RawMessage `json:"baht_amount"`
	ExchangeRate     json.RawMessage `json:"exchange_rate"`
	OrigAmount       json.RawMessage `json:"orig_amount"`
	OrigMDR          json.RawMessage `json:"orig_mdr"`
	OrigVAT          json.RawMessage `json:"orig_vat"`
	OrigNetAmount    json.RawMessage `json:"orig_net_amount"`
}

type refundJSON struct {
	RefundAmount  json.RawMessage `json:"refund_amount"`
	BahtAmount    json.RawMessage `json:"baht_amount"`
	ExchangeRate  json.RawMessage `json:"exchange_rate"`
	OrigAmount    json.RawMessage `json:"orig_amount"`
	OrigMDR       json.RawMessage `json:"orig_mdr"`
	OrigVAT       json.RawMessage `json:"orig_vat"`
	OrigNetAmount json.RawMessage `json:"orig_net_amount"`
	RefundID      string          `json:"refund_id"`
	ErrorCode     *string         `json:"error_code"`
	ErrorMessage  *string         `json:"error_message"`
	RefundDate    string          `json:"refund_date"`
}

// chargeJSON is the Charge object of the card endpoints (§4.1–§4.5).
type chargeJSON struct {
	ID               string          `json:"id"`
	Object           string          `json:"object"`
	Amount           json.RawMessage `json:"amount"`
	Currency         string          `json:"currency"`
	TransactionState string          `json:"transaction_state"`
	Source           sourceJSON      `json:"source"`
	Created          string          `json:"created"`
	Status           string          `json:"status"`
	Reason           json.RawMessage `json:"reason,omitempty"`
	RefundID         string          `json:"refund_id,omitempty"`
	Livemode         bool            `json:"livemode"`
	Metadata         json.RawMessage `json:"metadata"`
	FailureCode      *string         `json:"failure_code"`
	FailureMessage   *string         `json:"failure_message"`
	Description      string          `json:"description"`
	MPI              *mpiJSON        `json:"mpi"`
	RedirectURL      *string         `json:"redirect_url"`
	SettlementInfo   *settlementJSON `json:"settlement_info"`
	RefundInfo       []refundJSON    `json:"refund_info"`
	ApprovalCode     *string         `json:"approval_code"`
	MultiClearing    json.RawMessage `json:"multi_clearing"`
	Ref1             *string         `json:"ref_1"`
	Ref2             *string         `json:"ref_2"`
	Ref3             *string         `json:"ref_3"`
	DCCData          *dccJSON        `json:"dcc_data"`
	ReferenceOrder   string          `json:"reference_order"`
	CampaignID       *string         `json:"campaign_id"`
	Convfee          json.RawMessage `json:"convfee"`
	OrderID          string          `json:"order_id,omitempty"`
}

var jsonNull = json.RawMessage("null")

func raw(s string) json.RawMessage { return json.RawMessage(s) }

// nz is a JSON string, or null for "".
func nz(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func (c *charge) sourceJSON() sourceJSON {
	return sourceJSON{ID: c.src.id, Object: c.src.object, Brand: c.src.brand, CardMasking: c.src.masking, IssuerBank: c.src.issuer}
}

// cardObject renders a card-endpoint charge (card, UnionPay, Alipay).
func (c *charge) cardObject() chargeJSON {
	j := chargeJSON{
		ID:               c.id,
		Object:           "charge",
		Amount:           raw(jsonAmount(c.amount, c.currency)),
		Currency:         c.currency,
		TransactionState: c.state,
		Source:           c.sourceJSON(),
		Created:          kbankTime(c.created),
		Status:           c.status,
		Metadata:         c.metadata,
		FailureCode:      nz(c.failureCode),
		FailureMessage:   nz(c.failureMessage),
		Description:      c.description,
		RedirectURL:      nz(c.redirectURL),
		ApprovalCode:     nz(c.approval),
		MultiClearing:    jsonNull,
		Ref1:             nz(c.ref1),
		Ref2:             nz(c.ref2),
		Ref3:             nz(c.ref3),
		ReferenceOrder:   c.reference,
		CampaignID:       nz(c.campaignID),
		Convfee:          jsonNull,
		OrderID:          c.orderID,
	}
	if len(j.Metadata) == 0 {
		j.Metadata = raw("{}")
	}
	if c.mpi != nil {
		j.MPI = &mpiJSON{ECI: c.mpi.eci, XID: c.mpi.xid, CAVV: c.mpi.cavv, KBankMPI: true, Version: 2, DTransID: c.mpi.dtransid}
	}
	if c.dcc != nil {
		j.DCCData = &dccJSON{
			BahtAmount:            raw(amount4(c.dcc.baht)),
			Rate:                  raw(c.dcc.rate.text),
			ConvertedAmount:       raw(c.dcc.converted),
			ConvertedCurrencyCode: c.dcc.currency,
			ConvertedCurrencyName: c.dcc.rate.name,
			MID:                   c.dcc.mid,
		}
	}
	if c.settled > 0 {
		j.SettlementInfo = c.settlementJSON()
	}
	for _, r := range c.refunds {
		j.RefundInfo = append(j.RefundInfo, c.refundJSON(r))
	}
	return j
}

// bahtRate is the settlement exchange rate into THB: 1 for THB, the DCC
// table's rate where it has one, else 1 [GUESS].
func (c *charge) bahtRate() (*big.Rat, string) {
	if r, ok := dccRates[c.currency]; ok && c.currency != "THB" {
		return r.rate, r.text
	}
	return big.NewRat(1, 1), "1.0000"
}

// fees are the MDR (2.5% [GUESS], matching the §4.2 sample: 11 → 0.28) and
// its 7% VAT (0.28 → 0.02), with the net amount.
func fees(c int64) (mdr, vat, net int64) {
	mdr = percentOf(c, 25)
	vat = percentOf(mdr, 70)
	return mdr, vat, c - mdr - vat
}

func (c *charge) baht(cents int64) string {
	rate, _ := c.bahtRate()
	return ratText(new(big.Rat).Mul(big.NewRat(cents, 100), rate), 4)
}

func (c *charge) settlementJSON() *settlementJSON {
	_, rateText := c.bahtRate()
	mdr, vat, net := fees(c.settled)
	return &settlementJSON{
		SettleAmount:     raw(amount4(c.settled)),
		SettlementAmount: raw(amount4(c.settled)),
		BahtAmount:       raw(c.baht(c.settled)),
		ExchangeRate:     raw(rateText),
		OrigAmount:       raw(amount4(c.settled)),
		OrigMDR:          raw(amount4(mdr)),
		OrigVAT:          raw(amount4(vat)),
		OrigNetAmount:    raw(amount4(net)),
	}
}

func (c *charge) refundJSON(r *refund) refundJSON {
	_, rateText := c.bahtRate()
	mdr, vat, net := fees(r.amount)
	return refundJSON{
		RefundAmount:  raw(amount4(r.amount)),
		BahtAmount:    raw(c.baht(r.amount)),
		ExchangeRate:  raw(rateText),
		OrigAmount:    raw(amount4(r.amount)),
		OrigMDR:       raw(amount4(mdr)),
		OrigVAT:       raw(amount4(vat)),
		OrigNetAmount: raw(amount4(net)),
		RefundID:      r.id,
		RefundDate:    kbankTime(r.at),
	}
}

// qrChargeJSON is the charge of the QR API (§4.8.1, §4.8.2).
type qrChargeJSON struct {
	ID               string          `json:"id"`
	OrderID          string          `json:"order_id"`
	Object           string          `json:"object"`
	Amount           json.RawMessage `json:"amount"`
	Currency         string          `json:"currency"`
	TransactionState string          `json:"transaction_state"`
	Source           sourceJSON      `json:"source"`
	Created          string          `json:"created"`
	Status           string          `json:"status"`
	ReferenceOrder   string          `json:"reference_order"`
	Description      string          `json:"description"`
	Livemode         bool            `json:"livemode"`
	Metadata         json.RawMessage `json:"metadata"`
	FailureCode      *string         `json:"failure_code"`
	FailureMessage   *string         `json:"failure_message"`
}

func (c *charge) qrObject() qrChargeJSON {
	j := qrChargeJSON{
		ID: c.id, OrderID: c.orderID, Object: "charge",
		Amount: raw(jsonAmount(c.amount, c.currency)), Currency: c.currency,
		TransactionState: c.state, Source: c.sourceJSON(), Created: kbankTime(c.created),
		Status: c.status, ReferenceOrder: c.reference, Description: c.description,
		Metadata: c.metadata, FailureCode: nz(c.failureCode), FailureMessage: nz(c.failureMessage),
	}
	if len(j.Metadata) == 0 {
		j.Metadata = jsonNull
	}
	return j
}

// orderJSON is the Order object (§4.7).
type orderJSON struct {
	ID                string          `json:"id"`
	Object            string          `json:"object"`
	Amount            json.RawMessage `json:"amount"`
	Currency          string          `json:"currency"`
	Customer          *customerRef    `json:"customer,omitempty"`
	Description       string          `json:"description"`
	Metadata          json.RawMessage `json:"metadata,omitempty"`
	ReferenceOrder    string          `json:"reference_order"`
	SourceType        string          `json:"source_type"`
	AdditionalData    orderAdditional `json:"additional_data"`
	Status            string          `json:"status"`
	Created           string          `json:"created"`
	Livemode          bool            `json:"livemode"`
	FailureCode       *string         `json:"failure_code"`
	FailureMessage    *string         `json:"failure_message"`
	ExpireTimeSeconds int64           `json:"expire_time_seconds"`
}

type customerRef struct {
	CustomerID string `json:"customer_id"`
}

type orderAdditional struct {
	Term       *string `json:"term"`
	MID        *string `json:"mid"`
	TID        *string `json:"tid"`
	SmartpayID *string `json:"smartpay_id"`
	CampaignID *string `json:"campaign_id"`
}

func (o *order) object() orderJSON {
	j := orderJSON{
		ID: o.id, Object: "order", Amount: raw(jsonAmount(o.amount, o.currency)), Currency: o.currency,
		Description: o.description, Metadata: o.metadata, ReferenceOrder: o.reference, SourceType: o.sourceType,
		AdditionalData: orderAdditional{Term: nz(o.term), MID: nz(o.mid), TID: nz(o.tid), SmartpayID: nz(o.smartpayID), CampaignID: nz(o.campaignID)},
		Status:         statusSuccess, Created: kbankTime(o.created),
		ExpireTimeSeconds: int64(o.expires.Sub(o.created).Seconds()),
	}
	if o.customerID != "" {
		j.Customer = &customerRef{o.customerID}
	}
	return j
}

func randomHex(n int) string {
	b := make([]byte, (n+1)/2)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)[:n]
}

// sixDigits is a random approval code.
func sixDigits() string {
	n, _ := rand.Int(rand.Reader, big.NewInt(1000000))
	s := "00000" + n.String()
	return s[len(s)-6:]
}

func uuid() string {
	h := randomHex(32)
	return h[:8] + "-" + h[8:12] + "-4" + h[13:16] + "-a" + h[17:20] + "-" + h[20:]
}
