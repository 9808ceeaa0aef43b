// Package report writes a conformance run's outcomes for people (text), for
// programs (JSON) and for CI systems (JUnit XML).
package report

import (
	"fmt"
	"io"
	"sort"
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
	// Shard is "I/N" when the run was one CI job's share of the cases.
	Shard string `json:"shard,omitempty"`
	// Created lists every ACS config the target stored during the run,
	// whether or not --cleanup deleted it.
	Created []conformance.CreatedConfig `json:"created"`
	// Cleanup says whether --cleanup ran, and what it could not delete.
	Cleanup *CleanupResult `json:"cleanup,omitempty"`
}

// CleanupResult is what --cleanup did with the configs the run created.
type CleanupResult struct {
	Deleted int                          `json:"deleted"`
	Failed  []conformance.CleanupFailure `json:"failed"`
}

// Counts tallies outcomes; a validator disagreement counts as failed.
type Counts struct{ Passed, Failed, Warnings, KnownFailures, Skipped int }

// Count tallies the run's outcomes.
func (r Run) Count() Counts {
	var c Counts
	for _, o := range r.Outcomes {
		c.add(o)
	}
	return c
}

func (c *Counts) add(o conformance.Outcome) {
	switch {
	case o.IsFailure():
		c.Failed++
	case o.Result == conformance.Warning:
		c.Warnings++
	case o.Result == conformance.KnownFailure:
		c.KnownFailures++
	case o.Result == conformance.Skipped:
		c.Skipped++
	default:
		c.Passed++
	}
}

// Summary is the closing line: "N passed, N failed, N warnings" with
// ", N known failures" and ", N skipped" when there are any.
func (c Counts) Summary() string {
	line := fmt.Sprintf("%d passed, %d failed, %d warnings", c.Passed, c.Failed, c.Warnings)
	if c.KnownFailures > 0 {
		line += fmt.Sprintf(", %d known failures", c.KnownFailures)
	}
	if c.Skipped > 0 {
		line += fmt.Sprintf(", %d skipped", c.Skipped)
	}
	return line
}

// WriteText writes a FAILED or WARNING block for each failure and warning
// (and, when verbose, a line for every other outcome), the coverage, then
// the summary line.
func WriteText(w io.Writer, run Run, verbose bool) error {
	return NewStream(run, w, verbose, nil, nil).writeAll(run)
}

// FailureBlock describes one failure or warning: what was checked, what was
// expected and seen, what the verdict rests on (a document sentence, the
// schema, or what the real service does, with its source) and how to send
// the request again. replay is the command that runs the case again from
// its seed, for a generated case.
func FailureBlock(o conformance.Outcome, replay string) string {
	var b strings.Builder
	label := "FAILED"
	switch o.Result {
	case conformance.Disagreement:
		label = "FAILED (validator_disagreement)"
	case conformance.Warning:
		label = "WARNING"
	case conformance.KnownFailure:
		label = "KNOWN FAILURE"
	}
	fmt.Fprintf(&b, "%s: %s\n", label, o.Name())
	fmt.Fprintf(&b, "  operation: %s\n  check:     %s\n  case:      %s\n", o.API, o.Check, o.Case)
	fmt.Fprintf(&b, "  expected:  %s\n  actual:    %s\n", o.Expected, o.Actual)
	if o.Intermediary != "" {
		fmt.Fprintf(&b, "  answered:  by an intermediary, not the target: %s\n", o.Intermediary)
	}
	if len(o.Headers) > 0 {
		fmt.Fprintf(&b, "  headers:   %s\n", headerLine(o.Headers))
	}
	fmt.Fprintf(&b, "  grounds:   %s\n", Grounds(o))
	fmt.Fprintf(&b, "  %-10s %s\n", string(o.Grounds)+":", o.Sentence)
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

// headerLine writes kept response headers in name order.
func headerLine(headers map[string]string) string {
	names := make([]string, 0, len(headers))
	for name := range headers {
		names = append(names, name)
	}
	sort.Strings(names)
	parts := make([]string, len(names))
	for i, name := range names {
		parts[i] = name + ": " + headers[name]
	}
	return strings.Join(parts, "; ")
}

// Grounds reads "upstream (stackrox/stackrox central/…)": what a verdict
// rests on and where that is written.
func Grounds(o conformance.Outcome) string {
	grounds := string(o.Grounds)
	if o.Source != "" {
		grounds += " (" + o.Source + ")"
	}
	if o.VerdictRule != "" {
		grounds += ", rule " + o.VerdictRule
	}
	return grounds
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
	case conformance.Warning:
		return "WARNING"
	case conformance.KnownFailure:
		return "KNOWN FAILURE"
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

// fail keeps err unless an error is kept already.
func (e *errWriter) fail(err error) {
	if e.err == nil {
		e.err = err
	}
}
