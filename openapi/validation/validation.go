// Package validation checks HTTP exchanges against an OpenAPI document with two
// independent validators, kin-openapi and pb33f libopenapi-validator, and
// reports what each of them said, so that a disagreement is visible rather
// than hidden behind whichever validator happened to run.
package validation

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/pb33f/jsonschema/v6"

	"github.com/authcontract/authcontract/openapi"
)

// Names of the two validators, as they appear in reports.
const (
	KinOpenAPI = "kin-openapi"
	LibOpenAPI = "libopenapi-validator"
)

// Validator holds both validators, compiled once for one document; it is safe
// for concurrent use.
type Validator struct {
	api       openapi.API
	kinDoc    *openapi3.T
	kinRouter routers.Router
	// kinRequestOptions and kinResponseOptions are built once: they are
	// the same for every message and only read afterwards.
	kinRequestOptions  *openapi3filter.Options
	kinResponseOptions *openapi3filter.Options
	// kinResponses lets ValidateResponse decode a JSON body once and hand
	// it to kin-openapi's schema check (responseschemas.go).
	kinResponses kinResponseSchemas
	// kinBodyOptions are what openapi3filter.ValidateResponse passes to
	// the body schema under kinResponseOptions.
	kinBodyOptions []openapi3.SchemaValidationOption
	// lib is libopenapi-validator's half (libside.go), behind an interface
	// that names none of libopenapi's types: see libJudge.
	lib libJudge
}

// Result is what each validator said about one message: an empty slice means
// that validator accepted it.
type Result struct {
	Kin []string
	Lib []string
}

// OK reports whether both validators accepted the message.
func (r Result) OK() bool { return len(r.Kin) == 0 && len(r.Lib) == 0 }

// Disagree reports whether exactly one validator rejected the message.
func (r Result) Disagree() bool { return (len(r.Kin) == 0) != (len(r.Lib) == 0) }

// String summarises both verdicts on one line for failure messages.
func (r Result) String() string {
	verdict := func(errs []string) string {
		if len(errs) == 0 {
			return "ok"
		}
		return strings.Join(errs, "; ")
	}
	return fmt.Sprintf("%s: %s | %s: %s", KinOpenAPI, verdict(r.Kin), LibOpenAPI, verdict(r.Lib))
}

// New loads the API's embedded document into both validators.
func New(api openapi.API) (*Validator, error) {
	spec, err := openapi.Spec(api)
	if err != nil {
		return nil, err
	}
	return FromSpec(api, spec)
}

// FromSpec loads a document given as YAML or JSON into both validators and
// fails when either of them finds the document itself invalid.
func FromSpec(api openapi.API, spec []byte) (*Validator, error) {
	kinDoc, err := openapi3.NewLoader().LoadFromData(spec)
	if err != nil {
		return nil, fmt.Errorf("kin-openapi: load %s spec: %w", api, err)
	}
	if err := kinDoc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("kin-openapi: validate %s spec: %w", api, err)
	}
	// Route on the path alone: targets run on any host, not on the host the
	// document's servers name.
	routed := *kinDoc
	routed.Servers = nil
	kinRouter, err := legacy.NewRouter(&routed)
	if err != nil {
		return nil, fmt.Errorf("kin-openapi: build router for %s: %w", api, err)
	}

	// Both validators check the shared formats with the same functions
	// (formats.go), each through its own per-validator options (newLibSide
	// gives libopenapi-validator its own): nothing is registered globally,
	// so no other user of either library is affected.
	kinFormatChecks := map[string]openapi3.StringFormatValidator{}
	for name, check := range stringFormats() {
		kinFormatChecks[name] = openapi3.NewCallbackValidator(check)
	}
	// One map built here and only read by kin-openapi afterwards, rather
	// than a WithStringFormatValidator per format, each of which makes a
	// new map on every validation.
	kinFormats := []openapi3.SchemaValidationOption{openapi3.WithStringFormatValidators(kinFormatChecks)}
	lib, err := newLibSide(api, spec)
	if err != nil {
		return nil, err
	}

	// As openapi3filter.ValidateResponse assembles them from
	// kinResponseOptions below.
	kinBodyOptions := append([]openapi3.SchemaValidationOption{openapi3.MultiErrors()}, kinFormats...)
	if kinDoc.IsOpenAPI31OrLater() {
		kinBodyOptions = append(kinBodyOptions, openapi3.EnableJSONSchema2020())
	}
	kinBodyOptions = append(kinBodyOptions, openapi3.VisitAsResponse())

	return &Validator{
		api:       api,
		kinDoc:    kinDoc,
		kinRouter: kinRouter,
		kinRequestOptions: &openapi3filter.Options{
			MultiError: true,
			// Whether credentials are right is the target's business; the
			// validators judge only the messages' shape.
			AuthenticationFunc:      openapi3filter.NoopAuthenticationFunc,
			SchemaValidationOptions: kinFormats,
		},
		kinResponseOptions: &openapi3filter.Options{
			MultiError: true,
			// The status is part of what is judged: a status the document
			// does not describe must be reported, not skipped.
			IncludeResponseStatus:   true,
			SchemaValidationOptions: kinFormats,
		},
		kinResponses:   newKinResponseSchemas(kinDoc),
		kinBodyOptions: kinBodyOptions,
		lib:            lib,
	}, nil
}

