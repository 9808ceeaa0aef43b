package validation

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/pb33f/jsonschema/v6"

	"github.com/authcontract/authcontract/openapi"
)

// A document small enough to break in every way the shared body path must
// hand back to the libraries: additionalProperties false, formats, enum,
// nullable, integer bounds at the edge of float64, a status range, a
// response with headers and one without content.
const tinySpec = `openapi: 3.0.3
info: {title: tiny, version: '1'}
paths:
  /things/{id}:
    post:
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
        '201':
          description: created, with a header
          headers:
            X-Thing-Id: {required: true, schema: {type: string, format: uuid}}
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
        '204': {description: no content}
        '4XX':
          description: client error
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Problem'}
components:
  schemas:
    Thing:
      type: object
      additionalProperties: false
      required: [id, count]
      properties:
        id: {type: string, format: uuid}
        count: {type: integer, format: int32, maximum: 9007199254740992}
        ratio: {type: number, multipleOf: 0.5}
        data: {type: string, format: byte}
        kind: {type: string, enum: [a, b]}
        nickname: {type: string, nullable: true}
        tags: {type: array, items: {type: number}}
    Problem:
      type: object
      required: [title]
      properties:
        title: {type: string, minLength: 1}
`

// The same document with uniqueItems, which kin-openapi judges by the
// numbers' JSON text, and under a server base path, which
// libopenapi-validator strips before routing.
var (
	tinyUniqueSpec = strings.Replace(tinySpec, "tags: {type: array, items: {type: number}}", "tags: {type: array, items: {type: number}, uniqueItems: true}", 1)
	tinyBasedSpec  = strings.Replace(tinySpec, "paths:", "servers: [{url: 'https://api.example/v1'}]\npaths:", 1)
	// A $ref with a keyword beside it, which libopenapi-validator checks
	// (its inline rendering keeps both as an allOf: libcompiled.go) and
	// kin-openapi ignores, as OpenAPI 3.0 says.
	tinySiblingSpec = strings.Replace(tinySpec, "tags: {type: array, items: {type: number}}",
		"tags: {type: array, items: {type: number}}\n        label: {$ref: '#/components/schemas/Label', maxLength: 3}", 1) +
		"    Label: {type: string, minLength: 1}\n"
	// A schema that refers to itself, which no rendering can inline
	// (libcompiled.go).
	tinyCircularSpec = strings.Replace(tinySpec, "tags: {type: array, items: {type: number}}",
		"tags: {type: array, items: {type: number}}\n        parent: {$ref: '#/components/schemas/Thing'}", 1)
)

const (
	tinyThing = `{"id":"2f6b2c5e-8d0a-4d8e-9a53-1f1c7f0e2a61","count":3}`
	tinyFull  = `{"id":"2f6b2c5e-8d0a-4d8e-9a53-1f1c7f0e2a61","count":3,"ratio":1.5,"data":"aGk=","kind":"a","nickname":null,"tags":[1,2]}`
)

// exchange is one response to judge, and what it is called in a test name.
type exchange struct {
	name        string
	method      string
	target      string
	status      int
	contentType string
	body        string
}

