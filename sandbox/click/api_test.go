package click

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

const (
	bodyInvalidHeader  = `{"apiVersion":"1","gatewayResponse":{"error":"INVALID_HEADER","status":"false"}}`
	bodyInvalidAuth    = `{"apiVersion":"1","gatewayResponse":{"error":"INVALID_AUTH","status":"false"}}`
	bodyInvalidRequest = `{"apiVersion":"1","gatewayResponse":{"error":"INVALID_REQUEST","status":"false"}}`
	bodyNotSupported   = `{"message":"Developer Not Supported","status":-1}`
	bodyNotAccepted    = `{"message":" Developer Not Accepted ","status":0}`
	bodySuspended      = `{"message":" Developer Suspended","status":0}`
	bodyDuplicate      = `{"message":" ORDER Duplicate ","status":0}`
	bodyExpire         = `{"message":" Session Expire","status":0}`
	bodyInvalidSession = `{"message":" INVALID SESSION","status":0}`
)

// apiCalls are the three calls with the developer user as the path's last
// segment but one's place given by dev.
func apiCalls(dev string) map[string]string {
	return map[string]string{
		"create": apiPath + "/" + dev,
		"update": apiPath + "/sessionupdate/" + dev,
		"status": apiPath + "/paymentstatus/" + dev,
	}
}

func TestAuthAndDeveloperErrors(t *testing.T) {
	e := newEnv(t, nil)
	tests := []struct {
		name   string
		dev    string
		method string
		header map[string]string
		status int
		want   string
	}{
		{"no Authorization", testDev, http.MethodPost, map[string]string{"Content-Type": "application/json"}, 200, bodyInvalidHeader},
		{"Basic scheme", testDev, http.MethodPost, map[string]string{"Authorization": "Basic " + testToken, "Content-Type": "application/json"}, 200, bodyInvalidHeader},
		{"empty Bearer", testDev, http.MethodPost, map[string]string{"Authorization": "Bearer ", "Content-Type": "application/json"}, 200, bodyInvalidHeader},
		{"no Content-Type", testDev, http.MethodPost, map[string]string{"Authorization": "Bearer " + testToken}, 200, bodyInvalidHeader},
		{"form Content-Type", testDev, http.MethodPost, map[string]string{"Authorization": "Bearer " + testToken, "Content-Type": "application/x-www-form-urlencoded"}, 200, bodyInvalidHeader},
		{"wrong token", testDev, http.MethodPost, map[string]string{"Authorization": "Bearer CIQC2Z5WUVTAKcBHISsOVMJIJE8PAbVe6", "Content-Type": "application/json"}, 200, bodyInvalidAuth},
		{"wrong developer", "Dev2", http.MethodPost, authHeaders(), 200, bodyNotSupported},
		{"developer case matters", "dev1", http.MethodPost, authHeaders(), 200, bodyNotSupported},
		{"GET", testDev, http.MethodGet, authHeaders(), 405, bodyInvalidRequest},
	}
	for _, tt := range tests {
		for call, path := range apiCalls(tt.dev) {
			t.Run(tt.name+"/"+call, func(t *testing.T) {
				r := e.do(tt.method, path, strings.NewReader(`{}`), tt.header)
				if r.status != tt.status || string(r.body) != tt.want {
					t.Errorf("got %v, want %d %s", r, tt.status, tt.want)
				}
				if ct := r.header.Get("Content-Type"); ct != "application/json" {
					t.Errorf("Content-Type %q", ct)
				}
			})
		}
	}
	// Charset parameters and "bearer" in lower case are fine.
	r := e.do(http.MethodPost, apiPath+"/"+testDev, nil,
		map[string]string{"Authorization": "bearer " + testToken, "Content-Type": "application/json; charset=utf-8"})
	if !strings.Contains(string(r.body), `"result":"SUCCESS"`) {
		t.Errorf("lenient headers refused: %v", r)
	}
	if strings.Contains(e.logs.String(), testToken) {
		t.Error("token logged")
	}
}

