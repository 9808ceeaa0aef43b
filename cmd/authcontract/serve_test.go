package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/authcontract/authcontract/internal/localtls"
)

// samplePathWithoutVersion is the document's sample request up to its
// api-version, which tests append.
const samplePathWithoutVersion = "/subscriptions/651f8027-33e8-4ec4-97b4-f6e9f3dc8744/resourceGroups/rg/providers/Microsoft.App/containerApps/testcontainerapp0/getAuthtoken?api-version="

const sampleRequestPath = samplePathWithoutVersion + "2023-08-01-preview"

// builtInRoleLines are the banner lines naming the roles every Central has.
func builtInRoleLines() []string {
	return []string{"acs role: Admin", "acs role: Analyst", "acs role: Continuous Integration", "acs role: None", "acs role: Sensor Creator"}
}

// startServe runs serve with args and returns its base URL once the banner
// has printed every line in want; it fails the test if the banner ends
// first. When the test ends, serve is cancelled and must exit 0.
func startServe(t *testing.T, args []string, want ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	stdoutReader, stdoutWriter := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- serve(ctx, args, stdoutWriter, io.Discard)
		stdoutWriter.Close()
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case code := <-done:
			if code != exitOK {
				t.Errorf("serve exited %d after cancel, want 0", code)
			}
		case <-time.After(10 * time.Second):
			t.Error("serve did not stop after its context was cancelled")
		}
	})

	missing := map[string]bool{}
	for _, line := range want {
		missing[line] = true
	}
	var base string
	lines := bufio.NewScanner(stdoutReader)
	for (base == "" || len(missing) > 0) && lines.Scan() {
		line := lines.Text()
		if address, ok := strings.CutPrefix(line, "authcontract reference server listening on "); ok {
			base = address
		}
		delete(missing, line)
	}
	if base == "" || len(missing) > 0 {
		t.Fatalf("serve's banner lacks the address or lines %q (address %q)", bannerLines(missing), base)
	}
	go io.Copy(io.Discard, stdoutReader)
	return base
}

func bannerLines(set map[string]bool) []string {
	var out []string
	for k := range set {
		out = append(out, k)
	}
	return out
}

// postToServe sends body to base+path with the bearer token and returns the status.
func postToServe(t *testing.T, base, path, token, body string) int {
	t.Helper()
	return postWithClient(t, http.DefaultClient, base, path, token, body)
}

// postWithClient is postToServe through client, e.g. one that trusts a
// private CA.
func postWithClient(t *testing.T, client *http.Client, base, path, token, body string) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, base+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// configWithRole is an ACS config whose one mapping names role.
func configWithRole(issuer, role string) string {
	return `{"config":{"type":"GENERIC","issuer":"` + issuer + `","tokenExpirationDuration":"1h","mappings":[{"key":"sub","valueExpression":".*","role":"` + role + `"}]}}`
}

func TestServePrintsWhatAClientNeedsAnswersTheSampleAndStopsWhenCancelled(t *testing.T) {
	want := append([]string{"bearer token: serve-test", "container app: /subscriptions/651f8027-33e8-4ec4-97b4-f6e9f3dc8744/resourceGroups/rg/providers/Microsoft.App/containerApps/testcontainerapp0", "api-version: 2023-08-01-preview"}, builtInRoleLines()...)
	base := startServe(t, []string{"--addr", "127.0.0.1:0", "--token", "serve-test"}, want...)

	if status := postToServe(t, base, sampleRequestPath, "serve-test", ""); status != http.StatusOK {
		t.Fatalf("the document's sample request got %d, want 200", status)
	}
	if status := postToServe(t, base, "/v1/auth/m2m", "serve-test", configWithRole("https://issuer.example.com", "Continuous Integration")); status != http.StatusOK {
		t.Fatalf("an ACS config naming a built-in role got %d, want 200", status)
	}
}

func TestServeRoleAddsRolesToTheBuiltInOnes(t *testing.T) {
	want := append(builtInRoleLines(), "acs role: Auditor", "acs role: Release Manager")
	base := startServe(t, []string{"--addr", "127.0.0.1:0", "--token", "serve-test", "--role", "Auditor", "--role", "Release Manager", "--role", "Admin"}, want...)

	for _, tc := range []struct {
		name, role string
		want       int
	}{
		{"a role given with --role is accepted", "Release Manager", http.StatusOK},
		{"a built-in role is still accepted", "Admin", http.StatusOK},
		{"a role neither built in nor given is refused with 404", "Ghost", http.StatusNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			issuer := "https://" + strings.ReplaceAll(strings.ToLower(tc.name), " ", "-") + ".example.com"
			if status := postToServe(t, base, "/v1/auth/m2m", "serve-test", configWithRole(issuer, tc.role)); status != tc.want {
				t.Errorf("a config naming %q got %d, want %d", tc.role, status, tc.want)
			}
		})
	}
}

