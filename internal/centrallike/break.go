package centrallike

import "fmt"

// Break names one rule of Central's that a Server gets wrong, so that a test
// can show the conformance suite notices. Each value breaks exactly one rule
// and leaves every other as Central has it. Read a value as a sentence about
// the server: "the server AcceptsDurationsOver24h".
type Break int

const (
	// Faithful breaks nothing: the server answers as Central does.
	Faithful Break = iota
	// AcceptsDurationsOver24h drops the upper bound on
	// tokenExpirationDuration; the 1m lower bound stays.
	AcceptsDurationsOver24h
	// AcceptsValueExpressionsThatDoNotCompile skips compiling each mapping's
	// valueExpression; an empty one is still refused.
	AcceptsValueExpressionsThatDoNotCompile
	// AcceptsAnyGitHubActionsIssuer lets a GITHUB_ACTIONS config name an
	// issuer other than GitHub's; the https rule stays.
	AcceptsAnyGitHubActionsIssuer
	// AcceptsGenericConfigWithoutIssuer lets a GENERIC config leave its
	// issuer empty.
	AcceptsGenericConfigWithoutIssuer
	// AllowsDuplicateIssuers stores a config whose issuer another config
	// already has.
	AllowsDuplicateIssuers
	// AcceptsRequestsWithoutCredentials skips the bearer token check.
	AcceptsRequestsWithoutCredentials
	// KeepsTheClientID stores the id the client sent instead of a fresh
	// UUID (a fresh one is still made when none is sent).
	KeepsTheClientID
	// LeavesATraceOfRefusedRequests reserves the issuer before validating
	// and never releases it, so a refused request makes a later valid add
	// of that issuer get 409.
	LeavesATraceOfRefusedRequests
	// LetsConcurrentAddsOfOneIssuerBothWin checks that the issuer is free,
	// lets go of the store, waits a moment and only then inserts: adds of
	// one issuer that overlap all pass the check and all get stored.
	LetsConcurrentAddsOfOneIssuerBothWin

	endOfBreaks // not a Break: one past the last, for Breaks and valid
)

// Breaks returns every Break but Faithful, for tests that go through them
// all.
func Breaks() []Break {
	var all []Break
	for b := Faithful + 1; b < endOfBreaks; b++ {
		all = append(all, b)
	}
	return all
}

func (b Break) valid() bool { return b >= Faithful && b < endOfBreaks }

// String returns the name of the Break as a phrase, e.g. "accepts durations
// over 24h", so that test names read as sentences.
func (b Break) String() string {
	switch b {
	case Faithful:
		return "is faithful"
	case AcceptsDurationsOver24h:
		return "accepts durations over 24h"
	case AcceptsValueExpressionsThatDoNotCompile:
		return "accepts valueExpressions that do not compile"
	case AcceptsAnyGitHubActionsIssuer:
		return "accepts any GITHUB_ACTIONS issuer"
	case AcceptsGenericConfigWithoutIssuer:
		return "accepts a GENERIC config without issuer"
	case AllowsDuplicateIssuers:
		return "allows duplicate issuers"
	case AcceptsRequestsWithoutCredentials:
		return "accepts requests without credentials"
	case KeepsTheClientID:
		return "keeps the client's id"
	case LeavesATraceOfRefusedRequests:
		return "leaves a trace of refused requests"
	case LetsConcurrentAddsOfOneIssuerBothWin:
		return "lets concurrent adds of one issuer both win"
	default:
		return fmt.Sprintf("Break(%d)", int(b))
	}
}