func TestDeveloperStatus(t *testing.T) {
	for _, tt := range []struct {
		status DeveloperStatus
		want   string
	}{{DeveloperNotAccepted, bodyNotAccepted}, {DeveloperSuspended, bodySuspended}} {
		e := newEnv(t, func(c *Config) { c.DeveloperStatus = tt.status })
		for call, path := range apiCalls(testDev) {
			if r := e.call(path, `{}`); r.status != 200 || string(r.body) != tt.want {
				t.Errorf("%s: got %v, want %s", call, r, tt.want)
			}
		}
		// Credentials are still checked first.
		r := e.do(http.MethodPost, apiPath+"/"+testDev, nil, map[string]string{"Authorization": "Bearer nope", "Content-Type": "application/json"})
		if string(r.body) != bodyInvalidAuth {
			t.Errorf("wrong token on a %v account: %v", tt.status, r)
		}
	}
}

func TestCustomCredentials(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.DeveloperUser, c.Token = "Shop7", "tok_custom_123" })
	if r := e.call(apiPath+"/"+testDev, ""); string(r.body) != bodyInvalidAuth {
		t.Errorf("sandbox token accepted by a custom config: %v", r)
	}
	r := e.do(http.MethodPost, apiPath+"/Shop7", nil, map[string]string{"Authorization": "Bearer tok_custom_123", "Content-Type": "application/json"})
	if !strings.Contains(string(r.body), `"result":"SUCCESS"`) {
		t.Errorf("custom credentials refused: %v", r)
	}
}

func TestCreateSession(t *testing.T) {
	e := newEnv(t, nil)
	r := e.call(apiPath+"/"+testDev, "")
	if r.status != http.StatusOK {
		t.Fatalf("got %v", r)
	}
	if !strings.HasPrefix(string(r.body), `{"apiVersion":1,"gatewayResponse":{"result":"SUCCESS","session_id":"U0VTU0lPTj`) {
		t.Errorf("shape: %s", r.body)
	}
	var c created
	if err := json.Unmarshal(r.body, &c); err != nil {
		t.Fatal(err)
	}
	g := c.GatewayResponse
	if c.APIVersion.String() != "1" || g.Status != "No_status" || len(g.SessionID) != 36 || len(g.IndicatorStatus) != 39 {
		t.Errorf("unexpected %+v", c)
	}
	// 09:00 UTC + 45 min = 12:45 in Kuwait.
	if g.SessionExpire.Date != "2025-03-01 12:45:00.000000" || g.SessionExpire.TimezoneType != 3 || g.SessionExpire.Timezone != "Asia/Kuwait" {
		t.Errorf("session_expire %+v", g.SessionExpire)
	}
	sid2, ind2 := e.createSession()
	if sid2 == g.SessionID || ind2 == g.IndicatorStatus {
		t.Error("session ids or indicators repeat")
	}
	// A body, though the call has none, is ignored.
	if r := e.call(apiPath+"/"+testDev, `{"order_id":1}`); !strings.Contains(string(r.body), `"SUCCESS"`) {
		t.Errorf("body not ignored: %v", r)
	}
	if strings.Contains(e.logs.String(), g.IndicatorStatus) {
		t.Error("indicator logged")
	}
}

func TestCreateSessionTTL(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.SessionTTL = 10 * time.Minute })
	var c created
	_ = json.Unmarshal(e.call(apiPath+"/"+testDev, "").body, &c)
	if c.GatewayResponse.SessionExpire.Date != "2025-03-01 12:10:00.000000" {
		t.Errorf("date %q", c.GatewayResponse.SessionExpire.Date)
	}
}

func TestUpdateSession(t *testing.T) {
	e := newEnv(t, nil)
	sid, _ := e.createSession()
	r := e.call(apiPath+"/sessionupdate/"+testDev, updateBodyJSON(sid, 356, "6", shopReturn))
	want := `{"apiVersion":1,"gatewayResponse":{"result":"SUCCESS","session_id":"` + sid + `","order_id":356,"payment_url":"` +
		e.srv.URL + testBase + `/gateway/` + sid + `","status":"No_status"}}`
	if r.status != http.StatusOK || string(r.body) != want {
		t.Fatalf("got %v\nwant %s", r, want)
	}
	if s := e.status(sid, 356); s != `{"Order_id":356,"Status":"No_status","Response":"No_status"}` {
		t.Errorf("status %s", s)
	}
}

