package containerapps

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	gen "github.com/authcontract/authcontract/generated/containerapps"
)

// tokenResourceType is the type the document's sample response gives.
const tokenResourceType = "Microsoft.App/containerApps/accesstoken"

// operation implements the generated StrictServerInterface. Every field is
// read-only after NewHandler, so concurrent requests share it safely.
type operation struct {
	apps          map[appKey]containerApp
	location      string
	apiVersions   []string
	tokenLifetime time.Duration
	now           func() time.Time
}

var _ gen.StrictServerInterface = (*operation)(nil)

// ContainerAppsGetAuthToken checks the api-version before looking the app up,
// as ARM does: a request in an unknown dialect is refused before it is read.
func (op *operation) ContainerAppsGetAuthToken(_ context.Context, req gen.ContainerAppsGetAuthTokenRequestObject) (gen.ContainerAppsGetAuthTokenResponseObject, error) {
	version := req.Params.ApiVersion
	// "?api-version=" names no version at all, so it counts as missing.
	if version == "" {
		return errorResponse(http.StatusBadRequest, codeMissingAPIVersion, missingAPIVersionMessage), nil
	}
	if !slices.Contains(op.apiVersions, version) {
		return errorResponse(http.StatusBadRequest, codeInvalidAPIVersion, fmt.Sprintf(
			"The api-version '%s' is invalid. The supported versions are '%s'.", version, strings.Join(op.apiVersions, "', '"))), nil
	}

	app, found := op.apps[keyFor(req.SubscriptionId, req.ResourceGroupName, req.ContainerAppName)]
	if !found {
		// The generated 404 response has no body (the document gives it
		// none); the default response carries the error shape instead.
		return errorResponse(http.StatusNotFound, codeResourceNotFound, fmt.Sprintf(
			"The Resource 'Microsoft.App/containerApps/%s' under resource group '%s' in subscription '%s' was not found.",
			req.ContainerAppName, req.ResourceGroupName, req.SubscriptionId)), nil
	}

	token, err := newToken()
	if err != nil {
		return nil, fmt.Errorf("issue token for %s: %w", app.id, err)
	}
	// UTC so that the expiry reads the same whatever the server's zone.
	expires := op.now().Add(op.tokenLifetime).UTC()
	tokenType := tokenResourceType
	return gen.ContainerAppsGetAuthToken200JSONResponse{
		Id:       &app.id,
		Name:     &app.name,
		Type:     &tokenType,
		Location: op.location,
		Properties: &gen.ContainerAppAuthTokenProperties{
			Token:   &token,
			Expires: &expires,
		},
	}, nil
}

// newToken returns 32 random bytes, base64url-encoded: unguessable, and safe
// to put in a URL or header without escaping.
func newToken() (string, error) {
	buf := make([]byte, 32)
	if _, err := rand.Read(buf); err != nil {
		return "", fmt.Errorf("read random bytes: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(buf), nil
}
