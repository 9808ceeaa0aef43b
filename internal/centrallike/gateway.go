package centrallike

import (
	"context"
	"errors"
	"io"
	"net/http"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/dynamicpb"
)

// This file does what protoc-gen-grpc-gateway v2 generates for Central's
// AuthService (generated/api/v1/auth_service.pb.gw.go): the same runtime
// calls, in the same order. Where the generated code calls the gRPC client,
// the handlers call the service methods in service.go directly.

// callFunc is one RPC as the gateway sees it: given the annotated context and
// the marshaler chosen for the request body, it decodes the request and
// returns the response message or a status error.
type callFunc func(ctx context.Context, inbound runtime.Marshaler) (proto.Message, error)

// serveUnary is the closure the generated code registers for each unary RPC.
func (s *Server) serveUnary(w http.ResponseWriter, req *http.Request, rpcMethod, pathPattern string, call callFunc) {
	ctx, cancel := context.WithCancel(req.Context())
	defer cancel()
	inbound, outbound := runtime.MarshalerForRequest(s.mux, req)
	annotated, err := runtime.AnnotateContext(ctx, s.mux, req, rpcMethod, runtime.WithHTTPPathPattern(pathPattern))
	if err != nil {
		runtime.HTTPError(ctx, s.mux, outbound, w, req, err)
		return
	}
	resp, err := call(annotated, inbound)
	if err != nil {
		runtime.HTTPError(annotated, s.mux, outbound, w, req, err)
		return
	}
	runtime.ForwardResponseMessage(annotated, s.mux, outbound, w, req, resp, s.mux.GetForwardResponseOptions()...)
}

// handleAdd serves POST /v1/auth/m2m (body: "*"). The body is decoded with
// the marshaler MarshalerForRequest picked — the wildcard JSON one whatever
// the Content-Type — and only its first JSON value is read; an empty body
// (io.EOF) is an empty request, not an error.
func (s *Server) handleAdd(w http.ResponseWriter, req *http.Request, _ map[string]string) {
	s.serveUnary(w, req, "/v1.AuthService/AddAuthMachineToMachineConfig", "/v1/auth/m2m",
		func(ctx context.Context, inbound runtime.Marshaler) (proto.Message, error) {
			request := dynamicpb.NewMessage(s.schema.addRequest)
			if err := inbound.NewDecoder(req.Body).Decode(request); err != nil && !errors.Is(err, io.EOF) {
				return nil, status.Errorf(codes.InvalidArgument, "%v", err)
			}
			if req.Body != nil {
				_, _ = io.Copy(io.Discard, req.Body)
			}
			return s.addConfig(ctx, request)
		})
}

// handleList serves GET /v1/auth/m2m.
func (s *Server) handleList(w http.ResponseWriter, req *http.Request, _ map[string]string) {
	s.serveUnary(w, req, "/v1.AuthService/ListAuthMachineToMachineConfigs", "/v1/auth/m2m",
		func(ctx context.Context, _ runtime.Marshaler) (proto.Message, error) {
			return s.listConfigs(ctx)
		})
}

// handleDelete serves DELETE /v1/auth/m2m/{id}.
func (s *Server) handleDelete(w http.ResponseWriter, req *http.Request, pathParams map[string]string) {
	s.serveUnary(w, req, "/v1.AuthService/DeleteAuthMachineToMachineConfig", "/v1/auth/m2m/{id}",
		func(ctx context.Context, _ runtime.Marshaler) (proto.Message, error) {
			id, ok := pathParams["id"]
			if !ok {
				return nil, status.Errorf(codes.InvalidArgument, "missing parameter %s", "id")
			}
			return s.deleteConfig(ctx, id)
		})
}
