package validation

import (
	"bytes"
	"encoding/json"
	"strconv"
)

// decodeJSONBody decodes a response body once, as both validators decode it
// themselves, so that the same value can be handed to each one's schema
// code. It reports false for every body on which the two libraries'
// decoders would not simply agree on one value, so that each library's own
// path judges those:
//   - a body encoding/json refuses (an empty body included): kin-openapi
//     refuses it, libopenapi-validator accepts an empty one;
//   - null: libopenapi-validator skips the schema for it, kin-openapi does not;
//   - anything but whitespace after the value: libopenapi-validator refuses
//     it, kin-openapi reads the first value only.
//
// Numbers are json.Number, as kin-openapi decodes them (UseNumber);
// float64Numbers turns them into what libopenapi-validator decodes.
func decodeJSONBody(body []byte) (any, bool) {
	decoder := json.NewDecoder(bytes.NewReader(body))
	decoder.UseNumber()
	var value any
	if err := decoder.Decode(&value); err != nil || value == nil {
		return nil, false
	}
	// The whitespace JSON allows between tokens (RFC 8259 §2), which is what
	// libopenapi-validator's decoder skips before it looks for the end.
	if len(bytes.TrimLeft(body[decoder.InputOffset():], " \t\r\n")) > 0 {
		return nil, false
	}
	return value, true
}

// float64Numbers replaces every json.Number in a decoded value with the
// float64 encoding/json produces without UseNumber, which is what
// libopenapi-validator validates: the same number can pass as one and fail
// as the other at the edges of float64 precision. Maps and slices are changed
// in place, so call it only once kin-openapi has judged the value. It reports
// false for a number no float64 holds (1e400), which encoding/json refuses to
// decode into a float64 at all.
func float64Numbers(value any) (any, bool) {
	switch v := value.(type) {
	case json.Number:
		f, err := strconv.ParseFloat(string(v), 64)
		return f, err == nil
	case map[string]any:
		for key, child := range v {
			converted, ok := float64Numbers(child)
			if !ok {
				return nil, false
			}
			if _, wasNumber := child.(json.Number); wasNumber {
				v[key] = converted
			}
		}
	case []any:
		for i, child := range v {
			converted, ok := float64Numbers(child)
			if !ok {
				return nil, false
			}
			v[i] = converted
		}
	}
	return value, true
}
