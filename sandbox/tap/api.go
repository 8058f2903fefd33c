package tap

import (
	"bytes"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// tapError is one entry of Tap's error body (spec §1):
// {"errors":[{"code":"…","description":"…"}],"http_code":"400"}.
type tapError struct {
	Code        string `json:"code"`
	Description string `json:"description"`
}

// Error codes. 2104 "Invalid API Key" is Tap's (seen in Tap's SDK issues);
// the others are plausible inventions in Tap's 4-digit style.
var (
	errInvalidKey    = tapError{"2104", "Invalid API Key"}
	errBadBody       = tapError{"1100", "Invalid request body: a JSON object is expected"}
	errAmount        = tapError{"1105", "Invalid amount: a positive decimal with at most 3 decimals is expected for KWD"}
	errCurrency      = tapError{"1106", "Invalid currency: src_kw.knet accepts KWD only"}
	errSource        = tapError{"1108", "Invalid source id: src_kw.knet is expected"}
	errRedirect      = tapError{"1112", "Invalid redirect url: an absolute http(s) URL is required"}
	errPost          = tapError{"1113", "Invalid post url: an absolute http(s) URL is expected"}
	errCustomer      = tapError{"1120", "Customer is required"}
	errCustomerName  = tapError{"1121", "Customer first_name, email or phone is required"}
	errMetadata      = tapError{"1125", "Invalid metadata: an object is expected"}
	errChargeID      = tapError{"1130", "Invalid charge id"}
	errChargeMissing = tapError{"1249", "Charge not found"}
)

func writeError(w http.ResponseWriter, status int, errs ...tapError) {
	body, _ := marshal(struct {
		Errors   []tapError `json:"errors"`
		HTTPCode string     `json:"http_code"`
	}{errs, strconv.Itoa(status)})
	writeJSON(w, status, body)
}

func writeJSON(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// marshal encodes v as JSON without HTML escaping (URLs keep their '&').
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// authorized checks "Authorization: Bearer <secret key>" in constant time.
func (s *Simulator) authorized(r *http.Request) bool {
	scheme, key, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	return ok && strings.EqualFold(scheme, "Bearer") && s.secret != "" &&
		subtle.ConstantTimeCompare([]byte(strings.TrimSpace(key)), []byte(s.secret)) == 1
}

// createRequest is the create-charge body (spec §2). Fields the simulator
// neither validates nor echoes are ignored, as unknown fields are.
type createRequest struct {
	Amount              any            `json:"amount"` // json.Number or string
	Currency            string         `json:"currency"`
	CustomerInitiated   *bool          `json:"customer_initiated"`
	ThreeDSecure        *bool          `json:"threeDSecure"`
	SaveCard            bool           `json:"save_card"`
	Description         string         `json:"description"`
	StatementDescriptor string         `json:"statement_descriptor"`
	Metadata            map[string]any `json:"metadata"`
	Reference           struct {
		Transaction string `json:"transaction"`
		Order       string `json:"order"`
	} `json:"reference"`
	Receipt struct {
		Email bool `json:"email"`
		SMS   bool `json:"sms"`
	} `json:"receipt"`
	Customer *struct {
		ID         string `json:"id"`
		FirstName  string `json:"first_name"`
		MiddleName string `json:"middle_name"`
		LastName   string `json:"last_name"`
		Email      string `json:"email"`
		Phone      *phone `json:"phone"`
	} `json:"customer"`
	Merchant struct {
		ID string `json:"id"`
	} `json:"merchant"`
	Source struct {
		ID string `json:"id"`
	} `json:"source"`
	Post struct {
		URL string `json:"url"`
	} `json:"post"`
	Redirect struct {
		URL string `json:"url"`
	} `json:"redirect"`
}

// readRequest decodes a request body into req and validates it, returning the amount with 3
// decimals. A body that is not one JSON object of req's shape, or with invalid fields, is
// answered 400 (errMetadata for a metadata that is not an object) and ok is false.
func readRequest[R interface{ validate() (string, []tapError) }](w http.ResponseWriter, r *http.Request, req R) (amount string, ok bool) {
	if err := decodeJSON(w, r, req); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Field == "metadata" {
			writeError(w, http.StatusBadRequest, errMetadata)
			return "", false
		}
		writeError(w, http.StatusBadRequest, errBadBody)
		return "", false
	}
	amount, errs := req.validate()
	if len(errs) > 0 {
		writeError(w, http.StatusBadRequest, errs...)
		return "", false
	}
	return amount, true
}

// decodeJSON reads exactly one JSON object (at most 1 MiB) into v; amounts
// stay exact (UseNumber).
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.Decode(&struct{}{}) != io.EOF {
		return errors.New("trailing data after the JSON object")
	}
	return nil
}

