package acsm2m

import (
	"net/http"

	"github.com/authcontract/authcontract/openapi/facts"
)

// gRPC codes this implementation answers with; Central is a gRPC service
// behind grpc-gateway, so its RuntimeError carries these (package facts).
const (
	codeUnknown           int32 = 2
	codeInvalidArgument   int32 = facts.CodeInvalidArgument
	codeNotFound          int32 = facts.CodeNotFound
	codeAlreadyExists     int32 = facts.CodeAlreadyExists
	codeResourceExhausted int32 = facts.CodeResourceExhausted
	codeUnimplemented     int32 = facts.CodeUnimplemented
	codeInternal          int32 = facts.CodeInternal
	codeUnauthenticated   int32 = facts.CodeUnauthenticated
)

// grpcCodeFor gives the gRPC code whose grpc-gateway mapping yields the HTTP
// status, so that body and status never disagree. 413 and 415 are answered
// before any gRPC method runs; they take the codes closest in meaning.
func grpcCodeFor(status int) int32 {
	switch status {
	case http.StatusRequestEntityTooLarge:
		return codeResourceExhausted
	case http.StatusUnsupportedMediaType:
		return codeInvalidArgument
	}
	// The codes this implementation answers with, each the one Central
	// gives for what it means; grpc-gateway's mapping decides the status.
	for _, code := range [...]int32{codeInvalidArgument, codeUnauthenticated, codeNotFound, codeUnimplemented, codeAlreadyExists, codeInternal} {
		if facts.HTTPStatusFromGRPCCode(int(code)) == status {
			return code
		}
	}
	return codeUnknown
}
