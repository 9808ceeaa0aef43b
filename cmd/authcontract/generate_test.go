package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/authcontract/authcontract/reference"
)

// reportedCases reads a JSON report's case and check names, in order.
// Results are left out: whether the one GITHUB_ACTIONS config a target may
// hold goes to this case or that one depends on timing when cases run in
// parallel, so an open case may be accepted in one run and refused in the
// next.
func reportedCases(t *testing.T, path string) []string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		Outcomes []struct{ API, Check, Case string }
	}
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatalf("report %s: %v", path, err)
	}
	var out []string
	for _, o := range r.Outcomes {
		out = append(out, o.API+"/"+o.Check+"/"+o.Case)
	}
	return out
}

func TestVerifyRunsTheCasesItsSeedNames(t *testing.T) {
	dir := t.TempDir()
	first, again, other := filepath.Join(dir, "first.json"), filepath.Join(dir, "again.json"), filepath.Join(dir, "other.json")
	for _, run := range []struct {
		seed, report string
	}{{"11", first}, {"11", again}, {"12", other}} {
		code, stdout, stderr := runCLI(t, "verify", "--seed", run.seed, "--cases", "20", "--report-json", run.report)
		if code != exitOK {
			t.Fatalf("seed %s: exit %d\n%s\n%s", run.seed, code, stdout, stderr)
		}
		if !strings.Contains(stdout, "(seed "+run.seed+", 20 generated per operation") {
			t.Errorf("the start line does not give the seed and count:\n%s", stdout)
		}
	}
	if a, b := reportedCases(t, first), reportedCases(t, again); strings.Join(a, "\n") != strings.Join(b, "\n") {
		t.Errorf("two runs of seed 11 ran different cases")
	}
	if a, b := reportedCases(t, first), reportedCases(t, other); strings.Join(a, "\n") == strings.Join(b, "\n") {
		t.Errorf("seeds 11 and 12 ran the same cases")
	}

	t.Run("the report keeps the cases' order whatever --parallel is", func(t *testing.T) {
		serial, parallel := filepath.Join(dir, "serial.json"), filepath.Join(dir, "parallel.json")
		for _, run := range []struct{ workers, report string }{{"1", serial}, {"8", parallel}} {
			if code, stdout, _ := runCLI(t, "verify", "--seed", "11", "--cases", "20", "--parallel", run.workers, "--report-json", run.report); code != exitOK {
				t.Fatalf("--parallel %s: exit %d\n%s", run.workers, code, stdout)
			}
		}
		if a, b := reportedCases(t, serial), reportedCases(t, parallel); strings.Join(a, "\n") != strings.Join(b, "\n") {
			t.Errorf("--parallel 1 and --parallel 8 reported the cases in different orders")
		}
	})
	t.Run("--cases 0 runs the fixtures only", func(t *testing.T) {
		report := filepath.Join(dir, "fixtures-only.json")
		code, stdout, _ := runCLI(t, "verify", "--cases", "0", "--report-json", report)
		if code != exitOK {
			t.Fatalf("exit %d:\n%s", code, stdout)
		}
		data, err := os.ReadFile(report)
		if err != nil {
			t.Fatal(err)
		}
		var r struct {
			Outcomes []struct {
				Case      string
				Generated bool
				File      string
			}
		}
		if err := json.Unmarshal(data, &r); err != nil {
			t.Fatal(err)
		}
		for _, o := range r.Outcomes {
			if o.Generated || o.File == "" {
				t.Fatalf("case %q does not come from a fixture file", o.Case)
			}
		}
		if len(r.Outcomes) == 0 {
			t.Fatal("no outcomes")
		}
	})
	t.Run("a negative --cases is a usage error", func(t *testing.T) {
		if code, _, stderr := runCLI(t, "verify", "--cases", "-1"); code != exitUsage || !strings.Contains(stderr, "--cases -1") {
			t.Fatalf("exit %d: %s", code, stderr)
		}
	})
}

