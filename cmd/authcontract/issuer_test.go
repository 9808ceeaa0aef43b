package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/authcontract/authcontract/internal/oidcissuer"
	"github.com/authcontract/authcontract/reference"
)

// offlineTransport is the discovery transport of a Central without internet
// access: it reaches loopback addresses only, and trusts the roots in
// caFile, read at the first request, since verify writes that file only
// after the target has started.
type offlineTransport struct {
	caFile string

	once      sync.Once
	transport *http.Transport
	err       error
}

func (o *offlineTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	o.once.Do(func() {
		data, err := os.ReadFile(o.caFile)
		if err != nil {
			o.err = fmt.Errorf("read the roots to trust: %w", err)
			return
		}
		roots := x509.NewCertPool()
		if !roots.AppendCertsFromPEM(data) {
			o.err = fmt.Errorf("no PEM certificate in %s", o.caFile)
			return
		}
		dialer := &net.Dialer{Timeout: 5 * time.Second}
		o.transport = &http.Transport{
			TLSClientConfig: &tls.Config{RootCAs: roots},
			DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
				host, _, err := net.SplitHostPort(addr)
				if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
					return nil, errors.New("dial " + addr + ": no route outside this machine")
				}
				return dialer.DialContext(ctx, network, addr)
			},
		}
	})
	if o.err != nil {
		return nil, o.err
	}
	return o.transport.RoundTrip(req)
}

// discoveringReference serves the reference with discovery on, trusting
// the roots in caFile, and returns its URL.
func discoveringReference(t *testing.T, caFile string) string {
	t.Helper()
	cfg := reference.DefaultConfig()
	cfg.BearerToken = "secret"
	cfg.ACSM2M.Discovery = &http.Client{Transport: &offlineTransport{caFile: caFile}, Timeout: 5 * time.Second}
	handler, err := reference.NewHandler(cfg)
	if err != nil {
		t.Fatal(err)
	}
	server := httptest.NewServer(handler)
	t.Cleanup(server.Close)
	return server.URL
}

