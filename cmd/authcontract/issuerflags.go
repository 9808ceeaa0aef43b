package main

import (
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/authcontract/authcontract/contracttests/conformance"
	"github.com/authcontract/authcontract/internal/oidcissuer"
)

// issuerOptions are verify's flags for serving the OIDC discovery
// documents of the issuers a run sends, for a target that discovers an
// issuer before it stores a config, as the real Central does.
type issuerOptions struct {
	addr, url, certFile, keyFile, caOut string
}

func (o *issuerOptions) register(flags *flag.FlagSet) {
	flags.StringVar(&o.addr, "issuer-addr", "", "serve over https on this HOST:PORT, for the whole run, the OIDC discovery document of every GENERIC issuer the run sends, for a target that discovers issuers as Central does (port 0 picks a free port)")
	flags.StringVar(&o.url, "issuer-url", "", "the issuer server's base URL as the target reaches it, when that is not https://HOST:PORT/ of --issuer-addr (a target in a container or a cluster)")
	flags.StringVar(&o.certFile, "issuer-cert", "", "PEM certificate (chain) the issuer server presents, with --issuer-key (default: a self-signed one made for the run)")
	flags.StringVar(&o.keyFile, "issuer-key", "", "PEM private key of --issuer-cert")
	flags.StringVar(&o.caOut, "issuer-ca-out", "", "write the certificate the issuer server presents, as PEM, to this file, for the target to trust (default: a new file in the temporary directory)")
}

// start starts the issuer server --issuer-addr asks for and prints where it
// is and which certificate the target must trust. Without --issuer-addr it
// starts nothing and returns a nil server, so that the run sends its
// made-up issuers. ok is false after a usage error, already printed.
func (o issuerOptions) start(stdout, stderr io.Writer) (server conformance.IssuerServer, stop func(), ok bool) {
	if err := o.check(); err != nil {
		fmt.Fprintf(stderr, "verify: %v\n", err)
		return nil, nil, false
	}
	if o.addr == "" {
		return nil, func() {}, true
	}
	started, caFile, err := o.startServer(stderr)
	if err != nil {
		fmt.Fprintf(stderr, "verify: %v\n", err)
		return nil, nil, false
	}
	fmt.Fprintf(stdout, "issuer server: %s (listening on %s) serves the discovery documents of this run's GENERIC issuers; the target must trust the certificate in %s\n",
		started.BaseURL(), started.Addr(), caFile)
	return started, func() { started.Close() }, true
}

func (o issuerOptions) check() error {
	switch {
	case o.addr == "" && (o.url != "" || o.certFile != "" || o.keyFile != "" || o.caOut != ""):
		return errors.New("--issuer-url, --issuer-cert, --issuer-key and --issuer-ca-out need --issuer-addr")
	case (o.certFile == "") != (o.keyFile == ""):
		return errors.New("--issuer-cert and --issuer-key go together")
	}
	return nil
}

// startServer starts the server and writes the certificate it presents
// where the target can be given it, returning that file's name.
func (o issuerOptions) startServer(stderr io.Writer) (*oidcissuer.Server, string, error) {
	cfg := oidcissuer.Config{Addr: o.addr, BaseURL: o.url, Logger: stderrLogger(stderr)}
	if o.certFile != "" {
		pair, err := tls.LoadX509KeyPair(o.certFile, o.keyFile)
		if err != nil {
			return nil, "", fmt.Errorf("--issuer-cert %s, --issuer-key %s: %w", o.certFile, o.keyFile, err)
		}
		cfg.Certificate = &pair
	}
	server, err := oidcissuer.Start(cfg)
	if err != nil {
		return nil, "", fmt.Errorf("--issuer-addr %s: %w", o.addr, err)
	}
	caFile, err := o.writeCertificate(server.CertificatePEM())
	if err != nil {
		server.Close()
		return nil, "", err
	}
	return server, caFile, nil
}

// writeCertificate writes certPEM to --issuer-ca-out, or, when that is not
// given, leaves a given --issuer-cert where it is and puts a self-signed
// one in a new temporary file, since the target must be told what to trust.
func (o issuerOptions) writeCertificate(certPEM []byte) (string, error) {
	switch {
	case o.caOut != "":
		if err := os.WriteFile(o.caOut, certPEM, 0o644); err != nil {
			return "", fmt.Errorf("--issuer-ca-out: %w", err)
		}
		return o.caOut, nil
	case o.certFile != "":
		return o.certFile, nil
	}
	file, err := os.CreateTemp("", "authcontract-issuer-ca-*.pem")
	if err != nil {
		return "", fmt.Errorf("write the issuer server's certificate: %w", err)
	}
	_, err = file.Write(certPEM)
	if err = errors.Join(err, file.Close()); err != nil {
		return "", fmt.Errorf("write the issuer server's certificate to %s: %w", file.Name(), err)
	}
	return file.Name(), nil
}

// stderrLogger writes what the issuer server cannot answer — a target that
// refused its certificate, a request for an issuer the run did not send —
// as plain lines among verify's other messages.
func stderrLogger(stderr io.Writer) *slog.Logger {
	dropTime := func(_ []string, attr slog.Attr) slog.Attr {
		if attr.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return attr
	}
	return slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{ReplaceAttr: dropTime}))
}

// replayArgs are the issuer flags a replay repeats.
func (o issuerOptions) replayArgs() []string {
	var args []string
	for _, flag := range []struct{ name, value string }{
		{"--issuer-addr", o.addr}, {"--issuer-url", o.url}, {"--issuer-cert", o.certFile},
		{"--issuer-key", o.keyFile}, {"--issuer-ca-out", o.caOut},
	} {
		if flag.value != "" {
			args = append(args, flag.name, shellWord(flag.value))
		}
	}
	return args
}
