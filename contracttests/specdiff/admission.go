package specdiff

import (
	"fmt"
	"net/http"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/authcontract/authcontract/contracttests/fixture"
	"github.com/authcontract/authcontract/openapi/validation"
)

// Unadmitted is a fixture a document no longer admits.
type Unadmitted struct {
	// File is where the fixture was read from.
	File string
	Name string
	Kind fixture.Kind
	// Why lists every reason, setup steps first.
	Why []string
	// OldAdmitted says whether the old document admitted the fixture: if
	// so, the change broke it; if not, it was broken before.
	OldAdmitted bool
}

// scope is how much of an exchange a document must admit.
type scope int

const (
	// operationAndAnswer: the method and path are an operation of the
	// document, and it documents every status the exchange expects. A
	// request meant to break things (negative and auth cases), or a setup
	// step, which often prepares a refusal, is judged no further.
	operationAndAnswer scope = iota
	// wholeRequest: as well, both validators accept the request itself:
	// path, query, headers and body (credentials aside).
	wholeRequest
	// otherMethod: the path is still the document's, under another method
	// than the one sent. Verify judges the answer to such a request
	// without the document (any 4xx or 501), so no status is checked.
	otherMethod
)

// scopeOf says what a fixture's own request must satisfy, by its kind.
// oldTakesRequest says whether both validators accept the request against
// the old document: a tolerant case may send what the schema forbids (an
// id the server assigns, say), since the documents allow either answer, so
// only a request the old document took and the new one refuses is a
// change to what the case probes.
func scopeOf(kind fixture.Kind, oldTakesRequest bool) scope {
	switch kind {
	case fixture.Positive, fixture.Documented, fixture.Race:
		return wholeRequest
	case fixture.Tolerant:
		if oldTakesRequest {
			return wholeRequest
		}
		return operationAndAnswer
	case fixture.Method:
		return otherMethod
	default: // negative, auth
		return operationAndAnswer
	}
}

// refusals says why the document does not admit the fixture judged to the
// given scope, nil when it does. Setup steps prepare state for the case,
// and are often refused on purpose, so only their operation and expected
// statuses are judged.
func (d *document) refusals(f fixture.Fixture, values fixture.Values, s scope) []string {
	var why []string
	for i, step := range f.Setup {
		why = append(why, d.refuseExchange(fmt.Sprintf("setup step %d", i+1), step.Request, step.Expect.Status, values, operationAndAnswer)...)
	}
	return append(why, d.refuseExchange("the request", f.Request, f.Expect.Status, values, s)...)
}

// takesRequest reports whether both validators accept a request against
// the document.
func (d *document) takesRequest(tmpl fixture.Request, values fixture.Values) bool {
	req, body, err := buildRequest(values, tmpl)
	return err == nil && d.validator.ValidateRequest(req, body).OK()
}

// refuseExchange judges one exchange; where names it in the reasons.
func (d *document) refuseExchange(where string, tmpl fixture.Request, statuses fixture.Status, values fixture.Values, s scope) []string {
	req, body, err := buildRequest(values, tmpl)
	if err != nil {
		return []string{where + ": " + err.Error()}
	}
	sent := tmpl.Method + " " + tmpl.Path
	if s == otherMethod {
		return d.refuseOtherMethod(where, sent, req)
	}
	route, _, err := d.router.FindRoute(req)
	if err != nil {
		return []string{fmt.Sprintf("%s: %s is no operation of the spec", where, sent)}
	}
	var why []string
	// The operationId is shorter than an Azure path, and as unique.
	operation := route.Operation.OperationID
	if operation == "" {
		operation = route.Method + " " + route.Path
	}
	for _, status := range statuses {
		if !documents(route.Operation.Responses, status) {
			why = append(why, fmt.Sprintf("%s: expects status %s, which the spec does not document for %s (it documents %s)",
				where, status, operation, strings.Join(responseKeys(route.Operation.Responses), ", ")))
		}
	}
	if s == wholeRequest {
		if result := d.validator.ValidateRequest(req, body); !result.OK() {
			why = append(why, where+": "+refusal(result))
		}
	}
	return why
}

// refuseOtherMethod judges a method case: its path must still be the
// document's, and the method it sends must still be one the path does not
// take, or the 4xx or 501 it expects is no longer the answer.
func (d *document) refuseOtherMethod(where, sent string, req *http.Request) []string {
	if _, _, err := d.router.FindRoute(req); err == nil {
		return []string{fmt.Sprintf("%s: %s is an operation of the spec, so a 4xx or 501 is no longer the answer", where, sent)}
	}
	for _, method := range allMethods {
		other := req.Clone(req.Context())
		other.Method = method
		if _, _, err := d.router.FindRoute(other); err == nil {
			return nil
		}
	}
	return []string{fmt.Sprintf("%s: the path of %s is under no method of the spec", where, sent)}
}

// allMethods are the methods an OpenAPI 3.0 path item may declare.
var allMethods = []string{
	http.MethodGet, http.MethodPut, http.MethodPost, http.MethodDelete,
	http.MethodOptions, http.MethodHead, http.MethodPatch, http.MethodTrace,
}

// documents reports whether an operation's responses cover a status a
// fixture expects: an exact code ("404") by its own response, its range
// ("4XX") or default; a class ("4xx") by any response of that class or
// default.
func documents(responses *openapi3.Responses, status string) bool {
	if responses == nil {
		return false
	}
	class := strings.HasSuffix(status, "xx")
	for key := range responses.Map() {
		if key == "default" {
			return true
		}
		sameClass := len(key) == 3 && key[0] == status[0]
		if sameClass && (class || key == status || strings.EqualFold(key[1:], "xx")) {
			return true
		}
	}
	return false
}

// responseKeys lists an operation's responses for a reason's text; default
// sorts after the codes.
func responseKeys(responses *openapi3.Responses) []string {
	if responses == nil || responses.Len() == 0 {
		return []string{"no response"}
	}
	keys := make([]string, 0, responses.Len())
	for key := range responses.Map() {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	return keys
}

// refusal says which validators refuse a request and why. The house rule is
// that a request is valid when both accept it, so a refusal by one is
// reported too, named as such.
func refusal(result validation.Result) string {
	switch {
	case len(result.Kin) > 0 && len(result.Lib) > 0:
		return fmt.Sprintf("both validators refuse it: %s: %s; %s: %s",
			validation.KinOpenAPI, digest(result.Kin), validation.LibOpenAPI, digest(result.Lib))
	case len(result.Kin) > 0:
		return fmt.Sprintf("%s refuses it (%s accepts it): %s", validation.KinOpenAPI, validation.LibOpenAPI, digest(result.Kin))
	default:
		return fmt.Sprintf("%s refuses it (%s accepts it): %s", validation.LibOpenAPI, validation.KinOpenAPI, digest(result.Lib))
	}
}

// maxDigest bounds one validator's part of a reason: kin-openapi follows
// its message with the whole schema and value.
const maxDigest = 300

// digest keeps the first line of each message, on one line.
func digest(messages []string) string {
	lines := make([]string, len(messages))
	for i, message := range messages {
		lines[i] = strings.TrimSpace(firstLine(message))
	}
	text := strings.Join(lines, " / ")
	if len(text) <= maxDigest {
		return text
	}
	cut := maxDigest
	for !utf8.RuneStart(text[cut]) {
		cut--
	}
	return text[:cut] + "…"
}
