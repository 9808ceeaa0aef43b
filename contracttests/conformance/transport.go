package conformance

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"os"
	"sync/atomic"
	"time"

	"golang.org/x/net/http/httpproxy"
)

// newClient talks to the target the way every exchange does: through the
// proxies the environment names (HTTPS_PROXY, HTTP_PROXY, NO_PROXY),
// trusting the system's roots (SSL_CERT_FILE included) plus the target's
// own, never following redirects (a redirect is the target's answer and is
// judged as such, and a target cannot send the harness to another host),
// and keeping enough idle connections for parallel cases to reuse them.
func newClient(target Target) *http.Client {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.MaxIdleConnsPerHost = 64
	transport.Proxy = proxyFromEnvironment()
	if target.RootCAs != nil {
		transport.TLSClientConfig = &tls.Config{RootCAs: target.RootCAs, MinVersion: tls.VersionTLS12}
	}
	return &http.Client{
		Transport: transport,
		Timeout:   target.timeout(),
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// proxyFromEnvironment reads HTTPS_PROXY, HTTP_PROXY and NO_PROXY now,
// for this client: http.ProxyFromEnvironment reads them once per process,
// so a runner made after they change would not see it.
func proxyFromEnvironment() func(*http.Request) (*url.URL, error) {
	proxyFor := httpproxy.FromEnvironment().ProxyFunc()
	return func(req *http.Request) (*url.URL, error) { return proxyFor(req.URL) }
}

// RootsWith returns the system's trusted roots plus the certificates in
// the given PEM files (--ca-cert), or nil when no file is given, so that
// the system's roots are used as they are.
func RootsWith(files []string) (*x509.CertPool, error) {
	if len(files) == 0 {
		return nil, nil
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("read CA certificate: %w", err)
		}
		if block, _ := pem.Decode(data); block == nil || !pool.AppendCertsFromPEM(data) {
			return nil, fmt.Errorf("CA certificate %s holds no PEM certificate", file)
		}
	}
	return pool, nil
}

// SetupError says that the harness could not talk to the target at all —
// it is unreachable, or its TLS handshake or certificate failed — so that
// no case can be judged: a problem of set-up, not a contract violation.
type SetupError struct{ Err error }

func (e *SetupError) Error() string { return e.Err.Error() }
func (e *SetupError) Unwrap() error { return e.Err }

// Probe sends one plain GET to the target's base URL over the same
// transport every case uses (proxies and trusted roots included). Once a
// connection is made — through the proxy, past the TLS handshake — the
// target is there, whatever it does next: a reset or silence is for the
// cases to report. Failing before that (nothing listening, a proxy that
// refuses, an untrusted certificate) is a SetupError naming the problem.
func (r *Runner) Probe(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, min(r.target.timeout(), 10*time.Second))
	defer cancel()
	var connected atomic.Bool
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{GotConn: func(httptrace.GotConnInfo) { connected.Store(true) }})
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.target.BaseURL, nil)
	if err != nil {
		return &SetupError{fmt.Errorf("target %q: %w", r.target.BaseURL, err)}
	}
	resp, err := r.client.Do(req)
	if err != nil {
		if connected.Load() {
			return nil
		}
		return &SetupError{describeSetupFailure(r.target.BaseURL, err)}
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	resp.Body.Close()
	return nil
}

// describeSetupFailure names what stopped the first exchange: a
// certificate the harness does not trust, a TLS handshake with something
// that does not speak TLS, or a target that does not answer.
func describeSetupFailure(base string, err error) error {
	var unknownAuthority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verification *tls.CertificateVerificationError
	var record tls.RecordHeaderError
	switch {
	case errors.As(err, &unknownAuthority), errors.As(err, &verification) && errors.As(verification.Err, &unknownAuthority):
		return fmt.Errorf("TLS set-up with %s failed: its certificate is signed by an authority the harness does not trust (%v); pass the CA with --ca-cert FILE or set SSL_CERT_FILE", base, err)
	case errors.As(err, &hostname):
		return fmt.Errorf("TLS set-up with %s failed: its certificate is not for this host (%v)", base, err)
	case errors.As(err, &invalid):
		return fmt.Errorf("TLS set-up with %s failed: its certificate is not valid (%v)", base, err)
	case errors.As(err, &verification):
		return fmt.Errorf("TLS set-up with %s failed: its certificate could not be verified (%v)", base, err)
	case errors.As(err, &record):
		return fmt.Errorf("TLS set-up with %s failed: the target does not answer in TLS (is it http://?): %v", base, err)
	}
	return fmt.Errorf("target %s is unreachable: %w", base, err)
}
