package acsm2m

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	gen "github.com/authcontract/authcontract/generated/acsm2m"
)

// The fuzz targets in this file judge the reference server against the
// document's rules, and upstream Central's where the document is silent, as
// the test itself reads them (ruleViolations below), not through
// validate.go's helpers: an oracle that called durationSyntax or isHTTPSURL
// would agree with any bug in them.

// seedConfigs are the config objects both acsm2m fuzz targets start from:
// the document's sample, a GENERIC config, and configs breaking one rule each
// or not decoding at all. It is a function so that no test can change what
// another sees.
func seedConfigs() []string {
	return []string{
		// The OpenAPI document's sample (section 6.6 gives the values).
		`{"type":"GITHUB_ACTIONS","tokenExpirationDuration":"2h45m","issuer":"https://token.actions.githubusercontent.com","mappings":[{"key":"sub","valueExpression":"repo:octo-org/octo-repo:.*","role":"Continuous Integration"}]}`,
		`{"type":"GENERIC","tokenExpirationDuration":"1h30m15s","issuer":"https://issuer.example.com/realms/ci","mappings":[{"key":"sub","valueExpression":"^ci-[a-z]+$","role":"Admin"},{"key":"","valueExpression":".","role":"Analyst"}]}`,
		`{"tokenExpirationDuration":".5h","issuer":"https://[::1]:8443"}`,
		`{"tokenExpirationDuration":"60s","issuer":"HTTPS://Issuer.example.com"}`,
		`{"type":"GITHUB_ACTIONS","tokenExpirationDuration":"24h","mappings":[]}`,
		`{"id":"2f6b2c5e-8d0a-4d8e-9a53-1f1c7f0e2a61","type":"GENERIC","tokenExpirationDuration":"1m","issuer":"https://id.example.com"}`,
		// One rule broken each.
		`{"type":"GENERIC","tokenExpirationDuration":"25h","issuer":"https://issuer.example.com"}`,
		`{"type":"GENERIC","tokenExpirationDuration":"1d","issuer":"https://issuer.example.com"}`,
		`{"type":"GENERIC","tokenExpirationDuration":"1500ms","issuer":"https://issuer.example.com"}`,
		`{"type":"GENERIC","tokenExpirationDuration":"-1h","issuer":"https://issuer.example.com"}`,
		`{"type":"GENERIC","tokenExpirationDuration":"59s","issuer":"https://issuer.example.com"}`,
		`{"type":"GENERIC","tokenExpirationDuration":"2h","issuer":"http://issuer.example.com"}`,
		`{"type":"GENERIC","tokenExpirationDuration":"2h","issuer":"https://issuer.example.com","mappings":[{"key":"sub","valueExpression":"(?=x)","role":"CI"}]}`,
		`{"type":"GENERIC","tokenExpirationDuration":"2h","issuer":"ftp://issuer.example.com"}`,
		`{"type":"GITHUB_ACTIONS","tokenExpirationDuration":"2h","issuer":"https://token.actions.githubusercontent.com/"}`,
		`{"type":"OIDC","tokenExpirationDuration":"2h"}`,
		`{"type":"KUBE_SERVICE_ACCOUNT","tokenExpirationDuration":"2h","issuer":"https://kubernetes.default.svc"}`,
		`{"type":"GENERIC","tokenExpirationDuration":"2h","issuer":"https://issuer.example.com","mappings":[{"key":"sub","valueExpression":"","role":"Admin"}]}`,
		`{}`,
		// Wrong JSON types, which the generated type cannot hold.
		`{"tokenExpirationDuration":5,"issuer":["https://issuer.example.com"]}`,
		`{"type":true,"mappings":{"key":"sub"}}`,
		`{"id":"not-a-uuid","tokenExpirationDuration":"1h","issuer":"https://issuer.example.com"}`,
		`{"mappings":[null,{"valueExpression":null}],"tokenExpirationDuration":"1h","issuer":"https://x"}`,
		// Not JSON, or nested deeper than any config.
		`{"type":"GENERIC",`,
		`{"mappings":` + strings.Repeat("[", 64) + strings.Repeat("]", 64) + `}`,
	}
}

// maxDocumentedExpiration is the document's "허용되는 최대 만료 기간은 24h입니다"
// (the maximum allowed expiration duration is 24h), restated here.
const maxDocumentedExpiration = 24 * time.Hour

// minUpstreamExpiration is upstream Central's minimum, where the document
// states none (central/auth/service/service_impl.go), restated here.
const minUpstreamExpiration = time.Minute

// documentedGitHubIssuer is the only issuer the document allows a
// GITHUB_ACTIONS config besides none.
const documentedGitHubIssuer = "https://token.actions.githubusercontent.com"

// existingRoles are the roles a Central has from the start
// (pkg/defaults/accesscontrol/role.go, per behaviour.md), restated here
// rather than read from BuiltInRoles, so that a wrong list there shows up.
func existingRoles() map[string]bool {
	return map[string]bool{"Admin": true, "Analyst": true, "Continuous Integration": true, "None": true, "Sensor Creator": true}
}

