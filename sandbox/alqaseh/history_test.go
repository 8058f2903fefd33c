package alqaseh

import (
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// seedHistory creates five contexts an hour apart: ORD-H1..ORD-H5, with
// H2 succeeded, H3 declined, H4 in USD, H5 duplicating H1's order id.
func seedHistory(e *env) map[string]string {
	ids := map[string]string{}
	for _, o := range []struct{ key, body string }{
		{"H1", createBody("ORD-H1", "", "")},
		{"H2", createBody("ORD-H2", "", "")},
		{"H3", createBody("ORD-H3", "", "")},
		{"H4", `{"amount":99.9,"currency":"USD","order_id":"ORD-H4","description":"d","redirect_url":"https://shop.example/r","transaction_type":"Authorization","token_expiry_in_hour":720}`},
		{"H5", createBody("ORD-H1", "", "")},
	} {
		id, token := e.create(o.body)
		ids[o.key] = id
		switch o.key {
		case "H2":
			e.api(http.MethodPost, "/process/"+token, `{"CardNumber":"5341432900077803","Cvv":"971","EXPMon":"01","EXPYear":"27"}`)
		case "H3":
			e.api(http.MethodPost, "/process/"+token, `{"CardNumber":"4111111111111111","Cvv":"971","EXPMon":"01","EXPYear":"27"}`)
		}
		e.clock.Advance(time.Hour)
	}
	return ids
}

func orderIDs(m map[string]any) string {
	var out []string
	for _, p := range m["payments"].([]any) {
		out = append(out, p.(map[string]any)["order_id"].(string))
	}
	return strings.Join(out, ",")
}

func TestHistory(t *testing.T) {
	e := newEnv(t, nil)
	ids := seedHistory(e)
	// The clock is now 5h after H1: H1 (2h tokens) is expired, lazily.
	_, succeeded := e.api(http.MethodGet, "/"+ids["H2"], "")
	for _, tt := range []struct {
		query, want string
		total       string
	}{
		{"", "ORD-H1,ORD-H4,ORD-H3,ORD-H2,ORD-H1", "5"},
		{"?order_by=asc", "ORD-H1,ORD-H2,ORD-H3,ORD-H4,ORD-H1", "5"},
		{"?order_by=asc&limit=2&offset=1", "ORD-H2,ORD-H3", "5"},
		{"?offset=10", "", "5"},
		{"?order_id=ORD-H1&order_by=asc", "ORD-H1,ORD-H1", "2"},
		{"?payment_status=succeeded", "ORD-H2", "1"},
		{"?payment_status=expired", "ORD-H1", "1"},
		{"?payment_status=duplicated", "ORD-H1", "1"},
		{"?currency=usd", "ORD-H4", "1"},
		{"?transaction_type=Authorization", "ORD-H4", "1"},
		{"?amount=99.90", "ORD-H4", "1"},
		{"?amount=25000", "ORD-H1,ORD-H3,ORD-H2,ORD-H1", "4"},
		{"?rc=05", "ORD-H3", "1"},
		{"?approval=" + str(succeeded, "approval_code"), "ORD-H2", "1"},
		{"?rrn=" + str(succeeded, "rrn"), "ORD-H2", "1"},
		{"?payment_id=" + ids["H3"], "ORD-H3", "1"},
		{"?from=2025-03-01T10:00:00Z&to=2025-03-01T12:00:00Z&order_by=asc", "ORD-H2,ORD-H3,ORD-H4", "3"},
		{"?from=2025-03-02", "", "0"},
		{"?to=2025-03-01", "ORD-H1,ORD-H4,ORD-H3,ORD-H2,ORD-H1", "5"},
		{"?order_field=amount&order_by=asc", "ORD-H4,ORD-H1,ORD-H2,ORD-H3,ORD-H1", "5"},
		{"?order_field=order_id&order_by=desc&limit=1", "ORD-H4", "5"},
		{"?language=ar", "ORD-H1,ORD-H4,ORD-H3,ORD-H2,ORD-H1", "5"},
	} {
		t.Run(tt.query, func(t *testing.T) {
			status, m := e.api(http.MethodGet, "/history"+tt.query, "")
			if status != http.StatusOK {
				t.Fatalf("status %d %v", status, m)
			}
			if got := orderIDs(m); got != tt.want || m["total"] != json.Number(tt.total) {
				t.Errorf("got %s (total %v), want %s (total %s)", got, m["total"], tt.want, tt.total)
			}
		})
	}
	_, m := e.api(http.MethodGet, "/history?limit=1000", "")
	if m["limit"] != json.Number("100") || m["offset"] != json.Number("0") {
		t.Errorf("limit/offset = %v/%v", m["limit"], m["offset"])
	}
	first := m["payments"].([]any)[0].(map[string]any)
	if first["payment_status_histories"] == nil || first["amount"] != json.Number("25000") {
		t.Errorf("history item = %v", first)
	}
}

func TestHistoryRetriedFormerID(t *testing.T) {
	e := newEnv(t, nil)
	id, token := e.create(createBody("ORD-HR", "", ""))
	e.api(http.MethodPost, "/process/"+token, `{"CardNumber":"4000000000000119","Cvv":"123","EXPMon":"01","EXPYear":"27"}`)
	_, m := e.api(http.MethodPost, "/retry", `{"payment_id":"`+id+`"}`)
	for _, q := range []string{id, str(m, "payment_id")} {
		_, h := e.api(http.MethodGet, "/history?payment_id="+q, "")
		if h["total"] != json.Number("1") {
			t.Errorf("payment_id=%s: %v", q, h)
		}
	}
}

func TestHistoryValidation(t *testing.T) {
	e := newEnv(t, nil)
	for _, q := range []string{
		"limit=-1", "limit=x", "offset=-3", "order_by=up", "order_field=description",
		"payment_status=paid", "transaction_type=Sale", "from=yesterday", "to=2025-13-01",
		"amount=abc", "language=arabic",
	} {
		for _, path := range []string{"/history?", "/history/download?"} {
			status, b, _ := e.do(http.MethodGet, testBase+"/v1/egw/payments"+path+q, nil, auth())
			wantError(t, status, decode(t, b), http.StatusBadRequest, "VALIDATION_ERROR")
		}
	}
}

func TestHistoryDownload(t *testing.T) {
	e := newEnv(t, nil)
	ids := seedHistory(e)
	e.create(`{"amount":5,"currency":"USD","order_id":"=cmd","description":"+SUM(A1)","redirect_url":"https://shop.example/r","transaction_type":"Retail"}`)
	status, b, h := e.do(http.MethodGet, testBase+"/v1/egw/payments/history/download?order_by=asc&order_field=created_at", nil, auth())
	if status != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "text/csv") ||
		!strings.Contains(h.Get("Content-Disposition"), "attachment") {
		t.Fatalf("download: %d %v", status, h)
	}
	rows, err := csv.NewReader(strings.NewReader(string(b))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 7 || strings.Join(rows[0], ",") != strings.Join(csvColumns, ",") {
		t.Fatalf("rows = %v", rows)
	}
	if rows[1][0] != ids["H1"] || rows[1][1] != "ORD-H1" || rows[1][2] != "25000" || rows[4][2] != "99.9" ||
		rows[2][4] != "succeeded" {
		t.Errorf("rows = %v", rows)
	}
	if last := rows[6]; last[1] != "'=cmd" || last[9] != "'+SUM(A1)" {
		t.Errorf("formula cells not defused: %v", last)
	}
	status, b, _ = e.do(http.MethodGet, testBase+"/v1/egw/payments/history/download?payment_status=declined", nil, auth())
	if rows, _ := csv.NewReader(strings.NewReader(string(b))).ReadAll(); status != http.StatusOK || len(rows) != 2 || rows[1][1] != "ORD-H3" {
		t.Errorf("filtered download: %v", rows)
	}
}
