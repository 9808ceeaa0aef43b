// Package rulebook lists, per operation, every rule the suite enforces or
// tolerates, each with its grounds: the sentence of a seed document that
// states it, the OpenAPI document that alone implies it, or what the real
// service (ACS Central, Azure Resource Manager) does where the documents are
// silent, with the upstream file that shows it. Fixtures and generated cases
// name the rule they exercise, so that a run can say which rules it covered,
// and every verdict can say what it rests on.
package rulebook

import (
	"fmt"

	"github.com/authcontract/authcontract/openapi"
)

// Grounds says what a rule rests on.
type Grounds string

const (
	// Document: a sentence of a seed document (../shared/seeds) states it.
	Document Grounds = "document"
	// Schema: only the hand-written OpenAPI document implies it (a pattern,
	// an enum, a media type), the seed document saying nothing in words.
	Schema Grounds = "schema"
	// Upstream: the documents are silent, and the real service decides; the
	// rule names the upstream file that shows what it does.
	Upstream Grounds = "upstream"
)

// Valid reports whether g is one of the three grounds.
func (g Grounds) Valid() bool { return g == Document || g == Schema || g == Upstream }

// Rule is one thing the suite holds an implementation to, or forgives it.
type Rule struct {
	// ID is stable: fixtures name it in "rule", reports print it.
	ID      string
	Grounds Grounds
	// Sentence is the document's words (Korean, with the English of the
	// original API reference), or for schema and upstream rules what the
	// OpenAPI document or the real service says.
	Sentence string
	// Source is where the sentence comes from: the seed document, the
	// OpenAPI document, or the upstream repository and file.
	Source string
}

// Rules lists the API's rules in the order a coverage summary shows them.
func Rules(api openapi.API) []Rule {
	switch api {
	case openapi.ContainerApps:
		return containerAppsRules
	case openapi.ACSM2M:
		return acsRules
	}
	return nil
}

// Find returns the API's rule with the given id.
func Find(api openapi.API, id string) (Rule, error) {
	for _, rule := range Rules(api) {
		if rule.ID == id {
			return rule, nil
		}
	}
	return Rule{}, fmt.Errorf("rule %q is not one of %s's rules", id, api)
}

// ForEveryAnswer reports whether a rule holds of every answer, whatever the
// case sent: checks rest on these, cases exercise the others.
func ForEveryAnswer(id string) bool {
	switch id {
	case DocumentedResponses, ResponseSchema, JSONResponses, ErrorEnvelope, NotFoundAnyBody, ErrorCodeFitsStatus, GeneratedClient:
		return true
	}
	return false
}

// MustFind is Find for the ids this module writes itself; an unknown one is
// a programming error.
func MustFind(api openapi.API, id string) Rule {
	rule, err := Find(api, id)
	if err != nil {
		panic(err)
	}
	return rule
}
