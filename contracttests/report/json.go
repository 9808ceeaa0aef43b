package report

import (
	"encoding/json"
	"io"
)

// jsonReport adds the tallies to the run, so a script need not count.
type jsonReport struct {
	Run
	Passed        int `json:"passed"`
	Failed        int `json:"failed"`
	Warnings      int `json:"warnings"`
	KnownFailures int `json:"knownFailures"`
	Skipped       int `json:"skipped"`
}

// WriteJSON writes every outcome of the run as one JSON document.
func WriteJSON(w io.Writer, run Run) error {
	counts := run.Count()
	encoder := json.NewEncoder(w)
	encoder.SetIndent("", "  ")
	// Bodies and curl lines read as they were sent, < and & included.
	encoder.SetEscapeHTML(false)
	return encoder.Encode(jsonReport{Run: run, Passed: counts.Passed, Failed: counts.Failed, Warnings: counts.Warnings, KnownFailures: counts.KnownFailures, Skipped: counts.Skipped})
}
