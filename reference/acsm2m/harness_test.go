//go:build !fuzzing

// Left out of `make fuzz` builds (-tags fuzzing): these tests judge replies
// with both OpenAPI validators, and building those libraries with fuzzing
// instrumentation costs CI minutes the fuzz targets do not need.

package acsm2m

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	gen "github.com/authcontract/authcontract/generated/acsm2m"
	"github.com/authcontract/authcontract/openapi"
	"github.com/authcontract/authcontract/openapi/validation"
	"github.com/authcontract/authcontract/reference/referencetest"
)

// harness runs the real handler behind a real HTTP server, keeps the store so
// tests can see what was stored, and judges every response with both
// validators.
type harness struct {
	server    *httptest.Server
	validator *validation.Validator
	store     *store
	issuers   atomic.Int64
}

// newHarness serves cfg; an empty BearerToken becomes testToken.
func newHarness(t *testing.T, cfg Config) *harness {
	t.Helper()
	if cfg.BearerToken == "" {
		cfg.BearerToken = testToken
	}
	handler, configs, err := newHandler(cfg)
	if err != nil {
		t.Fatalf("newHandler: %v", err)
	}
	v, err := validation.New(openapi.ACSM2M)
	if err != nil {
		t.Fatalf("load validators: %v", err)
	}
	server := httptest.NewServer(handler)
	t.Cleanup(server.Close)
	return &harness{server: server, validator: v, store: configs}
}

// uniqueIssuer gives an issuer no earlier call on this harness returned, so
// that tests sharing a harness do not collide on the unique key.
func (h *harness) uniqueIssuer() string {
	return fmt.Sprintf("https://issuer-%d.example.com", h.issuers.Add(1))
}

// call is one request; an empty auth sends no Authorization header and an
// empty contentType no Content-Type header.
type call struct {
	method      string
	path        string
	auth        string
	contentType string
	body        string
}

// post is the usual call: the operation with a valid token and a JSON body.
func post(body string) call {
	return call{method: http.MethodPost, path: operationPath, auth: validAuth, contentType: "application/json", body: body}
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
	req, err := http.NewRequest(c.method, h.server.URL+c.path, strings.NewReader(c.body))
	if err != nil {
		t.Fatalf("build request: %v", err)
	}
	if c.auth != "" {
		req.Header.Set("Authorization", c.auth)
	}
	if c.contentType != "" {
		req.Header.Set("Content-Type", c.contentType)
	}
	return req
}

// config decodes a 200 reply's config, failing the test on any other status.
func (r reply) config(t *testing.T) gen.V1AuthMachineToMachineConfig {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("status = %d, want 200; body %s", r.status, r.body)
	}
	var answer gen.V1AddAuthMachineToMachineConfigResponse
	if err := json.Unmarshal(r.body, &answer); err != nil {
		t.Fatalf("decode V1AddAuthMachineToMachineConfigResponse: %v; body %s", err, r.body)
	}
	if answer.Config == nil || answer.Config.Id == nil {
		t.Fatalf("config or config.id missing: %s", r.body)
	}
	return *answer.Config
}

// wantError fails the test unless the reply has the status and a
// RuntimeError with the gRPC code, equal non-empty error and message, and
// details []; it returns the message for further checks.
func (r reply) wantError(t *testing.T, status int, code int32) string {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d; body %s", r.status, status, r.body)
	}
	var body gen.RuntimeError
	if err := json.Unmarshal(r.body, &body); err != nil {
		t.Fatalf("decode RuntimeError: %v; body %s", err, r.body)
	}
	if body.Code == nil || body.Error == nil || body.Message == nil || body.Details == nil {
		t.Fatalf("want error, code, message and details all present, got %s", r.body)
	}
	if *body.Code != code {
		t.Errorf("code = %d, want %d (message %q)", *body.Code, code, *body.Message)
	}
	if *body.Message == "" || *body.Error != *body.Message {
		t.Errorf("error %q and message %q should be the same non-empty text", *body.Error, *body.Message)
	}
	if len(*body.Details) != 0 {
		t.Errorf("details = %v, want []", *body.Details)
	}
	return *body.Message
}

// absent, as a value in a config, removes the field.
const absent = "<absent>"

// githubConfig is a valid GITHUB_ACTIONS config with no issuer.
func githubConfig() map[string]any {
	return map[string]any{
		"type":                    "GITHUB_ACTIONS",
		"tokenExpirationDuration": "2h45m",
		"mappings":                []any{map[string]any{"key": "sub", "valueExpression": "repo:octo-org/octo-repo:.*", "role": "Continuous Integration"}},
	}
}

// genericConfig is a valid GENERIC config for the issuer.
func genericConfig(issuer string) map[string]any {
	return map[string]any{
		"type":                    "GENERIC",
		"tokenExpirationDuration": "2h45m",
		"issuer":                  issuer,
		"mappings":                []any{map[string]any{"key": "sub", "valueExpression": "^ci-[a-z]+$", "role": "Continuous Integration"}},
	}
}

// with returns a copy of config with key set to value, or removed when value
// is absent.
func with(config map[string]any, key string, value any) map[string]any {
	out := maps.Clone(config)
	if value == absent {
		delete(out, key)
	} else {
		out[key] = value
	}
	return out
}

// addRequest wraps config as V1AddAuthMachineToMachineConfigRequest JSON.
func addRequest(t *testing.T, config map[string]any) string {
	t.Helper()
	data, err := json.Marshal(map[string]any{"config": config})
	if err != nil {
		t.Fatalf("encode request: %v", err)
	}
	return string(data)
}
