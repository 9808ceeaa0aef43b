package conformance

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/authcontract/authcontract/contracttests/fixture"
	"github.com/authcontract/authcontract/contracttests/validation"
	"github.com/authcontract/authcontract/openapi"
)

// Runner runs cases against one target. It is safe for concurrent use.
type Runner struct {
	target     Target
	client     *http.Client
	validators map[openapi.API]*validation.Validator
	// responses lists each API's documented responses, read once from
	// its document.
	responses map[openapi.API][]string
	app       containerApp
	runID     string
	now       func() time.Time

	mu sync.Mutex
	// assignedIDs holds every ACS id the target assigned in this run, so
	// that a reused id is caught.
	assignedIDs map[string]string
	// runs counts Run calls: each gets its own {unique} value, so that a
	// case run again (while shrinking) does not collide with itself.
	runs int
	// shrinkBudget is how many shrink attempts the run has left.
	shrinkBudget int
}

// NewRunner checks the target and compiles both validators once. runID makes
// the values that must be unique on a stateful target (ACS issuers) differ
// from those of earlier runs.
func NewRunner(target Target, runID string, now func() time.Time) (*Runner, error) {
	if err := target.check(); err != nil {
		return nil, err
	}
	app, _ := parseContainerApp(target.ContainerApp) // checked above
	validators := map[openapi.API]*validation.Validator{}
	responses := map[openapi.API][]string{}
	for _, api := range openapi.APIs() {
		v, err := validation.New(api)
		if err != nil {
			return nil, err
		}
		validators[api], responses[api] = v, documentedResponses(v)
	}
	return &Runner{
		target:       target,
		client:       newClient(target.timeout()),
		validators:   validators,
		responses:    responses,
		app:          app,
		runID:        runID,
		now:          now,
		assignedIDs:  map[string]string{},
		shrinkBudget: shrinkBudget,
	}, nil
}

// values fills the placeholders fixtures may use. The resource group name
// comes in several casings, since the document makes it case-insensitive.
func (r *Runner) values() fixture.Values {
	r.mu.Lock()
	r.runs++
	unique := r.runID + "-" + strconv.Itoa(r.runs)
	r.mu.Unlock()
	group := r.app.resourceGroup
	return fixture.Values{
		"subscriptionId":              r.app.subscriptionID,
		"resourceGroupName":           group,
		"resourceGroupNameSwapped":    swapCase(group),
		"resourceGroupName:upper":     strings.ToUpper(group),
		"resourceGroupName:lower":     strings.ToLower(group),
		"resourceGroupName:alternate": alternateCase(group),
		"containerAppName":            r.app.name,
		"missingContainerAppName":     r.app.name + "-authcontract-missing-" + r.runID,
		"apiVersion":                  r.target.APIVersion,
		"runID":                       r.runID,
		"unique":                      unique,
	}
}

// Run sends the case's setup and request and judges the response with every
// check the case plans.
func (r *Runner) Run(ctx context.Context, c Case) []Outcome {
	values := r.values()
	base := baseOutcome(c)

	for i, step := range c.Fixture.Setup {
		req, body, err := build(ctx, r.target, values, step.Request)
		if err != nil {
			return allFailed(c, base, fmt.Sprintf("setup step %d: %v", i+1, err))
		}
		got := send(r.client, req, body, r.target.maxResponseBytes())
		base.Reproduce = curl(req, body, r.target.Token)
		if got.err != nil {
			base.timedOut = isTimeout(got.err)
			return allFailed(c, base, fmt.Sprintf("setup step %d: %v", i+1, got.err))
		}
		if !step.Expect.Status.Allows(got.status) {
			return allFailed(c, base, fmt.Sprintf("setup step %d answered %d, want %s: %s", i+1, got.status, step.Expect.Status, excerpt(got.body)))
		}
	}

	req, body, err := build(ctx, r.target, values, c.Fixture.Request)
	if err != nil {
		return allFailed(c, base, err.Error())
	}
	base.Reproduce = curl(req, body, r.target.Token)
	got := send(r.client, req, body, r.target.maxResponseBytes())
	base.Status = got.status
	if got.err != nil {
		base.timedOut = isTimeout(got.err)
		return allFailed(c, base, got.err.Error())
	}

	outcomes := make([]Outcome, 0, len(c.Checks()))
	for _, check := range c.Checks() {
		outcome := base
		outcome.Check = check
		outcome.Result, outcome.Expected, outcome.Actual = r.judge(check, c, values, got)
		outcomes = append(outcomes, outcome)
	}
	return outcomes
}

