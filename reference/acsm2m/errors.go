package acsm2m

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"

	gen "github.com/authcontract/authcontract/generated/acsm2m"
)

// errorResponse builds the document's RuntimeError. It is the only error
// shape this package produces, whichever layer detects the error. grpc-gateway
// puts the same text in "error" and "message", and always sends "details".
func errorResponse(status int, message string) gen.AuthServiceAddAuthMachineToMachineConfigdefaultJSONResponse {
	code := grpcCodeFor(status)
	return gen.AuthServiceAddAuthMachineToMachineConfigdefaultJSONResponse{
		StatusCode: status,
		Body: gen.RuntimeError{
			Error:   &message,
			Code:    &code,
			Message: &message,
			Details: &[]gen.ProtobufAny{},
		},
	}
}

// writeError sends an error from outside the strict server (auth, routing,
// body checks) through the same generated encoder the operation uses.
func writeError(w http.ResponseWriter, status int, message string) {
	// The body is encoded before anything is written, so the only possible
	// failure is a broken connection, which no response can fix.
	_ = errorResponse(status, message).VisitAuthServiceAddAuthMachineToMachineConfigResponse(w)
}

// writeGuardError answers what httpguard catches: unknown paths, other
// methods, and bodies that are too large, not JSON or not one document.
func writeGuardError(w http.ResponseWriter, _ *http.Request, status int, message string) {
	writeError(w, status, message)
}

// writeParamError answers the generated wrapper's parameter-binding errors.
// The operation has no parameters, so it is a safety net.
func writeParamError(w http.ResponseWriter, _ *http.Request, err error) {
	writeError(w, http.StatusBadRequest, err.Error())
}

// writeRequestError answers a body that is well-formed JSON but does not fit
// V1AddAuthMachineToMachineConfigRequest, e.g. {"config": 5}.
func writeRequestError(w http.ResponseWriter, _ *http.Request, err error) {
	writeError(w, http.StatusBadRequest, describeDecodeError(err))
}

// writeResponseError answers an operation that failed to produce a response
// (only a repeated config id could cause it), in the same shape.
func writeResponseError(w http.ResponseWriter, _ *http.Request, err error) {
	writeError(w, http.StatusInternalServerError, fmt.Sprintf("the server could not complete the request: %v", err))
}

// describeDecodeError names the offending field in JSON terms; encoding/json
// would name Go types, which mean nothing to an API client.
func describeDecodeError(err error) string {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) && typeErr.Field != "" {
		return fmt.Sprintf("request body field %q must be %s, not %s", typeErr.Field, jsonKind(typeErr.Type), typeErr.Value)
	}
	return fmt.Sprintf("request body is not a V1AddAuthMachineToMachineConfigRequest: %v", err)
}

// jsonKind names the JSON value a Go type is decoded from.
func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Slice:
		return "an array"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
		reflect.Float32, reflect.Float64:
		return "a number"
	default:
		return "a different kind of value"
	}
}
