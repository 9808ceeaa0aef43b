// Package reference puts both reference implementations behind one handler,
// the way `authcontract serve` and an in-process `verify` run them.
package reference

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/authcontract/authcontract/reference/acsm2m"
	"github.com/authcontract/authcontract/reference/containerapps"
)

// Config configures both reference implementations.
type Config struct {
	// BearerToken is the token both APIs accept.
	BearerToken string
	// ContainerApps configures the Container Apps implementation; its
	// BearerToken is set from the field above.
	ContainerApps containerapps.Config
	// ACSM2M configures the ACS implementation, notably the roles that
	// exist (ACSM2M.Roles); its BearerToken is set from the field above.
	ACSM2M acsm2m.Config
}

// DefaultConfig serves the Container Apps document's sample app and the
// roles every Central has; the caller still chooses the bearer token.
func DefaultConfig() Config {
	return Config{
		ContainerApps: containerapps.DefaultConfig(),
		ACSM2M:        acsm2m.Config{Roles: acsm2m.BuiltInRoles()},
	}
}

// NewHandler routes Azure Resource Manager paths to the Container Apps
// implementation and everything else to the ACS implementation, whose
// catch-all answers unknown paths in the RuntimeError shape.
func NewHandler(cfg Config) (http.Handler, error) {
	cfg.ContainerApps.BearerToken = cfg.BearerToken
	cfg.ACSM2M.BearerToken = cfg.BearerToken
	azure, err := containerapps.NewHandler(cfg.ContainerApps)
	if err != nil {
		return nil, fmt.Errorf("container apps reference: %w", err)
	}
	acs, err := acsm2m.NewHandler(cfg.ACSM2M)
	if err != nil {
		return nil, fmt.Errorf("acs m2m reference: %w", err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/subscriptions/") {
			azure.ServeHTTP(w, r)
			return
		}
		acs.ServeHTTP(w, r)
	}), nil
}
