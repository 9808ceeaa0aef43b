package acsm2m

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/google/uuid"
)

// Config configures the reference server.
type Config struct {
	// BearerToken is the only token the server accepts. It has no default
	// because a well-known token would make every deployment share a secret.
	BearerToken string
	// MaxBodyBytes caps the request body; zero means 1 MiB.
	MaxBodyBytes int64
	// NewID assigns the id of each stored config; nil means uuid.New. Tests
	// inject it to know ids in advance or to force a collision.
	NewID func() uuid.UUID
	// Roles are the names of the roles that exist. A mapping naming any
	// other role is refused with 404 NOT_FOUND, as Central's storage refuses
	// it (a mapping's role references a Role by name). Empty means
	// BuiltInRoles(); to add roles to those, list them too.
	Roles []string
	// Discovery, when set, makes the server discover each config's issuer
	// with this client before storing the config, as Central does
	// (central/auth/m2m/token_verifier.go: oidc.NewProvider fetches
	// {issuer}/.well-known/openid-configuration and checks the issuer it
	// names), and answer 500, code 13 when that fails. Nil discovers
	// nothing, so that made-up issuers are stored: the embedded reference
	// verify runs by default has no one serving them.
	Discovery *http.Client
}

// defaultMaxBodyBytes is far above any sensible config (a few mappings) yet
// small enough that a client cannot make the server buffer much.
const defaultMaxBodyBytes = 1 << 20

// withDefaults fills in the optional fields and reports every problem at
// once, so that a misconfigured server is fixed in one round.
func (cfg Config) withDefaults() (Config, error) {
	var problems []error
	if cfg.BearerToken == "" {
		problems = append(problems, errors.New("bearer token is empty"))
	} else if strings.ContainsAny(cfg.BearerToken, " \t\r\n") {
		// An Authorization header cannot carry such a token intact, so no
		// request could ever authenticate.
		problems = append(problems, errors.New("bearer token contains whitespace"))
	}
	if cfg.MaxBodyBytes < 0 {
		problems = append(problems, fmt.Errorf("max body bytes %d is negative", cfg.MaxBodyBytes))
	}
	for i, role := range cfg.Roles {
		// Central cannot have a role without a name, so no mapping may
		// name one.
		if role == "" {
			problems = append(problems, fmt.Errorf("role %d is empty", i))
		}
	}
	if err := errors.Join(problems...); err != nil {
		return Config{}, err
	}
	if cfg.MaxBodyBytes == 0 {
		cfg.MaxBodyBytes = defaultMaxBodyBytes
	}
	if cfg.NewID == nil {
		cfg.NewID = uuid.New
	}
	if len(cfg.Roles) == 0 {
		cfg.Roles = BuiltInRoles()
	}
	return cfg, nil
}
