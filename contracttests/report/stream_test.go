package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"reflect"
	"strings"
	"testing"

	"github.com/authcontract/authcontract/contracttests/conformance"
	"github.com/authcontract/authcontract/openapi"
)

// sampleRun has an outcome of every result, in both APIs, with text that
// JSON and XML must escape.
func sampleRun() Run {
	outcome := func(api openapi.API, check conformance.Check, name string, result conformance.Result) conformance.Outcome {
		return conformance.Outcome{API: api, Check: check, Case: name, Result: result, Expected: "4xx", Actual: `200 <html> & "quotes"`,
			Grounds: "document", Sentence: "토큰 만료 기간 <24h>", Reproduce: `curl -X POST 'http://t/v1/auth/m2m' -d '{"a":"<&>"}'`, Headers: map[string]string{"Content-Type": "text/html"}}
	}
	return Run{
		Target: "http://127.0.0.1:1", Seed: 7, RunID: "r1", Replay: "authcontract verify --seed 7", Shard: "1/2",
		Outcomes: []conformance.Outcome{
			outcome(openapi.ContainerApps, conformance.StatusCode, "a", conformance.Passed),
			outcome(openapi.ACSM2M, conformance.StatusCode, "b", conformance.Failed),
			outcome(openapi.ContainerApps, conformance.ResponseSchema, "a", conformance.Disagreement),
			outcome(openapi.ACSM2M, conformance.Semantics, "b", conformance.Warning),
			outcome(openapi.ACSM2M, conformance.ErrorShape, "b", conformance.Skipped),
			outcome(openapi.ACSM2M, conformance.Semantics, "c", conformance.KnownFailure),
		},
		Coverage: []conformance.Coverage{{API: openapi.ACSM2M, Cases: 2, Responses: []conformance.Tally{{Name: "200", Cases: 1}}}},
		Created:  []conformance.CreatedConfig{{ID: "c6861ebe-67fa-475d-a970-16bfd07d068e", Case: "b"}},
		Cleanup:  &CleanupResult{Deleted: 1},
	}
}

func TestTheStreamedJSONReportIsTheDocumentOfTheWholeRun(t *testing.T) {
	for _, tc := range []struct {
		name string
		run  Run
	}{
		{"a run with outcomes of every result", sampleRun()},
		{"a run without outcomes, coverage or cleanup", Run{Target: "http://t", Seed: 1, RunID: "r"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var streamed bytes.Buffer
			if err := WriteJSON(&streamed, tc.run); err != nil {
				t.Fatal(err)
			}
			var got, want map[string]any
			if err := json.Unmarshal(streamed.Bytes(), &got); err != nil {
				t.Fatalf("the report is not JSON: %v\n%s", err, streamed.String())
			}
			counts := tc.run.Count()
			whole, _ := json.Marshal(struct {
				Run
				Passed        int `json:"passed"`
				Failed        int `json:"failed"`
				Warnings      int `json:"warnings"`
				KnownFailures int `json:"knownFailures"`
				Skipped       int `json:"skipped"`
			}{tc.run, counts.Passed, counts.Failed, counts.Warnings, counts.KnownFailures, counts.Skipped})
			json.Unmarshal(whole, &want)
			if want["outcomes"] == nil {
				want["outcomes"] = []any{}
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("streamed:\n%s\nwhole:\n%s", streamed.String(), whole)
			}
			if strings.Contains(streamed.String(), `\u003c`) {
				t.Error("the report escapes < although bodies and curl lines must read as sent")
			}
		})
	}
}

func TestTheStreamedJUnitReportCountsEverySuite(t *testing.T) {
	var out bytes.Buffer
	if err := WriteJUnit(&out, sampleRun()); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Tests    int `xml:"tests,attr"`
		Failures int `xml:"failures,attr"`
		Skipped  int `xml:"skipped,attr"`
		Suites   []struct {
			Name     string      `xml:"name,attr"`
			Tests    int         `xml:"tests,attr"`
			Failures int         `xml:"failures,attr"`
			Skipped  int         `xml:"skipped,attr"`
			Cases    []junitCase `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatalf("the report is not XML: %v\n%s", err, out.String())
	}
	if doc.Tests != 6 || doc.Failures != 2 || doc.Skipped != 2 {
		t.Errorf("testsuites counts %d tests, %d failures, %d skipped; want 6, 2, 2", doc.Tests, doc.Failures, doc.Skipped)
	}
	if len(doc.Suites) != 2 || doc.Suites[0].Name != "containerapps" || doc.Suites[1].Name != "acs-m2m" {
		t.Fatalf("suites: %+v", doc.Suites)
	}
	for _, suite := range doc.Suites {
		failures, skipped := 0, 0
		for _, c := range suite.Cases {
			if c.Failure != nil {
				failures++
			}
			if c.Skipped != nil {
				skipped++
			}
		}
		if suite.Tests != len(suite.Cases) || suite.Failures != failures || suite.Skipped != skipped {
			t.Errorf("suite %s says %d tests, %d failures, %d skipped, and holds %d, %d, %d", suite.Name, suite.Tests, suite.Failures, suite.Skipped, len(suite.Cases), failures, skipped)
		}
	}
	if !strings.Contains(doc.Suites[1].Cases[1].SystemOut, "WARNING: acs-m2m/semantics/b") {
		t.Errorf("a warning's report is not in system-out: %+v", doc.Suites[1].Cases[1])
	}
}

func TestTheTextReportEndsWithTheCoverageAndTheSummaryLine(t *testing.T) {
	var out bytes.Buffer
	if err := WriteText(&out, sampleRun(), false); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	for _, want := range []string{"FAILED: acs-m2m/status_code/b", "FAILED (validator_disagreement): containerapps/response_schema/a", "WARNING: acs-m2m/semantics/b", "KNOWN FAILURE: acs-m2m/semantics/c", "coverage of acs-m2m: 2 cases"} {
		if !strings.Contains(text, want) {
			t.Errorf("the report lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "containerapps/status_code/a") {
		t.Error("a passed outcome is listed without -v")
	}
	if !strings.HasSuffix(text, "\n1 passed, 2 failed, 1 warnings, 1 known failures, 1 skipped\n") {
		t.Errorf("the report does not end with the summary line:\n%s", text)
	}
}
