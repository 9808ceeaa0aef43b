package main

import (
	"context"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/authcontract/authcontract/contracttests/conformance"
	"github.com/authcontract/authcontract/openapi"
	"github.com/authcontract/authcontract/reference"
)

// A recorded fixture must replay: recorded from the reference, then run by
// the engine against the reference, it passes every check.
func TestRecordWritesAFixtureThatReplaysAgainstTheSameImplementation(t *testing.T) {
	cfg := reference.DefaultConfig()
	cfg.BearerToken = "rec"
	handler, err := reference.NewHandler(cfg)
	if err != nil {
		t.Fatal(err)
	}
	server := httptest.NewServer(handler)
	defer server.Close()

	dir := t.TempDir()
	bodyFile := filepath.Join(dir, "body.json")
	os.WriteFile(bodyFile, []byte(`{"config":{"tokenExpirationDuration":"90m","issuer":"https://rec-{unique}.example","mappings":[]}}`), 0o644)
	apiDir := filepath.Join(dir, "fixtures", string(openapi.ACSM2M))
	os.MkdirAll(apiDir, 0o755)
	out := filepath.Join(apiDir, "recorded.json")

	code, stdout, stderr := runCLI(t, "record", "--api", "acs-m2m", "--target", server.URL, "--token", "rec",
		"--name", "a 90 minute GENERIC config is stored", "--sentence", "tokenExpirationDuration: 가능한 유효한 시간 단위는 s, m, h입니다.",
		"--kind", "positive", "--path", "/v1/auth/m2m", "--body", bodyFile, "--out", out)
	if code != exitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "recorded 200") {
		t.Errorf("stderr does not report the recorded status:\n%s", stderr)
	}

	runner, err := conformance.NewRunner(conformance.Target{BaseURL: server.URL, Token: "rec", ContainerApp: cfg.ContainerApps.Apps[0], APIVersion: conformance.DefaultAPIVersion}, conformance.Options{RunID: "replay"})
	if err != nil {
		t.Fatal(err)
	}
	cases, err := conformance.LoadCases(os.DirFS(filepath.Join(dir, "fixtures")), []openapi.API{openapi.ACSM2M})
	if err != nil {
		t.Fatalf("the recorded fixture does not load: %v", err)
	}
	for _, o := range runner.Run(context.Background(), cases[0]) {
		if o.IsFailure() {
			t.Errorf("replaying the recorded fixture failed %s: %s", o.Check, o.Actual)
		}
	}
}

func TestRecordRefusesIncompleteRequests(t *testing.T) {
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"without --api and --target", []string{"record", "--name", "n"}, "--api"},
		{"with a negative kind but nothing broken", []string{"record", "--api", "acs-m2m", "--target", "URL", "--token", "t", "--name", "n", "--sentence", "s", "--kind", "negative", "--path", "/v1/auth/m2m"}, "expect.broken"},
		{"with a malformed --query", []string{"record", "--api", "acs-m2m", "--target", "URL", "--query", "novalue"}, "name=value"},
	}
	cfg := reference.DefaultConfig()
	cfg.BearerToken = "t"
	handler, _ := reference.NewHandler(cfg)
	server := httptest.NewServer(handler)
	defer server.Close()
	for _, tc := range cases {
		t.Run("record "+tc.name+" is a usage error", func(t *testing.T) {
			args := make([]string, len(tc.args))
			for i, a := range tc.args {
				args[i] = strings.Replace(a, "URL", server.URL, 1)
			}
			var errOut strings.Builder
			if code := run(context.Background(), args, io.Discard, &errOut); code != exitUsage {
				t.Fatalf("exit %d, want %d; stderr %s", code, exitUsage, errOut.String())
			}
			if !strings.Contains(errOut.String(), tc.want) {
				t.Errorf("stderr does not mention %q:\n%s", tc.want, errOut.String())
			}
		})
	}
}
