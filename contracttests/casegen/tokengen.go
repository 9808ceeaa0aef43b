package casegen

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"regexp"
	"strings"

	"github.com/authcontract/authcontract/contracttests/fixture"
	"github.com/authcontract/authcontract/contracttests/rulebook"
)

// The Container Apps parameters the rule layer speaks of, by name.
const (
	subscriptionParam = "subscriptionId"
	groupParam        = "resourceGroupName"
	appParam          = "containerAppName"
	apiVersionParam   = "api-version"
)

// azureGroupNameLength is the longest resource group name Azure allows
// (ARM's ResourceGroupNameParameter), for a document that states none.
const azureGroupNameLength = 90

// tokenRules is the Container Apps rule layer over one document.
type tokenRules struct {
	walker
	op *operation
	// refused are the parameters' schema breaks, grouped by parameter.
	refused [][]ruledBreak
	// Azure's naming rules are not in the document, so the shapes below
	// only make names that cannot exist on the target; "well formed" ones
	// follow the rules Azure publishes, within the lengths the schema
	// gives, and must get the documented 404.
	appNameShape   *regexp.Regexp
	groupNameShape *regexp.Regexp
	groupLength    [2]int
}

func newTokenRules(op *operation) (*tokenRules, error) {
	for _, name := range []string{subscriptionParam, groupParam, appParam, apiVersionParam} {
		if op.param(name) == nil {
			return nil, fmt.Errorf("the Container Apps rules speak of the parameter %s, which the document does not have", name)
		}
	}
	t := &tokenRules{op: op, appNameShape: regexp.MustCompile(`^[a-z][a-z0-9-]{0,30}[a-z0-9]$`)}
	group := op.param(groupParam).field
	longest := azureGroupNameLength
	if group.maxLength >= 0 {
		longest = group.maxLength
	}
	t.groupLength = [2]int{min(max(8, group.minLength), longest), longest}
	// A group name may not end in ".".
	shape := fmt.Sprintf(`^[-\w._()]{0,%d}[-\w_()]$`, max(0, min(longest-1, 999)))
	var err error
	if t.groupNameShape, err = regexp.Compile(shape); err != nil {
		return nil, fmt.Errorf("resource group name shape: %w", err)
	}
	t.strategies = t.fieldStrategies()
	probe := rand.New(rand.NewPCG(0, 0))
	byParam := map[*field]int{}
	for _, s := range paramSites(op.params) {
		if _, ok := t.breakValue(probe, s); !ok {
			continue
		}
		for _, r := range t.strategy(s.field).rulingsFor(s.kind) {
			if r.skip {
				continue
			}
			i, seen := byParam[s.field]
			if !seen {
				i = len(t.refused)
				byParam[s.field] = i
				t.refused = append(t.refused, nil)
			}
			t.refused[i] = append(t.refused[i], ruledBreak{site: s, ruling: r})
		}
	}
	for _, p := range op.params {
		if err := t.checkDraws(p.field); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// fieldStrategies send the target's own app, through placeholders the
// runner fills in per target, and the api-version the target supports.
func (t *tokenRules) fieldStrategies() map[string]strategy {
	placeholder := func(text string, sample func(*rand.Rand) string) strategy {
		return strategy{draw: func(*rand.Rand) any { return text }, filled: true, sample: sample}
	}
	// The document requires the api-version in words ("필수 (required):
	// True"); that it is not empty is ARM's, restated by the schema.
	required := ruling{rule: rulebook.APIVersionRequired, ruleGrounds: true}
	empty := ruling{rule: rulebook.APIVersionRequired, ruleGrounds: true, draw: func(*rand.Rand) (any, string) {
		return "", "the required api-version is empty"
	}}
	apiVersion := placeholder(targetAPIVersion, func(*rand.Rand) string { return "2023-08-01-preview" })
	apiVersion.rulings = map[string][]ruling{"required": {required}, "minLength": {empty}}
	return map[string]strategy{
		subscriptionParam: placeholder(existingSubscription, drawUUID),
		groupParam:        placeholder(existingGroup, t.wellFormedGroupName),
		appParam:          placeholder(existingApp, t.wellFormedAppName),
		apiVersionParam:   apiVersion,
	}
}

const (
	existingSubscription = "{subscriptionId}"
	existingGroup        = "{resourceGroupName}"
	existingApp          = "{containerAppName}"
	targetAPIVersion     = "{apiVersion}"
)

// newCase draws one Container Apps case.
func (t *tokenRules) newCase(rng *rand.Rand) tokenCase {
	switch roll := rng.IntN(100); {
	case roll < 35:
		return t.tokenForExistingApp(rng)
	case roll < 60:
		return t.tokenForMissingResource(rng)
	case roll < 75:
		return t.tokenWithoutCredentials(rng)
	default:
		return t.tokenBroken(rng)
	}
}

// caseOf returns a case of the given description sending allowed
// parameters: the target's app, its api-version, and whatever else the
// document asks for, drawn from its schema.
func (t *tokenRules) caseOf(rng *rand.Rand, a about) tokenCase {
	c := tokenCase{about: a, rules: t, params: map[string]string{}}
	for _, p := range t.op.params {
		if t.sends(rng, property{name: p.name, required: p.required, field: p.field}) {
			c.params[p.name] = fmt.Sprint(t.draw(rng, p.field))
		}
	}
	return c
}

// groupCasings write the target's resource group name in every casing:
// "이름은 대소문자를 구분하지 않습니다" (the name is case insensitive).
var groupCasings = []struct{ placeholder, casing string }{
	{"{resourceGroupName}", "as stored"},
	{"{resourceGroupName:upper}", "in upper case"},
	{"{resourceGroupName:lower}", "in lower case"},
	{"{resourceGroupName:alternate}", "in alternating case"},
	{"{resourceGroupNameSwapped}", "with its case swapped"},
}

// tokenForExistingApp asks for a token for the app the target has.
func (t *tokenRules) tokenForExistingApp(rng *rand.Rand) tokenCase {
	c := t.caseOf(rng, about{kind: fixture.Positive, status: accepted(), semantics: []string{"token_names_app", "token_is_usable"}})
	casing := groupCasings[rng.IntN(len(groupCasings))]
	c.params[groupParam] = casing.placeholder
	c.rule, c.title = rulebook.ResourceGroupCaseInsensitive, "a token for the existing app, resource group name "+casing.casing
	if casing.casing == "as stored" {
		c.rule, c.title = rulebook.TokenIssued, "a token for the existing app"
	}
	// Accept headers a client may send; none of them changes the answer.
	if accept := []string{"", "application/json", "*/*", "application/json, text/plain; q=0.5"}[rng.IntN(4)]; accept != "" {
		c.headers = map[string]string{"Accept": accept}
	}
	return c
}

// tokenForMissingResource names an app, resource group or subscription the
// target does not have: 404 Not Found, "찾을 수 없음".
func (t *tokenRules) tokenForMissingResource(rng *rand.Rand) tokenCase {
	c := t.caseOf(rng, about{kind: fixture.Documented, rule: rulebook.UnknownAppNotFound, status: fixture.Status{"404"}})
	switch rng.IntN(5) {
	case 0, 1:
		c.shrinkParam, c.params[appParam] = appParam, t.wellFormedAppName(rng)
		c.shrinkKeep = func(s string) bool { return t.appNameShape.MatchString(s) && len(s) >= 8 }
		c.title = "a token for an app the target does not have"
	case 2:
		c.shrinkParam, c.params[groupParam] = groupParam, t.wellFormedGroupName(rng)
		c.shrinkKeep = func(s string) bool { return t.groupNameShape.MatchString(s) && len(s) >= t.groupLength[0] }
		c.title = "a token for an app in a resource group the target does not have"
	case 3:
		// A subscription the caller cannot see may be answered 404 or
		// refused otherwise; the document does not say which.
		c.status = rejected()
		c.params[subscriptionParam] = fmt.Sprintf("%08x-%04x-4%03x-a%03x-%012x", rng.Uint32(), rng.IntN(1<<16), rng.IntN(1<<12), rng.IntN(1<<12), rng.Int64N(1<<48))
		c.title = "a token for an app in a subscription the target does not have"
	default:
		// A name Azure would never give an app: the document does not say
		// whether that is 404 or another refusal, so any 4xx will do.
		c.status = rejected()
		c.shrinkParam, c.params[appParam] = appParam, oddName(rng)
		c.shrinkKeep = func(s string) bool { return nonEmpty(s) && !t.appNameShape.MatchString(s) }
		c.title = "a token for an app whose name no app can have"
	}
	return c
}

func (t *tokenRules) wellFormedAppName(rng *rand.Rand) string {
	const letters, inner = "abcdefghijklmnopqrstuvwxyz", "abcdefghijklmnopqrstuvwxyz0123456789-"
	n := 8 + rng.IntN(25) // 8..32: long enough that no app has it by chance
	b := []byte{letters[rng.IntN(len(letters))]}
	for len(b) < n-1 {
		b = append(b, inner[rng.IntN(len(inner))])
	}
	return string(append(b, letters[rng.IntN(len(letters))]))
}

// wellFormedGroupName draws a name of Azure's characters, long enough that
// no group has it by chance, within the schema's lengths.
func (t *tokenRules) wellFormedGroupName(rng *rand.Rand) string {
	const chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.()"
	shortest, longest := t.groupLength[0], t.groupLength[1]
	n := shortest + rng.IntN(longest-shortest+1)
	b := make([]byte, 0, n)
	for len(b) < n-1 {
		b = append(b, chars[rng.IntN(len(chars))])
	}
	return string(append(b, 'x')) // a group name may not end in "."
}

func oddName(rng *rand.Rand) string {
	names := []string{
		"UPPER-CASE-APP", "app.with.dots", "app_with_underscores", "-leading-hyphen", "trailing-hyphen-",
		"컨테이너앱", "app name with spaces", "app%2Fslash", strings.Repeat("a", 33), strings.Repeat("long", 64),
	}
	if rng.IntN(3) == 0 {
		return randomRunes(rng, 3+rng.IntN(20))
	}
	return names[rng.IntN(len(names))]
}

// tokenWithoutCredentials asks for the existing app's token without valid
// credentials: the document's security is OAuth2 (azure_auth).
func (t *tokenRules) tokenWithoutCredentials(rng *rand.Rand) tokenCase {
	c := t.caseOf(rng, about{kind: fixture.Auth, rule: rulebook.OAuth2Required, status: fixture.Status{"401"}})
	c.creds, c.title = badCredentials(rng)
	return c
}

// tokenBroken breaks the request in one place: half the time a keyword of
// a parameter's schema (the api-version left out or empty, a resource
// group name over its length…), else an api-version no service has, or
// a method the document does not name.
func (t *tokenRules) tokenBroken(rng *rand.Rand) tokenCase {
	roll := rng.IntN(4)
	if roll < 2 && len(t.refused) > 0 {
		param := t.refused[rng.IntN(len(t.refused))]
		return t.schemaBreak(rng, param[rng.IntN(len(param))])
	}
	c := t.caseOf(rng, about{kind: fixture.Negative, status: rejected()})
	if roll%2 == 0 {
		// Values no service can have shipped, so that a target supporting
		// other versions than the document's is not wrongly blamed.
		version := []string{"latest", "v1", "9999-99-99", "2023-08-01-preview-authcontract", "2023-08-01-preview,2023-08-01-preview"}[rng.IntN(5)]
		c.rule, c.title = rulebook.APIVersionRequired, fmt.Sprintf("api-version %q is no version of this API", version)
		c.params[apiVersionParam] = version
		return c
	}
	// Not the operation's request at all: only its status is judged.
	c.kind, c.status = fixture.Method, fixture.Status{"4xx", "501"}
	c.method = []string{http.MethodGet, http.MethodPut, http.MethodPatch, http.MethodDelete}[rng.IntN(4)]
	c.rule, c.title = rulebook.OnlyPost, fmt.Sprintf("the method is %s; the document gives the operation as POST", c.method)
	return c
}

// schemaBreak sends allowed parameters but for the one b breaks.
func (t *tokenRules) schemaBreak(rng *rand.Rand, b ruledBreak) tokenCase {
	a := b.about()
	c := t.caseOf(rng, a)
	value, broken := t.drawBreak(rng, b, b.field.where)
	c.title = broken
	if b.kind == "required" {
		delete(c.params, b.field.name)
	} else {
		c.params[b.field.name] = fmt.Sprint(value)
	}
	return c
}
