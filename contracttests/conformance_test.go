package contracttests_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authcontract/authcontract/contracttests/casegen"
	"github.com/authcontract/authcontract/contracttests/conformance"
	"github.com/authcontract/authcontract/contracttests/knownfailing"
	"github.com/authcontract/authcontract/contracttests/report"
	"github.com/authcontract/authcontract/fixtures"
	"github.com/authcontract/authcontract/openapi"
	"github.com/authcontract/authcontract/reference"
)

// TestConformance replays every fixture and the cases generated from a seed.
// The environment stands for verify's flags: point it at another
// implementation with AUTHCONTRACT_TARGET, AUTHCONTRACT_TOKEN,
// AUTHCONTRACT_CONTAINERAPP, AUTHCONTRACT_ROLES, AUTHCONTRACT_CA_CERT
// (comma-separated PEM files) and AUTHCONTRACT_HEADERS (one 'Name: value'
// a line); AUTHCONTRACT_STRICT=1 makes warnings fail; replay a seed with
// AUTHCONTRACT_SEED and set the generated cases per operation with
// AUTHCONTRACT_CASES; AUTHCONTRACT_SHARD=I/N, AUTHCONTRACT_CHECKS,
// AUTHCONTRACT_EXCLUDE_CHECKS, AUTHCONTRACT_KNOWN_FAILING=FILE and
// AUTHCONTRACT_CLEANUP=1 do what --shard, --checks, --exclude-checks,
// --known-failing and --cleanup do; select cases with
// -run 'TestConformance/acs-m2m/negative_rejection/'.
func TestConformance(t *testing.T) {
	target := targetUnderTest(t)
	checks := checksFromEnv(t)
	runner, err := conformance.NewRunner(target, conformance.Options{RunID: fmt.Sprintf("t%x", time.Now().UnixNano()), Strict: os.Getenv("AUTHCONTRACT_STRICT") == "1", Checks: checks})
	if err != nil {
		t.Fatal(err)
	}
	if err := runner.Probe(context.Background()); err != nil {
		t.Fatal(err)
	}
	if os.Getenv("AUTHCONTRACT_CLEANUP") == "1" {
		t.Cleanup(func() {
			for _, failure := range runner.Cleanup(context.Background()) {
				t.Errorf("cleanup could not delete config %s: %s", failure.ID, failure.Why)
			}
		})
	}
	cases, err := conformance.LoadCases(fixtures.FS, openapi.APIs())
	if err != nil {
		t.Fatal(err)
	}
	seed, count := generationFromEnv(t)
	for _, api := range openapi.APIs() {
		cases = append(cases, casegen.Generate(api, seed, count, len(cases))...)
	}
	known := knownFailingFromEnv(t, runner, cases)
	if text := os.Getenv("AUTHCONTRACT_SHARD"); text != "" {
		index, total, err := conformance.ParseShard(text)
		if err != nil {
			t.Fatalf("AUTHCONTRACT_SHARD: %v", err)
		}
		cases = conformance.ListOf(cases...).Shard(index, total).Slice()
	}
	replay := fmt.Sprintf("AUTHCONTRACT_SEED=%d AUTHCONTRACT_CASES=%d go test ./contracttests -run TestConformance", seed, count)
	t.Logf("%d cases, %d generated per operation from seed %d; replay: %s", len(cases), count, seed, replay)
	results := newCaseResults(runner, cases)

	for _, api := range openapi.APIs() {
		t.Run(string(api), func(t *testing.T) {
			for _, check := range conformance.Checks() {
				t.Run(string(check), func(t *testing.T) {
					for _, c := range cases {
						if c.API != api || !slices.Contains(runner.Planned(c), check) {
							continue
						}
						t.Run(c.Name(), func(t *testing.T) {
							outcome := results.outcome(t, c, check)
							known.Apply([]conformance.Outcome{outcome})
							switch {
							case outcome.IsFailure():
								t.Error("\n" + report.FailureBlock(outcome, replay))
							case outcome.Result == conformance.Warning:
								// A warning does not fail the test (AUTHCONTRACT_STRICT=1 makes it a failure).
								t.Log("\n" + report.FailureBlock(outcome, replay))
							case outcome.Result == conformance.KnownFailure:
								t.Skip("known failure: " + outcome.Actual)
							case outcome.Result == conformance.Skipped:
								t.Skip(outcome.Actual)
							}
						})
					}
				})
			}
		})
	}
}

// caseResults runs each case at most once, however many of its checks the
// -run pattern selects, and every case that must run first before any
// other, as verify does.
type caseResults struct {
	runner *conformance.Runner
	cases  []conformance.Case
	mu     sync.Mutex
	ran    map[int][]conformance.Outcome
}

func newCaseResults(runner *conformance.Runner, cases []conformance.Case) *caseResults {
	return &caseResults{runner: runner, cases: cases, ran: map[int][]conformance.Outcome{}}
}

func (r *caseResults) outcome(t *testing.T, c conformance.Case, check conformance.Check) conformance.Outcome {
	t.Helper()
	r.mu.Lock()
	if !c.Fixture.RunFirst {
		first, _ := conformance.Phases(conformance.ListOf(r.cases...))
		for _, i := range first {
			r.runOnce(r.cases[i])
		}
	}
	outcomes := r.runOnce(c)
	r.mu.Unlock()
	for _, o := range outcomes {
		if o.Check == check {
			return o
		}
	}
	t.Fatalf("case %q reported no %s outcome", c.Name(), check)
	return conformance.Outcome{}
}

