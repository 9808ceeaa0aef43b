package containerapps

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"
)

// wwwAuthenticate points clients at the document's azure_auth authorization
// URL, the way ARM does on every 401.
const wwwAuthenticate = `Bearer authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="invalid_token"`

// bearerAuth admits only requests carrying "Authorization: Bearer <token>"
// with the configured token.
type bearerAuth struct {
	// want is a digest rather than the token itself so that comparison takes
	// the same time whatever the length of the presented token.
	want [sha256.Size]byte
}

func newBearerAuth(token string) bearerAuth {
	return bearerAuth{want: sha256.Sum256([]byte(token))}
}

// require runs before routing, so that an unauthenticated caller learns
// nothing, not even which paths or api-versions exist.
func (a bearerAuth) require(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		values := r.Header.Values("Authorization")
		if len(values) == 0 || values[0] == "" {
			a.refuse(w, codeAuthenticationFailed, "Authentication failed. The 'Authorization' header is missing.")
			return
		}
		// Two headers are ambiguous about which credential is meant.
		if len(values) > 1 {
			a.refuse(w, codeInvalidAuthenticationToken, "The request carries more than one 'Authorization' header.")
			return
		}
		scheme, token, _ := strings.Cut(values[0], " ")
		// RFC 9110 §11.1: the auth-scheme is case-insensitive.
		if !strings.EqualFold(scheme, "Bearer") {
			a.refuse(w, codeInvalidAuthenticationToken, "The 'Authorization' header must use the Bearer scheme.")
			return
		}
		got := sha256.Sum256([]byte(strings.TrimLeft(token, " ")))
		if subtle.ConstantTimeCompare(got[:], a.want[:]) != 1 {
			a.refuse(w, codeInvalidAuthenticationToken, "The access token is invalid.")
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (a bearerAuth) refuse(w http.ResponseWriter, code, message string) {
	w.Header().Set("WWW-Authenticate", wwwAuthenticate)
	writeError(w, http.StatusUnauthorized, code, message)
}
