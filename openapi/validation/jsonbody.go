package validation

import (
	"encoding/json"

	"github.com/getkin/kin-openapi/openapi3"
)

// decodeJSONBody decodes a response body once, with json.Unmarshal, so that
// the same value can be handed to each validator's schema code. It reports
// false for every body on which the two libraries' own decoders would not
// simply agree on one value, so that each library's full path judges those:
//   - a body json.Unmarshal refuses (an empty body included): kin-openapi
//     refuses it, libopenapi-validator accepts an empty one;
//   - anything but whitespace after the value, which json.Unmarshal also
//     refuses: libopenapi-validator refuses it, kin-openapi reads the first
//     value only;
//   - null: libopenapi-validator skips the schema for it, kin-openapi does not.
//
// Numbers come out as float64, which is what libopenapi-validator decodes
// too. kin-openapi decodes them as json.Number, but see kinTakesFloat64.
func decodeJSONBody(body []byte) (any, bool) {
	var value any
	if err := json.Unmarshal(body, &value); err != nil || value == nil {
		return nil, false
	}
	return value, true
}

// kinTakesFloat64 reports whether kin-openapi may be handed a body decoded
// with float64 numbers where its own decoder makes json.Number. The shared
// path only ever accepts (a refusal is judged again by the library's full
// path), so it is enough that kin-openapi never accepts the float64 value
// and refuses the json.Number one. Its OpenAPI 3.0 schema code turns each
// json.Number into a float64 with strconv.ParseFloat, the conversion
// encoding/json applies, before judging it, and compares enum values the
// same way; for uniqueItems it compares array items by their JSON text, and
// two float64 are equal whenever their json.Number texts are ("1" and
// "1.0" merely collide more often). The OpenAPI 3.1 validator reads
// json.Number itself, so 3.1 documents keep kin-openapi on its full path.
func kinTakesFloat64(doc *openapi3.T) bool {
	return !doc.IsOpenAPI31OrLater()
}
