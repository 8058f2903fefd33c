package click

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

var errIndicatorRe = regexp.MustCompile(`^ERROR[0-9]{16}$`)

// checkReturn checks a result page's way back: the click-return link and
// the 5-second countdown (a script allowed by its hash) both go to want's parameters on shopReturn.
func checkReturn(t *testing.T, page, message, messageType string) url.Values {
	t.Helper()
	back := backURL(t, page)
	u, err := url.Parse(back)
	if err != nil || u.Scheme+"://"+u.Host+u.Path != shopReturn {
		t.Fatalf("return link %q", back)
	}
	q := u.Query()
	if q.Get("message") != message || q.Get("message_type") != messageType {
		t.Errorf("return parameters %v", q)
	}
	if !strings.Contains(page, `data-countdown="5"`) || !strings.Contains(page, "<script>"+countdownJS+"</script>") || strings.Contains(page, `http-equiv="refresh"`) {
		t.Errorf("no 5-second countdown to %s", back)
	}
	return q
}

func TestKNETPaid(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.MerchantName = "Vodafone" })
	sid, ind := e.session(356, "6", "")
	if loc := e.pay(sid, methodKNET); loc != gw(sid)+"/knet?lang=en" {
		t.Fatalf("Pay went to %s", loc)
	}
	e.clock.Advance(6 * time.Minute)
	r := e.post(gw(sid)+"/knet", knetValues("8888 8800 0000 0001", "09", "2030"))
	if r.status != http.StatusSeeOther || r.header.Get("Location") != gw(sid)+"/result?lang=en" {
		t.Fatalf("submit: %v %s", r, r.header.Get("Location"))
	}
	res := e.get(gw(sid) + "/result")
	page := string(res.body)
	checkPage(t, res, http.StatusOK, "en", "ltr",
		[]string{"click-result", "click-return", "click-payment-id", "click-transaction-id", "click-ref-id", "click-track-id", "click-amount"},
		[]string{`data-status="paid"`, "Payment To <bdi>Vodafone</bdi>", "Successful Payment", "Your Payment Status",
			"Payment ID", "Transaction ID", "Ref ID", ">356<", "6.000 KWD",
			// 09:06 UTC is 12:06 in Kuwait.
			`This Transaction Has Been Paid At <bdi dir="ltr">2025-03-01 12:06:00</bdi> Using K-Net`,
			"Please Wait! Until Redirecting To Website.", "will not be charged again"})
	q := checkReturn(t, page, "success", "success")
	if q.Get("indicator_status") != ind {
		t.Errorf("indicator %q, want the Create Session one", q.Get("indicator_status"))
	}
	if !regexp.MustCompile(`data-testid="click-payment-id">[0-9]{16}<`).MatchString(page) ||
		!regexp.MustCompile(`data-testid="click-ref-id">[0-9]{12}<`).MatchString(page) {
		t.Error("K-Net ids missing")
	}
	if got := e.status(sid, 356); got != `{"Order_id":356,"Status":"success","Response":"success"}` {
		t.Errorf("status %s", got)
	}

	// A finished payment is never charged twice: every action shows the result.
	for _, step := range []struct {
		path string
		form url.Values
	}{
		{"/knet", knetValues(knetTestCard, "10", "2030")},
		{"/knet", url.Values{"action": {"cancel"}}},
		{"/confirm", url.Values{"method": {"card"}}},
		{"/card", cardValues("5123450000000008", "05", "39", "100")},
	} {
		r := e.post(gw(sid)+step.path, step.form)
		if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), gw(sid)+"/result") {
			t.Errorf("POST %s after payment: %v", step.path, r)
		}
	}
	for _, p := range []string{"", "/confirm?method=knet", "/knet"} {
		if r := e.get(gw(sid) + p); r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), gw(sid)+"/result") {
			t.Errorf("GET %s after payment: %v", p, r)
		}
	}
	again := string(e.get(gw(sid) + "/result").body)
	if !strings.Contains(again, `data-status="paid"`) || backURL(t, again) != backURL(t, page) {
		t.Error("result changed after repeated actions")
	}
	if got := e.status(sid, 356); !strings.Contains(got, `"success"`) {
		t.Errorf("status after repeats %s", got)
	}
}

