package knet

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strings"
)

// Inquiry results beyond the purchase ones (spec §5, §6).
const (
	resultSuspect = "FAILURE(SUSPECT)" // the request's trackid or amt does not match the transaction
)

// tranPipe serves POST /kpg/tranPipe.htm?param=tranInit: root-less XML with
// id and password in clear; action 8 is the inquiry, action 2 the refund
// (spec §6). Answers are root-less XML too, always with HTTP 200; errors are
// <error_code_tag> and <error_text>.
func (s *Simulator) tranPipe(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Get("param") != "tranInit" {
		writeXMLError(w, errUnableToProcess)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 64<<10))
	if err != nil {
		writeXMLError(w, errInvalidInput)
		return
	}
	f, err := parseXMLFragment(body)
	if err != nil {
		writeXMLError(w, errInvalidInput)
		return
	}
	switch {
	case f["id"] == "":
		writeXMLError(w, errMissingTranportal)
		return
	case !equal(f["id"], s.id):
		writeXMLError(w, errInvalidTranportal)
		return
	case !equal(f["password"], s.password):
		s.log.InfoContext(r.Context(), "knet sandbox: tranPipe refused", "error", errInvalidPassword)
		writeXMLError(w, errInvalidPassword)
		return
	}
	switch f["action"] {
	case "8":
		if !s.refundInquiry(w, f) {
			s.inquiry(w, f)
		}
	case "2":
		s.refund(w, f)
	default:
		writeXMLError(w, errInvalidAction)
	}
}

// original finds the transaction named by transid, as udf5 says (spec §6):
// TransID/TransactionID or empty => tranid, TrackID, PaymentID, RefID or
// SeqNum => ref. It validates transid, amt and trackid on the way and returns
// an error code when one is missing or wrong. The caller holds s.mu.
func (s *Simulator) original(f map[string]string) (p *payment, amt int64, code string) {
	transid := f["transid"]
	if transid == "" {
		return nil, 0, errMissingOriginal
	}
	if f["amt"] == "" {
		return nil, 0, errMissingAmount
	}
	amt, ok := parseAmount(f["amt"])
	if !ok {
		return nil, 0, errInvalidAmount
	}
	if f["trackid"] == "" {
		return nil, 0, errInvalidTrackID
	}
	switch strings.ToLower(f["udf5"]) {
	case "", "transid", "transactionid":
		p = s.byTranID[transid]
	case "trackid":
		p = s.byTrackID[transid]
	case "paymentid":
		p = s.payments[transid]
	case "refid", "seqnum":
		p = s.byRef[transid]
	default:
		return nil, 0, "IPAY0100032"
	}
	if p == nil {
		return nil, 0, errNotAvailable
	}
	return p, amt, ""
}

// inquiry answers action 8. The result is CAPTURED for a captured purchase
// (and for HOST TIMEOUT, which the issuer approved), FAILURE(<result>) for a
// failed one, FAILURE(NOT CAPTURED) once auto-voided, FAILURE(SUSPECT) when
// trackid or amt differ; IPAY0100263 while the shopper is still on the page,
// IPAY0100042 once the page expired.
func (s *Simulator) inquiry(w http.ResponseWriter, f map[string]string) {
	s.mu.Lock()
	p, amt, code := s.original(f)
	if code != "" {
		s.mu.Unlock()
		s.log.Info("knet sandbox: inquiry", "error", code)
		writeXMLError(w, code)
		return
	}
	p.expireIfDue(s.now())
	switch {
	case p.trackID != f["trackid"] || p.amt != amt:
		s.mu.Unlock()
		s.log.Info("knet sandbox: inquiry", "paymentid", p.paymentID, "result", resultSuspect)
		writeXML(w, [][2]string{{"result", resultSuspect}, {"payid", ""}, {"trackid", f["trackid"]}, {"amt", f["amt"]}})
		return
	case p.state == stateCard || p.state == stateConfirm:
		code = errNotAvailable
	case p.state == stateExpired:
		code = errTimeLimit
	}
	if code != "" {
		s.mu.Unlock()
		s.log.Info("knet sandbox: inquiry", "paymentid", p.paymentID, "error", code)
		writeXMLError(w, code)
		return
	}
	result, auth, respCode := "FAILURE("+p.result+")", "", p.respCode
	switch {
	case p.result == resultHostTimeout && !p.voided && s.now().Before(p.settleAt):
		result = resultHostTimeout // the issuer has not answered yet
	case p.captured():
		result, auth, respCode = resultCaptured, p.issuerAuth, "00"
	case p.voided && (p.result == resultCaptured || p.result == resultHostTimeout):
		result, respCode = "FAILURE("+resultNotCaptured+")", ""
	}
	fields := [][2]string{
		{"result", result}, {"payid", p.paymentID}, {"trackid", p.trackID},
		{"udf1", p.udf[0]}, {"udf2", p.udf[1]}, {"udf3", p.udf[2]}, {"udf4", p.udf[3]}, {"udf5", p.udf[4]},
		{"ref", p.ref}, {"auth", auth}, {"avr", "N"}, {"postdate", p.postdate}, {"tranid", p.tranID},
		{"amt", formatAmount(p.amt)}, {"authRespCode", respCode},
	}
	s.mu.Unlock()
	s.log.Info("knet sandbox: inquiry", "paymentid", p.paymentID, "result", result)
	writeXML(w, fields)
}

