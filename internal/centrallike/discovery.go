package centrallike

import (
	"context"
	"net/http"

	"github.com/coreos/go-oidc/v3/oidc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// discover is what Central's datastore does first when it upserts a config
// (central/auth/datastore/datastore_impl.go: "Upsert the token exchanger
// first"): it builds the config's token exchanger, whose token verifier is
// an oidc.NewProvider for the issuer (central/auth/m2m/token_verifier.go).
// NewProvider GETs {issuer without its trailing slash}/.well-known/openid-configuration
// and fails on no answer, a status other than 200, or a document naming
// another issuer. Every config type gets one, GitHub's issuer included. The
// error is wrapped twice without a class (set.go, token_verifier.go), which
// Central's error mapping turns into INTERNAL: 500, code 13. Only then does
// the database see the row, so a config that cannot be discovered gets 500
// even when its issuer is taken or a role is missing.
func discover(ctx context.Context, client *http.Client, c m2mConfig) error {
	if _, err := oidc.NewProvider(oidc.ClientContext(ctx, client), c.issuer); err != nil {
		return status.Errorf(codes.Internal, "creating token exchanger for config %s: creating OIDC provider for issuer %q: %v", c.id, c.issuer, err)
	}
	return nil
}
