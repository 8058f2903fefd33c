package knet

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/bawaba/checkout/gateway"
	"github.com/bawaba/checkout/gateway/internal/wire"
)

// maxBody bounds what we read from KNET.
const maxBody = 1 << 20

// The tranPipe actions we use (spec §3.1, §6).
const (
	actionRefund  = "2"
	actionInquiry = "8"
)

// tranPipeRequest is the root-less XML of spec §6 for action 8 (inquiry) or 2 (refund),
// identifying the original transaction by our track id (udf5 "TrackID", transid = trackid).
func (g *Gateway) tranPipeRequest(action, amt, trackID string) []byte {
	return g.tranPipeRequestBy(action, amt, trackID, trackID, "TrackID")
}

// tranPipeRequestBy is the root-less XML of spec §6 naming the transaction by transid, of the
// kind udf5 says ("TrackID", "TransID", …).
func (g *Gateway) tranPipeRequestBy(action, amt, transID, trackID, udf5 string) []byte {
	var b bytes.Buffer
	tag := func(name, value string) {
		b.WriteString("<" + name + ">")
		_ = xml.EscapeText(&b, []byte(value))
		b.WriteString("</" + name + ">")
	}
	tag("id", g.id)
	tag("password", g.password)
	tag("action", action)
	tag("amt", amt)
	tag("transid", transID)
	tag("trackid", trackID)
	tag("udf5", udf5)
	return b.Bytes()
}

// tranPipe POSTs the request to {BaseURL}/tranPipe.htm?param=tranInit and returns KNET's
// answer read as tags (see parseTags) and its bytes, redacted. Network errors, 408, 429, 5xx
// and unreadable answers wrap gateway.ErrUnavailable; other non-2xx answers wrap
// gateway.ErrRejected.
func (g *Gateway) tranPipe(ctx context.Context, what string, body []byte) (map[string]string, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, g.base+"/tranPipe.htm?param=tranInit", bytes.NewReader(body))
	if err != nil {
		return nil, nil, fmt.Errorf("knet: %s: %w: bad base URL", what, gateway.ErrUnavailable)
	}
	req.Header.Set("Content-Type", "application/xml")
	ans, err := wire.Do(g.client, req, maxBody)
	if err != nil {
		return nil, nil, fmt.Errorf("knet: %s: %w: %s", what, gateway.ErrUnavailable, g.redact(err.Error()))
	}
	raw := g.redactBytes(ans.Body)
	switch code := ans.Status; {
	case code >= 200 && code < 300:
	case wire.Retryable(code):
		return nil, nil, fmt.Errorf("knet: %s: %w: HTTP %d", what, gateway.ErrUnavailable, code)
	default:
		return nil, nil, fmt.Errorf("knet: %s: %w: HTTP %d", what, gateway.ErrRejected, code)
	}
	tags, err := parseTags(raw)
	if err != nil {
		return nil, nil, fmt.Errorf("knet: %s: %w: unreadable answer", what, gateway.ErrUnavailable)
	}
	return tags, raw, nil
}

var errNoTags = errors.New("knet: no result or error tags")

// parseTags reads KNET's root-less XML answer (spec §6: "<result>CAPTURED</result><payid>…"):
// it drops an XML declaration, wraps the rest in a synthetic root and collects the text of
// every leaf element by lower-cased local name (first occurrence wins), so that an answer
// wrapped in its own root element reads the same. The parser is lenient about stray '&'.
// An answer with neither a result nor an error tag is refused.
func parseTags(raw []byte) (map[string]string, error) {
	s := strings.TrimSpace(strings.TrimPrefix(string(raw), "\uFEFF"))
	if strings.HasPrefix(s, "<?xml") {
		_, rest, ok := strings.Cut(s, "?>")
		if !ok {
			return nil, errNoTags
		}
		s = rest
	}
	d := xml.NewDecoder(strings.NewReader("<knetroot>" + s + "</knetroot>"))
	d.Strict = false
	type frame struct {
		name     string
		text     strings.Builder
		hasChild bool
	}
	var stack []*frame
	tags := map[string]string{}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) > 0 {
				stack[len(stack)-1].hasChild = true
			}
			stack = append(stack, &frame{name: strings.ToLower(t.Name.Local)})
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			}
		case xml.EndElement:
			if len(stack) == 0 {
				return nil, errNoTags
			}
			f := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if f.hasChild || len(stack) == 0 {
				continue
			}
			if _, dup := tags[f.name]; !dup {
				tags[f.name] = strings.TrimSpace(f.text.String())
			}
		}
	}
	if tags["result"] == "" && errorCode(tags) == "" {
		return nil, errNoTags
	}
	return tags, nil
}

// errorCode returns the error code of an answer or notification: the error_code_tag (XML),
// the Error field (notification, errorURL), or the code inside a "!ERROR!-CODE-text" result;
// "" when there is none ("null" counts as none).
func errorCode(f map[string]string) string {
	code, _ := errorField(f, "error_code_tag", "error")
	return code
}

// errorText returns the error text of an answer or notification (error_text, ErrorText, or the
// text of a "!ERROR!-CODE-text" result), or "".
func errorText(f map[string]string) string {
	_, text := errorField(f, "error_text", "errortext")
	return text
}

// errorField returns the first of the keys' values that is set (not "" nor "null") as both
// code and text; otherwise the code and text of a "!ERROR!-CODE-text" result, or "".
func errorField(f map[string]string, keys ...string) (code, text string) {
	for _, k := range keys {
		if v := strings.TrimSpace(f[k]); v != "" && !strings.EqualFold(v, "null") {
			return v, v
		}
	}
	code, text, _ = bangError(f["result"])
	return code, text
}

// bangError splits the FSS/ACI error form "!ERROR!-IPAY0100015-Invalid tranportal password".
func bangError(result string) (code, text string, ok bool) {
	rest, found := strings.CutPrefix(strings.TrimSpace(result), "!ERROR!")
	if !found {
		return "", "", false
	}
	rest = strings.TrimPrefix(rest, "-")
	code, text, _ = strings.Cut(rest, "-")
	code = strings.TrimSpace(code)
	if code == "" {
		code = "ERROR"
	}
	return code, strings.TrimSpace(text), true
}
