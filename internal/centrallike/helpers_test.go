package centrallike

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

const (
	testToken = "test-token"
	// withToken is the Authorization header of a caller Central accepts.
	withToken = "Bearer " + testToken
	m2mPath   = "/v1/auth/m2m"
)

// gRPC codes as the error body carries them.
const (
	codeInvalidArgument = 3
	codeNotFound        = 5
	codeAlreadyExists   = 6
	codeUnimplemented   = 12
	codeInternal        = 13
	codeUnauthenticated = 16
)

// newServer starts a Server for one test; cfg's token defaults to testToken.
func newServer(t *testing.T, cfg Config) *httptest.Server {
	t.Helper()
	if cfg.BearerToken == "" {
		cfg.BearerToken = testToken
	}
	s, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return srv
}

// call is one request. An empty authorization sends no Authorization
// header; an empty contentType sends no Content-Type.
type call struct {
	method, path, contentType, authorization, body string
}

// post is a JSON POST to /v1/auth/m2m by an accepted caller.
func post(body string) call {
	return call{method: http.MethodPost, path: m2mPath, contentType: "application/json", authorization: withToken, body: body}
}

// reply is what came back.
type reply struct {
	status int
	header http.Header
	body   []byte
}

func send(t *testing.T, srv *httptest.Server, c call) reply {
	t.Helper()
	r, err := do(srv, c)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// do is send for goroutines other than the test's, which may not call
// t.Fatal.
func do(srv *httptest.Server, c call) (reply, error) {
	req, err := http.NewRequest(c.method, srv.URL+c.path, strings.NewReader(c.body))
	if err != nil {
		return reply{}, fmt.Errorf("building %s %s: %w", c.method, c.path, err)
	}
	if c.contentType != "" {
		req.Header.Set("Content-Type", c.contentType)
	}
	if c.authorization != "" {
		req.Header.Set("Authorization", c.authorization)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		return reply{}, fmt.Errorf("%s %s: %w", c.method, c.path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return reply{}, fmt.Errorf("reading the answer to %s %s: %w", c.method, c.path, err)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: body}, nil
}

// sendAtOnce sends every call concurrently, released together, and returns
// the replies in the calls' order.
func sendAtOnce(t *testing.T, srv *httptest.Server, calls []call) []reply {
	t.Helper()
	replies := make([]reply, len(calls))
	errs := make([]error, len(calls))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, c := range calls {
		wg.Go(func() {
			<-start
			replies[i], errs[i] = do(srv, c)
		})
	}
	close(start)
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	return replies
}

func (r reply) object(t *testing.T) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("body is not a JSON object: %v: %s", err, r.body)
	}
	return v
}

// config returns the "config" object of a 200 answer to an add.
func (r reply) config(t *testing.T) map[string]any {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("status = %d, want 200: %s", r.status, r.body)
	}
	c, ok := r.object(t)["config"].(map[string]any)
	if !ok {
		t.Fatalf("no config object in %s", r.body)
	}
	return c
}

// wantError checks the status and Central's error body: code, message,
// details [] and error repeating message.
func (r reply) wantError(t *testing.T, status, code int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status = %d, want %d: %s", r.status, status, r.body)
	}
	body := r.object(t)
	if got, ok := body["code"].(float64); !ok || int(got) != code {
		t.Errorf("code = %v, want %d: %s", body["code"], code, r.body)
	}
	msg, _ := body["message"].(string)
	if msg == "" || body["error"] != msg {
		t.Errorf("message %q and error %q should be the same non-empty text", msg, body["error"])
	}
	if d, ok := body["details"].([]any); !ok || len(d) != 0 {
		t.Errorf("details = %v, want []", body["details"])
	}
}

// genericConfig is a GENERIC config Central accepts.
func genericConfig(issuer string) map[string]any {
	return map[string]any{
		"type":                    "GENERIC",
		"tokenExpirationDuration": "1h",
		"issuer":                  issuer,
		"mappings": []any{
			map[string]any{"key": "sub", "valueExpression": "repo:octo-org/.*", "role": "Continuous Integration"},
		},
	}
}

// with returns a copy of config with the given fields replaced; a nil value
// removes the field.
func with(config map[string]any, fields map[string]any) map[string]any {
	c := maps.Clone(config)
	for k, v := range fields {
		if v == nil {
			delete(c, k)
			continue
		}
		c[k] = v
	}
	return c
}

// addBody wraps config as an AddAuthMachineToMachineConfigRequest.
func addBody(t *testing.T, config map[string]any) string {
	t.Helper()
	b, err := json.Marshal(map[string]any{"config": config})
	if err != nil {
		t.Fatalf("encoding the request: %v", err)
	}
	return string(b)
}

// oneMapping is a mappings list with a single mapping.
func oneMapping(valueExpression, role string) []any {
	return []any{map[string]any{"key": "sub", "valueExpression": valueExpression, "role": role}}
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("encoding %v: %v", v, err)
	}
	return b
}
