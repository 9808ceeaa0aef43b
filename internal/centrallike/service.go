package centrallike

import (
	"context"

	"github.com/google/uuid"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/dynamicpb"
)

// This file is Central's AuthService for the m2m calls
// (central/auth/service/service_impl.go), with the authentication its gRPC
// interceptors do first. Each method returns a status error whose code
// grpc-gateway turns into the HTTP status.

// addConfig is AddAuthMachineToMachineConfig: authenticate, resolve the
// GitHub issuer, validate, assign a fresh id, discover the issuer (with
// Config.Discovery), store, and answer with the stored config.
func (s *Server) addConfig(ctx context.Context, request protoreflect.Message) (proto.Message, error) {
	if err := s.authenticate(ctx); err != nil {
		return nil, err
	}
	configField := s.schema.addRequest.Fields().ByName("config")
	// Absent and null both leave the field unset: GetConfig() is nil.
	if !request.Has(configField) {
		return nil, status.Error(codes.InvalidArgument, "empty config given")
	}
	c := s.schema.configFromMessage(request.Get(configField).Message())
	resolveGitHubActionsIssuer(&c)

	if s.cfg.Break == LeavesATraceOfRefusedRequests {
		if err := s.store.reserve(c.issuer); err != nil {
			return nil, err
		}
	}
	if err := validateConfig(c, s.cfg.Break); err != nil {
		return nil, status.Error(codes.InvalidArgument, err.Error())
	}
	keepSentID := s.cfg.Break == KeepsTheClientID && c.id != ""
	if !keepSentID {
		c.id = uuid.New().String() // version 4, as Central's uuid.NewV4
	}

	stored := s.schema.storedForm(c)
	if s.cfg.Discovery != nil {
		if err := discover(ctx, s.cfg.Discovery, stored); err != nil {
			return nil, err
		}
	}
	add := s.store.add
	if s.cfg.Break == LeavesATraceOfRefusedRequests {
		add = s.store.addReserved
	}
	if err := add(stored); err != nil {
		return nil, err
	}

	resp := dynamicpb.NewMessage(s.schema.addResponse)
	resp.Set(s.schema.addResponse.Fields().ByName("config"), protoreflect.ValueOfMessage(s.schema.configMessage(stored)))
	return resp, nil
}

// listConfigs is ListAuthMachineToMachineConfigs.
func (s *Server) listConfigs(ctx context.Context) (proto.Message, error) {
	if err := s.authenticate(ctx); err != nil {
		return nil, err
	}
	resp := dynamicpb.NewMessage(s.schema.listResponse)
	list := resp.Mutable(s.schema.listResponse.Fields().ByName("configs")).List()
	for _, c := range s.store.list() {
		list.Append(protoreflect.ValueOfMessage(s.schema.configMessage(c)))
	}
	return resp, nil
}

// deleteConfig is DeleteAuthMachineToMachineConfig. Deleting an id no config
// has succeeds, as the proto's comment and RemoveAuthM2MConfig say.
func (s *Server) deleteConfig(ctx context.Context, id string) (proto.Message, error) {
	if err := s.authenticate(ctx); err != nil {
		return nil, err
	}
	s.store.remove(id)
	return dynamicpb.NewMessage(s.schema.empty), nil
}
