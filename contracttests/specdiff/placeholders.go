package specdiff

import (
	"fmt"
	"maps"
	"strconv"

	"github.com/authcontract/authcontract/contracttests/fixture"
)

// Target is what fills the fixtures' placeholders: the values a run against
// the embedded reference uses, so that a fixture is judged as verify would
// send it.
type Target struct {
	// ContainerApp is the resource id of the app the fixtures ask about:
	// /subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.App/containerApps/{name}.
	ContainerApp string
	// Roles are the ACS roles {role} and {role:N} name, round robin.
	Roles []string
}

// DefaultAPIVersion fills {apiVersion} when a document gives no example
// api-version: the one version the Container Apps document describes.
const DefaultAPIVersion = "2023-08-01-preview"

// runID stands for the run's id in {runID} and {unique}. It is fixed, so
// that the same documents and fixtures always give the same report.
const runID = "spec-diff"

// values fills every placeholder a fixture may use except {unique}, which
// differs per fixture (see withUnique). apiVersion is the document's own.
func (t Target) values(apiVersion string) (fixture.Values, error) {
	app, err := fixture.ParseContainerApp(t.ContainerApp)
	if err != nil {
		return nil, err
	}
	if len(t.Roles) == 0 {
		return nil, fmt.Errorf("no ACS roles to fill {role} with")
	}
	// A run without an issuer server writes the suite's GENERIC issuers
	// as https://issuer-{unique}…, and so does spec-diff.
	return fixture.Placeholders{App: app, APIVersion: apiVersion, RunID: runID, IssuerBase: "https://", Roles: t.Roles}.Values(), nil
}

// withUnique copies values with {unique} set for the n-th fixture, as a run
// gives each case its own.
func withUnique(values fixture.Values, n int) fixture.Values {
	out := maps.Clone(values)
	out["unique"] = runID + "-" + strconv.Itoa(n+1)
	return out
}
