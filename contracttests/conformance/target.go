package conformance

import (
	"crypto/x509"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/authcontract/authcontract/contracttests/fixture"
	"github.com/authcontract/authcontract/openapi/facts"
)

// Target is the implementation under test.
type Target struct {
	// BaseURL is where both operations are served, e.g. http://127.0.0.1:8080.
	BaseURL string
	// Token is the bearer token the target accepts.
	Token string
	// ContainerApp is the resource id of a container app that exists on the
	// target: /subscriptions/{s}/resourceGroups/{rg}/providers/Microsoft.App/containerApps/{name}.
	ContainerApp string
	// APIVersion is the Container Apps api-version the target supports.
	APIVersion string
	// Roles are ACS roles that exist on the target; the mappings of
	// allowed configs name them, since Central refuses a mapping to a role
	// it does not have. Empty means DefaultRoles.
	Roles []string
	// Timeout bounds each exchange, reading the whole body included; zero
	// means DefaultTimeout.
	Timeout time.Duration
	// MaxResponseBytes caps how much of a response body is read; a longer
	// body fails the case. Zero means DefaultMaxResponseBytes.
	MaxResponseBytes int64
	// RootCAs are the roots trusted for an https target; nil means the
	// system's (which honour SSL_CERT_FILE).
	RootCAs *x509.CertPool
	// Headers are added to every request (a gateway key, a tenant), except
	// where a case sets the header itself: credentials cases send their
	// own Authorization, media type cases their own Content-Type.
	Headers http.Header
}

// DefaultAPIVersion is the version the Container Apps document describes.
const DefaultAPIVersion = "2023-08-01-preview"

// Limits that keep a hostile or broken target from hanging or exhausting
// the harness. The body cap is above the largest answer a case can draw:
// Central's error for a config that is a 3 MiB string quotes the string
// twice (protojson's "unexpected token", in message and error).
const (
	DefaultTimeout          = 10 * time.Second
	DefaultMaxResponseBytes = 16 << 20
)

// DefaultRoles are roles every ACS Central has built in.
func DefaultRoles() []string { return facts.CentralBuiltInRoles() }

// ParseRoles reads a comma-separated list of role names, as
// AUTHCONTRACT_ROLES gives them; no names means DefaultRoles.
func ParseRoles(list string) []string {
	var roles []string
	for _, role := range strings.Split(list, ",") {
		if role = strings.TrimSpace(role); role != "" {
			roles = append(roles, role)
		}
	}
	if len(roles) == 0 {
		return DefaultRoles()
	}
	return roles
}

func (t Target) roles() []string {
	if len(t.Roles) == 0 {
		return DefaultRoles()
	}
	return t.Roles
}

func (t Target) timeout() time.Duration {
	if t.Timeout <= 0 {
		return DefaultTimeout
	}
	return t.Timeout
}

func (t Target) maxResponseBytes() int64 {
	if t.MaxResponseBytes <= 0 {
		return DefaultMaxResponseBytes
	}
	return t.MaxResponseBytes
}

func (t Target) check() error {
	u, err := url.Parse(t.BaseURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("target %q is not an http or https URL", t.BaseURL)
	}
	if t.Token == "" {
		return fmt.Errorf("no bearer token for the target: pass --token or set AUTHCONTRACT_TOKEN")
	}
	if _, err := fixture.ParseContainerApp(t.ContainerApp); err != nil {
		return err
	}
	if t.APIVersion == "" {
		return fmt.Errorf("no api-version for the target")
	}
	for _, role := range t.Roles {
		if strings.TrimSpace(role) == "" {
			return fmt.Errorf("an ACS role name is empty")
		}
	}
	return nil
}
