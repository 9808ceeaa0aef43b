package httpguard_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/authcontract/authcontract/reference/httpguard"
)

// FuzzJSONBody sends arbitrary bodies and content types through JSONBody
// under an arbitrary limit. The guard must never panic; it must either pass
// the request on or write one error, never both; what it passes on must be
// within the limit, of a JSON content type (or none) and exactly one JSON
// document, handed over byte for byte; what it refuses must be refused with
// the status for the first check it fails, and everything it should pass
// must get through.
func FuzzJSONBody(f *testing.F) {
	for _, seed := range []struct {
		limit       uint16
		contentType string
		body        string
	}{
		{64, "application/json", `{"a":1}`},
		{64, "application/json; charset=utf-8", `[1, "two", null, true, {"x": 3.5e2}]`},
		{64, "", ` "surrounding whitespace" `},
		{64, "Application/JSON", `{}`},
		{7, "application/json", `{"a":1}`},
		{6, "application/json", `{"a":1}`},
		{0, "application/json", ``},
		{0, "", `1`},
		{64, "text/plain", `{"a":1}`},
		{64, "application/json;", `{}`},
		{64, "application/json; charset", `{}`},
		{64, "application/jsonx", `{}`},
		{64, "application/json", `{"a":`},
		{64, "application/json", `{"a":1} {}`},
		{64, "application/json", `{"a":1}]`},
		{64, "application/json", "   \n\t"},
		{64, "application/json", "\ufeff{}"},
		{64, "application/json", `"\xff"`},
		{64, "application/json", `{"a":1,"a":2}`},
		{4096, "application/json", strings.Repeat("[", 1000) + strings.Repeat("]", 1000)},
		{4096, "application/json", strings.Repeat("[", 1000) + strings.Repeat("]", 999)},
	} {
		f.Add(seed.limit, seed.contentType, []byte(seed.body))
	}

	f.Fuzz(func(t *testing.T, limit uint16, contentType string, body []byte) {
		maxBytes := int64(limit)
		var (
			passed     bool
			passedBody []byte
			passedLen  int64
			errors     []int
		)
		next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			passed = true
			var err error
			if passedBody, err = io.ReadAll(r.Body); err != nil {
				t.Errorf("next handler cannot read the body: %v", err)
			}
			passedLen = r.ContentLength
			w.WriteHeader(http.StatusOK)
		})
		record := func(w http.ResponseWriter, _ *http.Request, status int, message string) {
			errors = append(errors, status)
			if message == "" {
				t.Errorf("status %d written without a message", status)
			}
			w.WriteHeader(status)
		}
		req := httptest.NewRequest(http.MethodPost, "/things", bytes.NewReader(body))
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		httpguard.JSONBody(maxBytes, record, next).ServeHTTP(httptest.NewRecorder(), req)

		if passed == (len(errors) > 0) || len(errors) > 1 {
			t.Fatalf("passed on: %t, errors written: %v; want exactly one of the two", passed, errors)
		}
		want := wantGuardStatus(maxBytes, contentType, body)
		if passed {
			if want != http.StatusOK {
				t.Fatalf("passed on a request that should get %d: limit %d, content type %q, body %q", want, maxBytes, contentType, body)
			}
			if !bytes.Equal(passedBody, body) || passedLen != int64(len(body)) {
				t.Errorf("next handler got body %q (ContentLength %d), want %q (%d bytes)", passedBody, passedLen, body, len(body))
			}
			return
		}
		if errors[0] != want {
			t.Errorf("status %d, want %d: limit %d, content type %q, body %q", errors[0], want, maxBytes, contentType, body)
		}
	})
}

// wantGuardStatus is what JSONBody documents, checked in its order: 415 for
// a content type that is sent and not application/json, 413 for a body over
// the limit, 400 for anything but exactly one JSON document, else 200 (passed
// on). json.Valid is encoding/json's own definition of one JSON value with
// optional surrounding whitespace, independent of the guard's decoder.
func wantGuardStatus(maxBytes int64, contentType string, body []byte) int {
	if contentType != "" {
		if mediaType, _, err := mime.ParseMediaType(contentType); err != nil || mediaType != "application/json" {
			return http.StatusUnsupportedMediaType
		}
	}
	if int64(len(body)) > maxBytes {
		return http.StatusRequestEntityTooLarge
	}
	if !json.Valid(body) {
		return http.StatusBadRequest
	}
	return http.StatusOK
}
