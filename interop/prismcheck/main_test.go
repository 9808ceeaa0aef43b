package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Outcomes as verify reported them through `prism proxy
// openapi/containerapps.yaml --errors` in front of a stub whose 200 lacked
// location, had a numeric id and an expiry that is no date-time.
var (
	responseViolation = outcome{
		API: "containerapps", Case: "a resource group name in another case finds the same app", Status: 500,
		Headers: map[string]string{
			"Content-Type":  "application/problem+json",
			"Sl-Violations": `[{"location":["response","body"],"severity":"Error","code":"required","message":"Response body must have required property 'location'"},{"location":["response","body","id"],"severity":"Error","code":"type","message":"Response body property id must be string"}]`,
		},
		Intermediary: "Prism's own error (VIOLATIONS): Request/Response not valid Your request/response is not valid and the --errors flag is set, so Prism is generating this error for you.",
		Actual:       `500 {"type":"https://stoplight.io/prism/errors#VIOLATIONS","title":"Request/Response not valid","status":500}`,
	}
	// Prism refusing a request itself is no verdict on the target.
	prismRefusedTheRequest = outcome{
		API: "acs-m2m", Case: "a config that is a number is refused", Status: 422,
		Headers:      map[string]string{"Content-Type": "application/problem+json"},
		Intermediary: "Prism's own error (UNPROCESSABLE_ENTITY): Invalid request",
		Actual:       `422 {"type":"https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY","title":"Invalid request","status":422}`,
	}
	passedThrough = outcome{
		API: "containerapps", Case: "the document's sample app gets a token", Status: 200,
		Headers: map[string]string{"Content-Type": "application/json"},
		Actual:  `200 {"id":"/subscriptions/…"}`,
	}
)

func TestResponseFlagged(t *testing.T) {
	for _, tc := range []struct {
		name    string
		outcome outcome
		says    []string // each part of what is reported; none: not flagged
	}{
		{"a response Prism replaced with VIOLATIONS is flagged with each violation", responseViolation,
			[]string{"Error at response.body: Response body must have required property 'location' (required)", "response.body.id"}},
		{"a VIOLATIONS answer is flagged even without its header",
			outcome{Status: 500, Actual: responseViolation.Actual, Intermediary: responseViolation.Intermediary},
			[]string{"Prism answered VIOLATIONS"}},
		{"a warning about the response is flagged, though Prism passed the response on",
			outcome{Status: 200, Headers: map[string]string{"sl-violations": `[{"location":["response","headers","content-type"],"severity":"Warning","code":"x","message":"unexpected"}]`}},
			[]string{"Warning at response.headers.content-type: unexpected"}},
		{"a header cut short that names the response is flagged",
			outcome{Status: 200, Headers: map[string]string{"Sl-Violations": `Too many violations! [{"location":["response","body"],"severity":"Error","code":"type","mess`}},
			[]string{"cut short"}},
		{"a violation of the request alone is not flagged",
			outcome{Status: 200, Headers: map[string]string{"Sl-Violations": `[{"location":["request","query","api-version"],"severity":"Warning","code":"x","message":"m"}]`}},
			nil},
		{"Prism's own refusal of a request is not flagged", prismRefusedTheRequest, nil},
		{"a response Prism passed on without comment is not flagged", passedThrough, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := responseFlagged(tc.outcome)
			if len(tc.says) == 0 && got != "" {
				t.Errorf("flagged %q, want nothing", got)
			}
			if len(tc.says) > 0 && got == "" {
				t.Errorf("not flagged, want %q", tc.says)
			}
			for _, want := range tc.says {
				if !strings.Contains(got, want) {
					t.Errorf("says %q, want it to say %q", got, want)
				}
			}
		})
	}
}

func TestRunFailsOnlyWhenAReportHoldsAFlaggedResponse(t *testing.T) {
	dir := t.TempDir()
	clean := writeReport(t, filepath.Join(dir, "clean.json"), passedThrough, prismRefusedTheRequest)
	flagged := writeReport(t, filepath.Join(dir, "flagged.json"), passedThrough, responseViolation, responseViolation)
	empty := writeReport(t, filepath.Join(dir, "empty.json"))
	allPrism := writeReport(t, filepath.Join(dir, "all-prism.json"), prismRefusedTheRequest)

	for _, tc := range []struct {
		name    string
		reports []string
		want    int
		stderr  string
	}{
		{"a report whose responses Prism passed is a success", []string{clean}, 0, ""},
		{"a flagged response fails the run and names its case once", []string{clean, flagged}, 1, "PRISM FLAGGED A RESPONSE: containerapps/a resource group name in another case finds the same app"},
		{"a report without outcomes is an error, not a success", []string{empty}, 2, "no outcomes"},
		{"a report where Prism answered every case itself is an error, not a success", []string{allPrism}, 2, "passed no response of the target on"},
		{"a report that does not exist is an error", []string{filepath.Join(dir, "missing.json")}, 2, "missing.json"},
		{"no report at all is a usage error", nil, 2, "usage"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			if code := run(tc.reports, &stdout, &stderr); code != tc.want {
				t.Errorf("exit %d, want %d; stderr: %s", code, tc.want, stderr.String())
			}
			if !strings.Contains(stderr.String(), tc.stderr) {
				t.Errorf("stderr does not say %q: %s", tc.stderr, stderr.String())
			}
			if strings.Count(stderr.String(), "PRISM FLAGGED") > 1 {
				t.Errorf("a case is reported more than once: %s", stderr.String())
			}
		})
	}
}

func writeReport(t *testing.T, path string, outcomes ...outcome) string {
	t.Helper()
	data, err := json.Marshal(map[string]any{"outcomes": outcomes})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}
