package conformance

import (
	"fmt"
	"mime"
	"net/http"

	"github.com/authcontract/authcontract/contracttests/fixture"
	"github.com/authcontract/authcontract/openapi/validation"
)

// judgeStatusCode fails any 5xx and any status the operation does not
// document; documented and tolerant cases must also get a status they allow.
// A method the path does not take may get any 4xx or 501, the answer
// grpc-gateway gives it. responses are the operation's documented responses
// (documentedResponses).
func judgeStatusCode(c Case, responses []string, got sent) (Result, string, string) {
	actual := fmt.Sprintf("%d %s", got.status, excerpt(got.body))
	if c.Fixture.Kind == fixture.Method {
		return verdict(refused(got.status) || got.status == http.StatusNotImplemented,
			"any 4xx or 501 for a method the path does not take; never a 2xx, never another 5xx", actual)
	}
	if got.status >= 500 {
		return Failed, "never a 5xx", actual
	}
	if responseFor(responses, got.status) == Undocumented {
		return Failed, "a status the document gives this operation", actual
	}
	if c.Fixture.Kind == fixture.Documented || c.Fixture.Kind == fixture.Tolerant {
		return verdict(c.Fixture.Expect.Status.Allows(got.status), "status "+c.Fixture.Expect.Status.String(), actual)
	}
	return Passed, "not a 5xx, and documented", actual
}

// judgeContentType requires every body to be sent as application/json, the
// only media type either document gives.
func judgeContentType(got sent) (Result, string, string) {
	const want = "application/json"
	if len(got.body) == 0 {
		return Passed, want + " for any body", "no body"
	}
	contentType := got.header.Get("Content-Type")
	mediaType, _, err := mime.ParseMediaType(contentType)
	return verdict(err == nil && mediaType == want, want, fmt.Sprintf("Content-Type %q", contentType))
}

// judgeSchema asks both validators; when they disagree the outcome says so
// with both messages rather than trusting either. A reply to a method or path
// the document does not describe is judged as the operation's default error.
func judgeSchema(v *validation.Validator, got sent) (Result, string, string) {
	result := v.ValidateResponse(v.OperationRequest(got.request), got.status, got.header, got.body)
	switch {
	case result.OK():
		return Passed, "a response both validators accept", "both accept"
	case result.Disagree():
		return Disagreement, "both validators to agree", result.String()
	default:
		return Failed, "a response matching the document's schema", result.String()
	}
}
