package wire

import (
	"bytes"
	"encoding/json"
	"errors"
)

// FlexString reads a JSON string, or a number or boolean kept as written: gateways write ids,
// codes and amounts either way (Tap's transaction.created, K-Pay's amounts, Al Qaseh's ids).
// null reads as "".
//
// Decision: an object or an array where a scalar belongs is an error, not "": such an answer
// is malformed and the connector reports it rather than reading a value that is not there.
type FlexString string

// UnmarshalJSON implements json.Unmarshaler.
func (f *FlexString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0 || string(b) == "null":
		*f = ""
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*f = FlexString(s)
	case b[0] == '{' || b[0] == '[':
		return errors.New("expected a string, a number or a boolean")
	default:
		*f = FlexString(b)
	}
	return nil
}
