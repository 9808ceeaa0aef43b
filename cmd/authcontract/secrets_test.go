package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/authcontract/authcontract/reference"
)

// No report of a run may carry a secret: not the bearer token verify sends,
// nor any token a target returns (the document marks properties.token
// x-ms-secret). The run is verbose and fails in places, so that bodies and
// validator messages are printed and every report is full.
func TestNoReportOfARunCarriesASecret(t *testing.T) {
	const bearer = "bearer-secret-0123456789abcdef"
	cfg := reference.DefaultConfig()
	cfg.BearerToken = bearer
	handler, err := reference.NewHandler(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var returned []string
	// Every token the target hands out is noted, and also put where the
	// suite quotes it: the app's name, which semantics compares and prints.
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		recorder := httptest.NewRecorder()
		handler.ServeHTTP(recorder, r)
		body := recorder.Body.Bytes()
		var token map[string]any
		if recorder.Code == http.StatusOK && json.Unmarshal(body, &token) == nil && token["properties"] != nil {
			mu.Lock()
			secret := token["properties"].(map[string]any)["token"].(string)
			returned = append(returned, secret)
			mu.Unlock()
			token["name"] = secret
			body, _ = json.Marshal(token)
		}
		for name, values := range recorder.Header() {
			w.Header()[name] = values
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(recorder.Code)
		w.Write(body)
	}))
	defer server.Close()

	dir := t.TempDir()
	jsonPath, junitPath := filepath.Join(dir, "report.json"), filepath.Join(dir, "report.xml")
	code, stdout, stderr := runCLI(t, "verify", "--target", server.URL, "--token", bearer, "--seed", "3", "-v",
		"--report-json", jsonPath, "--report-junit", junitPath)
	if code != exitViolation {
		t.Fatalf("exit %d, want 1 (the target names the wrong app)\nstderr:\n%s", code, stderr)
	}
	reports := map[string]string{"stdout": stdout, "stderr": stderr}
	for name, path := range map[string]string{"the JSON report": jsonPath, "the JUnit report": junitPath} {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		reports[name] = string(data)
	}
	if len(returned) == 0 {
		t.Fatal("the target handed out no token, so the test proves nothing")
	}
	for name, text := range reports {
		for _, secret := range append([]string{bearer}, returned...) {
			if strings.Contains(text, secret) {
				t.Errorf("%s carries the secret %.12s…", name, secret)
			}
		}
	}
	if !strings.Contains(reports["the JSON report"], "<redacted: ") {
		t.Error("the JSON report redacts nothing, so no secret would have been in it: the test proves nothing")
	}
}
