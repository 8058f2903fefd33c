package knet

import (
	"crypto/subtle"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/bawaba/checkout/sandbox/internal/simkit"
)

// initRequest is the decrypted paymentInit parameter string (spec §3.1).
type initRequest struct {
	fields   map[string]string
	amt      int64
	lang     string
	udf      [5]string
	errorURL string // set once errorURL is known to be valid
}

func (q *initRequest) get(k string) string { return q.fields[k] }

// paymentInit serves GET /kpg/PaymentHTTP.htm?param=paymentInit&trandata=…
// &tranportalId=…&responseURL=…&errorURL=… (spec §3.3, §9.1). Before the
// trandata is decrypted and its errorURL checked, errors are shown on KNET's
// error page; after, the browser goes to errorURL with Error and ErrorText.
// The clear responseURL and errorURL are not used: the encrypted ones rule.
func (s *Simulator) paymentInit(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	lang := simkit.PickLang(q.Get("lang"), "en")
	fail := func(code string) { s.errorPage(w, r, lang, code, http.StatusBadRequest) }
	switch {
	case q.Get("param") != "paymentInit":
		fail(errUnableToProcess)
		return
	case q.Get("trandata") == "":
		fail(errMissingTrandata)
		return
	case q.Get("tranportalId") == "":
		fail(errMissingTranportal)
		return
	case !equal(q.Get("tranportalId"), s.id):
		fail(errInvalidTranportal)
		return
	case s.key == nil:
		fail(errInvalidTerminalKey)
		return
	}
	plain, err := decryptTrandata(s.key, strings.TrimSpace(q.Get("trandata")))
	if err != nil {
		s.log.InfoContext(r.Context(), "knet sandbox: paymentInit refused", "error", errDecrypt)
		fail(errDecrypt)
		return
	}
	if !utf8.ValidString(plain) || strings.ContainsFunc(plain, isControl) {
		fail(errInvalidTrandata)
		return
	}
	req := &initRequest{fields: parsePlain(plain)}
	if code := s.validateInit(req); code != "" {
		s.log.InfoContext(r.Context(), "knet sandbox: paymentInit refused", "error", code, "trackid", req.get("trackid"))
		if req.errorURL == "" {
			fail(code)
			return
		}
		query := encodePairs([][2]string{
			{"Error", code}, {"ErrorText", errorText(code)}, {"paymentid", ""},
			{"trackid", req.get("trackid")}, {"amt", req.get("amt")},
			{"udf1", req.get("udf1")}, {"udf2", req.get("udf2")}, {"udf3", req.get("udf3")},
			{"udf4", req.get("udf4")}, {"udf5", req.get("udf5")},
		})
		http.Redirect(w, r, req.errorURL+"?"+query, http.StatusFound)
		return
	}

	s.mu.Lock()
	trackID := req.get("trackid")
	if s.byTrackID[trackID] != nil {
		s.mu.Unlock()
		s.log.InfoContext(r.Context(), "knet sandbox: paymentInit refused", "error", errDuplicate, "trackid", trackID)
		p := &payment{trackID: trackID, amt: req.amt, udf: req.udf}
		http.Redirect(w, r, req.errorURL+"?"+p.errorQuery(errDuplicate), http.StatusFound)
		return
	}
	p := &payment{
		paymentID:   s.uniqueID(18, func(id string) bool { return s.payments[id] == nil }),
		trackID:     trackID,
		amt:         req.amt,
		lang:        req.lang,
		responseURL: req.get("responseURL"),
		errorURL:    req.errorURL,
		udf:         req.udf,
		created:     s.now(),
	}
	s.payments[p.paymentID] = p
	s.byTrackID[trackID] = p
	s.mu.Unlock()
	s.log.InfoContext(r.Context(), "knet sandbox: payment initialized", "paymentid", p.paymentID, "trackid", trackID, "amt", formatAmount(p.amt))

	base := s.publicURL
	if base == "" {
		base = s.base
	}
	http.Redirect(w, r, base+"/kpg/paymentpage.htm?PaymentID="+p.paymentID, http.StatusFound)
}