// unknownRoles names the mappings whose role does not exist among roles:
// Central stores a mapping's role as a reference to a Role by name and
// refuses a broken reference with NOT_FOUND. It is apart from ruleViolations
// because it depends on the server's roles, not on the config alone.
func unknownRoles(config gen.V1AuthMachineToMachineConfig, roles map[string]bool) []string {
	if config.Mappings == nil {
		return nil
	}
	var unknown []string
	for i, mapping := range *config.Mappings {
		role := ""
		if mapping.Role != nil {
			role = *mapping.Role
		}
		if !roles[role] {
			unknown = append(unknown, fmt.Sprintf("mappings[%d].role %q", i, role))
		}
	}
	return unknown
}

// violation is one documented rule a config breaks, with the field a refusal
// must name.
type violation struct {
	field string
	rule  string
}

// ruleViolations lists the rules of the document's section 6.6.7.6, and of
// upstream Central where the document is silent, that config breaks, read
// independently of validate.go. Where both are silent (key, having no
// mappings) there is no rule. Whether a role exists depends on the server's
// roles, not on the config alone, so it is judged apart (unknownRoles).
func ruleViolations(config gen.V1AuthMachineToMachineConfig) []violation {
	var found []violation

	// An absent type is GENERIC, the enum's first value, as proto3 JSON reads
	// it. KUBE_SERVICE_ACCOUNT is newer than the document's Central, which
	// knows only the document's two types.
	configType := "GENERIC"
	typeKnown := true
	if config.Type != nil {
		configType = string(*config.Type)
		typeKnown = configType == "GENERIC" || configType == "GITHUB_ACTIONS"
		if !typeKnown {
			found = append(found, violation{"type", fmt.Sprintf("type %q is neither GENERIC nor GITHUB_ACTIONS", configType)})
		}
	}

	duration := ""
	if config.TokenExpirationDuration != nil {
		duration = *config.TokenExpirationDuration
	}
	if problem := durationProblem(duration); problem != "" {
		found = append(found, violation{"tokenExpirationDuration", problem})
	}

	issuer := ""
	if config.Issuer != nil {
		issuer = *config.Issuer
	}
	// With an unknown type no issuer rule applies.
	switch {
	case !typeKnown:
	case configType == "GITHUB_ACTIONS":
		if issuer != "" && issuer != documentedGitHubIssuer {
			found = append(found, violation{"issuer", fmt.Sprintf("GITHUB_ACTIONS issuer %q is neither empty nor %s", issuer, documentedGitHubIssuer)})
		}
	default:
		if problem := genericIssuerProblem(issuer); problem != "" {
			found = append(found, violation{"issuer", problem})
		}
	}

	if config.Mappings != nil {
		for i, mapping := range *config.Mappings {
			expression := ""
			if mapping.ValueExpression != nil {
				expression = *mapping.ValueExpression
			}
			// The document names RE2, which is what Go's regexp implements;
			// upstream Central also refuses an empty expression.
			if expression == "" {
				found = append(found, violation{fmt.Sprintf("mappings[%d]", i), "valueExpression is empty"})
				continue
			}
			if _, err := regexp.Compile(expression); err != nil {
				found = append(found, violation{fmt.Sprintf("mappings[%d]", i), fmt.Sprintf("valueExpression %q is not RE2: %v", expression, err)})
			}
		}
	}
	return found
}

// durationProblem applies the document's three statements about
// tokenExpirationDuration: it is validated with time.ParseDuration, the valid
// units are s, m and h, and the maximum is 24h; and upstream Central's
// minimum of 1m.
func durationProblem(value string) string {
	d, err := time.ParseDuration(value)
	if err != nil {
		return fmt.Sprintf("%q does not parse with time.ParseDuration: %v", value, err)
	}
	if !writtenInHoursMinutesSeconds(value) {
		return fmt.Sprintf("%q uses a unit or sign other than h, m and s", value)
	}
	if d > maxDocumentedExpiration {
		return fmt.Sprintf("%q (%s) exceeds 24h", value, d)
	}
	if d < minUpstreamExpiration {
		return fmt.Sprintf("%q (%s) is under Central's 1m", value, d)
	}
	return ""
}

// writtenInHoursMinutesSeconds reports whether value is one or more parts,
// each a decimal number (digits, with an optional fraction) followed by h, m
// or s. It scans by hand, rather than with a regular expression like
// validate.go, so that the two readings can disagree.
func writtenInHoursMinutesSeconds(value string) bool {
	if value == "" {
		return false
	}
	isDigit := func(c byte) bool { return '0' <= c && c <= '9' }
	for i := 0; i < len(value); {
		whole := 0
		for i < len(value) && isDigit(value[i]) {
			i++
			whole++
		}
		fraction := 0
		if i < len(value) && value[i] == '.' {
			i++
			for i < len(value) && isDigit(value[i]) {
				i++
				fraction++
			}
		}
		if whole == 0 && fraction == 0 {
			return false
		}
		// "ms" fails on its "s", which then has no number.
		if i == len(value) || !strings.ContainsRune("hms", rune(value[i])) {
			return false
		}
		i++
	}
	return true
}

