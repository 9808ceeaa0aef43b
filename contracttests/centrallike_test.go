package contracttests_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/authcontract/authcontract/contracttests/casegen"
	"github.com/authcontract/authcontract/contracttests/conformance"
	"github.com/authcontract/authcontract/contracttests/report"
	"github.com/authcontract/authcontract/contracttests/rulebook"
	"github.com/authcontract/authcontract/fixtures"
	"github.com/authcontract/authcontract/internal/centrallike"
	"github.com/authcontract/authcontract/openapi"
)

// An implementation that behaves exactly like the real Central — decoding
// with grpc-gateway's JSONPb and protojson's DiscardUnknown, validating as
// Central's service does — must pass with zero failures on any seed. It
// accepts inputs only the schema forbids, so the run has warnings.
func TestACentralLikeImplementationPassesOnEverySeed(t *testing.T) {
	seeds, perSeed := sweep(20, 100)
	warnings := make([]int, seeds)
	t.Run("every seed", func(t *testing.T) {
		for seed := int64(1); seed <= seeds; seed++ {
			t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
				t.Parallel()
				for _, o := range runACS(t, centralLike(t, centrallike.Faithful), seed, perSeed, false) {
					switch {
					case o.IsFailure():
						t.Error("\n" + report.FailureBlock(o, fmt.Sprintf("seed %d", seed)))
					case o.Result == conformance.Warning:
						warnings[seed-1]++
					}
				}
			})
		}
	})
	total := 0
	for _, n := range warnings {
		total += n
	}
	if total == 0 {
		t.Error("no seed gave a warning, though Central accepts inputs only the schema forbids")
	}
}

// --strict holds an implementation to the schema's letter: what Central
// accepts but the schema forbids then fails the run, as a failure naming
// the upstream rule it was tolerated under.
func TestStrictFailsACentralLikeImplementation(t *testing.T) {
	outcomes := runACS(t, centralLike(t, centrallike.Faithful), 1, 0, true)
	for _, o := range outcomes {
		if o.Result == conformance.Warning {
			t.Fatalf("a strict run reported a warning: %s", o.Name())
		}
	}
	lenient := map[string]bool{}
	for _, o := range outcomes {
		if o.IsFailure() {
			tolerated := o.Check == conformance.NegativeRejection || o.Check == conformance.ResponseSchema
			if !tolerated || len(o.AlsoRules) == 0 {
				t.Errorf("a strict run failed more than the tolerated inputs:\n%s", report.FailureBlock(o, ""))
				continue
			}
			lenient[o.AlsoRules[0]] = true
		}
	}
	for _, rule := range []string{rulebook.UnknownTypeIgnored, rulebook.NumericTypeAccepted, rulebook.TrailingDataIgnored, rulebook.AnyMediaTypeDecoded, rulebook.AnyGoDurationUnit} {
		if !lenient[rule] {
			t.Errorf("no strict failure for what Central accepts under %s", rule)
		}
	}
}

// The same implementation with each stated rule broken in turn is caught
// without --strict, by the check and rule that rule belongs to.
func TestACentralLikeImplementationBreakingARuleIsCaught(t *testing.T) {
	want := map[centrallike.Break]struct {
		check conformance.Check
		rule  string
	}{
		centrallike.AcceptsDurationsOver24h:                 {conformance.NegativeRejection, rulebook.DurationUnitsAndMaximum},
		centrallike.AcceptsValueExpressionsThatDoNotCompile: {conformance.NegativeRejection, rulebook.ValueExpressionRE2},
		centrallike.AcceptsAnyGitHubActionsIssuer:           {conformance.NegativeRejection, rulebook.IssuerPerType},
		centrallike.AcceptsGenericConfigWithoutIssuer:       {conformance.NegativeRejection, rulebook.IssuerPerType},
		centrallike.AllowsDuplicateIssuers:                  {conformance.NegativeRejection, rulebook.IssuerUnique},
		centrallike.AcceptsRequestsWithoutCredentials:       {conformance.AuthRequired, rulebook.BearerRequired},
		centrallike.KeepsTheClientID:                        {conformance.Semantics, rulebook.IDAssignedByServer},
		centrallike.LeavesATraceOfRefusedRequests:           {conformance.PositiveAcceptance, rulebook.RefusalLeavesNoTrace},
		centrallike.LetsConcurrentAddsOfOneIssuerBothWin:    {conformance.SingleWinner, rulebook.IssuerUnique},
	}
	for _, broken := range centrallike.Breaks() {
		t.Run("a server that "+broken.String(), func(t *testing.T) {
			t.Parallel()
			expected, ok := want[broken]
			if !ok {
				t.Fatalf("no expectation for %s: say which check must catch it", broken)
			}
			// The fixtures alone must catch it: every seed has them.
			for _, o := range runACS(t, centralLike(t, broken), 1, 0, false) {
				if o.IsFailure() && o.Check == expected.check && o.Rule == expected.rule {
					return
				}
			}
			t.Errorf("no %s failure for rule %s", expected.check, expected.rule)
		})
	}
}

func centralLike(t *testing.T, broken centrallike.Break) http.Handler {
	t.Helper()
	server, err := centrallike.New(centrallike.Config{BearerToken: brokenToken, Break: broken})
	if err != nil {
		t.Fatal(err)
	}
	return server
}