// validate checks the request like Tap would for src_kw.knet and returns the
// amount with 3 decimals.
func (req *createRequest) validate() (string, []tapError) {
	var errs []tapError
	amount, ok := parseAmount(req.Amount)
	if !ok {
		errs = append(errs, errAmount)
	}
	if !strings.EqualFold(req.Currency, currencyKWD) {
		errs = append(errs, errCurrency)
	}
	if req.Source.ID != sourceKNET {
		errs = append(errs, errSource)
	}
	if !absoluteHTTP(req.Redirect.URL) {
		errs = append(errs, errRedirect)
	}
	if req.Post.URL != "" && !absoluteHTTP(req.Post.URL) {
		errs = append(errs, errPost)
	}
	switch c := req.Customer; {
	case c == nil:
		errs = append(errs, errCustomer)
	case strings.TrimSpace(c.FirstName) == "" && strings.TrimSpace(c.Email) == "" &&
		(c.Phone == nil || strings.TrimSpace(c.Phone.Number) == ""):
		errs = append(errs, errCustomerName)
	}
	return amount, errs
}

func absoluteHTTP(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// createCharge serves POST /v2/charges (spec §2, §3, §9.1).
func (s *Simulator) createCharge(w http.ResponseWriter, r *http.Request) {
	if !s.authorized(r) {
		writeError(w, http.StatusUnauthorized, errInvalidKey)
		return
	}
	idemKey := r.Header.Get("Idempotency-Key")
	if body, ok := s.replay(idemKey); ok {
		writeJSON(w, http.StatusOK, body)
		return
	}
	req := &createRequest{}
	amount, ok := readRequest(w, r, req)
	if !ok {
		return
	}
	lang := "en"
	if strings.EqualFold(strings.TrimSpace(r.Header.Get("lang_code")), "ar") {
		lang = "ar"
	}
	c := s.newCharge(req, amount, lang)

	s.mu.Lock()
	if prev, ok := s.idem[idemKey]; ok { // a concurrent twin with the same key won
		c = prev
	} else {
		c.ID = tapID("chg_", c.created)
		for s.charges[c.ID] != nil {
			c.ID = tapID("chg_", c.created)
		}
		s.charges[c.ID] = c
		s.tokens[c.token] = c
		if idemKey != "" {
			s.idem[idemKey] = c
		}
		s.log.InfoContext(r.Context(), "tap sandbox: charge created", "charge", c.ID, "amount", c.amount, "currency", c.Currency)
	}
	body := c.render(http.MethodPost)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, body)
}

