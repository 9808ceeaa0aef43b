package casegen

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/authcontract/authcontract/contracttests/conformance"
	"github.com/authcontract/authcontract/openapi/facts"
)

// m2mConfig is a V1AuthMachineToMachineConfig as a generated case builds it:
// a valid config, which mutations then break in exactly one place.
type m2mConfig struct {
	// configType is "" to leave the field out.
	configType string
	duration   string
	// issuer is nil to leave the field out.
	issuer   *string
	mappings []m2mMapping
	// mappingsOut leaves the mappings field out altogether.
	mappingsOut bool
	// id is "" to leave the field out; the client should not set it.
	id string
}

type m2mMapping struct {
	key, valueExpression, role string
}

// clone copies the config so that a mutation cannot touch the original.
func (c m2mConfig) clone() m2mConfig {
	c.mappings = append([]m2mMapping(nil), c.mappings...)
	if c.issuer != nil {
		issuer := *c.issuer
		c.issuer = &issuer
	}
	return c
}

// object is the config as a JSON object.
func (c m2mConfig) object() map[string]any {
	object := map[string]any{"tokenExpirationDuration": c.duration}
	if c.configType != "" {
		object["type"] = c.configType
	}
	if c.issuer != nil {
		object["issuer"] = *c.issuer
	}
	if !c.mappingsOut {
		mappings := make([]any, len(c.mappings))
		for i, m := range c.mappings {
			mappings[i] = map[string]any{"key": m.key, "valueExpression": m.valueExpression, "role": m.role}
		}
		object["mappings"] = mappings
	}
	if c.id != "" {
		object["id"] = c.id
	}
	return object
}

// marshal writes JSON without HTML escaping, so that a saved fixture reads
// as it was sent.
func marshal(value any) []byte {
	var b bytes.Buffer
	encoder := json.NewEncoder(&b)
	encoder.SetEscapeHTML(false)
	if err := encoder.Encode(value); err != nil {
		// Every value here is built from strings, maps and slices.
		panic("casegen: marshal: " + err.Error())
	}
	return bytes.TrimRight(b.Bytes(), "\n")
}

func ptr(s string) *string { return &s }

// effectiveType is the type a target must read: absent means GENERIC.
func (c m2mConfig) effectiveType() string {
	if c.configType == "" {
		return generic
	}
	return c.configType
}

const (
	generic       = "GENERIC"
	githubActions = "GITHUB_ACTIONS"
	githubIssuer  = facts.GitHubActionsIssuer
)

// simpler lists configs one step simpler than c that are just as valid:
// one mapping fewer (keeping one), a field's value closer to the simplest
// that the documents allow, an explicit GENERIC type left out.
func (c m2mConfig) simpler() []m2mConfig {
	var out []m2mConfig
	if len(c.mappings) > 1 {
		for i := range c.mappings {
			variant := c.clone()
			variant.mappings = append(variant.mappings[:i], variant.mappings[i+1:]...)
			out = append(out, variant)
		}
	}
	for i, m := range c.mappings {
		fields := []struct {
			value, canonical string
			keep             func(string) bool
			set              func(*m2mMapping, string)
		}{
			{m.key, "sub", nonEmpty, func(m *m2mMapping, v string) { m.key = v }},
			{m.valueExpression, ".*", func(s string) bool { return nonEmpty(s) && isRE2(s) }, func(m *m2mMapping, v string) { m.valueExpression = v }},
			{m.role, rolePlaceholder(0), isRolePlaceholder, func(m *m2mMapping, v string) { m.role = v }},
		}
		for _, field := range fields {
			for _, value := range shorterStrings(field.value, field.canonical, field.keep) {
				variant := c.clone()
				field.set(&variant.mappings[i], value)
				out = append(out, variant)
			}
		}
	}
	for _, duration := range shorterStrings(c.duration, "1h", isAllowedDuration) {
		variant := c.clone()
		variant.duration = duration
		out = append(out, variant)
	}
	if c.effectiveType() == generic && c.issuer != nil && *c.issuer != simplestIssuer {
		variant := c.clone()
		variant.issuer = ptr(simplestIssuer)
		out = append(out, variant)
	}
	if c.configType == generic {
		variant := c.clone()
		variant.configType = ""
		out = append(out, variant)
	}
	return out
}

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
	path := []string{"", "", "/", "/realms/ci-{unique}", "/{unique}/v2.0", "/oauth2/default-{unique}"}[pick(6)]
	if !strings.Contains(host+path, "{unique}") {
		path = "/tenants/{unique}"
	}
	return conformance.IssuerBasePlaceholder + host + port + path
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
	return rolePlaceholder(rng.IntN(conformance.RolePlaceholders))
}

func isRolePlaceholder(s string) bool {
	i, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(s, "{role:"), "}"))
	return err == nil && s == rolePlaceholder(i) && i < conformance.RolePlaceholders
}
