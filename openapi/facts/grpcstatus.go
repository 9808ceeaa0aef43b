package facts

// Central answers through grpc-gateway, which derives the HTTP status from
// the gRPC code its RuntimeError carries (grpc-ecosystem/grpc-gateway
// runtime/errors.go, HTTPStatusFromCode; the codes are
// google.golang.org/grpc/codes').

// gRPC codes Central's answers carry.
const (
	CodeInvalidArgument   = 3
	CodeNotFound          = 5
	CodeAlreadyExists     = 6
	CodeResourceExhausted = 8
	CodeUnimplemented     = 12
	CodeInternal          = 13
	CodeUnauthenticated   = 16
)

// HTTPStatusFromGRPCCode is grpc-gateway's mapping; 0 for a code it does
// not know.
func HTTPStatusFromGRPCCode(code int) int {
	switch code {
	case 0:
		return 200
	case 1:
		return 499
	case 2, 13, 15:
		return 500
	case 3, 9, 11:
		return 400
	case 4:
		return 504
	case 5:
		return 404
	case 6, 10:
		return 409
	case 7:
		return 403
	case 8:
		return 429
	case 12:
		return 501
	case 14:
		return 503
	case 16:
		return 401
	}
	return 0
}

// GRPCCodeName is the code's name in google.golang.org/grpc/codes.
func GRPCCodeName(code int) string {
	names := [...]string{"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED",
		"NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
		"FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED",
		"INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"}
	if code >= 0 && code < len(names) {
		return names[code]
	}
	return "unknown code"
}
