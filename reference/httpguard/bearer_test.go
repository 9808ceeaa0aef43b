package httpguard_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/authcontract/authcontract/reference/httpguard"
)

func TestRequireBearer(t *testing.T) {
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	refuse := func(w http.ResponseWriter, _ *http.Request, why httpguard.Refusal, message string) {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintf(w, "%d %s", why, message)
	}
	handler := httpguard.RequireBearer("s3cret", refuse, ok)
	cases := []struct {
		name       string
		headers    []string
		wantStatus int
		wantBody   string
	}{
		{"the right token passes", []string{"Bearer s3cret"}, 204, ""},
		{"the scheme is matched without case", []string{"bearer s3cret"}, 204, ""},
		{"no header is refused as no credentials", nil, 401, "0 the Authorization header is missing"},
		{"an empty header is refused as no credentials", []string{""}, 401, "0 the Authorization header is missing"},
		{"a wrong token is refused as bad credentials", []string{"Bearer s3cre"}, 401, "1 the bearer token is not valid"},
		{"the Basic scheme is refused as bad credentials", []string{"Basic s3cret"}, 401, "1 the Authorization header must use the Bearer scheme"},
		{"two headers are refused as bad credentials", []string{"Bearer s3cret", "Bearer s3cret"}, 401, "1 the request carries more than one Authorization header"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodPost, "/x", nil)
			for _, h := range tc.headers {
				req.Header.Add("Authorization", h)
			}
			rec := httptest.NewRecorder()
			handler.ServeHTTP(rec, req)
			if rec.Code != tc.wantStatus || rec.Body.String() != tc.wantBody {
				t.Fatalf("got %d %q, want %d %q", rec.Code, rec.Body.String(), tc.wantStatus, tc.wantBody)
			}
		})
	}
}
