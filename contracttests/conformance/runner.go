package conformance

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/authcontract/authcontract/contracttests/fixture"
	"github.com/authcontract/authcontract/contracttests/rulebook"
	"github.com/authcontract/authcontract/openapi"
	"github.com/authcontract/authcontract/openapi/validation"
)

// Runner runs cases against one target. It is safe for concurrent use.
type Runner struct {
	target Target
	opts   Options
	client *http.Client
	// clients are the generated clients, for client_roundtrip.
	clients    clients
	validators map[openapi.API]*validation.Validator
	// responses lists each API's documented responses, read once from
	// its document; bodiless holds those the document gives no content.
	responses map[openapi.API][]string
	bodiless  map[openapi.API]map[string]bool
	// secretPaths are the response fields each document marks x-ms-secret,
	// whose values no report may show.
	secretPaths map[openapi.API][][]string
	// configTypes are the ACS config type names in the order of their
	// proto numbers, read from the document's enum.
	configTypes []string
	app         fixture.ContainerApp

	mu sync.Mutex
	// assignedIDs holds every ACS id the target assigned in this run, so
	// that a reused id is caught.
	assignedIDs map[string]string
	// runs counts Run calls: each gets its own {unique} value, so that a
	// case run again (while shrinking) does not collide with itself.
	runs int
	// shrinkBudget is how many shrink attempts the run has left.
	shrinkBudget int
	// created lists every ACS config the target stored in this run, for
	// the report and --cleanup.
	created []CreatedConfig
}

// Options say how a run judges and names what it sends.
type Options struct {
	// RunID makes the values that must be unique on a stateful target (ACS
	// issuers) differ from those of earlier runs.
	RunID string
	// Now is the clock expiries are judged by; nil means time.Now.
	Now func() time.Time
	// Strict turns warnings into failures: a target that accepts what only
	// the schema forbids fails, even where the real service accepts it too.
	Strict bool
	// Checks, when not empty, are the only checks judged (--checks,
	// --exclude-checks); a case none of whose checks is selected is not
	// sent at all.
	Checks []Check
	// Issuers, when set, serves the discovery documents of the GENERIC
	// issuers the run sends: {issuerBase} names it, and each issuer is
	// registered with it before it is sent. Nil sends made-up issuers.
	Issuers IssuerServer
}

