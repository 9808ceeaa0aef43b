package centrallike

import (
	"net/http"
	"testing"
)

// TestCredentialsAreChecked checks that every call needs the bearer token,
// refused with UNAUTHENTICATED (401) and a WWW-Authenticate header that
// grpc-gateway sets to the message.
func TestCredentialsAreChecked(t *testing.T) {
	valid := addBody(t, genericConfig("https://issuer.example.com"))
	withAuth := func(c call, authorization string) call {
		c.authorization = authorization
		return c
	}
	for _, tc := range []struct {
		name string
		call call
	}{
		{"an add without Authorization is refused", withAuth(post(valid), "")},
		{"an add with a wrong token is refused", withAuth(post(valid), "Bearer not-the-token")},
		{"an add with a prefix of the token is refused", withAuth(post(valid), "Bearer test")},
		{"an add with the token under the Basic scheme is refused", withAuth(post(valid), "Basic "+testToken)},
		{"an add with the bare token is refused", withAuth(post(valid), testToken)},
		{"a list without Authorization is refused", call{method: http.MethodGet, path: m2mPath}},
		{"a delete without Authorization is refused", call{method: http.MethodDelete, path: m2mPath + "/some-id"}},
		{"an add of an invalid config with bad credentials is refused for the credentials",
			withAuth(post(`{"config":{"tokenExpirationDuration":"99h"}}`), "Bearer not-the-token")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, Config{})
			r := send(t, srv, tc.call)
			r.wantError(t, http.StatusUnauthorized, codeUnauthenticated)
			if got, msg := r.header.Get("WWW-Authenticate"), r.object(t)["message"]; got != msg {
				t.Errorf("WWW-Authenticate = %q, want the message %q", got, msg)
			}
		})
	}
}

// TestTheBodyIsDecodedBeforeCredentialsAreChecked checks the order Central's
// gateway imposes: a body that does not decode is refused with 400 whatever
// the credentials, as decoding happens before the RPC's interceptors run.
func TestTheBodyIsDecodedBeforeCredentialsAreChecked(t *testing.T) {
	for _, tc := range []struct {
		name, authorization string
	}{
		{"a malformed body with a wrong token is refused as malformed", "Bearer not-the-token"},
		{"a malformed body without credentials is refused as malformed", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, Config{})
			c := post(`{"config":`)
			c.authorization = tc.authorization
			r := send(t, srv, c)
			r.wantError(t, http.StatusBadRequest, codeInvalidArgument)
			if h := r.header.Get("WWW-Authenticate"); h != "" {
				t.Errorf("WWW-Authenticate = %q on a 400", h)
			}
		})
	}
}

// TestNewRefusesABadConfig checks that a server cannot be made without a
// usable token or with a Break that does not exist.
func TestNewRefusesABadConfig(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  Config
	}{
		{"a server without token is refused", Config{}},
		{"a token with a space is refused", Config{BearerToken: "a b"}},
		{"an unknown Break is refused", Config{BearerToken: testToken, Break: Break(99)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := New(tc.cfg); err == nil {
				t.Error("New succeeded")
			}
		})
	}
}
