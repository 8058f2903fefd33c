package alqaseh

import (
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

var uuidText = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestAuthRequiredOnEveryEndpoint(t *testing.T) {
	e := newEnv(t, nil)
	id, token := e.create(createBody("ORD-AUTH", "", ""))
	routes := []struct{ method, path, body string }{
		{http.MethodPost, "/create", createBody("ORD-AUTH-2", "", "")},
		{http.MethodGet, "/" + id, ""},
		{http.MethodGet, "/info/" + token, ""},
		{http.MethodPost, "/process/" + token, `{"CardNumber":"5341432900077803","Cvv":"971","EXPMon":"01","EXPYear":"27"}`},
		{http.MethodPost, "/retry", `{"payment_id":"` + id + `"}`},
		{http.MethodPost, "/revoke", `{"payment_id":"` + id + `"}`},
		{http.MethodGet, "/history", ""},
		{http.MethodGet, "/history/download", ""},
	}
	creds := map[string]string{
		"none":          "",
		"bearer":        "Bearer " + SandboxClientSecret,
		"wrong secret":  basic(SandboxClientID, "Lr10yWWmm1dXLol7VgXCrQVnlq13c1G0"), // the Node sample's typo
		"wrong id":      basic("public_tes", SandboxClientSecret),
		"laravel value": basic(SandboxClientID, "1X6Bvq65kpx1Yes5fYA5mbm8ixiexONo"),
		"not base64":    "Basic !!!",
		"no colon":      "Basic " + "cHVibGljX3Rlc3Q=",
	}
	for _, rt := range routes {
		for name, cred := range creds {
			t.Run(rt.method+" "+rt.path+"/"+name, func(t *testing.T) {
				h := map[string]string{"Content-Type": "application/json"}
				if cred != "" {
					h["Authorization"] = cred
				}
				var body *strings.Reader
				if rt.body != "" {
					body = strings.NewReader(rt.body)
				} else {
					body = strings.NewReader("")
				}
				status, b, hdr := e.do(rt.method, testBase+"/v1/egw/payments"+rt.path, body, h)
				wantError(t, status, decode(t, b), http.StatusUnauthorized, "UNAUTHORIZED")
				if !strings.HasPrefix(hdr.Get("WWW-Authenticate"), "Basic") {
					t.Errorf("WWW-Authenticate = %q", hdr.Get("WWW-Authenticate"))
				}
			})
		}
	}
	// Nothing changed: the payment is still prepared and nothing was created.
	if got := str(e.get(id), "payment_status"); got != statusPrepared {
		t.Errorf("status after refused calls = %s", got)
	}
	if _, m := e.api(http.MethodGet, "/history", ""); m["total"] != json.Number("1") {
		t.Errorf("history total = %v", m["total"])
	}
	if strings.Contains(e.logs.String(), SandboxClientSecret) || strings.Contains(e.logs.String(), token) {
		t.Error("secret or token in the logs")
	}
}

func TestCustomCredentials(t *testing.T) {
	e := newEnv(t, func(c *Config) { c.ClientID, c.ClientSecret = "merchant_1", "s3cret" })
	h := auth()
	status, b, _ := e.do(http.MethodGet, testBase+"/v1/egw/payments/history", nil, h)
	wantError(t, status, decode(t, b), http.StatusUnauthorized, "UNAUTHORIZED")
	h["Authorization"] = basic("merchant_1", "s3cret")
	if status, _, _ := e.do(http.MethodGet, testBase+"/v1/egw/payments/history", nil, h); status != http.StatusOK {
		t.Errorf("custom credentials: %d", status)
	}
}

func TestCreateAndRetrieve(t *testing.T) {
	e := newEnv(t, nil)
	status, m := e.api(http.MethodPost, "/create", createBody("ORD-1001", "https://shop.example/webhooks/alqaseh",
		`,"country":"IQ","custom_data":{"attempt":"att_1","n":2},"nonce":"abc","p_sign":"whatever"`))
	if status != http.StatusOK {
		t.Fatalf("create: %d %v", status, m)
	}
	id, token := str(m, "payment_id"), str(m, "token")
	if !uuidText.MatchString(id) || !regexp.MustCompile(`^[A-Za-z0-9_-]{43}$`).MatchString(token) || len(m) != 2 {
		t.Fatalf("create answer = %v", m)
	}
	got := e.get(id)
	for k, want := range map[string]any{
		"payment_id":       id,
		"order_id":         "ORD-1001",
		"amount":           json.Number("25000"),
		"currency":         "IQD",
		"description":      "Order ORD-1001",
		"transaction_type": "Retail",
		"payment_status":   "prepared",
		"approval_code":    "",
		"rc":               "",
		"rrn":              "",
		"country":          "IQ",
		"merchant_email":   "payer@example.com",
		"redirect_url":     "https://shop.example/return/alqaseh?att=1",
		"webhook_url":      "https://shop.example/webhooks/alqaseh",
		"created_at":       "2025-03-01T09:00:00Z",
		"updated_at":       "2025-03-01T09:00:00Z",
	} {
		if got[k] != want {
			t.Errorf("%s = %#v, want %#v", k, got[k], want)
		}
	}
	if cd, _ := got["custom_data"].(map[string]any); cd["attempt"] != "att_1" || cd["n"] != json.Number("2") {
		t.Errorf("custom_data = %v", got["custom_data"])
	}
	if _, ok := got["token"]; ok {
		t.Error("GET exposes the token")
	}
	hist, _ := got["payment_status_histories"].([]any)
	if len(hist) != 1 || hist[0].(map[string]any)["payment_status"] != "prepared" ||
		hist[0].(map[string]any)["payment_id"] != id {
		t.Errorf("payment_status_histories = %v", hist)
	}

	status, byToken := e.api(http.MethodGet, "/info/"+token, "")
	if status != http.StatusOK || str(byToken, "payment_id") != id || str(byToken, "order_id") != "ORD-1001" {
		t.Errorf("info by token: %d %v", status, byToken)
	}

	// USD keeps cents; custom_data absent is null.
	usd := `{"amount":12.50,"currency":"usd","order_id":"ORD-USD","description":"d","redirect_url":"http://localhost/r","transaction_type":"Authorization"}`
	id2, _ := e.create(usd)
	got2 := e.get(id2)
	if got2["amount"] != json.Number("12.5") || got2["currency"] != "USD" || got2["custom_data"] != nil ||
		got2["transaction_type"] != "Authorization" {
		t.Errorf("USD context = %v", got2)
	}
}

func TestCreateValidation(t *testing.T) {
	e := newEnv(t, nil)
	valid := map[string]string{
		"amount": `25000`, "currency": `"IQD"`, "order_id": `"ORD-V"`, "description": `"d"`,
		"redirect_url": `"https://shop.example/r"`, "transaction_type": `"Retail"`,
	}
	body := func(change map[string]string) string {
		var parts []string
		for k, v := range valid {
			if c, ok := change[k]; ok {
				v = c
			}
			if v != "" {
				parts = append(parts, `"`+k+`":`+v)
			}
		}
		for k, v := range change {
			if _, ok := valid[k]; !ok {
				parts = append(parts, `"`+k+`":`+v)
			}
		}
		return "{" + strings.Join(parts, ",") + "}"
	}
	for _, tt := range []struct {
		name   string
		change map[string]string
		field  string
	}{
		{"amount missing", map[string]string{"amount": ""}, "amount: is required"},
		{"amount zero", map[string]string{"amount": `0`}, "amount: must be greater than 0"},
		{"amount negative", map[string]string{"amount": `-5`}, "amount: must be greater than 0"},
		{"amount string", map[string]string{"amount": `"25000"`}, "amount: must be a JSON number"},
		{"amount IQD fraction", map[string]string{"amount": `25000.5`}, "amount: must be a whole number"},
		{"amount exponent", map[string]string{"amount": `2.5e4`}, "amount: must be a plain decimal"},
		{"amount USD 3 decimals", map[string]string{"currency": `"USD"`, "amount": `1.005`}, "amount: must have at most 2 decimals"},
		{"currency missing", map[string]string{"currency": ""}, "currency: is required"},
		{"currency KWD", map[string]string{"currency": `"KWD"`}, "currency: must be IQD or USD"},
		{"order_id missing", map[string]string{"order_id": ""}, "order_id: is required"},
		{"order_id 33 chars", map[string]string{"order_id": `"` + strings.Repeat("x", 33) + `"`}, "order_id: must be at most 32"},
		{"order_id number", map[string]string{"order_id": `1001`}, "order_id: must be a string"},
		{"description blank", map[string]string{"description": `"  "`}, "description: is required"},
		{"redirect_url relative", map[string]string{"redirect_url": `"/return"`}, "redirect_url: must be an absolute"},
		{"redirect_url missing", map[string]string{"redirect_url": ""}, "redirect_url: is required"},
		{"transaction_type missing", map[string]string{"transaction_type": ""}, "transaction_type: is required"},
		{"transaction_type sale", map[string]string{"transaction_type": `"Sale"`}, "transaction_type: must be one of"},
		{"webhook_url ftp", map[string]string{"webhook_url": `"ftp://x/y"`}, "webhook_url: must be an absolute"},
		{"email too long", map[string]string{"email": `"` + strings.Repeat("a", 75) + `@x.com"`}, "email: must be at most 80"},
		{"country", map[string]string{"country": `"IRQ"`}, "country: must be a two-letter"},
		{"custom_data array", map[string]string{"custom_data": `[1]`}, "custom_data: must be an object"},
		{"nonce too long", map[string]string{"nonce": `"` + strings.Repeat("n", 65) + `"`}, "nonce: must be at most 64"},
		{"p_sign empty", map[string]string{"p_sign": `""`}, "p_sign: must be 1 to 256"},
		{"token_expiry_in_hour 0", map[string]string{"token_expiry_in_hour": `0`}, "token_expiry_in_hour: must be a whole number of hours from 1 to 720"},
		{"token_expiry_in_hour 721", map[string]string{"token_expiry_in_hour": `721`}, "token_expiry_in_hour"},
		{"token_expiry_in_hour 1.5", map[string]string{"token_expiry_in_hour": `1.5`}, "token_expiry_in_hour"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			status, m := e.api(http.MethodPost, "/create", body(tt.change))
			wantError(t, status, m, http.StatusBadRequest, "VALIDATION_ERROR")
			if !strings.Contains(str(m, "err"), tt.field) {
				t.Errorf("err = %q, want it to mention %q", str(m, "err"), tt.field)
			}
		})
	}
	// Every problem at once.
	status, m := e.api(http.MethodPost, "/create", `{"amount":0,"currency":"EUR"}`)
	wantError(t, status, m, http.StatusBadRequest, "VALIDATION_ERROR")
	for _, f := range []string{"currency", "order_id", "description", "redirect_url", "transaction_type"} {
		if !strings.Contains(str(m, "err"), f+":") {
			t.Errorf("err %q misses %s", str(m, "err"), f)
		}
	}
	for _, raw := range []string{``, `null`, `[]`, `{"amount":1`, `{} {}`, `"x"`} {
		status, m := e.api(http.MethodPost, "/create", raw)
		wantError(t, status, m, http.StatusBadRequest, "INVALID_REQUEST_BODY")
	}
	// Nothing was created.
	if _, m := e.api(http.MethodGet, "/history", ""); m["total"] != json.Number("0") {
		t.Errorf("history total = %v", m["total"])
	}
	// Trailing zeros of IQD are fine.
	if status, m := e.api(http.MethodPost, "/create", body(map[string]string{"amount": `25000.00`})); status != http.StatusOK {
		t.Errorf("25000.00 IQD: %d %v", status, m)
	}
}

