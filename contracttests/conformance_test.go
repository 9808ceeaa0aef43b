package contracttests_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/authcontract/authcontract/contracttests/casegen"
	"github.com/authcontract/authcontract/contracttests/conformance"
	"github.com/authcontract/authcontract/contracttests/report"
	"github.com/authcontract/authcontract/fixtures"
	"github.com/authcontract/authcontract/openapi"
	"github.com/authcontract/authcontract/reference"
)

// TestConformance replays every fixture and the cases generated from a seed.
// Point it at another implementation with AUTHCONTRACT_TARGET,
// AUTHCONTRACT_TOKEN, AUTHCONTRACT_CONTAINERAPP and AUTHCONTRACT_ROLES;
// AUTHCONTRACT_STRICT=1 makes warnings fail; replay a seed with
// AUTHCONTRACT_SEED and set the generated cases per operation with
// AUTHCONTRACT_CASES; select cases with
// -run 'TestConformance/acs-m2m/negative_rejection/'.
func TestConformance(t *testing.T) {
	target := targetUnderTest(t)
	runner, err := conformance.NewRunner(target, conformance.Options{RunID: fmt.Sprintf("t%x", time.Now().UnixNano()), Strict: os.Getenv("AUTHCONTRACT_STRICT") == "1"})
	if err != nil {
		t.Fatal(err)
	}
	cases, err := conformance.LoadCases(fixtures.FS, openapi.APIs())
	if err != nil {
		t.Fatal(err)
	}
	seed, count := generationFromEnv(t)
	for _, api := range openapi.APIs() {
		cases = append(cases, casegen.Generate(api, seed, count, len(cases))...)
	}
	replay := fmt.Sprintf("AUTHCONTRACT_SEED=%d AUTHCONTRACT_CASES=%d go test ./contracttests -run TestConformance", seed, count)
	t.Logf("%d cases, %d generated per operation from seed %d; replay: %s", len(cases), count, seed, replay)
	results := newCaseResults(runner, cases)

	for _, api := range openapi.APIs() {
		t.Run(string(api), func(t *testing.T) {
			for _, check := range conformance.Checks() {
				t.Run(string(check), func(t *testing.T) {
					for _, c := range cases {
						if c.API != api || !plans(c, check) {
							continue
						}
						t.Run(c.Name(), func(t *testing.T) {
							outcome := results.outcome(t, c, check)
							switch {
							case outcome.IsFailure():
								t.Error("\n" + report.FailureBlock(outcome, replay))
							case outcome.Result == conformance.Warning:
								// A warning does not fail the test (AUTHCONTRACT_STRICT=1 makes it a failure).
								t.Log("\n" + report.FailureBlock(outcome, replay))
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

func plans(c conformance.Case, check conformance.Check) bool {
	for _, planned := range c.Checks() {
		if planned == check {
			return true
		}
	}
	return false
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
		first, _ := conformance.Phases(r.cases)
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
