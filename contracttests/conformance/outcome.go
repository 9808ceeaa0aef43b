// Package conformance replays fixtures against an implementation of either
// operation and judges every response with named checks, each tied to the
// rule it enforces and that rule's grounds: a sentence of a document, the
// OpenAPI schema, or what the real service does where the documents are
// silent.
package conformance

import (
	"github.com/authcontract/authcontract/contracttests/rulebook"
	"github.com/authcontract/authcontract/openapi"
)

// Check names one kind of judgement. The names are stable: reports, `go test
// -run` patterns and scripts use them.
type Check string

const (
	// StatusCode: the status is one the document gives the operation, never
	// a 5xx, and (for documented and tolerant cases) the one the case
	// expects; a method the path does not take gets a 4xx or 501.
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
	// SingleWinner: of several identical adds sent at once, exactly one is
	// accepted.
	SingleWinner Check = "single_winner"
	// ClientRoundtrip: an allowed request sent again through the client
	// oapi-codegen generates from the document is made, accepted, and its
	// answer read into the generated types.
	ClientRoundtrip Check = "client_roundtrip"
)

// Checks lists every check in report order.
func Checks() []Check {
	return []Check{StatusCode, PositiveAcceptance, NegativeRejection, AuthRequired, SingleWinner,
		ContentType, ResponseSchema, ErrorShape, Semantics, ClientRoundtrip}
}

// Result is how one check came out for one case.
type Result string

const (
	Passed  Result = "passed"
	Failed  Result = "failed"
	Skipped Result = "skipped"
	// Disagreement: one validator accepted the response and the other did
	// not. It counts as a failure, since someone has to look.
	Disagreement Result = "validator_disagreement"
	// Warning: the target accepted what only the schema forbids and the
	// real service accepts too. It does not fail the run, unless the run
	// is strict, in which case the outcome is Failed instead.
	Warning Result = "warning"
	// KnownFailure: a failure the user's known-failing list names; it does
	// not fail the run.
	KnownFailure Result = "known_failure"
)

// Outcome is one check's verdict on one case.
type Outcome struct {
	API      openapi.API `json:"api"`
	Check    Check       `json:"check"`
	Case     string      `json:"case"`
	Result   Result      `json:"result"`
	Expected string      `json:"expected,omitempty"`
	Actual   string      `json:"actual,omitempty"`
	// Grounds is what the verdict rests on: document, schema or upstream.
	Grounds rulebook.Grounds `json:"grounds"`
	// Sentence is the document sentence the verdict enforces, or for schema
	// and upstream grounds what the OpenAPI document or real service says.
	Sentence string `json:"sentence"`
	// Source is where Sentence comes from: the seed document, the OpenAPI
	// document, or the upstream repository and file.
	Source string `json:"source,omitempty"`
	// VerdictRule is the rulebook rule the verdict rests on; it is the
	// case's own rule for the checks that judge the case's request.
	VerdictRule string `json:"verdictRule,omitempty"`
	// Reproduce is a curl command that sends the case's request again.
	Reproduce string `json:"reproduce,omitempty"`
	// File is the fixture the case came from.
	File string `json:"file,omitempty"`
	// Rule is the rulebook rule the case exercises, when it names one.
	Rule string `json:"rule,omitempty"`
	// AlsoRules are further rules the case involves: the upstream rule
	// under which the real service accepts it, or the one that explains a
	// refusal that masks its verdict.
	AlsoRules []string `json:"alsoRules,omitempty"`
	// Status is the HTTP status the target answered, or 0 when it did not.
	Status int `json:"status,omitempty"`
	// Headers are the response headers that tell who answered and how:
	// Content-Type, challenges, redirects, Via, Server, Prism's sl-*.
	Headers map[string]string `json:"headers,omitempty"`
	// Intermediary says when the answer is plainly a proxy's or mock's own
	// error rather than the target's.
	Intermediary string `json:"intermediary,omitempty"`
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
