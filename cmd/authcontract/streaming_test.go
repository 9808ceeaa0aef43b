package main

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/authcontract/authcontract/reference"
)

// A run stopped halfway (Ctrl-C in CI) exits 2 and leaves reports that
// are whole documents: every case reported so far, the rest as not sent.
func TestAnInterruptedRunLeavesWellFormedReports(t *testing.T) {
	cfg := reference.DefaultConfig()
	cfg.BearerToken = "secret"
	handler, err := reference.NewHandler(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	var served atomic.Int64
	target := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if served.Add(1) == 60 {
			stop()
		}
		handler.ServeHTTP(w, r)
	}))
	defer target.Close()
	dir, scratch := t.TempDir(), t.TempDir()
	t.Setenv("TMPDIR", scratch)
	jsonPath, junitPath := filepath.Join(dir, "report.json"), filepath.Join(dir, "report.xml")

	var stdout, stderr bytes.Buffer
	code := run(ctx, []string{"verify", "--target", target.URL, "--token", "secret", "--seed", "3", "--cases", "200",
		"--report-json", jsonPath, "--report-junit", junitPath}, &stdout, &stderr)

	if code != exitUsage || !strings.Contains(stderr.String(), "interrupted") {
		t.Fatalf("exit %d, want 2 saying the run was interrupted\nstderr:\n%s", code, stderr.String())
	}
	if !summaryLine.MatchString(stdout.String()) {
		t.Errorf("the text report has no summary line:\n%s", lastLines(stdout.String(), 10))
	}
	var report struct {
		Outcomes []struct{ Result, Actual string }
		Passed   int
	}
	data, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &report); err != nil {
		t.Fatalf("the JSON report is not a whole document: %v\n%s", err, lastLines(string(data), 10))
	}
	notSent := 0
	for _, o := range report.Outcomes {
		if strings.Contains(o.Actual, "not sent: the run was interrupted") {
			notSent++
		}
	}
	if report.Passed == 0 || notSent == 0 {
		t.Errorf("the JSON report holds %d passed and %d not-sent outcomes; want both", report.Passed, notSent)
	}
	junit, err := os.ReadFile(junitPath)
	if err != nil {
		t.Fatal(err)
	}
	var suites struct {
		Tests int `xml:"tests,attr"`
	}
	if err := xml.Unmarshal(junit, &suites); err != nil || suites.Tests != len(report.Outcomes) {
		t.Errorf("the JUnit report holds %d tests (%v); the JSON report %d outcomes", suites.Tests, err, len(report.Outcomes))
	}
	if leftovers, _ := os.ReadDir(scratch); len(leftovers) > 0 {
		t.Errorf("the run left %d temporary files behind", len(leftovers))
	}
}
