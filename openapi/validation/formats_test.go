package validation_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/authcontract/authcontract/openapi/validation"
)

// formatsSpec answers with one property per shared format, so that a value
// can be put before both validators exactly where a document puts it.
const formatsSpec = `
openapi: 3.0.3
info: {title: formats, version: "1"}
paths:
  /formats:
    post:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  uuid: {type: string, format: uuid}
                  byte: {type: string, format: byte}
`

// formatCase is one value of one format, with the verdict the shared
// definition must give.
type formatCase struct {
	name  string
	value string
	valid bool
}

func uuidCases() []formatCase {
	return []formatCase{
		{"a version 1 UUID is valid", "6ba7b810-9dad-11d1-80b4-00c04fd430c8", true},
		{"a version 4 UUID is valid", "2f6b2c5e-8d0a-4d8e-9a53-1f1c7f0e2a61", true},
		{"a version 7 UUID is valid", "01890a5d-ac96-774b-bcce-b302099a8057", true},
		{"the nil UUID is valid", "00000000-0000-0000-0000-000000000000", true},
		{"the max UUID is valid", "ffffffff-ffff-ffff-ffff-ffffffffffff", true},
		{"a UUID of no RFC version or variant is valid, because the documents name none", "2f6b2c5e-8d0a-0d8e-7a53-1f1c7f0e2a61", true},
		{"an upper-case UUID is valid", "2F6B2C5E-8D0A-4D8E-9A53-1F1C7F0E2A61", true},
		{"a mixed-case UUID is valid", "2f6B2c5E-8d0A-4d8E-9a53-1F1c7F0e2A61", true},
		{"a UUID in braces is invalid", "{2f6b2c5e-8d0a-4d8e-9a53-1f1c7f0e2a61}", false},
		{"a UUID without hyphens is invalid", "2f6b2c5e8d0a4d8e9a531f1c7f0e2a61", false},
		{"a urn:uuid: URN is invalid", "urn:uuid:2f6b2c5e-8d0a-4d8e-9a53-1f1c7f0e2a61", false},
		{"35 characters are invalid", "2f6b2c5e-8d0a-4d8e-9a53-1f1c7f0e2a6", false},
		{"37 characters are invalid", "2f6b2c5e-8d0a-4d8e-9a53-1f1c7f0e2a610", false},
		{"a hyphen out of place is invalid", "2f6b2c5e8-d0a-4d8e-9a53-1f1c7f0e2a61", false},
		{"a letter that is not hexadecimal is invalid", "2f6b2c5e-8d0a-4d8e-9a53-1f1c7f0e2a6g", false},
		{"surrounding whitespace is invalid", " 2f6b2c5e-8d0a-4d8e-9a53-1f1c7f0e2a61", false},
		{"the empty string is invalid", "", false},
	}
}

func byteCases() []formatCase {
	return []formatCase{
		{"the empty string is valid, encoding no bytes", "", true},
		{"one byte with two padding characters is valid", "QQ==", true},
		{"two bytes with one padding character are valid", "QUI=", true},
		{"three bytes without padding are valid", "QUJD", true},
		{"a sentence with + and / is valid", "aGk/Pz8+Pj4=", true},
		{"one byte without its padding is invalid", "QQ", false},
		{"two bytes without their padding are invalid", "QUI", false},
		{"the URL-safe alphabet is invalid", "aGk_Pz8-Pj4=", false},
		{"a space inside is invalid", "QU JD", false},
		{"a line break inside is invalid", "QUJD\nQUJD", false},
		{"a trailing line break is invalid", "QUJD\n", false},
		{"padding in the middle is invalid", "QQ==QUJD", false},
		{"too much padding is invalid", "QQ===", false},
		{"padding alone is invalid", "====", false},
		{"non-zero padding bits are invalid", "QR==", false},
		{"a character outside base64 is invalid", "QUJ*", false},
	}
}

// TestBothValidatorsReadEachFormatTheSameWay puts every value before the
// shared definition and before both validators, which must all give the
// verdict the table states: a validator_disagreement about a format then
// means the libraries truly differ, not that they were configured apart.
func TestBothValidatorsReadEachFormatTheSameWay(t *testing.T) {
	v, err := validation.FromSpec("formats", []byte(formatsSpec))
	if err != nil {
		t.Fatalf("load the formats spec: %v", err)
	}
	formats := []struct {
		name  string
		check func(string) error
		cases []formatCase
	}{
		{"uuid", validation.CheckUUID, uuidCases()},
		{"byte", validation.CheckByte, byteCases()},
	}
	for _, format := range formats {
		for _, tc := range format.cases {
			t.Run(format.name+"/"+tc.name, func(t *testing.T) {
				if err := format.check(tc.value); (err == nil) != tc.valid {
					t.Errorf("the shared definition says %v (%v) about %q, want valid = %v", err == nil, err, tc.value, tc.valid)
				}
				body, err := json.Marshal(map[string]string{format.name: tc.value})
				if err != nil {
					t.Fatal(err)
				}
				result := respond(v, body)
				if kinValid, libValid := len(result.Kin) == 0, len(result.Lib) == 0; kinValid != tc.valid || libValid != tc.valid {
					t.Errorf("%q: want both validators to say valid = %v; got %s", tc.value, tc.valid, result)
				}
			})
		}
	}
}

// A format constrains strings only: a value of another type is refused by
// the type keyword, by both validators, and not reported as a format.
func TestAFormatLeavesOtherTypesToTheTypeKeyword(t *testing.T) {
	v, err := validation.FromSpec("formats", []byte(formatsSpec))
	if err != nil {
		t.Fatalf("load the formats spec: %v", err)
	}
	for _, body := range []string{`{"uuid":5}`, `{"byte":true}`, `{"uuid":null}`} {
		t.Run(body+" is refused by both validators", func(t *testing.T) {
			if result := respond(v, []byte(body)); len(result.Kin) == 0 || len(result.Lib) == 0 {
				t.Errorf("want both validators to refuse; got %s", result)
			}
		})
	}
}

func respond(v *validation.Validator, body []byte) validation.Result {
	req := httptest.NewRequest(http.MethodPost, "/formats", nil)
	header := http.Header{"Content-Type": []string{"application/json"}}
	return v.ValidateResponse(req, http.StatusOK, header, body)
}