// baseOutcome is what every outcome of c says about the case itself.
func baseOutcome(c Case) Outcome {
	return Outcome{
		API: c.API, Case: c.Name(), Sentence: c.Fixture.Sentence, File: c.Fixture.File,
		Rule: c.Fixture.Rule, Generated: c.Simpler != nil,
	}
}

// allFailed reports every planned check as failed when no response could be
// judged.
func allFailed(c Case, base Outcome, why string) []Outcome {
	outcomes := make([]Outcome, 0, len(c.Checks()))
	for _, check := range c.Checks() {
		outcome := base
		outcome.Check, outcome.Result = check, Failed
		outcome.Expected, outcome.Actual = "a response to judge", why
		outcomes = append(outcomes, outcome)
	}
	return outcomes
}

func (r *Runner) judge(check Check, c Case, values fixture.Values, got sent) (Result, string, string) {
	status := fmt.Sprintf("%d %s", got.status, excerpt(got.body))
	switch check {
	case StatusCode:
		return judgeStatusCode(c, r.responses[c.API], got)
	case PositiveAcceptance:
		return verdict(c.Fixture.Expect.Status.Allows(got.status), "status "+c.Fixture.Expect.Status.String()+": the documents allow this request", status)
	case NegativeRejection:
		return verdict(got.status >= 400 && got.status < 500, "a 4xx status: the request breaks the documents ("+c.Fixture.Expect.Broken+")", status)
	case AuthRequired:
		return verdict(got.status == http.StatusUnauthorized, "401 for a request without valid credentials", status)
	case ContentType:
		return judgeContentType(got)
	case ResponseSchema:
		return judgeSchema(r.validators[c.API], got)
	case ErrorShape:
		if got.status < 300 {
			return Skipped, "an error body on a non-2xx", fmt.Sprintf("%d: not an error", got.status)
		}
		return judgeErrorShape(c.API, got)
	case Semantics:
		if got.status < 200 || got.status >= 300 {
			return Skipped, "an accepted response to judge", fmt.Sprintf("%d: not accepted", got.status)
		}
		return r.judgeSemantics(c, values, got)
	}
	return Failed, "a known check", "unknown check " + string(check)
}

func verdict(ok bool, expected, actual string) (Result, string, string) {
	if ok {
		return Passed, expected, actual
	}
	return Failed, expected, actual
}

// excerpt shortens a body for a one-line report.
func excerpt(body []byte) string {
	const max = 200
	text := strings.Join(strings.Fields(string(body)), " ")
	if len(text) > max {
		return text[:max] + "…"
	}
	return text
}

// alternateCase writes every other letter in upper case: "rg-one" becomes
// "Rg-OnE", a casing no one stores by accident.
func alternateCase(s string) string {
	upper := true
	return strings.Map(func(r rune) rune {
		if !unicode.IsLetter(r) {
			return r
		}
		upper = !upper
		if !upper {
			return unicode.ToUpper(r)
		}
		return unicode.ToLower(r)
	}, s)
}

// swapCase turns "rg" into "RG" and "Rg" into "rG", to send a resource group
// name in a casing the target did not store.
func swapCase(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		case r >= 'A' && r <= 'Z':
			return r - 'A' + 'a'
		}
		return r
	}, s)
}
