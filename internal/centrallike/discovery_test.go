package centrallike

import (
	"log/slog"
	"net/http"
	"testing"

	"github.com/authcontract/authcontract/internal/oidcissuer"
)

// TestWithDiscoveryOnlyADiscoverableIssuerIsStored runs the double with a
// discovery client that reaches nothing but an issuer server, as a Central
// without internet access reaches only what its network allows.
func TestWithDiscoveryOnlyADiscoverableIssuerIsStored(t *testing.T) {
	issuers, err := oidcissuer.Start(oidcissuer.Config{Addr: "127.0.0.1:0", Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { issuers.Close() })
	srv := newServer(t, Config{Discovery: issuers.Client()})
	served := func(path string) string {
		t.Helper()
		if err := issuers.Register(issuers.BaseURL() + path); err != nil {
			t.Fatal(err)
		}
		return issuers.BaseURL() + path
	}

	for _, tc := range []struct {
		name       string
		config     map[string]any
		wantStatus int
		code       int
	}{
		{name: "a GENERIC config whose issuer is served is stored",
			config: genericConfig(served("served")), wantStatus: http.StatusOK},
		{name: "a config of an undeclared type number is discovered like any other and stored",
			config: with(genericConfig(served("numbered")), map[string]any{"type": 7}), wantStatus: http.StatusOK},
		{name: "a GENERIC config whose issuer no one serves is refused with INTERNAL",
			config: genericConfig(issuers.BaseURL() + "unserved"), wantStatus: http.StatusInternalServerError, code: codeInternal},
		{name: "an issuer served without its trailing slash is not the one with it",
			config: genericConfig(served("slashless") + "/"), wantStatus: http.StatusInternalServerError, code: codeInternal},
		{name: "a GITHUB_ACTIONS config is refused with INTERNAL when GitHub cannot be reached",
			config: with(genericConfig(""), map[string]any{"type": "GITHUB_ACTIONS", "issuer": nil}), wantStatus: http.StatusInternalServerError, code: codeInternal},
		{name: "validation still comes first: a config over 24h is refused with INVALID_ARGUMENT",
			config: with(genericConfig(issuers.BaseURL()+"unserved"), map[string]any{"tokenExpirationDuration": "25h"}), wantStatus: http.StatusBadRequest, code: codeInvalidArgument},
		{name: "discovery comes before the roles table: an undiscoverable issuer with a missing role gets INTERNAL",
			config: with(genericConfig(issuers.BaseURL()+"unserved"), map[string]any{"mappings": oneMapping(".*", "Nobody")}), wantStatus: http.StatusInternalServerError, code: codeInternal},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := send(t, srv, post(addBody(t, tc.config)))
			if tc.wantStatus == http.StatusOK {
				got.config(t)
				return
			}
			got.wantError(t, tc.wantStatus, tc.code)
		})
	}
}
