package validation

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/pb33f/jsonschema/v6"
	"github.com/pb33f/libopenapi-validator/helpers"
	"github.com/pb33f/libopenapi-validator/radix"
	v3 "github.com/pb33f/libopenapi/datamodel/high/v3"
	"github.com/pb33f/libopenapi/orderedmap"
)

// jsonContentType is the only response Content-Type the shared path judges;
// an exchange with any other goes through both libraries' full paths.
const jsonContentType = "application/json"

// kinResponseSchemas and libResponseSchemas hold, for every operation and
// status of one document, the schema each validator checks a JSON response
// body against, looked up once when the document is loaded. Judging an
// exchange then costs each library only its schema walk over a body decoded
// once, instead of its routing, response lookup, decoding and (for
// libopenapi-validator) schema hashing every time.
//
// A schema is recorded only where the library's full response path would do
// nothing but decode the body and check it against that schema: no response
// headers to check, a JSON media type with a schema. Everywhere else the
// lookups find nothing and the library's full path judges the exchange, so
// verdicts never depend on these tables. (Both libraries decode
// application/json with encoding/json unless a program registers another
// decoder, kin-openapi's registry being global; this module registers none.)
type kinResponseSchemas map[*openapi3.Operation]map[int]*openapi3.Schema

// libResponseSchemas is libopenapi-validator's table.
type libResponseSchemas struct {
	byOperation map[*v3.Operation]map[int]*jsonschema.Schema
	// paths is libopenapi-validator's own path tree for the document, nil
	// when its router would first strip a server's base path from the
	// request path: then only its full path routes as it does.
	paths *radix.PathTree
}

// The statuses a response can have; kin-openapi and libopenapi-validator
// give other numbers no range (1XX…5XX) and are left to their full paths.
const lowestStatus, highestStatus = 100, 599

