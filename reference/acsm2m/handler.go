// Package acsm2m is the reference implementation of Red Hat ACS Central
// "AddAuthMachineToMachineConfig" (POST /v1/auth/m2m), built on the generated
// strict server so that what it serves is what the hand-written OpenAPI
// document declares.
//
// Every response is JSON. Errors use the document's RuntimeError shape, with
// the gRPC code and the HTTP status Central's grpc-gateway would give them
// (see codes.go).
package acsm2m

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"path"

	"github.com/google/uuid"

	gen "github.com/authcontract/authcontract/generated/acsm2m"
	"github.com/authcontract/authcontract/reference/httpguard"
)

// NewHandler validates cfg and returns the handler serving the operation
// over a fresh, empty in-memory store. Requests pass, in order: bearer
// authentication (401), routing (unclean or unknown path 404, wrong method
// 501 as grpc-gateway answers it), body checks (content type 415, size 413, one JSON document 400),
// decoding into the request type (400), the document's and Central's rules
// (400), with Config.Discovery the issuer's discovery (500), then the
// issuer's uniqueness (409) and the roles' existence (404).
func NewHandler(cfg Config) (http.Handler, error) {
	handler, _, err := newHandler(cfg)
	return handler, err
}

// newHandler also returns the store it serves over, so that tests can look
// at what was stored.
func newHandler(cfg Config) (http.Handler, *store, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, nil, fmt.Errorf("acs m2m config: %w", err)
	}
	configs := newStore(cfg.Roles)
	op := &operation{configs: configs, newID: cfg.NewID, discovery: cfg.Discovery}

	mux := http.NewServeMux()
	strict := gen.NewStrictHandlerWithOptions(op, nil, gen.StrictHTTPServerOptions{
		RequestErrorHandlerFunc:  writeRequestError,
		ResponseErrorHandlerFunc: writeResponseError,
	})
	checkBody := func(next http.Handler) http.Handler {
		return httpguard.JSONBody(cfg.MaxBodyBytes, writeGuardError, next)
	}
	gen.HandlerWithOptions(strict, gen.StdHTTPServerOptions{
		BaseRouter:       mux,
		Middlewares:      []gen.MiddlewareFunc{checkBody},
		ErrorHandlerFunc: writeParamError,
	})
	mux.Handle(deletePattern, deleteConfig(configs))
	// The guard must sit on the same mux: it asks the mux which methods the
	// path takes to choose between 404 and 501.
	mux.Handle("/", httpguard.NotFoundOrNotImplemented(mux, writeGuardError))

	return httpguard.RequireBearer(cfg.BearerToken, refuseCredentials, refuseUncleanPaths(mux)), configs, nil
}

// operation implements the generated StrictServerInterface.
type operation struct {
	configs *store
	newID   func() uuid.UUID
	// discovery is nil when issuers are not discovered.
	discovery *http.Client
}

func (op *operation) AuthServiceAddAuthMachineToMachineConfig(ctx context.Context, request gen.AuthServiceAddAuthMachineToMachineConfigRequestObject) (gen.AuthServiceAddAuthMachineToMachineConfigResponseObject, error) {
	// A body of null or {} decodes without error but says nothing to add.
	if request.Body == nil || request.Body.Config == nil {
		return errorResponse(http.StatusBadRequest, `the request body must hold a "config" object`), nil
	}
	if err := validateConfig(*request.Body.Config); err != nil {
		return errorResponse(http.StatusBadRequest, err.Error()), nil
	}
	config := withDefaults(*request.Body.Config)
	// The document says a client should not set the id; one that does has it
	// replaced, so that an id is never chosen by a client.
	id := op.newID()
	config.Id = &id
	if op.discovery != nil {
		if err := discover(ctx, op.discovery, *config.Issuer); err != nil {
			return errorResponse(http.StatusInternalServerError, fmt.Sprintf("creating token exchanger for config %s: %v", id, err)), nil
		}
	}
	if err := op.configs.add(config); err != nil {
		switch {
		case errors.Is(err, errIssuerTaken):
			return errorResponse(http.StatusConflict, err.Error()), nil
		case errors.Is(err, errRoleNotFound):
			return errorResponse(http.StatusNotFound, err.Error()), nil
		}
		return nil, fmt.Errorf("add config: %w", err)
	}
	return gen.AuthServiceAddAuthMachineToMachineConfig200JSONResponse{Config: &config}, nil
}

// refuseUncleanPaths answers 404 for paths such as "/v1//auth/m2m" or
// "/v1/x/../auth/m2m". http.ServeMux would otherwise redirect them with 301,
// which is not the document's error shape, and a client following it would
// lose its POST body.
func refuseUncleanPaths(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if p := r.URL.Path; p == "" || p[0] != '/' || path.Clean(p) != p {
			writeError(w, http.StatusNotFound, fmt.Sprintf("no operation at %s %s", r.Method, r.URL.Path))
			return
		}
		next.ServeHTTP(w, r)
	})
}
