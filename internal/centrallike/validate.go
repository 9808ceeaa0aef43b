package centrallike

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"time"

	"github.com/authcontract/authcontract/openapi/facts"
)

// gitHubActionsIssuer is the issuer of GitHub Actions' ID tokens, the only one
// a GITHUB_ACTIONS config may name.
const gitHubActionsIssuer = facts.GitHubActionsIssuer

// The message prefixes Central's errors carry: errox.InvalidArgs and the
// service's own sentinel errors, joined with ": " by fmt.Errorf("%w: %w").
const (
	invalidArgs       = "invalid arguments"
	invalidExpiration = "invalid token expiration duration provided"
	invalidIssuer     = "invalid token issuer provided"
	invalidRegex      = "invalid regular expression provided"
)

// resolveGitHubActionsIssuer fills in GitHub's issuer for a GITHUB_ACTIONS
// config that names none, as Central does before validating (service_impl.go,
// resolveGitHubActionsIssuer).
func resolveGitHubActionsIssuer(c *m2mConfig) {
	if c.typ == typeGitHubActions && c.issuer == "" {
		c.issuer = gitHubActionsIssuer
	}
}

// validateConfig applies Central's validateAuthMachineToMachineConfig
// (central/auth/service/service_impl.go), in its order and with its
// messages; every error it returns is an InvalidArgument. brk may turn one
// rule off.
func validateConfig(c m2mConfig, brk Break) error {
	duration, err := time.ParseDuration(c.tokenExpirationDuration)
	if err != nil {
		return fmt.Errorf("%s: %s: %w", invalidArgs, invalidExpiration, err)
	}
	tooLong := duration > facts.MaxTokenExpiration && brk != AcceptsDurationsOver24h
	if duration < facts.MinTokenExpiration || tooLong {
		return fmt.Errorf("%s: %s: token expiration must be between 1 minute and 24 hours, but was %s",
			invalidArgs, invalidExpiration, duration)
	}
	if err := validateIssuer(c, brk); err != nil {
		return err
	}
	return validateValueExpressions(c.mappings, brk)
}

// validateIssuer is Central's validateIssuer. A type number the enum does
// not declare is neither GENERIC nor GITHUB_ACTIONS, so only the https rule
// applies to it.
func validateIssuer(c m2mConfig, brk Break) error {
	if c.typ == typeGeneric && c.issuer == "" && brk != AcceptsGenericConfigWithoutIssuer {
		return fmt.Errorf("%s: %s: type GENERIC was used, but no configuration for the issuer was given",
			invalidArgs, invalidIssuer)
	}
	if c.typ == typeGitHubActions && c.issuer != gitHubActionsIssuer && brk != AcceptsAnyGitHubActionsIssuer {
		return fmt.Errorf("%s: %s: type GITHUB_ACTIONS was used, but an issuer other than %s was used: %q",
			invalidArgs, invalidIssuer, gitHubActionsIssuer, c.issuer)
	}
	if c.issuer == "" {
		return nil
	}
	parsed, err := url.Parse(c.issuer)
	if err != nil {
		return fmt.Errorf("%s: %s: %w", invalidArgs, invalidIssuer, err)
	}
	if parsed.Scheme != "https" {
		return fmt.Errorf("%s: %s: HTTPS is required for the issuer", invalidArgs, invalidIssuer)
	}
	return nil
}

// validateValueExpressions reports every bad valueExpression at once, as
// Central joins them: an empty one, and one Go's regexp (RE2) will not
// compile.
func validateValueExpressions(mappings []mapping, brk Break) error {
	var problems []error
	for _, m := range mappings {
		if m.valueExpression == "" {
			problems = append(problems, fmt.Errorf("%s for key %q: empty regex given", invalidRegex, m.key))
		}
		if brk == AcceptsValueExpressionsThatDoNotCompile {
			continue
		}
		if _, err := regexp.Compile(m.valueExpression); err != nil {
			problems = append(problems, fmt.Errorf("%s for key %q: %w", invalidRegex, m.key, err))
		}
	}
	if err := errors.Join(problems...); err != nil {
		return fmt.Errorf("%s: %w", invalidArgs, err)
	}
	return nil
}