func TestDuplicatedOrderID(t *testing.T) {
	e := newEnv(t, nil)
	id1, _ := e.create(createBody("ORD-DUP", "", ""))
	id2, token2 := e.create(createBody("ORD-DUP", "", ""))
	if id1 == id2 {
		t.Fatal("same payment_id twice")
	}
	if got := str(e.get(id2), "payment_status"); got != statusDuplicated {
		t.Errorf("second context status = %s, want duplicated", got)
	}
	if got := str(e.get(id1), "payment_status"); got != statusPrepared {
		t.Errorf("first context status = %s", got)
	}
	status, page := e.page(token2, "?lang=en", nil)
	if status != http.StatusOK || !strings.Contains(page, `data-testid="alqaseh-result" data-status="duplicated"`) ||
		strings.Contains(page, `data-testid="alqaseh-pay"`) {
		t.Errorf("duplicated page: %d\n%s", status, page)
	}
	st, b, _ := e.pay(token2, cardForm(TestCardPAN, TestCardExpiry, TestCardCVV))
	if st != http.StatusOK || !strings.Contains(b, `data-status="duplicated"`) {
		t.Errorf("paying a duplicated context: %d", st)
	}
	for _, action := range []string{"/retry", "/revoke"} {
		status, m := e.api(http.MethodPost, action, `{"payment_id":"`+id2+`"}`)
		wantError(t, status, m, http.StatusConflict, "INVALID_PAYMENT_STATUS")
	}
}

