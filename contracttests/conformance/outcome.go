// Package conformance replays fixtures against an implementation of either
// operation and judges every response with named checks, each tied to the
// sentence of the document it enforces.
package conformance

import "github.com/authcontract/authcontract/openapi"

// Check names one kind of judgement. The names are stable: reports, `go test
// -run` patterns and scripts use them.
type Check string

const (
	// StatusCode: the status is one the document gives the operation, never
	// a 5xx, and (for documented and tolerant cases) the one the case expects.
	StatusCode Check = "status_code"
	// ContentType: every body is sent as application/json.
	ContentType Check = "content_type"
	// ResponseSchema: both validators accept the response.
	ResponseSchema Check = "response_schema"
	// ErrorShape: every non-2xx carries the documented error body.
	ErrorShape Check = "error_shape"
	// NegativeRejection: a request that breaks the documents gets a 4xx.
	NegativeRejection Check = "negative_rejection"
	// PositiveAcceptance: a request the documents allow is accepted.
	PositiveAcceptance Check = "positive_acceptance"
	// AuthRequired: no token and a wrong token are refused with 401.
	AuthRequired Check = "auth"
	// Semantics: what the documents say an accepted response means.
	Semantics Check = "semantics"
)

// Result is how one check came out for one case.
type Result string

const (
	Passed  Result = "passed"
	Failed  Result = "failed"
	Skipped Result = "skipped"
	// Disagreement: one validator accepted the response and the other did
	// not. It counts as a failure, since someone has to look.
	Disagreement Result = "validator_disagreement"
)

// Outcome is one check's verdict on one case.
type Outcome struct {
	API      openapi.API `json:"api"`
	Check    Check       `json:"check"`
	Case     string      `json:"case"`
	Result   Result      `json:"result"`
	Expected string      `json:"expected,omitempty"`
	Actual   string      `json:"actual,omitempty"`
	// Sentence is the document sentence the case enforces.
	Sentence string `json:"sentence"`
	// Reproduce is a curl command that sends the case's request again.
	Reproduce string `json:"reproduce,omitempty"`
	// File is the fixture the case came from.
	File string `json:"file,omitempty"`
	// Rule is the rulebook rule the case exercises, when it names one.
	Rule string `json:"rule,omitempty"`
	// Status is the HTTP status the target answered, or 0 when it did not.
	Status int `json:"status,omitempty"`
	// Generated is set on cases built from the seed rather than read from a
	// fixture file.
	Generated bool `json:"generated,omitempty"`
	// Shrunk counts the simplifications that took a failing generated case
	// to the minimal request reported.
	Shrunk int `json:"shrunk,omitempty"`
	// timedOut marks a case whose target did not answer within the timeout.
	timedOut bool
}

// Name is the hierarchical case name: api/check/case.
func (o Outcome) Name() string { return string(o.API) + "/" + string(o.Check) + "/" + o.Case }

// IsFailure reports whether the outcome makes the run fail.
func (o Outcome) IsFailure() bool { return o.Result == Failed || o.Result == Disagreement }
