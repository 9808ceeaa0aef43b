package contracttests_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/authcontract/authcontract/contracttests/casegen"
	"github.com/authcontract/authcontract/contracttests/conformance"
	"github.com/authcontract/authcontract/contracttests/report"
	"github.com/authcontract/authcontract/openapi"
)

// The reference honours every rule, so no seed may find a failure: a
// failure here is a bug in the generators or in the reference.
func TestGeneratedCasesPassTheReferenceForEverySeed(t *testing.T) {
	seeds, perAPI := sweep(20, 40)
	for seed := int64(1); seed <= seeds; seed++ {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			t.Parallel()
			for _, o := range runGenerated(t, referenceHandler(t), seed, perAPI) {
				if o.IsFailure() {
					t.Error("\n" + report.FailureBlock(o, fmt.Sprintf("AUTHCONTRACT_SEED=%d AUTHCONTRACT_CASES=%d go test ./contracttests -run TestConformance", seed, perAPI)))
				}
			}
		})
	}
}

// Implementations that honour every fixture yet fail on inputs only the
// generators make: the fixtures must pass them, the generated cases must
// catch them, and the case reported must be shrunk to the input at fault.
func TestGeneratedCasesCatchWhatTheFixturesMiss(t *testing.T) {
	cases := []struct {
		name      string
		breakIt   func(http.Handler) http.Handler
		wantCheck conformance.Check
		// minimal checks the shrunk request that is reported.
		minimal func(t *testing.T, c conformance.Case)
	}{
		{
			"a 500 on a non-ASCII character in a mapping key fails status_code",
			answerIf(func(r *http.Request, body []byte) bool {
				return r.URL.Path == "/v1/auth/m2m" && nonASCIIKey(body)
			}, 500, `{"code":13,"error":"internal","message":"internal error","details":[]}`),
			conformance.StatusCode,
			func(t *testing.T, c conformance.Case) {
				mappings := sentMappings(t, c)
				if len(mappings) != 1 {
					t.Errorf("shrunk request has %d mappings, want 1: %s", len(mappings), short(string(c.Fixture.Request.Body)))
				}
				for _, m := range mappings {
					if utf8.RuneCountInString(m["key"]) != 1 || m["key"][0] < utf8.RuneSelf {
						t.Errorf("shrunk key %s is not one non-ASCII character", short(m["key"]))
					}
					if m["role"] != "{role:0}" {
						t.Errorf("shrunk role %s is not the target's first role", short(m["role"]))
					}
				}
			},
		},
		{
			"rejecting a valid compound duration such as 30m1h fails positive_acceptance",
			answerIf(func(r *http.Request, body []byte) bool {
				return r.URL.Path == "/v1/auth/m2m" && !canonicalDuration(body)
			}, 400, `{"code":3,"error":"invalid duration","message":"invalid duration","details":[]}`),
			conformance.PositiveAcceptance,
			func(t *testing.T, c conformance.Case) {
				for _, m := range sentMappings(t, c) {
					if m["key"] != "sub" && utf8.RuneCountInString(m["key"]) > 1 {
						t.Errorf("shrunk key %s was not simplified, though the duration is at fault", short(m["key"]))
					}
				}
			},
		},
		{
			"a resource group name found only as stored or in one case fails positive_acceptance",
			answerIf(func(r *http.Request, _ []byte) bool {
				segments := strings.Split(r.URL.Path, "/")
				return len(segments) > 4 && segments[1] == "subscriptions" && strings.EqualFold(segments[4], "rg") &&
					segments[4] != "rg" && segments[4] != "RG"
			}, 404, `{"error":{"code":"ResourceGroupNotFound","message":"resource group not found"}}`),
			conformance.PositiveAcceptance,
			nil,
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, o := range verifyHandler(t, tc.breakIt(referenceHandler(t))) {
				if o.IsFailure() {
					t.Fatalf("the fixtures alone already catch this implementation, so it proves nothing about generation:\n%s", report.FailureBlock(o, ""))
				}
			}
			reported, o, found := firstGeneratedFailure(t, tc.breakIt(referenceHandler(t)), tc.wantCheck)
			if !found {
				t.Fatalf("no generated case failed %s in seeds 1 to 5", tc.wantCheck)
			}
			if !o.Generated || o.Reproduce == "" {
				t.Errorf("the failure does not say it was generated or how to reproduce it: %+v", o)
			}
			if tc.minimal != nil {
				tc.minimal(t, reported)
			}
		})
	}
}

