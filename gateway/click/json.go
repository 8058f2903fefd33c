package click

import (
	"bytes"
	"encoding/json"
	"strings"
)

// doc is what we read of any Click answer. Field names match case-insensitively (encoding/json),
// which absorbs the seed's Order_id/order_id and Status/status; values stay raw because their
// JSON types vary (apiVersion 1 vs "1", status "false" vs 0 vs -1, Order_id 5 vs "5").
type doc struct {
	GatewayResponse json.RawMessage `json:"gatewayResponse"`
	Message         json.RawMessage `json:"message"`
	Status          json.RawMessage `json:"status"`
	Response        json.RawMessage `json:"response"`
	OrderID         json.RawMessage `json:"order_id"`
	PaymentURL      json.RawMessage `json:"payment_url"`
	URL             json.RawMessage `json:"url"`
	RedirectURL     json.RawMessage `json:"redirect_url"`
	OrderAmout      json.RawMessage `json:"order_amout"`
	OrderAmount     json.RawMessage `json:"order_amount"`
	Amount          json.RawMessage `json:"amount"`

	gw *gwDoc // GatewayResponse, when it is an object
}

// gwDoc is the gatewayResponse object (spec §3.1, §5).
type gwDoc struct {
	Result          json.RawMessage `json:"result"`
	SessionID       json.RawMessage `json:"session_id"`
	IndicatorStatus json.RawMessage `json:"indicator_status"`
	Status          json.RawMessage `json:"status"`
	Error           json.RawMessage `json:"error"`
	PaymentURL      json.RawMessage `json:"payment_url"`
	URL             json.RawMessage `json:"url"`
	RedirectURL     json.RawMessage `json:"redirect_url"`
	SessionExpire   *struct {
		Date     json.RawMessage `json:"date"`
		Timezone json.RawMessage `json:"timezone"`
	} `json:"session_expire"`
}

// pageURLs lists the fields that may name the payment page, in the order they are tried.
func (d *doc) pageURLs() []json.RawMessage {
	out := []json.RawMessage{d.PaymentURL, d.URL, d.RedirectURL}
	if d.gw != nil {
		out = append(out, d.gw.PaymentURL, d.gw.URL, d.gw.RedirectURL)
	}
	return out
}

// parseDoc reads raw as a JSON object, leniently (see lenientJSON); nil when it is not one.
func parseDoc(raw []byte) *doc {
	b := bytes.TrimSpace(raw)
	if len(b) == 0 || b[0] != '{' {
		return nil
	}
	var d doc
	if err := json.Unmarshal(b, &d); err != nil {
		if err := json.Unmarshal(lenientJSON(b), &d); err != nil {
			return nil
		}
	}
	if gr := bytes.TrimSpace(d.GatewayResponse); len(gr) > 0 && gr[0] == '{' {
		var gw gwDoc
		if json.Unmarshal(gr, &gw) == nil {
			d.gw = &gw
		}
	}
	return &d
}

// str returns a raw JSON scalar as trimmed text: a string's value, a number or boolean
// literal as written, "" for null, absent values, objects and arrays.
func str(raw json.RawMessage) string {
	b := bytes.TrimSpace(raw)
	if len(b) == 0 {
		return ""
	}
	switch b[0] {
	case '"':
		var s string
		if json.Unmarshal(b, &s) != nil {
			return ""
		}
		return strings.TrimSpace(s)
	case '{', '[', 'n':
		return ""
	}
	return string(b)
}

// lenientJSON repairs the two defects of the seed's printed samples so that a server behaving
// like them can still be read: trailing commas before } or ] are dropped, and bare words other
// than true, false and null (`"Status": success`) are quoted. Strings are copied untouched.
func lenientJSON(b []byte) []byte {
	out := make([]byte, 0, len(b)+16)
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '"':
			j := i + 1
			for j < len(b) && b[j] != '"' {
				if b[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(b) {
				return append(out, b[i:]...)
			}
			out = append(out, b[i:j+1]...)
			i = j
		case c == ',':
			j := i + 1
			for j < len(b) && isSpace(b[j]) {
				j++
			}
			if j < len(b) && (b[j] == '}' || b[j] == ']') {
				continue
			}
			out = append(out, c)
		case c == '-' || (c >= '0' && c <= '9'):
			j := i
			for j < len(b) && isNumberByte(b[j]) {
				j++
			}
			out = append(out, b[i:j]...)
			i = j - 1
		case isWordByte(c):
			j := i
			for j < len(b) && isWordByte(b[j]) {
				j++
			}
			w := b[i:j]
			switch string(w) {
			case "true", "false", "null":
				out = append(out, w...)
			default:
				out = append(out, '"')
				out = append(out, w...)
				out = append(out, '"')
			}
			i = j - 1
		default:
			out = append(out, c)
		}
	}
	return out
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func isNumberByte(c byte) bool {
	return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-'
}

func isWordByte(c byte) bool {
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.'
}
