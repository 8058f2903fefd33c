// Package wire holds the plumbing every connector in gateway/* shares: one HTTP exchange with a
// bounded answer, the retryable-status rule, redaction of secrets, clipping of gateway text for
// messages, JSON without HTML escaping, exact JSON objects, numbers and amounts, a lenient JSON
// string type, and the payment-id checks of a return and an inquiry (Lookup).
//
// Only gateway/* imports it; the simulators in sandbox/* never do (a connector and its
// simulator share no code).
package wire

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// Failure is a transport failure of Do: the request did not get through, the answer could not
// be read, or it was larger than allowed. Its text names the stage and carries the underlying
// error's text, which the caller redacts before it reaches a message or a log.
type Failure struct {
	// Err is the underlying error; nil when the answer was too large.
	Err error
	// Reading is true when the answer's head arrived but its body could not be read.
	Reading bool
}

func (f *Failure) Error() string {
	switch {
	case f.Err == nil:
		return "answer too large"
	case f.Reading:
		return "reading the answer: " + f.Err.Error()
	default:
		return f.Err.Error()
	}
}

// Unwrap returns the underlying error.
func (f *Failure) Unwrap() error { return f.Err }

// TooLarge reports whether the answer was over the limit.
func (f *Failure) TooLarge() bool { return f.Err == nil }

// Timeout reports whether the failure is a deadline or a network timeout.
func (f *Failure) Timeout() bool {
	if f.Err == nil {
		return false
	}
	if errors.Is(f.Err, context.DeadlineExceeded) {
		return true
	}
	var ne net.Error
	return errors.As(f.Err, &ne) && ne.Timeout()
}

// Answer is what the gateway answered.
type Answer struct {
	Status int
	Header http.Header
	Body   []byte
}

// Do sends req with client and reads at most max bytes of the answer. Any status is an Answer;
// the error, always a *Failure, is for transport failures only.
func Do(client *http.Client, req *http.Request, max int64) (Answer, error) {
	resp, err := client.Do(req)
	if err != nil {
		return Answer{}, &Failure{Err: err}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, max+1))
	if err != nil {
		return Answer{Status: resp.StatusCode, Header: resp.Header}, &Failure{Err: err, Reading: true}
	}
	if int64(len(raw)) > max {
		return Answer{Status: resp.StatusCode, Header: resp.Header}, &Failure{}
	}
	return Answer{Status: resp.StatusCode, Header: resp.Header, Body: raw}, nil
}

// Retryable reports whether an HTTP status says "try again later" rather than "no":
// 408, 429 and every 5xx.
func Retryable(status int) bool {
	return status == http.StatusRequestTimeout || status == http.StatusTooManyRequests || status >= 500
}

// Redact replaces every non-empty secret in s with "[redacted]", should a gateway or the
// network stack ever echo one.
func Redact(s string, secrets ...string) string {
	for _, k := range secrets {
		if k != "" {
			s = strings.ReplaceAll(s, k, "[redacted]")
		}
	}
	return s
}

// RedactBytes is Redact for a payload; it never changes b itself.
func RedactBytes(b []byte, secrets ...[]byte) []byte {
	out := append([]byte(nil), b...)
	for _, k := range secrets {
		if len(k) > 0 {
			out = bytes.ReplaceAll(out, k, []byte("[redacted]"))
		}
	}
	return out
}

// Clip cuts s to at most n bytes without splitting a UTF-8 sequence.
func Clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}

// Marshal encodes v as JSON without HTML escaping (URLs keep their '&') and without the
// encoder's trailing newline.
func Marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// errNotObject is DecodeObject's error for a body that is not a JSON object.
var errNotObject = errors.New("not a JSON object")

// DecodeObject reads raw, which must be a JSON object, into v, keeping numbers exact (a
// json.Number wherever v leaves a number's type open).
func DecodeObject(raw []byte, v any) error {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		return errNotObject
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	return d.Decode(v)
}

// AbsoluteURL reports whether u is an absolute http(s) URL.
func AbsoluteURL(u string) bool {
	p, err := url.Parse(u)
	return err == nil && (p.Scheme == "http" || p.Scheme == "https") && p.Host != ""
}

// FirstNonEmpty returns the first of ss that is not "".
func FirstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