// selfSignedFiles writes a certificate for 127.0.0.1 and its key, as an
// operator would make them once for a Central to trust.
func selfSignedFiles(t *testing.T) (certFile, keyFile string) {
	t.Helper()
	certPEM, keyPEM, err := oidcissuer.SelfSigned([]string{"127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certFile, keyFile = filepath.Join(dir, "issuer.pem"), filepath.Join(dir, "issuer-key.pem")
	if err := os.WriteFile(certFile, certPEM, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, keyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	return certFile, keyFile
}

// counts reads the summary line: passed, failed, warnings, skipped.
func counts(t *testing.T, stdout string) (passed, failed, warnings, skipped int) {
	t.Helper()
	match := summaryLine.FindStringSubmatch(stdout)
	if match == nil {
		t.Fatalf("no summary line:\n%s", stdout)
	}
	fmt.Sscan(match[1], &passed)
	fmt.Sscan(match[2], &failed)
	fmt.Sscan(match[3], &warnings)
	fmt.Sscanf(match[4], ", %d skipped", &skipped)
	return passed, failed, warnings, skipped
}

// The reference, discovering issuers as Central does and trusting the
// certificate verify writes, passes once verify serves the discovery
// documents; its GITHUB_ACTIONS adds, which it cannot discover offline,
// are skipped.
func TestVerifyWithAnIssuerServerPassesAReferenceThatDiscoversIssuers(t *testing.T) {
	for _, seed := range []string{"1", "2", "3"} {
		t.Run("seed "+seed, func(t *testing.T) {
			caFile := filepath.Join(t.TempDir(), "issuer-ca.pem")
			target := discoveringReference(t, caFile)
			code, stdout, stderr := runCLI(t, "verify", "--target", target, "--token", "secret", "--api", "acs-m2m", "--seed", seed, "--cases", "60",
				"--issuer-addr", "127.0.0.1:0", "--issuer-ca-out", caFile)
			if code != exitOK {
				t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
			}
			if first := strings.SplitN(stdout, "\n", 2)[0]; !strings.HasPrefix(first, "issuer server: https://127.0.0.1:") || !strings.Contains(first, caFile) {
				t.Errorf("the first line does not say where the issuer server is and which certificate to trust: %q", first)
			}
			passed, failed, _, skipped := counts(t, stdout)
			if passed == 0 || failed != 0 || skipped == 0 {
				t.Errorf("%d passed, %d failed, %d skipped: want passes, no failure, and the GITHUB_ACTIONS adds skipped", passed, failed, skipped)
			}
		})
	}
}

// Without the issuer server, the same target refuses the made-up issuers
// with 500: the discovery is real, and the suite reports it.
func TestVerifyWithoutAnIssuerServerFailsAReferenceThatDiscoversIssuers(t *testing.T) {
	certFile, _ := selfSignedFiles(t)
	target := discoveringReference(t, certFile)
	code, stdout, stderr := runCLI(t, "verify", "--target", target, "--token", "secret", "--api", "acs-m2m", "--seed", "1", "--cases", "0")
	if code != exitViolation {
		t.Fatalf("exit %d, want 1\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	for _, want := range []string{
		"FAILED: acs-m2m/positive_acceptance/a GENERIC config with a URL issuer is stored under a new id",
		`actual:    500 {"code":13`,
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
}

// A certificate made once, given to the target and to verify, serves as
// well as a self-signed one made for the run.
func TestVerifyWithAGivenIssuerCertificatePassesAReferenceThatTrustsIt(t *testing.T) {
	certFile, keyFile := selfSignedFiles(t)
	target := discoveringReference(t, certFile)
	code, stdout, stderr := runCLI(t, "verify", "--target", target, "--token", "secret", "--api", "acs-m2m", "--seed", "4", "--cases", "30",
		"--issuer-addr", "127.0.0.1:0", "--issuer-cert", certFile, "--issuer-key", keyFile)
	if code != exitOK {
		t.Fatalf("exit %d, want 0\nstdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "the target must trust the certificate in "+certFile) {
		t.Errorf("the run does not name the certificate given:\n%s", strings.SplitN(stdout, "\n", 2)[0])
	}
}

// A failing run's replay line repeats the issuer flags, since the target
// needs the issuer server to answer as it did.
func TestTheReplayOfARunWithAnIssuerServerRepeatsItsFlags(t *testing.T) {
	caFile := filepath.Join(t.TempDir(), "issuer-ca.pem")
	target := serveReferenceAs(t, "secret", answeringInternalErrorTo(isGenericAdd, 13))
	code, stdout, _ := runCLI(t, "verify", "--target", target, "--token", "secret", "--api", "acs-m2m", "--cases", "0",
		"--issuer-addr", "127.0.0.1:0", "--issuer-ca-out", caFile)
	if code != exitViolation {
		t.Fatalf("exit %d, want 1", code)
	}
	if want := "--issuer-addr '127.0.0.1:0' --issuer-ca-out " + caFile; !strings.Contains(stdout, want) {
		t.Errorf("the replay line lacks %q", want)
	}
}

func TestVerifyRefusesIssuerFlagsThatCannotWork(t *testing.T) {
	certFile, _ := selfSignedFiles(t)
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"--issuer-url without --issuer-addr", []string{"--issuer-url", "https://issuer.test/"}, "need --issuer-addr"},
		{"--issuer-ca-out without --issuer-addr", []string{"--issuer-ca-out", "ca.pem"}, "need --issuer-addr"},
		{"--issuer-cert without --issuer-key", []string{"--issuer-addr", "127.0.0.1:0", "--issuer-cert", certFile}, "go together"},
		{"an --issuer-key that is not the certificate's key", []string{"--issuer-addr", "127.0.0.1:0", "--issuer-cert", certFile, "--issuer-key", certFile}, "--issuer-cert"},
		{"an --issuer-url over http", []string{"--issuer-addr", "127.0.0.1:0", "--issuer-url", "http://issuer.test/"}, "not an https URL"},
		{"an --issuer-addr on every interface without --issuer-url", []string{"--issuer-addr", "0.0.0.0:0"}, "base URL"},
		{"an --issuer-addr that cannot be listened on", []string{"--issuer-addr", "256.0.0.1:99999"}, "--issuer-addr"},
	}
	for _, tc := range cases {
		t.Run(tc.name+" is a usage error", func(t *testing.T) {
			code, _, stderr := runCLI(t, append([]string{"verify", "--cases", "0"}, tc.args...)...)
			if code != exitUsage || !strings.Contains(stderr, tc.want) {
				t.Fatalf("exit %d, want %d saying %q; stderr:\n%s", code, exitUsage, tc.want, stderr)
			}
		})
	}
}

// serve --discover-issuers stores a config only when its issuer's
// discovery document can be fetched through a client trusting --ca-cert.
func TestServeDiscoverIssuersTrustsTheGivenCertificate(t *testing.T) {
	certFile, keyFile := selfSignedFiles(t)
	pair, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		t.Fatal(err)
	}
	issuers, err := oidcissuer.Start(oidcissuer.Config{Addr: "127.0.0.1:0", Certificate: &pair, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { issuers.Close() })
	if err := issuers.Register(issuers.BaseURL() + "served"); err != nil {
		t.Fatal(err)
	}
	base := startServe(t, []string{"--addr", "127.0.0.1:0", "--token", "serve-test", "--discover-issuers", "--ca-cert", certFile},
		"acs issuer discovery: on, trusting the system roots and "+certFile)
	for _, tc := range []struct {
		name, issuer string
		want         int
	}{
		{"a config whose issuer is served is stored", issuers.BaseURL() + "served", http.StatusOK},
		{"a config whose issuer no one serves is answered 500", issuers.BaseURL() + "unserved", http.StatusInternalServerError},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if status := postToServe(t, base, "/v1/auth/m2m", "serve-test", configWithRole(tc.issuer, "Admin")); status != tc.want {
				t.Fatalf("status %d, want %d", status, tc.want)
			}
		})
	}
}

func TestServeRefusesDiscoveryFlagsThatCannotWork(t *testing.T) {
	notPEM := filepath.Join(t.TempDir(), "not.pem")
	if err := os.WriteFile(notPEM, []byte("not a certificate"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"--ca-cert without --discover-issuers", []string{"--ca-cert", notPEM}},
		{"a --ca-cert file without a PEM certificate", []string{"--discover-issuers", "--ca-cert", notPEM}},
		{"a --ca-cert file that does not exist", []string{"--discover-issuers", "--ca-cert", filepath.Join(t.TempDir(), "missing.pem")}},
	} {
		t.Run(tc.name+" is a usage error", func(t *testing.T) {
			args := append([]string{"--addr", "127.0.0.1:0"}, tc.args...)
			if code := serve(context.Background(), args, io.Discard, io.Discard); code != exitUsage {
				t.Fatalf("exit %d, want %d", code, exitUsage)
			}
		})
	}
}