func TestServeAPIVersionAddsToTheDefaultVersion(t *testing.T) {
	base := startServe(t, []string{"--addr", "127.0.0.1:0", "--token", "serve-test", "--api-version", "2025-07-01", "--api-version", "2023-08-01-preview"},
		"api-version: 2023-08-01-preview", "api-version: 2025-07-01")

	for _, tc := range []struct {
		name, version string
		want          int
	}{
		{"the default version is still accepted", "2023-08-01-preview", http.StatusOK},
		{"a version given with --api-version is accepted", "2025-07-01", http.StatusOK},
		{"a version neither default nor given is refused with 400", "2024-03-01", http.StatusBadRequest},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if status := postToServe(t, base, samplePathWithoutVersion+tc.version, "serve-test", ""); status != tc.want {
				t.Errorf("api-version %s got %d, want %d", tc.version, status, tc.want)
			}
		})
	}
}

func TestServeOverHTTPS(t *testing.T) {
	files, err := localtls.WriteFiles(t.TempDir(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	base := startServe(t, []string{"--addr", "127.0.0.1:0", "--token", "serve-test", "--tls-cert", files.Cert, "--tls-key", files.Key})

	t.Run("the banner gives an https address", func(t *testing.T) {
		if !strings.HasPrefix(base, "https://") {
			t.Errorf("serve listens on %q, want an https:// address", base)
		}
	})
	t.Run("a client trusting the CA gets the sample's token", func(t *testing.T) {
		if status := postWithClient(t, clientTrusting(t, files.CA), base, sampleRequestPath, "serve-test", ""); status != http.StatusOK {
			t.Errorf("the document's sample request over https got %d, want 200", status)
		}
	})
}

// clientTrusting is an https client that trusts only the CA in caFile.
func clientTrusting(t *testing.T, caFile string) *http.Client {
	t.Helper()
	ca, err := os.ReadFile(caFile)
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	if !roots.AppendCertsFromPEM(ca) {
		t.Fatalf("%s holds no certificate", caFile)
	}
	return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}, Timeout: 10 * time.Second}
}

func TestServeHelpSaysWhichFlagsAddToTheirDefaults(t *testing.T) {
	var help bytes.Buffer
	if code := serve(context.Background(), []string{"--help"}, io.Discard, &help); code != exitUsage {
		t.Fatalf("exit %d, want %d", code, exitUsage)
	}
	for _, tc := range []struct {
		name  string
		wants []string
	}{
		{"--role adds to the built-in roles", []string{"-role", "adds to the built-in roles", "Admin, Analyst, Continuous Integration, None, Sensor Creator"}},
		{"--api-version adds to the default version", []string{"-api-version", "adds to the default", "2023-08-01-preview"}},
		{"--tls-cert and --tls-key serve https", []string{"-tls-cert", "-tls-key", "https"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, want := range tc.wants {
				if !strings.Contains(help.String(), want) {
					t.Errorf("--help does not say %q:\n%s", want, help.String())
				}
			}
		})
	}
}

func TestServeRefusesBadFlags(t *testing.T) {
	files, err := localtls.WriteFiles(t.TempDir(), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(t.TempDir(), "missing.pem")
	cases := []struct {
		name string
		args []string
		says string // part of what stderr must say; empty: any message
	}{
		{"a malformed container app id", []string{"--addr", "127.0.0.1:0", "--containerapp", "not-an-id"}, ""},
		{"an address that cannot be listened on", []string{"--addr", "256.0.0.1:99999"}, ""},
		{"a stray argument", []string{"extra"}, ""},
		{"a role without a name", []string{"--addr", "127.0.0.1:0", "--role", ""}, ""},
		{"an empty api-version", []string{"--addr", "127.0.0.1:0", "--api-version", ""}, "api-version"},
		{"a certificate without its key", []string{"--addr", "127.0.0.1:0", "--tls-cert", files.Cert}, "--tls-cert and --tls-key go together"},
		{"a key without its certificate", []string{"--addr", "127.0.0.1:0", "--tls-key", files.Key}, "--tls-cert and --tls-key go together"},
		{"a certificate file that does not exist", []string{"--addr", "127.0.0.1:0", "--tls-cert", missing, "--tls-key", files.Key}, missing},
		{"a key that is not the certificate's", []string{"--addr", "127.0.0.1:0", "--tls-cert", files.Cert, "--tls-key", files.CA}, "--tls-key"},
	}
	for _, tc := range cases {
		t.Run(tc.name+" is a usage error", func(t *testing.T) {
			var stderr bytes.Buffer
			if code := serve(context.Background(), tc.args, io.Discard, &stderr); code != exitUsage {
				t.Fatalf("exit %d, want %d", code, exitUsage)
			}
			if !strings.Contains(stderr.String(), tc.says) {
				t.Errorf("stderr does not say %q: %s", tc.says, stderr.String())
			}
		})
	}
}
