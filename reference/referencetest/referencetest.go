// Package referencetest sends requests to a reference server in tests and
// judges every reply with both validators, so that each reference test also
// proves its answers match the spec.
package referencetest

import (
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/authcontract/authcontract/openapi/validation"
)

// Reply is a response as a test reads it.
type Reply struct {
	Status int
	Header http.Header
	Body   []byte
}

// Do sends req and fails t unless the reply is JSON that both validators
// accept. A request the document does not describe (unknown path, other
// method) is judged as the documented operation (v.OperationRequest), whose
// default error the reply must then be.
func Do(t testing.TB, client *http.Client, v *validation.Validator, req *http.Request) Reply {
	t.Helper()
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body: %v", err)
	}
	r := Reply{Status: resp.StatusCode, Header: resp.Header, Body: body}

	if ct := r.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q, want application/json (status %d, body %s)", ct, r.Status, body)
	}
	if !json.Valid(body) {
		t.Errorf("body is not JSON: %q", body)
	}
	if result := v.ValidateResponse(v.OperationRequest(req), r.Status, r.Header, body); !result.OK() {
		t.Errorf("validators refused the %d reply %s: %s", r.Status, body, result)
	}
	return r
}
