package report

import (
	"encoding/json"
	"io"
)

// jsonReport adds the tallies to the run, so a script need not count.
type jsonReport struct {
	Run
	Passed  int `json:"passed"`
	Failed  int `json:"failed"`
	Skipped int `json:"skipped"`
}

// WriteJSON writes every outcome of the run as one JSON document.
func WriteJSON(w io.Writer, run Run) error {
	counts := run.Count()
	encoder := json.NewEncoder(w)
	encoder.SetIndent("", "  ")
	return encoder.Encode(jsonReport{Run: run, Passed: counts.Passed, Failed: counts.Failed, Skipped: counts.Skipped})
}
