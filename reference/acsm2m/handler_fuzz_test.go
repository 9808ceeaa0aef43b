package acsm2m

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/uuid"

	gen "github.com/authcontract/authcontract/generated/acsm2m"
)

// fuzzBodyLimit replaces the 1 MiB default so that the fuzzer reaches the 413
// path with inputs small enough to mutate and minimize quickly; a few
// mappings fit well within it.
const fuzzBodyLimit = 4 << 10

// gatewayCodes is the gRPC code each status this server sends must carry:
// grpc-gateway's mapping for the statuses a gRPC method produces, plus the
// codes codes.go chooses for what the gateway answers itself (501, 413, 415).
// It is restated here so that a wrong entry in codes.go shows up as a
// mismatch.
func gatewayCodes() map[int]int32 {
	return map[int]int32{
		http.StatusBadRequest:            3,  // INVALID_ARGUMENT
		http.StatusUnauthorized:          16, // UNAUTHENTICATED
		http.StatusNotFound:              5,  // NOT_FOUND
		http.StatusNotImplemented:        12, // UNIMPLEMENTED
		http.StatusConflict:              6,  // ALREADY_EXISTS
		http.StatusRequestEntityTooLarge: 8,  // RESOURCE_EXHAUSTED
		http.StatusUnsupportedMediaType:  3,  // INVALID_ARGUMENT
	}
}

// FuzzAddConfigHandler sends arbitrary bodies and content types, with the
// right bearer token, through the whole handler: guard, generated decoding,
// validation and store. Whatever arrives, the reply is JSON and never a 5xx;
// an error is a RuntimeError whose code matches the status; a 200 comes only
// for a request the rules allow, carries the config as sent under a fresh
// UUID, and every such request gets a 200 (each input has its own empty
// store, so no issuer is taken). A config whose only fault is a role that
// does not exist gets exactly 404.
func FuzzAddConfigHandler(f *testing.F) {
	for _, config := range seedConfigs() {
		f.Add(`{"config":`+config+`}`, "application/json")
	}
	sample := `{"config":` + seedConfigs()[0] + `}`
	for _, seed := range []struct{ body, contentType string }{
		{sample, ""},
		{sample, "application/json; charset=utf-8"},
		{sample, "Application/JSON"},
		{sample, "text/plain"},
		{sample, "application/json; charset"},
		{sample, "application/x-www-form-urlencoded"},
		{`{"config":{"tokenExpirationDuration":"1h","issuer":"https://a.example"}} {}`, "application/json"},
		{`{"config":{"tokenExpirationDuration":"1h","issuer":"https://a.example"},"Config":null}`, "application/json"},
		{`{"CONFIG":{"ID":"2f6b2c5e-8d0a-4d8e-9a53-1f1c7f0e2a61","tokenExpirationDuration":"1h","issuer":"https://a.example"}}`, "application/json"},
		{`{"config":5}`, "application/json"},
		{`{"config":null}`, "application/json"},
		{`null`, "application/json"},
		{`[]`, "application/json"},
		{``, "application/json"},
		{`{"config":{"mappings":` + strings.Repeat("[", 1000) + strings.Repeat("]", 1000) + `}}`, "application/json"},
		{`{"config":{"mappings":[` + strings.Repeat(`{"key":`, 500) + `""` + strings.Repeat("}", 500) + `]}}`, "application/json"},
		{`{"config":{"issuer":"` + strings.Repeat("x", fuzzBodyLimit) + `"}}`, "application/json"},
		{`{"config":{"tokenExpirationDuration":"1h","issuer":"https://a.example","mappings":[{"key":"sub","valueExpression":".*","role":"Ghost"}]}}`, "application/json"},
		{`{"config":{"tokenExpirationDuration":"1h","issuer":"https://a.example","mappings":[{"key":"sub","valueExpression":".*"}]}}`, "application/json"},
	} {
		f.Add(seed.body, seed.contentType)
	}

	f.Fuzz(func(t *testing.T, body, contentType string) {
		handler, err := NewHandler(Config{BearerToken: testToken, MaxBodyBytes: fuzzBodyLimit})
		if err != nil {
			t.Fatalf("NewHandler: %v", err)
		}
		req := httptest.NewRequest(http.MethodPost, operationPath, strings.NewReader(body))
		req.Header.Set("Authorization", validAuth)
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		rec := httptest.NewRecorder()
		handler.ServeHTTP(rec, req)

		status, reply := rec.Code, rec.Body.Bytes()
		if status >= 500 || status < 200 {
			t.Fatalf("status %d for body %q (content type %q); reply %s", status, body, contentType, reply)
		}
		if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
			t.Errorf("Content-Type = %q, want application/json (status %d)", ct, status)
		}
		if !json.Valid(reply) {
			t.Fatalf("status %d reply is not JSON: %q", status, reply)
		}

		allowed, why := documentAllows(body, contentType)
		if status != http.StatusOK {
			checkRuntimeError(t, status, reply)
			if allowed {
				t.Errorf("status %d for a request the document allows (%s): body %q, content type %q; reply %s", status, why, body, contentType, reply)
			}
			if why == whyUnknownRole && status != http.StatusNotFound {
				t.Errorf("status %d for a config whose only fault is a role that does not exist, want 404: body %q; reply %s", status, body, reply)
			}
			return
		}
		if !allowed {
			t.Fatalf("200 for a request the document does not allow (%s): body %q, content type %q; reply %s", why, body, contentType, reply)
		}
		checkStoredConfig(t, []byte(body), reply)
	})
}