func TestNotFound(t *testing.T) {
	e := newEnv(t, nil)
	for _, tt := range []struct{ method, path, body string }{
		{http.MethodGet, "/0b7c7a3e-5c56-4c3e-9d7e-9d0a0f3c1a11", ""},
		{http.MethodGet, "/info/nope", ""},
		{http.MethodPost, "/process/nope", `{"CardNumber":"5341432900077803","Cvv":"971","EXPMon":"01","EXPYear":"27"}`},
		{http.MethodPost, "/retry", `{"payment_id":"nope"}`},
		{http.MethodPost, "/revoke", `{"payment_id":"nope"}`},
	} {
		status, m := e.api(tt.method, tt.path, tt.body)
		wantError(t, status, m, http.StatusNotFound, "PAYMENT_NOT_FOUND")
	}
	for _, tt := range []struct{ method, path string }{
		{http.MethodPut, "/v1/egw/payments/create"},
		{http.MethodDelete, "/v1/egw/payments/x"},
		{http.MethodGet, "/payments/x/status"},
		{http.MethodGet, "/v2/egw/payments/x"},
	} {
		status, b, _ := e.do(tt.method, testBase+tt.path, nil, auth())
		wantError(t, status, decode(t, b), http.StatusNotFound, "ROUTE_NOT_FOUND")
	}
	for _, body := range []string{`{}`, `{"payment_id":5}`, `{"payment_id":"x","details":[]}`} {
		status, m := e.api(http.MethodPost, "/retry", body)
		wantError(t, status, m, http.StatusBadRequest, "VALIDATION_ERROR")
	}
}

