package centrallike

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// TestValidationIsCentrals runs each rule of Central's
// validateAuthMachineToMachineConfig on both sides of its line.
func TestValidationIsCentrals(t *testing.T) {
	valid := genericConfig("https://issuer.example.com")
	gitHub := with(valid, map[string]any{"type": "GITHUB_ACTIONS", "issuer": nil})

	for _, tc := range []struct {
		name   string
		config map[string]any
		// wantInMessage is part of the 400's message; empty means the
		// config is accepted.
		wantInMessage string
	}{
		{name: "1m, the minimum, is accepted", config: with(valid, map[string]any{"tokenExpirationDuration": "1m"})},
		{name: "60s, the minimum in seconds, is accepted", config: with(valid, map[string]any{"tokenExpirationDuration": "60s"})},
		{name: "24h, the maximum, is accepted", config: with(valid, map[string]any{"tokenExpirationDuration": "24h"})},
		{name: "1440m, the maximum in minutes, is accepted", config: with(valid, map[string]any{"tokenExpirationDuration": "1440m"})},
		{name: "86400s, the maximum in seconds, is accepted", config: with(valid, map[string]any{"tokenExpirationDuration": "86400s"})},
		{name: "1h5ms, a unit besides s, m and h, is accepted", config: with(valid, map[string]any{"tokenExpirationDuration": "1h5ms"})},
		{name: "59s, under the minimum, is refused", config: with(valid, map[string]any{"tokenExpirationDuration": "59s"}),
			wantInMessage: "token expiration must be between 1 minute and 24 hours, but was 59s"},
		{name: "24h0m1s, over the maximum, is refused", config: with(valid, map[string]any{"tokenExpirationDuration": "24h0m1s"}),
			wantInMessage: "token expiration must be between 1 minute and 24 hours"},
		{name: "25h is refused", config: with(valid, map[string]any{"tokenExpirationDuration": "25h"}),
			wantInMessage: "token expiration must be between 1 minute and 24 hours"},
		{name: "1d, a unit Go does not read, is refused", config: with(valid, map[string]any{"tokenExpirationDuration": "1d"}),
			wantInMessage: "invalid token expiration duration provided: time: unknown unit"},
		{name: "a missing duration is refused", config: with(valid, map[string]any{"tokenExpirationDuration": nil}),
			wantInMessage: "invalid token expiration duration provided"},
		{name: "an empty valueExpression is refused", config: with(valid, map[string]any{"mappings": oneMapping("", "Admin")}),
			wantInMessage: `invalid regular expression provided for key "sub": empty regex given`},
		{name: "a valueExpression that does not compile is refused", config: with(valid, map[string]any{"mappings": oneMapping("(", "Admin")}),
			wantInMessage: `invalid regular expression provided for key "sub": error parsing regexp`},
		{name: "a lookahead, which RE2 lacks, is refused", config: with(valid, map[string]any{"mappings": oneMapping("a(?=b)", "Admin")}),
			wantInMessage: "invalid regular expression provided"},
		{name: "no mappings at all is accepted", config: with(valid, map[string]any{"mappings": nil})},
		{name: "a GENERIC config without issuer is refused", config: with(valid, map[string]any{"issuer": nil}),
			wantInMessage: "type GENERIC was used, but no configuration for the issuer was given"},
		{name: "a config without type is GENERIC, so needs an issuer", config: with(valid, map[string]any{"type": nil, "issuer": nil}),
			wantInMessage: "type GENERIC was used"},
		{name: "an http issuer is refused", config: with(valid, map[string]any{"issuer": "http://issuer.example.com"}),
			wantInMessage: "HTTPS is required for the issuer"},
		{name: "an issuer that is no URL is refused", config: with(valid, map[string]any{"issuer": "issuer.example.com"}),
			wantInMessage: "HTTPS is required for the issuer"},
		{name: "an issuer url.Parse refuses is refused", config: with(valid, map[string]any{"issuer": "https://issuer.example.com/%zz"}),
			wantInMessage: "invalid token issuer provided: parse"},
		{name: "an issuer with HTTPS in capitals is accepted, as url.Parse lowercases the scheme",
			config: with(valid, map[string]any{"issuer": "HTTPS://issuer.example.com"})},
		{name: "a GITHUB_ACTIONS config without issuer is accepted", config: gitHub},
		{name: "a GITHUB_ACTIONS config with GitHub's issuer is accepted",
			config: with(gitHub, map[string]any{"issuer": "https://token.actions.githubusercontent.com"})},
		{name: "a GITHUB_ACTIONS config with another issuer is refused",
			config:        with(gitHub, map[string]any{"issuer": "https://token.actions.example.com"}),
			wantInMessage: "type GITHUB_ACTIONS was used, but an issuer other than https://token.actions.githubusercontent.com was used"},
		{name: "a GITHUB_ACTIONS config with GitHub's issuer plus a slash is refused",
			config:        with(gitHub, map[string]any{"issuer": "https://token.actions.githubusercontent.com/"}),
			wantInMessage: "type GITHUB_ACTIONS was used"},
		{name: "a KUBE_SERVICE_ACCOUNT config without issuer is accepted",
			config: with(valid, map[string]any{"type": "KUBE_SERVICE_ACCOUNT", "issuer": nil})},
		{name: "type 7 skips the issuer rules, so needs no issuer", config: with(valid, map[string]any{"type": 7, "issuer": nil})},
		{name: "type 7 still needs an https issuer when it has one",
			config:        with(valid, map[string]any{"type": 7, "issuer": "http://issuer.example.com"}),
			wantInMessage: "HTTPS is required for the issuer"},
		{name: "keys and roles are not checked for text", config: with(valid, map[string]any{"mappings": []any{
			map[string]any{"key": "", "valueExpression": ".*", "role": "Admin"},
		}})},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, Config{})
			r := send(t, srv, post(addBody(t, tc.config)))
			if tc.wantInMessage == "" {
				r.config(t)
				return
			}
			r.wantError(t, http.StatusBadRequest, codeInvalidArgument)
			msg, _ := r.object(t)["message"].(string)
			if !strings.HasPrefix(msg, "invalid arguments: ") || !strings.Contains(msg, tc.wantInMessage) {
				t.Errorf("message = %q, want \"invalid arguments: …%s…\"", msg, tc.wantInMessage)
			}
		})
	}
}

