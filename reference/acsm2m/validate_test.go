//go:build !fuzzing

// Left out of `make fuzz` builds (-tags fuzzing): these tests judge replies
// with both OpenAPI validators, and building those libraries with fuzzing
// instrumentation costs CI minutes the fuzz targets do not need.

package acsm2m

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	gen "github.com/authcontract/authcontract/generated/acsm2m"
)

// ruleCase is one config sent over HTTP: either accepted (wantMessage empty)
// or refused with 400 INVALID_ARGUMENT and a message holding wantMessage.
type ruleCase struct {
	name        string
	config      func(issuer string) map[string]any
	wantMessage string
}

// runRuleCases sends each case to its own server, so that the issuer's
// uniqueness never decides a case.
func runRuleCases(t *testing.T, cases []ruleCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, Config{})
			r := h.send(t, post(addRequest(t, tc.config(h.uniqueIssuer()))))
			if tc.wantMessage == "" {
				r.config(t)
				return
			}
			message := r.wantError(t, http.StatusBadRequest, codeInvalidArgument)
			if !strings.Contains(message, tc.wantMessage) {
				t.Errorf("message %q does not contain %q", message, tc.wantMessage)
			}
		})
	}
}

func withDuration(value any) func(string) map[string]any {
	return func(issuer string) map[string]any {
		return with(genericConfig(issuer), "tokenExpirationDuration", value)
	}
}

func TestTokenExpirationDurationRules(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"the document's example 2h45m is accepted", withDuration("2h45m"), ""},
		{"exactly 24h is accepted", withDuration("24h"), ""},
		{"24h written in minutes is accepted", withDuration("1440m"), ""},
		{"24h written in seconds is accepted", withDuration("86400s"), ""},
		{"a mix of h, m and s is accepted", withDuration("1h30m15s"), ""},
		{"a fraction of an hour is accepted", withDuration("1.5h"), ""},
		{"a fraction without a leading digit is accepted", withDuration(".5h"), ""},
		{"exactly 1m, Central's minimum, is accepted", withDuration("1m"), ""},
		{"1m written in seconds is accepted", withDuration("60s"), ""},
		{"59s, under Central's minimum of 1m, is refused with INVALID_ARGUMENT", withDuration("59s"), `tokenExpirationDuration "59s" is under the minimum of 1m`},
		{"a fraction just under 1m is refused with INVALID_ARGUMENT", withDuration("0.99m"), "under the minimum of 1m"},
		{"0s is refused with INVALID_ARGUMENT, as Central refuses anything under 1m", withDuration("0s"), `"0s" is under the minimum of 1m`},
		{"a duration over 24h is refused with INVALID_ARGUMENT", withDuration("25h"), `tokenExpirationDuration "25h" exceeds the maximum of 24h`},
		{"one second over 24h is refused with INVALID_ARGUMENT", withDuration("24h0m1s"), `"24h0m1s" exceeds the maximum of 24h`},
		{"a fraction just over 24h is refused with INVALID_ARGUMENT", withDuration("24.001h"), "exceeds the maximum of 24h"},
		{"milliseconds are refused with INVALID_ARGUMENT", withDuration("1500ms"), `"1500ms" must be written with only the units h, m and s`},
		{"microseconds are refused with INVALID_ARGUMENT", withDuration("10us"), "only the units h, m and s"},
		{"nanoseconds are refused with INVALID_ARGUMENT", withDuration("5ns"), "only the units h, m and s"},
		{"a mix with milliseconds is refused with INVALID_ARGUMENT", withDuration("1h500ms"), "only the units h, m and s"},
		{"a negative duration is refused with INVALID_ARGUMENT", withDuration("-1h"), "no sign"},
		{"a plus sign is refused with INVALID_ARGUMENT", withDuration("+1h"), "no sign"},
		{"a bare 0 without a unit is refused with INVALID_ARGUMENT", withDuration("0"), "only the units h, m and s"},
		{"days are refused with INVALID_ARGUMENT", withDuration("1d"), `"1d" is not a duration such as "2h45m"`},
		{"words are refused with INVALID_ARGUMENT", withDuration("two hours"), "is not a duration"},
		{"a space between parts is refused with INVALID_ARGUMENT", withDuration("1h 30m"), "is not a duration"},
		{"an upper-case unit is refused with INVALID_ARGUMENT", withDuration("2H"), "is not a duration"},
		{"a duration too large for Go is refused with INVALID_ARGUMENT", withDuration("9999999999999h"), "is not a duration"},
		{"an empty duration is refused with INVALID_ARGUMENT", withDuration(""), "tokenExpirationDuration is required"},
		{"a missing duration is refused with INVALID_ARGUMENT", withDuration(absent), "tokenExpirationDuration is required"},
		{"a null duration is refused with INVALID_ARGUMENT", withDuration(nil), "tokenExpirationDuration is required"},
	})
}

