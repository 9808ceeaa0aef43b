package conformance

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/authcontract/authcontract/contracttests/rulebook"
	"github.com/authcontract/authcontract/openapi"
	"github.com/authcontract/authcontract/openapi/facts"
)

// gitHubUnreachable says why got shows nothing about any rule when it is a
// GITHUB_ACTIONS add naming GitHub's issuer, or none, that the target
// answered 500 with code 13: a Central that discovers issuers answers so
// when it cannot fetch GitHub's discovery document, which is how it was
// deployed (without internet access), not how it keeps the contract
// (rulebook.GitHubUnreachable). Any other 500 stays a failure: a GENERIC
// add, a GITHUB_ACTIONS add naming another issuer (validation should have
// refused it), or a 500 with another code.
func gitHubUnreachable(api openapi.API, got sent) (string, bool) {
	if api != openapi.ACSM2M || got.err != nil || got.status != http.StatusInternalServerError ||
		got.request.Method != http.MethodPost || !addsGitHubConfig(got.requestBody) || runtimeErrorCode(got.body) != facts.CodeInternal {
		return "", false
	}
	return fmt.Sprintf("GitHub's discovery document (%s/.well-known/openid-configuration) could not be fetched by the target — "+
		"a deployment without internet access, not a breach of the contract (rule %s); it answered the GITHUB_ACTIONS add with %d %s",
		githubIssuer, rulebook.GitHubUnreachable, got.status, excerpt(got.body)), true
}

// addsGitHubConfig reports whether body is a GITHUB_ACTIONS config (by name,
// or by its proto number, 1) whose issuer is GitHub's or left to default
// to it: one whose discovery goes to GitHub.
func addsGitHubConfig(body []byte) bool {
	config, err := readSentConfig(body)
	if err != nil {
		return false
	}
	isGitHub := string(config.rawType) == `"`+githubActions+`"` || string(config.rawType) == "1"
	return isGitHub && (config.issuer() == "" || config.issuer() == githubIssuer)
}

// runtimeErrorCode reads RuntimeError.code, or -1 when there is none.
func runtimeErrorCode(body []byte) int {
	runtimeError, err := readRuntimeError(body)
	if err != nil || runtimeError.Code == nil {
		return -1
	}
	return int(*runtimeError.Code)
}

// allSkipped reports every planned check of c as skipped for why, resting
// on the rule that explains why the answer shows nothing.
func (r *Runner) allSkipped(c Case, base Outcome, ruleID, why string) []Outcome {
	rule := rulebook.MustFind(c.API, ruleID)
	base.AlsoRules = append(slices.Clone(base.AlsoRules), rule.ID)
	base.VerdictRule, base.Grounds, base.Sentence, base.Source = rule.ID, rule.Grounds, rule.Sentence, rule.Source
	return r.everyPlanned(c, base, Skipped, "an answer that shows whether the target keeps the rule", why)
}
