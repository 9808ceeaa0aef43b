package casegen

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/authcontract/authcontract/contracttests/fixture"
	"github.com/authcontract/authcontract/openapi"
	"github.com/authcontract/authcontract/openapi/validation"
)

// A spec under test: a fresh copy of an embedded document, which a test
// may change in memory, its generator, and both validators loaded from the
// same copy. The validators judge what the generator draws without sharing
// a line of its code.
type spec struct {
	api       openapi.API
	doc       *openapi3.T
	generator *Generator
	validator *validation.Validator
}

// specWith loads the API's embedded document, applies change (nil for
// none), and builds a generator and the validators from the result.
func specWith(t *testing.T, api openapi.API, change func(*openapi3.T)) spec {
	t.Helper()
	data, err := openapi.Spec(api)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := openapi3.NewLoader().LoadFromData(data)
	if err != nil {
		t.Fatal(err)
	}
	if change != nil {
		change(doc)
	}
	generator, err := New(api, doc)
	if err != nil {
		t.Fatalf("New over the changed %s document: %v", api, err)
	}
	changed, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	validator, err := validation.FromSpec(api, changed)
	if err != nil {
		t.Fatalf("the changed %s document does not load: %v", api, err)
	}
	return spec{api: api, doc: doc, generator: generator, validator: validator}
}

// componentSchema returns a component schema of doc, to change.
func componentSchema(t *testing.T, doc *openapi3.T, name string) *openapi3.Schema {
	t.Helper()
	ref := doc.Components.Schemas[name]
	if ref == nil || ref.Value == nil {
		t.Fatalf("the document has no schema %s", name)
	}
	return ref.Value
}

// judged is what both validators say of a request template, its
// placeholders filled as a run against the reference would fill them.
func (s spec) judged(t *testing.T, tmpl fixture.Request) validation.Result {
	t.Helper()
	req, body := filled(t, tmpl)
	return s.validator.ValidateRequest(req, body)
}

// placeholderValues fill a request as a run against the embedded
// reference does: its app, the document's api-version, the built-in
// roles, made-up https issuers.
func placeholderValues() fixture.Values {
	values := fixture.Values{
		"subscriptionId":              "651f8027-33e8-4ec4-97b4-f6e9f3dc8744",
		"resourceGroupName":           "rg",
		"resourceGroupNameSwapped":    "RG",
		"resourceGroupName:upper":     "RG",
		"resourceGroupName:lower":     "rg",
		"resourceGroupName:alternate": "Rg",
		"containerAppName":            "testcontainerapp0",
		"apiVersion":                  "2023-08-01-preview",
		"runID":                       "test",
		"unique":                      "test-1",
		"issuerBase":                  "https://",
		"role":                        "Admin",
	}
	for i := range fixture.RolePlaceholders {
		values["role:"+strconv.Itoa(i)] = []string{"Admin", "Analyst", "Continuous Integration", "None", "Sensor Creator"}[i%5]
	}
	return values
}

func filled(t *testing.T, tmpl fixture.Request) (*http.Request, []byte) {
	t.Helper()
	req, body, err := tmpl.Fill(context.Background(), "http://casegen.invalid", placeholderValues(), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer casegen")
	return req, body
}

// sentConfig decodes the config a request body sends; ok is false when
// the body holds no config object. The bodies of several MiB are about
// their size, not their config, and are not read.
func sentConfig(body []byte) (map[string]any, bool) {
	if len(body) > 1<<16 {
		return nil, false
	}
	var sent struct {
		Config map[string]any `json:"config"`
	}
	if json.Unmarshal(body, &sent) != nil || sent.Config == nil {
		return nil, false
	}
	return sent.Config, true
}
