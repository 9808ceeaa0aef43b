//go:build !fuzzing

// Left out of `make fuzz` builds (-tags fuzzing): these tests judge replies
// with both OpenAPI validators.

package acsm2m

import (
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/authcontract/authcontract/internal/oidcissuer"
)

// countingTransport counts the requests a discovery client sends.
type countingTransport struct {
	next http.RoundTripper
	sent atomic.Int64
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.sent.Add(1)
	return c.next.RoundTrip(r)
}

// discoveringHarness serves a reference that discovers issuers through a
// client reaching only an issuer server, as a Central without internet
// access would; it returns the server and the count of discovery requests.
func discoveringHarness(t *testing.T) (*harness, *oidcissuer.Server, *countingTransport) {
	t.Helper()
	issuers, err := oidcissuer.Start(oidcissuer.Config{Addr: "127.0.0.1:0", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { issuers.Close() })
	client := issuers.Client()
	counting := &countingTransport{next: client.Transport}
	client.Transport = counting
	return newHarness(t, Config{Discovery: client}), issuers, counting
}

func TestWithDiscoveryAConfigIsStoredOnlyWhenItsIssuerCanBeDiscovered(t *testing.T) {
	h, issuers, _ := discoveringHarness(t)
	served := func(path string) string {
		t.Helper()
		if err := issuers.Register(issuers.BaseURL() + path); err != nil {
			t.Fatal(err)
		}
		return issuers.BaseURL() + path
	}
	cases := []struct {
		name   string
		config map[string]any
		want   int
	}{
		{"a GENERIC config whose issuer serves its discovery document is stored", genericConfig(served("served")), http.StatusOK},
		{"a GENERIC issuer with a trailing slash that is served as such is stored", genericConfig(served("served-with-slash/")), http.StatusOK},
		{"a GENERIC config whose issuer no one serves is answered 500", genericConfig(issuers.BaseURL() + "never-served"), http.StatusInternalServerError},
		{"a GENERIC issuer whose document names it without its trailing slash is answered 500", genericConfig(served("served-without-slash") + "/"), http.StatusInternalServerError},
		{"a GITHUB_ACTIONS config whose issuer cannot be reached is answered 500", githubConfig(), http.StatusInternalServerError},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := h.send(t, post(addRequest(t, tc.config)))
			if tc.want == http.StatusOK {
				got.config(t)
				return
			}
			if message := got.wantError(t, tc.want, codeInternal); !strings.Contains(message, "creating OIDC provider for issuer") {
				t.Errorf("the message does not say discovery failed: %q", message)
			}
		})
	}
}

func TestDiscoveryComesAfterValidationAndBeforeTheStore(t *testing.T) {
	t.Run("a config validation refuses gets 400 without a discovery request", func(t *testing.T) {
		h, issuers, discoveries := discoveringHarness(t)
		config := with(genericConfig(issuers.BaseURL()+"never-served"), "tokenExpirationDuration", "25h")
		h.send(t, post(addRequest(t, config))).wantError(t, http.StatusBadRequest, codeInvalidArgument)
		if n := discoveries.sent.Load(); n != 0 {
			t.Errorf("%d discovery requests for a config validation refuses", n)
		}
	})
	t.Run("a config whose issuer is not discovered leaves no trace: served later, it is stored", func(t *testing.T) {
		h, issuers, _ := discoveringHarness(t)
		body := addRequest(t, genericConfig(issuers.BaseURL()+"later"))
		h.send(t, post(body)).wantError(t, http.StatusInternalServerError, codeInternal)
		if err := issuers.Register(issuers.BaseURL() + "later"); err != nil {
			t.Fatal(err)
		}
		h.send(t, post(body)).config(t)
	})
	t.Run("a taken issuer, once discovered, is refused with 409", func(t *testing.T) {
		h, issuers, _ := discoveringHarness(t)
		if err := issuers.Register(issuers.BaseURL() + "taken"); err != nil {
			t.Fatal(err)
		}
		body := addRequest(t, genericConfig(issuers.BaseURL()+"taken"))
		h.send(t, post(body)).config(t)
		h.send(t, post(body)).wantError(t, http.StatusConflict, codeAlreadyExists)
	})
	t.Run("an issuer no one serves gets 500 even with a role that does not exist, as Central discovers before it stores", func(t *testing.T) {
		h, issuers, _ := discoveringHarness(t)
		config := with(genericConfig(issuers.BaseURL()+"never-served"), "mappings", []any{map[string]any{"key": "sub", "valueExpression": ".*", "role": "Ghost"}})
		h.send(t, post(addRequest(t, config))).wantError(t, http.StatusInternalServerError, codeInternal)
	})
}

func TestWithoutDiscoveryAMadeUpIssuerIsStored(t *testing.T) {
	h := newHarness(t, Config{})
	h.send(t, post(addRequest(t, genericConfig("https://issuer-made-up.authcontract.test")))).config(t)
}
