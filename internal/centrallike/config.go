package centrallike

import (
	"errors"
	"net/http"
	"strings"

	"github.com/authcontract/authcontract/openapi/facts"
)

// Config configures a Server.
type Config struct {
	// BearerToken is the only API token the server accepts. It is required:
	// a default would be a secret every test shares without saying so.
	BearerToken string
	// Roles are the names a mapping's role may take, as the roles table that
	// Central's foreign key points at. Nil means BuiltInRoles(); an empty,
	// non-nil slice means no role exists.
	Roles []string
	// Break makes the server get exactly one of Central's rules wrong. The
	// zero value, Faithful, gets none wrong.
	Break Break
	// Discovery, when set, is the client the server fetches each config's
	// OIDC discovery document with before storing it, as Central does
	// (see discover); its transport carries the roots Central trusts. Nil
	// skips discovery, so that made-up issuers are stored.
	Discovery *http.Client
}

// BuiltInRoles returns the roles every Central has from its first start, as
// named in stackrox pkg/defaults/accesscontrol/role.go. Versions add others
// (Scope Manager, the Vulnerability Management roles…); these five are in
// every version.
func BuiltInRoles() []string {
	return facts.CentralBuiltInRoles()
}

// withDefaults fills in the optional fields and says what is wrong, if
// anything, with the others.
func (cfg Config) withDefaults() (Config, error) {
	var problems []error
	if cfg.BearerToken == "" {
		problems = append(problems, errors.New("bearer token is empty"))
	} else if strings.ContainsAny(cfg.BearerToken, " \t\r\n") {
		// An Authorization header cannot carry such a token intact, so no
		// request could ever authenticate.
		problems = append(problems, errors.New("bearer token contains whitespace"))
	}
	if !cfg.Break.valid() {
		problems = append(problems, errors.New("break "+cfg.Break.String()+" is unknown"))
	}
	if err := errors.Join(problems...); err != nil {
		return Config{}, err
	}
	if cfg.Roles == nil {
		cfg.Roles = BuiltInRoles()
	}
	return cfg, nil
}