// runGenerated runs perAPI generated cases of each API from seed against
// handler, shrinking failures as verify does, and returns the outcomes.
func runGenerated(t *testing.T, handler http.Handler, seed int64, perAPI int) []conformance.Outcome {
	t.Helper()
	runner := runnerFor(t, handler, fmt.Sprintf("seed%d", seed))
	var outcomes []conformance.Outcome
	for _, api := range openapi.APIs() {
		for _, c := range casegen.Generate(api, seed, perAPI, 0) {
			_, caseOutcomes := runner.RunShrunk(context.Background(), c)
			outcomes = append(outcomes, caseOutcomes...)
		}
	}
	return outcomes
}

// firstGeneratedFailure runs generated cases of seeds 1 to 5 against
// handler until one fails check, and returns it as shrunk.
func firstGeneratedFailure(t *testing.T, handler http.Handler, check conformance.Check) (conformance.Case, conformance.Outcome, bool) {
	t.Helper()
	runner := runnerFor(t, handler, "catch")
	for seed := int64(1); seed <= 5; seed++ {
		for _, api := range openapi.APIs() {
			for _, c := range casegen.Generate(api, seed, 100, 0) {
				reported, outcomes := runner.RunShrunk(context.Background(), c)
				for _, o := range outcomes {
					if o.Check == check && o.IsFailure() {
						return reported, o, true
					}
				}
			}
		}
	}
	return conformance.Case{}, conformance.Outcome{}, false
}

// short quotes s for a test message, cut to a readable length.
func short(s string) string {
	if runes := []rune(s); len(runes) > 80 {
		return fmt.Sprintf("%q… (%d bytes)", string(runes[:60]), len(s))
	}
	return fmt.Sprintf("%q", s)
}

func sentMappings(t *testing.T, c conformance.Case) []map[string]string {
	t.Helper()
	var sent struct {
		Config struct {
			Mappings []map[string]string `json:"mappings"`
		} `json:"config"`
	}
	if err := json.Unmarshal(c.Fixture.Request.Body, &sent); err != nil {
		t.Fatalf("shrunk request body: %v", err)
	}
	return sent.Config.Mappings
}

func nonASCIIKey(body []byte) bool {
	var sent struct {
		Config struct {
			Mappings []struct {
				Key string `json:"key"`
			} `json:"mappings"`
		} `json:"config"`
	}
	if json.Unmarshal(body, &sent) != nil {
		return false
	}
	for _, m := range sent.Config.Mappings {
		if strings.ContainsFunc(m.Key, func(r rune) bool { return r >= utf8.RuneSelf }) {
			return true
		}
	}
	return false
}

// naiveDuration is how a careless implementation reads a duration: hours,
// then minutes, then seconds, in that order, whole numbers only.
var naiveDuration = regexp.MustCompile(`^([0-9]+h)?([0-9]+m)?([0-9]+s)?$`)

// canonicalDuration reports whether a body's duration is one naiveDuration
// reads; anything else (no config, no duration) passes through.
func canonicalDuration(body []byte) bool {
	var sent struct {
		Config *struct {
			Duration *string `json:"tokenExpirationDuration"`
		} `json:"config"`
	}
	if json.Unmarshal(body, &sent) != nil || sent.Config == nil || sent.Config.Duration == nil {
		return true
	}
	return naiveDuration.MatchString(*sent.Config.Duration)
}

// sweep is how many seeds a seed sweep runs, and how many cases each: all
// of them without the race detector, one under it (see raceDetector).
func sweep(seeds int64, perSeed int) (int64, int) {
	if raceDetector {
		return 1, perSeed
	}
	return seeds, perSeed
}
