package knet

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
)

const maxReplyBytes = 8 << 10

// handshake POSTs trandata=<encrypted response> to responseURL (spec §4) and
// reads the merchant's answer. It returns the receipt URL, or the error code
// of a failed handshake: IPAY0100249 when responseURL cannot be reached in
// NotifyTimeout, IPAY0200014 for any answer other than HTTP 200 with a body
// whose first line is REDIRECT=<absolute http(s) URL> and whose other lines
// are blank. Exactly one attempt: KNET does not retry, it auto-voids.
func (s *Simulator) handshake(target, trandata string) (receipt, code string) {
	ctx, cancel := context.WithTimeout(s.bg.Context(), s.notifyTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader("trandata="+trandata))
	if err != nil {
		return "", errResponseURLDown
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := s.client.Do(req)
	if err != nil {
		return "", errResponseURLDown
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxReplyBytes+1))
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
			return "", errResponseURLDown
		}
		return "", errMerchantResponse
	}
	if resp.StatusCode != http.StatusOK || len(body) > maxReplyBytes {
		return "", errMerchantResponse
	}
	receipt, ok := parseRedirectReply(body)
	if !ok {
		return "", errMerchantResponse
	}
	return receipt, ""
}

// parseRedirectReply reads "REDIRECT=<url>" from the merchant's reply.
func parseRedirectReply(body []byte) (string, bool) {
	body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	lines := strings.Split(string(body), "\n")
	first := strings.TrimSpace(lines[0])
	for _, l := range lines[1:] {
		if strings.TrimSpace(l) != "" {
			return "", false
		}
	}
	target, ok := strings.CutPrefix(first, "REDIRECT=")
	if !ok {
		return "", false
	}
	target = strings.TrimSpace(target)
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		strings.ContainsFunc(target, func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return "", false
	}
	return target, true
}
