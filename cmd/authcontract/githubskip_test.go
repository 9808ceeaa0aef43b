package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
)

// sentConfig is what a wrapper needs to know of an ACS add.
type sentConfig struct {
	Type   string  `json:"type"`
	Issuer *string `json:"issuer"`
}

func isGitHubAdd(c sentConfig) bool {
	return c.Type == "GITHUB_ACTIONS" && (c.Issuer == nil || *c.Issuer == "" || *c.Issuer == "https://token.actions.githubusercontent.com")
}

func isGitHubAddNamingAnotherIssuer(c sentConfig) bool {
	return c.Type == "GITHUB_ACTIONS" && c.Issuer != nil && *c.Issuer != "" && *c.Issuer != "https://token.actions.githubusercontent.com"
}

func isGenericAdd(c sentConfig) bool { return c.Type == "" || c.Type == "GENERIC" }

// answeringInternalErrorTo wraps the reference so that it answers the
// chosen adds with 500 and the given gRPC code, as a Central whose
// discovery of the issuer failed answers (code 13).
func answeringInternalErrorTo(chosen func(sentConfig) bool, code int) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			var sent struct {
				Config sentConfig `json:"config"`
			}
			if r.Method == http.MethodPost && r.URL.Path == "/v1/auth/m2m" && json.Unmarshal(body, &sent) == nil && chosen(sent.Config) {
				message := "creating token exchanger for config: creating OIDC provider: dial tcp: lookup token.actions.githubusercontent.com: no such host"
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusInternalServerError)
				fmt.Fprintf(w, `{"code":%d,"message":%q,"error":%q,"details":[]}`, code, message, message)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

// A Central without internet access cannot discover GitHub's issuer: its
// 500, code 13 to a GITHUB_ACTIONS add is its deployment, so the case is
// skipped, never passed and never failed. Every other 500 still fails.
func TestOnlyAGitHubAddAnsweredAsUndiscoverableIsSkipped(t *testing.T) {
	cases := []struct {
		name     string
		chosen   func(sentConfig) bool
		code     int
		wantExit int
		want     []string
	}{
		{
			"a target answering 500, code 13 to GITHUB_ACTIONS adds passes with those cases skipped",
			isGitHubAdd, 13, exitOK,
			[]string{
				"SKIPPED: acs-m2m/status_code/a GITHUB_ACTIONS config with an empty issuer is stored, unless one exists already",
				"SKIPPED: acs-m2m/negative_rejection/a second GITHUB_ACTIONS config is refused",
				"why: GitHub's discovery document (https://token.actions.githubusercontent.com/.well-known/openid-configuration) could not be fetched by the target — a deployment without internet access, not a breach of the contract (rule github-unreachable)",
				"why: setup step 1: GitHub's discovery document",
			},
		},
		{
			"a target answering 500, code 13 to GENERIC adds fails",
			isGenericAdd, 13, exitViolation,
			[]string{"FAILED: acs-m2m/positive_acceptance/a GENERIC config with a URL issuer is stored under a new id"},
		},
		{
			"a target answering 500 with another code to GITHUB_ACTIONS adds fails",
			isGitHubAdd, 2, exitViolation,
			[]string{"FAILED: acs-m2m/status_code/a GITHUB_ACTIONS config with an empty issuer is stored, unless one exists already"},
		},
		{
			"a target answering 500, code 13 to a GITHUB_ACTIONS add naming another issuer fails",
			isGitHubAddNamingAnotherIssuer, 13, exitViolation,
			[]string{"FAILED: acs-m2m/negative_rejection/a GITHUB_ACTIONS config with another issuer is refused"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			target := serveReferenceAs(t, "secret", answeringInternalErrorTo(tc.chosen, tc.code))
			code, stdout, stderr := runCLI(t, "verify", "--target", target, "--token", "secret", "--api", "acs-m2m", "--seed", "5", "--cases", "0", "-v")
			if code != tc.wantExit {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.wantExit, stdout, stderr)
			}
			for _, want := range tc.want {
				if !strings.Contains(stdout, want) {
					t.Errorf("the report lacks %q", want)
				}
			}
			if tc.wantExit == exitOK && strings.Contains(stdout, "PASSED: acs-m2m/status_code/a GITHUB_ACTIONS config with an empty issuer") {
				t.Error("a GITHUB_ACTIONS add answered 500 passed instead of being skipped")
			}
		})
	}
}