func TestRevokeGuards(t *testing.T) {
	e := newEnv(t, nil)
	id, token := e.create(createBody("ORD-REV", "", ""))

	status, m := e.api(http.MethodPost, "/retry", `{"payment_id":"`+id+`"}`)
	wantError(t, status, m, http.StatusConflict, "INVALID_PAYMENT_STATUS")

	e.clock.Advance(time.Minute)
	status, m = e.api(http.MethodPost, "/revoke", `{"payment_id":"`+id+`","details":"customer changed mind"}`)
	if status != http.StatusOK || str(m, "payment_status") != statusRevoked || str(m, "payment_id") != id {
		t.Fatalf("revoke: %d %v", status, m)
	}
	newToken := str(m, "token")
	if newToken == "" || newToken == token {
		t.Errorf("revoke token = %q (old %q)", newToken, token)
	}
	hist := m["payment_status_histories"].([]any)
	last := hist[len(hist)-1].(map[string]any)
	if last["payment_status"] != "revoked" || last["details"] != "customer changed mind" || last["created_at"] != "2025-03-01T09:01:00Z" {
		t.Errorf("history = %v", hist)
	}
	// The old token is gone from the API; the new one shows revoked.
	status, m = e.api(http.MethodGet, "/info/"+token, "")
	wantError(t, status, m, http.StatusNotFound, "PAYMENT_NOT_FOUND")
	if status, m = e.api(http.MethodGet, "/info/"+newToken, ""); status != http.StatusOK || str(m, "payment_status") != statusRevoked {
		t.Errorf("info new token: %d %v", status, m)
	}
	for _, action := range []string{"/revoke", "/retry"} {
		status, m = e.api(http.MethodPost, action, `{"payment_id":"`+id+`"}`)
		wantError(t, status, m, http.StatusConflict, "INVALID_PAYMENT_STATUS")
	}
	status, m = e.api(http.MethodPost, "/process/"+newToken, `{"CardNumber":"5341432900077803","Cvv":"971","EXPMon":"01","EXPYear":"27"}`)
	wantError(t, status, m, http.StatusConflict, "INVALID_PAYMENT_STATUS")
}