// runOnce runs c unless it ran already; r.mu must be held.
func (r *caseResults) runOnce(c conformance.Case) []conformance.Outcome {
	outcomes, ok := r.ran[c.Index]
	if !ok {
		_, outcomes = r.runner.RunShrunk(context.Background(), c)
		r.ran[c.Index] = outcomes
	}
	return outcomes
}

// generationFromEnv reads AUTHCONTRACT_SEED (default: a fresh seed) and
// AUTHCONTRACT_CASES (default 100).
func generationFromEnv(t *testing.T) (seed int64, count int) {
	t.Helper()
	seed, count = time.Now().UnixNano()&(1<<62-1), 100
	if text := os.Getenv("AUTHCONTRACT_SEED"); text != "" {
		var err error
		if seed, err = strconv.ParseInt(text, 10, 64); err != nil {
			t.Fatalf("AUTHCONTRACT_SEED=%q: %v", text, err)
		}
	}
	if text := os.Getenv("AUTHCONTRACT_CASES"); text != "" {
		var err error
		if count, err = strconv.Atoi(text); err != nil || count < 0 {
			t.Fatalf("AUTHCONTRACT_CASES=%q is not a count of cases", text)
		}
	}
	return seed, count
}

// targetUnderTest is the implementation named by the environment, or the
// reference implementation served in-process.
func targetUnderTest(t *testing.T) conformance.Target {
	t.Helper()
	if base := os.Getenv("AUTHCONTRACT_TARGET"); base != "" {
		target := conformance.Target{
			BaseURL:      base,
			Token:        os.Getenv("AUTHCONTRACT_TOKEN"),
			ContainerApp: os.Getenv("AUTHCONTRACT_CONTAINERAPP"),
			APIVersion:   conformance.DefaultAPIVersion,
			Roles:        conformance.ParseRoles(os.Getenv("AUTHCONTRACT_ROLES")),
			Headers:      http.Header{},
		}
		var files []string
		for _, file := range strings.Split(os.Getenv("AUTHCONTRACT_CA_CERT"), ",") {
			if file = strings.TrimSpace(file); file != "" {
				files = append(files, file)
			}
		}
		roots, err := conformance.RootsWith(files)
		if err != nil {
			t.Fatalf("AUTHCONTRACT_CA_CERT: %v", err)
		}
		target.RootCAs = roots
		for _, line := range strings.Split(os.Getenv("AUTHCONTRACT_HEADERS"), "\n") {
			if strings.TrimSpace(line) == "" {
				continue
			}
			name, value, err := conformance.ParseHeader(line)
			if err != nil {
				t.Fatalf("AUTHCONTRACT_HEADERS: %v", err)
			}
			target.Headers.Add(name, value)
		}
		if target.ContainerApp == "" {
			target.ContainerApp = reference.DefaultConfig().ContainerApps.Apps[0]
		}
		t.Logf("verifying %s", base)
		return target
	}
	return serveReference(t)
}

func serveReference(t *testing.T) conformance.Target {
	t.Helper()
	cfg := reference.DefaultConfig()
	cfg.BearerToken = "test-token"
	handler, err := reference.NewHandler(cfg)
	if err != nil {
		t.Fatal(err)
	}
	server := httptest.NewServer(handler)
	t.Cleanup(server.Close)
	return conformance.Target{
		BaseURL:      server.URL,
		Token:        cfg.BearerToken,
		ContainerApp: cfg.ContainerApps.Apps[0],
		APIVersion:   conformance.DefaultAPIVersion,
	}
}

// checksFromEnv reads AUTHCONTRACT_CHECKS and AUTHCONTRACT_EXCLUDE_CHECKS.
func checksFromEnv(t *testing.T) []conformance.Check {
	t.Helper()
	include, err := conformance.ParseChecks(os.Getenv("AUTHCONTRACT_CHECKS"))
	if err != nil {
		t.Fatalf("AUTHCONTRACT_CHECKS: %v", err)
	}
	exclude, err := conformance.ParseChecks(os.Getenv("AUTHCONTRACT_EXCLUDE_CHECKS"))
	if err != nil {
		t.Fatalf("AUTHCONTRACT_EXCLUDE_CHECKS: %v", err)
	}
	if include == nil && exclude == nil {
		return nil
	}
	return conformance.SelectChecks(include, exclude)
}

// knownFailingFromEnv reads AUTHCONTRACT_KNOWN_FAILING and checks it
// against every outcome the run plans.
func knownFailingFromEnv(t *testing.T, runner *conformance.Runner, cases []conformance.Case) *knownfailing.List {
	t.Helper()
	path := os.Getenv("AUTHCONTRACT_KNOWN_FAILING")
	if path == "" {
		return nil
	}
	file, err := os.Open(path)
	if err != nil {
		t.Fatalf("AUTHCONTRACT_KNOWN_FAILING: %v", err)
	}
	defer file.Close()
	list, err := knownfailing.Parse(file, path)
	if err != nil {
		t.Fatalf("AUTHCONTRACT_KNOWN_FAILING: %v", err)
	}
	if err := list.CheckAgainst(runner.PlannedNames(conformance.ListOf(cases...))); err != nil {
		t.Fatalf("AUTHCONTRACT_KNOWN_FAILING: %v", err)
	}
	return list
}
