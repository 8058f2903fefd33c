package kpay

import (
	"net/http"
	"strings"
	"time"
)

// Customer API (spec §4.6, §7): Remember card. A token can be saved to a
// customer once the charge that spent it was authorised (card_not_verified
// otherwise), and only once (used_token).

type customerCreateJSON struct {
	ID          string            `json:"id"`
	Object      string            `json:"object"`
	Email       string            `json:"email"`
	Name        string            `json:"name"`
	Created     string            `json:"created"`
	Livemode    bool              `json:"livemode"`
	DefaultCard string            `json:"default_card"`
	Cards       []createdCardJSON `json:"cards"`
}

type createdCardJSON struct {
	ID          string `json:"id"`
	Object      string `json:"object"`
	Brand       string `json:"brand"`
	Name        string `json:"name"`
	CardMasking string `json:"card_masking"`
	Expired     string `json:"expired"`
}

// customerJSON is the Inquiry / Update / Add Card shape: cards carry "number".
type customerJSON struct {
	ID          string         `json:"id"`
	Object      string         `json:"object"`
	Email       string         `json:"email"`
	Name        string         `json:"name"`
	Created     string         `json:"created"`
	Livemode    bool           `json:"livemode"`
	DefaultCard string         `json:"default_card"`
	Cards       []cardListJSON `json:"cards"`
}

type cardListJSON struct {
	ID      string `json:"id"`
	Brand   string `json:"brand"`
	Name    string `json:"name"`
	Number  string `json:"number"`
	Expired string `json:"expired"`
}

type deletedJSON struct {
	ID       string `json:"id"`
	Object   string `json:"object"`
	Deleted  bool   `json:"deleted"`
	Livemode bool   `json:"livemode"`
}

// expired is how long the card may be stored: to the end of its expiry month.
func (sc *savedCard) expired() string {
	end := time.Date(sc.card.expYear, time.Month(sc.card.expMonth)+1, 1, 0, 0, 0, 0, bangkok).Add(-time.Second)
	return kbankTime(end)
}

func (cu *customer) card(id string) *savedCard {
	for _, sc := range cu.cards {
		if sc.id == id {
			return sc
		}
	}
	return nil
}

func (cu *customer) object() customerJSON {
	j := customerJSON{ID: cu.id, Object: "customer", Email: cu.email, Name: cu.name, Created: kbankTime(cu.created), DefaultCard: cu.defaultCard, Cards: []cardListJSON{}}
	for _, sc := range cu.cards {
		j.Cards = append(j.Cards, cardListJSON{sc.id, upperBrand(sc.card.brand), sc.card.name, maskPAN(sc.card.pan), sc.expired()})
	}
	return j
}

// savable checks that tokID may be saved to a customer and marks it saved.
// The caller holds s.mu.
func (s *Simulator) savable(tokID string) (*savedCard, error) {
	tok := s.tokens[tokID]
	if tok == nil {
		return nil, errTokenInvalid
	}
	if tok.attached {
		return nil, errUsedToken
	}
	c := s.charges[tok.usedBy]
	if c == nil || !c.wasAuthorized() {
		return nil, errCardNotVerified
	}
	tok.attached = true
	id := tok.cardID
	if id == "" {
		id = c.src.id
	}
	return &savedCard{id: id, card: tok.card}, nil
}

// wasAuthorized: the charge was approved at some point (a register3D charge
// is approved, then voided).
func (c *charge) wasAuthorized() bool {
	return c.approval != ""
}

func validEmail(e string) bool {
	at := strings.IndexByte(e, '@')
	return at > 0 && at < len(e)-1 && len(e) <= 50 && !strings.ContainsAny(e, " \t\r\n")
}

