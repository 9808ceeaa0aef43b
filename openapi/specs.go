// Package openapi embeds the hand-written OpenAPI documents so that every
// binary and test reads exactly the specs the generated code came from.
package openapi

import (
	"embed"
	"fmt"
)

//go:embed *.yaml
var files embed.FS

// API names one operation's document. The names are the ones users type on
// the command line (`--api containerapps`).
type API string

const (
	ContainerApps API = "containerapps"
	ACSM2M        API = "acs-m2m"
)

// APIs lists every API in a stable order, for loops that cover them all.
func APIs() []API { return []API{ContainerApps, ACSM2M} }

// Spec returns the raw YAML of the API's document.
func Spec(api API) ([]byte, error) {
	data, err := files.ReadFile(string(api) + ".yaml")
	if err != nil {
		return nil, fmt.Errorf("read spec for %q: %w", api, err)
	}
	return data, nil
}
