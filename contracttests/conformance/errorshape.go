package conformance

import (
	"fmt"
	"net/http"

	"github.com/authcontract/authcontract/openapi"
	"github.com/authcontract/authcontract/openapi/facts"
)

// judgeErrorShape requires the documented error body on a non-2xx:
// DefaultErrorResponse for Container Apps, RuntimeError for ACS.
func judgeErrorShape(api openapi.API, got sent) (Result, string, string) {
	switch api {
	case openapi.ContainerApps:
		return judgeAzureError(got)
	case openapi.ACSM2M:
		return judgeRuntimeError(got)
	}
	return Failed, "a known API", string(api)
}

func judgeAzureError(got sent) (Result, string, string) {
	const want = `DefaultErrorResponse {"error":{"code":"…","message":"…"}}`
	// The document gives 404 no body type, so an empty 404 is allowed.
	if got.status == http.StatusNotFound && len(got.body) == 0 {
		return Passed, want + " or, for 404, no body", "empty 404"
	}
	body, err := readAzureError(got.body)
	switch {
	case err != nil:
		return Failed, want, fmt.Sprintf("%v: %s", err, excerpt(got.body))
	case body.Error == nil:
		return Failed, want, "no error object: " + excerpt(got.body)
	case deref(body.Error.Code) == "":
		return Failed, want, "error.code is missing or empty: " + excerpt(got.body)
	case deref(body.Error.Message) == "":
		return Failed, want, "error.message is missing or empty: " + excerpt(got.body)
	}
	return Passed, want, excerpt(got.body)
}

func judgeRuntimeError(got sent) (Result, string, string) {
	const want = `RuntimeError {"code":<gRPC code>,"message":"…"} with code matching the HTTP status`
	body, err := readRuntimeError(got.body)
	switch {
	case err != nil:
		return Failed, want, fmt.Sprintf("%v: %s", err, excerpt(got.body))
	case body.Code == nil:
		return Failed, want, "code is missing: " + excerpt(got.body)
	case deref(body.Message) == "" && deref(body.Error) == "":
		return Failed, want, "neither message nor error says what went wrong: " + excerpt(got.body)
	}
	code := int(*body.Code)
	if !grpcCodeFits(code, got.status) {
		return Failed, want, fmt.Sprintf("code %d (%s) does not fit HTTP %d", code, facts.GRPCCodeName(code), got.status)
	}
	return Passed, want, fmt.Sprintf("%d with code %d (%s)", got.status, code, facts.GRPCCodeName(code))
}