func withMappings(mappings ...any) func(string) map[string]any {
	return func(issuer string) map[string]any {
		return with(genericConfig(issuer), "mappings", mappings)
	}
}

func mapping(key, valueExpression, role string) map[string]any {
	return map[string]any{"key": key, "valueExpression": valueExpression, "role": role}
}

func TestMappingRules(t *testing.T) {
	valid := mapping("sub", "^ci-[a-z]+$", "Continuous Integration")
	runRuleCases(t, []ruleCase{
		{"an RE2 value expression is accepted", withMappings(valid), ""},
		{"RE2 character classes and named groups are accepted", withMappings(mapping("sub", `^repo:(?P<org>[\pL\d-]+)/.*$`, "Analyst")), ""},
		{"zero mappings are accepted because the document requires them only to issue tokens", withMappings(), ""},
		{"absent mappings are accepted", func(issuer string) map[string]any {
			return with(genericConfig(issuer), "mappings", absent)
		}, ""},
		{"any key is accepted because neither the document nor Central sets a rule for it", withMappings(mapping("", ".*", "Admin"), mapping("클레임 🙂 \"q\"", ".*", "None")), ""},
		{"an empty value expression is refused with INVALID_ARGUMENT, as Central refuses it", withMappings(valid, mapping("sub", "", "Analyst")), "mappings[1].valueExpression is empty"},
		{"an absent value expression is refused with INVALID_ARGUMENT, as proto3 reads it as empty", withMappings(map[string]any{"key": "sub", "role": "Analyst"}), "mappings[0].valueExpression is empty"},
		{"a lookahead, which RE2 lacks, is refused with INVALID_ARGUMENT naming the mapping", withMappings(valid, mapping("sub", "(?=ci)", "Analyst")), `mappings[1].valueExpression "(?=ci)" is not a valid RE2 regular expression`},
		{"a backreference, which RE2 lacks, is refused with INVALID_ARGUMENT naming the mapping", withMappings(mapping("sub", `(a)\1`, "Analyst")), "mappings[0].valueExpression"},
		{"an unclosed bracket is refused with INVALID_ARGUMENT naming the mapping", withMappings(valid, valid, mapping("sub", "[a-z", "Analyst")), "mappings[2].valueExpression"},
	})

	t.Run("a message names every broken mapping", func(t *testing.T) {
		h := newHarness(t, Config{})
		r := h.send(t, post(addRequest(t, withMappings(mapping("a", "(", "x"), valid, mapping("b", ")", "y"))(h.uniqueIssuer()))))
		message := r.wantError(t, http.StatusBadRequest, codeInvalidArgument)
		if !strings.Contains(message, "mappings[0]") || !strings.Contains(message, "mappings[2]") || strings.Contains(message, "mappings[1]") {
			t.Errorf("message %q should name mappings[0] and mappings[2] and only them", message)
		}
	})
}

