package conformance

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/authcontract/authcontract/contracttests/fixture"
	"github.com/authcontract/authcontract/openapi"
)

// shrinkable is a generated-looking case whose body is text, and whose
// simpler variants drop one character each.
func shrinkable(text string) Case {
	raw := text
	c := Case{API: openapi.ACSM2M, Fixture: fixture.Fixture{
		Name: "a case that shrinks", Kind: fixture.Negative,
		Request: fixture.Request{Method: http.MethodPost, Path: "/v1/auth/m2m", RawBody: &raw},
		Expect:  fixture.Expect{Status: fixture.Status{"4xx"}, Broken: "its body"},
	}}
	c.Simpler = func() []Case {
		var variants []Case
		for i := range text {
			variants = append(variants, shrinkable(text[:i]+text[i+1:]))
		}
		return variants
	}
	return c
}

// crashesOnX answers 500 to any body holding an X, and a proper refusal
// otherwise; it counts the requests it gets.
func crashesOnX(t *testing.T, requests *atomic.Int64) *Runner {
	t.Helper()
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		if strings.Contains(string(body), "X") {
			w.WriteHeader(http.StatusInternalServerError)
			io.WriteString(w, `{"code":13,"message":"boom"}`)
			return
		}
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"code":3,"message":"no"}`)
	}))
	t.Cleanup(server.Close)
	return runnerAgainst(t, server.URL)
}

func TestShrinkingFindsTheSmallestRequestThatStillFails(t *testing.T) {
	var requests atomic.Int64
	r := crashesOnX(t, &requests)
	reported, outcomes := r.RunShrunk(context.Background(), shrinkable("abXcd"))
	if body := *reported.Fixture.Request.RawBody; body != "X" {
		t.Fatalf("shrunk to %q, want %q", body, "X")
	}
	for _, o := range outcomes {
		if o.Check == StatusCode && (!o.IsFailure() || o.Shrunk != 4) {
			t.Fatalf("status_code: %s after %d steps, want a failure after 4", o.Result, o.Shrunk)
		}
	}
}

func TestShrinkingLeavesAPassingCaseAlone(t *testing.T) {
	var requests atomic.Int64
	r := crashesOnX(t, &requests)
	reported, _ := r.RunShrunk(context.Background(), shrinkable("abcd"))
	if body := *reported.Fixture.Request.RawBody; body != "abcd" || requests.Load() != 1 {
		t.Fatalf("a passing case was changed to %q with %d requests", body, requests.Load())
	}
}

func TestShrinkingStopsAtItsBudget(t *testing.T) {
	var requests atomic.Int64
	r := crashesOnX(t, &requests)
	// Every variant of a long run of Xs still fails: only the budget ends it.
	r.RunShrunk(context.Background(), shrinkable(strings.Repeat("X", 1000)))
	if n := requests.Load(); n > 1+maxShrinkAttempts {
		t.Fatalf("%d requests for one case, want at most %d", n, 1+maxShrinkAttempts)
	}
	if r.shrinkBudget != shrinkBudget-maxShrinkAttempts {
		t.Fatalf("the run's budget is %d after spending %d", r.shrinkBudget, maxShrinkAttempts)
	}
}

func TestCoverageCountsEachCaseOncePerResponseAndRule(t *testing.T) {
	r := testRunner(t, Options{})
	outcomes := []Outcome{
		{API: openapi.ACSM2M, Case: "a", Check: StatusCode, Status: 200, Rule: "config-added", VerdictRule: "documented-responses", Result: Passed},
		{API: openapi.ACSM2M, Case: "a", Check: Semantics, Status: 200, Rule: "config-added", VerdictRule: "config-added", Result: Passed},
		{API: openapi.ACSM2M, Case: "b", Check: StatusCode, Status: 409, Rule: "issuer-unique", VerdictRule: "documented-responses", Result: Passed},
		{API: openapi.ACSM2M, Case: "b", Check: ErrorShape, Status: 409, Rule: "issuer-unique", VerdictRule: "error-code-fits-status", Result: Skipped},
		{API: openapi.ACSM2M, Case: "c", Check: StatusCode, Status: 0, AlsoRules: []string{"unknown-type-ignored"}, Result: Failed},
	}
	coverage := r.Coverage([]openapi.API{openapi.ACSM2M}, outcomes)[0]
	tally := func(list []Tally) map[string]int {
		m := map[string]int{}
		for _, t := range list {
			m[t.Name] = t.Cases
		}
		return m
	}
	responses, rules := tally(coverage.Responses), tally(coverage.Rules)
	want := map[string]int{"200": 1, "default": 1, NoResponse: 1}
	for name, n := range want {
		if responses[name] != n {
			t.Errorf("responses[%s] = %d, want %d (%v)", name, responses[name], n, responses)
		}
	}
	wantRules := map[string]int{"config-added": 1, "issuer-unique": 1, "documented-responses": 2, "error-code-fits-status": 0, "unknown-type-ignored": 1, NoRule: 1}
	for name, n := range wantRules {
		if rules[name] != n {
			t.Errorf("rules[%s] = %d, want %d", name, rules[name], n)
		}
	}
	if coverage.Cases != 3 {
		t.Errorf("%d cases, want 3", coverage.Cases)
	}
}
