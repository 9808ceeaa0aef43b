package casegen

import (
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/authcontract/authcontract/contracttests/conformance"
	"github.com/authcontract/authcontract/contracttests/fixture"
	"github.com/authcontract/authcontract/openapi/facts"
)

const (
	generic       = "GENERIC"
	githubActions = "GITHUB_ACTIONS"
	githubIssuer  = facts.GitHubActionsIssuer
)

// simplestIssuer is the plainest GENERIC issuer; {unique} keeps it apart
// from every other config on the target.
const simplestIssuer = conformance.IssuerBasePlaceholder + "issuer-{unique}.authcontract.test"

// genericIssuer is an https URL naming an OIDC provider of this run alone:
// a host, sometimes a port, sometimes a realm path. The document asks for
// a URL; Central asks for https (rulebook.IssuerHTTPS), so an allowed
// issuer is https and an http one is an open case (httpIssuer).
//
// It begins with {issuerBase}: "https://" when the run sends made-up
// issuers, or the base URL of the run's issuer server, which the made-up
// issuer then becomes a path of, so that a target which discovers issuers
// before storing them, as Central does, can discover this one.
func genericIssuer(pick func(int) int) string {
	host := []string{"issuer-{unique}.authcontract.test", "{unique}.oidc.example.com", "login.example.org"}[pick(3)]
	port := []string{"", "", ":8443", ":443"}[pick(4)]
	route := []string{"", "", "/", "/realms/ci-{unique}", "/{unique}/v2.0", "/oauth2/default-{unique}"}[pick(6)]
	if !strings.Contains(host+route, "{unique}") {
		route = "/tenants/{unique}"
	}
	return conformance.IssuerBasePlaceholder + host + port + route
}

// httpIssuer is a generic issuer made up over http: no issuer server
// serves it, since Central refuses it before discovery.
func httpIssuer(issuer string) string {
	return strings.Replace(issuer, conformance.IssuerBasePlaceholder, "http://", 1)
}

// rolePlaceholder names the target's i-th role ({role:i}, filled in per
// target, round robin): Central refuses a mapping to a role it does not
// have (rulebook.RoleExists), so allowed mappings name roles the user
// says exist (--role).
func rolePlaceholder(i int) string { return "{role:" + strconv.Itoa(i) + "}" }

func randomRole(rng *rand.Rand) string {
	return rolePlaceholder(rng.IntN(fixture.RolePlaceholders))
}

func isRolePlaceholder(s string) bool {
	i, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(s, "{role:"), "}"))
	return err == nil && s == rolePlaceholder(i) && i < fixture.RolePlaceholders
}