// API names the document this validator checks against.
func (v *Validator) API() openapi.API { return v.api }

// Document returns the kin-openapi model of the document, for code that needs
// to look up what the document declares (responses, schemas).
func (v *Validator) Document() *openapi3.T { return v.kinDoc }

// Describes reports whether the document has an operation for the request's
// method and path.
func (v *Validator) Describes(req *http.Request) bool {
	_, _, err := v.kinRouter.FindRoute(req)
	return err == nil
}

// OperationRequest returns req as a request for the document's operation:
// req itself when the document describes it, else a POST to req's path,
// else a POST to the operation's path with its parameters filled in. A
// reply to a request the document does not describe (another method, an
// unknown path) must still be the operation's default error, and is
// validated as answering this request.
func (v *Validator) OperationRequest(req *http.Request) *http.Request {
	if v.Describes(req) {
		return req
	}
	post := req.Clone(req.Context())
	post.Method = http.MethodPost
	if v.Describes(post) {
		return post
	}
	for path, item := range v.kinDoc.Paths.Map() {
		if item.Post == nil {
			continue
		}
		u := *req.URL
		u.Path, u.RawPath = pathParameter.ReplaceAllString(path, "x"), ""
		post.URL = &u
		return post
	}
	return req
}

// pathParameter matches a templated segment such as {containerAppName}.
var pathParameter = regexp.MustCompile(`\{[^}/]+\}`)

// ValidateRequest checks a request (path, query, headers and body) against the
// document. body is the request body as sent; req.Body is not read.
func (v *Validator) ValidateRequest(req *http.Request, body []byte) Result {
	var result Result
	if input, err := v.kinRequestInput(req, body); err != nil {
		result.Kin = []string{err.Error()}
	} else if err := openapi3filter.ValidateRequest(req.Context(), input); err != nil {
		result.Kin = splitKin(err)
	}
	result.Lib = v.lib.validateRequest(req, body)
	return result
}

// ValidateResponse checks a response (status, headers and body) to the given
// request against the document.
//
// A JSON body whose schema both libraries would simply check is decoded once
// and handed to each library's own schema code; a body either of them
// refuses, and every exchange the shared path does not cover, goes through
// that library's full response path, so the verdicts and messages are the
// library's own either way.
func (v *Validator) ValidateResponse(req *http.Request, status int, header http.Header, body []byte) Result {
	kinSchema := v.kinResponses.schemaFor(v.kinRouter, req, status, header)
	libSchema := v.lib.responseSchema(req, status, header)
	var value any
	var isJSON bool
	if kinSchema != nil || libSchema != nil {
		value, isJSON = decodeJSONBody(body)
	}
	// Both read the one value and neither writes into it: kin-openapi fills
	// in defaults only when asked to (DefaultsSet), which it is not here.
	return Result{
		Kin: v.kinJudges(kinSchema, value, isJSON, req, status, header, body),
		Lib: v.libJudges(libSchema, value, isJSON, req, status, header, body),
	}
}

