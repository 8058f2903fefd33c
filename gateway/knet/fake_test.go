package knet

import (
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// Test credentials. The resource key is the spec's made-up vector key (§8).
const (
	testID       = "123456"
	testPassword = "123456pg"
	testKey      = "0123456789ABCDEF"
	testTrackID  = "01HXYZabc9"
	testAttempt  = "att_" + testTrackID
)

// tranPipeCall is one XML request the fake KNET received on tranPipe.htm.
type tranPipeCall struct {
	Path, Query, ContentType string
	Body                     string
	Tags                     map[string]string
}

// fakeKNET is KNET's tranPipe.htm?param=tranInit written from shared/spec/knet.md §6: a POST
// of root-less XML (<id>, <password>, <action>, <amt>, <transid>, <trackid>, <udf5>); a wrong
// id or password gets an IPAY0100015 error; action 8 answers the stored inquiry answer for the
// trackid (or notFound); action 2 answers refund. status/body override every answer.
type fakeKNET struct {
	t   *testing.T
	srv *httptest.Server

	mu       sync.Mutex
	calls    []tranPipeCall
	other    int               // requests to any other path
	inquiry  map[string]string // trackid → answer XML
	notFound string
	refund   string
	status   int    // when non-zero, every answer has this HTTP status and body
	body     string // with status
}

func newFakeKNET(t *testing.T) *fakeKNET {
	t.Helper()
	f := &fakeKNET{
		t:        t,
		inquiry:  map[string]string{},
		notFound: `<error_code_tag>IPAY0100263</error_code_tag><error_text>Transaction details not available</error_text><result>!ERROR!-IPAY0100263-Transaction details not available</result>`,
		refund:   `<result>CAPTURED</result><payid>100201719515482999</payid><trackid>` + testTrackID + `</trackid><ref>411857974850</ref><auth>999554</auth><tranid>9929892231041999</tranid><amt>1.000</amt>`,
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeKNET) gateway() *Gateway {
	return New(Config{BaseURL: f.srv.URL + "/sandbox/knet/kpg", TranportalID: testID,
		TranportalPassword: testPassword, ResourceKey: testKey, HTTPClient: f.srv.Client()})
}

// rootlessTags reads the test's own way a root-less XML request: wrapped in <r>…</r>.
func rootlessTags(body string) map[string]string {
	var doc struct {
		Items []struct {
			XMLName xml.Name
			Value   string `xml:",chardata"`
		} `xml:",any"`
	}
	out := map[string]string{}
	if err := xml.Unmarshal([]byte("<r>"+body+"</r>"), &doc); err != nil {
		return out
	}
	for _, it := range doc.Items {
		out[it.XMLName.Local] = it.Value
	}
	return out
}

func (f *fakeKNET) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	f.mu.Lock()
	defer f.mu.Unlock()
	if r.Method != http.MethodPost || r.URL.Path != "/sandbox/knet/kpg/tranPipe.htm" || r.URL.Query().Get("param") != "tranInit" {
		f.other++
		http.NotFound(w, r)
		return
	}
	tags := rootlessTags(string(body))
	f.calls = append(f.calls, tranPipeCall{Path: r.URL.Path, Query: r.URL.RawQuery,
		ContentType: r.Header.Get("Content-Type"), Body: string(body), Tags: tags})
	w.Header().Set("Content-Type", "text/plain")
	if f.status != 0 {
		w.WriteHeader(f.status)
		io.WriteString(w, f.body)
		return
	}
	if tags["id"] != testID || tags["password"] != testPassword {
		io.WriteString(w, `<error_code_tag>IPAY0100015</error_code_tag><error_text>Invalid tranportal password</error_text>`)
		return
	}
	switch tags["action"] {
	case "8":
		byTrack := tags["udf5"] == "TrackID" && tags["transid"] == tags["trackid"]
		byTran := tags["udf5"] == "TransID" && tags["transid"] != "" // a refund, by its own tranid
		if !byTrack && !byTran {
			io.WriteString(w, `<error_code_tag>IPAY0100020</error_code_tag><error_text>Invalid action type</error_text>`)
			return
		}
		if a, ok := f.inquiry[tags["trackid"]]; ok {
			io.WriteString(w, a)
			return
		}
		io.WriteString(w, f.notFound)
	case "2":
		io.WriteString(w, f.refund)
	default:
		io.WriteString(w, `<error_code_tag>IPAY0100020</error_code_tag><error_text>Invalid action type</error_text>`)
	}
}

func (f *fakeKNET) setInquiry(trackID, answer string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.inquiry[trackID] = answer
}

// count returns how many requests the fake received, on any path.
func (f *fakeKNET) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls) + f.other
}

func (f *fakeKNET) last() tranPipeCall {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.calls) == 0 {
		f.t.Fatal("no tranPipe request received")
	}
	return f.calls[len(f.calls)-1]
}

// inquiryAnswer is an action 8 answer shaped like the manual's sample (spec §6).
func inquiryAnswer(result, payid, trackID, amt string) string {
	return fmt.Sprintf(`<result>%s</result><payid>%s</payid><trackid>%s</trackid><udf1></udf1><udf5></udf5>`+
		`<ref>411857974849</ref><auth>999554</auth><postdate>0427</postdate><tranid>9929892231041180</tranid><amt>%s</amt>`,
		result, payid, trackID, amt)
}

// notification is a decrypted notification shaped like the manual's §5 sample.
type notification struct {
	PaymentID, Result, Auth, Ref, TranID, TrackID, Amt, Error, ErrorText string
}

func captured() notification {
	return notification{PaymentID: "8962225231041180", Result: "CAPTURED", Auth: "999554", Ref: "411857974849",
		TranID: "9929892231041180", TrackID: testTrackID, Amt: "20.550"}
}

// plain is the notification's plain text in the manual's field order, form-encoded.
func (n notification) plain() string {
	esc := func(s string) string { return strings.ReplaceAll(s, " ", "+") }
	s := "paymentid=" + n.PaymentID + "&result=" + esc(n.Result) + "&auth=" + n.Auth + "&avr=N&ref=" + n.Ref +
		"&tranid=" + n.TranID + "&postdate=0427&trackid=" + n.TrackID + "&udf1=ord_1&udf2=&udf3=&udf4=&udf5=&amt=" + n.Amt
	if n.Error != "" {
		s += "&Error=" + n.Error + "&ErrorText=" + esc(n.ErrorText)
	} else if n.Result == "CAPTURED" {
		s += "&authResponseCode=00"
	}
	return s
}

// body is the form KNET posts: trandata = the encrypted plain text.
func (n notification) body(t *testing.T) []byte {
	t.Helper()
	td, err := encryptTrandata([]byte(testKey), n.plain())
	if err != nil {
		t.Fatal(err)
	}
	return []byte("trandata=" + td)
}
