package main

import (
	"encoding/json"
	"encoding/pem"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/authcontract/authcontract/reference"
)

// The deployments users really have: https with a private CA, a target
// reachable only through a proxy, a gateway that wants its own header.
// Each is a real server run in-process.

const realToken = "real-target-token-0123456789"

func referenceFor(t *testing.T) http.Handler {
	t.Helper()
	cfg := reference.DefaultConfig()
	cfg.BearerToken = realToken
	handler, err := reference.NewHandler(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return handler
}

// writeCA writes the PEM of the server's certificate, which httptest signs
// itself, as a user would save their private CA.
func writeCA(t *testing.T, server *httptest.Server) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ca.pem")
	data := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: server.Certificate().Raw})
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestVerifyOfAnHTTPSTargetWithAPrivateCA(t *testing.T) {
	server := httptest.NewTLSServer(referenceFor(t))
	defer server.Close()
	ca := writeCA(t, server)

	t.Run("without the CA it stops before any case, naming the certificate problem", func(t *testing.T) {
		code, stdout, stderr := runCLI(t, "verify", "--target", server.URL, "--token", realToken, "--cases", "5")
		if code != exitUsage {
			t.Fatalf("exit %d, want 2\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
		}
		if !strings.Contains(stderr, "certificate is signed by an authority the harness does not trust") || !strings.Contains(stderr, "--ca-cert") {
			t.Errorf("the error does not name the certificate problem and its remedy:\n%s", stderr)
		}
		if strings.Contains(stdout, "FAILED") || strings.Contains(stdout, "verifying") {
			t.Errorf("cases ran although set-up failed:\n%s", stdout)
		}
	})
	t.Run("with --ca-cert it passes", func(t *testing.T) {
		code, stdout, stderr := runCLI(t, "verify", "--target", server.URL, "--token", realToken, "--ca-cert", ca, "--cases", "20", "--seed", "5")
		if code != exitOK {
			t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", code, lastLines(stdout, 30), stderr)
		}
	})
	t.Run("a file that holds no certificate is a usage error", func(t *testing.T) {
		notPEM := filepath.Join(t.TempDir(), "ca.pem")
		os.WriteFile(notPEM, []byte("not a certificate"), 0o600)
		if code, _, stderr := runCLI(t, "verify", "--target", server.URL, "--token", realToken, "--ca-cert", notPEM); code != exitUsage || !strings.Contains(stderr, "holds no PEM certificate") {
			t.Fatalf("exit %d: %s", code, stderr)
		}
	})
}

// forwardProxy is an HTTP proxy that forwards absolute-URI requests, with
// one host name that only it can resolve: the target's.
func forwardProxy(t *testing.T, hostname string, target *httptest.Server, used *atomic.Int64) *httptest.Server {
	t.Helper()
	backend, err := url.Parse(target.URL)
	if err != nil {
		t.Fatal(err)
	}
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Hostname() != hostname {
			http.Error(w, "this proxy only knows "+hostname, http.StatusBadGateway)
			return
		}
		used.Add(1)
		out := r.Clone(r.Context())
		out.RequestURI = ""
		out.URL.Scheme, out.URL.Host = backend.Scheme, backend.Host
		resp, err := http.DefaultTransport.RoundTrip(out)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		for name, values := range resp.Header {
			w.Header()[name] = values
		}
		w.WriteHeader(resp.StatusCode)
		io.Copy(w, resp.Body)
	}))
}

func TestVerifyOfATargetReachableOnlyThroughAProxy(t *testing.T) {
	target := httptest.NewServer(referenceFor(t))
	defer target.Close()
	var used atomic.Int64
	proxy := forwardProxy(t, "central.authcontract.invalid", target, &used)
	defer proxy.Close()
	behindProxy := "http://central.authcontract.invalid"

	t.Run("without the proxy the start-up check finds it unreachable", func(t *testing.T) {
		t.Setenv("HTTP_PROXY", "")
		code, _, stderr := runCLI(t, "verify", "--target", behindProxy, "--token", realToken, "--cases", "5")
		if code != exitUsage || !strings.Contains(stderr, "unreachable") {
			t.Fatalf("exit %d, want 2 unreachable: %s", code, stderr)
		}
	})
	t.Run("with HTTP_PROXY the start-up check and every case go through it", func(t *testing.T) {
		t.Setenv("HTTP_PROXY", proxy.URL)
		t.Setenv("NO_PROXY", "")
		code, stdout, stderr := runCLI(t, "verify", "--target", behindProxy, "--token", realToken, "--cases", "20", "--seed", "9")
		if code != exitOK {
			t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", code, lastLines(stdout, 30), stderr)
		}
		if used.Load() < 20 {
			t.Errorf("the proxy forwarded %d requests", used.Load())
		}
	})
}

