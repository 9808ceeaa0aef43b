package httpguard_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/authcontract/authcontract/reference/httpguard"
)

func plainErrors(w http.ResponseWriter, _ *http.Request, status int, message string) {
	w.WriteHeader(status)
	fmt.Fprint(w, message)
}

func newServer(t *testing.T) *httptest.Server {
	t.Helper()
	return newServerWith(t, httpguard.NotFoundOrMethodNotAllowed)
}

// newServerWith serves POST /things behind the body guard, and answers
// everything else with the catch-all guard given.
func newServerWith(t *testing.T, catchAll func(*http.ServeMux, httpguard.ErrorWriter) http.Handler) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	echo := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Write(body)
	})
	mux.Handle("POST /things", httpguard.JSONBody(64, plainErrors, echo))
	mux.Handle("/", catchAll(mux, plainErrors))
	server := httptest.NewServer(mux)
	t.Cleanup(server.Close)
	return server
}

func TestTheGRPCGatewayGuardAnswersAnotherMethodWith501(t *testing.T) {
	server := newServerWith(t, httpguard.NotFoundOrNotImplemented)
	for _, tc := range []struct {
		name, method, path string
		wantStatus         int
	}{
		{"a known path under another method gets 501 without Allow", http.MethodPut, "/things", http.StatusNotImplemented},
		{"a GET on a known path gets 501 without Allow", http.MethodGet, "/things", http.StatusNotImplemented},
		{"an unknown path gets 404", http.MethodPost, "/nothing", http.StatusNotFound},
		{"the known path under its method is served", http.MethodPost, "/things", http.StatusOK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, server.URL+tc.path, strings.NewReader(`{}`))
			if err != nil {
				t.Fatal(err)
			}
			resp, err := server.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != tc.wantStatus {
				t.Errorf("status = %d, want %d", resp.StatusCode, tc.wantStatus)
			}
			if allow := resp.Header.Get("Allow"); allow != "" {
				t.Errorf("Allow = %q, want none: grpc-gateway sends none", allow)
			}
		})
	}
}

func TestGuard(t *testing.T) {
	cases := []struct {
		name        string
		method      string
		path        string
		contentType string
		body        string
		wantStatus  int
		wantAllow   string
	}{
		{"one JSON document is passed through unchanged", "POST", "/things", "application/json", `{"a":1}`, 200, ""},
		{"a JSON content type with a charset is accepted", "POST", "/things", "application/json; charset=utf-8", `{"a":1}`, 200, ""},
		{"a missing content type is read as JSON", "POST", "/things", "", `{"a":1}`, 200, ""},
		{"a non-JSON content type is refused with 415", "POST", "/things", "text/plain", `{"a":1}`, 415, ""},
		{"malformed JSON is refused with 400", "POST", "/things", "application/json", `{"a":`, 400, ""},
		{"trailing data after the document is refused with 400", "POST", "/things", "application/json", `{"a":1} {}`, 400, ""},
		{"an empty body is refused with 400", "POST", "/things", "application/json", ``, 400, ""},
		{"a body over the limit is refused with 413", "POST", "/things", "application/json", `{"a":"` + strings.Repeat("x", 100) + `"}`, 413, ""},
		{"a known path under another method gets 405 and Allow", "GET", "/things", "", "", 405, "POST"},
		{"an unknown path gets 404", "POST", "/nothing", "", "", 404, ""},
	}
	server := newServer(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(tc.method, server.URL+tc.path, strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if tc.contentType != "" {
				req.Header.Set("Content-Type", tc.contentType)
			}
			resp, err := server.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			got, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tc.wantStatus {
				t.Fatalf("status = %d (%s), want %d", resp.StatusCode, got, tc.wantStatus)
			}
			if allow := resp.Header.Get("Allow"); allow != tc.wantAllow {
				t.Errorf("Allow = %q, want %q", allow, tc.wantAllow)
			}
			if tc.wantStatus == 200 && string(got) != tc.body {
				t.Errorf("body = %q, want it passed through as %q", got, tc.body)
			}
		})
	}
}
