package reference_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/authcontract/authcontract/internal/interleave"
	"github.com/authcontract/authcontract/openapi"
	"github.com/authcontract/authcontract/openapi/validation"
	"github.com/authcontract/authcontract/reference"
)

const benchToken = "bench-token"

// BenchmarkRequestValidationOverhead measures how many requests per second
// the reference handler serves alone and behind a middleware that first
// has both validators check each request (validation.Validator.ValidateRequest),
// for the successful request of each API. Both loops run in the same
// benchmark, so x-slower (validated over plain time per request) carries
// from one machine to another. The handler is called in-process with a
// recorder: over loopback the network would hide most of the difference
// this benchmark is after.
func BenchmarkRequestValidationOverhead(b *testing.B) {
	for _, api := range openapi.APIs() {
		b.Run(string(api), func(b *testing.B) {
			v, err := validation.New(api)
			if err != nil {
				b.Fatal(err)
			}
			// Two handlers, so that each stores its own ACS configs and
			// neither loop refuses an issuer the other took.
			plain := newReferenceHandler(b)
			validated := validatingRequests(v, newReferenceHandler(b))
			serve := func(handler http.Handler) func() {
				sent := 0
				return func() {
					sent++
					recorder := httptest.NewRecorder()
					handler.ServeHTTP(recorder, successfulRequest(api, sent))
					// Anything but 200 would time an error path.
					if recorder.Code != http.StatusOK {
						b.Fatalf("status %d: %s", recorder.Code, recorder.Body)
					}
				}
			}

			b.ResetTimer()
			ns := interleave.NsPerOp(b.N, serve(plain), serve(validated))
			plainNs, validatedNs := ns[0], ns[1]
			b.StopTimer()

			b.ReportMetric(0, "ns/op")
			b.ReportMetric(1e9/plainNs, "plain-req/s")
			b.ReportMetric(1e9/validatedNs, "validated-req/s")
			b.ReportMetric(validatedNs/plainNs, "x-slower")
		})
	}
}

func newReferenceHandler(b *testing.B) http.Handler {
	cfg := reference.DefaultConfig()
	cfg.BearerToken = benchToken
	handler, err := reference.NewHandler(cfg)
	if err != nil {
		b.Fatal(err)
	}
	return handler
}

// validatingRequests refuses with 400 any request either validator finds
// outside the document, and passes the rest on with the body intact. The
// body is read whole without a cap: the benchmark sends small ones.
func validatingRequests(v *validation.Validator, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		if result := v.ValidateRequest(r, body); !result.OK() {
			http.Error(w, result.String(), http.StatusBadRequest)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// successfulRequest is a request the reference answers with 200: the
// document's sample token request, or an ACS config under an issuer
// numbered i, which the caller keeps unique per handler (the issuer is a
// unique key).
func successfulRequest(api openapi.API, i int) *http.Request {
	var req *http.Request
	switch api {
	case openapi.ContainerApps:
		req = httptest.NewRequest(http.MethodPost, "/subscriptions/651f8027-33e8-4ec4-97b4-f6e9f3dc8744/resourceGroups/rg/providers/Microsoft.App/containerApps/testcontainerapp0/getAuthtoken?api-version=2023-08-01-preview", nil)
	default:
		body := `{"config":{"type":"GENERIC","issuer":"https://issuer-` + strconv.Itoa(i) + `.example","tokenExpirationDuration":"2h45m","mappings":[{"key":"sub","valueExpression":"repo:octo-org/.*:ref:refs/heads/main","role":"Admin"},{"key":"aud","valueExpression":"ci-.*","role":"Continuous Integration"}]}}`
		req = httptest.NewRequest(http.MethodPost, "/v1/auth/m2m", bytes.NewReader([]byte(body)))
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+benchToken)
	return req
}
