package report

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/authcontract/authcontract/contracttests/conformance"
	"github.com/authcontract/authcontract/openapi"
)

// The JUnit XML that CI systems read: one <testsuite> per operation, one
// <testcase> per check and case, the counts on <testsuites> and each
// <testsuite>.
type junitCase struct {
	XMLName   xml.Name      `xml:"testcase"`
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
	// SystemOut carries a warning's report: JUnit has no warning element,
	// and a warning must not fail the CI job that reads the file.
	SystemOut string `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

// WriteJUnit writes the run as JUnit XML.
func WriteJUnit(w io.Writer, run Run) error {
	s := NewStream(run, io.Discard, false, nil, w)
	return errors.Join(s.writeAll(run), s.Close())
}

// junitStream keeps each operation's test cases, encoded, in a temporary
// file while the run goes: the counts that open the document are known
// only at its end.
type junitStream struct {
	out    io.Writer
	replay string
	suites []*junitSuite // in the order their first outcome came
	err    error
}

type junitSuite struct {
	api                      openapi.API
	tests, failures, skipped int
	cases                    *os.File
	encoder                  *xml.Encoder
}

func (s *junitStream) add(o conformance.Outcome) {
	if s.err != nil {
		return
	}
	suite, err := s.suite(o.API)
	if err != nil {
		s.err = err
		return
	}
	tc := junitCase{Name: string(o.Check) + "/" + o.Case, Classname: "authcontract." + string(o.API)}
	switch {
	case o.IsFailure():
		tc.Failure = &junitFailure{
			Message: fmt.Sprintf("expected %s, got %s", o.Expected, o.Actual),
			Type:    string(o.Result),
			Text:    fmt.Sprintf("grounds: %s\n%s: %s\nreproduce: %s\n", Grounds(o), o.Grounds, o.Sentence, o.Reproduce),
		}
		suite.failures++
	case o.Result == conformance.Warning:
		tc.SystemOut = FailureBlock(o, s.replay)
	case o.Result == conformance.KnownFailure:
		// Listed as known failing: reported, but not a CI failure.
		tc.Skipped = &junitSkipped{Message: fmt.Sprintf("known failure: expected %s, got %s", o.Expected, o.Actual)}
		suite.skipped++
	case o.Result == conformance.Skipped:
		tc.Skipped = &junitSkipped{Message: o.Actual}
		suite.skipped++
	}
	suite.tests++
	if err := suite.encoder.Encode(tc); err != nil {
		s.err = fmt.Errorf("write JUnit test case: %w", err)
	}
}

// suite is the operation's suite, its temporary file created with its
// first test case.
func (s *junitStream) suite(api openapi.API) (*junitSuite, error) {
	for _, suite := range s.suites {
		if suite.api == api {
			return suite, nil
		}
	}
	file, err := os.CreateTemp("", "authcontract-junit-*.xml")
	if err != nil {
		return nil, fmt.Errorf("JUnit report: %w", err)
	}
	encoder := xml.NewEncoder(file)
	encoder.Indent("    ", "  ")
	suite := &junitSuite{api: api, cases: file, encoder: encoder}
	s.suites = append(s.suites, suite)
	return suite, nil
}

// finish writes the document: the counts, then each suite's test cases
// copied from its file.
func (s *junitStream) finish() {
	if s.err != nil {
		return
	}
	var tests, failures, skipped int
	for _, suite := range s.suites {
		tests, failures, skipped = tests+suite.tests, failures+suite.failures, skipped+suite.skipped
	}
	out := &errWriter{w: s.out}
	out.printf("%s<testsuites tests=\"%d\" failures=\"%d\" skipped=\"%d\">", xml.Header, tests, failures, skipped)
	for _, suite := range s.suites {
		if err := suite.encoder.Close(); err != nil {
			out.fail(fmt.Errorf("write JUnit test cases: %w", err))
		}
		out.printf("\n  <testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" skipped=\"%d\">\n", escapeXML(string(suite.api)), suite.tests, suite.failures, suite.skipped)
		if _, err := suite.cases.Seek(0, io.SeekStart); err != nil {
			out.fail(fmt.Errorf("read JUnit test cases back: %w", err))
		}
		if out.err == nil {
			if _, err := io.Copy(s.out, suite.cases); err != nil {
				out.fail(fmt.Errorf("copy JUnit test cases: %w", err))
			}
		}
		out.printf("\n  </testsuite>")
	}
	out.printf("\n</testsuites>\n")
	s.err = out.err
}

// close removes the temporary files.
func (s *junitStream) close() error {
	var first error
	for _, suite := range s.suites {
		name := suite.cases.Name()
		suite.cases.Close()
		if err := os.Remove(name); err != nil && first == nil {
			first = err
		}
	}
	return first
}

func escapeXML(text string) string {
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(text))
	return b.String()
}