// A gateway that refuses every request without its key, as an API
// management layer in front of Central or ARM does.
func TestVerifyOfATargetThatDemandsAHeader(t *testing.T) {
	const key = "gateway-key-abcdef0123456789"
	reference := referenceFor(t)
	var credentialsCases atomic.Int64
	gateway := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Gateway-Key") != key {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusForbidden)
			io.WriteString(w, `{"error":{"code":"GatewayKeyMissing","message":"no gateway key"}}`)
			return
		}
		if !strings.Contains(r.Header.Get("Authorization"), realToken) {
			credentialsCases.Add(1)
		}
		reference.ServeHTTP(w, r)
	}))
	defer gateway.Close()
	dir := t.TempDir()
	jsonPath := filepath.Join(dir, "report.json")

	code, stdout, stderr := runCLI(t, "verify", "--target", gateway.URL, "--token", realToken, "--cases", "40", "--seed", "4",
		"--header", "X-Gateway-Key: "+key, "--report-json", jsonPath, "-v")
	if code != exitOK {
		t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", code, lastLines(stdout, 30), stderr)
	}
	if credentialsCases.Load() == 0 {
		t.Error("no credentials case reached the target with its own Authorization")
	}
	data, _ := os.ReadFile(jsonPath)
	if strings.Contains(stdout, key) || strings.Contains(string(data), key) {
		t.Error("a report carries the gateway key")
	}
	if code, _, stderr := runCLI(t, "verify", "--target", gateway.URL, "--token", realToken, "--header", "no colon"); code != exitUsage || !strings.Contains(stderr, "is not 'Name: value'") {
		t.Errorf("a malformed --header: exit %d: %s", code, stderr)
	}
}

// --cleanup deletes every config the run added; the report lists them
// either way.
func TestVerifyCleanupDeletesWhatTheRunCreated(t *testing.T) {
	handler := referenceFor(t)
	var deletes atomic.Int64
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodDelete {
			deletes.Add(1)
		}
		handler.ServeHTTP(w, r)
	}))
	defer server.Close()
	for _, cleanup := range []bool{false, true} {
		jsonPath := filepath.Join(t.TempDir(), "report.json")
		args := []string{"verify", "--target", server.URL, "--token", realToken, "--api", "acs-m2m", "--cases", "30", "--seed", "2", "--report-json", jsonPath}
		if cleanup {
			args = append(args, "--cleanup")
		}
		deletes.Store(0)
		code, stdout, stderr := runCLI(t, args...)
		if code != exitOK {
			t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, lastLines(stdout, 20), stderr)
		}
		var run struct {
			Created []struct{ ID, Case string } `json:"created"`
			Cleanup *struct {
				Deleted int               `json:"deleted"`
				Failed  []json.RawMessage `json:"failed"`
			} `json:"cleanup"`
		}
		data, _ := os.ReadFile(jsonPath)
		if err := json.Unmarshal(data, &run); err != nil {
			t.Fatal(err)
		}
		if len(run.Created) == 0 {
			t.Fatal("the report lists no created config")
		}
		switch {
		case !cleanup && (run.Cleanup != nil || deletes.Load() != 0):
			t.Errorf("without --cleanup: %d deletes, cleanup %+v", deletes.Load(), run.Cleanup)
		case cleanup && (run.Cleanup == nil || run.Cleanup.Deleted != len(run.Created) || int(deletes.Load()) != len(run.Created)):
			t.Errorf("--cleanup deleted %+v of %d created with %d DELETEs", run.Cleanup, len(run.Created), deletes.Load())
		case cleanup && !strings.Contains(stdout, "cleanup: deleted"):
			t.Errorf("the text report does not say what was cleaned up:\n%s", lastLines(stdout, 5))
		}
	}
}
