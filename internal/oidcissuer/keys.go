package oidcissuer

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	_ "crypto/sha256" // for crypto.SHA256 below
	"fmt"

	"github.com/go-jose/go-jose/v4"
)

// signingAlgorithm is the JWS algorithm of the server's key: ES256, which
// every OIDC client (go-oidc among them) supports.
const signingAlgorithm = string(jose.ES256)

// signingKey is the key pair whose public half every issuer's jwks_uri
// publishes. No token is issued with it today; it is real so that a target
// that reads the key set, or verifies a token with it, finds a working one.
type signingKey struct {
	private *ecdsa.PrivateKey
	id      string
	set     jose.JSONWebKeySet
}

func newSigningKey() (*signingKey, error) {
	private, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("generate the signing key: %w", err)
	}
	public := jose.JSONWebKey{Key: &private.PublicKey, Algorithm: signingAlgorithm, Use: "sig"}
	thumbprint, err := public.Thumbprint(crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("name the signing key: %w", err)
	}
	// The RFC 7638 thumbprint names the key the same wherever it is seen.
	public.KeyID = fmt.Sprintf("%x", thumbprint[:8])
	return &signingKey{private: private, id: public.KeyID, set: jose.JSONWebKeySet{Keys: []jose.JSONWebKey{public}}}, nil
}
