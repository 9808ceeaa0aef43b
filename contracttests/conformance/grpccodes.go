package conformance

import "github.com/authcontract/authcontract/openapi/facts"

// grpcCodeFits reports whether RuntimeError.code may accompany httpStatus:
// the status grpc-gateway derives from the code (facts), or one of the
// answers given before any gRPC call — an unsupported method (405), and
// the body limits a server in front of the gateway may apply (413, 415).
func grpcCodeFits(code, httpStatus int) bool {
	if facts.HTTPStatusFromGRPCCode(code) == httpStatus {
		return true
	}
	switch httpStatus {
	case 405:
		return code == facts.CodeUnimplemented || code == facts.CodeNotFound
	case 413:
		return code == facts.CodeResourceExhausted || code == facts.CodeInvalidArgument
	case 415:
		return code == facts.CodeInvalidArgument
	}
	return false
}