func TestUpdateSessionLanguage(t *testing.T) {
	e := newEnv(t, nil)
	tests := []struct {
		suffix, bodyLang, want string
	}{
		{"", "", "en"},
		{"/en", "", "en"},
		{"/ar", "", "ar"},
		{"/AR", "", "ar"},
		{"/fr", "", "en"},
		{"", `"ar"`, "ar"},
		{"/en", `"ar"`, "en"},
	}
	for i, tt := range tests {
		sid, _ := e.createSession()
		body := updateBodyJSON(sid, 100+i, "6", shopReturn)
		if tt.bodyLang != "" {
			body = strings.TrimSuffix(body, "}") + `,"lang":` + tt.bodyLang + `}`
		}
		if r := e.call(apiPath+"/sessionupdate/"+testDev+tt.suffix, body); !strings.Contains(string(r.body), "SUCCESS") {
			t.Fatalf("%q: %v", tt.suffix, r)
		}
		page := string(e.get(gw(sid)).body)
		if !strings.Contains(page, `<html lang="`+tt.want+`"`) {
			t.Errorf("path %q body lang %s: page not %s", tt.suffix, tt.bodyLang, tt.want)
		}
	}
}

func TestUpdateSessionBodies(t *testing.T) {
	e := newEnv(t, nil)
	const ret = `"return_url":"https://shop.example/r"`
	tests := []struct {
		name, body string
		ok         bool
	}{
		{"seed sample keys", `{"session_id":"SID","order_id":1,"order_amout":100,"Customer_id":1,` + ret + `,"customer_name":" Customer ","customer_phone":12345678,"customer_email":" order@orders.com ","customer_address":"Customer Address","customer_comment":"Comment","customer_civilid":123456789123}`, true},
		{"table casing Order_amout", `{"session_id":"SID","order_id":1,"Order_amout":6.5,` + ret + `}`, true},
		{"amount string with fils", `{"session_id":"SID","order_id":1,"order_amout":"6.125",` + ret + `}`, true},
		{"order_id string", `{"session_id":"SID","order_id":"12",` + `"order_amout":6,` + ret + `}`, true},
		{"session_id with spaces", `{"session_id":" SID ","order_id":1,"order_amout":6,` + ret + `}`, true},
		{"not JSON", `order_id=1`, false},
		{"JSON array", `[1]`, false},
		{"correctly spelled order_amount", `{"session_id":"SID","order_id":1,"order_amount":6,` + ret + `}`, false},
		{"no amount", `{"session_id":"SID","order_id":1,` + ret + `}`, false},
		{"zero amount", `{"session_id":"SID","order_id":1,"order_amout":0,` + ret + `}`, false},
		{"negative amount", `{"session_id":"SID","order_id":1,"order_amout":-6,` + ret + `}`, false},
		{"four decimals", `{"session_id":"SID","order_id":1,"order_amout":6.1234,` + ret + `}`, false},
		{"exponent", `{"session_id":"SID","order_id":1,"order_amout":6e2,` + ret + `}`, false},
		{"above decimal(8,2)", `{"session_id":"SID","order_id":1,"order_amout":1000000,` + ret + `}`, false},
		{"amount bool", `{"session_id":"SID","order_id":1,"order_amout":true,` + ret + `}`, false},
		{"no order_id", `{"session_id":"SID","order_amout":6,` + ret + `}`, false},
		{"order_id zero", `{"session_id":"SID","order_id":0,"order_amout":6,` + ret + `}`, false},
		{"order_id fraction", `{"session_id":"SID","order_id":1.5,"order_amout":6,` + ret + `}`, false},
		{"order_id above int(11)", `{"session_id":"SID","order_id":2147483648,"order_amout":6,` + ret + `}`, false},
		{"order_id letters", `{"session_id":"SID","order_id":"A1","order_amout":6,` + ret + `}`, false},
		{"no return_url", `{"session_id":"SID","order_id":1,"order_amout":6}`, false},
		{"return_url with the sample's trailing space", `{"session_id":"SID","order_id":1,"order_amout":6,"return_url ":"https://shop.example/r"}`, false},
		{"scheme-less return_url", `{"session_id":"SID","order_id":1,"order_amout":6,"return_url":"Www.order.com/return"}`, false},
		{"ftp return_url", `{"session_id":"SID","order_id":1,"order_amout":6,"return_url":"ftp://shop.example/r"}`, false},
		{"long return_url", `{"session_id":"SID","order_id":1,"order_amout":6,"return_url":"https://shop.example/` + strings.Repeat("a", 250) + `"}`, false},
		{"customer_name object", `{"session_id":"SID","order_id":1,"order_amout":6,` + ret + `,"customer_name":{"a":1}}`, false},
		{"customer_comment too long", `{"session_id":"SID","order_id":1,"order_amout":6,` + ret + `,"customer_comment":"` + strings.Repeat("x", 256) + `"}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, nil)
			sid, _ := e.createSession()
			r := e.call(apiPath+"/sessionupdate/"+testDev, strings.ReplaceAll(tt.body, "SID", sid))
			if tt.ok != strings.Contains(string(r.body), `"result":"SUCCESS"`) {
				t.Fatalf("ok=%v, got %v", tt.ok, r)
			}
			if !tt.ok && string(r.body) != bodyInvalidRequest {
				t.Errorf("got %v, want INVALID_REQUEST", r)
			}
			// A refused update changes nothing: the session has no order.
			if !tt.ok {
				if page := e.get(gw(sid)); page.status != http.StatusNotFound {
					t.Errorf("refused update left an order: %d", page.status)
				}
			}
		})
	}
	// order_id 12 came in as a string and is a number in the answer; the
	// fils of "6.125" are kept.
	sid, _ := e.createSession()
	e.call(apiPath+"/sessionupdate/"+testDev, `{"session_id":"`+sid+`","order_id":77,"order_amout":"6.125",`+ret+`}`)
	if page := string(e.get(gw(sid)).body); !strings.Contains(page, `data-testid="click-amount">6.125 KWD<`) {
		t.Errorf("amount not kept to the fils")
	}
}

func TestUpdateSessionErrors(t *testing.T) {
	e := newEnv(t, nil)
	update := func(sid string, order int) string {
		return string(e.call(apiPath+"/sessionupdate/"+testDev, updateBodyJSON(sid, order, "6", shopReturn)).body)
	}

	if got := update("U0VTU0lPTjnope", 1); got != bodyInvalidSession {
		t.Errorf("unknown session: %s", got)
	}
	if got := string(e.call(apiPath+"/sessionupdate/"+testDev, `{"order_id":1,"order_amout":6,"return_url":"https://s.example/"}`).body); got != bodyInvalidSession {
		t.Errorf("no session_id: %s", got)
	}

	a, _ := e.createSession()
	b, _ := e.createSession()
	if got := update(a, 10); !strings.Contains(got, "SUCCESS") {
		t.Fatalf("first update: %s", got)
	}
	if got := update(b, 10); got != bodyDuplicate {
		t.Errorf("order on another session: %s", got)
	}
	if got := update(a, 10); got != bodyDuplicate {
		t.Errorf("same order again on the same session: %s", got)
	}
	// Before Pay, the session may take another order; the first stays used.
	if got := update(a, 11); !strings.Contains(got, `"order_id":11`) {
		t.Errorf("re-update before Pay: %s", got)
	}
	if got := update(b, 10); got != bodyDuplicate {
		t.Errorf("order 10 freed: %s", got)
	}
	if got := e.status(a, 10); got != bodyInvalidSession {
		t.Errorf("status of the replaced order: %s", got)
	}

	// After Pay the session is locked.
	e.pay(a, methodKNET)
	if got := update(a, 12); got != bodyInvalidSession {
		t.Errorf("update after Pay: %s", got)
	}

	// Expiry, with the injected clock.
	c, _ := e.createSession()
	e.clock.Advance(45*time.Minute - time.Second)
	if got := update(c, 13); !strings.Contains(got, "SUCCESS") {
		t.Errorf("update just before expiry: %s", got)
	}
	d, _ := e.createSession()
	e.clock.Advance(45 * time.Minute)
	if got := update(d, 14); got != bodyExpire {
		t.Errorf("update after 45 minutes: %s", got)
	}
	if got := update(c, 15); got != bodyExpire {
		t.Errorf("re-update after 45 minutes: %s", got)
	}
}

func TestPaymentStatus(t *testing.T) {
	e := newEnv(t, nil)
	statusPath := apiPath + "/paymentstatus/" + testDev
	sid, _ := e.session(5, "6", "")

	if got := e.status(sid, 5); got != `{"Order_id":5,"Status":"No_status","Response":"No_status"}` {
		t.Errorf("before payment: %s", got)
	}
	for name, body := range map[string]string{
		"unknown session": `{"session_id":"U0VTU0lPTjx","order_id":5}`,
		"other order":     `{"session_id":"` + sid + `","order_id":6}`,
		"no session_id":   `{"order_id":5}`,
	} {
		if got := string(e.call(statusPath, body).body); got != bodyInvalidSession {
			t.Errorf("%s: %s", name, got)
		}
	}
	for name, body := range map[string]string{
		"not JSON":    `session_id=x`,
		"no order_id": `{"session_id":"` + sid + `"}`,
		"bad order":   `{"session_id":"` + sid + `","order_id":"five"}`,
	} {
		if got := string(e.call(statusPath, body).body); got != bodyInvalidRequest {
			t.Errorf("%s: %s", name, got)
		}
	}
	// The seed's sample pads the session id with spaces; order_id may be a string.
	if got := string(e.call(statusPath, `{"session_id":" `+sid+` ","order_id":"5"}`).body); !strings.Contains(got, `"No_status"`) {
		t.Errorf("lenient body: %s", got)
	}
	// A session without an order has no status.
	bare, _ := e.createSession()
	if got := e.status(bare, 5); got != bodyInvalidSession {
		t.Errorf("session without order: %s", got)
	}

	e.finishKNET(sid, knetValues(knetTestCard, "09", "2030"))
	if got := e.status(sid, 5); got != `{"Order_id":5,"Status":"success","Response":"success"}` {
		t.Errorf("after payment: %s", got)
	}
	// A paid session stays paid after its TTL.
	e.clock.Advance(2 * time.Hour)
	if got := e.status(sid, 5); !strings.Contains(got, `"Status":"success"`) {
		t.Errorf("paid, after TTL: %s", got)
	}
}

func TestPaymentStatusFailedAndExpired(t *testing.T) {
	e := newEnv(t, nil)
	failed, _ := e.session(1, "6", "")
	e.finishKNET(failed, knetValues(knetTestCard, "10", "2030"))
	if got := e.status(failed, 1); got != `{"Order_id":1,"Status":"error","Response":"wrong"}` {
		t.Errorf("declined: %s", got)
	}
	open, _ := e.session(2, "6", "")
	e.clock.Advance(45 * time.Minute)
	if got := e.status(open, 2); got != bodyExpire {
		t.Errorf("expired: %s", got)
	}
	if got := e.status(failed, 1); !strings.Contains(got, `"error"`) {
		t.Errorf("failed, after TTL: %s", got)
	}
}

func TestUnknownPaths(t *testing.T) {
	e := newEnv(t, nil)
	for _, p := range []string{testBase + "/", testBase + "/api/developer", apiPath + "/sessionupdate/Dev1/ar/x"} {
		if r := e.call(p, "{}"); r.status != http.StatusNotFound {
			t.Errorf("%s: %v", p, r)
		}
	}
}
