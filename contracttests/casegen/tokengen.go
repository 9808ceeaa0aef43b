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

// newTokenCase draws one Container Apps case.
func newContainerAppsCase(rng *rand.Rand) tokenCase {
	switch roll := rng.IntN(100); {
	case roll < 35:
		return tokenForExistingApp(rng)
	case roll < 60:
		return tokenForMissingResource(rng)
	case roll < 75:
		return tokenWithoutCredentials(rng)
	default:
		return tokenBroken(rng)
	}
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
func tokenForExistingApp(rng *rand.Rand) tokenCase {
	c := newTokenCase()
	c.kind, c.status, c.semantics = fixture.Positive, accepted(), []string{"token_names_app", "token_is_usable"}
	casing := groupCasings[rng.IntN(len(groupCasings))]
	c.group = casing.placeholder
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

// Azure's naming rules are not in the document, so the shapes below only
// make names that cannot exist on the target; "well formed" ones follow
// the rules Azure publishes, and must get the documented 404.
var (
	appNameShape   = regexp.MustCompile(`^[a-z][a-z0-9-]{0,30}[a-z0-9]$`)
	groupNameShape = regexp.MustCompile(`^[-\w._()]{0,89}[-\w_()]$`)
)

// tokenForMissingResource names an app, resource group or subscription the
// target does not have: 404 Not Found, "찾을 수 없음".
func tokenForMissingResource(rng *rand.Rand) tokenCase {
	c := newTokenCase()
	c.kind, c.rule = fixture.Documented, rulebook.UnknownAppNotFound
	c.status = fixture.Status{"404"}
	switch rng.IntN(5) {
	case 0, 1:
		c.name, c.nameKeep = wellFormedAppName(rng), func(s string) bool { return appNameShape.MatchString(s) && len(s) >= 8 }
		c.nameAt = func(c *tokenCase) *string { return &c.app }
		c.title = "a token for an app the target does not have"
	case 2:
		c.name, c.nameKeep = wellFormedGroupName(rng), func(s string) bool { return groupNameShape.MatchString(s) && len(s) >= 8 }
		c.nameAt = func(c *tokenCase) *string { return &c.group }
		c.title = "a token for an app in a resource group the target does not have"
	case 3:
		// A subscription the caller cannot see may be answered 404 or
		// refused otherwise; the document does not say which.
		c.status = rejected()
		c.name = fmt.Sprintf("%08x-%04x-4%03x-a%03x-%012x", rng.Uint32(), rng.IntN(1<<16), rng.IntN(1<<12), rng.IntN(1<<12), rng.Int64N(1<<48))
		c.nameKeep = func(string) bool { return false }
		c.nameAt = func(c *tokenCase) *string { return &c.subscription }
		c.title = "a token for an app in a subscription the target does not have"
	default:
		// A name Azure would never give an app: the document does not say
		// whether that is 404 or another refusal, so any 4xx will do.
		c.status = rejected()
		c.name = oddName(rng)
		c.nameKeep = func(s string) bool { return nonEmpty(s) && !appNameShape.MatchString(s) }
		c.nameAt = func(c *tokenCase) *string { return &c.app }
		c.title = "a token for an app whose name no app can have"
	}
	return c
}

func wellFormedAppName(rng *rand.Rand) string {
	const letters, inner = "abcdefghijklmnopqrstuvwxyz", "abcdefghijklmnopqrstuvwxyz0123456789-"
	n := 8 + rng.IntN(25) // 8..32: long enough that no app has it by chance
	b := []byte{letters[rng.IntN(len(letters))]}
	for len(b) < n-1 {
		b = append(b, inner[rng.IntN(len(inner))])
	}
	return string(append(b, letters[rng.IntN(len(letters))]))
}

func wellFormedGroupName(rng *rand.Rand) string {
	const chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.()"
	n := 8 + rng.IntN(83) // up to 90, Azure's limit
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
func tokenWithoutCredentials(rng *rand.Rand) tokenCase {
	c := newTokenCase()
	c.kind, c.rule, c.status = fixture.Auth, rulebook.OAuth2Required, fixture.Status{"401"}
	c.creds, c.title = badCredentials(rng)
	return c
}

// tokenBroken breaks the request in one place: the api-version the
// document requires, or the method it names.
func tokenBroken(rng *rand.Rand) tokenCase {
	c := newTokenCase()
	c.kind, c.status = fixture.Negative, rejected()
	switch rng.IntN(4) {
	case 0:
		c.rule, c.title, c.apiVersion = rulebook.APIVersionRequired, "the required api-version query parameter is missing", nil
	case 1:
		c.rule, c.title, c.apiVersion = rulebook.APIVersionRequired, "the required api-version is empty", ptr("")
	case 2:
		// Values no service can have shipped, so that a target supporting
		// other versions than the document's is not wrongly blamed.
		version := []string{"latest", "v1", "9999-99-99", "2023-08-01-preview-authcontract", "2023-08-01-preview,2023-08-01-preview"}[rng.IntN(5)]
		c.rule, c.title, c.apiVersion = rulebook.APIVersionRequired, fmt.Sprintf("api-version %q is no version of this API", version), ptr(version)
	default:
		// Not the operation's request at all: only its status is judged.
		c.kind, c.status = fixture.Method, fixture.Status{"4xx", "501"}
		c.method = []string{http.MethodGet, http.MethodPut, http.MethodPatch, http.MethodDelete}[rng.IntN(4)]
		c.rule, c.title = rulebook.OnlyPost, fmt.Sprintf("the method is %s; the document gives the operation as POST", c.method)
	}
	return c
}
