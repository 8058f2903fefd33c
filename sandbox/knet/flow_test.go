package knet

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

var upperHex = regexp.MustCompile(`^[0-9A-F]+$`)

// The manual's field order (spec §4.1).
var responseOrder = []string{"paymentid", "result", "auth", "avr", "ref", "tranid", "postdate", "trackid",
	"udf1", "udf2", "udf3", "udf4", "udf5", "amt"}

func checkNotification(t *testing.T, n notification, pid string, p params) {
	t.Helper()
	if n.contentType != "application/x-www-form-urlencoded" {
		t.Errorf("content-type %q", n.contentType)
	}
	if len(n.form) != 1 || !upperHex.MatchString(n.form.Get("trandata")) {
		t.Errorf("notification form %v: want only trandata in upper-case hex", n.form)
	}
	if n.fields == nil {
		t.Fatal("trandata did not decrypt with the resource key")
	}
	var keys []string
	for _, part := range strings.Split(n.plain, "&") {
		k, _, _ := strings.Cut(part, "=")
		keys = append(keys, k)
	}
	want := append([]string{}, responseOrder...)
	if n.fields.Get("authResponseCode") != "" {
		want = append(want, "authResponseCode")
	}
	if strings.Join(keys, ",") != strings.Join(want, ",") {
		t.Errorf("field order %v, want %v", keys, want)
	}
	if n.fields.Get("paymentid") != pid || n.fields.Get("trackid") != p.get("trackid") ||
		n.fields.Get("amt") != "6.000" || n.fields.Get("udf1") != "att1" || n.fields.Get("avr") != "N" {
		t.Errorf("notification %q", n.plain)
	}
}

func TestTestCardOutcomes(t *testing.T) {
	tests := []struct {
		name, card, month, year string
		result, respCode        string
		inquiry                 string
	}{
		{"magic expiry", cardTest1, "09", "2030", resultCaptured, "00", resultCaptured},
		{"second test card", cardTest2, "09", "2030", resultCaptured, "00", resultCaptured},
		{"manual's old expiry", cardTest1, "09", "2021", resultNotCaptured, "05", "FAILURE(NOT CAPTURED)"},
		{"aggregators' decline expiry", cardTest2, "05", "2021", resultNotCaptured, "05", "FAILURE(NOT CAPTURED)"},
		{"host timeout card", cardHostTimeout, "01", "2027", resultHostTimeout, "", resultCaptured},
		{"risk card", cardDenied, "09", "2030", resultDenied, "", "FAILURE(DENIED BY RISK)"},
		{"any other card", "4111111111111111", "09", "2030", resultNotCaptured, "05", "FAILURE(NOT CAPTURED)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, nil)
			p := e.defaultParams()
			pid, status, body, hdr := e.pay(p, tt.card, tt.month, tt.year)
			if status != http.StatusFound || hdr.Get("Location") != "https://shop.example/receipt/ORD1" {
				t.Fatalf("confirm: status %d, Location %q: %s", status, hdr.Get("Location"), body)
			}
			n := e.merchant.next(t)
			checkNotification(t, n, pid, p)
			f := n.fields
			if f.Get("result") != tt.result || f.Get("authResponseCode") != tt.respCode {
				t.Errorf("result %q authResponseCode %q", f.Get("result"), f.Get("authResponseCode"))
			}
			if strings.Contains(n.plain, "result=") && strings.Contains(tt.result, " ") && !strings.Contains(n.plain, strings.ReplaceAll(tt.result, " ", "+")) {
				t.Errorf("space not encoded as +: %q", n.plain)
			}
			if (tt.result == resultCaptured) != (len(f.Get("auth")) == 6) {
				t.Errorf("auth %q", f.Get("auth"))
			}
			if len(f.Get("tranid")) != 16 || len(f.Get("ref")) != 12 || f.Get("postdate") != "0301" {
				t.Errorf("tranid %q ref %q postdate %q", f.Get("tranid"), f.Get("ref"), f.Get("postdate"))
			}

			if tt.result == resultHostTimeout {
				// Until the issuer's late answer shows, the inquiry says HOST TIMEOUT too.
				if r := e.inquire(p.get("trackid"), "6.000"); r["result"] != resultHostTimeout {
					t.Errorf("inquiry before the host timeout settles: %v", r["result"])
				}
				e.clock.Advance(6 * time.Second)
			}
			// Inquiry by each identifier (spec §6).
			for _, by := range []struct{ transid, udf5 string }{
				{f.Get("tranid"), ""}, {f.Get("tranid"), "TransID"}, {p.get("trackid"), "TrackID"},
				{pid, "PaymentID"}, {f.Get("ref"), "RefID"}, {f.Get("ref"), "SeqNum"},
			} {
				r := e.tranPipe(inquiryXML("8", by.transid, "6.000", p.get("trackid"), by.udf5))
				if r["result"] != tt.inquiry || r["payid"] != pid || r["tranid"] != f.Get("tranid") || r["amt"] != "6.000" {
					t.Errorf("inquiry by %q: %v", by.udf5, r)
				}
			}
			r := e.inquire(p.get("trackid"), "6.000")
			if tt.inquiry == resultCaptured && (len(r["auth"]) != 6 || r["authRespCode"] != "00") {
				t.Errorf("captured inquiry without auth: %v", r)
			}
			if !strings.HasPrefix(r["_raw"], "<result>") {
				t.Errorf("inquiry answer %q", r["_raw"])
			}

			// The payment page now says it is finished; nothing charges twice.
			for _, form := range []url.Values{
				{"PaymentID": {pid}, "action": {"confirm"}},
				cardForm4(pid, cardTest1, "09", "2030", "1234"),
				{"PaymentID": {pid}, "action": {"cancel"}},
			} {
				status, page, _ := e.post(form)
				if status != http.StatusOK || !strings.Contains(page, `data-testid="knet-result" data-status="`+tt.result+`"`) ||
					!strings.Contains(page, `href="https://shop.example/receipt/ORD1"`) {
					t.Errorf("finished page: status %d", status)
				}
			}
			e.none()
			if c := e.merchant.count.Load(); c != 1 {
				t.Errorf("%d notifications, want 1", c)
			}
		})
	}
}

