package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/authcontract/authcontract/contracttests/conformance"
)

// WriteJSON writes every outcome of the run as one JSON document, with
// the tallies, so that a script need not count.
func WriteJSON(w io.Writer, run Run) error {
	return NewStream(run, io.Discard, false, w, nil).writeAll(run)
}

// jsonStream writes the JSON report one outcome at a time: the run's own
// fields, the outcomes array as outcomes arrive, then the fields known
// only at the end. The document is the one encoding/json would write for
// the whole run, indented by two spaces, < and & left as they are so that
// bodies and curl lines read as they were sent.
type jsonStream struct {
	out      *errWriter
	outcomes int
}

func newJSONStream(w io.Writer, head Run) *jsonStream {
	s := &jsonStream{out: &errWriter{w: w}}
	s.out.printf("{\n")
	s.field("target", head.Target)
	s.field("seed", head.Seed)
	s.field("runId", head.RunID)
	if head.Replay != "" {
		s.field("replay", head.Replay)
	}
	if head.Shard != "" {
		s.field("shard", head.Shard)
	}
	s.out.printf("  \"outcomes\": [")
	return s
}

func (s *jsonStream) add(o conformance.Outcome) {
	if s.outcomes > 0 {
		s.out.printf(",")
	}
	s.outcomes++
	s.out.printf("\n    ")
	s.value(o, "    ")
}

func (s *jsonStream) finish(end Run, counts Counts) {
	if s.outcomes > 0 {
		s.out.printf("\n  ")
	}
	s.out.printf("],\n")
	if len(end.Coverage) > 0 {
		s.field("coverage", end.Coverage)
	}
	s.field("created", end.Created)
	if end.Cleanup != nil {
		s.field("cleanup", end.Cleanup)
	}
	s.field("passed", counts.Passed)
	s.field("failed", counts.Failed)
	s.field("warnings", counts.Warnings)
	s.field("knownFailures", counts.KnownFailures)
	s.out.printf("  \"skipped\": %d\n}\n", counts.Skipped)
}

// field writes one member of the top-level object, followed by a comma:
// the last member, skipped, is written by finish.
func (s *jsonStream) field(name string, value any) {
	s.out.printf("  ")
	s.value(name, "  ")
	s.out.printf(": ")
	s.value(value, "  ")
	s.out.printf(",\n")
}

// value writes a value indented as a member at the given depth.
func (s *jsonStream) value(value any, prefix string) {
	var b bytes.Buffer
	encoder := json.NewEncoder(&b)
	encoder.SetEscapeHTML(false)
	encoder.SetIndent(prefix, "  ")
	if err := encoder.Encode(value); err != nil {
		s.out.fail(fmt.Errorf("encode the JSON report: %w", err))
		return
	}
	s.out.printf("%s", bytes.TrimSuffix(b.Bytes(), []byte("\n")))
}
