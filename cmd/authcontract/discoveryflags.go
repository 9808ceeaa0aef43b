package main

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"time"
)

// discoveryTimeout bounds one discovery. Central allows a minute; the
// reference answers well within verify's 10s exchange timeout, so that a
// run sees the 500 rather than its own timeout.
const discoveryTimeout = 5 * time.Second

// discoveryOptions are serve's flags that make the reference ACS
// implementation discover each config's issuer before storing it, as
// Central does.
type discoveryOptions struct {
	enabled bool
	caCerts stringList
}

func (o *discoveryOptions) register(flags *flag.FlagSet) {
	flags.BoolVar(&o.enabled, "discover-issuers", false, "fetch each ACS config's OIDC discovery document before storing it, as Central does, and answer 500, code 13 when that fails (default: store any issuer)")
	flags.Var(&o.caCerts, "ca-cert", "a PEM file of roots to trust, besides the system's, when discovering issuers (repeatable; with --discover-issuers)")
}

// client is the discovery client the flags ask for: nil without
// --discover-issuers, else one trusting the system roots and every
// --ca-cert, through the proxy the environment names, as Central's does.
func (o discoveryOptions) client() (*http.Client, error) {
	if !o.enabled {
		if len(o.caCerts.values) > 0 {
			return nil, errors.New("--ca-cert is for --discover-issuers")
		}
		return nil, nil
	}
	roots, err := x509.SystemCertPool()
	if err != nil {
		// The system's roots cannot be read here; the --ca-cert ones may
		// be all the issuers need.
		roots = x509.NewCertPool()
	}
	for _, file := range o.caCerts.values {
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("--ca-cert: %w", err)
		}
		if !roots.AppendCertsFromPEM(data) {
			return nil, fmt.Errorf("--ca-cert %s holds no PEM certificate", file)
		}
	}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.TLSClientConfig = &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
	return &http.Client{Transport: transport, Timeout: discoveryTimeout}, nil
}

// printBanner says, with discovery on, which roots it trusts; without it
// the banner stays as it was.
func (o discoveryOptions) printBanner(w io.Writer) {
	if !o.enabled {
		return
	}
	trusted := "the system roots"
	if len(o.caCerts.values) > 0 {
		trusted += " and " + strings.Join(o.caCerts.values, ", ")
	}
	fmt.Fprintf(w, "acs issuer discovery: on, trusting %s\n", trusted)
}