// runACS runs the ACS fixtures and perSeed generated cases as verify does
// (run-first cases first, four at a time, failures shrunk) and returns the
// outcomes.
func runACS(t *testing.T, handler http.Handler, seed int64, perSeed int, strict bool) []conformance.Outcome {
	t.Helper()
	return acsOutcomes(t, runnerWith(t, handler, fmt.Sprintf("central%d", seed), strict), seed, perSeed)
}

// acsOutcomes runs the ACS fixtures and perSeed cases generated from seed
// with runner, four at a time, and returns every outcome.
func acsOutcomes(t *testing.T, runner *conformance.Runner, seed int64, perSeed int) []conformance.Outcome {
	t.Helper()
	cases, err := conformance.LoadCases(fixtures.FS, []openapi.API{openapi.ACSM2M})
	if err != nil {
		t.Fatal(err)
	}
	cases = append(cases, casegen.Generate(openapi.ACSM2M, seed, perSeed, len(cases))...)
	var outcomes []conformance.Outcome
	for _, result := range runner.RunAll(context.Background(), cases, 4) {
		outcomes = append(outcomes, result.Outcomes...)
	}
	return outcomes
}

// A GITHUB_ACTIONS config answers 409 to any other, whatever its issuer, so
// the probe for a foreign GitHub issuer must run before this run adds one —
// at any --parallel — and on a target that held one before the run, a 409
// shows nothing about the rule: skipped, never passed.
func TestAGitHubIssuerProbeIsNeverMaskedByTheRunsOwnConfig(t *testing.T) {
	const probe = "a GITHUB_ACTIONS config with another issuer is refused"
	verdictOf := func(t *testing.T, handler http.Handler, parallel int) conformance.Outcome {
		t.Helper()
		runner := runnerFor(t, handler, fmt.Sprintf("mask%d", parallel))
		cases, err := conformance.LoadCases(fixtures.FS, []openapi.API{openapi.ACSM2M})
		if err != nil {
			t.Fatal(err)
		}
		for _, result := range runner.RunAll(context.Background(), cases, parallel) {
			for _, o := range result.Outcomes {
				if o.Case == probe && o.Check == conformance.NegativeRejection {
					return o
				}
			}
		}
		t.Fatalf("no %s outcome for %q", conformance.NegativeRejection, probe)
		return conformance.Outcome{}
	}
	// The server that masks: it keeps one GITHUB_ACTIONS config by type,
	// answering 409 to any other before it looks at the issuer, which it
	// never checks.
	masking := func(t *testing.T) http.Handler {
		return oneGitHubConfigByType(centralLike(t, centrallike.AcceptsAnyGitHubActionsIssuer))
	}
	for _, parallel := range []int{1, 4, 16} {
		t.Run(fmt.Sprintf("a server accepting any GitHub issuer fails at --parallel %d", parallel), func(t *testing.T) {
			if o := verdictOf(t, masking(t), parallel); !o.IsFailure() {
				t.Fatalf("result %s, want a failure: %s", o.Result, o.Actual)
			}
		})
	}
	t.Run("a GitHub config from before the run makes the probe skipped, not passed", func(t *testing.T) {
		handler := masking(t)
		addGitHubConfig(t, handler)
		o := verdictOf(t, handler, 4)
		if o.Result != conformance.Skipped || !strings.Contains(o.Actual, "masked") {
			t.Fatalf("result %s (%s), want skipped as masked", o.Result, o.Actual)
		}
	})
}

// addGitHubConfig adds the one GITHUB_ACTIONS config a target may hold, as
// an earlier run would have.
func addGitHubConfig(t *testing.T, handler http.Handler) {
	t.Helper()
	body := `{"config":{"type":"GITHUB_ACTIONS","tokenExpirationDuration":"1h","mappings":[{"key":"sub","valueExpression":".*","role":"Admin"}]}}`
	req := httptest.NewRequest(http.MethodPost, "/v1/auth/m2m", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+brokenToken)
	recorder := httptest.NewRecorder()
	handler.ServeHTTP(recorder, req)
	if recorder.Code != http.StatusOK {
		t.Fatalf("add a GitHub config before the run: %d %s", recorder.Code, recorder.Body)
	}
}

// oneGitHubConfigByType answers 409, code 6, to every GITHUB_ACTIONS add
// once one has been accepted, whatever its issuer.
func oneGitHubConfigByType(next http.Handler) http.Handler {
	var mu sync.Mutex
	held := false
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		isGitHub := r.Method == http.MethodPost && strings.Contains(string(readBody(r)), `"GITHUB_ACTIONS"`)
		mu.Lock()
		defer mu.Unlock()
		if isGitHub && held {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusConflict)
			io.WriteString(w, `{"code":6,"message":"a GITHUB_ACTIONS config exists","error":"a GITHUB_ACTIONS config exists","details":[]}`)
			return
		}
		got := recorded(next, r)
		held = held || isGitHub && got.Code == http.StatusOK
		copyHeader(w, got)
		w.WriteHeader(got.Code)
		w.Write(got.Body.Bytes())
	})
}