// genericIssuerProblem: "Must be non-empty string containing URL when type is
// GENERIC"; upstream Central demands the scheme https of any issuer ("HTTPS
// is required for the issuer"), and an issuer is fetched, so it must name a
// host.
func genericIssuerProblem(issuer string) string {
	if issuer == "" {
		return "a GENERIC config needs an issuer"
	}
	u, err := url.Parse(issuer)
	if err != nil {
		return fmt.Sprintf("issuer %q is not a URL: %v", issuer, err)
	}
	// url.Parse lower-cases the scheme, as it does in Central.
	if u.Scheme != "https" {
		return fmt.Sprintf("issuer %q has scheme %q, not https", issuer, u.Scheme)
	}
	if u.Host == "" {
		return fmt.Sprintf("issuer %q names no host", issuer)
	}
	return ""
}

// FuzzValidateConfigJSON decodes arbitrary JSON into the generated config
// type and checks that validateConfig never panics, accepts exactly the
// configs the document's rules allow, names every broken field when it
// refuses, and leaves its argument alone. (FuzzValidateConfig in
// validate_test.go fuzzes the four string fields directly; this target also
// reaches absent fields, nulls and any number of mappings.)
func FuzzValidateConfigJSON(f *testing.F) {
	for _, seed := range seedConfigs() {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var config gen.V1AuthMachineToMachineConfig
		if err := json.Unmarshal(data, &config); err != nil {
			return // not a config: the handler's decoding step, fuzzed below, refuses it
		}
		before, err := json.Marshal(config)
		if err != nil {
			t.Fatalf("encode config before validation: %v", err)
		}

		err = validateConfig(config)

		after, marshalErr := json.Marshal(config)
		if marshalErr != nil {
			t.Fatalf("encode config after validation: %v", marshalErr)
		}
		if !bytes.Equal(before, after) {
			t.Errorf("validateConfig changed its argument:\nbefore %s\nafter  %s", before, after)
		}

		violations := ruleViolations(config)
		if err == nil {
			for _, v := range violations {
				t.Errorf("validateConfig accepted %s, which breaks a documented rule: %s", data, v.rule)
			}
			return
		}
		if len(violations) == 0 {
			t.Fatalf("validateConfig refused %s, which the document allows: %v", data, err)
		}
		var invalid *invalidConfigError
		if !errors.As(err, &invalid) || len(invalid.problems) == 0 {
			t.Fatalf("validateConfig returned %T (%v), want an *invalidConfigError listing problems", err, err)
		}
		// Every problem is reported at once, so that a client fixes them in
		// one round.
		for _, v := range violations {
			if !strings.Contains(err.Error(), v.field) {
				t.Errorf("refusal %q does not name %s, which breaks a rule: %s", err, v.field, v.rule)
			}
		}
	})
}

// FuzzValidateConfig checks that validateConfig never panics and that an
// accepted duration and issuer are always ones the rules allow.
func FuzzValidateConfig(f *testing.F) {
	for _, seed := range []struct{ configType, duration, issuer, expression string }{
		{"GENERIC", "2h45m", "https://issuer.example.com", "^ci-[a-z]+$"},
		{"GITHUB_ACTIONS", "24h", "", ".*"},
		{"", "1500ms", "not a url", "(?=x)"},
		{"OIDC", "-1h", "ftp://x", "["},
		{"GENERIC", "24h0m1s", "https://", `\`},
		{"GENERIC", ".5h", "http://[::1]:80/x", "(a)\\1"},
	} {
		f.Add(seed.configType, seed.duration, seed.issuer, seed.expression)
	}
	f.Fuzz(func(t *testing.T, configType, duration, issuer, expression string) {
		config := gen.V1AuthMachineToMachineConfig{
			TokenExpirationDuration: &duration,
			Issuer:                  &issuer,
			Mappings:                &[]gen.AuthMachineToMachineConfigMapping{{ValueExpression: &expression}},
		}
		if configType != "" {
			config.Type = ptr(gen.V1AuthMachineToMachineConfigType(configType))
		}
		if validateConfig(config) != nil {
			return
		}
		if problem := durationProblem(duration); problem != "" {
			t.Errorf("accepted tokenExpirationDuration %s", problem)
		}
		stored := withDefaults(config)
		if *stored.Type == gen.GITHUBACTIONS && *stored.Issuer != documentedGitHubIssuer {
			t.Errorf("accepted GITHUB_ACTIONS config stores issuer %q", *stored.Issuer)
		}
		if *stored.Type == gen.GENERIC {
			if problem := genericIssuerProblem(*stored.Issuer); problem != "" {
				t.Errorf("accepted GENERIC config: %s", problem)
			}
		}
		if *stored.Type != gen.GENERIC && *stored.Type != gen.GITHUBACTIONS {
			t.Errorf("accepted type %q, which this Central does not know", *stored.Type)
		}
	})
}

// ptr returns a pointer to a copy of v, for the generated types' optional fields.
func ptr[T any](v T) *T { return &v }
