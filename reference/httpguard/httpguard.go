// Package httpguard answers, in the API's own error shape, the requests that
// never reach an operation: unknown paths, methods a path does not take, and
// bodies that are too large, not JSON, or not one well-formed JSON document.
// The generated servers would otherwise answer these with plain text.
package httpguard

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
)

// ErrorWriter writes one error response in the API's documented error shape.
type ErrorWriter func(w http.ResponseWriter, r *http.Request, status int, message string)

// probeMethods are the methods tried when deciding whether a path exists
// under another method.
var probeMethods = []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions}

// NotFoundOrMethodNotAllowed returns the catch-all handler to register on mux
// as "/": it answers 405 with an Allow header when the path exists under
// another method, as HTTP (and Azure Resource Manager) does, and 404
// otherwise.
func NotFoundOrMethodNotAllowed(mux *http.ServeMux, write ErrorWriter) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if allowed := allowedMethods(mux, r); len(allowed) > 0 {
			w.Header().Set("Allow", strings.Join(allowed, ", "))
			write(w, r, http.StatusMethodNotAllowed, wrongMethodMessage(r, allowed))
			return
		}
		write(w, r, http.StatusNotFound, notFoundMessage(r))
	})
}

// NotFoundOrNotImplemented returns the catch-all handler to register on mux
// as "/" for a grpc-gateway API: it answers 501 when the path exists under
// another method, as grpc-gateway v2 does (runtime/mux.go routes it through
// DefaultRoutingErrorHandler as UNIMPLEMENTED, which maps to 501, with no
// Allow header), and 404 otherwise.
func NotFoundOrNotImplemented(mux *http.ServeMux, write ErrorWriter) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if allowed := allowedMethods(mux, r); len(allowed) > 0 {
			write(w, r, http.StatusNotImplemented, wrongMethodMessage(r, allowed))
			return
		}
		write(w, r, http.StatusNotFound, notFoundMessage(r))
	})
}

// allowedMethods lists the methods under which mux serves r's path, the
// catch-all "/" aside.
func allowedMethods(mux *http.ServeMux, r *http.Request) []string {
	var allowed []string
	for _, method := range probeMethods {
		probe := r.Clone(r.Context())
		probe.Method = method
		if _, pattern := mux.Handler(probe); pattern != "" && pattern != "/" {
			allowed = append(allowed, method)
		}
	}
	return allowed
}

func wrongMethodMessage(r *http.Request, allowed []string) string {
	return fmt.Sprintf("method %s is not allowed on %s; allowed: %s", r.Method, r.URL.Path, strings.Join(allowed, ", "))
}

func notFoundMessage(r *http.Request) string {
	return fmt.Sprintf("no operation at %s %s", r.Method, r.URL.Path)
}

// JSONBody lets a request through only when its body is at most maxBytes long
// and holds exactly one JSON document, and its Content-Type (when sent) is
// application/json. The body is buffered, so the next handler reads it again
// from the start.
func JSONBody(maxBytes int64, write ErrorWriter, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if contentType := r.Header.Get("Content-Type"); contentType != "" {
			mediaType, _, err := mime.ParseMediaType(contentType)
			if err != nil || mediaType != "application/json" {
				write(w, r, http.StatusUnsupportedMediaType, fmt.Sprintf("content type %q is not supported; send application/json", contentType))
				return
			}
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBytes))
		if err != nil {
			var tooLarge *http.MaxBytesError
			if errors.As(err, &tooLarge) {
				write(w, r, http.StatusRequestEntityTooLarge, fmt.Sprintf("request body exceeds %d bytes", maxBytes))
				return
			}
			write(w, r, http.StatusBadRequest, fmt.Sprintf("read request body: %v", err))
			return
		}
		if err := oneJSONDocument(body); err != nil {
			write(w, r, http.StatusBadRequest, fmt.Sprintf("request body is not valid JSON: %v", err))
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		next.ServeHTTP(w, r)
	})
}

// oneJSONDocument fails on empty bodies, syntax errors and trailing data,
// which encoding/json's streaming decoder would silently accept.
func oneJSONDocument(body []byte) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return errors.New("body is empty")
	}
	decoder := json.NewDecoder(bytes.NewReader(body))
	var document json.RawMessage
	if err := decoder.Decode(&document); err != nil {
		return err
	}
	if _, err := decoder.Token(); !errors.Is(err, io.EOF) {
		return errors.New("unexpected data after the JSON document")
	}
	return nil
}
