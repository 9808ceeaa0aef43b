package report

import (
	"io"

	"github.com/authcontract/authcontract/contracttests/conformance"
)

// Stream writes a run's reports while it runs: each case's outcomes go to
// the text report (a block per failure and warning, a line per other
// outcome when verbose), to the JSON report and to JUnit as the case
// finishes, and nothing is kept but the counts. A run of any length
// therefore writes its reports in constant memory, and a run that is
// stopped has written everything up to the case it stopped at.
type Stream struct {
	head    Run
	text    *errWriter
	verbose bool
	json    *jsonStream
	junit   *junitStream
	counts  Counts
}

// NewStream starts the reports of the run head describes (its outcomes,
// coverage, created configs and cleanup come later): the text report to
// text, and, when not nil, the JSON report to jsonOut and JUnit to
// junitOut. JUnit's counts come first in the file, so its test cases wait
// in a temporary file until Finish.
func NewStream(head Run, text io.Writer, verbose bool, jsonOut, junitOut io.Writer) *Stream {
	s := &Stream{head: head, text: &errWriter{w: text}, verbose: verbose}
	if jsonOut != nil {
		s.json = newJSONStream(jsonOut, head)
	}
	if junitOut != nil {
		s.junit = &junitStream{out: junitOut, replay: head.Replay}
	}
	return s
}

// Add reports outcomes, in order.
func (s *Stream) Add(outcomes []conformance.Outcome) error {
	for _, o := range outcomes {
		s.counts.add(o)
		s.writeText(o)
		if s.json != nil {
			s.json.add(o)
		}
		if s.junit != nil {
			s.junit.add(o)
		}
	}
	return s.err()
}

// Counts tallies the outcomes reported so far.
func (s *Stream) Counts() Counts { return s.counts }

// Finish ends every report with what is known only at the end of the run:
// the coverage and summary line of the text report, and the coverage,
// created configs, cleanup and counts of the JSON report and JUnit.
func (s *Stream) Finish(end Run) error {
	for _, c := range end.Coverage {
		s.text.printf("%s", CoverageBlock(c))
	}
	s.text.printf("%s\n", s.counts.Summary())
	if s.json != nil {
		s.json.finish(end, s.counts)
	}
	if s.junit != nil {
		s.junit.finish()
	}
	return s.err()
}

// Close gives back what the stream holds (JUnit's temporary file) whether
// or not it finished.
func (s *Stream) Close() error {
	if s.junit != nil {
		return s.junit.close()
	}
	return nil
}

func (s *Stream) writeText(o conformance.Outcome) {
	if !o.IsFailure() && o.Result != conformance.Warning && o.Result != conformance.KnownFailure {
		if s.verbose {
			s.text.printf("%s: %s\n", upper(o.Result), o.Name())
			if o.Result == conformance.Skipped {
				s.text.printf("  why: %s\n", o.Actual)
			}
		}
		return
	}
	s.text.printf("%s\n", FailureBlock(o, s.head.Replay))
}

// err is the first error of any report.
func (s *Stream) err() error {
	if s.text.err != nil {
		return s.text.err
	}
	if s.json != nil && s.json.out.err != nil {
		return s.json.out.err
	}
	if s.junit != nil && s.junit.err != nil {
		return s.junit.err
	}
	return nil
}

// writeAll streams a finished run's outcomes through s.
func (s *Stream) writeAll(run Run) error {
	if err := s.Add(run.Outcomes); err != nil {
		return err
	}
	return s.Finish(run)
}
