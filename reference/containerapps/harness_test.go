//go:build !fuzzing

// Left out of `make fuzz` builds (-tags fuzzing): these tests judge replies
// with both OpenAPI validators, and building those libraries with fuzzing
// instrumentation costs CI minutes the fuzz targets do not need.

package containerapps_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	gen "github.com/authcontract/authcontract/generated/containerapps"
	"github.com/authcontract/authcontract/openapi"
	"github.com/authcontract/authcontract/openapi/validation"
	"github.com/authcontract/authcontract/reference/containerapps"
	"github.com/authcontract/authcontract/reference/referencetest"
)

// harness runs the real handler behind a real HTTP server and judges every
// response with both validators.
type harness struct {
	server    *httptest.Server
	validator *validation.Validator
}

func newHarness(t *testing.T, cfg containerapps.Config) *harness {
	t.Helper()
	handler, err := containerapps.NewHandler(cfg)
	if err != nil {
		t.Fatalf("NewHandler: %v", err)
	}
	v, err := validation.New(openapi.ContainerApps)
	if err != nil {
		t.Fatalf("load validators: %v", err)
	}
	server := httptest.NewServer(handler)
	t.Cleanup(server.Close)
	return &harness{server: server, validator: v}
}

// call is one request; an empty auth sends no Authorization header.
type call struct {
	method string
	path   string
	query  url.Values
	auth   string
	body   string
}

// post is the usual call: the operation's method, the sample api-version and
// a valid token.
func post(path string) call {
	return call{method: http.MethodPost, path: path, query: url.Values{"api-version": {sampleVersion}}, auth: validAuth}
}

type reply struct {
	status int
	header http.Header
	body   []byte
}

// send performs c and fails the test unless the reply is JSON that both
// validators accept.
func (h *harness) send(t *testing.T, c call) reply {
	t.Helper()
	got := referencetest.Do(t, h.server.Client(), h.validator, h.request(t, c))
	return reply{status: got.Status, header: got.Header, body: got.Body}
}

// request builds the HTTP request for c.
func (h *harness) request(t *testing.T, c call) *http.Request {
	t.Helper()
	target := h.server.URL + c.path
	if len(c.query) > 0 {
		target += "?" + c.query.Encode()
	}
	var body io.Reader
	if c.body != "" {
		body = strings.NewReader(c.body)
	}
	req, err := http.NewRequest(c.method, target, body)
	if err != nil {
		t.Fatalf("build request: %v", err)
	}
	if c.auth != "" {
		req.Header.Set("Authorization", c.auth)
	}
	return req
}

// token decodes a 200 reply, failing the test on any other status.
func (r reply) token(t *testing.T) gen.ContainerAppAuthToken {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("status = %d, want 200; body %s", r.status, r.body)
	}
	var tok gen.ContainerAppAuthToken
	if err := json.Unmarshal(r.body, &tok); err != nil {
		t.Fatalf("decode ContainerAppAuthToken: %v", err)
	}
	if tok.Properties == nil || tok.Properties.Token == nil || tok.Properties.Expires == nil {
		t.Fatalf("properties.token or properties.expires missing: %s", r.body)
	}
	return tok
}

// wantError fails the test unless the reply has the status and a
// DefaultErrorResponse with the code and a non-empty message; it returns the
// message for further checks.
func (r reply) wantError(t *testing.T, status int, code string) string {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d; body %s", r.status, status, r.body)
	}
	var body gen.DefaultErrorResponse
	if err := json.Unmarshal(r.body, &body); err != nil {
		t.Fatalf("decode DefaultErrorResponse: %v; body %s", err, r.body)
	}
	if body.Error == nil || body.Error.Code == nil || body.Error.Message == nil {
		t.Fatalf("want {\"error\":{\"code\",\"message\"}}, got %s", r.body)
	}
	if *body.Error.Code != code {
		t.Errorf("error.code = %q, want %q (message %q)", *body.Error.Code, code, *body.Error.Message)
	}
	if *body.Error.Message == "" {
		t.Errorf("error.message is empty")
	}
	return *body.Error.Message
}
