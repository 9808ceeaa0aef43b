// Package oidcissuer serves OpenID Connect discovery documents over https for
// the GENERIC issuers a conformance run sends, so that a target which
// fetches an issuer's discovery document before it stores a config — as the
// real ACS Central does, with go-oidc's oidc.NewProvider — can store the
// configs the suite sends as allowed.
//
// How the suite's issuers become answerable: every GENERIC issuer it sends
// as allowed is written {issuerBase}<made-up issuer>, for example
// {issuerBase}issuer-{unique}.authcontract.test/realms/ci. Without a server
// the runner fills {issuerBase} with "https://", and the issuer is the
// made-up one, as it always was. With a server it is filled with the
// server's base URL, so the made-up issuer becomes a path under it
// (https://127.0.0.1:8443/issuer-r1-5.authcontract.test/realms/ci): distinct
// made-up issuers stay distinct, so issuer uniqueness still holds, and the
// generator's ports, paths and trailing slashes all survive.
//
// go-oidc fetches {issuer without its trailing slash}/.well-known/openid-configuration
// and refuses a document whose issuer is not exactly the configured one,
// so the discovery URL alone cannot tell ".../ci" from ".../ci/". The runner
// therefore registers each issuer it sends (Register) before sending it,
// and the server answers only for registered issuers, naming each exactly
// as it was registered.
package oidcissuer

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Config says where a Server listens, how targets reach it and what
// certificate it presents.
type Config struct {
	// Addr is the address to listen on, HOST:PORT; port 0 picks a free one.
	Addr string
	// BaseURL is the server's https URL as the target reaches it, when that
	// differs from https://<listening address>/ (a target in a container or
	// a cluster). Any path it has must reach the server unchanged. It is
	// required when Addr listens on every interface.
	BaseURL string
	// Certificate is what the server presents. Nil makes a self-signed one
	// for BaseURL's host (and the listening address's, when specific).
	Certificate *tls.Certificate
	// Logger receives what the server cannot answer: TLS handshakes a
	// target refused (it does not trust the certificate), requests for
	// issuers no one registered. Nil means slog.Default().
	Logger *slog.Logger
}

// Server is a running issuer server. It is safe for concurrent use.
type Server struct {
	base     string // ends in "/"
	listener net.Listener
	server   *http.Server
	certPEM  []byte
	keys     *signingKey
	logger   *slog.Logger
	// closed silences the http.Server's complaints about connections that
	// Close cut mid-handshake.
	closed atomic.Bool

	mu sync.RWMutex
	// issuers maps an issuer's path without its trailing slash, which is
	// what a discovery request names, to the issuer as registered.
	issuers map[string]string
}

// wellKnownSuffix is what go-oidc appends to an issuer, less its trailing
// slash, to find the discovery document; jwksSuffix is where this server
// puts each issuer's key set.
const (
	wellKnownSuffix = "/.well-known/openid-configuration"
	jwksSuffix      = "/jwks"
)

// Start listens on cfg.Addr and serves until Close.
func Start(cfg Config) (*Server, error) {
	logger := cfg.Logger
	if logger == nil {
		logger = slog.Default()
	}
	listener, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return nil, fmt.Errorf("issuer server: listen on %s: %w", cfg.Addr, err)
	}
	s, err := newServer(cfg, listener, logger)
	if err != nil {
		listener.Close()
		return nil, fmt.Errorf("issuer server: %w", err)
	}
	go s.server.Serve(s.listener) // returns ErrServerClosed on Close
	return s, nil
}

func newServer(cfg Config, listener net.Listener, logger *slog.Logger) (*Server, error) {
	base, err := baseURL(cfg.BaseURL, listener.Addr().(*net.TCPAddr))
	if err != nil {
		return nil, err
	}
	cert := cfg.Certificate
	if cert == nil {
		certPEM, keyPEM, err := SelfSigned(certificateHosts(base, listener.Addr().(*net.TCPAddr)))
		if err != nil {
			return nil, err
		}
		pair, err := tls.X509KeyPair(certPEM, keyPEM)
		if err != nil {
			return nil, fmt.Errorf("load the self-signed certificate: %w", err)
		}
		cert = &pair
	}
	keys, err := newSigningKey()
	if err != nil {
		return nil, err
	}
	s := &Server{
		base:    base,
		certPEM: chainPEM(cert),
		keys:    keys,
		logger:  logger,
		issuers: map[string]string{},
	}
	s.listener = tls.NewListener(listener, &tls.Config{Certificates: []tls.Certificate{*cert}, MinVersion: tls.VersionTLS12})
	s.server = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          log.New(serverErrors{s}, "", 0),
	}
	return s, nil
}

// serverErrors passes on what the http.Server reports — mostly TLS
// handshakes a target refused, because it does not trust the certificate —
// until the server is closed.
type serverErrors struct{ s *Server }

func (e serverErrors) Write(p []byte) (int, error) {
	if !e.s.closed.Load() {
		e.s.logger.Warn("issuer server: " + strings.TrimSpace(string(p)))
	}
	return len(p), nil
}

