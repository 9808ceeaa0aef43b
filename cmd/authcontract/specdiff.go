package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"

	"github.com/authcontract/authcontract/contracttests/fixture"
	"github.com/authcontract/authcontract/contracttests/specdiff"
	"github.com/authcontract/authcontract/fixtures"
	"github.com/authcontract/authcontract/openapi"
	"github.com/authcontract/authcontract/reference"
)

const specDiffUsage = `usage: authcontract spec-diff [--api containerapps|acs-m2m] [--fixtures DIR] OLD NEW

Shows what changing an API's document from OLD to NEW does: the breaking and
non-breaking changes per operation, as oasdiff rates them, and every fixture
(the embedded ones, and DIR/<api>/*.json with --fixtures) whose request or
expected answer NEW no longer admits. OLD and NEW are files, or REF:PATH for
a file as a git commit holds it (main:openapi/acs-m2m.yaml). Exit status: 0
nothing breaks, 1 a breaking change or a fixture NEW no longer admits, 2
usage error.

`

// specDiff compares two versions of one API's document.
func specDiff(_ context.Context, args []string, stdout, stderr io.Writer) int {
	var apiFlag, fixturesDir string
	flags := flag.NewFlagSet("spec-diff", flag.ContinueOnError)
	// Parse errors are reported below, in the command's own shape.
	flags.SetOutput(io.Discard)
	flags.Usage = func() {}
	flags.StringVar(&apiFlag, "api", "", "which API both documents are: containerapps or acs-m2m (default: read from the file names)")
	flags.StringVar(&fixturesDir, "fixtures", "", "also judge the fixtures in DIR/<api>/*.json")
	files, err := parseInterspersed(flags, args)
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, specDiffUsage)
		flags.SetOutput(stdout)
		flags.PrintDefaults()
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "spec-diff: %v (see authcontract spec-diff -h)\n", err)
		return exitUsage
	}
	if len(files) != 2 {
		fmt.Fprintf(stderr, "spec-diff: want two documents, OLD and NEW; got %d\n", len(files))
		return exitUsage
	}
	oldFile, newFile := files[0], files[1]

	api, apiFrom, err := specdiff.ChooseAPI(apiFlag, oldFile, newFile)
	if err != nil {
		fmt.Fprintf(stderr, "spec-diff: %v\n", err)
		return exitUsage
	}
	in := specdiff.Input{API: api, APIFrom: apiFrom, Target: referenceTarget()}
	if in.Old, err = specdiff.ReadSource(oldFile); err != nil {
		fmt.Fprintf(stderr, "spec-diff: %v\n", err)
		return exitUsage
	}
	if in.New, err = specdiff.ReadSource(newFile); err != nil {
		fmt.Fprintf(stderr, "spec-diff: %v\n", err)
		return exitUsage
	}
	if in.Fixtures, err = loadFixtures(api, fixturesDir); err != nil {
		fmt.Fprintf(stderr, "spec-diff: %v\n", err)
		return exitUsage
	}

	report, err := specdiff.Compare(in)
	if err != nil {
		fmt.Fprintf(stderr, "spec-diff: %v\n", err)
		return exitUsage
	}
	if err := report.WriteText(stdout); err != nil {
		fmt.Fprintf(stderr, "spec-diff: write the report: %v\n", err)
		return exitUsage
	}
	if report.Broken() {
		return exitViolation
	}
	return exitOK
}

// parseInterspersed parses flags wherever they stand, before, between or
// after the file names (the flag package stops at the first name), and
// returns the names.
func parseInterspersed(flags *flag.FlagSet, args []string) ([]string, error) {
	var names []string
	for {
		if err := flags.Parse(args); err != nil {
			return nil, err
		}
		if flags.NArg() == 0 {
			return names, nil
		}
		names = append(names, flags.Arg(0))
		args = flags.Args()[1:]
	}
}

// referenceTarget is what a run against the embedded reference fills the
// fixtures' placeholders with: its container app and its ACS roles.
func referenceTarget() specdiff.Target {
	cfg := reference.DefaultConfig()
	return specdiff.Target{ContainerApp: cfg.ContainerApps.Apps[0], Roles: cfg.ACSM2M.Roles}
}

// loadFixtures reads the API's embedded fixtures, then those in
// dir/<api>/*.json when dir is given, each named by where it lives.
func loadFixtures(api openapi.API, dir string) ([]fixture.Fixture, error) {
	embedded, err := fixture.Load(fixtures.FS, string(api))
	if err != nil {
		return nil, fmt.Errorf("embedded fixtures: %w", err)
	}
	for i := range embedded {
		embedded[i].File = path.Join("fixtures", embedded[i].File)
	}
	if dir == "" {
		return embedded, nil
	}
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return nil, fmt.Errorf("--fixtures %s is not a directory", dir)
	}
	extra, err := fixture.Load(os.DirFS(dir), string(api))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("--fixtures: %w", err)
	}
	for i := range extra {
		extra[i].File = filepath.Join(dir, filepath.FromSlash(extra[i].File))
	}
	return append(embedded, extra...), nil
}
