// Package report writes a conformance run's outcomes for people (text), for
// programs (JSON) and for CI systems (JUnit XML).
package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/authcontract/authcontract/contracttests/conformance"
)

// Run is everything a report says about one run.
type Run struct {
	Target   string                `json:"target"`
	Seed     int64                 `json:"seed"`
	RunID    string                `json:"runId"`
	Outcomes []conformance.Outcome `json:"outcomes"`
	// Replay is the command that runs the same cases again.
	Replay string `json:"replay,omitempty"`
	// Coverage tallies documented responses and rules per API.
	Coverage []conformance.Coverage `json:"coverage,omitempty"`
}

// Counts tallies outcomes; a validator disagreement counts as failed.
type Counts struct{ Passed, Failed, Skipped int }

// Count tallies the run's outcomes.
func (r Run) Count() Counts {
	var c Counts
	for _, o := range r.Outcomes {
		switch {
		case o.IsFailure():
			c.Failed++
		case o.Result == conformance.Skipped:
			c.Skipped++
		default:
			c.Passed++
		}
	}
	return c
}

// Summary is the closing line: "N passed, N failed" with ", N skipped" when
// any were skipped.
func (c Counts) Summary() string {
	line := fmt.Sprintf("%d passed, %d failed", c.Passed, c.Failed)
	if c.Skipped > 0 {
		line += fmt.Sprintf(", %d skipped", c.Skipped)
	}
	return line
}

// WriteText writes a FAILED block for each failure (and, when verbose, a
// line for every other outcome), the coverage, then the summary line.
func WriteText(w io.Writer, run Run, verbose bool) error {
	ew := &errWriter{w: w}
	for _, o := range run.Outcomes {
		if !o.IsFailure() {
			if verbose {
				ew.printf("%s: %s\n", upper(o.Result), o.Name())
			}
			continue
		}
		ew.printf("%s", FailureBlock(o, run.Replay))
		ew.printf("\n")
	}
	for _, c := range run.Coverage {
		ew.printf("%s", CoverageBlock(c))
	}
	ew.printf("%s\n", run.Count().Summary())
	return ew.err
}

// FailureBlock describes one failure: what was checked, what was expected
// and seen, the document sentence at stake and how to send the request again.
// replay is the command that runs the case again from its seed, for a
// generated case.
func FailureBlock(o conformance.Outcome, replay string) string {
	var b strings.Builder
	label := "FAILED"
	if o.Result == conformance.Disagreement {
		label = "FAILED (validator_disagreement)"
	}
	fmt.Fprintf(&b, "%s: %s\n", label, o.Name())
	fmt.Fprintf(&b, "  operation: %s\n  check:     %s\n  case:      %s\n", o.API, o.Check, o.Case)
	fmt.Fprintf(&b, "  expected:  %s\n  actual:    %s\n", o.Expected, o.Actual)
	fmt.Fprintf(&b, "  document:  %s\n", o.Sentence)
	if o.File != "" {
		fmt.Fprintf(&b, "  fixture:   fixtures/%s\n", o.File)
	}
	if o.Generated {
		fmt.Fprintf(&b, "  generated: shrunk in %d steps to the request below\n", o.Shrunk)
		if replay != "" {
			fmt.Fprintf(&b, "  replay:    %s\n", replay)
		}
	}
	if o.Reproduce != "" {
		fmt.Fprintf(&b, "  reproduce: %s\n", o.Reproduce)
	}
	return b.String()
}

// CoverageBlock says which documented responses and rules an API's cases
// exercised, and how many cases each.
func CoverageBlock(c conformance.Coverage) string {
	var b strings.Builder
	fmt.Fprintf(&b, "coverage of %s: %d cases\n", c.API, c.Cases)
	fmt.Fprintf(&b, "  responses: %s\n", tallies(c.Responses))
	fmt.Fprintf(&b, "  rules:     %s\n", tallies(c.Rules))
	var missing []string
	for _, t := range append(append([]conformance.Tally{}, c.Responses...), c.Rules...) {
		if t.Cases == 0 {
			missing = append(missing, t.Name)
		}
	}
	if len(missing) > 0 {
		fmt.Fprintf(&b, "  not exercised: %s\n", strings.Join(missing, ", "))
	}
	return b.String()
}

func tallies(list []conformance.Tally) string {
	parts := make([]string, len(list))
	for i, t := range list {
		parts[i] = fmt.Sprintf("%s ×%d", t.Name, t.Cases)
	}
	return strings.Join(parts, ", ")
}

func upper(r conformance.Result) string {
	switch r {
	case conformance.Passed:
		return "PASSED"
	case conformance.Skipped:
		return "SKIPPED"
	}
	return string(r)
}

// errWriter keeps the first write error so a report is written in one pass.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}