func TestCancel(t *testing.T) {
	for _, from := range []string{"card page", "confirmation"} {
		t.Run(from, func(t *testing.T) {
			e := newEnv(t, nil)
			p := e.defaultParams()
			pid := e.start(p)
			if from == "confirmation" {
				e.submit(pid, cardTest1, "09", "2030")
			}
			status, _, hdr := e.action(pid, "cancel")
			if status != http.StatusFound || hdr.Get("Location") != "https://shop.example/receipt/ORD1" {
				t.Fatalf("cancel: status %d, Location %q", status, hdr.Get("Location"))
			}
			n := e.merchant.next(t)
			checkNotification(t, n, pid, p)
			want := "paymentid=" + pid + "&result=CANCELED&auth=&avr=N&ref=&tranid=&postdate=&trackid=" + p.get("trackid") +
				"&udf1=att1&udf2=&udf3=&udf4=&udf5=&amt=6.000"
			if n.plain != want {
				t.Errorf("notification\n got %q\nwant %q", n.plain, want)
			}
			r := e.inquire(p.get("trackid"), "6.000")
			if r["result"] != "FAILURE(CANCELED)" || r["payid"] != pid {
				t.Errorf("inquiry %v", r)
			}
			if r := e.tranPipe(inquiryXML("2", p.get("trackid"), "1.000", p.get("trackid"), "TrackID")); r["error_code_tag"] != errCaptureCheck {
				t.Errorf("refund of a cancelled payment: %v", r)
			}
		})
	}
}

// Any answer but one REDIRECT= line, or none in NotifyTimeout, auto-voids
// the transaction: one attempt, no retry (spec §4.4, §9.2).
func TestHandshakeFailureAutoVoids(t *testing.T) {
	tests := []struct {
		name  string
		rep   reply
		code  string
		close bool
	}{
		{"500", reply{500, "REDIRECT=https://shop.example/r", 0}, errMerchantResponse, false},
		{"302", reply{302, "", 0}, errMerchantResponse, false},
		{"html", reply{200, "<html><body>REDIRECT=https://shop.example/r</body></html>", 0}, errMerchantResponse, false},
		{"no REDIRECT", reply{200, "OK", 0}, errMerchantResponse, false},
		{"empty", reply{200, "", 0}, errMerchantResponse, false},
		{"lower case", reply{200, "redirect=https://shop.example/r", 0}, errMerchantResponse, false},
		{"extra line", reply{200, "REDIRECT=https://shop.example/r\nDEBUG: ok", 0}, errMerchantResponse, false},
		{"relative URL", reply{200, "REDIRECT=/receipt/1", 0}, errMerchantResponse, false},
		{"timeout", reply{200, "REDIRECT=https://shop.example/r", 2 * time.Second}, errResponseURLDown, false},
		{"unreachable", reply{}, errResponseURLDown, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Well above a loaded machine's local round trip (100 ms once timed out a "500"
			// reply under load); the "timeout" case replies after 2 s.
			e := newEnv(t, func(c *Config) { c.NotifyTimeout = 500 * time.Millisecond })
			e.merchant.respond = func(notification) reply { return tt.rep }
			p := e.defaultParams()
			if tt.close {
				p = p.with("responseURL", "http://127.0.0.1:1/notify")
			}
			pid, status, page, hdr := e.pay(p, cardTest1, "09", "2030")
			if status != http.StatusOK || hdr.Get("Location") != "" {
				t.Fatalf("status %d, Location %q", status, hdr.Get("Location"))
			}
			checkPage(t, page, "en", "ltr")
			if !strings.Contains(page, `data-testid="knet-void" data-status="CAPTURED" data-code="`+tt.code+`"`) {
				t.Errorf("no void page with %s: %s", tt.code, page)
			}
			wantReturn := e.merchant.srv.URL + "/error?Error=" + tt.code + "&amp;ErrorText="
			if !strings.Contains(page, `data-testid="knet-return"`) || !strings.Contains(page, wantReturn) {
				t.Errorf("no link to errorURL with %s", tt.code)
			}
			if !tt.close {
				e.merchant.next(t)
			}
			e.idle()
			if c, want := e.merchant.count.Load(), map[bool]int32{true: 0, false: 1}[tt.close]; c != want {
				t.Errorf("%d notification attempts, want %d (no retry)", c, want)
			}
			r := e.inquire(p.get("trackid"), "6.000")
			if r["result"] != "FAILURE(NOT CAPTURED)" || r["payid"] != pid {
				t.Errorf("inquiry after auto-void: %v", r)
			}
			if r := e.tranPipe(inquiryXML("2", p.get("trackid"), "6.000", p.get("trackid"), "TrackID")); r["error_code_tag"] != errCaptureCheck {
				t.Errorf("refund after auto-void: %v", r)
			}
			_, again, _ := e.do(http.MethodGet, e.pagePath(pid), nil, "")
			if !strings.Contains(again, `data-testid="knet-void"`) {
				t.Error("reloading does not show the void page")
			}
			if !strings.Contains(e.logs.String(), "auto-voided") {
				t.Error("auto-void not logged")
			}
		})
	}
}

