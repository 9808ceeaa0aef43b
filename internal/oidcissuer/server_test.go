package oidcissuer

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// start runs a server on a free loopback port for the test's length.
func start(t *testing.T, cfg Config) *Server {
	t.Helper()
	if cfg.Addr == "" {
		cfg.Addr = "127.0.0.1:0"
	}
	cfg.Logger = slog.New(slog.DiscardHandler)
	s, err := Start(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// discover does what Central does before storing a config.
func discover(s *Server, issuer string) (*oidc.Provider, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return oidc.NewProvider(oidc.ClientContext(ctx, s.Client()), issuer)
}

func TestGoOIDCDiscoversEveryRegisteredIssuerExactlyAsRegistered(t *testing.T) {
	s := start(t, Config{})
	cases := []struct{ name, path string }{
		{"an issuer one segment under the base", "issuer-r1-1.authcontract.test"},
		{"an issuer with a trailing slash", "issuer-r1-2.authcontract.test/"},
		{"an issuer with a path of several segments", "issuer-r1-3.authcontract.test/realms/ci-r1-3"},
		{"an issuer whose first segment is a made-up host and port", "login.example.org:8443/tenants/r1-4"},
		{"an issuer with a path and a trailing slash", "r1-5.oidc.example.com/r1-5/v2.0/"},
		{"the base URL itself, which ends in a slash", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			issuer := s.BaseURL() + tc.path
			if err := s.Register(issuer); err != nil {
				t.Fatal(err)
			}
			provider, err := discover(s, issuer)
			if err != nil {
				t.Fatalf("oidc.NewProvider(%q): %v", issuer, err)
			}
			var claims struct {
				Issuer  string `json:"issuer"`
				JWKSURI string `json:"jwks_uri"`
			}
			if err := provider.Claims(&claims); err != nil {
				t.Fatal(err)
			}
			if claims.Issuer != issuer || !strings.HasPrefix(claims.JWKSURI, s.BaseURL()) {
				t.Errorf("the document names issuer %q and jwks_uri %q, want %q under %s", claims.Issuer, claims.JWKSURI, issuer, s.BaseURL())
			}
		})
	}
}

func TestDiscoveryFailsForAnIssuerNotRegisteredAsSent(t *testing.T) {
	s := start(t, Config{})
	cases := []struct {
		name, registered, discovered string
		wantMismatch                 bool
	}{
		{"an issuer never registered is not found", "", "never-registered", false},
		{"an issuer registered with a trailing slash is not the one without", "with-slash/", "with-slash", true},
		{"an issuer registered without a trailing slash is not the one with", "without-slash", "without-slash/", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.registered != "" {
				if err := s.Register(s.BaseURL() + tc.registered); err != nil {
					t.Fatal(err)
				}
			}
			_, err := discover(s, s.BaseURL()+tc.discovered)
			var mismatch *oidc.IssuerMismatchError
			switch {
			case err == nil:
				t.Fatal("discovery succeeded")
			case tc.wantMismatch != errors.As(err, &mismatch):
				t.Fatalf("want an issuer mismatch: %t; got %v", tc.wantMismatch, err)
			case !tc.wantMismatch && !strings.Contains(err.Error(), "404"):
				t.Fatalf("want a 404, got %v", err)
			}
		})
	}
}

