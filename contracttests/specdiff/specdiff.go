// Package specdiff shows what a change to an operation's OpenAPI document
// does before it lands: the breaking and non-breaking changes per operation,
// as oasdiff (github.com/oasdiff/oasdiff) rates them, and the fixtures the
// new document no longer admits.
//
// A fixture is judged as verify would send it, placeholders filled with the
// values of a run against the embedded reference, but nothing is sent: the
// new document must still have its operation, document the statuses it
// expects, and, for the kinds whose request must be accepted (positive,
// tolerant, documented, race), both validators must accept its request.
package specdiff

import (
	"fmt"

	"github.com/authcontract/authcontract/contracttests/fixture"
	"github.com/authcontract/authcontract/openapi"
)

// Input is what to compare.
type Input struct {
	API openapi.API
	// APIFrom says how the API was chosen, for the report's header: "--api"
	// or "the file name containerapps.yaml".
	APIFrom  string
	Old, New Source
	// Fixtures are the API's fixtures, in the order to report them.
	Fixtures []fixture.Fixture
	Target   Target
}

// Report is what changed between two versions of a document.
type Report struct {
	API      openapi.API
	APIFrom  string
	Old, New string
	// Identical is set when oasdiff finds no difference at all.
	Identical  bool
	Operations []Operation
	// Fixtures are those the new document does not admit; Judged counts
	// every fixture judged.
	Fixtures []Unadmitted
	Judged   int
}

// Compare diffs the documents and judges every fixture against both. An
// error means a document could not be read as OpenAPI (or the target's
// values are malformed): nothing was compared.
func Compare(in Input) (Report, error) {
	oldDoc, err := loadDocument(in.API, in.Old)
	if err != nil {
		return Report{}, err
	}
	newDoc, err := loadDocument(in.API, in.New)
	if err != nil {
		return Report{}, err
	}
	identical, operations, err := changes(in.Old, in.New)
	if err != nil {
		return Report{}, err
	}
	unadmitted, err := judgeFixtures(in.Fixtures, in.Target, oldDoc, newDoc)
	if err != nil {
		return Report{}, err
	}
	return Report{
		API:        in.API,
		APIFrom:    in.APIFrom,
		Old:        in.Old.Name,
		New:        in.New.Name,
		Identical:  identical,
		Operations: operations,
		Fixtures:   unadmitted,
		Judged:     len(in.Fixtures),
	}, nil
}

// judgeFixtures lists the fixtures the new document does not admit, each
// with whether the old one did. Each document fills {apiVersion} with its
// own example; every other value is the same on both sides.
func judgeFixtures(fixtures []fixture.Fixture, target Target, oldDoc, newDoc *document) ([]Unadmitted, error) {
	oldValues, err := target.values(oldDoc.apiVersion)
	if err != nil {
		return nil, fmt.Errorf("placeholders: %w", err)
	}
	newValues, err := target.values(newDoc.apiVersion)
	if err != nil {
		return nil, fmt.Errorf("placeholders: %w", err)
	}
	var unadmitted []Unadmitted
	for n, f := range fixtures {
		oldCase, newCase := withUnique(oldValues, n), withUnique(newValues, n)
		s := scopeOf(f.Kind, oldDoc.takesRequest(f.Request, oldCase))
		why := newDoc.refusals(f, newCase, s)
		if len(why) == 0 {
			continue
		}
		unadmitted = append(unadmitted, Unadmitted{
			File:        f.File,
			Name:        f.Name,
			Kind:        f.Kind,
			Why:         why,
			OldAdmitted: len(oldDoc.refusals(f, oldCase, s)) == 0,
		})
	}
	return unadmitted, nil
}

// Breaking counts the changes oasdiff rates ERR.
func (r Report) Breaking() int {
	count := 0
	for _, op := range r.Operations {
		for _, c := range op.Changes {
			if c.Breaking {
				count++
			}
		}
	}
	return count
}

// NonBreaking counts the changes oasdiff rates WARN or INFO.
func (r Report) NonBreaking() int {
	count := 0
	for _, op := range r.Operations {
		count += len(op.Changes)
	}
	return count - r.Breaking()
}

// Broken reports whether the change breaks anything: a breaking change, or
// a fixture the new document does not admit.
func (r Report) Broken() bool { return r.Breaking() > 0 || len(r.Fixtures) > 0 }