func TestHandshakeAcceptedReplies(t *testing.T) {
	for name, body := range map[string]string{
		"bare":           "REDIRECT=https://shop.example/receipt/ORD1",
		"LF":             "REDIRECT=https://shop.example/receipt/ORD1\n",
		"CRLF":           "REDIRECT=https://shop.example/receipt/ORD1\r\n",
		"trailing blank": "REDIRECT=https://shop.example/receipt/ORD1\n\n  \n",
		"BOM":            "\ufeffREDIRECT=https://shop.example/receipt/ORD1",
	} {
		t.Run(name, func(t *testing.T) {
			e := newEnv(t, nil)
			e.merchant.respond = func(notification) reply { return reply{200, body, 0} }
			_, status, _, hdr := e.pay(e.defaultParams(), cardTest1, "09", "2030")
			if status != http.StatusFound || hdr.Get("Location") != "https://shop.example/receipt/ORD1" {
				t.Errorf("status %d, Location %q", status, hdr.Get("Location"))
			}
		})
	}
}

// A merchant confirms by inquiry inside its notification handler, as the
// manual asks: the result is already there during the handshake — for HOST
// TIMEOUT that is HOST TIMEOUT, until the issuer's late approval shows.
func TestInquiryDuringHandshake(t *testing.T) {
	e := newEnv(t, nil)
	p := e.defaultParams()
	var got xmlResult
	e.merchant.respond = func(n notification) reply {
		got = e.inquire(n.fields.Get("trackid"), n.fields.Get("amt"))
		return reply{200, "REDIRECT=https://shop.example/receipt/ORD1", 0}
	}
	e.pay(p, cardHostTimeout, "12", "2026")
	if n := e.merchant.next(t); n.fields.Get("result") != resultHostTimeout {
		t.Errorf("notified %q", n.fields.Get("result"))
	}
	if got["result"] != resultHostTimeout {
		t.Errorf("inquiry during the handshake: %v, want HOST TIMEOUT until the issuer answers", got)
	}
	e.clock.Advance(6 * time.Second)
	if r := e.inquire(p.get("trackid"), "6.000"); r["result"] != resultCaptured {
		t.Errorf("inquiry after the host timeout settled: %v", r["result"])
	}
}

func TestDoubleConfirmChargesOnce(t *testing.T) {
	e := newEnv(t, nil)
	e.merchant.respond = func(notification) reply {
		return reply{200, "REDIRECT=https://shop.example/receipt/ORD1", 50 * time.Millisecond}
	}
	pid := e.start(e.defaultParams())
	e.submit(pid, cardTest1, "09", "2030")
	var wg sync.WaitGroup
	statuses := make(chan int, 5)
	for range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			status, _, _ := e.action(pid, "confirm")
			statuses <- status
		}()
	}
	wg.Wait()
	close(statuses)
	redirects, busy := 0, 0
	for s := range statuses {
		switch s {
		case http.StatusFound:
			redirects++
		case http.StatusConflict:
			busy++
		}
	}
	if redirects != 1 || busy != 4 {
		t.Errorf("%d redirects, %d busy pages; want 1 and 4", redirects, busy)
	}
	e.merchant.next(t)
	e.none()
}

