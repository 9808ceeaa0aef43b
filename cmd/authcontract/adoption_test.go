package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// outcomeNames runs verify with a JSON report and returns the api/check/case
// names of its outcomes.
func outcomeNames(t *testing.T, wantCode int, args ...string) []string {
	t.Helper()
	jsonPath := filepath.Join(t.TempDir(), "report.json")
	code, stdout, stderr := runCLI(t, append(args, "--report-json", jsonPath)...)
	if code != wantCode {
		t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, wantCode, lastLines(stdout, 20), stderr)
	}
	var run struct {
		Outcomes []struct{ API, Check, Case string } `json:"outcomes"`
	}
	data, err := os.ReadFile(jsonPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &run); err != nil {
		t.Fatal(err)
	}
	names := make([]string, len(run.Outcomes))
	for i, o := range run.Outcomes {
		names[i] = o.API + "/" + o.Check + "/" + o.Case
	}
	return names
}

// A CI matrix splits one seed's run: the shards together are exactly the
// unsharded run, none twice.
func TestShardsOfOneSeedAreTheWholeRun(t *testing.T) {
	run := []string{"verify", "--seed", "17", "--cases", "30"}
	whole := outcomeNames(t, exitOK, run...)
	var together []string
	for _, shard := range []string{"1/3", "2/3", "3/3"} {
		together = append(together, outcomeNames(t, exitOK, append(run, "--shard", shard)...)...)
	}
	slices.Sort(whole)
	slices.Sort(together)
	if !slices.Equal(whole, together) {
		t.Fatalf("3 shards ran %d outcomes, the whole run %d", len(together), len(whole))
	}
	for _, bad := range []string{"0/3", "4/3", "1", "a/b", "1/0"} {
		if code, _, stderr := runCLI(t, "verify", "--shard", bad); code != exitUsage || !strings.Contains(stderr, "--shard") {
			t.Errorf("--shard %s: exit %d: %s", bad, code, stderr)
		}
	}
}

func TestChecksCanBeSelectedByName(t *testing.T) {
	cases := []struct {
		name  string
		flags []string
		want  func(check string) bool
	}{
		{"--checks runs only the checks named", []string{"--checks", "auth,status_code"}, func(c string) bool { return c == "auth" || c == "status_code" }},
		{"--exclude-checks runs every other", []string{"--exclude-checks", "response_schema"}, func(c string) bool { return c != "response_schema" }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			names := outcomeNames(t, exitOK, append([]string{"verify", "--seed", "3", "--cases", "20"}, tc.flags...)...)
			if len(names) == 0 {
				t.Fatal("no outcome")
			}
			for _, name := range names {
				if check := strings.Split(name, "/")[1]; !tc.want(check) {
					t.Fatalf("%s ran", name)
				}
			}
		})
	}
	t.Run("an unknown check name is a usage error", func(t *testing.T) {
		code, _, stderr := runCLI(t, "verify", "--checks", "auth,status_codes")
		if code != exitUsage || !strings.Contains(stderr, `"status_codes" is not a check`) {
			t.Fatalf("exit %d: %s", code, stderr)
		}
	})
}

// A team adopts the suite before its implementation passes: its list of
// known failures keeps the run green, a fixed case must leave the list, and
// a pattern that names nothing is refused.
func TestAKnownFailingListLetsATeamAdoptTheSuite(t *testing.T) {
	// Accepts everything: fails auth, rejections and more.
	accepting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{}`))
	}))
	defer accepting.Close()
	list := func(t *testing.T, lines ...string) string {
		path := filepath.Join(t.TempDir(), "known-failing.txt")
		os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o600)
		return path
	}
	run := []string{"verify", "--target", accepting.URL, "--token", "t", "--cases", "0", "--api", "containerapps"}

	// The first run's failures become the list, as a team would write it.
	var failing []string
	jsonPath := filepath.Join(t.TempDir(), "first.json")
	if code, _, _ := runCLI(t, append(run, "--seed", "1", "--report-json", jsonPath)...); code != exitViolation {
		t.Fatalf("the accept-everything target passed: exit %d", code)
	}
	var first struct {
		Outcomes []struct{ API, Check, Case, Result string } `json:"outcomes"`
	}
	data, _ := os.ReadFile(jsonPath)
	json.Unmarshal(data, &first)
	for _, o := range first.Outcomes {
		if o.Result == "failed" {
			failing = append(failing, o.API+"/"+o.Check+"/"+o.Case)
		}
	}

	t.Run("every failure listed: exit 0, each reported as known", func(t *testing.T) {
		code, stdout, stderr := runCLI(t, append(run, "--seed", "1", "--known-failing", list(t, append([]string{"# known before we fixed anything"}, failing...)...))...)
		if code != exitOK {
			t.Fatalf("exit %d\n%s\n%s", code, lastLines(stdout, 10), stderr)
		}
		if !strings.Contains(stdout, "KNOWN FAILURE: containerapps/auth/") || !strings.Contains(stdout, fmt.Sprintf(", %d known failures", len(failing))) {
			t.Errorf("known failures are not reported:\n%s", lastLines(stdout, 10))
		}
	})
	t.Run("patterns name many cases at once", func(t *testing.T) {
		code, stdout, _ := runCLI(t, append(run, "--seed", "1", "--known-failing", list(t, "containerapps/auth/*", "containerapps/negative_rejection/*", "**/semantics/*", "containerapps/response_schema/*", "containerapps/status_code/*does not exist gets 404", "containerapps/status_code/GET*"))...)
		if code != exitOK {
			t.Fatalf("exit %d\n%s", code, lastLines(stdout, 30))
		}
	})
	t.Run("a listed case that passes fails the run", func(t *testing.T) {
		code, stdout, _ := runCLI(t, append(run, "--seed", "1", "--known-failing", list(t, append(failing, "containerapps/content_type/*")...))...)
		if code != exitViolation || !strings.Contains(stdout, "it passes now: remove it from the list") {
			t.Fatalf("exit %d\n%s", code, lastLines(stdout, 20))
		}
	})
	t.Run("a pattern that matches no case is a usage error", func(t *testing.T) {
		code, _, stderr := runCLI(t, append(run, "--known-failing", list(t, "containerapps/auth/no such case"))...)
		if code != exitUsage || !strings.Contains(stderr, "match no case") {
			t.Fatalf("exit %d: %s", code, stderr)
		}
	})
}