func TestKNETResultArabic(t *testing.T) {
	e := newEnv(t, nil)
	sid, _ := e.session(9, "12.5", "ar")
	e.pay(sid, methodKNET)
	r := e.post(gw(sid)+"/knet", knetValues(knetTestCard, "09", "2030"))
	if r.header.Get("Location") != gw(sid)+"/result?lang=ar" {
		t.Fatalf("went to %s", r.header.Get("Location"))
	}
	res := e.get(r.header.Get("Location"))
	checkPage(t, res, http.StatusOK, "ar", "rtl", []string{"click-result", "click-return"},
		[]string{"عملية دفع ناجحة", "12.500 د.ك", "تم دفع هذه العملية في", "باستخدام كي نت", "يرجى الانتظار! جارٍ التحويل إلى الموقع.",
			`href="` + gw(sid) + `/result?lang=en"`})
	checkReturn(t, string(res.body), "success", "success")
	checkPage(t, e.get(gw(sid)+"/result?lang=en"), http.StatusOK, "en", "ltr", []string{"click-result", "click-return"},
		[]string{"Successful Payment", "12.500 KWD"})
}

func TestKNETFailures(t *testing.T) {
	tests := []struct {
		name   string
		form   url.Values
		reason string
		text   string
	}{
		{"test card, other expiry", knetValues(knetTestCard, "10", "2030"), reasonDeclined, "Your bank did not approve the payment."},
		{"test card, other year", knetValues(knetTestCard, "09", "2031"), reasonDeclined, "Your bank did not approve the payment."},
		{"other card", knetValues("8888880000000002", "09", "2030"), reasonDeclined, "Your bank did not approve the payment."},
		{"cancel", url.Values{"action": {"cancel"}}, reasonCancelled, "You cancelled the payment."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, nil)
			sid, ind := e.session(42, "6", "")
			loc := e.finishKNET(sid, tt.form)
			res := e.get(loc)
			page := string(res.body)
			checkPage(t, res, http.StatusOK, "en", "ltr", []string{"click-result", "click-return"},
				[]string{`data-status="failed"`, `data-reason="` + tt.reason + `"`, "Failed Payment", tt.text,
					"Please Wait! Until Redirecting To Website."}, ind)
			q := checkReturn(t, page, "error", "wrong")
			if !errIndicatorRe.MatchString(q.Get("indicator_status")) {
				t.Errorf("indicator %q", q.Get("indicator_status"))
			}
			if got := e.status(sid, 42); got != `{"Order_id":42,"Status":"error","Response":"wrong"}` {
				t.Errorf("status %s", got)
			}
			// Finished: a second try with the good card changes nothing.
			e.post(gw(sid)+"/knet", knetValues(knetTestCard, "09", "2030"))
			if got := e.status(sid, 42); !strings.Contains(got, `"error"`) {
				t.Errorf("failed session paid later: %s", got)
			}
			if backURL(t, string(e.get(loc).body)) != backURL(t, page) {
				t.Error("error indicator changed")
			}
		})
	}
}

func TestCardOutcomes(t *testing.T) {
	e := newEnv(t, nil)
	sid, ind := e.session(77, "5", "")
	if loc := e.pay(sid, methodCard); loc != gw(sid)+"/card?lang=en" {
		t.Fatalf("Pay went to %s", loc)
	}
	refused := []struct {
		card, month, year, csc, code string
	}{
		{"5123450000000008", "05", "39", "100", "DECLINED"},
		{"5111111111111118", "04", "27", "100", "EXPIRED_CARD"},
		{"4508750015741019", "08", "28", "100", "TIMED_OUT"},
		{"5123450000000008", "01", "37", "100", "ACQUIRER_SYSTEM_ERROR"},
		{"5123450000000008", "02", "37", "100", "UNSPECIFIED_FAILURE"},
		{"5123450000000008", "05", "37", "100", "UNKNOWN"},
		{"5123450000000008", "12", "30", "100", "DECLINED"},
		{"4111111111111111", "01", "39", "100", "DECLINED"}, // not a test card
	}
	for _, tt := range refused {
		t.Run(tt.code+"/"+tt.card, func(t *testing.T) {
			f := cardValues(tt.card, tt.month, tt.year, tt.csc)
			r := e.post(gw(sid)+"/card", f)
			checkPage(t, r, http.StatusOK, "en", "ltr", append(cardIDs, "click-card-declined"),
				[]string{`data-code="` + tt.code + `"`, "The payment was not approved:", "لم تتم الموافقة على عملية الدفع:",
					`value="` + tt.card + `"`, `value="Test Payer"`})
			if got := e.status(sid, 77); !strings.Contains(got, "No_status") {
				t.Errorf("refused card changed the session: %s", got)
			}
		})
	}
	// The payer retries with the approved expiry; single-digit month is fine.
	r := e.post(gw(sid)+"/card", cardValues("5123 4500 0000 0008", "1", "39", "100"))
	if r.status != http.StatusSeeOther || r.header.Get("Location") != gw(sid)+"/result?lang=en" {
		t.Fatalf("approved card: %v", r)
	}
	res := e.get(gw(sid) + "/result")
	checkPage(t, res, http.StatusOK, "en", "ltr", []string{"click-result", "click-return", "click-amount"},
		[]string{`data-status="paid"`, "Successful Payment", "Total Amount", "5.000 KWD", "Using Credit Card"},
		"click-payment-id")
	q := checkReturn(t, string(res.body), "success", "success")
	if q.Get("indicator_status") != ind {
		t.Errorf("indicator %q", q.Get("indicator_status"))
	}
	if got := e.status(sid, 77); !strings.Contains(got, `"success"`) {
		t.Errorf("status %s", got)
	}
}