func TestRetryAfterDecline(t *testing.T) {
	e := newEnv(t, nil)
	id, token := e.create(createBody("ORD-RETRY", "", ""))
	status, m := e.api(http.MethodPost, "/process/"+token, `{"CardNumber":"4111111111111111","Cvv":"123","EXPMon":"12","EXPYear":"30"}`)
	if status != http.StatusOK || str(m, "payment_status") != statusDeclined || str(m, "rc") != "05" {
		t.Fatalf("process: %d %v", status, m)
	}

	e.clock.Advance(time.Hour)
	status, m = e.api(http.MethodPost, "/retry", `{"payment_id":"`+id+`","details":"second try"}`)
	if status != http.StatusOK || str(m, "payment_status") != statusRetried {
		t.Fatalf("retry: %d %v", status, m)
	}
	newID, newToken := str(m, "payment_id"), str(m, "token")
	if newID == id || !uuidText.MatchString(newID) || newToken == "" || newToken == token {
		t.Fatalf("retry ids: %s %s", newID, newToken)
	}
	if str(m, "rc") != "" || str(m, "rrn") != "" || str(m, "order_id") != "ORD-RETRY" {
		t.Errorf("retry answer = %v", m)
	}
	// The former id still finds the context, which now carries the new id.
	if old := e.get(id); str(old, "payment_id") != newID || str(old, "payment_status") != statusRetried {
		t.Errorf("GET former id = %v", old)
	}
	status, m = e.api(http.MethodPost, "/retry", `{"payment_id":"`+id+`"}`)
	wantError(t, status, m, http.StatusConflict, "INVALID_PAYMENT_STATUS")
	status, m = e.api(http.MethodPost, "/retry", `{"payment_id":"`+newID+`"}`)
	wantError(t, status, m, http.StatusConflict, "INVALID_PAYMENT_STATUS")

	// The old token can no longer pay; the new one can, and its lifetime restarted.
	status, m = e.api(http.MethodPost, "/process/"+token, `{"CardNumber":"5341432900077803","Cvv":"971","EXPMon":"01","EXPYear":"27"}`)
	wantError(t, status, m, http.StatusNotFound, "PAYMENT_NOT_FOUND")
	e.clock.Advance(90 * time.Minute) // 2h30 after create, 1h30 after retry: token_expiry_in_hour is 2
	status, m = e.api(http.MethodPost, "/process/"+newToken, `{"CardNumber":"5341432900077803","Cvv":"971","EXPMon":"01","EXPYear":"2027"}`)
	if status != http.StatusOK || str(m, "payment_status") != statusSucceeded || str(m, "payment_id") != newID {
		t.Fatalf("process after retry: %d %v", status, m)
	}
	var statuses []string
	for _, h := range m["payment_status_histories"].([]any) {
		statuses = append(statuses, h.(map[string]any)["payment_status"].(string))
	}
	if strings.Join(statuses, ",") != "prepared,declined,retried,succeeded" {
		t.Errorf("history = %v", statuses)
	}
	// Revoke is refused once succeeded, and so is a second process.
	status, m = e.api(http.MethodPost, "/revoke", `{"payment_id":"`+newID+`"}`)
	wantError(t, status, m, http.StatusConflict, "INVALID_PAYMENT_STATUS")
	status, m = e.api(http.MethodPost, "/process/"+newToken, `{"CardNumber":"5341432900077803","Cvv":"971","EXPMon":"01","EXPYear":"27"}`)
	wantError(t, status, m, http.StatusConflict, "INVALID_PAYMENT_STATUS")
}

func TestRevokeRetried(t *testing.T) {
	e := newEnv(t, nil)
	id, token := e.create(createBody("ORD-RR", "", ""))
	e.api(http.MethodPost, "/process/"+token, `{"CardNumber":"4000000000000002","Cvv":"123","EXPMon":"12","EXPYear":"30"}`)
	_, m := e.api(http.MethodPost, "/retry", `{"payment_id":"`+id+`"}`)
	status, m := e.api(http.MethodPost, "/revoke", `{"payment_id":"`+str(m, "payment_id")+`"}`)
	if status != http.StatusOK || str(m, "payment_status") != statusRevoked {
		t.Errorf("revoke retried: %d %v", status, m)
	}
}