// The jwks_uri serves a real key set: a token signed with the server's key
// verifies through go-oidc, which fetches the set from that URI.
func TestTheKeySetVerifiesATokenSignedWithTheServersKey(t *testing.T) {
	s := start(t, Config{})
	issuer := s.BaseURL() + "realms/ci/"
	if err := s.Register(issuer); err != nil {
		t.Fatal(err)
	}
	provider, err := discover(s, issuer)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: jose.JSONWebKey{Key: s.keys.private, KeyID: s.keys.id}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	raw, err := jwt.Signed(signer).Claims(jwt.Claims{
		Issuer: issuer, Subject: "repo:octo-org/ci", Audience: jwt.Audience{"authcontract"},
		IssuedAt: jwt.NewNumericDate(now), Expiry: jwt.NewNumericDate(now.Add(time.Minute)),
	}).Serialize()
	if err != nil {
		t.Fatal(err)
	}
	ctx := oidc.ClientContext(context.Background(), s.Client())
	token, err := provider.Verifier(&oidc.Config{ClientID: "authcontract"}).Verify(ctx, raw)
	if err != nil {
		t.Fatalf("a token signed with the server's key does not verify: %v", err)
	}
	if token.Subject != "repo:octo-org/ci" {
		t.Errorf("subject %q", token.Subject)
	}
}

func TestRegisterRefusesAnIssuerTheServerCannotAnswerFor(t *testing.T) {
	s := start(t, Config{})
	for _, tc := range []struct{ name, issuer string }{
		{"an issuer on another host", "https://issuer.example.com/x"},
		{"an issuer on the server's host over http", strings.Replace(s.BaseURL(), "https://", "http://", 1) + "x"},
		{"an issuer with a query", s.BaseURL() + "x?tenant=1"},
	} {
		t.Run(tc.name+" is refused", func(t *testing.T) {
			if err := s.Register(tc.issuer); err == nil {
				t.Fatalf("Register(%q) succeeded", tc.issuer)
			}
		})
	}
}

func TestPortZeroPicksAFreePortThatTheBaseURLNames(t *testing.T) {
	s := start(t, Config{Addr: "127.0.0.1:0"})
	port := s.Addr().(*net.TCPAddr).Port
	if port == 0 || s.BaseURL() != fmt.Sprintf("https://127.0.0.1:%d/", port) {
		t.Fatalf("listening on port %d, base URL %s", port, s.BaseURL())
	}
}

// A target in a container reaches the server under another name: the
// documents and the self-signed certificate use that name.
func TestABaseURLNamesTheIssuersAndTheSelfSignedCertificate(t *testing.T) {
	s := start(t, Config{BaseURL: "https://issuer.authcontract.test:9443/prefix"})
	if s.BaseURL() != "https://issuer.authcontract.test:9443/prefix/" {
		t.Fatalf("base URL %s, want the one configured with a trailing slash", s.BaseURL())
	}
	cert := parseCertificate(t, s.CertificatePEM())
	if err := cert.VerifyHostname("issuer.authcontract.test"); err != nil {
		t.Errorf("the self-signed certificate does not name the base URL's host: %v", err)
	}
	issuer := s.BaseURL() + "issuer-r1-1.authcontract.test"
	if err := s.Register(issuer); err != nil {
		t.Fatal(err)
	}
	if _, err := discover(s, issuer); err != nil {
		t.Fatalf("discovery under the base URL: %v", err)
	}
}

func TestAGivenCertificateIsTheOneServed(t *testing.T) {
	certPEM, keyPEM, err := SelfSigned([]string{"127.0.0.1"})
	if err != nil {
		t.Fatal(err)
	}
	pair, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	s := start(t, Config{Certificate: &pair})
	if string(s.CertificatePEM()) != string(certPEM) {
		t.Fatal("CertificatePEM is not the certificate given")
	}
	issuer := s.BaseURL() + "given"
	if err := s.Register(issuer); err != nil {
		t.Fatal(err)
	}
	if _, err := discover(s, issuer); err != nil {
		t.Fatalf("discovery with the given certificate: %v", err)
	}
}

func TestListeningOnEveryInterfaceNeedsABaseURL(t *testing.T) {
	if s, err := Start(Config{Addr: "0.0.0.0:0", Logger: slog.New(slog.DiscardHandler)}); err == nil {
		s.Close()
		t.Fatal("Start on 0.0.0.0 without a base URL succeeded")
	}
	s := start(t, Config{Addr: "0.0.0.0:0", BaseURL: "https://localhost:1/"})
	for _, host := range []string{"localhost", "127.0.0.1", "::1"} {
		if err := parseCertificate(t, s.CertificatePEM()).VerifyHostname(host); err != nil {
			t.Errorf("the self-signed certificate of a server on every interface does not name %s: %v", host, err)
		}
	}
}

