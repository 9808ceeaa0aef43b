// Package facts is the one home of the values that the reference
// implementations, the Central look-alike and the suite all rely on, and
// that no schema keyword can carry: what a document states in words (the
// 24h maximum, GitHub's issuer), and what the real services decide where
// the documents are silent (Central's minimum, its built-in roles, the
// gRPC-to-HTTP status mapping of its gateway). Each value says where it
// comes from. Facts a schema can carry (a pattern, an enum) live in the
// OpenAPI documents instead and are read from there.
package facts

import (
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/authcontract/authcontract/openapi"
)

// GitHubActionsIssuer is the only issuer a GITHUB_ACTIONS config may name,
// and the one it gets when it names none. Document: "GitHub 작업의 경우
// 비어 있거나 https://token.actions.githubusercontent.com 로 설정해야 합니다."
const GitHubActionsIssuer = "https://token.actions.githubusercontent.com"

// Token expiration bounds. The maximum is the document's ("허용되는 최대
// 만료 기간은 24h입니다"); the minimum is Central's
// (stackrox/stackrox central/auth/service/service_impl.go), the document
// stating none.
const (
	MaxTokenExpiration = 24 * time.Hour
	MinTokenExpiration = time.Minute
)

// CentralBuiltInRoles are the roles every Central has from the start
// (stackrox/stackrox pkg/defaults/accesscontrol/role.go). A fresh slice
// each call, so that no caller can change another's.
func CentralBuiltInRoles() []string {
	return []string{"Admin", "Analyst", "Continuous Integration", "None", "Sensor Creator"}
}

// TokenExpirationSyntax is the ACS document's pattern for
// tokenExpirationDuration — Go durations written with only h, m and s —
// read from the document, its one home, and compiled.
func TokenExpirationSyntax() (*regexp.Regexp, error) {
	spec, err := openapi.Spec(openapi.ACSM2M)
	if err != nil {
		return nil, err
	}
	doc, err := openapi3.NewLoader().LoadFromData(spec)
	if err != nil {
		return nil, fmt.Errorf("load the ACS document: %w", err)
	}
	config := doc.Components.Schemas["V1AuthMachineToMachineConfig"]
	if config == nil || config.Value == nil || config.Value.Properties["tokenExpirationDuration"] == nil {
		return nil, errors.New("the ACS document has no V1AuthMachineToMachineConfig.tokenExpirationDuration")
	}
	pattern := config.Value.Properties["tokenExpirationDuration"].Value.Pattern
	syntax, err := regexp.Compile(pattern)
	if err != nil {
		return nil, fmt.Errorf("the ACS document's tokenExpirationDuration pattern %q: %w", pattern, err)
	}
	return syntax, nil
}

// MustTokenExpirationSyntax is TokenExpirationSyntax for package
// initialisation: the embedded document is part of the binary, so a
// failure is a broken build.
func MustTokenExpirationSyntax() *regexp.Regexp {
	syntax, err := TokenExpirationSyntax()
	if err != nil {
		panic(err)
	}
	return syntax
}
