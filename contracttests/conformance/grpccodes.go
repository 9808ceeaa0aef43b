package conformance

// Central answers through grpc-gateway, which derives the HTTP status from
// the gRPC code in RuntimeError.code. These functions are that mapping.

// grpcCodeFits reports whether RuntimeError.code may accompany httpStatus.
func grpcCodeFits(code, httpStatus int) bool {
	if gatewayStatus(code) == httpStatus {
		return true
	}
	// Answers given before any gRPC call: an unsupported method (405), and
	// the body limits a server in front of the gateway may apply (413, 415).
	switch httpStatus {
	case 405:
		return code == 12 || code == 5
	case 413:
		return code == 8 || code == 3
	case 415:
		return code == 3
	}
	return false
}

// gatewayStatus is grpc-gateway's HTTPStatusFromCode; 0 for unknown codes.
func gatewayStatus(code int) int {
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

func grpcCodeName(code int) string {
	names := [...]string{"OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED",
		"NOT_FOUND", "ALREADY_EXISTS", "PERMISSION_DENIED", "RESOURCE_EXHAUSTED",
		"FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED",
		"INTERNAL", "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED"}
	if code >= 0 && code < len(names) {
		return names[code]
	}
	return "unknown code"
}
