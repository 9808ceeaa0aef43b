package containerapps

import (
	"net/http"

	"github.com/authcontract/authcontract/reference/httpguard"
)

// wwwAuthenticate points clients at the document's azure_auth authorization
// URL, the way ARM does on every 401.
const wwwAuthenticate = `Bearer authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="invalid_token"`

// refuseCredentials answers 401 with ARM's codes: AuthenticationFailed when
// no credentials came, InvalidAuthenticationToken when they are wrong.
func refuseCredentials(w http.ResponseWriter, _ *http.Request, why httpguard.Refusal, message string) {
	w.Header().Set("WWW-Authenticate", wwwAuthenticate)
	if why == httpguard.NoCredentials {
		writeError(w, http.StatusUnauthorized, codeAuthenticationFailed, "Authentication failed: "+message+".")
		return
	}
	writeError(w, http.StatusUnauthorized, codeInvalidAuthenticationToken, "The access token is invalid: "+message+".")
}