// validateInit checks the parameters in KNET's order and returns the first
// error code, or "". It sets req.errorURL as soon as errorURL is valid.
func (s *Simulator) validateInit(req *initRequest) string {
	switch eu := req.get("errorURL"); {
	case eu == "":
		return errMissingErrorURL
	case !validURL(eu):
		return errInvalidErrorURL
	default:
		req.errorURL = eu
	}
	switch id := req.get("id"); {
	case id == "":
		return errMissingTranportal
	case !equal(id, s.id):
		return errInvalidTranportal
	}
	if !equal(req.get("password"), s.password) {
		return errInvalidPassword
	}
	switch req.get("action") {
	case "1":
	case "4": // authorization: only when KNET enables it, never in this sandbox
		return errActionNotEnabled
	default:
		return errInvalidAction
	}
	switch ru := req.get("responseURL"); {
	case ru == "":
		return errMissingResponseURL
	case !validURL(ru):
		return errInvalidResponseURL
	}
	switch cur := req.get("currencycode"); {
	case cur == "":
		return errMissingCurrency
	case cur != "414":
		return errInvalidCurrency
	}
	if req.get("amt") == "" {
		return errMissingAmount
	}
	var ok bool
	if req.amt, ok = parseAmount(req.get("amt")); !ok {
		return errInvalidAmount
	}
	if req.lang = langFromID(req.get("langid")); req.lang == "" {
		return errInvalidLanguage
	}
	if !validTrackID(req.get("trackid")) {
		return errInvalidTrackID
	}
	for i := range req.udf {
		v := req.get(fmt.Sprintf("udf%d", i+1))
		if !validUDF(v, i == 4) {
			return fmt.Sprintf("IPAY01000%02d", 28+i) // udf1 => IPAY0100028 … udf5 => IPAY0100032
		}
		req.udf[i] = v
	}
	return ""
}

// parsePlain splits KNET's plain parameter string. Values are taken as they
// are: the platform does not URL-decode them (spec §3.1). The first of a
// repeated key wins.
func parsePlain(s string) map[string]string {
	m := map[string]string{}
	for _, part := range strings.Split(s, "&") {
		k, v, _ := strings.Cut(part, "=")
		if _, seen := m[k]; !seen && k != "" {
			m[k] = v
		}
	}
	return m
}

// langFromID maps langid to the page language: USA, EN, ENG => "en"; AR, ARA
// => "ar" (spec §3.1, case-insensitive); anything else => "".
func langFromID(id string) string {
	switch strings.ToUpper(id) {
	case "USA", "EN", "ENG":
		return "en"
	case "AR", "ARA":
		return "ar"
	}
	return ""
}

// validURL: absolute http(s) URL with a host, no query, no fragment, no user
// info, at most 255 characters (spec §3.1). Plain http is accepted because the
// sandbox runs on loopback.
func validURL(raw string) bool {
	if len(raw) > 255 || strings.ContainsFunc(raw, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return false
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil {
		return false
	}
	return u.RawQuery == "" && !u.ForceQuery && u.Fragment == "" && !strings.Contains(raw, "#")
}

// validTrackID: 1..40 printable ASCII characters without KNET's "hack
// characters" - = [ ] / ? . (manual §9.1.1), without spaces and without "&".
func validTrackID(v string) bool {
	if v == "" || len(v) > 40 {
		return false
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte("-=[]/?.&", c) >= 0 {
			return false
		}
	}
	return true
}

// validUDF: at most 255 characters, no control characters, none of the UDF
// hack characters @ and / (manual §9.1.1); udf5 starting with "ptlf" at most
// 50 characters (manual §3.5.4).
func validUDF(v string, udf5 bool) bool {
	if utf8.RuneCountInString(v) > 255 || strings.ContainsFunc(v, isControl) || strings.ContainsAny(v, "@/") {
		return false
	}
	if udf5 && strings.HasPrefix(strings.ToLower(v), "ptlf") && utf8.RuneCountInString(v) > 50 {
		return false
	}
	return true
}

func isControl(r rune) bool { return r < ' ' || r == 0x7f }

// equal compares a received credential with ours in constant time.
func equal(got, want string) bool {
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}