// refund answers action 2: full or partial, several times, up to the
// captured amount; CAPTURED means refunded (spec §6, manual §3.7.3).
func (s *Simulator) refund(w http.ResponseWriter, f map[string]string) {
	s.mu.Lock()
	p, amt, code := s.original(f)
	switch {
	case code != "":
	case p.trackID != f["trackid"]:
		s.mu.Unlock()
		writeXML(w, [][2]string{{"result", resultSuspect}, {"payid", ""}, {"trackid", f["trackid"]}, {"amt", f["amt"]}})
		return
	case (p.state != stateProcessing && p.state != stateDone) || !p.captured():
		code = errCaptureCheck
	case p.refunded+amt > p.amt:
		code = errCreditExceeds
	}
	if code != "" {
		s.mu.Unlock()
		s.log.Info("knet sandbox: refund refused", "error", code)
		writeXMLError(w, code)
		return
	}
	p.refunded += amt
	now := s.now()
	rt := &refundTx{p: p, amt: amt, postdate: now.In(kuwait).Format("0102"), auth: randomDigits(6)}
	rt.tranID = s.uniqueID(16, func(id string) bool { return s.byTranID[id] == nil && s.refunds[id] == nil })
	rt.ref = s.uniqueID(12, func(id string) bool { return s.byRef[id] == nil })
	s.refunds[rt.tranID] = rt
	fields := rt.fields()
	s.mu.Unlock()
	s.log.Info("knet sandbox: refund", "paymentid", p.paymentID, "amt", formatAmount(amt), "refund_tranid", rt.tranID)
	writeXML(w, fields)
}

// refundTx is a refund KNET made (action 2): its own tranid, ref and auth,
// kept so that an inquiry by that tranid finds it.
type refundTx struct {
	p              *payment
	amt            int64
	tranID, ref    string
	auth, postdate string
}

// fields are the refund's answer, in the manual's order; an inquiry of the
// refund answers the same.
func (rt *refundTx) fields() [][2]string {
	p := rt.p
	return [][2]string{
		{"result", resultCaptured}, {"payid", p.paymentID}, {"trackid", p.trackID},
		{"udf1", p.udf[0]}, {"udf2", p.udf[1]}, {"udf3", p.udf[2]}, {"udf4", p.udf[3]}, {"udf5", p.udf[4]},
		{"ref", rt.ref}, {"auth", rt.auth}, {"avr", "N"}, {"postdate", rt.postdate},
		{"tranid", rt.tranID}, {"amt", formatAmount(rt.amt)}, {"authRespCode", "00"},
	}
}

// refundInquiry answers action 8 about a refund, named by its own tranid
// (udf5 empty, TransID or TransactionID): CAPTURED with the refund's fields,
// FAILURE(SUSPECT) when trackid or amt are not the refund's. ok is false when
// transid names no refund.
func (s *Simulator) refundInquiry(w http.ResponseWriter, f map[string]string) (ok bool) {
	switch strings.ToLower(f["udf5"]) {
	case "", "transid", "transactionid":
	default:
		return false
	}
	s.mu.Lock()
	rt := s.refunds[f["transid"]]
	if rt == nil {
		s.mu.Unlock()
		return false
	}
	amt, amtOK := parseAmount(f["amt"])
	if !amtOK || amt != rt.amt || f["trackid"] != rt.p.trackID {
		s.mu.Unlock()
		writeXML(w, [][2]string{{"result", resultSuspect}, {"payid", ""}, {"trackid", f["trackid"]}, {"amt", f["amt"]}})
		return true
	}
	fields := rt.fields()
	s.mu.Unlock()
	s.log.Info("knet sandbox: refund inquiry", "refund_tranid", rt.tranID)
	writeXML(w, fields)
	return true
}

var xmlDecl = regexp.MustCompile(`^\s*<\?xml[^>]*\?>`)

// parseXMLFragment reads KNET's root-less XML (spec §6) into element name =>
// text, taking the leaf elements at any depth, so a <request>…</request>
// wrapper is accepted too. The first occurrence of a name wins.
func parseXMLFragment(body []byte) (map[string]string, error) {
	body = xmlDecl.ReplaceAll(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")), nil)
	dec := xml.NewDecoder(io.MultiReader(strings.NewReader("<root>"), bytes.NewReader(body), strings.NewReader("</root>")))
	m := map[string]string{}
	var stack []string
	var text strings.Builder
	leaf := false
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			stack = append(stack, t.Name.Local)
			text.Reset()
			leaf = true
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			name := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if leaf && len(stack) > 0 {
				if _, seen := m[name]; !seen {
					m[name] = strings.TrimSpace(text.String())
				}
			}
			leaf = false
		}
	}
	return m, nil
}

// writeXML writes root-less XML elements in order.
func writeXML(w http.ResponseWriter, fields [][2]string) {
	var b bytes.Buffer
	for _, kv := range fields {
		b.WriteString("<" + kv[0] + ">")
		_ = xml.EscapeText(&b, []byte(kv[1]))
		b.WriteString("</" + kv[0] + ">")
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(b.Bytes())
}

func writeXMLError(w http.ResponseWriter, code string) {
	writeXML(w, [][2]string{{"error_code_tag", code}, {"error_text", errorText(code)}})
}
