package centrallike

import (
	"context"
	"crypto/subtle"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
)

// authenticate checks the caller's API token the way Central's gRPC side
// sees it: as the "authorization" metadata runtime.AnnotateContext copied
// from the HTTP header. It runs inside the RPC, after the gateway decoded the
// body, which is why a malformed body is refused before bad credentials are.
//
// Missing and wrong credentials are both Unauthenticated (401); gRPC has one
// code for both. The messages are this double's own: behaviour.md does not
// quote Central's.
func (s *Server) authenticate(ctx context.Context) error {
	if s.cfg.Break == AcceptsRequestsWithoutCredentials {
		return nil
	}
	md, _ := metadata.FromOutgoingContext(ctx)
	values := md.Get("authorization")
	if len(values) == 0 {
		return status.Error(codes.Unauthenticated, "credentials not found")
	}
	scheme, token, _ := strings.Cut(values[0], " ")
	if !strings.EqualFold(scheme, "Bearer") ||
		subtle.ConstantTimeCompare([]byte(token), []byte(s.cfg.BearerToken)) != 1 {
		return status.Error(codes.Unauthenticated, "credentials not found: the bearer token is not valid")
	}
	return nil
}
