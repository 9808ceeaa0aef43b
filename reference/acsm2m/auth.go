package acsm2m

import (
	"net/http"

	"github.com/authcontract/authcontract/reference/httpguard"
)

// refuseCredentials answers every refused credential the same way, 401 with
// UNAUTHENTICATED: gRPC has one code for both missing and wrong credentials.
// The challenge is the one RFC 6750 §3 asks for, so that a client learns
// which scheme to use.
func refuseCredentials(w http.ResponseWriter, _ *http.Request, _ httpguard.Refusal, message string) {
	w.Header().Set("WWW-Authenticate", "Bearer")
	writeError(w, http.StatusUnauthorized, message)
}
