package kpay

import (
	"crypto/subtle"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/bawaba/checkout/sandbox/internal/simkit"
)

// The browser-side endpoints of the Embedded UI, authenticated by the public
// key: token creation (used by the K-Pay form, and callable directly) and the
// QR status the K-Pay script polls. Neither is documented by the seed; their
// paths are the simulator's own (spec §10.2).

// cardProblem is one invalid card field: the form input and the message key.
type cardProblem struct{ field, key string }

// checkCard validates card details as the K-Pay form takes them: any
// Visa/Mastercard/JCB number that passes Luhn, a month/year not in the past
// (Bangkok time), a 3-digit CVV and a name.
func checkCard(name, number, month, year, cvv string, now time.Time) (cardData, []cardProblem) {
	var probs []cardProblem
	c := cardData{name: strings.TrimSpace(name), pan: strings.NewReplacer(" ", "", "-", "").Replace(number)}
	if c.name == "" || len([]rune(c.name)) > 100 {
		probs = append(probs, cardProblem{"name", "err_name"})
	}
	switch {
	case !simkit.CardNumberOK(c.pan):
		probs = append(probs, cardProblem{"number", "err_number"})
	case cardBrand(c.pan) == "":
		probs = append(probs, cardProblem{"number", "err_brand"})
	}
	c.brand = cardBrand(c.pan)
	m, errM := strconv.Atoi(strings.TrimSpace(month))
	y, errY := strconv.Atoi(strings.TrimSpace(year))
	if len(strings.TrimSpace(year)) == 2 {
		y += 2000
	}
	today := now.In(bangkok)
	switch {
	case errM != nil || errY != nil || m < 1 || m > 12 || y < 2000 || y > 2099:
		probs = append(probs, cardProblem{"expiry", "err_expiry"})
	case y < today.Year() || y == today.Year() && m < int(today.Month()):
		probs = append(probs, cardProblem{"expiry", "err_expired"})
	}
	c.expMonth, c.expYear = m, y
	if cvv = strings.TrimSpace(cvv); len(cvv) != 3 || !simkit.Digits(cvv) {
		probs = append(probs, cardProblem{"cvv", "err_cvv"})
	}
	return c, probs
}

// splitExpiry reads the form's "MM/YY" (also "MM / YY", "MMYY", "MM/YYYY").
func splitExpiry(s string) (string, string) {
	s = strings.ReplaceAll(s, " ", "")
	if m, y, ok := strings.Cut(s, "/"); ok {
		return m, y
	}
	if len(s) == 4 && simkit.Digits(s) {
		return s[:2], s[2:]
	}
	return s, ""
}

// issue creates a token for tok's details. The caller holds s.mu.
func (s *Simulator) issue(tok *token) *token {
	now := s.now()
	tok.id, tok.created, tok.expires = newID("tokn"), now, now.Add(tokenTTL)
	s.tokens[tok.id] = tok
	s.log.Info("kpay sandbox: token created", "token", tok.id, "mid", tok.mid)
	return tok
}

func (s *Simulator) publicKeyOK(k string) bool {
	return subtle.ConstantTimeCompare([]byte(strings.TrimSpace(k)), []byte(s.publicKey)) == 1
}

func cors(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("Access-Control-Allow-Headers", "Content-Type, x-api-key")
	h.Set("Access-Control-Allow-Methods", "GET, POST")
}

func (s *Simulator) preflight(w http.ResponseWriter, _ *http.Request) {
	cors(w)
	w.WriteHeader(http.StatusNoContent)
}

type tokenJSON struct {
	ID          string   `json:"id"`
	Object      string   `json:"object"`
	Livemode    bool     `json:"livemode"`
	Used        bool     `json:"used"`
	Created     string   `json:"created"`
	Card        cardJSON `json:"card"`
	MID         string   `json:"mid"`
	DCCCurrency *string  `json:"dcc_currency"`
}

type cardJSON struct {
	Brand           string `json:"brand"`
	CardMasking     string `json:"card_masking"`
	Name            string `json:"name"`
	ExpirationMonth int    `json:"expiration_month"`
	ExpirationYear  int    `json:"expiration_year"`
}

// createTokenAPI is POST /ui/v2/tokens with x-api-key = the public key.
func (s *Simulator) createTokenAPI(w http.ResponseWriter, r *http.Request) {
	cors(w)
	if !s.publicKeyOK(r.Header.Get("x-api-key")) {
		s.log.WarnContext(r.Context(), "kpay sandbox: token API authentication failure")
		writeError(w, errAuth)
		return
	}
	var req struct {
		Name        field `json:"name"`
		Number      field `json:"number"`
		Month       field `json:"expiration_month"`
		Year        field `json:"expiration_year"`
		CVV         field `json:"security_code"`
		MID         field `json:"mid"`
		SaveCard    field `json:"savecard"`
		DCCCurrency field `json:"dcc_currency"`
		SmartpayID  field `json:"smartpay_id"`
		Term        field `json:"term"`
	}
	if err := decode(r, &req); err != nil {
		writeError(w, errBadJSON)
		return
	}
	for _, f := range []field{req.Name, req.Number, req.Month, req.Year, req.CVV, req.MID} {
		if f.str() == "" {
			writeError(w, errMandatory)
			return
		}
	}
	if !s.isMID(req.MID.str()) {
		writeError(w, errMID)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	card, probs := checkCard(req.Name.str(), req.Number.str(), req.Month.str(), req.Year.str(), req.CVV.str(), s.now())
	for _, p := range probs {
		if p.key == "err_brand" {
			writeError(w, errCardType)
			return
		}
	}
	if len(probs) > 0 {
		writeError(w, errInvalidParam)
		return
	}
	tok := &token{card: card, mid: req.MID.str(), saveCard: req.SaveCard.isTrue(), smartpayID: req.SmartpayID.str(), term: req.Term.str()}
	if tok.mid == s.dccMID {
		cur := strings.ToUpper(or(req.DCCCurrency.str(), "THB"))
		if cur != "THB" && cur != s.profile(card.pan).dcc {
			writeError(w, errCurrency)
			return
		}
		tok.dccCurrency = cur
	}
	s.issue(tok)
	writeJSON(w, http.StatusOK, tokenJSON{
		ID: tok.id, Object: "token", Created: kbankTime(tok.created),
		Card: cardJSON{card.brand, maskPAN(card.pan), card.name, card.expMonth, card.expYear},
		MID:  tok.mid, DCCCurrency: nz(tok.dccCurrency),
	})
}

// qrStatus is GET /ui/v2/qr-status?order_id=…&pkey=…, polled by the K-Pay
// script while the QR is shown.
func (s *Simulator) qrStatus(w http.ResponseWriter, r *http.Request) {
	cors(w)
	q := r.URL.Query()
	if !s.publicKeyOK(q.Get("pkey")) {
		writeError(w, errAuth)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.orders[q.Get("order_id")]
	if o == nil {
		writeError(w, errOrderNotFound)
		return
	}
	now := s.now()
	left := int64(o.expires.Sub(now).Seconds())
	writeJSON(w, http.StatusOK, struct {
		Object    string  `json:"object"`
		OrderID   string  `json:"order_id"`
		QRID      *string `json:"qr_id"`
		Status    string  `json:"status"`
		ChargeID  *string `json:"charge_id"`
		ExpiresIn int64   `json:"expires_in"`
	}{"qr_status", o.id, nz(o.qrID), o.qrState(now), nz(o.chargeID), max(left, 0)})
}
