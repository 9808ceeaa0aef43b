package specdiff

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"

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

// rolePlaceholders is how many {role:N} placeholders a fixture may use, as
// in a run.
const rolePlaceholders = 8

// values fills every placeholder a fixture may use except {unique}, which
// differs per fixture (see withUnique). apiVersion is the document's own.
func (t Target) values(apiVersion string) (fixture.Values, error) {
	subscription, group, app, err := splitContainerApp(t.ContainerApp)
	if err != nil {
		return nil, err
	}
	if len(t.Roles) == 0 {
		return nil, fmt.Errorf("no ACS roles to fill {role} with")
	}
	values := fixture.Values{
		"subscriptionId":              subscription,
		"resourceGroupName":           group,
		"resourceGroupNameSwapped":    swapCase(group),
		"resourceGroupName:upper":     strings.ToUpper(group),
		"resourceGroupName:lower":     strings.ToLower(group),
		"resourceGroupName:alternate": alternateCase(group),
		"containerAppName":            app,
		"missingContainerAppName":     app + "-authcontract-missing-" + runID,
		"apiVersion":                  apiVersion,
		"runID":                       runID,
		// A run without an issuer server writes the suite's GENERIC
		// issuers as https://issuer-{unique}…, and so does spec-diff.
		"issuerBase": "https://",
		"role":       t.Roles[0],
	}
	for i := range rolePlaceholders {
		values["role:"+strconv.Itoa(i)] = t.Roles[i%len(t.Roles)]
	}
	return values, nil
}

// withUnique copies values with {unique} set for the n-th fixture, as a run
// gives each case its own.
func withUnique(values fixture.Values, n int) fixture.Values {
	out := make(fixture.Values, len(values)+1)
	for name, value := range values {
		out[name] = value
	}
	out["unique"] = runID + "-" + strconv.Itoa(n+1)
	return out
}

// splitContainerApp reads the three names a Container Apps resource id holds.
func splitContainerApp(id string) (subscription, group, app string, err error) {
	parts := strings.Split(strings.Trim(id, "/"), "/")
	if len(parts) != 8 || !strings.EqualFold(parts[0], "subscriptions") || !strings.EqualFold(parts[2], "resourceGroups") ||
		!strings.EqualFold(parts[6], "containerApps") {
		return "", "", "", fmt.Errorf("container app id %q is not of the form /subscriptions/{id}/resourceGroups/{name}/providers/Microsoft.App/containerApps/{name}", id)
	}
	return parts[1], parts[3], parts[7], nil
}

// swapCase turns "rg" into "RG" and "Rg" into "rG", as a run does for
// {resourceGroupNameSwapped}.
func swapCase(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		case r >= 'A' && r <= 'Z':
			return r - 'A' + 'a'
		}
		return r
	}, s)
}

// alternateCase writes every other letter in upper case, as a run does for
// {resourceGroupName:alternate}.
func alternateCase(s string) string {
	upper := true
	return strings.Map(func(r rune) rune {
		if !unicode.IsLetter(r) {
			return r
		}
		upper = !upper
		if !upper {
			return unicode.ToUpper(r)
		}
		return unicode.ToLower(r)
	}, s)
}
