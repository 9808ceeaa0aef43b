// Command prismcheck reads the JSON reports of `authcontract verify` runs
// made through Prism's validating proxy (`prism proxy … --errors`) and fails
// when Prism found fault with any response of the target.
//
//	go run ./interop/prismcheck REPORT.json ...
//
// verify's own verdict through Prism is not the point: Prism answers the
// requests it finds invalid itself (422, 401, 405 as problem+json), so
// verify's negative cases see Prism's answers, not the target's. What
// matters is whether the target's responses match the document, and Prism
// says so in two ways, both kept in the report's outcomes:
//
//   - an sl-violations response header, a JSON list of violations, each
//     with a location whose first element is "request" or "response"
//     (Prism sets it for warnings too, and then passes the response on);
//   - with --errors, for a response violation of severity Error, a 500
//     whose problem+json type is https://stoplight.io/prism/errors#VIOLATIONS
//     in place of the target's response.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(reports []string, stdout, stderr io.Writer) int {
	if len(reports) == 0 {
		fmt.Fprintln(stderr, "usage: prismcheck REPORT.json ...  (reports of authcontract verify --report-json, run through prism proxy --errors)")
		return 2
	}
	total := 0
	for _, path := range reports {
		result, err := checkReport(path)
		if err != nil {
			fmt.Fprintf(stderr, "prismcheck: %v\n", err)
			return 2
		}
		for _, flag := range result.flags {
			fmt.Fprintf(stderr, "PRISM FLAGGED A RESPONSE: %s\n", flag)
		}
		fmt.Fprintf(stdout, "prismcheck: %s: %d cases, %d answered by Prism itself, %d passed on from the target; Prism flagged %d responses\n",
			path, result.cases, result.cases-result.passedOn, result.passedOn, len(result.flags))
		if result.passedOn == 0 {
			// Then Prism judged no response of the target at all, and
			// "nothing flagged" would prove nothing.
			fmt.Fprintf(stderr, "prismcheck: %s: Prism passed no response of the target on\n", path)
			return 2
		}
		total += len(result.flags)
	}
	if total > 0 {
		fmt.Fprintf(stderr, "prismcheck: Prism found %d responses that do not match their document\n", total)
		return 1
	}
	return 0
}

// outcome is the part of a verify JSON report's outcome this reads.
type outcome struct {
	API          string            `json:"api"`
	Case         string            `json:"case"`
	Status       int               `json:"status"`
	Headers      map[string]string `json:"headers"`
	Intermediary string            `json:"intermediary"`
	Actual       string            `json:"actual"`
	Reproduce    string            `json:"reproduce"`
}

// violation is one entry of Prism's sl-violations header.
type violation struct {
	Location []string `json:"location"`
	Severity string   `json:"severity"`
	Code     string   `json:"code"`
	Message  string   `json:"message"`
}

// reportResult is what one report shows.
type reportResult struct {
	// flags has a line per case whose response Prism found fault with.
	flags []string
	// cases counts the cases; a case has an outcome per check, all with
	// the same response, so it is judged once.
	cases int
	// passedOn counts the cases Prism forwarded and answered with the
	// target's response rather than its own error.
	passedOn int
}

// checkReport reads the report at path and says what Prism flagged in it.
func checkReport(path string) (reportResult, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return reportResult{}, fmt.Errorf("read the report: %w", err)
	}
	var report struct {
		Outcomes []outcome `json:"outcomes"`
	}
	if err := json.Unmarshal(data, &report); err != nil {
		return reportResult{}, fmt.Errorf("read the report %s: %w", path, err)
	}
	if len(report.Outcomes) == 0 {
		// A report without outcomes proves nothing: the run did not happen.
		return reportResult{}, fmt.Errorf("the report %s has no outcomes", path)
	}
	var result reportResult
	seen := map[string]bool{}
	for _, o := range report.Outcomes {
		name := o.API + "/" + o.Case
		if seen[name] {
			continue
		}
		seen[name] = true
		result.cases++
		if o.Intermediary == "" && o.Status != 0 {
			result.passedOn++
		}
		if why := responseFlagged(o); why != "" {
			result.flags = append(result.flags, fmt.Sprintf("%s: %s\n  status %d; reproduce: %s", name, why, o.Status, o.Reproduce))
		}
	}
	return result, nil
}

// responseFlagged says what Prism found wrong with the response of o, or
// "" when it found nothing.
func responseFlagged(o outcome) string {
	var said []string
	if header := headerValue(o.Headers, "Sl-Violations"); header != "" {
		var violations []violation
		if err := json.Unmarshal([]byte(header), &violations); err != nil {
			// Prism cuts a header over 8 KiB short ("Too many
			// violations! …"); if it still names the response, so do we.
			if strings.Contains(header, `["response"`) {
				said = append(said, "sl-violations (cut short): "+header)
			}
		}
		for _, v := range violations {
			if len(v.Location) > 0 && v.Location[0] == "response" {
				said = append(said, fmt.Sprintf("%s at %s: %s (%s)", v.Severity, strings.Join(v.Location, "."), v.Message, v.Code))
			}
		}
	}
	if len(said) == 0 && (strings.Contains(o.Actual, "errors#VIOLATIONS") || strings.Contains(o.Intermediary, "(VIOLATIONS)")) {
		// The problem+json alone, should the header have been lost.
		said = append(said, "Prism answered VIOLATIONS in place of the response: "+o.Actual)
	}
	return strings.Join(said, "; ")
}

// headerValue looks name up whatever its case: the report keeps canonical
// names, but nothing in JSON promises that.
func headerValue(headers map[string]string, name string) string {
	for key, value := range headers {
		if strings.EqualFold(key, name) {
			return value
		}
	}
	return ""
}
