package acsm2m

import (
	"context"
	"fmt"
	"net/http"

	"github.com/coreos/go-oidc/v3/oidc"
)

// discover does what Central does with a config before it stores it
// (central/auth/m2m/token_verifier.go, tokenVerifierFromConfig, called from
// central/auth/datastore/datastore_impl.go): it builds an OIDC provider for
// the issuer, which GETs {issuer without its trailing slash}/.well-known/openid-configuration
// and fails on no answer, a status other than 200, or a document naming
// another issuer. Central builds it before it writes the config to its
// database, so a config whose issuer cannot be discovered gets 500 even
// when its issuer is taken or a role is missing; this handler keeps that
// order. The failure has no error class, which Central answers with 500,
// code 13 (INTERNAL).
func discover(ctx context.Context, client *http.Client, issuer string) error {
	if _, err := oidc.NewProvider(oidc.ClientContext(ctx, client), issuer); err != nil {
		return fmt.Errorf("creating OIDC provider for issuer %q: %w", issuer, err)
	}
	return nil
}
