package acsm2m

import (
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	gen "github.com/authcontract/authcontract/generated/acsm2m"

	"github.com/authcontract/authcontract/openapi/facts"
)

// The GitHub issuer and the bounds of a token's expiration are the
// documents' and Central's (package facts): [1m, 24h], bounds included, so
// 59s is refused and 1m accepted.
const (
	githubIssuer       = facts.GitHubActionsIssuer
	maxTokenExpiration = facts.MaxTokenExpiration
	minTokenExpiration = facts.MinTokenExpiration
)

// durationSyntax is the OpenAPI document's pattern for
// tokenExpirationDuration, read from the document: Go durations written
// with only h, m and s and no sign. time.ParseDuration alone would also
// take "1500ms", "-1h" and "0".
var durationSyntax = facts.MustTokenExpirationSyntax()

// invalidConfigError lists every rule a config breaks, so that a client can
// fix them all in one round.
type invalidConfigError struct {
	problems []string
}

func (e *invalidConfigError) Error() string {
	return "invalid config: " + strings.Join(e.problems, "; ")
}

// validateConfig checks a config as sent against the rules of the document's
// section 6.6.7.6 and, where the document is silent, against what the real
// Central checks before storing (validateAuthMachineToMachineConfig in
// central/auth/service/service_impl.go, as ../shared/upstream/behaviour.md
// reads it). It returns nil or an *invalidConfigError. It reads nothing but
// its argument, so it can be tested and fuzzed on its own; what depends on
// what is stored (a unique issuer, roles that exist) is the store's job.
//
// Where both are silent it lets the config through: key may be any string,
// and a config may have no mappings (the document needs one only for a token
// to be issued, not for the config to be added).
func validateConfig(config gen.V1AuthMachineToMachineConfig) error {
	var problems []string
	add := func(problem string) {
		if problem != "" {
			problems = append(problems, problem)
		}
	}
	configType, typeProblem := effectiveType(config.Type)
	add(typeProblem)
	add(checkTokenExpiration(deref(config.TokenExpirationDuration)))
	// With an unknown type there is no rule to judge the issuer by.
	if typeProblem == "" {
		add(checkIssuer(configType, deref(config.Issuer)))
	}
	if config.Mappings != nil {
		for i, mapping := range *config.Mappings {
			add(checkValueExpression(i, deref(mapping.ValueExpression)))
		}
	}
	if len(problems) > 0 {
		return &invalidConfigError{problems: problems}
	}
	return nil
}

// effectiveType reads an absent type as GENERIC, the enum's first value,
// which is how proto3 JSON reads a missing enum field.
//
// The spec also lists KUBE_SERVICE_ACCOUNT, which newer Centrals accept, so
// that their answers validate. This reference stands for the Central the
// document describes, which predates that type, so it refuses it.
func effectiveType(sent *gen.V1AuthMachineToMachineConfigType) (gen.V1AuthMachineToMachineConfigType, string) {
	switch {
	case sent == nil:
		return gen.GENERIC, ""
	case *sent == gen.GENERIC || *sent == gen.GITHUBACTIONS:
		return *sent, ""
	case *sent == gen.KUBESERVICEACCOUNT:
		return "", fmt.Sprintf("type %q is not supported by this Central, which knows only %s and %s (newer Centrals add it)", *sent, gen.GENERIC, gen.GITHUBACTIONS)
	default:
		return "", fmt.Sprintf("type %q is not one of %s and %s", *sent, gen.GENERIC, gen.GITHUBACTIONS)
	}
}

func checkTokenExpiration(value string) string {
	// The document defers to time.ParseDuration, which refuses "", so the
	// field is required.
	if value == "" {
		return `tokenExpirationDuration is required, for example "2h45m"`
	}
	duration, err := time.ParseDuration(value)
	if err != nil {
		return fmt.Sprintf("tokenExpirationDuration %q is not a duration such as \"2h45m\" (%v)", value, err)
	}
	if !durationSyntax.MatchString(value) {
		return fmt.Sprintf("tokenExpirationDuration %q must be written with only the units h, m and s and no sign, for example \"2h45m\"", value)
	}
	if duration > maxTokenExpiration {
		return fmt.Sprintf("tokenExpirationDuration %q exceeds the maximum of 24h", value)
	}
	if duration < minTokenExpiration {
		return fmt.Sprintf("tokenExpirationDuration %q is under the minimum of 1m", value)
	}
	return ""
}

// checkIssuer applies the document's rules per type and Central's rule for
// every non-empty issuer: an https URL. A GITHUB_ACTIONS config may name only
// GitHub's issuer, which is https, so the second rule adds nothing there.
func checkIssuer(configType gen.V1AuthMachineToMachineConfigType, issuer string) string {
	switch configType {
	case gen.GITHUBACTIONS:
		if issuer != "" && issuer != githubIssuer {
			return fmt.Sprintf("issuer %q is not allowed for a GITHUB_ACTIONS config: leave it empty or set it to %q", issuer, githubIssuer)
		}
	default:
		if issuer == "" {
			return `issuer is required for a GENERIC config, for example "https://issuer.example.com"`
		}
		if !isHTTPSURL(issuer) {
			return fmt.Sprintf("issuer %q is not an https URL with a host: HTTPS is required for the issuer", issuer)
		}
	}
	return ""
}

// isHTTPSURL is how this implementation reads "a string containing a URL".
// The scheme must be https, as Central demands of any issuer ("HTTPS is
// required for the issuer", central/auth/service/service_impl.go); url.Parse
// lower-cases the scheme, so HTTPS:// passes there as here. The host is this
// reference's own demand: Central would take "https://" and then fail to
// discover it (500), and a refusal says more.
func isHTTPSURL(value string) bool {
	u, err := url.Parse(value)
	return err == nil && u.Scheme == "https" && u.Host != ""
}

// checkValueExpression compiles with Go's regexp, which implements RE2
// syntax, the format the document names. An empty expression compiles, but
// Central refuses it (central/auth/service/service_impl.go, see
// behaviour.md), and so does the spec's minLength.
func checkValueExpression(index int, expression string) string {
	if expression == "" {
		return fmt.Sprintf("mappings[%d].valueExpression is empty: it must be a non-empty RE2 regular expression", index)
	}
	if _, err := regexp.Compile(expression); err != nil {
		return fmt.Sprintf("mappings[%d].valueExpression %q is not a valid RE2 regular expression: %v", index, expression, err)
	}
	return ""
}

// withDefaults returns the config as it is stored: type and GitHub issuer
// filled in where the request left them out, and mappings as [] rather than
// absent, so that a reader always finds a list. Everything else is kept as
// sent. It expects a config that passed validateConfig.
func withDefaults(config gen.V1AuthMachineToMachineConfig) gen.V1AuthMachineToMachineConfig {
	configType, _ := effectiveType(config.Type)
	config.Type = &configType
	if configType == gen.GITHUBACTIONS && deref(config.Issuer) == "" {
		issuer := githubIssuer
		config.Issuer = &issuer
	}
	if config.Mappings == nil {
		config.Mappings = &[]gen.AuthMachineToMachineConfigMapping{}
	}
	return config
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