// TestRoleRules: a mapping's role must exist, as in Central, whose storage
// holds the role as a reference to a Role by name; a role that does not
// exist is refused with 404 NOT_FOUND after the config passed validation,
// and nothing is stored.
func TestRoleRules(t *testing.T) {
	custom := append(BuiltInRoles(), "Auditor", "역할 / Admin 🙂")
	for _, tc := range []struct {
		name        string
		roles       []string // Config.Roles; nil: the built-in roles
		mappings    []any
		wantStatus  int
		wantCode    int32
		wantMessage string
	}{
		{"every built-in role is accepted by default", nil, []any{
			mapping("sub", ".*", "Admin"), mapping("sub", ".*", "Analyst"), mapping("sub", ".*", "Continuous Integration"),
			mapping("sub", ".*", "None"), mapping("sub", ".*", "Sensor Creator"),
		}, http.StatusOK, 0, ""},
		{"a role that does not exist is refused with 404 NOT_FOUND naming the mapping", nil, []any{mapping("sub", ".*", "Admin"), mapping("sub", ".*", "Auditor")},
			http.StatusNotFound, codeNotFound, `mappings[1].role "Auditor"`},
		{"a built-in role in other letter case is refused with 404 NOT_FOUND", nil, []any{mapping("sub", ".*", "admin")},
			http.StatusNotFound, codeNotFound, `mappings[0].role "admin"`},
		{"an empty role is refused with 404 NOT_FOUND", nil, []any{mapping("sub", ".*", "")},
			http.StatusNotFound, codeNotFound, `mappings[0].role ""`},
		{"an absent role is refused with 404 NOT_FOUND, as proto3 reads it as empty", nil, []any{map[string]any{"key": "sub", "valueExpression": ".*"}},
			http.StatusNotFound, codeNotFound, `mappings[0].role ""`},
		{"every unknown role is named at once", nil, []any{mapping("sub", ".*", "Ghost"), mapping("sub", ".*", "Admin"), mapping("sub", ".*", "Phantom")},
			http.StatusNotFound, codeNotFound, `mappings[0].role "Ghost", mappings[2].role "Phantom"`},
		{"a role from Config.Roles is accepted", custom, []any{mapping("sub", ".*", "Auditor"), mapping("sub", ".*", "역할 / Admin 🙂")},
			http.StatusOK, 0, ""},
		{"a built-in role that Config.Roles leaves out is refused with 404 NOT_FOUND", []string{"Auditor"}, []any{mapping("sub", ".*", "Admin")},
			http.StatusNotFound, codeNotFound, `mappings[0].role "Admin"`},
		{"a config that also breaks a rule is refused with 400 first, as validation comes before storing", nil, []any{mapping("sub", "(", "Ghost")},
			http.StatusBadRequest, codeInvalidArgument, "mappings[0].valueExpression"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, Config{Roles: tc.roles})
			r := h.send(t, post(addRequest(t, withMappings(tc.mappings...)(h.uniqueIssuer()))))
			if tc.wantStatus == http.StatusOK {
				r.config(t)
				return
			}
			message := r.wantError(t, tc.wantStatus, tc.wantCode)
			if !strings.Contains(message, tc.wantMessage) {
				t.Errorf("message %q does not contain %q", message, tc.wantMessage)
			}
			if configs, issuers := h.store.contents(); len(configs) != 0 || len(issuers) != 0 {
				t.Errorf("a refused config was stored: %v", configs)
			}
		})
	}

	t.Run("a config refused for its role does not take its issuer", func(t *testing.T) {
		h := newHarness(t, Config{})
		const issuer = "https://issuer.example.com"
		h.send(t, post(addRequest(t, with(genericConfig(issuer), "mappings", []any{mapping("sub", ".*", "Ghost")})))).wantError(t, http.StatusNotFound, codeNotFound)
		h.send(t, post(addRequest(t, genericConfig(issuer)))).config(t)
	})

	t.Run("a taken issuer is refused with 409 before the roles are looked at, as Central's insert meets the issuer first", func(t *testing.T) {
		h := newHarness(t, Config{})
		const issuer = "https://issuer.example.com"
		h.send(t, post(addRequest(t, genericConfig(issuer)))).config(t)
		h.send(t, post(addRequest(t, with(genericConfig(issuer), "mappings", []any{mapping("sub", ".*", "Ghost")})))).wantError(t, http.StatusConflict, codeAlreadyExists)
	})
}

func withType(value any) func(string) map[string]any {
	return func(issuer string) map[string]any {
		if value == "GITHUB_ACTIONS" {
			return githubConfig()
		}
		return with(genericConfig(issuer), "type", value)
	}
}

func TestTypeRules(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"GENERIC is accepted", withType("GENERIC"), ""},
		{"GITHUB_ACTIONS is accepted", withType("GITHUB_ACTIONS"), ""},
		{"an absent type is accepted", withType(absent), ""},
		{"an unknown type is refused with INVALID_ARGUMENT", withType("OIDC"), `type "OIDC" is not one of GENERIC and GITHUB_ACTIONS`},
		{"a lower-case type is refused with INVALID_ARGUMENT", withType("generic"), `type "generic" is not one of`},
		{"an empty type is refused with INVALID_ARGUMENT", withType(""), `type "" is not one of`},
		{"KUBE_SERVICE_ACCOUNT is refused with INVALID_ARGUMENT because the document's Central predates it", withType("KUBE_SERVICE_ACCOUNT"), `type "KUBE_SERVICE_ACCOUNT" is not supported by this Central`},
	})
}