// baseURL is the configured base URL, checked and ending in "/", or
// https://<listening address>/ when none is configured.
func baseURL(configured string, listening *net.TCPAddr) (string, error) {
	if configured == "" {
		if listening.IP.IsUnspecified() {
			return "", fmt.Errorf("listening on every interface (%s): say how the target reaches the server with a base URL", listening)
		}
		return "https://" + listening.String() + "/", nil
	}
	u, err := url.Parse(configured)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("base URL %q is not an https URL without credentials, query or fragment", configured)
	}
	if !strings.HasSuffix(configured, "/") {
		configured += "/"
	}
	return configured, nil
}

// BaseURL is the server's https URL as the target reaches it, ending in
// "/": every issuer the server answers for starts with it.
func (s *Server) BaseURL() string { return s.base }

// Addr is the address the server listens on; with port 0 configured, it
// names the port chosen.
func (s *Server) Addr() net.Addr { return s.listener.Addr() }

// CertificatePEM is the certificate chain the server presents, PEM-encoded:
// what a target must trust to fetch its documents.
func (s *Server) CertificatePEM() []byte { return s.certPEM }

// Register makes the server answer discovery requests for issuer, naming
// it exactly as given. The issuer must lie under BaseURL. Registering
// ".../x/" after ".../x" (or the other way round) replaces it, since both
// are discovered at the same URL.
func (s *Server) Register(issuer string) error {
	if !strings.HasPrefix(issuer, s.base) {
		return fmt.Errorf("issuer %q does not lie under the issuer server's %s", issuer, s.base)
	}
	u, err := url.Parse(issuer)
	if err != nil || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("issuer %q is not a URL without query or fragment, which discovery needs", issuer)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.issuers[strings.TrimSuffix(u.Path, "/")] = issuer
	return nil
}

// Close stops the server at once.
func (s *Server) Close() error {
	s.closed.Store(true)
	return s.server.Close()
}

// ServeHTTP answers GET {issuer}/.well-known/openid-configuration and GET
// {issuer}/jwks for every registered issuer, and 404 for anything else.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		http.Error(w, "authcontract issuer server: only GET", http.StatusMethodNotAllowed)
		return
	}
	if path, ok := strings.CutSuffix(r.URL.Path, wellKnownSuffix); ok {
		if issuer, ok := s.lookup(w, path); ok {
			writeJSON(w, discoveryDocument(issuer))
		}
		return
	}
	if path, ok := strings.CutSuffix(r.URL.Path, jwksSuffix); ok {
		if _, ok := s.lookup(w, path); ok {
			writeJSON(w, s.keys.set)
		}
		return
	}
	http.NotFound(w, r)
}

// lookup finds the issuer registered under path, or answers 404 saying so.
func (s *Server) lookup(w http.ResponseWriter, path string) (string, bool) {
	s.mu.RLock()
	issuer, ok := s.issuers[path]
	s.mu.RUnlock()
	if !ok {
		s.logger.Warn("issuer server: a request for an issuer this run did not send", "path", path)
		http.Error(w, fmt.Sprintf("authcontract issuer server: no issuer at %q was registered by this run", path), http.StatusNotFound)
	}
	return issuer, ok
}

// discoveryDocument holds what OpenID Connect Discovery 1.0 §3 requires of
// a provider's metadata. Only issuer and jwks_uri are ever used: this
// server issues no tokens, so its endpoints answer 404.
func discoveryDocument(issuer string) map[string]any {
	root := strings.TrimSuffix(issuer, "/")
	return map[string]any{
		"issuer":                                issuer,
		"jwks_uri":                              root + jwksSuffix,
		"authorization_endpoint":                root + "/authorize",
		"token_endpoint":                        root + "/token",
		"response_types_supported":              []string{"id_token"},
		"subject_types_supported":               []string{"public"},
		"id_token_signing_alg_values_supported": []string{signingAlgorithm},
	}
}

func writeJSON(w http.ResponseWriter, value any) {
	w.Header().Set("Content-Type", "application/json")
	// Every value written is built from strings and slices; a failed write
	// is a gone client, which no answer can reach.
	_ = json.NewEncoder(w).Encode(value)
}

// chainPEM PEM-encodes the certificates cert presents.
func chainPEM(cert *tls.Certificate) []byte {
	var out []byte
	for _, der := range cert.Certificate {
		out = append(out, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})...)
	}
	return out
}

// Client returns a client that trusts the server's certificate and reaches
// nothing but the server: the discovery client of a target without
// internet access, for tests. A request for any other host fails without
// touching the network.
func (s *Server) Client() *http.Client {
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(s.certPEM)
	u, _ := url.Parse(s.base) // checked in Start
	port := u.Port()
	if port == "" {
		port = "443"
	}
	own := net.JoinHostPort(u.Hostname(), port)
	listening := s.listener.Addr().(*net.TCPAddr)
	if listening.IP.IsUnspecified() {
		listening = &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: listening.Port}
	}
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	transport := &http.Transport{
		TLSClientConfig: &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12},
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			if addr != own {
				return nil, errors.New("dial " + addr + ": this client reaches only the issuer server at " + own)
			}
			return dialer.DialContext(ctx, network, listening.String())
		},
	}
	return &http.Client{Transport: transport, Timeout: 10 * time.Second}
}
