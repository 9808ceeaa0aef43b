package conformance

import (
	"fmt"
	"io/fs"

	"github.com/authcontract/authcontract/contracttests/fixture"
	"github.com/authcontract/authcontract/contracttests/rulebook"
	"github.com/authcontract/authcontract/openapi"
)

// Case is one fixture of one API, ready to run: read from a file, or
// generated from the spec and the documented rules.
type Case struct {
	API     openapi.API
	Fixture fixture.Fixture
	// Index tells cases apart within a run.
	Index int
	// Simpler, set on generated cases, lists variants of the case that are
	// one step simpler and break (or keep) the same documented rule; Shrink
	// walks them to a minimal failing request.
	Simpler func() []Case
}

// Name is the case's name within its API.
func (c Case) Name() string { return c.Fixture.Name }

// LoadCases reads the fixtures of the given APIs from fsys, laid out as
// <api>/*.json; an API without a directory has no fixtures.
func LoadCases(fsys fs.FS, apis []openapi.API) ([]Case, error) {
	var cases []Case
	for _, api := range apis {
		fixtures, err := fixture.Load(fsys, string(api))
		if err != nil {
			return nil, err
		}
		for _, f := range fixtures {
			if err := checkSemanticsKnown(api, f); err != nil {
				return nil, err
			}
			if err := checkRulesKnown(api, f); err != nil {
				return nil, fmt.Errorf("fixture %s: %w", f.File, err)
			}
			cases = append(cases, Case{API: api, Fixture: f, Index: len(cases)})
		}
	}
	return cases, nil
}

// checkRulesKnown fails when a fixture names a rule the rulebook does not
// have, or says the real service accepts it under a rule that is not an
// upstream one.
func checkRulesKnown(api openapi.API, f fixture.Fixture) error {
	named := []string{f.Rule, f.Expect.AcceptedUpstream}
	if f.Expect.MaskedBy != nil {
		named = append(named, f.Expect.MaskedBy.Rule)
	}
	for _, id := range named {
		if id == "" {
			continue
		}
		if _, err := rulebook.Find(api, id); err != nil {
			return err
		}
	}
	if id := f.Expect.AcceptedUpstream; id != "" && rulebook.MustFind(api, id).Grounds != rulebook.Upstream {
		return fmt.Errorf("expect.acceptedUpstream %q is not an upstream rule", id)
	}
	return nil
}

// Checks lists the checks a case reports, in report order. The list depends
// only on the fixture, so `go test -run` can name a check before it runs.
func (c Case) Checks() []Check {
	checks := []Check{StatusCode}
	switch c.Fixture.Kind {
	case fixture.Method:
		// The answer is not the operation's: only its status is judged.
		return checks
	case fixture.Positive:
		checks = append(checks, PositiveAcceptance)
	case fixture.Negative:
		checks = append(checks, NegativeRejection)
	case fixture.Auth:
		checks = append(checks, AuthRequired)
	case fixture.Race:
		checks = append(checks, SingleWinner)
	}
	checks = append(checks, ContentType, ResponseSchema)
	if c.Fixture.Kind != fixture.Positive {
		checks = append(checks, ErrorShape)
	}
	if len(c.Fixture.Expect.Semantics) > 0 {
		checks = append(checks, Semantics)
	}
	if c.Fixture.Kind == fixture.Positive {
		checks = append(checks, ClientRoundtrip)
	}
	return checks
}

// Grounds is what the case's own verdict rests on: the fixture's grounds
// when it gives them, else its rule's, else the document.
func (c Case) Grounds() rulebook.Grounds {
	if c.Fixture.Grounds != "" {
		return c.Fixture.Grounds
	}
	if rule, err := rulebook.Find(c.API, c.Fixture.Rule); err == nil {
		return rule.Grounds
	}
	return rulebook.Document
}

// alsoRules are the rules a case involves besides its own.
func (c Case) alsoRules() []string {
	var rules []string
	if id := c.Fixture.Expect.AcceptedUpstream; id != "" {
		rules = append(rules, id)
	}
	if mask := c.Fixture.Expect.MaskedBy; mask != nil {
		rules = append(rules, mask.Rule)
	}
	return rules
}