func TestSelfSignedIsTrustedAsItsOwnRootForItsHosts(t *testing.T) {
	certPEM, _, err := SelfSigned([]string{"issuer.authcontract.test", "10.0.0.7"})
	if err != nil {
		t.Fatal(err)
	}
	cert := parseCertificate(t, certPEM)
	roots := x509.NewCertPool()
	roots.AddCert(cert)
	for _, host := range []string{"issuer.authcontract.test", "10.0.0.7"} {
		if _, err := cert.Verify(x509.VerifyOptions{Roots: roots, DNSName: host}); err != nil {
			t.Errorf("not valid for %s: %v", host, err)
		}
	}
	if _, err := cert.Verify(x509.VerifyOptions{Roots: roots, DNSName: "other.test"}); err == nil {
		t.Error("valid for a host it was not made for")
	}
}

func TestTheServerAnswersOnlyGETsForRegisteredIssuers(t *testing.T) {
	s := start(t, Config{})
	if err := s.Register(s.BaseURL() + "known"); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, method, path string
		want               int
	}{
		{"the key set of a registered issuer is served", http.MethodGet, "known/jwks", http.StatusOK},
		{"the key set of an unknown issuer is not found", http.MethodGet, "unknown/jwks", http.StatusNotFound},
		{"a path that is neither document nor key set is not found", http.MethodGet, "known", http.StatusNotFound},
		{"a POST is not allowed", http.MethodPost, "known/.well-known/openid-configuration", http.StatusMethodNotAllowed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, s.BaseURL()+tc.path, nil)
			if err != nil {
				t.Fatal(err)
			}
			resp, err := s.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Fatalf("%s %s: %d, want %d", tc.method, tc.path, resp.StatusCode, tc.want)
			}
		})
	}
}

func TestTheClientReachesNothingButTheServer(t *testing.T) {
	s := start(t, Config{})
	_, err := s.Client().Get("https://token.actions.githubusercontent.com/.well-known/openid-configuration")
	if err == nil || !strings.Contains(err.Error(), "reaches only the issuer server") {
		t.Fatalf("a request elsewhere: %v, want a refusal that touched no network", err)
	}
}

// Issuers registered while others are discovered, as parallel cases do.
func TestRegisteringAndDiscoveringAtOnceIsSafe(t *testing.T) {
	s := start(t, Config{})
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			issuer := fmt.Sprintf("%sconcurrent-%d/", s.BaseURL(), i)
			if err := s.Register(issuer); err != nil {
				errs <- err
				return
			}
			if _, err := discover(s, issuer); err != nil {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

func parseCertificate(t *testing.T, data []byte) *x509.Certificate {
	t.Helper()
	block, _ := pem.Decode(data)
	if block == nil {
		t.Fatal("no PEM block")
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return cert
}

// A target that does not trust the certificate refuses the handshake; the
// server says so, since the target's own error may never reach the user.
func TestARefusedHandshakeIsLogged(t *testing.T) {
	var logged syncBuffer
	s, err := Start(Config{Addr: "127.0.0.1:0", Logger: slog.New(slog.NewTextHandler(&logged, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	untrusting := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: x509.NewCertPool()}}}
	if _, err := untrusting.Get(s.BaseURL() + ".well-known/openid-configuration"); err == nil {
		t.Fatal("a client trusting nothing fetched a document")
	}
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(logged.String(), "TLS handshake error") && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if !strings.Contains(logged.String(), "TLS handshake error") {
		t.Fatalf("the refused handshake was not logged: %q", logged.String())
	}
}

// syncBuffer is a bytes.Buffer the server's goroutines may write to while
// the test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