func withIssuer(configType string, issuer any) func(string) map[string]any {
	return func(string) map[string]any {
		base := genericConfig("")
		if configType == "GITHUB_ACTIONS" {
			base = githubConfig()
		}
		return with(base, "issuer", issuer)
	}
}

func TestIssuerRules(t *testing.T) {
	runRuleCases(t, []ruleCase{
		{"a GENERIC https issuer is accepted", withIssuer("GENERIC", "https://issuer.example.com"), ""},
		{"a GENERIC https issuer with a port and path is accepted", withIssuer("GENERIC", "https://keycloak.example.com:8443/realms/ci"), ""},
		{"a GENERIC issuer whose scheme is written HTTPS is accepted, as Central's url.Parse lower-cases it", withIssuer("GENERIC", "HTTPS://issuer.example.com"), ""},
		{"a GENERIC http issuer is refused with INVALID_ARGUMENT, as Central requires HTTPS", withIssuer("GENERIC", "http://keycloak.example.com:8080/realms/ci"), `issuer "http://keycloak.example.com:8080/realms/ci" is not an https URL with a host: HTTPS is required for the issuer`},
		{"a GENERIC http issuer on localhost is refused with INVALID_ARGUMENT", withIssuer("GENERIC", "http://localhost:8080"), "HTTPS is required for the issuer"},
		{"a GENERIC config without an issuer is refused with INVALID_ARGUMENT", withIssuer("GENERIC", absent), "issuer is required for a GENERIC config"},
		{"a GENERIC config with an empty issuer is refused with INVALID_ARGUMENT", withIssuer("GENERIC", ""), "issuer is required for a GENERIC config"},
		{"a GENERIC issuer that is not a URL is refused with INVALID_ARGUMENT", withIssuer("GENERIC", "not a url"), `issuer "not a url" is not an https URL with a host`},
		{"a GENERIC issuer without a scheme is refused with INVALID_ARGUMENT", withIssuer("GENERIC", "issuer.example.com"), "not an https URL"},
		{"a GENERIC issuer with another scheme is refused with INVALID_ARGUMENT", withIssuer("GENERIC", "ftp://issuer.example.com"), "not an https URL"},
		{"a GENERIC issuer without a host is refused with INVALID_ARGUMENT", withIssuer("GENERIC", "https://"), "not an https URL"},
		{"a GENERIC issuer that is a bare path is refused with INVALID_ARGUMENT", withIssuer("GENERIC", "/realms/ci"), "not an https URL"},
		{"a GITHUB_ACTIONS config without an issuer is accepted", withIssuer("GITHUB_ACTIONS", absent), ""},
		{"a GITHUB_ACTIONS config with an empty issuer is accepted", withIssuer("GITHUB_ACTIONS", ""), ""},
		{"a GITHUB_ACTIONS config with GitHub's issuer is accepted", withIssuer("GITHUB_ACTIONS", githubIssuer), ""},
		{"a GITHUB_ACTIONS config with another issuer is refused with INVALID_ARGUMENT", withIssuer("GITHUB_ACTIONS", "https://issuer.example.com"), `issuer "https://issuer.example.com" is not allowed for a GITHUB_ACTIONS config`},
		{"a GITHUB_ACTIONS config with GitHub's issuer plus a slash is refused with INVALID_ARGUMENT", withIssuer("GITHUB_ACTIONS", githubIssuer+"/"), "is not allowed for a GITHUB_ACTIONS config"},
		{"a GITHUB_ACTIONS config with GitHub's issuer over http is refused with INVALID_ARGUMENT", withIssuer("GITHUB_ACTIONS", "http://token.actions.githubusercontent.com"), "is not allowed for a GITHUB_ACTIONS config"},
	})
}

// The tests below call validateConfig directly: it is a pure function, and
// these pin down what it reports without a server in between.

