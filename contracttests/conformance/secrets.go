package conformance

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/authcontract/authcontract/openapi/validation"
)

// Reports, logs and CI output must never carry a secret: the bearer token
// the harness sends, nor a token a target returns in a field the document
// marks x-ms-secret (Container Apps' properties.token). Every outcome is
// scrubbed of them before anyone sees it; each appears as
// "<redacted: N chars>".

// minSecretLength keeps a tiny token from blanking out every word that
// happens to contain it.
const minSecretLength = 4

// secretPaths lists the JSON paths of response fields the document marks
// x-ms-secret, such as ["properties", "token"].
func secretPaths(v *validation.Validator) [][]string {
	var paths [][]string
	seen := map[*openapi3.Schema]bool{}
	var walk func(schema *openapi3.SchemaRef, path []string)
	walk = func(ref *openapi3.SchemaRef, path []string) {
		if ref == nil || ref.Value == nil || seen[ref.Value] || len(path) > 16 {
			return
		}
		if secret, _ := ref.Value.Extensions["x-ms-secret"].(bool); secret {
			paths = append(paths, path)
		}
		seen[ref.Value] = true
		defer delete(seen, ref.Value)
		for name, property := range ref.Value.Properties {
			walk(property, append(append([]string(nil), path...), name))
		}
	}
	for _, item := range v.Document().Paths.Map() {
		for _, op := range item.Operations() {
			for _, response := range op.Responses.Map() {
				if response.Value == nil {
					continue
				}
				for _, media := range response.Value.Content {
					walk(media.Schema, nil)
				}
			}
		}
	}
	return paths
}

// secretsIn returns the values of body at paths that are strings.
func secretsIn(body []byte, paths [][]string) []string {
	if len(paths) == 0 || len(body) == 0 {
		return nil
	}
	var document any
	if json.NewDecoder(bytes.NewReader(body)).Decode(&document) != nil {
		return nil
	}
	var secrets []string
	for _, path := range paths {
		value := document
		for _, name := range path {
			object, ok := value.(map[string]any)
			if !ok {
				value = nil
				break
			}
			value = object[name]
		}
		if text, ok := value.(string); ok {
			secrets = append(secrets, text)
		}
	}
	return secrets
}

// scrubber replaces secrets in report text.
type scrubber struct{ secrets []string }

func (s *scrubber) add(secrets ...string) {
	for _, secret := range secrets {
		if len(secret) >= minSecretLength {
			s.secrets = append(s.secrets, secret)
		}
	}
}

func (s *scrubber) scrub(text string) string {
	for _, secret := range s.secrets {
		if strings.Contains(text, secret) {
			text = strings.ReplaceAll(text, secret, Redacted(secret))
		}
	}
	return text
}

// scrubOutcomes removes every secret from the text of outcomes.
func (s *scrubber) scrubOutcomes(outcomes []Outcome) {
	if len(s.secrets) == 0 {
		return
	}
	for i := range outcomes {
		o := &outcomes[i]
		o.Expected, o.Actual, o.Reproduce = s.scrub(o.Expected), s.scrub(o.Actual), s.scrub(o.Reproduce)
		o.Intermediary = s.scrub(o.Intermediary)
		for name, value := range o.Headers {
			o.Headers[name] = s.scrub(value)
		}
	}
}

// secretHeader tells, by its name, a header whose value is a credential
// (a gateway key, a cookie) from one that is not (a tenant, a trace id).
func secretHeader(name string) bool {
	name = strings.ToLower(name)
	for _, word := range []string{"auth", "key", "token", "secret", "cookie", "password", "signature", "credential"} {
		if strings.Contains(name, word) {
			return true
		}
	}
	return false
}

// Redacted is how a secret appears in a report: its length, not its value.
func Redacted(secret string) string {
	return fmt.Sprintf("<redacted: %d chars>", len(secret))
}