// createCustomer is POST /card/v2/customer.
func (s *Simulator) createCustomer(r *http.Request) (any, error) {
	var req struct {
		Email field `json:"email"`
		Name  field `json:"name"`
		Mode  field `json:"mode"`
		Token field `json:"token"`
	}
	if err := decode(r, &req); err != nil {
		return nil, err
	}
	if req.Email.str() == "" || req.Name.str() == "" || req.Mode.str() == "" {
		return nil, errMandatory
	}
	if req.Mode.str() != "token" || !validEmail(req.Email.str()) || len(req.Name.str()) > 256 {
		return nil, errInvalidParam
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cu := &customer{id: newID("cust"), email: req.Email.str(), name: req.Name.str(), created: s.now()}
	if t := req.Token.str(); t != "" {
		sc, err := s.savable(t)
		if err != nil {
			return nil, err
		}
		cu.cards, cu.defaultCard = []*savedCard{sc}, sc.id
	}
	s.customers[cu.id] = cu
	j := customerCreateJSON{ID: cu.id, Object: "customer", Email: cu.email, Name: cu.name, Created: kbankTime(cu.created), DefaultCard: cu.defaultCard, Cards: []createdCardJSON{}}
	for _, sc := range cu.cards {
		j.Cards = append(j.Cards, createdCardJSON{sc.id, "card", upperBrand(sc.card.brand), sc.card.name, maskPAN(sc.card.pan), sc.expired()})
	}
	s.log.InfoContext(r.Context(), "kpay sandbox: customer created", "customer", cu.id)
	return j, nil
}

func (s *Simulator) customerByID(id string) (*customer, error) {
	cu := s.customers[id]
	if cu == nil {
		return nil, errCustomerInvalid
	}
	return cu, nil
}

// inquireCustomer is GET /card/v2/customer/{id}.
func (s *Simulator) inquireCustomer(r *http.Request) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cu, err := s.customerByID(r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	return cu.object(), nil
}

// updateCustomer is POST (table) or PATCH (sample) /card/v2/customer/{id}.
func (s *Simulator) updateCustomer(r *http.Request) (any, error) {
	var req struct {
		Email       field `json:"email"`
		Name        field `json:"name"`
		DefaultCard field `json:"default_card"`
	}
	cu, err := decodeLocked(s, r, &req, s.customerByID)
	if err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	if req.Email.str() == "" {
		return nil, errMandatory
	}
	if !validEmail(req.Email.str()) || len(req.Name.str()) > 256 {
		return nil, errInvalidParam
	}
	if d := req.DefaultCard.str(); d != "" && cu.card(d) == nil {
		return nil, errCardInvalid
	}
	cu.email = req.Email.str()
	if n := req.Name.str(); n != "" {
		cu.name = n
	}
	if d := req.DefaultCard.str(); d != "" {
		cu.defaultCard = d
	}
	return cu.object(), nil
}

// deleteCustomer is DELETE /card/v2/customer/{id}.
func (s *Simulator) deleteCustomer(r *http.Request) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cu, err := s.customerByID(r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	delete(s.customers, cu.id)
	return deletedJSON{ID: cu.id, Object: "customer", Deleted: true}, nil
}

// addCard is POST /card/v2/customer/{id}/card.
func (s *Simulator) addCard(r *http.Request) (any, error) {
	var req struct {
		Mode  field `json:"mode"`
		Token field `json:"token"`
	}
	cu, err := decodeLocked(s, r, &req, s.customerByID)
	if err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	if req.Mode.str() == "" || req.Token.str() == "" {
		return nil, errMandatory
	}
	if req.Mode.str() != "token" {
		return nil, errInvalidParam
	}
	sc, err := s.savable(req.Token.str())
	if err != nil {
		return nil, err
	}
	if cu.card(sc.id) == nil {
		cu.cards = append(cu.cards, sc)
	}
	if cu.defaultCard == "" {
		cu.defaultCard = sc.id
	}
	return cu.object(), nil
}

// deleteCard is DELETE /card/v2/customer/{id}/card/{card}; it answers the
// card, as the seed's sample does (§14.33).
func (s *Simulator) deleteCard(r *http.Request) (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cu, err := s.customerByID(r.PathValue("id"))
	if err != nil {
		return nil, err
	}
	id := r.PathValue("card")
	if cu.card(id) == nil {
		return nil, errCardInvalid
	}
	kept := cu.cards[:0]
	for _, sc := range cu.cards {
		if sc.id != id {
			kept = append(kept, sc)
		}
	}
	cu.cards = kept
	if cu.defaultCard == id {
		cu.defaultCard = ""
		if len(kept) > 0 {
			cu.defaultCard = kept[0].id
		}
	}
	return deletedJSON{ID: id, Object: "card", Deleted: true}, nil
}