// tinyExchanges breaks a tiny response in one place at a time.
func tinyExchanges() []exchange {
	thing := func(name, body string) exchange {
		return exchange{name, http.MethodPost, "/things/x", 200, "application/json", body}
	}
	withThing := func(old, replacement string) string { return strings.Replace(tinyThing, old, replacement, 1) }
	exchanges := []exchange{
		thing("a thing with only its required properties", tinyThing),
		thing("a thing with every property", tinyFull),
		thing("a thing with a property additionalProperties false forbids", withThing(`"count":3`, `"count":3,"extra":1`)),
		thing("a thing without its required count", withThing(`,"count":3`, "")),
		thing("a thing whose count is a string", withThing(`"count":3`, `"count":"3"`)),
		thing("a thing whose count is not whole", withThing(`"count":3`, `"count":3.5`)),
		thing("a thing whose count is whole but written with a decimal point", withThing(`"count":3`, `"count":3.0`)),
		thing("a thing whose count no float64 holds", withThing(`"count":3`, `"count":1e400`)),
		thing("a thing whose count is one past float64's exact integers", withThing(`"count":3`, `"count":9007199254740993`)),
		thing("a thing whose count overflows int32", withThing(`"count":3`, `"count":3000000000`)),
		thing("a thing whose ratio is not a multiple of its step", withThing(`"count":3`, `"count":3,"ratio":1.25`)),
		thing("a thing whose data is unpadded base64", withThing(`"count":3`, `"count":3,"data":"aGk"`)),
		thing("a thing whose data ends in a line break", withThing(`"count":3`, `"count":3,"data":"aGk=\n"`)),
		thing("a thing whose id is not a UUID", withThing("2f6b2c5e-8d0a-4d8e-9a53-1f1c7f0e2a61", "config-1")),
		thing("a thing whose kind is not in its enum", withThing(`"count":3`, `"count":3,"kind":"c"`)),
		thing("a thing whose tags repeat a number in two spellings", withThing(`"count":3`, `"count":3,"tags":[1,1.0]`)),
		thing("a thing that names count twice", withThing(`"count":3`, `"count":"x","count":3`)),
		thing("an empty body", ""),
		thing("a body of whitespace", " \n"),
		thing("null", "null"),
		thing("an array", "[]"),
		thing("a number", "3"),
		thing("a string", `"x"`),
		thing("a cut-off object", `{"id":`),
		thing("a body that is not JSON", "not json"),
		thing("a thing followed by whitespace", tinyThing+" \n\t"),
		thing("a thing followed by another object", tinyThing+"{}"),
		thing("a thing followed by a stray word", tinyThing+" x"),
		thing("a thing followed by a stray bracket", tinyThing+"]"),
		thing("a thing after a byte order mark", "\ufeff"+tinyThing),
		thing("a thing whose label is empty", withThing(`"count":3`, `"count":3,"label":""`)),
		thing("a thing whose label is longer than the keyword beside its $ref allows", withThing(`"count":3`, `"count":3,"label":"long label"`)),
		thing("a thing whose parent lacks its count", withThing(`"count":3`, `"count":3,"parent":{"id":"2f6b2c5e-8d0a-4d8e-9a53-1f1c7f0e2a61"}`)),
		thing("a thing whose parent is whole", withThing(`"count":3`, `"count":3,"parent":`+tinyThing)),
	}
	for _, status := range []int{201, 204, 304, 404, 499, 500, 99, 600} {
		exchanges = append(exchanges, exchange{"a thing answered " + strconv.Itoa(status), http.MethodPost, "/things/x", status, "application/json", tinyThing})
	}
	exchanges = append(exchanges, exchange{"a problem answered 404", http.MethodPost, "/things/x", 404, "application/json", `{"title":"gone"}`})
	for _, contentType := range []string{"application/json; charset=utf-8", "APPLICATION/JSON", "text/plain", "", "application/problem+json"} {
		exchanges = append(exchanges, exchange{"a thing sent as Content-Type " + contentType, http.MethodPost, "/things/x", 200, contentType, tinyThing})
	}
	for _, route := range []struct{ method, target string }{
		{http.MethodGet, "/things/x"},
		{http.MethodHead, "/things/x"},
		{http.MethodPost, "/things/x/"},
		{http.MethodPost, "/things"},
		{http.MethodPost, "/things/x#part"},
		{http.MethodPost, "/things/a%2Fb"},
		{http.MethodPost, "/v1/things/x"},
	} {
		exchanges = append(exchanges, exchange{"a thing answering " + route.method + " " + route.target, route.method, route.target, 200, "application/json", tinyThing})
	}
	return exchanges
}

// documentExchanges are the benchmark's exchanges and the package's other
// test bodies for the embedded documents.
func documentExchanges(api openapi.API) []exchange {
	json := func(name, target string, status int, body string) exchange {
		return exchange{name, http.MethodPost, target, status, "application/json", body}
	}
	switch api {
	case openapi.ContainerApps:
		return []exchange{
			json("the benchmark's token", tokenPath, 200, tokenIssued),
			json("the benchmark's error", tokenPath, 400, tokenError),
			json("a token whose name is a number", tokenPath, 200, strings.Replace(tokenIssued, `"testcontainerapp0","properties"`, `7,"properties"`, 1)),
			json("a token without location", tokenPath, 200, strings.Replace(tokenIssued, `"location":"East US",`, "", 1)),
			json("a token whose expires is not a date-time", tokenPath, 200, strings.Replace(tokenIssued, "2026-11-23T11:25:00.225934912Z", "tomorrow", 1)),
			json("an error whose code is a number", tokenPath, 400, strings.Replace(tokenError, `"MissingApiVersionParameter"`, "7", 1)),
			json("an empty object answered 404", tokenPath, 404, `{}`),
			json("a token answered 201", tokenPath, 201, tokenIssued),
		}
	default:
		return []exchange{
			json("the benchmark's config echo", m2mPath, 200, configEcho),
			json("the benchmark's error", m2mPath, 400, configError),
			json("a config of a type not in the enum", m2mPath, 200, strings.Replace(configEcho, "GENERIC", "GITLAB", 1)),
			json("a config whose id is not a UUID", m2mPath, 200, strings.Replace(configEcho, "89a05768-eb58-457a-98e1-460bf6d82be2", "config-1", 1)),
			json("a config whose duration is not one", m2mPath, 200, strings.Replace(configEcho, "2h45m", "3d", 1)),
			json("an error whose code is a string", m2mPath, 400, strings.Replace(configError, `"code":3`, `"code":"3"`, 1)),
			json("an error whose code is not whole", m2mPath, 400, strings.Replace(configError, `"code":3`, `"code":3.5`, 1)),
			json("an error whose detail value is not base64", m2mPath, 400, strings.Replace(configError, `"details":[]`, `"details":[{"@type":"t","value":"not base64!"}]`, 1)),
			json("an error whose detail value is base64", m2mPath, 400, strings.Replace(configError, `"details":[]`, `"details":[{"@type":"t","value":"aGk="}]`, 1)),
		}
	}
}

