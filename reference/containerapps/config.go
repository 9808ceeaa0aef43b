package containerapps

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Config describes the world the reference server pretends to manage.
type Config struct {
	// Apps are the resource IDs of the container apps that exist, e.g.
	// /subscriptions/<sub>/resourceGroups/<rg>/providers/Microsoft.App/containerApps/<name>.
	Apps []string
	// Location is reported as the token resource's location, e.g. "East US".
	Location string
	// BearerToken is the only token the server accepts; it has no default
	// because a well-known token would make every deployment share a secret.
	BearerToken string
	// APIVersions are the api-version values the server accepts.
	APIVersions []string
	// TokenLifetime is how long an issued auth token stays valid.
	TokenLifetime time.Duration
	// Now is the clock; tests inject a fixed one. Nil means time.Now.
	Now func() time.Time
}

// DefaultConfig serves the document's sample app, "testcontainerapp0", under
// the document's only api-version. BearerToken is left empty: the caller
// must choose it.
func DefaultConfig() Config {
	return Config{
		Apps:          []string{"/subscriptions/651f8027-33e8-4ec4-97b4-f6e9f3dc8744/resourceGroups/rg/providers/Microsoft.App/containerApps/testcontainerapp0"},
		Location:      "East US",
		APIVersions:   []string{"2023-08-01-preview"},
		TokenLifetime: time.Hour,
		Now:           time.Now,
	}
}

// validate reports every problem at once, so that a misconfigured server is
// fixed in one round rather than one field at a time.
func (cfg Config) validate() error {
	var problems []error
	if cfg.BearerToken == "" {
		problems = append(problems, errors.New("bearer token is empty"))
	} else if strings.ContainsAny(cfg.BearerToken, " \t\r\n") {
		// An Authorization header cannot carry such a token intact, so no
		// request could ever authenticate.
		problems = append(problems, errors.New("bearer token contains whitespace"))
	}
	if len(cfg.Apps) == 0 {
		problems = append(problems, errors.New("no container apps configured: every request would get 404"))
	}
	if cfg.Location == "" {
		problems = append(problems, errors.New("location is empty"))
	}
	if len(cfg.APIVersions) == 0 {
		problems = append(problems, errors.New("no api-versions configured: every request would get 400"))
	}
	for i, version := range cfg.APIVersions {
		if strings.TrimSpace(version) == "" {
			problems = append(problems, fmt.Errorf("api-version %d is empty", i))
		}
	}
	if cfg.TokenLifetime <= 0 {
		problems = append(problems, fmt.Errorf("token lifetime %s is not positive: tokens would be born expired", cfg.TokenLifetime))
	}
	return errors.Join(problems...)
}
