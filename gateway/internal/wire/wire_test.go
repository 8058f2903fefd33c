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