func TestTheSharedBodyPathGivesEachLibrarysOwnVerdict(t *testing.T) {
	type document struct {
		name      string
		validator *Validator
		exchanges []exchange
	}
	var documents []document
	for _, api := range openapi.APIs() {
		v, err := New(api)
		if err != nil {
			t.Fatal(err)
		}
		documents = append(documents, document{string(api), v, documentExchanges(api)})
	}
	for name, spec := range map[string]string{"tiny": tinySpec, "tiny with uniqueItems": tinyUniqueSpec, "tiny under a base path": tinyBasedSpec, "tiny with a $ref beside a keyword": tinySiblingSpec, "tiny with a circular schema": tinyCircularSpec} {
		v, err := FromSpec(openapi.API(name), []byte(spec))
		if err != nil {
			t.Fatalf("load %s: %v", name, err)
		}
		documents = append(documents, document{name, v, tinyExchanges()})
	}

	for _, doc := range documents {
		v := doc.validator
		for _, ex := range doc.exchanges {
			t.Run(doc.name+" judges "+ex.name+" as each library alone does", func(t *testing.T) {
				req := httptest.NewRequest(ex.method, ex.target, nil)
				header := http.Header{}
				if ex.contentType != "" {
					header.Set("Content-Type", ex.contentType)
				}
				body := []byte(ex.body)
				want := Result{
					Kin: v.kinFullResponse(req, ex.status, header, body),
					Lib: v.lib.validateResponse(req, ex.status, header, body),
				}
				if got := v.ValidateResponse(req, ex.status, header, body); !sameVerdicts(got, want) {
					t.Errorf("ValidateResponse: %s\nthe libraries alone: %s", got, want)
				}
				if got := v.kinResponse(req, ex.status, header, body); !slices.Equal(got, want.Kin) {
					t.Errorf("kin-openapi on its own path: %q\nkin-openapi alone: %q", got, want.Kin)
				}
				if got := v.libResponse(req, ex.status, header, body); !slices.Equal(got, want.Lib) {
					t.Errorf("libopenapi-validator on its own path: %q\nlibopenapi-validator alone: %q", got, want.Lib)
				}
			})
		}
	}
}

func sameVerdicts(a, b Result) bool {
	return slices.Equal(a.Kin, b.Kin) && slices.Equal(a.Lib, b.Lib)
}

// The benchmark must time the shared path, not the libraries' full paths
// it falls back to, as ValidateResponse runs it.
func TestTheSharedBodyPathJudgesTheBenchmarksExchanges(t *testing.T) {
	for _, api := range openapi.APIs() {
		v, err := New(api)
		if err != nil {
			t.Fatal(err)
		}
		for _, ex := range documentExchanges(api)[:2] {
			t.Run(string(api)+" judges "+ex.name+" on the shared path", func(t *testing.T) {
				req := httptest.NewRequest(ex.method, ex.target, nil)
				header := http.Header{"Content-Type": []string{ex.contentType}}
				if v.kinResponses.schemaFor(v.kinRouter, req, ex.status, header) == nil {
					t.Error("kin-openapi's schema was not found")
				}
				libSchema := v.lib.responseSchema(req, ex.status, header)
				if libSchema == nil {
					t.Error("libopenapi-validator's schema was not found")
				}
				// libopenapi-validator's side is judged with the rendering
				// of the schema with every $ref replaced (libcompiled.go);
				// with the document's own graph it is a third slower.
				if where := refIn(libSchema, "#", map[*jsonschema.Schema]bool{}); where != "" {
					t.Errorf("libopenapi-validator's schema follows a $ref at %s", where)
				}
				if _, ok := decodeJSONBody([]byte(ex.body)); !ok {
					t.Error("the body was not decoded")
				}
			})
		}
	}
}

// refIn is the place of the first $ref under a compiled schema, "" when there
// is none; it looks where the two documents' schemas have subschemas.
func refIn(schema *jsonschema.Schema, at string, seen map[*jsonschema.Schema]bool) string {
	if schema == nil || seen[schema] {
		return ""
	}
	seen[schema] = true
	if schema.Ref != nil {
		return at
	}
	children := map[string]*jsonschema.Schema{"/items": schema.Items2020}
	if items, ok := schema.Items.(*jsonschema.Schema); ok {
		children["/items"] = items
	}
	if additional, ok := schema.AdditionalProperties.(*jsonschema.Schema); ok {
		children["/additionalProperties"] = additional
	}
	for name, property := range schema.Properties {
		children["/properties/"+name] = property
	}
	for i, sub := range slices.Concat(schema.AllOf, schema.AnyOf, schema.OneOf) {
		children["/of/"+strconv.Itoa(i)] = sub
	}
	for path, child := range children {
		if where := refIn(child, at+path, seen); where != "" {
			return where
		}
	}
	return ""
}
