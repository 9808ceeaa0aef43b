package conformance

import (
	"bytes"
	"fmt"
	"strings"
)

// IssuerServer serves the OIDC discovery documents of the GENERIC issuers a
// run sends (internal/oidcissuer.Server), for a target that discovers an
// issuer before it stores a config, as the real Central does.
type IssuerServer interface {
	// BaseURL is the server's https URL as the target reaches it, ending
	// in "/"; {issuerBase} is filled with it.
	BaseURL() string
	// Register makes the server answer discovery for issuer, naming it
	// exactly so, trailing slash included.
	Register(issuer string) error
}

// IssuerBasePlaceholder begins every GENERIC issuer the suite sends as
// allowed: {issuerBase}issuer-{unique}.authcontract.test. The runner fills
// it with "https://", which leaves the made-up issuer, or, when the run has
// an issuer server, with the server's base URL, which moves the made-up
// issuer to a distinct path on that server.
const IssuerBasePlaceholder = "{issuerBase}"

// issuerBase is what {issuerBase} stands for in this run.
func (r *Runner) issuerBase() string {
	if r.opts.Issuers == nil {
		return "https://"
	}
	return r.opts.Issuers.BaseURL()
}

// registerIssuer registers with the run's issuer server the issuer an ACS
// body names, when it lies on that server, so that the target's discovery
// request for it is answered. Any request may carry one: a body that is not
// a config with an issuer registers nothing.
func (r *Runner) registerIssuer(body []byte) error {
	if r.opts.Issuers == nil {
		return nil
	}
	base := r.opts.Issuers.BaseURL()
	// Most bodies are small, but some are megabytes: look before decoding.
	if !bytes.Contains(body, []byte(base)) {
		return nil
	}
	// The first JSON value, as Central reads it; a body that is no config
	// names no issuer.
	sent, err := readSentConfig(body)
	if err != nil || !strings.HasPrefix(sent.issuer(), base) {
		return nil
	}
	if err := r.opts.Issuers.Register(sent.issuer()); err != nil {
		return fmt.Errorf("register the issuer with the issuer server: %w", err)
	}
	return nil
}