func TestCardApprovedAmex(t *testing.T) {
	e := newEnv(t, nil)
	sid, _ := e.session(78, "5", "")
	e.pay(sid, methodCard)
	if r := e.post(gw(sid)+"/card", cardValues("345678901234564", "01", "39", "1000")); r.status != http.StatusSeeOther {
		t.Fatalf("Amex: %v", r)
	}
	if got := e.status(sid, 78); !strings.Contains(got, `"success"`) {
		t.Errorf("status %s", got)
	}
}

func TestCardCancel(t *testing.T) {
	e := newEnv(t, nil)
	sid, _ := e.session(79, "5", "ar")
	e.pay(sid, methodCard)
	r := e.post(gw(sid)+"/card", url.Values{"action": {"cancel"}, "lang": {"ar"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("cancel: %v", r)
	}
	res := e.get(r.header.Get("Location"))
	checkPage(t, res, http.StatusOK, "ar", "rtl", []string{"click-result", "click-return"},
		[]string{`data-reason="cancelled"`, "عملية دفع غير ناجحة", "لقد ألغيت عملية الدفع."})
	checkReturn(t, string(res.body), "error", "wrong")
	if got := e.status(sid, 79); !strings.Contains(got, `"error"`) {
		t.Errorf("status %s", got)
	}
}

func TestAmountBelowStoreFee(t *testing.T) {
	tests := []struct {
		name, amount, method string
		fails                bool
		fee                  string
	}{
		{"K-Net equal to fee", "0.25", methodKNET, true, "0.250 KWD"},
		{"K-Net below fee", "0.1", methodKNET, true, "0.250 KWD"},
		{"K-Net above fee", "0.251", methodKNET, false, ""},
		{"card below fee", "0.3", methodCard, true, "0.500 KWD"},
		{"card above fee", "0.501", methodCard, false, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, nil)
			sid, _ := e.session(5, tt.amount, "")
			loc := e.pay(sid, tt.method)
			if !tt.fails {
				if loc != gw(sid)+"/"+tt.method+"?lang=en" {
					t.Errorf("went to %s", loc)
				}
				return
			}
			if loc != gw(sid)+"/result?lang=en" {
				t.Fatalf("went to %s", loc)
			}
			res := e.get(loc)
			label := map[string]string{methodKNET: "K-Net", methodCard: "Credit Card"}[tt.method]
			checkPage(t, res, http.StatusOK, "en", "ltr", []string{"click-result", "click-return", "click-fee"},
				[]string{`data-reason="fee"`, "Failed Payment",
					`The order amount must be greater than <bdi dir="ltr">` + tt.fee + `</bdi> to pay with ` + label + `.`})
			q := checkReturn(t, string(res.body), "error", "wrong")
			if !errIndicatorRe.MatchString(q.Get("indicator_status")) {
				t.Errorf("indicator %q", q.Get("indicator_status"))
			}
			if got := e.status(sid, 5); !strings.Contains(got, `"error"`) {
				t.Errorf("status %s", got)
			}
		})
	}
}

