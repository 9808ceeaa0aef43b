package centrallike

import (
	"net/http"
	"testing"
)

// TestRoutingErrorsAreGrpcGateways checks that what no route serves is
// answered by grpc-gateway's DefaultRoutingErrorHandler, in Central's error
// body: a method the path does not take is UNIMPLEMENTED (501), a path no
// route has is NOT_FOUND (404). Routing comes before authentication, so the
// caller's credentials do not matter.
func TestRoutingErrorsAreGrpcGateways(t *testing.T) {
	for _, tc := range []struct {
		name             string
		call             call
		wantStatus, code int
	}{
		{"PUT on /v1/auth/m2m is unimplemented",
			call{method: http.MethodPut, path: m2mPath, authorization: withToken, body: "{}"},
			http.StatusNotImplemented, codeUnimplemented},
		{"PATCH on /v1/auth/m2m is unimplemented",
			call{method: http.MethodPatch, path: m2mPath, authorization: withToken, body: "{}"},
			http.StatusNotImplemented, codeUnimplemented},
		{"DELETE on /v1/auth/m2m is unimplemented",
			call{method: http.MethodDelete, path: m2mPath, authorization: withToken},
			http.StatusNotImplemented, codeUnimplemented},
		{"POST on /v1/auth/m2m/{id} is unimplemented",
			call{method: http.MethodPost, path: m2mPath + "/some-id", authorization: withToken, body: "{}"},
			http.StatusNotImplemented, codeUnimplemented},
		{"PUT without credentials is unimplemented too",
			call{method: http.MethodPut, path: m2mPath, body: "{}"},
			http.StatusNotImplemented, codeUnimplemented},
		{"an unknown path is not found",
			call{method: http.MethodPost, path: "/v1/nothing", authorization: withToken, body: "{}"},
			http.StatusNotFound, codeNotFound},
		{"POST with a trailing slash is unimplemented, as /v1/auth/m2m/ is /v1/auth/m2m/{id} with an empty id",
			call{method: http.MethodPost, path: m2mPath + "/", authorization: withToken, body: "{}"},
			http.StatusNotImplemented, codeUnimplemented},
		{"a path under /v1/auth/m2m/{id} is not found",
			call{method: http.MethodGet, path: m2mPath + "/some-id/more", authorization: withToken},
			http.StatusNotFound, codeNotFound},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := newServer(t, Config{})
			send(t, srv, tc.call).wantError(t, tc.wantStatus, tc.code)
		})
	}
}
