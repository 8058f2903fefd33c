package wire

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestClip(t *testing.T) {
	for _, tt := range []struct {
		in   string
		n    int
		want string
	}{
		{"abc", 5, "abc"},
		{"abcdef", 3, "abc"},
		{"دفع", 3, "د"}, // each letter is two bytes: never half a letter
		{"دفع", 4, "دف"},
		{"", 0, ""},
	} {
		if got := Clip(tt.in, tt.n); got != tt.want {
			t.Errorf("Clip(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

func TestRedact(t *testing.T) {
	if got := Redact("key=sk_1 pass=pw", "sk_1", "", "pw"); got != "key=[redacted] pass=[redacted]" {
		t.Errorf("Redact = %q", got)
	}
	in := []byte("a secret")
	if got := RedactBytes(in, []byte("secret"), nil); string(got) != "a [redacted]" || string(in) != "a secret" {
		t.Errorf("RedactBytes = %q (input now %q)", got, in)
	}
}

func TestFlexString(t *testing.T) {
	for _, tt := range []struct {
		in      string
		want    string
		wantErr bool
	}{
		{`"abc"`, "abc", false},
		{`12.50`, "12.50", false},
		{`true`, "true", false},
		{`null`, "", false},
		{`{"a":1}`, "", true},
		{`[1]`, "", true},
	} {
		var v struct {
			F FlexString `json:"f"`
		}
		err := json.Unmarshal([]byte(`{"f":`+tt.in+`}`), &v)
		if (err != nil) != tt.wantErr || string(v.F) != tt.want {
			t.Errorf("%s: got %q, %v", tt.in, v.F, err)
		}
	}
}

func TestMarshalKeepsAmpersand(t *testing.T) {
	b, err := Marshal(map[string]string{"u": "https://x/?a=1&b=2"})
	if err != nil || string(b) != `{"u":"https://x/?a=1&b=2"}` {
		t.Errorf("Marshal = %s, %v", b, err)
	}
}

func TestDo(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTeapot)
		w.Write([]byte(strings.Repeat("x", 10)))
	}))
	defer srv.Close()
	req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
	ans, err := Do(srv.Client(), req, 10)
	if err != nil || ans.Status != http.StatusTeapot || len(ans.Body) != 10 {
		t.Fatalf("Do = %d %q, %v", ans.Status, ans.Body, err)
	}
	req, _ = http.NewRequest(http.MethodGet, srv.URL, nil)
	_, err = Do(srv.Client(), req, 9)
	var f *Failure
	if !errors.As(err, &f) || !f.TooLarge() || err.Error() != "answer too large" {
		t.Fatalf("over the limit: %v", err)
	}
	srv.Close()
	req, _ = http.NewRequest(http.MethodGet, srv.URL, nil)
	if _, err = Do(srv.Client(), req, 10); !errors.As(err, &f) || f.TooLarge() || f.Reading {
		t.Fatalf("closed server: %v", err)
	}
}

func TestRetryable(t *testing.T) {
	for code, want := range map[int]bool{200: false, 400: false, 404: false, 408: true, 429: true, 500: true, 503: true} {
		if Retryable(code) != want {
			t.Errorf("Retryable(%d) != %t", code, want)
		}
	}
}

// JSONAmount takes exactly what a JSON number can write, within the currency's decimals.
func TestJSONAmount(t *testing.T) {
	tests := []struct {
		lit, currency, want string // want "" = not ok
	}{
		{"0.5", "KWD", "0.500"},
		{"6", "KWD", "6.000"},
		{"6.000", "KWD", "6.000"},
		{"10.5", "KWD", "10.500"},
		{"1.5e1", "KWD", "15.000"},
		{"1.5e3", "IQD", "1500.000"},
		{"65", "AED", "65.00"},
		{"0.5001", "KWD", ""},
		{"12.555", "USD", ""},
		{"0.5", "XYZ", ""},
		{"0.5", "kwd", ""}, // the code as given: a caller that allows lower case upper-cases it
		{"abc", "KWD", ""},
		{"", "KWD", ""},
		{" 1", "KWD", ""},
		{"1,500", "IQD", ""},
		{"1e999", "KWD", ""},
		{"01.5", "KWD", ""},
	}
	for _, tt := range tests {
		amt, ok := JSONAmount(tt.lit, tt.currency)
		got := ""
		if ok {
			got = amt.String()
		}
		if got != tt.want {
			t.Errorf("JSONAmount(%q, %q) = %q, want %q", tt.lit, tt.currency, got, tt.want)
		}
	}
}

func TestDecodeObject(t *testing.T) {
	var v struct {
		N any `json:"n"`
	}
	if err := DecodeObject([]byte(" {\"n\": 0.10}\n"), &v); err != nil || v.N != json.Number("0.10") {
		t.Errorf("DecodeObject = %#v, %v (the number must stay as written)", v.N, err)
	}
	for _, in := range []string{"", "  ", "[1]", `"s"`, "null", "{"} {
		if err := DecodeObject([]byte(in), &v); err == nil {
			t.Errorf("DecodeObject(%q) accepted", in)
		}
	}
}

func TestAbsoluteURL(t *testing.T) {
	for u, want := range map[string]bool{
		"https://pay.example/x?a=1": true,
		"http://127.0.0.1:8080/":    true,
		"/relative":                 false,
		"javascript:alert(1)":       false,
		"ftp://host/file":           false,
		"https://":                  false,
		"":                          false,
		"http://[::1":               false,
	} {
		if AbsoluteURL(u) != want {
			t.Errorf("AbsoluteURL(%q) != %t", u, want)
		}
	}
}