func TestVerifyEndsWithWhatItCovered(t *testing.T) {
	code, stdout, _ := runCLI(t, "verify", "--seed", "3", "--cases", "50")
	if code != exitOK {
		t.Fatalf("exit %d:\n%s", code, stdout)
	}
	for _, want := range []string{
		"coverage of containerapps: ", "responses: 200 ×", "404 ×", "default ×",
		"coverage of acs-m2m: ", "duration-units-and-maximum ×", "issuer-unique ×", "oauth2-required ×",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("the coverage summary lacks %q:\n%s", want, stdout)
		}
	}
	if lines := strings.Split(strings.TrimSpace(stdout), "\n"); !summaryLine.MatchString(lines[len(lines)-1]) {
		t.Errorf("the summary line is not last:\n%s", stdout)
	}
}

// A target that fails only on a non-ASCII mapping key: verify must shrink
// the generated case that finds it, print how to replay it, save it, and the
// saved fixture must fail that target again and pass a correct one.
func TestVerifyShrinksSavesAndReplaysAGeneratedFailure(t *testing.T) {
	broken := serveReferenceAs(t, "secret", func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(body))
			if r.URL.Path == "/v1/auth/m2m" && bytes.Contains(body, []byte(`"key"`)) && hasNonASCIIKey(body) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusInternalServerError)
				w.Write([]byte(`{"code":13,"error":"internal","message":"internal","details":[]}`))
				return
			}
			next.ServeHTTP(w, r)
		})
	})
	saved := t.TempDir()
	code, stdout, stderr := runCLI(t, "verify", "--target", broken, "--token", "secret", "--api", "acs-m2m",
		"--seed", "1", "--cases", "100", "--save-failures", saved)
	if code != exitViolation {
		t.Fatalf("exit %d, want 1\n%s\n%s", code, stdout, stderr)
	}
	for _, want := range []string{
		"FAILED: acs-m2m/status_code/generated ", "generated: shrunk in ",
		"replay:    authcontract verify --api acs-m2m --seed 1 --cases 100", "reproduce: curl ",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	files, _ := filepath.Glob(filepath.Join(saved, "acs-m2m", "seed-1-generated-*.json"))
	if len(files) == 0 {
		t.Fatalf("no failure saved in %s", saved)
	}

	t.Run("the saved fixture fails the broken target again", func(t *testing.T) {
		code, stdout, _ := runCLI(t, "verify", "--target", broken, "--token", "secret", "--api", "acs-m2m", "--cases", "0", "--fixtures", saved)
		if code != exitViolation || !strings.Contains(stdout, "(seed 1)") {
			t.Fatalf("exit %d, want 1 with the saved case failing:\n%s", code, stdout)
		}
	})
	t.Run("the saved fixture passes a correct implementation", func(t *testing.T) {
		correct := serveReferenceAs(t, "secret", func(next http.Handler) http.Handler { return next })
		code, stdout, _ := runCLI(t, "verify", "--target", correct, "--token", "secret", "--api", "acs-m2m", "--cases", "0", "--fixtures", saved)
		if code != exitOK {
			t.Fatalf("exit %d, want 0:\n%s", code, stdout)
		}
	})
}

func serveReferenceAs(t *testing.T, token string, wrap func(http.Handler) http.Handler) string {
	t.Helper()
	cfg := reference.DefaultConfig()
	cfg.BearerToken = token
	handler, err := reference.NewHandler(cfg)
	if err != nil {
		t.Fatal(err)
	}
	server := httptest.NewServer(wrap(handler))
	t.Cleanup(server.Close)
	return server.URL
}

func hasNonASCIIKey(body []byte) bool {
	var sent struct {
		Config struct {
			Mappings []struct{ Key string } `json:"mappings"`
		} `json:"config"`
	}
	if json.Unmarshal(body, &sent) != nil {
		return false
	}
	for _, m := range sent.Config.Mappings {
		for _, r := range m.Key {
			if r >= utf8.RuneSelf {
				return true
			}
		}
	}
	return false
}
