package centrallike

import (
	"fmt"
	"net/http"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/protobuf/encoding/protojson"
)

// Server answers the m2m config calls as Central does. It is an http.Handler;
// serve it with httptest.NewServer. It is safe for concurrent use.
type Server struct {
	cfg    Config
	schema *schema
	store  *store
	mux    *runtime.ServeMux
}

// New returns a Server configured by cfg.
func New(cfg Config) (*Server, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, fmt.Errorf("configuring the Central-like server: %w", err)
	}
	sch, err := newSchema()
	if err != nil {
		return nil, fmt.Errorf("configuring the Central-like server: %w", err)
	}
	s := &Server{cfg: cfg, schema: sch, store: newStore(cfg.Roles, cfg.Break)}
	s.mux, err = s.newMux()
	if err != nil {
		return nil, fmt.Errorf("configuring the Central-like server: %w", err)
	}
	return s, nil
}

// ServeHTTP hands every request to the grpc-gateway mux, which routes it,
// or answers 404 (no route) or 501 (a method the path does not take) itself.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mux.ServeHTTP(w, r)
}

// newMux builds the gateway mux with the options Central's pkg/grpc/server.go
// gives it, and the routes of proto/api/v1/auth_service.proto that this
// double serves. Routing errors are left to grpc-gateway's
// DefaultRoutingErrorHandler, as Central leaves them.
func (s *Server) newMux() (*runtime.ServeMux, error) {
	mux := runtime.NewServeMux(
		runtime.WithMarshalerOption(runtime.MIMEWildcard, &runtime.JSONPb{
			MarshalOptions:   protojson.MarshalOptions{EmitUnpopulated: true},
			UnmarshalOptions: protojson.UnmarshalOptions{DiscardUnknown: true},
		}),
		runtime.WithErrorHandler(s.writeCentralError),
	)
	routes := []struct {
		method, pattern string
		handler         runtime.HandlerFunc
	}{
		{http.MethodGet, "/v1/auth/m2m", s.handleList},
		{http.MethodPost, "/v1/auth/m2m", s.handleAdd},
		{http.MethodDelete, "/v1/auth/m2m/{id}", s.handleDelete},
	}
	for _, rt := range routes {
		if err := mux.HandlePath(rt.method, rt.pattern, rt.handler); err != nil {
			return nil, fmt.Errorf("routing %s %s: %w", rt.method, rt.pattern, err)
		}
	}
	return mux, nil
}
