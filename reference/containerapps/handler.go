// Package containerapps is the reference implementation of Azure Container
// Apps "Get Auth Token"
// (POST /subscriptions/{subscriptionId}/resourceGroups/{resourceGroupName}/providers/Microsoft.App/containerApps/{containerAppName}/getAuthtoken),
// built on the generated strict server so that what it serves is what the
// hand-written OpenAPI document declares.
//
// Every response, success or error, is JSON: errors use the document's
// DefaultErrorResponse shape with ARM-style codes.
package containerapps

import (
	"fmt"
	"net/http"
	"path"
	"slices"
	"time"

	gen "github.com/authcontract/authcontract/generated/containerapps"
	"github.com/authcontract/authcontract/reference/httpguard"
)

// NewHandler validates cfg and returns the handler serving the operation.
// Requests pass, in order: bearer authentication, routing (unclean or unknown
// path 404, wrong method 405), parameter binding (api-version), then the
// operation.
func NewHandler(cfg Config) (http.Handler, error) {
	if err := cfg.validate(); err != nil {
		return nil, fmt.Errorf("container apps config: %w", err)
	}
	apps, err := indexApps(cfg.Apps)
	if err != nil {
		return nil, fmt.Errorf("container apps config: %w", err)
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	op := &operation{
		apps:     apps,
		location: cfg.Location,
		// Copied so that a caller reusing its slice cannot change a running server.
		apiVersions:   slices.Clone(cfg.APIVersions),
		tokenLifetime: cfg.TokenLifetime,
		now:           now,
	}

	mux := http.NewServeMux()
	strict := gen.NewStrictHandlerWithOptions(op, nil, gen.StrictHTTPServerOptions{
		RequestErrorHandlerFunc:  writeRequestError,
		ResponseErrorHandlerFunc: writeResponseError,
	})
	gen.HandlerWithOptions(strict, gen.StdHTTPServerOptions{
		BaseRouter:       mux,
		ErrorHandlerFunc: writeParamError,
	})
	// The guard must sit on the same mux: it asks the mux which methods the
	// path takes to choose between 404 and 405.
	mux.Handle("/", httpguard.NotFoundOrMethodNotAllowed(mux, writeGuardError))

	return httpguard.RequireBearer(cfg.BearerToken, refuseCredentials, refuseUncleanPaths(mux)), nil
}

// refuseUncleanPaths answers 404 for paths such as "/subscriptions//x" or
// "/a/../b". http.ServeMux would otherwise redirect them with 301 (and an
// HTML body for GET), which is neither the document's error shape nor a
// sensible answer for an API path.
func refuseUncleanPaths(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := r.URL.Path; p == "" || p[0] != '/' || path.Clean(p) != p {
			writeGuardError(w, r, http.StatusNotFound, fmt.Sprintf("no operation at %s %s", r.Method, r.URL.Path))
			return
		}
		next.ServeHTTP(w, r)
	})
}
