package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/authcontract/authcontract/contracttests/casegen"
	"github.com/authcontract/authcontract/contracttests/conformance"
	"github.com/authcontract/authcontract/contracttests/fixture"
	"github.com/authcontract/authcontract/fixtures"
	"github.com/authcontract/authcontract/openapi"
)

// defaultGeneratedCases keeps a verify of the reference server within a
// second or so while reaching every generator several times.
const defaultGeneratedCases = 100

// loadCases is the run's cases in order: the built-in fixtures, those of
// --fixtures, then the cases generated from the seed, each drawn when the
// run reaches it.
func loadCases(apis []openapi.API, opts verifyOptions) (conformance.CaseList, error) {
	builtIn, err := conformance.LoadCases(fixtures.FS, apis)
	if err != nil {
		return conformance.CaseList{}, err
	}
	lists := []conformance.CaseList{conformance.ListOf(builtIn...)}
	if opts.fixturesDir != "" {
		extra, err := conformance.LoadCases(os.DirFS(opts.fixturesDir), apis)
		if err != nil {
			return conformance.CaseList{}, fmt.Errorf("--fixtures %s: %w", opts.fixturesDir, err)
		}
		for i := range extra {
			extra[i].Fixture.File = filepath.Join(opts.fixturesDir, extra[i].Fixture.File)
		}
		lists = append(lists, conformance.ListOf(extra...))
	}
	for _, api := range apis {
		lists = append(lists, casegen.List(api, opts.seed, opts.cases))
	}
	return conformance.Concat(lists...), nil
}

// saveFailure writes a failing generated case, as shrunk, to
// --save-failures, named for its seed so that runs do not overwrite each
// other.
func saveFailure(opts verifyOptions, c conformance.Case, outcomes []conformance.Outcome) error {
	if opts.saveFailures == "" || c.Simpler == nil || !anyFailure(outcomes) {
		return nil
	}
	f := c.Fixture
	f.Name = fmt.Sprintf("%s (seed %d)", f.Name, opts.seed)
	data, err := fixture.Encode(f)
	if err != nil {
		return err
	}
	dir := filepath.Join(opts.saveFailures, string(c.API))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("save failure: %w", err)
	}
	path := filepath.Join(dir, fmt.Sprintf("seed-%d-%s.json", opts.seed, slug(c.Fixture.Name)))
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("save failure: %w", err)
	}
	return nil
}

func anyFailure(outcomes []conformance.Outcome) bool {
	for _, o := range outcomes {
		if o.IsFailure() {
			return true
		}
	}
	return false
}

var notSlug = regexp.MustCompile(`[^a-z0-9]+`)

// slug turns "generated 012: the body is empty" into "generated-012-the-body-is-empty".
func slug(name string) string {
	s := strings.Trim(notSlug.ReplaceAllString(strings.ToLower(name), "-"), "-")
	if len(s) > 60 {
		s = strings.TrimRight(s[:60], "-")
	}
	return s
}
