package specdiff

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/authcontract/authcontract/openapi"
	"github.com/authcontract/authcontract/openapi/validation"
)

// document is one version of an API's document, loaded into both
// validators, as verify would load it.
type document struct {
	validator *validation.Validator
	// router finds a request's operation. validation keeps its own router
	// to itself, so this one is built the same way: on the path alone,
	// since fixtures name no host.
	router routers.Router
	// apiVersion fills {apiVersion}: the document's example api-version.
	apiVersion string
}

// loadDocument fails when either validator cannot load the document: that
// is no OpenAPI document verify could run against.
func loadDocument(api openapi.API, source Source) (*document, error) {
	v, err := validation.FromSpec(api, source.Data)
	if err != nil {
		// kin-openapi follows its first line with the whole schema and
		// value, which bury the reason.
		return nil, fmt.Errorf("%s is no OpenAPI document both validators load: %s", source.Name, firstLine(err.Error()))
	}
	routed := *v.Document()
	routed.Servers = nil
	router, err := legacy.NewRouter(&routed)
	if err != nil {
		return nil, fmt.Errorf("%s: build a router: %w", source.Name, err)
	}
	return &document{validator: v, router: router, apiVersion: exampleAPIVersion(v.Document())}, nil
}

// exampleAPIVersion is the example of the first api-version query parameter
// the document declares, or DefaultAPIVersion when it gives none.
func exampleAPIVersion(doc *openapi3.T) string {
	paths := doc.Paths.InMatchingOrder()
	sort.Strings(paths) // deterministic, whatever the matching order
	for _, path := range paths {
		item := doc.Paths.Value(path)
		for _, method := range sortedMethods(item) {
			op := item.GetOperation(method)
			parameters := append(append(openapi3.Parameters{}, item.Parameters...), op.Parameters...)
			p := parameters.GetByInAndName(openapi3.ParameterInQuery, "api-version")
			if p == nil {
				continue
			}
			if text, ok := exampleText(p.Example); ok {
				return text
			}
			if p.Schema != nil && p.Schema.Value != nil {
				if text, ok := exampleText(p.Schema.Value.Example); ok {
					return text
				}
			}
		}
	}
	return DefaultAPIVersion
}

// exampleText reads an example as text. A YAML example written as a bare
// date (2024-03-01) is read as a time, not a string.
func exampleText(example any) (string, bool) {
	switch value := example.(type) {
	case string:
		return value, value != ""
	case time.Time:
		return value.Format(time.DateOnly), true
	}
	return "", false
}

func sortedMethods(item *openapi3.PathItem) []string {
	methods := make([]string, 0, len(item.Operations()))
	for method := range item.Operations() {
		methods = append(methods, method)
	}
	sort.Strings(methods)
	return methods
}

// firstLine keeps a message's first line.
func firstLine(message string) string {
	first, _, _ := strings.Cut(message, "\n")
	return first
}
