package validation

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/pb33f/jsonschema/v6"
	"github.com/pb33f/libopenapi"
	libvalidator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/cache"
	"github.com/pb33f/libopenapi-validator/config"
	liberrors "github.com/pb33f/libopenapi-validator/errors"
	"github.com/pb33f/libopenapi-validator/radix"

	"github.com/authcontract/authcontract/openapi"
)

// libJudge is libopenapi-validator's half of a Validator. Validator holds it
// as this interface, whose methods name no libopenapi type, for the sake of
// every package that uses a Validator: a type that mentions one of
// libopenapi's types, in a field or a method, makes each package referring
// to it compile the library's generic instantiations again (about 11,000
// functions, 7 s on a 2-core machine, per package and per test build).
type libJudge interface {
	// validateRequest is the validator's verdict on a request whose body
	// is the given bytes, nil when it accepts it.
	validateRequest(req *http.Request, body []byte) []string
	// responseSchema is the compiled schema a JSON response body is
	// checked against, nil when the full path must judge the exchange
	// (responseschemas.go).
	responseSchema(req *http.Request, status int, header http.Header) *jsonschema.Schema
	// validateResponse is the verdict through the validator's whole
	// response path: routing, status, headers, Content-Type, decoding
	// and schema.
	validateResponse(req *http.Request, status int, header http.Header, body []byte) []string
}

// libSide is libopenapi-validator built once for one document, with the
// response schemas it would check each JSON body against.
type libSide struct {
	validator libvalidator.Validator
	responses *libResponseSchemas
}

// newLibSide loads the document into libopenapi-validator and fails when it
// finds the document itself invalid.
func newLibSide(api openapi.API, spec []byte) (*libSide, error) {
	document, err := libopenapi.NewDocument(spec)
	if err != nil {
		return nil, fmt.Errorf("libopenapi: load %s spec: %w", api, err)
	}
	// The model NewValidator builds and validates with: BuildV3Model
	// builds it once and returns the same model to NewValidator.
	model, err := document.BuildV3Model()
	if err != nil {
		return nil, fmt.Errorf("libopenapi: build %s model: %w", api, err)
	}
	// The path tree the validator's router looks paths up in, built here
	// rather than by NewValidator so that the shared path looks them up
	// in the same one (responseschemas.go).
	paths := radix.BuildPathTree(&model.Model)
	schemaCache := cache.NewDefaultCache()
	options := []config.Option{
		config.WithPathTree(paths),
		config.WithFormatAssertions(),
		// Without a cache libopenapi-validator compiles a regular expression
		// for every path segment, once per path parameter, on every request:
		// 27 compilations for one Container Apps request, most of what
		// validating it cost. The keys are the document's path templates,
		// so the cache stays as small as the document.
		config.WithRegexCache(&sync.Map{}),
		// The default cache, but held here too: the validator renders and
		// compiles every schema into it when it is built, and the shared
		// path takes each response schema from it (libcompiled.go).
		config.WithSchemaCache(schemaCache),
	}
	// The same format checks kin-openapi is given (formats.go).
	for name, check := range stringFormats() {
		options = append(options, config.WithCustomFormat(name, forLib(check)))
	}
	validator, errs := libvalidator.NewValidator(document, options...)
	if len(errs) > 0 {
		return nil, fmt.Errorf("libopenapi: build validator for %s: %w", api, errors.Join(errs...))
	}
	if ok, problems := validator.ValidateDocument(); !ok {
		return nil, fmt.Errorf("libopenapi: validate %s spec: %s", api, strings.Join(libMessages(problems), "; "))
	}
	// NewValidator makes its options from the same list, the same way.
	compiled := newLibCompiledSchemas(schemaCache, config.NewValidationOptions(options...), model.Model.Version)
	return &libSide{
		validator: validator,
		responses: newLibResponseSchemas(&model.Model, paths, compiled),
	}, nil
}

func (l *libSide) validateRequest(req *http.Request, body []byte) []string {
	if ok, problems := l.validator.ValidateHttpRequestSync(withBody(req, body)); !ok {
		return libMessages(problems)
	}
	return nil
}

func (l *libSide) responseSchema(req *http.Request, status int, header http.Header) *jsonschema.Schema {
	return l.responses.schemaFor(req, status, header)
}

func (l *libSide) validateResponse(req *http.Request, status int, header http.Header, body []byte) []string {
	resp := &http.Response{
		StatusCode: status,
		Header:     header,
		Body:       io.NopCloser(bytes.NewReader(body)),
		Request:    req,
	}
	if ok, problems := l.validator.ValidateHttpResponse(withBody(req, nil), resp); !ok {
		return libMessages(problems)
	}
	return nil
}

// libMessages words each of libopenapi-validator's problems on one line,
// with the schema failures it lists.
func libMessages(problems []*liberrors.ValidationError) []string {
	messages := make([]string, 0, len(problems))
	for _, p := range problems {
		message := p.Message
		if p.Reason != "" {
			message += ": " + p.Reason
		}
		for _, failure := range p.SchemaValidationErrors {
			message += fmt.Sprintf(" [%s: %s]", failure.FieldPath, failure.Reason)
		}
		messages = append(messages, message)
	}
	return messages
}
