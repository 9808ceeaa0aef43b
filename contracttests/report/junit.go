package report

import (
	"encoding/xml"
	"fmt"
	"io"

	"github.com/authcontract/authcontract/contracttests/conformance"
	"github.com/authcontract/authcontract/openapi"
)

// The JUnit XML elements CI systems read: one suite per operation, one test
// case per check and case.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
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
	suites := map[openapi.API]*junitSuite{}
	var order []openapi.API
	doc := junitSuites{}
	for _, o := range run.Outcomes {
		suite, ok := suites[o.API]
		if !ok {
			suite = &junitSuite{Name: string(o.API)}
			suites[o.API] = suite
			order = append(order, o.API)
		}
		tc := junitCase{Name: string(o.Check) + "/" + o.Case, Classname: "authcontract." + string(o.API)}
		switch {
		case o.IsFailure():
			tc.Failure = &junitFailure{
				Message: fmt.Sprintf("expected %s, got %s", o.Expected, o.Actual),
				Type:    string(o.Result),
				Text:    fmt.Sprintf("grounds: %s\n%s: %s\nreproduce: %s\n", Grounds(o), o.Grounds, o.Sentence, o.Reproduce),
			}
			suite.Failures++
			doc.Failures++
		case o.Result == conformance.Warning:
			tc.SystemOut = FailureBlock(o, run.Replay)
		case o.Result == conformance.KnownFailure:
			// Listed as known failing: reported, but not a CI failure.
			tc.Skipped = &junitSkipped{Message: fmt.Sprintf("known failure: expected %s, got %s", o.Expected, o.Actual)}
			suite.Skipped++
			doc.Skipped++
		case o.Result == conformance.Skipped:
			tc.Skipped = &junitSkipped{Message: o.Actual}
			suite.Skipped++
			doc.Skipped++
		}
		suite.Tests++
		doc.Tests++
		suite.Cases = append(suite.Cases, tc)
	}
	for _, api := range order {
		doc.Suites = append(doc.Suites, *suites[api])
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	encoder := xml.NewEncoder(w)
	encoder.Indent("", "  ")
	if err := encoder.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}