// NewRunner checks the target and compiles both validators once.
func NewRunner(target Target, opts Options) (*Runner, error) {
	if err := target.check(); err != nil {
		return nil, err
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	app, _ := fixture.ParseContainerApp(target.ContainerApp) // checked above
	r := &Runner{
		target:       target,
		opts:         opts,
		client:       newClient(target),
		validators:   map[openapi.API]*validation.Validator{},
		responses:    map[openapi.API][]string{},
		bodiless:     map[openapi.API]map[string]bool{},
		secretPaths:  map[openapi.API][][]string{},
		app:          app,
		assignedIDs:  map[string]string{},
		shrinkBudget: shrinkBudget,
	}
	for _, api := range openapi.APIs() {
		v, err := validation.New(api)
		if err != nil {
			return nil, err
		}
		r.validators[api] = v
		r.responses[api], r.bodiless[api] = documentedResponses(v)
		r.secretPaths[api] = secretPaths(v)
	}
	types, err := enumOf(r.validators[openapi.ACSM2M], configTypeSchema)
	if err != nil {
		return nil, err
	}
	r.configTypes = types
	if r.clients, err = newClients(target, r.client); err != nil {
		return nil, err
	}
	return r, nil
}

// values fills the placeholders fixtures may use, with a {unique} of this
// call's own.
func (r *Runner) values() fixture.Values {
	r.mu.Lock()
	r.runs++
	unique := r.opts.RunID + "-" + strconv.Itoa(r.runs)
	r.mu.Unlock()
	return fixture.Placeholders{
		App: r.app, APIVersion: r.target.APIVersion, RunID: r.opts.RunID, Unique: unique,
		IssuerBase: r.issuerBase(), Roles: r.target.roles(),
	}.Values()
}

// Run sends the case's setup and request and judges the response with every
// check the case plans. No outcome carries a secret: the bearer token and
// every value of a field the document marks x-ms-secret are redacted.
func (r *Runner) Run(ctx context.Context, c Case) []Outcome {
	secrets := r.newScrubber()
	outcomes := r.run(ctx, c, secrets)
	secrets.scrubOutcomes(outcomes)
	return outcomes
}

// newScrubber knows the bearer token and the values of headers the user
// added whose names say they are secret; each answer adds its own secrets.
func (r *Runner) newScrubber() *scrubber {
	secrets := &scrubber{}
	secrets.add(r.target.Token)
	for name, values := range r.target.Headers {
		if secretHeader(name) {
			secrets.add(values...)
		}
	}
	return secrets
}

func (r *Runner) run(ctx context.Context, c Case, secrets *scrubber) []Outcome {
	values := r.values()
	base := baseOutcome(c)

	for i, step := range c.Fixture.Setup {
		req, body, err := build(ctx, r.target, values, step.Request)
		if err == nil {
			err = r.registerIssuer(body)
		}
		if err != nil {
			return r.allFailed(c, base, fmt.Sprintf("setup step %d: %v", i+1, err))
		}
		got := send(r.client, req, body, r.target.maxResponseBytes())
		secrets.add(secretsIn(got.body, r.secretPaths[c.API])...)
		r.noteCreated(c, req, got)
		base.Reproduce = curl(req, body, r.target.Token)
		if got.err != nil {
			base.timedOut = isTimeout(got.err)
			return r.allFailed(c, base, fmt.Sprintf("setup step %d: %v", i+1, got.err))
		}
		if why, ok := gitHubUnreachable(c.API, got); ok {
			return r.allSkipped(c, base, rulebook.GitHubUnreachable, fmt.Sprintf("setup step %d: %s", i+1, why))
		}
		if !step.Expect.Status.Allows(got.status) {
			return r.allFailed(c, base, fmt.Sprintf("setup step %d answered %d, want %s: %s", i+1, got.status, step.Expect.Status, excerpt(got.body)))
		}
	}

	replies, err := r.sendCase(ctx, c, values, &base)
	if err != nil {
		return r.allFailed(c, base, err.Error())
	}
	base.Status = replies[0].status
	for _, got := range replies {
		secrets.add(secretsIn(got.body, r.secretPaths[c.API])...)
		r.noteCreated(c, got.request, got)
	}
	for _, got := range replies {
		if got.err != nil {
			base.timedOut = isTimeout(got.err)
			return r.allFailed(c, base, got.err.Error())
		}
	}
	shown := replies[0]
	if winner, ok := firstAccepted(replies); ok {
		shown = winner
	}
	base.Status, base.Headers, base.Intermediary = shown.status, keptHeaders(shown.header), intermediary(shown.header, shown.body)
	for _, got := range replies {
		if why, ok := gitHubUnreachable(c.API, got); ok {
			return r.allSkipped(c, base, rulebook.GitHubUnreachable, why)
		}
	}

	planned := r.Planned(c)
	outcomes := make([]Outcome, 0, len(planned))
	for _, check := range planned {
		outcome := base
		outcome.Check = check
		if check == ClientRoundtrip {
			outcome.Result, outcome.Expected, outcome.Actual = r.roundtrip(ctx, c, base.Status, secrets)
		} else {
			outcome.Result, outcome.Expected, outcome.Actual = r.judgeReplies(check, c, values, replies)
		}
		r.ground(&outcome, c, replies[0].status)
		outcomes = append(outcomes, outcome)
	}
	return outcomes
}

// sendCase sends the case's request, or for a race case its copies all at
// once, and sets the reproduce line on base.
func (r *Runner) sendCase(ctx context.Context, c Case, values fixture.Values, base *Outcome) ([]sent, error) {
	copies := max(1, c.Fixture.Copies)
	requests := make([]*http.Request, copies)
	var body []byte
	for i := range requests {
		req, reqBody, err := build(ctx, r.target, values, c.Fixture.Request)
		if err != nil {
			return nil, err
		}
		requests[i], body = req, reqBody
	}
	if err := r.registerIssuer(body); err != nil {
		return nil, err
	}
	base.Reproduce = curl(requests[0], body, r.target.Token)
	if copies > 1 {
		base.Reproduce += fmt.Sprintf("  # sent %d times at once", copies)
	}
	replies := make([]sent, copies)
	var wg sync.WaitGroup
	for i, req := range requests {
		wg.Add(1)
		go func() {
			defer wg.Done()
			replies[i] = send(r.client, req, body, r.target.maxResponseBytes())
		}()
	}
	wg.Wait()
	return replies, nil
}

func firstAccepted(replies []sent) (sent, bool) {
	for _, got := range replies {
		if accepted(got.status) {
			return got, true
		}
	}
	return sent{}, false
}

func accepted(status int) bool { return status >= 200 && status < 300 }
func refused(status int) bool  { return status >= 400 && status < 500 }

// baseOutcome is what every outcome of c says about the case itself.
func baseOutcome(c Case) Outcome {
	return Outcome{
		API: c.API, Case: c.Name(), Grounds: c.Grounds(), Sentence: c.Fixture.Sentence, File: c.Fixture.File,
		Rule: c.Fixture.Rule, AlsoRules: c.alsoRules(), Generated: c.Simpler != nil,
	}
}

// allFailed reports every planned check as failed when no response could be
// judged.
func (r *Runner) allFailed(c Case, base Outcome, why string) []Outcome {
	return r.everyPlanned(c, base, Failed, "a response to judge", why)
}

// everyPlanned is one outcome per planned check of c, each base with the
// same result.
func (r *Runner) everyPlanned(c Case, base Outcome, result Result, expected, actual string) []Outcome {
	planned := r.Planned(c)
	outcomes := make([]Outcome, 0, len(planned))
	for _, check := range planned {
		outcome := base
		outcome.Check, outcome.Result = check, result
		outcome.Expected, outcome.Actual = expected, actual
		outcomes = append(outcomes, outcome)
	}
	return outcomes
}

// judgeReplies judges a check over every reply to the case: the case's
// verdict checks look at them all together, semantics at the accepted one,
// and the checks every answer must pass at each in turn, reporting the
// first that fails.
func (r *Runner) judgeReplies(check Check, c Case, values fixture.Values, replies []sent) (Result, string, string) {
	switch check {
	case SingleWinner:
		return judgeSingleWinner(replies)
	case Semantics:
		winner, ok := firstAccepted(replies)
		if !ok {
			return Skipped, "an accepted response to judge", fmt.Sprintf("%d: not accepted", replies[0].status)
		}
		return r.judgeSemantics(c, values, winner)
	}
	result, expected, actual := r.judge(check, c, replies[0])
	for _, got := range replies[1:] {
		if result != Passed && result != Skipped {
			break
		}
		result, expected, actual = r.judge(check, c, got)
	}
	return result, expected, actual
}

func (r *Runner) judge(check Check, c Case, got sent) (Result, string, string) {
	status := fmt.Sprintf("%d %s", got.status, excerpt(got.body))
	switch check {
	case StatusCode:
		return judgeStatusCode(c, r.responses[c.API], got)
	case PositiveAcceptance:
		return verdict(c.Fixture.Expect.Status.Allows(got.status), "status "+c.Fixture.Expect.Status.String()+": the documents allow this request", status)
	case NegativeRejection:
		return r.judgeRejection(c, got)
	case AuthRequired:
		return verdict(got.status == http.StatusUnauthorized, "401 for a request without valid credentials", status)
	case ContentType:
		if r.isBodiless(c.API, got.status) {
			return Passed, "any body or none: the document gives this answer no content", status
		}
		return judgeContentType(got)
	case ResponseSchema:
		result, expected, actual := judgeSchema(r.validators[c.API], got)
		if result == Failed && accepted(got.status) && c.Fixture.Expect.AcceptedUpstream != "" {
			// The stored config echoes what was sent, which only the
			// schema forbids: the answer is as tolerable as the request.
			return r.warning(expected+", though it echoes what the request sent", c.Fixture.Expect.AcceptedUpstream, actual)
		}
		return result, expected, actual
	case ErrorShape:
		switch {
		case got.status < 300:
			return Skipped, "an error body on a non-2xx", fmt.Sprintf("%d: not an error", got.status)
		case r.isBodiless(c.API, got.status):
			return Passed, "any body or none: the document gives this answer no content", status
		}
		return judgeErrorShape(c.API, got)
	}
	return Failed, "a known check", "unknown check " + string(check)
}

// judgeRejection wants a 4xx. A refusal that state on the target explains
// as well as the rule (expect.maskedBy) proves nothing, so it is skipped;
// an acceptance the real service would give too (expect.acceptedUpstream)
// is a warning, or a failure in a strict run.
func (r *Runner) judgeRejection(c Case, got sent) (Result, string, string) {
	expect := c.Fixture.Expect
	expected := "a 4xx status: the request breaks the documents (" + expect.Broken + ")"
	actual := fmt.Sprintf("%d %s", got.status, excerpt(got.body))
	switch {
	case refused(got.status) && expect.MaskedBy != nil && expect.MaskedBy.Status.Allows(got.status):
		return Skipped, expected, fmt.Sprintf("masked: %s — a %d here may be the state's answer rather than the rule's (%s), so it shows nothing about the rule; it is probed before this run creates that state, but the target may hold it from before",
			actual, got.status, expect.MaskedBy.Rule)
	case refused(got.status):
		return Passed, expected, actual
	case accepted(got.status) && expect.AcceptedUpstream != "":
		return r.warning(expected, expect.AcceptedUpstream, actual)
	}
	return Failed, expected, actual
}

// warning reports what the real service would do too under rule: a
// warning, or a failure in a strict run.
func (r *Runner) warning(expected, rule, actual string) (Result, string, string) {
	why := "the real service does so too (" + rule + ")"
	if r.opts.Strict {
		return Failed, expected + "; --strict: " + why, actual
	}
	return Warning, expected + "; a warning, since " + why, actual
}

// judgeSingleWinner wants exactly one of identical adds sent at once to be
// accepted and every other refused with a 4xx.
func judgeSingleWinner(replies []sent) (Result, string, string) {
	expected := fmt.Sprintf("exactly one of %d identical adds accepted, the others refused with a 4xx", len(replies))
	winners, counts := 0, map[int]int{}
	for _, got := range replies {
		counts[got.status]++
		if accepted(got.status) {
			winners++
		}
	}
	statuses := make([]int, 0, len(counts))
	for status := range counts {
		statuses = append(statuses, status)
	}
	slices.Sort(statuses)
	parts := make([]string, len(statuses))
	for i, status := range statuses {
		parts[i] = fmt.Sprintf("%d ×%d", status, counts[status])
	}
	actual := strings.Join(parts, ", ")
	losersRefused := winners+countRefused(replies) == len(replies)
	return verdict(winners == 1 && losersRefused, expected, actual)
}

func countRefused(replies []sent) int {
	n := 0
	for _, got := range replies {
		if refused(got.status) {
			n++
		}
	}
	return n
}

// ground says what an outcome's verdict rests on: the case's own rule for
// the checks that judge what the case sends, else the rule every answer
// must keep.
func (r *Runner) ground(o *Outcome, c Case, status int) {
	id, ownVerdict := r.verdictRule(o.Check, c, status)
	o.VerdictRule = id
	rule, err := rulebook.Find(c.API, id)
	if ownVerdict {
		o.Grounds, o.Sentence = c.Grounds(), c.Fixture.Sentence
		if err == nil {
			o.Source = rule.Source
		}
		return
	}
	o.Grounds, o.Sentence, o.Source = rule.Grounds, rule.Sentence, rule.Source
}

// verdictRule names the rule a check's verdict on c rests on, and whether
// that is the case's own rule.
func (r *Runner) verdictRule(check Check, c Case, status int) (string, bool) {
	switch check {
	case StatusCode:
		if c.Fixture.Kind == fixture.Method {
			return c.Fixture.Rule, true
		}
		return rulebook.DocumentedResponses, false
	case ContentType, ErrorShape:
		if r.isBodiless(c.API, status) {
			return rulebook.NotFoundAnyBody, false
		}
		if check == ContentType {
			return rulebook.JSONResponses, false
		}
		if c.API == openapi.ACSM2M {
			return rulebook.ErrorCodeFitsStatus, false
		}
		return rulebook.ErrorEnvelope, false
	case ResponseSchema:
		return rulebook.ResponseSchema, false
	case ClientRoundtrip:
		return rulebook.GeneratedClient, false
	}
	return c.Fixture.Rule, true
}

// isBodiless reports whether the document gives the answer with this
// status no content, so that any body or none will do.
func (r *Runner) isBodiless(api openapi.API, status int) bool {
	return r.bodiless[api][responseFor(r.responses[api], status)]
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