func TestConfiguredFees(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.KNETFee, c.CardFee = "1", "not a number" })
	sid, _ := e.session(1, "1", "")
	if loc := e.pay(sid, methodKNET); !strings.HasSuffix(loc, "/result?lang=en") {
		t.Errorf("1.000 with a 1.000 fee went to %s", loc)
	}
	sid2, _ := e.session(2, "0.6", "")
	if loc := e.pay(sid2, methodCard); !strings.HasSuffix(loc, "/card?lang=en") {
		t.Errorf("invalid CardFee did not fall back to 0.500: %s", loc)
	}
	if !strings.Contains(e.logs.String(), "invalid fee") {
		t.Error("invalid fee not logged")
	}
}

func TestSessionExpiry(t *testing.T) {
	e := newEnv(t, nil)
	sid, ind := e.session(8, "6", "")
	e.pay(sid, methodKNET)
	e.clock.Advance(45*time.Minute - time.Second)
	if r := e.get(gw(sid) + "/knet"); r.status != http.StatusOK {
		t.Fatalf("just before expiry: %v", r)
	}
	e.clock.Advance(time.Second)
	r := e.post(gw(sid)+"/knet", knetValues(knetTestCard, "09", "2030"))
	if r.status != http.StatusSeeOther || r.header.Get("Location") != gw(sid)+"/result?lang=en" {
		t.Fatalf("submit after expiry: %v", r)
	}
	res := e.get(gw(sid) + "/result")
	checkPage(t, res, http.StatusGone, "en", "ltr", []string{"click-result", "click-return"},
		[]string{`data-status="expired"`, `data-reason="expired"`, "Session Expired", "This payment session has expired."}, ind)
	q := checkReturn(t, string(res.body), "error", "wrong")
	if !errIndicatorRe.MatchString(q.Get("indicator_status")) {
		t.Errorf("indicator %q", q.Get("indicator_status"))
	}
	if got := e.status(sid, 8); got != bodyExpire {
		t.Errorf("status %s", got)
	}
	// Another session, never opened: its pages show the expiry too.
	other, _ := e.session(9, "6", "ar")
	e.clock.Advance(45 * time.Minute)
	if r := e.get(gw(other)); r.status != http.StatusSeeOther || r.header.Get("Location") != gw(other)+"/result?lang=ar" {
		t.Errorf("methods page after expiry: %v", r)
	}
	checkPage(t, e.get(gw(other)+"/result"), http.StatusGone, "ar", "rtl", []string{"click-result"}, []string{"انتهت صلاحية الجلسة"})
}

func TestReturnURLKeepsQueryAndFragment(t *testing.T) {
	e := newEnv(t, nil)
	sid, ind := e.createSession()
	ret := "https://shop.example/pay/return?att=att_1&x=a%20b#top"
	if r := e.call(apiPath+"/sessionupdate/"+testDev, updateBodyJSON(sid, 1, "6", ret)); !strings.Contains(string(r.body), "SUCCESS") {
		t.Fatalf("update: %v", r)
	}
	e.finishKNET(sid, knetValues(knetTestCard, "09", "2030"))
	back := backURL(t, string(e.get(gw(sid)+"/result").body))
	want := "https://shop.example/pay/return?att=att_1&x=a%20b&message=success&message_type=success&indicator_status=" + ind + "#top"
	if back != want {
		t.Errorf("back %s\nwant %s", back, want)
	}
}

func TestNoNotificationsAndNoSecretsInLogs(t *testing.T) {
	e := newEnv(t, nil)
	sid, ind := e.session(1, "6", "")
	e.finishKNET(sid, knetValues(knetTestCard, "09", "2030"))
	sid2, ind2 := e.session(2, "6", "")
	e.finishKNET(sid2, knetValues(knetTestCard, "01", "2030"))
	e.status(sid, 1)
	e.sim.Close()
	if len(e.out.calls) != 0 {
		t.Errorf("CLK sends no notifications, got %v", e.out.calls)
	}
	logs := e.logs.String()
	for _, secret := range []string{testToken, ind, ind2} {
		if strings.Contains(logs, secret) {
			t.Errorf("%q logged", secret)
		}
	}
	if !strings.Contains(logs, "order_id=1") {
		t.Errorf("logs lack the order: %s", logs)
	}
}
