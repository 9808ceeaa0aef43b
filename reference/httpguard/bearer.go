package httpguard

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"
)

// Refusal says why a request's credentials were refused.
type Refusal int

const (
	// NoCredentials: no Authorization header at all.
	NoCredentials Refusal = iota
	// BadCredentials: a header with the wrong scheme, the wrong token, or
	// more than one header.
	BadCredentials
)

// Refuser answers a refused request in the API's own error shape.
type Refuser func(w http.ResponseWriter, r *http.Request, why Refusal, message string)

// RequireBearer lets through only requests carrying
// "Authorization: Bearer <token>" with the given token. It runs before
// routing, so that an unauthenticated caller learns nothing, not even which
// paths exist.
func RequireBearer(token string, refuse Refuser, next http.Handler) http.Handler {
	// A digest rather than the token, so that comparison takes the same time
	// whatever the length of the presented token.
	want := sha256.Sum256([]byte(token))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		values := r.Header.Values("Authorization")
		if len(values) == 0 || values[0] == "" {
			refuse(w, r, NoCredentials, "the Authorization header is missing")
			return
		}
		if len(values) > 1 {
			refuse(w, r, BadCredentials, "the request carries more than one Authorization header")
			return
		}
		scheme, presented, _ := strings.Cut(values[0], " ")
		// RFC 9110 §11.1: the auth-scheme is case-insensitive.
		if !strings.EqualFold(scheme, "Bearer") {
			refuse(w, r, BadCredentials, "the Authorization header must use the Bearer scheme")
			return
		}
		got := sha256.Sum256([]byte(strings.TrimLeft(presented, " ")))
		if subtle.ConstantTimeCompare(got[:], want[:]) != 1 {
			refuse(w, r, BadCredentials, "the bearer token is not valid")
			return
		}
		next.ServeHTTP(w, r)
	})
}
