package containerapps

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	gen "github.com/authcontract/authcontract/generated/containerapps"
)

// ARM-style error codes. Clients branch on these, so each is a fixed string.
const (
	codeAuthenticationFailed       = "AuthenticationFailed"
	codeInvalidAuthenticationToken = "InvalidAuthenticationToken"
	codeMissingAPIVersion          = "MissingApiVersionParameter"
	codeInvalidAPIVersion          = "InvalidApiVersionParameter"
	codeInvalidParameter           = "InvalidParameter"
	codeResourceNotFound           = "ResourceNotFound"
	codeBadRequest                 = "BadRequest"
	codeInternalServerError        = "InternalServerError"
)

// errorResponse builds the document's DefaultErrorResponse. It is the only
// error shape this package produces, whichever layer detects the error.
func errorResponse(status int, code, message string) gen.ContainerAppsGetAuthTokendefaultJSONResponse {
	return gen.ContainerAppsGetAuthTokendefaultJSONResponse{
		StatusCode: status,
		Body:       gen.DefaultErrorResponse{Error: &gen.Error{Code: &code, Message: &message}},
	}
}

// writeError sends an error from outside the strict server (auth, routing,
// parameter binding) through the same generated encoder the operation uses.
func writeError(w http.ResponseWriter, status int, code, message string) {
	// The body is encoded before anything is written, so the only possible
	// failure is a broken connection, which no response can fix.
	_ = errorResponse(status, code, message).VisitContainerAppsGetAuthTokenResponse(w)
}

// writeGuardError answers what httpguard catches (unknown path, wrong
// method). httpguard passes only the status, so the code is the status text
// without spaces: 404 "NotFound", 405 "MethodNotAllowed".
func writeGuardError(w http.ResponseWriter, _ *http.Request, status int, message string) {
	writeError(w, status, strings.ReplaceAll(http.StatusText(status), " ", ""), message)
}

// writeParamError answers the generated wrapper's parameter-binding errors.
// A missing api-version never reaches the operation: the wrapper reports it
// here as a *RequiredParamError.
func writeParamError(w http.ResponseWriter, _ *http.Request, err error) {
	var required *gen.RequiredParamError
	if errors.As(err, &required) && required.ParamName == "api-version" {
		writeError(w, http.StatusBadRequest, codeMissingAPIVersion, missingAPIVersionMessage)
		return
	}
	writeError(w, http.StatusBadRequest, codeInvalidParameter, err.Error())
}

const missingAPIVersionMessage = "The api-version query parameter (?api-version=) is required for all requests."

// writeRequestError would answer a body the strict server cannot decode;
// this operation takes no body, so it is a safety net.
func writeRequestError(w http.ResponseWriter, _ *http.Request, err error) {
	writeError(w, http.StatusBadRequest, codeBadRequest, err.Error())
}

// writeResponseError answers an operation that failed to produce a response
// (only a failing random source could cause it), in the same shape.
func writeResponseError(w http.ResponseWriter, _ *http.Request, err error) {
	writeError(w, http.StatusInternalServerError, codeInternalServerError, fmt.Sprintf("the server could not produce a response: %v", err))
}