// TestTheGitHubIssuerIsFilledIn checks that a GITHUB_ACTIONS config without
// issuer is stored with GitHub's.
func TestTheGitHubIssuerIsFilledIn(t *testing.T) {
	srv := newServer(t, Config{})
	config := with(genericConfig(""), map[string]any{"type": "GITHUB_ACTIONS", "issuer": nil})
	got := send(t, srv, post(addBody(t, config))).config(t)["issuer"]
	if got != "https://token.actions.githubusercontent.com" {
		t.Errorf("issuer = %v, want GitHub's", got)
	}
}

// TestASentIDIsReplaced checks that the server ignores the id a client sends
// and assigns a fresh UUID v4 to every config.
func TestASentIDIsReplaced(t *testing.T) {
	srv := newServer(t, Config{})
	const sent = "00000000-0000-4000-8000-000000000000"
	seen := map[string]bool{}
	for _, issuer := range []string{"https://a.example.com", "https://b.example.com"} {
		config := with(genericConfig(issuer), map[string]any{"id": sent})
		id, _ := send(t, srv, post(addBody(t, config))).config(t)["id"].(string)
		parsed, err := uuid.Parse(id)
		switch {
		case err != nil:
			t.Errorf("id %q is no UUID: %v", id, err)
		case id == sent:
			t.Errorf("the server kept the id the client sent")
		case parsed.Version() != 4:
			t.Errorf("id %q is UUID version %d, want 4", id, parsed.Version())
		case seen[id]:
			t.Errorf("id %q was given twice", id)
		}
		seen[id] = true
	}
}
