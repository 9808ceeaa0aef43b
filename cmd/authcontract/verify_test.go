package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/authcontract/authcontract/reference"
)

var summaryLine = regexp.MustCompile(`(?m)^(\d+) passed, (\d+) failed, (\d+) warnings(, \d+ skipped)?$`)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestVerifyOfTheEmbeddedReferencePassesWithZeroFailuresAndZeroWarnings(t *testing.T) {
	code, stdout, stderr := runCLI(t, "verify", "--seed", "7")
	if code != exitOK {
		t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	match := summaryLine.FindStringSubmatch(stdout)
	if match == nil || match[2] != "0" || match[3] != "0" || match[1] == "0" {
		t.Fatalf("want a summary with passes, 0 failures and 0 warnings, got:\n%s", stdout)
	}
	if !strings.Contains(stdout, "seed 7") {
		t.Errorf("the seed is not printed:\n%s", stdout)
	}
}

func TestVerifyExitCodes(t *testing.T) {
	closedPort := func() string {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := l.Addr().String()
		l.Close()
		return "http://" + addr
	}()
	cases := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"an unknown --api is a usage error", []string{"verify", "--api", "graphql"}, exitUsage, `--api "graphql"`},
		{"an unknown flag is a usage error", []string{"verify", "--colour"}, exitUsage, "flag provided but not defined"},
		{"an unreachable target exits 2", []string{"verify", "--target", closedPort, "--token", "t"}, exitUsage, "unreachable"},
		{"a target that is not a URL exits 2", []string{"verify", "--target", "ftp://x", "--token", "t"}, exitUsage, "not an http or https URL"},
		{"a target without a token exits 2", []string{"verify", "--target", "http://127.0.0.1:1", "--token", ""}, exitUsage, ""},
		{"a malformed container app id exits 2", []string{"verify", "--containerapp", "/subscriptions/x"}, exitUsage, "parse app id"},
		{"a malformed container app id for a remote target exits 2", []string{"verify", "--target", "http://127.0.0.1:1", "--token", "t", "--containerapp", "/subscriptions/x"}, exitUsage, ""},
		{"an unknown command is a usage error", []string{"frobnicate"}, exitUsage, "unknown command"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("AUTHCONTRACT_TOKEN", "")
			t.Setenv("AUTHCONTRACT_TARGET", "")
			code, stdout, stderr := runCLI(t, tc.args...)
			if code != tc.wantCode {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tc.wantCode, stdout, stderr)
			}
			if !strings.Contains(stderr, tc.wantErr) {
				t.Errorf("stderr does not say %q:\n%s", tc.wantErr, stderr)
			}
		})
	}
}

// A target that accepts everything with an empty 200 breaks nearly every
// rule; verify must exit 1 and name the checks, with reports that parse.
func TestVerifyOfABrokenTargetExitsOneNamingTheCheckAndWritesReports(t *testing.T) {
	accepting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{}`))
	}))
	defer accepting.Close()
	dir := t.TempDir()
	jsonPath, junitPath := filepath.Join(dir, "report.json"), filepath.Join(dir, "report.xml")

	// A few generated cases are enough: each fails, and shrinking it sends
	// many more requests.
	code, stdout, stderr := runCLI(t, "verify", "--target", accepting.URL, "--token", "t", "--seed", "42", "--cases", "10",
		"--report-json", jsonPath, "--report-junit", junitPath)
	if code != exitViolation {
		t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	for _, want := range []string{
		"FAILED: containerapps/auth/a request without a token is refused",
		"FAILED: acs-m2m/negative_rejection/a token expiration over 24h is refused",
		"reproduce: curl ",
		"document:  ",
		"replay: authcontract verify --api all --seed 42",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if m := summaryLine.FindStringSubmatch(stdout); m == nil || m[2] == "0" {
		t.Errorf("want a summary line with failures, got:\n%s", stdout)
	}

	var jsonReport struct {
		Seed     int64 `json:"seed"`
		Failed   int   `json:"failed"`
		Outcomes []struct {
			Check, Case, Result string
		} `json:"outcomes"`
	}
	data, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &jsonReport); err != nil {
		t.Fatalf("JSON report does not parse: %v", err)
	}
	if jsonReport.Seed != 42 || jsonReport.Failed == 0 || len(jsonReport.Outcomes) == 0 {
		t.Errorf("JSON report: seed %d, %d failed, %d outcomes", jsonReport.Seed, jsonReport.Failed, len(jsonReport.Outcomes))
	}

	var junit struct {
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Name  string `xml:"name,attr"`
			Cases []struct {
				Name    string    `xml:"name,attr"`
				Failure *struct{} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	data, err = os.ReadFile(junitPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal(data, &junit); err != nil {
		t.Fatalf("JUnit report does not parse: %v", err)
	}
	if junit.Failures != jsonReport.Failed || len(junit.Suites) != 2 {
		t.Errorf("JUnit report: %d failures (JSON says %d), %d suites", junit.Failures, jsonReport.Failed, len(junit.Suites))
	}
}

func TestVerifyOfAnotherReferenceServerViaTargetPasses(t *testing.T) {
	cfg := reference.DefaultConfig()
	cfg.BearerToken = "secret"
	handler, err := reference.NewHandler(cfg)
	if err != nil {
		t.Fatal(err)
	}
	server := httptest.NewServer(handler)
	defer server.Close()
	code, stdout, stderr := runCLI(t, "verify", "--target", server.URL, "--token", "secret", "--api", "acs-m2m")
	if code != exitOK {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if strings.Contains(stdout, "containerapps") {
		t.Errorf("--api acs-m2m still ran containerapps cases:\n%s", stdout)
	}
}