func TestProcessOutcomesAndValidation(t *testing.T) {
	e := newEnv(t, nil)
	for i, tt := range []struct {
		body, status, rc string
	}{
		{`{"CardNumber":"5341432900077803","Cvv":"971","EXPMon":"01","EXPYear":"27"}`, statusSucceeded, "00"},
		{`{"CardNumber":"5341432900077803","Cvv":"972","EXPMon":"01","EXPYear":"27"}`, statusDeclined, "05"},
		{`{"CardNumber":"5341432900077803","Cvv":"971","EXPMon":"02","EXPYear":"27"}`, statusDeclined, "05"},
		{`{"CardNumber":"4111111111111111","Cvv":"971","EXPMon":"01","EXPYear":"27"}`, statusDeclined, "05"},
		{`{"CardNumber":"4000000000000002","Cvv":"123","EXPMon":"01","EXPYear":"27"}`, statusFailed, "96"},
		{`{"CardNumber":"4000000000000119","Cvv":"123","EXPMon":"01","EXPYear":"27"}`, statusUnknown, "91"},
		{`{"CardNumber":"5555555555554444","Cvv":"123","EXPMon":"01","EXPYear":"27"}`, statusDeclined, "05"},
	} {
		_, token := e.create(createBody("ORD-P"+string(rune('A'+i)), "", ""))
		status, m := e.api(http.MethodPost, "/process/"+token, tt.body)
		if status != http.StatusOK || str(m, "payment_status") != tt.status || str(m, "rc") != tt.rc {
			t.Errorf("%s: %d %v", tt.body, status, m)
		}
		wantApproval := tt.status == statusSucceeded
		if (str(m, "approval_code") != "") != wantApproval || len(str(m, "rrn")) != 12 {
			t.Errorf("%s: approval %q rrn %q", tt.body, str(m, "approval_code"), str(m, "rrn"))
		}
	}
	id, token := e.create(createBody("ORD-PV", "", ""))
	for _, body := range []string{
		`{}`,
		`{"CardNumber":"53414329","Cvv":"971","EXPMon":"01","EXPYear":"27"}`,
		`{"CardNumber":"5341432900077803","Cvv":"97","EXPMon":"01","EXPYear":"27"}`,
		`{"CardNumber":"5341432900077803","Cvv":"971","EXPMon":"13","EXPYear":"27"}`,
		`{"CardNumber":"5341432900077803","Cvv":"971","EXPMon":"1","EXPYear":"27"}`,
		`{"CardNumber":5341432900077803,"Cvv":"971","EXPMon":"01","EXPYear":"27"}`,
	} {
		status, m := e.api(http.MethodPost, "/process/"+token, body)
		wantError(t, status, m, http.StatusBadRequest, "VALIDATION_ERROR")
	}
	if got := str(e.get(id), "payment_status"); got != statusPrepared {
		t.Errorf("status after invalid process = %s", got)
	}
}

func TestExpiry(t *testing.T) {
	e := newEnv(t, nil)
	id, token := e.create(createBody("ORD-EXP", "", "")) // token_expiry_in_hour 2
	e.clock.Advance(2*time.Hour - time.Second)
	if got := str(e.get(id), "payment_status"); got != statusPrepared {
		t.Fatalf("before expiry: %s", got)
	}
	e.clock.Advance(time.Second)
	got := e.get(id)
	if str(got, "payment_status") != statusExpired || str(got, "updated_at") != "2025-03-01T11:00:00Z" {
		t.Errorf("after expiry: %v", got)
	}
	status, page := e.page(token, "?lang=en", nil)
	if status != http.StatusGone || !strings.Contains(page, `data-status="expired"`) ||
		!strings.Contains(page, "Payment link expired") || strings.Contains(page, `data-testid="alqaseh-pay"`) {
		t.Errorf("expired page: %d\n%s", status, page)
	}
	status, m := e.api(http.MethodPost, "/process/"+token, `{"CardNumber":"5341432900077803","Cvv":"971","EXPMon":"01","EXPYear":"27"}`)
	wantError(t, status, m, http.StatusConflict, "INVALID_PAYMENT_STATUS")
	// Expired may be retried.
	if status, m := e.api(http.MethodPost, "/retry", `{"payment_id":"`+id+`"}`); status != http.StatusOK || str(m, "payment_status") != statusRetried {
		t.Errorf("retry expired: %d %v", status, m)
	}
}

func TestDefaultTokenTTL(t *testing.T) {
	for _, tt := range []struct {
		name string
		ttl  time.Duration
		want time.Duration
	}{{"spec default 72h", 0, 72 * time.Hour}, {"Config.TokenTTL", 30 * time.Minute, 30 * time.Minute}} {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, func(c *Config) { c.TokenTTL = tt.ttl })
			id, _ := e.create(`{"amount":1000,"currency":"IQD","order_id":"ORD-TTL","description":"d","redirect_url":"https://shop.example/r","transaction_type":"Retail"}`)
			e.clock.Advance(tt.want - time.Second)
			if got := str(e.get(id), "payment_status"); got != statusPrepared {
				t.Fatalf("before: %s", got)
			}
			e.clock.Advance(time.Second)
			if got := str(e.get(id), "payment_status"); got != statusExpired {
				t.Errorf("after: %s", got)
			}
		})
	}
}