func problemsOf(t *testing.T, config gen.V1AuthMachineToMachineConfig) []string {
	t.Helper()
	err := validateConfig(config)
	if err == nil {
		return nil
	}
	var invalid *invalidConfigError
	if !errors.As(err, &invalid) {
		t.Fatalf("validateConfig returned %T (%v), want *invalidConfigError", err, err)
	}
	return invalid.problems
}

func TestValidateConfigReportsEveryProblemAtOnce(t *testing.T) {
	t.Run("a valid config has no problems", func(t *testing.T) {
		if problems := problemsOf(t, validGeneric()); problems != nil {
			t.Errorf("problems = %q, want none", problems)
		}
	})

	t.Run("a config breaking three rules gets three problems in field order", func(t *testing.T) {
		config := validGeneric()
		config.TokenExpirationDuration = ptr("48h")
		config.Issuer = ptr("nowhere")
		config.Mappings = &[]gen.AuthMachineToMachineConfigMapping{{ValueExpression: ptr("*")}}
		problems := problemsOf(t, config)
		want := []string{"tokenExpirationDuration", "issuer", "mappings[0]"}
		if len(problems) != len(want) {
			t.Fatalf("problems = %q, want %d of them", problems, len(want))
		}
		for i, prefix := range want {
			if !strings.HasPrefix(problems[i], prefix) {
				t.Errorf("problem %d = %q, want one about %s", i, problems[i], prefix)
			}
		}
	})

	t.Run("an unknown type does not also get an issuer problem", func(t *testing.T) {
		config := validGeneric()
		config.Type = ptr(gen.V1AuthMachineToMachineConfigType("OIDC"))
		config.Issuer = nil
		problems := problemsOf(t, config)
		if len(problems) != 1 || !strings.HasPrefix(problems[0], "type") {
			t.Errorf("problems = %q, want only the type problem", problems)
		}
	})

	t.Run("the error message starts with invalid config and joins the problems", func(t *testing.T) {
		config := validGeneric()
		config.TokenExpirationDuration = nil
		config.Issuer = nil
		err := validateConfig(config)
		if err == nil || !strings.HasPrefix(err.Error(), "invalid config: tokenExpirationDuration is required") || !strings.Contains(err.Error(), "; issuer is required") {
			t.Errorf("error = %v", err)
		}
	})

	t.Run("validation does not change the config", func(t *testing.T) {
		config := gen.V1AuthMachineToMachineConfig{Type: ptr(gen.GITHUBACTIONS), TokenExpirationDuration: ptr("1h")}
		if err := validateConfig(config); err != nil {
			t.Fatalf("validateConfig: %v", err)
		}
		if config.Issuer != nil || config.Mappings != nil {
			t.Errorf("validateConfig filled in defaults: %+v", config)
		}
	})
}

func TestWithDefaultsFillsOnlyWhatTheRequestLeftOut(t *testing.T) {
	t.Run("an absent type becomes GENERIC and absent mappings become []", func(t *testing.T) {
		got := withDefaults(gen.V1AuthMachineToMachineConfig{TokenExpirationDuration: ptr("1h"), Issuer: ptr("https://a.example.com")})
		if got.Type == nil || *got.Type != gen.GENERIC {
			t.Errorf("type = %v, want GENERIC", got.Type)
		}
		if got.Mappings == nil || len(*got.Mappings) != 0 {
			t.Errorf("mappings = %v, want []", got.Mappings)
		}
		if shown(got.Issuer) != "https://a.example.com" {
			t.Errorf("issuer = %q, want it kept", shown(got.Issuer))
		}
	})

	t.Run("a GITHUB_ACTIONS config with an empty issuer gets GitHub's issuer", func(t *testing.T) {
		got := withDefaults(gen.V1AuthMachineToMachineConfig{Type: ptr(gen.GITHUBACTIONS), Issuer: ptr("")})
		if shown(got.Issuer) != githubIssuer {
			t.Errorf("issuer = %q, want %q", shown(got.Issuer), githubIssuer)
		}
	})

	t.Run("a GENERIC config's issuer and mappings are kept", func(t *testing.T) {
		sent := validGeneric()
		got := withDefaults(sent)
		if got.Issuer != sent.Issuer || got.Mappings != sent.Mappings || got.TokenExpirationDuration != sent.TokenExpirationDuration {
			t.Errorf("withDefaults replaced fields it should keep: %+v", got)
		}
	})
}
