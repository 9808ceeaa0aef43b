//go:build !fuzzing

// Left out of `make fuzz` builds (-tags fuzzing): these tests judge replies
// with both OpenAPI validators, and building those libraries with fuzzing
// instrumentation costs CI minutes the fuzz targets do not need.

package acsm2m

import (
	"net/http"
	"testing"
)

func TestEveryRequestNeedsTheBearerToken(t *testing.T) {
	h := newHarness(t, Config{})
	valid := addRequest(t, genericConfig("https://auth.example.com"))
	withAuth := func(c call, auth string) call {
		c.auth = auth
		return c
	}
	for _, tc := range []struct {
		name string
		call call
	}{
		{"a request without Authorization is refused with UNAUTHENTICATED", withAuth(post(valid), "")},
		{"a wrong token is refused with UNAUTHENTICATED", withAuth(post(valid), "Bearer not-the-token")},
		{"the token with other letter case is refused with UNAUTHENTICATED", withAuth(post(valid), "Bearer TEST-BEARER-TOKEN")},
		{"a prefix of the token is refused with UNAUTHENTICATED", withAuth(post(valid), "Bearer test-bearer")},
		{"the scheme without a token is refused with UNAUTHENTICATED", withAuth(post(valid), "Bearer")},
		{"the token under the Basic scheme is refused with UNAUTHENTICATED", withAuth(post(valid), "Basic "+testToken)},
		{"the bare token without a scheme is refused with UNAUTHENTICATED", withAuth(post(valid), testToken)},
		{"an unauthenticated GET is refused with 401 before routing says 501", call{method: http.MethodGet, path: operationPath}},
		{"an unauthenticated unknown path is refused with 401 before routing says 404", call{method: http.MethodPost, path: "/v1/nothing"}},
		{"an unauthenticated malformed body is refused with 401 before it is read", withAuth(post(`{"config":`), "")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := h.send(t, tc.call)
			r.wantError(t, http.StatusUnauthorized, codeUnauthenticated)
			if got := r.header.Get("WWW-Authenticate"); got != "Bearer" {
				t.Errorf("WWW-Authenticate = %q, want Bearer", got)
			}
		})
	}

	t.Run("two Authorization headers are refused with UNAUTHENTICATED even if one is right", func(t *testing.T) {
		req, err := http.NewRequest(http.MethodPost, h.server.URL+operationPath, nil)
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Add("Authorization", validAuth)
		req.Header.Add("Authorization", "Bearer other")
		resp, err := h.server.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("WWW-Authenticate") != "Bearer" {
			t.Errorf("status = %d, WWW-Authenticate = %q; want 401 with Bearer", resp.StatusCode, resp.Header.Get("WWW-Authenticate"))
		}
	})

	t.Run("the scheme is case-insensitive, so a lower-case bearer is accepted", func(t *testing.T) {
		h.send(t, withAuth(post(valid), "bearer "+testToken)).config(t)
	})
}