// kinSkipsStatus reports the statuses kin-openapi accepts a response with
// without looking at it; its full path judges them.
func kinSkipsStatus(status int) bool {
	switch status {
	case http.StatusMovedPermanently, http.StatusNotModified, http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// newKinResponseSchemas builds kin-openapi's table, empty when kin-openapi
// may not be handed the shared decoded body at all (kinTakesFloat64,
// jsonbody.go).
func newKinResponseSchemas(doc *openapi3.T) kinResponseSchemas {
	schemas := kinResponseSchemas{}
	if !kinTakesFloat64(doc) {
		return schemas
	}
	for _, item := range doc.Paths.Map() {
		for _, operation := range item.Operations() {
			schemas[operation] = kinStatusSchemas(operation)
		}
	}
	return schemas
}

// newLibResponseSchemas builds libopenapi-validator's table from the model,
// the path tree and the compiled schemas its validator was built with.
func newLibResponseSchemas(model *v3.Document, paths *radix.PathTree, compiled libCompiledSchemas) *libResponseSchemas {
	schemas := &libResponseSchemas{byOperation: map[*v3.Operation]map[int]*jsonschema.Schema{}}
	if model.Paths == nil || model.Paths.PathItems == nil {
		return schemas
	}
	if libRoutesOnPathAlone(model) {
		schemas.paths = paths
	}
	for path, item := range model.Paths.PathItems.FromOldest() {
		// libopenapi-validator checks a template that is not plain
		// {name} segments with a regular expression after the tree
		// lookup, and may then pick another path: leave those to it.
		if !plainTemplate(path) {
			continue
		}
		for _, operation := range item.GetOperations().FromOldest() {
			schemas.byOperation[operation] = libStatusSchemas(operation, compiled)
		}
	}
	return schemas
}

// schemaFor is the schema kin-openapi checks the response body against, or
// nil when its full path must judge the exchange.
func (s kinResponseSchemas) schemaFor(router routers.Router, req *http.Request, status int, header http.Header) *openapi3.Schema {
	if !sharedPathJudges(req, header) {
		return nil
	}
	// FindRoute reads the method and URL only, so the request is not copied
	// as it is for the full path, whose validation reads the body.
	route, _, err := router.FindRoute(req)
	if err != nil {
		return nil
	}
	return s[route.Operation][status]
}

// schemaFor is the compiled schema libopenapi-validator checks the response
// body against, or nil when its full path must judge the exchange.
func (s *libResponseSchemas) schemaFor(req *http.Request, status int, header http.Header) *jsonschema.Schema {
	if s.paths == nil || !sharedPathJudges(req, header) {
		return nil
	}
	// libopenapi-validator's router appends the fragment to the path and
	// makes it absolute before looking it up; only a path that needs neither
	// is looked up here.
	path := req.URL.EscapedPath()
	if req.URL.Fragment != "" || !strings.HasPrefix(path, "/") {
		return nil
	}
	item, _, found := s.paths.Lookup(path)
	if !found {
		return nil
	}
	return s.byOperation[helpers.ExtractOperation(req, item)][status]
}

// sharedPathJudges reports whether an exchange is one the tables may judge
// at all: both libraries treat HEAD specially, and only the one
// Content-Type the tables were built for is looked up.
func sharedPathJudges(req *http.Request, header http.Header) bool {
	return req.Method != http.MethodHead && header.Get("Content-Type") == jsonContentType
}

// kinStatusSchemas resolves every status as openapi3filter.ValidateResponse
// does: the status, then its range, then default.
func kinStatusSchemas(operation *openapi3.Operation) map[int]*openapi3.Schema {
	byStatus := map[int]*openapi3.Schema{}
	if operation.Responses.Len() == 0 {
		return byStatus
	}
	for status := lowestStatus; status <= highestStatus; status++ {
		if kinSkipsStatus(status) {
			continue
		}
		ref := operation.Responses.Status(status)
		if ref == nil {
			ref = operation.Responses.Default()
		}
		if ref == nil || ref.Value == nil {
			continue
		}
		if schema := kinBodySchema(ref.Value); schema != nil {
			byStatus[status] = schema
		}
	}
	return byStatus
}

// kinBodySchema is the schema kin-openapi checks a JSON body of the response
// against, nil when it would do more than that (check headers, read the body
// as bytes) or nothing at all.
func kinBodySchema(response *openapi3.Response) *openapi3.Schema {
	if len(response.Headers) > 0 {
		return nil
	}
	mediaType := response.Content.Get(jsonContentType)
	if mediaType == nil || mediaType.Schema == nil || mediaType.Schema.Value == nil {
		return nil
	}
	schema := mediaType.Schema.Value
	// kin-openapi reads a binary string schema's body as bytes, not JSON.
	if schema.Type.Is("string") && schema.Format == "binary" {
		return nil
	}
	return schema
}

// libStatusSchemas resolves every status as libopenapi-validator's response
// body validator does: the status, then its range, then default.
func libStatusSchemas(operation *v3.Operation, compiled libCompiledSchemas) map[int]*jsonschema.Schema {
	byStatus := map[int]*jsonschema.Schema{}
	if operation.Responses == nil || operation.Responses.Codes == nil {
		return byStatus
	}
	// Most statuses fall to the same few responses; hashing a schema to
	// find it in the cache, and compiling it, is not free.
	seen := map[*v3.Response]*jsonschema.Schema{}
	for status := lowestStatus; status <= highestStatus; status++ {
		response := operation.Responses.Codes.GetOrZero(strconv.Itoa(status))
		if response == nil {
			response = operation.Responses.Codes.GetOrZero(fmt.Sprintf("%dXX", status/100))
		}
		if response == nil {
			response = operation.Responses.Default
		}
		if response == nil {
			continue
		}
		schema, found := seen[response]
		if !found {
			schema = libBodySchema(response, compiled)
			seen[response] = schema
		}
		if schema != nil {
			byStatus[status] = schema
		}
	}
	return byStatus
}

// libBodySchema is the compiled schema libopenapi-validator checks a JSON
// body of the response against, found in the cache the validator warmed
// when it was built (libcompiled.go says in which form); nil when it would
// do more than that (check headers) or nothing at all.
func libBodySchema(response *v3.Response, compiled libCompiledSchemas) *jsonschema.Schema {
	if orderedmap.Len(response.Headers) > 0 || orderedmap.Len(response.Content) == 0 {
		return nil
	}
	mediaType, found := helpers.FindMediaType(response.Content, jsonContentType)
	if !found || mediaType.Schema == nil {
		return nil
	}
	schema := mediaType.Schema.Schema()
	if schema == nil || schema.GoLow() == nil {
		return nil
	}
	return compiled.forResponseBody(schema)
}

// libRoutesOnPathAlone reports whether libopenapi-validator's router matches
// request paths as they are: it strips the base path of any document server
// that has one (https://host/api) before looking the path up.
func libRoutesOnPathAlone(model *v3.Document) bool {
	for _, server := range model.Servers {
		if server == nil {
			continue
		}
		// When the URL does not parse, libopenapi-validator guesses the
		// base path itself.
		u, err := url.Parse(server.URL)
		if err != nil || u.Path != "" {
			return false
		}
	}
	return true
}

// plainTemplate reports whether every templated segment of a path is a whole
// {name}, which libopenapi-validator's path tree matches without a regular
// expression.
func plainTemplate(path string) bool {
	for _, segment := range strings.Split(strings.Trim(path, "/"), "/") {
		if !strings.ContainsAny(segment, "{}") {
			continue
		}
		if len(segment) < 3 || segment[0] != '{' || segment[len(segment)-1] != '}' || strings.ContainsAny(segment[1:len(segment)-1], ":.*;{}") {
			return false
		}
	}
	return true
}