func TestBusyPage(t *testing.T) {
	e := newEnv(t, nil)
	release := make(chan struct{})
	e.merchant.respond = func(notification) reply {
		<-release
		return reply{200, "REDIRECT=https://shop.example/receipt/ORD1", 0}
	}
	pid := e.start(e.defaultParams().with("langid", "AR"))
	e.submit(pid, cardTest1, "09", "2030")
	done := make(chan int)
	go func() {
		status, _, _ := e.action(pid, "confirm")
		done <- status
	}()
	e.merchant.next(t)
	status, page, _ := e.do(http.MethodGet, e.pagePath(pid), nil, "")
	if status != http.StatusConflict || !strings.Contains(page, `data-testid="knet-busy"`) || !strings.Contains(page, errInProgress) {
		t.Errorf("busy page: status %d", status)
	}
	checkPage(t, page, "ar", "rtl")
	close(release)
	if s := <-done; s != http.StatusFound {
		t.Errorf("confirm: status %d", s)
	}
}

func TestSessionExpiry(t *testing.T) {
	e := newEnv(t, nil)
	p := e.defaultParams()
	pid := e.start(p)
	e.submit(pid, cardTest1, "09", "2030")
	e.clock.Advance(SessionTimeout - time.Second)
	if _, page, _ := e.do(http.MethodGet, e.pagePath(pid), nil, ""); !strings.Contains(page, `data-testid="knet-confirm"`) {
		t.Fatal("expired too early")
	}
	e.clock.Advance(time.Second)
	for _, do := range []func() (int, string, http.Header){
		func() (int, string, http.Header) { return e.action(pid, "confirm") },
		func() (int, string, http.Header) { return e.do(http.MethodGet, e.pagePath(pid), nil, "") },
		func() (int, string, http.Header) { return e.action(pid, "cancel") },
	} {
		status, _, hdr := do()
		u, _ := url.Parse(hdr.Get("Location"))
		if status != http.StatusFound || !strings.HasPrefix(hdr.Get("Location"), e.merchant.srv.URL+"/error?") {
			t.Fatalf("status %d, Location %q", status, hdr.Get("Location"))
		}
		q := u.Query()
		if q.Get("Error") != errTimeLimit || q.Get("ErrorText") != "IPAY0100042 - Transaction time limit exceeds" ||
			q.Get("paymentid") != pid || q.Get("trackid") != p.get("trackid") || q.Get("amt") != "6.000" || q.Get("udf1") != "att1" {
			t.Errorf("errorURL query %v", q)
		}
	}
	e.none()
	if r := e.inquire(p.get("trackid"), "6.000"); r["error_code_tag"] != errTimeLimit {
		t.Errorf("inquiry after expiry: %v", r)
	}
	// The inquiry alone expires a payment too.
	p2 := e.defaultParams()
	e.start(p2)
	e.clock.Advance(SessionTimeout)
	if r := e.inquire(p2.get("trackid"), "6.000"); r["error_code_tag"] != errTimeLimit {
		t.Errorf("inquiry of an abandoned page: %v", r)
	}
}

func TestCloseAbortsHandshake(t *testing.T) {
	e := newEnv(t, nil)
	e.merchant.respond = func(notification) reply {
		return reply{200, "REDIRECT=https://shop.example/r", 5 * time.Second}
	}
	pid := e.start(e.defaultParams())
	e.submit(pid, cardTest1, "09", "2030")
	done := make(chan string)
	go func() {
		_, page, _ := e.action(pid, "confirm")
		done <- page
	}()
	e.merchant.next(t)
	start := time.Now()
	e.sim.Close()
	page := <-done
	if time.Since(start) > 2*time.Second || !strings.Contains(page, `data-testid="knet-void"`) {
		t.Errorf("Close did not abort the handshake (%v)", time.Since(start))
	}
}

func TestSecretsStayOutOfLogs(t *testing.T) {
	e := newEnv(t, nil)
	p := e.defaultParams()
	e.pay(p, cardTest1, "09", "2030")
	e.merchant.next(t)
	e.inquire(p.get("trackid"), "6.000")
	e.do(http.MethodGet, e.initPath(p.with("password", "nope")), nil, "")
	e.tranPipe("<id>123456</id><password>wrong-pass</password><action>8</action>")
	logs := e.logs.String()
	for _, secret := range []string{SandboxTranportalPassword, SandboxResourceKey, "wrong-pass", "trandata="} {
		if strings.Contains(logs, secret) {
			t.Errorf("logs contain %q", secret)
		}
	}
	if !strings.Contains(logs, "payment initialized") || !strings.Contains(logs, p.get("trackid")) {
		t.Errorf("logs lack the payment: %s", logs)
	}
}
