package knownfailing

import (
	"slices"
	"strings"
	"testing"

	"github.com/authcontract/authcontract/contracttests/conformance"
)

func TestPatternsMatchAsConnectConformanceReadsThem(t *testing.T) {
	cases := []struct {
		name, pattern, outcome string
		want                   bool
	}{
		{"a full name matches itself", "acs-m2m/auth/no token", "acs-m2m/auth/no token", true},
		{"a star stands for text within a segment", "acs-m2m/*/no token", "acs-m2m/auth/no token", true},
		{"a star does not cross a slash", "acs-m2m/*/no", "acs-m2m/auth/x/no", false},
		{"a double star crosses slashes", "acs-m2m/**", "acs-m2m/auth/no token", true},
		{"a double star may stand for nothing", "**/no token", "acs-m2m/auth/no token", true},
		{"a case name may contain a slash a double star matches", "acs-m2m/status_code/**", "acs-m2m/status_code/a config at /v1/auth/m2m", true},
		{"other text is literal, dots and brackets included", "acs-m2m/auth/a [b].c", "acs-m2m/auth/a [b].c", true},
		{"matching is whole, not a prefix", "acs-m2m/auth/no", "acs-m2m/auth/no token", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			list, err := Parse(strings.NewReader(tc.pattern), "list")
			if err != nil {
				t.Fatal(err)
			}
			if _, got := list.match(tc.outcome); got != tc.want {
				t.Fatalf("%q matches %q: %v, want %v", tc.pattern, tc.outcome, got, tc.want)
			}
		})
	}
}

func TestAListIsReadLineByLine(t *testing.T) {
	list, err := Parse(strings.NewReader("# a comment\n\n  acs-m2m/auth/*  \n"), "list")
	if err != nil || len(list.patterns) != 1 || list.patterns[0].line != 3 {
		t.Fatalf("patterns %+v, err %v", list, err)
	}
	if _, err := Parse(strings.NewReader("just-a-case-name"), "list"); err == nil || !strings.Contains(err.Error(), "list line 1") {
		t.Fatalf("a pattern that is no api/check/case: %v", err)
	}
	if err := list.CheckAgainst(slices.Values([]string{"containerapps/auth/x"})); err == nil || !strings.Contains(err.Error(), "line 3: acs-m2m/auth/*") {
		t.Fatalf("an unmatched pattern: %v", err)
	}
}

func TestApplyingAListTurnsListedFailuresIntoKnownOnesAndListedPassesIntoFailures(t *testing.T) {
	list, _ := Parse(strings.NewReader("acs-m2m/auth/*"), "list")
	outcomes := []conformance.Outcome{
		{API: "acs-m2m", Check: "auth", Case: "broken", Result: conformance.Failed},
		{API: "acs-m2m", Check: "auth", Case: "fixed", Result: conformance.Passed},
		{API: "acs-m2m", Check: "auth", Case: "masked", Result: conformance.Skipped},
		{API: "acs-m2m", Check: "status_code", Case: "broken", Result: conformance.Failed},
	}
	list.Apply(outcomes)
	want := []conformance.Result{conformance.KnownFailure, conformance.Failed, conformance.Skipped, conformance.Failed}
	for i, o := range outcomes {
		if o.Result != want[i] {
			t.Errorf("%s: %s, want %s", o.Name(), o.Result, want[i])
		}
	}
}