// replay returns the charge created earlier with the same Idempotency-Key.
func (s *Simulator) replay(key string) ([]byte, bool) {
	if key == "" {
		return nil, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.idem[key]
	if !ok {
		return nil, false
	}
	c.abandonIfExpired(s.now())
	return c.render(http.MethodPost), true
}

// newCharge builds an INITIATED charge; the caller gives it an unused id.
func (s *Simulator) newCharge(req *createRequest, amount, lang string) *charge {
	now := s.now()
	tok := make([]byte, 32)
	_, _ = rand.Read(tok) // crypto/rand.Read never fails
	token := base64.StdEncoding.EncodeToString(tok)

	cust := req.Customer
	custID := cust.ID
	if custID == "" {
		custID = tapID("cus_", now)
	}
	var ph *phone
	if cust.Phone != nil && cust.Phone.Number != "" {
		ph = cust.Phone
	}
	var post *postInfo
	if req.Post.URL != "" {
		post = &postInfo{Status: "PENDING", URL: req.Post.URL}
	}
	amt := jsonAmount(amount)
	c := &charge{
		Object:              "charge",
		LiveMode:            false,
		CustomerInitiated:   req.CustomerInitiated == nil || *req.CustomerInitiated,
		APIVersion:          "V2",
		Amount:              amt,
		Currency:            currencyKWD,
		ThreeDSecure:        req.ThreeDSecure == nil || *req.ThreeDSecure,
		SaveCard:            req.SaveCard,
		StatementDescriptor: req.StatementDescriptor,
		Description:         req.Description,
		Metadata:            req.Metadata,
		Transaction: transaction{
			Timezone: "UTC+03:00",
			Created:  strconv.FormatInt(now.UnixMilli(), 10),
			URL:      s.publicURL + "/knet/pay?chg=" + url.QueryEscape(token),
			Expiry:   expiry{Period: int(chargeExpiry / time.Minute), Type: "MINUTE"},
			Amount:   amt,
			Currency: currencyKWD,
		},
		Reference: reference{
			Track:       tapID("tck_", now),
			Payment:     randomDigits(19),
			Transaction: req.Reference.Transaction,
			Order:       req.Reference.Order,
		},
		Receipt: receipt{ID: randomDigits(18), Email: req.Receipt.Email, SMS: req.Receipt.SMS},
		Customer: customer{
			ID:         custID,
			FirstName:  cust.FirstName,
			MiddleName: cust.MiddleName,
			LastName:   cust.LastName,
			Email:      cust.Email,
			Phone:      ph,
		},
		Merchant: merchant{Country: "KW", Currency: currencyKWD, ID: req.Merchant.ID},
		Source: source{
			Object:        "source",
			Type:          "CARD_NOT_PRESENT",
			PaymentType:   "DEBIT",
			PaymentMethod: "KNET",
			Channel:       "INTERNET",
			ID:            sourceKNET,
		},
		Redirect: redirectInfo{Status: "PENDING", URL: req.Redirect.URL},
		Post:     post,
		amount:   amount,
		token:    token,
		lang:     lang,
		created:  now,
	}
	c.setStatus(statusInitiated, now)
	return c
}

var chargeIDPattern = regexp.MustCompile(`^(chg|auth)_[A-Za-z0-9]{1,64}$`)

// retrieveCharge serves GET /v2/charges/{id} (spec §1, §9.4).
func (s *Simulator) retrieveCharge(w http.ResponseWriter, r *http.Request) {
	s.retrieve(w, r, chargeIDPattern, errChargeID, errChargeMissing, func(id string) ([]byte, bool) {
		c, ok := s.charges[id]
		if !ok {
			return nil, false
		}
		c.abandonIfExpired(s.now())
		return c.render(http.MethodGet), true
	})
}

// retrieve serves a GET of one object by the path's {id}: 401 without the secret key, 400
// badID for an id not of pattern, else what find (called holding s.mu) renders, or 404
// missing.
func (s *Simulator) retrieve(w http.ResponseWriter, r *http.Request, pattern *regexp.Regexp, badID, missing tapError, find func(id string) ([]byte, bool)) {
	if !s.authorized(r) {
		writeError(w, http.StatusUnauthorized, errInvalidKey)
		return
	}
	id := r.PathValue("id")
	if !pattern.MatchString(id) {
		writeError(w, http.StatusBadRequest, badID)
		return
	}
	s.mu.Lock()
	body, ok := find(id)
	s.mu.Unlock()
	if !ok {
		writeError(w, http.StatusNotFound, missing)
		return
	}
	writeJSON(w, http.StatusOK, body)
}