// whyUnknownRole is documentAllows' reason for a config that breaks no rule
// but names a role that does not exist.
const whyUnknownRole = "a mapping names a role that does not exist"

// documentAllows decides, without the handler's code, whether a request
// with the right token should be stored: a JSON content type (or none), at
// most fuzzBodyLimit bytes holding exactly one JSON document, a "config"
// object, no broken rule, and only roles that exist (the handler runs with
// the built-in roles). It says why when it refuses.
func documentAllows(body, contentType string) (bool, string) {
	if contentType != "" {
		mediaType, _, err := mime.ParseMediaType(contentType)
		if err != nil || mediaType != "application/json" {
			return false, "content type is not application/json"
		}
	}
	if len(body) > fuzzBodyLimit {
		return false, "body is over the limit"
	}
	if !json.Valid([]byte(body)) {
		return false, "body is not one JSON document"
	}
	var request gen.V1AddAuthMachineToMachineConfigRequest
	if err := json.Unmarshal([]byte(body), &request); err != nil {
		return false, "body does not decode as V1AddAuthMachineToMachineConfigRequest: " + err.Error()
	}
	if request.Config == nil {
		return false, "body has no config"
	}
	if violations := ruleViolations(*request.Config); len(violations) > 0 {
		return false, violations[0].rule
	}
	if unknown := unknownRoles(*request.Config, existingRoles()); len(unknown) > 0 {
		return false, whyUnknownRole
	}
	return true, "a valid config"
}

// checkRuntimeError fails t unless reply is exactly a RuntimeError with the
// code the status maps to, the same non-empty text in error and message, and
// details [] as grpc-gateway sends them.
func checkRuntimeError(t *testing.T, status int, reply []byte) {
	t.Helper()
	var body gen.RuntimeError
	decoder := json.NewDecoder(bytes.NewReader(reply))
	decoder.DisallowUnknownFields()
	if err := decoder.Decode(&body); err != nil {
		t.Fatalf("status %d reply is not a RuntimeError: %v; reply %s", status, err, reply)
	}
	if body.Code == nil || body.Message == nil || *body.Message == "" {
		t.Fatalf("status %d RuntimeError lacks a code or a non-empty message: %s", status, reply)
	}
	want, known := gatewayCodes()[status]
	if !known {
		t.Fatalf("status %d is not one this operation answers with; reply %s", status, reply)
	}
	if *body.Code != want {
		t.Errorf("status %d carries gRPC code %d, want %d; reply %s", status, *body.Code, want, reply)
	}
	if body.Error == nil || *body.Error != *body.Message {
		t.Errorf("error and message should carry the same text: %s", reply)
	}
	if body.Details == nil || len(*body.Details) != 0 {
		t.Errorf("details should be []: %s", reply)
	}
}

// checkStoredConfig fails t unless a 200 reply holds the config that was
// sent, with the documented defaults filled in, under a non-nil UUID that
// appears nowhere in the request.
func checkStoredConfig(t *testing.T, request, reply []byte) {
	t.Helper()
	var answer gen.V1AddAuthMachineToMachineConfigResponse
	decoder := json.NewDecoder(bytes.NewReader(reply))
	decoder.DisallowUnknownFields()
	if err := decoder.Decode(&answer); err != nil {
		t.Fatalf("200 reply is not a V1AddAuthMachineToMachineConfigResponse: %v; reply %s", err, reply)
	}
	if answer.Config == nil || answer.Config.Id == nil {
		t.Fatalf("200 reply has no config or no config.id: %s", reply)
	}
	id := uuid.UUID(*answer.Config.Id)
	if id == uuid.Nil {
		t.Errorf("200 reply assigns the nil UUID: %s", reply)
	}
	if uuidsIn(request)[id] {
		t.Errorf("200 reply keeps id %s, which the request sent: request %s", id, request)
	}

	var sent gen.V1AddAuthMachineToMachineConfigRequest
	if err := json.Unmarshal(request, &sent); err != nil || sent.Config == nil {
		t.Fatalf("decode the accepted request again: %v", err)
	}
	want := *sent.Config
	want.Id = answer.Config.Id
	if want.Type == nil {
		generic := gen.V1AuthMachineToMachineConfigType("GENERIC")
		want.Type = &generic
	}
	if string(*want.Type) == "GITHUB_ACTIONS" && (want.Issuer == nil || *want.Issuer == "") {
		issuer := documentedGitHubIssuer
		want.Issuer = &issuer
	}
	if want.Mappings == nil {
		want.Mappings = &[]gen.AuthMachineToMachineConfigMapping{}
	}
	wantJSON, err := json.Marshal(want)
	if err != nil {
		t.Fatalf("encode the expected config: %v", err)
	}
	gotJSON, err := json.Marshal(answer.Config)
	if err != nil {
		t.Fatalf("encode the stored config: %v", err)
	}
	if !bytes.Equal(gotJSON, wantJSON) {
		t.Errorf("stored config is not the one sent with its defaults:\ngot  %s\nwant %s", gotJSON, wantJSON)
	}
}

// uuidsIn returns every UUID written as a JSON string anywhere in body, as a
// key or a value, so that an id the client chose is found wherever it was
// put, including in a member that encoding/json would overwrite.
func uuidsIn(body []byte) map[uuid.UUID]bool {
	found := map[uuid.UUID]bool{}
	decoder := json.NewDecoder(bytes.NewReader(body))
	for {
		token, err := decoder.Token()
		if err != nil {
			return found
		}
		if s, ok := token.(string); ok {
			if id, err := uuid.Parse(s); err == nil {
				found[id] = true
			}
		}
	}
}