// kinResponse is kin-openapi's verdict on a response, nil when it accepts
// it, by the same steps ValidateResponse takes; kept apart from libResponse
// so that each validator's cost can be measured on its own.
func (v *Validator) kinResponse(req *http.Request, status int, header http.Header, body []byte) []string {
	schema := v.kinResponses.schemaFor(v.kinRouter, req, status, header)
	var value any
	var isJSON bool
	if schema != nil {
		value, isJSON = decodeJSONBody(body)
	}
	return v.kinJudges(schema, value, isJSON, req, status, header, body)
}

// libResponse is libopenapi-validator's verdict on a response, nil when it
// accepts it, by the same steps ValidateResponse takes.
func (v *Validator) libResponse(req *http.Request, status int, header http.Header, body []byte) []string {
	schema := v.lib.responseSchema(req, status, header)
	var value any
	var isJSON bool
	if schema != nil {
		value, isJSON = decodeJSONBody(body)
	}
	return v.libJudges(schema, value, isJSON, req, status, header, body)
}

// kinJudges accepts a decoded body its schema accepts; anything else is
// left to kin-openapi's full path, which also words the errors.
func (v *Validator) kinJudges(schema *openapi3.Schema, value any, isJSON bool, req *http.Request, status int, header http.Header, body []byte) []string {
	if schema != nil && isJSON && schema.VisitJSON(value, v.kinBodyOptions...) == nil {
		return nil
	}
	return v.kinFullResponse(req, status, header, body)
}

// libJudges accepts a decoded body its compiled schema accepts; anything
// else is left to libopenapi-validator's full path, which also words the
// errors.
func (v *Validator) libJudges(schema *jsonschema.Schema, value any, isJSON bool, req *http.Request, status int, header http.Header, body []byte) []string {
	if schema != nil && isJSON && schema.Validate(value) == nil {
		return nil
	}
	return v.lib.validateResponse(req, status, header, body)
}

// kinFullResponse is kin-openapi's verdict through its whole response path:
// routing, status, headers, Content-Type, decoding and schema.
func (v *Validator) kinFullResponse(req *http.Request, status int, header http.Header, body []byte) []string {
	input, err := v.kinRequestInput(req, nil)
	if err != nil {
		return []string{err.Error()}
	}
	err = openapi3filter.ValidateResponse(req.Context(), &openapi3filter.ResponseValidationInput{
		RequestValidationInput: input,
		Status:                 status,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                v.kinResponseOptions,
	})
	if err != nil {
		return splitKin(err)
	}
	return nil
}

func (v *Validator) kinRequestInput(req *http.Request, body []byte) (*openapi3filter.RequestValidationInput, error) {
	routed := withBody(req, body)
	route, pathParams, err := v.kinRouter.FindRoute(routed)
	if err != nil {
		return nil, fmt.Errorf("find route for %s %s: %w", req.Method, req.URL.Path, err)
	}
	return &openapi3filter.RequestValidationInput{
		Request:    routed,
		PathParams: pathParams,
		Route:      route,
		Options:    v.kinRequestOptions,
	}, nil
}

// withBody returns a copy of req whose body reads the given bytes, so that
// each validator reads its own copy and the caller's request is untouched.
func withBody(req *http.Request, body []byte) *http.Request {
	clone := req.Clone(req.Context())
	clone.Body = io.NopCloser(bytes.NewReader(body))
	clone.ContentLength = int64(len(body))
	return clone
}

func splitKin(err error) []string {
	var multi openapi3.MultiError
	if errors.As(err, &multi) {
		messages := make([]string, 0, len(multi))
		for _, e := range multi {
			messages = append(messages, e.Error())
		}
		return messages
	}
	return []string{err.Error()}
}
