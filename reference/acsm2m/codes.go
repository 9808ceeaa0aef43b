package acsm2m

import "net/http"

// gRPC status codes, as numbered in google.golang.org/grpc/codes. Central is a
// gRPC service behind grpc-gateway, so its RuntimeError carries these.
const (
	codeUnknown           int32 = 2
	codeInvalidArgument   int32 = 3
	codeNotFound          int32 = 5
	codeAlreadyExists     int32 = 6
	codeResourceExhausted int32 = 8
	codeUnimplemented     int32 = 12
	codeInternal          int32 = 13
	codeUnauthenticated   int32 = 16
)

// grpcCodeFor gives the gRPC code whose grpc-gateway mapping yields the HTTP
// status, so that body and status never disagree. 413 and 415 are answered
// before any gRPC method runs; they take the codes closest in meaning. 501
// is grpc-gateway's answer to a method the path does not take.
func grpcCodeFor(status int) int32 {
	switch status {
	case http.StatusBadRequest:
		return codeInvalidArgument
	case http.StatusUnauthorized:
		return codeUnauthenticated
	case http.StatusNotFound:
		return codeNotFound
	case http.StatusNotImplemented:
		return codeUnimplemented
	case http.StatusConflict:
		return codeAlreadyExists
	case http.StatusRequestEntityTooLarge:
		return codeResourceExhausted
	case http.StatusUnsupportedMediaType:
		return codeInvalidArgument
	case http.StatusInternalServerError:
		return codeInternal
	default:
		return codeUnknown
	}
}
