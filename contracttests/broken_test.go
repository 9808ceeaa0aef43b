package contracttests_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/authcontract/authcontract/contracttests/conformance"
	"github.com/authcontract/authcontract/fixtures"
	"github.com/authcontract/authcontract/openapi"
	"github.com/authcontract/authcontract/reference"
)

// A broken implementation is the reference with one rule broken; each must
// be caught by the named check on the named case. A check that never fails
// on a broken server proves nothing.
func TestEveryCheckCatchesAnImplementationThatBreaksItsRule(t *testing.T) {
	cases := []struct {
		name      string
		breakIt   func(http.Handler) http.Handler
		wantCheck conformance.Check
		wantCase  string
	}{
		{
			"a token whose name is a number fails response_schema",
			rewriteJSONResponse(openapi.ContainerApps, 200, func(body map[string]any) { body["name"] = 7 }),
			conformance.ResponseSchema, "the document's sample request gets a token for the app",
		},
		{
			"an Azure error without the error envelope fails error_shape",
			rewriteJSONResponse(openapi.ContainerApps, 400, func(body map[string]any) { body["message"] = "bad"; delete(body, "error") }),
			conformance.ErrorShape, "a request without api-version is refused",
		},
		{
			"an ACS error whose gRPC code contradicts its status fails error_shape",
			rewriteJSONResponse(openapi.ACSM2M, 400, func(body map[string]any) { body["code"] = 13 }),
			conformance.ErrorShape, "a token expiration over 24h is refused",
		},
		{
			"a 500 on malformed JSON fails status_code",
			answerIf(func(r *http.Request, body []byte) bool { return r.URL.Path == "/v1/auth/m2m" && !json.Valid(body) },
				500, `{"code":13,"message":"internal error"}`),
			conformance.StatusCode, "a body that is not JSON is refused",
		},
		{
			"accepting a missing api-version fails negative_rejection",
			rewriteRequest(func(r *http.Request) {
				if strings.HasPrefix(r.URL.Path, "/subscriptions/") && r.URL.Query().Get("api-version") == "" {
					r.URL.RawQuery = "api-version=" + conformance.DefaultAPIVersion
				}
			}),
			conformance.NegativeRejection, "a request without api-version is refused",
		},
		{
			"ignoring auth fails auth",
			rewriteRequest(func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+brokenToken) }),
			conformance.AuthRequired, "a request without a token is refused",
		},
		{
			"accepting a duration over 24h fails negative_rejection",
			rewriteRequestBody(func(body string) string { return strings.Replace(body, `"24h0m1s"`, `"24h"`, 1) }),
			conformance.NegativeRejection, "a token expiration over 24h is refused",
		},
		{
			"accepting an invalid RE2 expression fails negative_rejection",
			rewriteRequestBody(func(body string) string { return strings.Replace(body, `repo:(unclosed`, `repo:unclosed`, 1) }),
			conformance.NegativeRejection, "a valueExpression that does not compile is refused",
		},
		{
			"keeping the id the client sent fails semantics",
			keepSentID,
			conformance.Semantics, "an id sent by the client is refused or replaced, never kept",
		},
		{
			"storing something other than what was sent fails semantics",
			rewriteJSONResponse(openapi.ACSM2M, 200, func(body map[string]any) {
				body["config"].(map[string]any)["tokenExpirationDuration"] = "1h"
			}),
			conformance.Semantics, "a GENERIC config with a URL issuer is stored under a new id",
		},
		{
			"ignoring issuer uniqueness fails negative_rejection",
			answerIf(func(r *http.Request, body []byte) bool {
				// Only the duplicate-issuer case sends the duration "1h".
				return r.URL.Path == "/v1/auth/m2m" && bytes.Contains(body, []byte(`"1h"`))
			}, 200, `{"config":{"id":"6b1f1a8e-2c3d-4e5f-8a9b-0c1d2e3f4a5b","type":"GENERIC"}}`),
			conformance.NegativeRejection, "a second GENERIC config with the same issuer is refused",
		},
		{
			"an expired token fails semantics",
			rewriteJSONResponse(openapi.ContainerApps, 200, func(body map[string]any) {
				body["properties"].(map[string]any)["expires"] = "2022-07-14T19:22:50.3080223Z"
			}),
			conformance.Semantics, "the document's sample request gets a token for the app",
		},
		{
			"a token naming another app fails semantics",
			rewriteJSONResponse(openapi.ContainerApps, 200, func(body map[string]any) { body["name"] = "otherapp" }),
			conformance.Semantics, "the document's sample request gets a token for the app",
		},
		{
			"a case-sensitive resource group name fails positive_acceptance",
			answerIf(func(r *http.Request, _ []byte) bool { return strings.Contains(r.URL.Path, "/resourceGroups/RG/") },
				404, `{"error":{"code":"ResourceGroupNotFound","message":"no RG"}}`),
			conformance.PositiveAcceptance, "a resource group name in another case finds the same app",
		},
		{
			"answering an unknown app with 400 fails status_code",
			rewriteJSONResponse(openapi.ContainerApps, 404, func(map[string]any) {}, withStatus(400)),
			conformance.StatusCode, "an app that does not exist gets 404",
		},
		{
			"answering a method the path does not take with 200 fails status_code",
			answerIf(func(r *http.Request, _ []byte) bool { return r.Method == http.MethodPut }, 200, `{}`),
			conformance.StatusCode, "PUT, which the path does not take, gets a 4xx or 501",
		},
		{
			"answering a method the path does not take with 500 fails status_code",
			answerIf(func(r *http.Request, _ []byte) bool { return r.Method == http.MethodGet }, 500, `{"error":{"code":"InternalServerError","message":"boom"}}`),
			conformance.StatusCode, "GET, which the path does not take, gets a 4xx or 501",
		},
		{
			"a token without a location fails response_schema",
			rewriteJSONResponse(openapi.ContainerApps, 200, func(body map[string]any) { delete(body, "location") }),
			conformance.ResponseSchema, "the document's sample request gets a token for the app",
		},
		{
			"letting two of several identical adds win fails single_winner",
			twoWinners,
			conformance.SingleWinner, "eight adds of one config sent at once have exactly one winner",
		},
		{
			"a refused add that keeps its issuer fails positive_acceptance",
			remembersRefusedIssuers,
			conformance.PositiveAcceptance, "a config refused for a wrong token leaves its issuer free",
		},
		{
			"a decoder that cannot read \\u escapes, which the generated client writes for <, > and &, fails client_roundtrip",
			answerIf(func(r *http.Request, body []byte) bool {
				return r.URL.Path == "/v1/auth/m2m" && bytes.Contains(body, []byte(`\u00`))
			}, 400, `{"code":3,"message":"unexpected escape","error":"unexpected escape","details":[]}`),
			conformance.ClientRoundtrip, "a mapping key and role with <, > and & are stored as sent",
		},
		{
			"a body labelled text/plain fails content_type",
			relabel("text/plain"),
			conformance.ContentType, "a GENERIC config with a URL issuer is stored under a new id",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			outcomes := verifyHandler(t, tc.breakIt(referenceHandler(t)))
			found := false
			for _, o := range outcomes {
				if o.Check == tc.wantCheck && o.Case == tc.wantCase {
					found = true
					if !o.IsFailure() {
						t.Fatalf("%s passed on a broken implementation: %+v", o.Name(), o)
					}
				}
			}
			if !found {
				t.Fatalf("no %s outcome for case %q", tc.wantCheck, tc.wantCase)
			}
		})
	}
}

const brokenToken = "broken-impl-token"

func referenceHandler(t *testing.T) http.Handler {
	t.Helper()
	cfg := reference.DefaultConfig()
	cfg.BearerToken = brokenToken
	handler, err := reference.NewHandler(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return handler
}

// verifyHandler runs every fixture against handler and returns the outcomes.
func verifyHandler(t *testing.T, handler http.Handler) []conformance.Outcome {
	t.Helper()
	runner := runnerFor(t, handler, "broken")
	cases, err := conformance.LoadCases(fixtures.FS, openapi.APIs())
	if err != nil {
		t.Fatal(err)
	}
	var outcomes []conformance.Outcome
	for _, c := range cases {
		outcomes = append(outcomes, runner.Run(context.Background(), c)...)
	}
	return outcomes
}

// runnerFor serves handler (referenceHandler, broken or not) for the test
// and returns a runner aimed at it.
func runnerFor(t *testing.T, handler http.Handler, runID string) *conformance.Runner {
	t.Helper()
	return runnerWith(t, handler, runID, false)
}

// runnerWith is runnerFor for a strict run or not.
func runnerWith(t *testing.T, handler http.Handler, runID string, strict bool) *conformance.Runner {
	t.Helper()
	server := httptest.NewServer(handler)
	t.Cleanup(server.Close)
	runner, err := conformance.NewRunner(conformance.Target{
		BaseURL:      server.URL,
		Token:        brokenToken,
		ContainerApp: reference.DefaultConfig().ContainerApps.Apps[0],
		APIVersion:   conformance.DefaultAPIVersion,
		Timeout:      exchangeTimeout,
	}, conformance.Options{RunID: runID, Strict: strict})
	if err != nil {
		t.Fatal(err)
	}
	return runner
}

// recorded runs next into a recorder so a breakage can rewrite the answer.
func recorded(next http.Handler, r *http.Request) *httptest.ResponseRecorder {
	recorder := httptest.NewRecorder()
	next.ServeHTTP(recorder, r)
	return recorder
}

func apiOf(r *http.Request) openapi.API {
	if strings.HasPrefix(r.URL.Path, "/subscriptions/") {
		return openapi.ContainerApps
	}
	return openapi.ACSM2M
}

type responseOption func(*int)

func withStatus(status int) responseOption { return func(s *int) { *s = status } }

// rewriteJSONResponse edits the JSON body of every answer of api with the
// given status.
func rewriteJSONResponse(api openapi.API, status int, edit func(map[string]any), options ...responseOption) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			got := recorded(next, r)
			body := got.Body.Bytes()
			newStatus := got.Code
			if apiOf(r) == api && got.Code == status {
				var decoded map[string]any
				if json.Unmarshal(body, &decoded) == nil {
					edit(decoded)
					body, _ = json.Marshal(decoded)
				}
				for _, option := range options {
					option(&newStatus)
				}
			}
			copyHeader(w, got)
			w.WriteHeader(newStatus)
			w.Write(body)
		})
	}
}

// answerIf answers requests that match with a canned response instead of the
// reference's.
func answerIf(match func(*http.Request, []byte) bool, status int, body string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			sent := readBody(r)
			if match(r, sent) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(status)
				io.WriteString(w, body)
				return
			}
			next.ServeHTTP(w, r)
		})
	}
}

func rewriteRequest(edit func(*http.Request)) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			edit(r)
			next.ServeHTTP(w, r)
		})
	}
}

func rewriteRequestBody(edit func(string) string) func(http.Handler) http.Handler {
	return rewriteRequest(func(r *http.Request) {
		body := []byte(edit(string(readBody(r))))
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
	})
}

// keepSentID answers with the id the client sent instead of the one the
// reference assigned.
func keepSentID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var sent struct {
			Config struct {
				ID string `json:"id"`
			} `json:"config"`
		}
		json.Unmarshal(readBody(r), &sent)
		got := recorded(next, r)
		body := got.Body.Bytes()
		if sent.Config.ID != "" && got.Code == 200 {
			var decoded map[string]any
			json.Unmarshal(body, &decoded)
			decoded["config"].(map[string]any)["id"] = sent.Config.ID
			body, _ = json.Marshal(decoded)
		}
		copyHeader(w, got)
		w.WriteHeader(got.Code)
		w.Write(body)
	})
}

func relabel(contentType string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			got := recorded(next, r)
			copyHeader(w, got)
			w.Header().Set("Content-Type", contentType)
			w.WriteHeader(got.Code)
			w.Write(got.Body.Bytes())
		})
	}
}

// issuerOf reads the issuer an ACS add names, "" if none.
func issuerOf(body []byte) string {
	var sent struct {
		Config struct {
			Issuer string `json:"issuer"`
		} `json:"config"`
	}
	json.Unmarshal(body, &sent)
	return sent.Config.Issuer
}

// remembersRefusedIssuers takes the issuer of every refused add, as if it
// stored it before checking the request, and answers 409 to any later add
// of it.
func remembersRefusedIssuers(next http.Handler) http.Handler {
	var mu sync.Mutex
	taken := map[string]bool{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		issuer := issuerOf(readBody(r))
		mu.Lock()
		held := issuer != "" && taken[issuer]
		mu.Unlock()
		if held {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusConflict)
			io.WriteString(w, `{"code":6,"message":"issuer taken","error":"issuer taken","details":[]}`)
			return
		}
		got := recorded(next, r)
		if got.Code >= 400 && issuer != "" {
			mu.Lock()
			taken[issuer] = true
			mu.Unlock()
		}
		copyHeader(w, got)
		w.WriteHeader(got.Code)
		w.Write(got.Body.Bytes())
	})
}

// twoWinners accepts the first add the reference refuses as a duplicate
// of an issuer, as a store without a unique index would.
func twoWinners(next http.Handler) http.Handler {
	var mu sync.Mutex
	second := map[string]bool{}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		issuer := issuerOf(readBody(r))
		got := recorded(next, r)
		mu.Lock()
		win := got.Code == http.StatusConflict && !second[issuer]
		second[issuer] = second[issuer] || win
		mu.Unlock()
		if win {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusOK)
			io.WriteString(w, `{"config":{"id":"`+uuid.NewString()+`","type":"GENERIC","issuer":"`+issuer+`"}}`)
			return
		}
		copyHeader(w, got)
		w.WriteHeader(got.Code)
		w.Write(got.Body.Bytes())
	})
}

// readBody reads the request body and puts it back for the next handler.
func readBody(r *http.Request) []byte {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	return body
}

func copyHeader(w http.ResponseWriter, got *httptest.ResponseRecorder) {
	for name, values := range got.Header() {
		if name == "Content-Length" {
			continue
		}
		w.Header()[name] = values
	}
}

// When only one validator accepts a response, the outcome must say so
// rather than pick a side: kin-openapi checks date-time with a pattern that
// lets a leap second through at any minute, libopenapi-validator only at
// 23:59:60 UTC. (Since kin-openapi v0.153.0 both check the calendar, so 30
// February no longer tells them apart.)
func TestAResponseOnlyOneValidatorAcceptsIsReportedAsADisagreement(t *testing.T) {
	impossibleDate := rewriteJSONResponse(openapi.ContainerApps, 200, func(body map[string]any) {
		body["properties"].(map[string]any)["expires"] = "2099-01-01T10:00:60Z"
	})
	const sample = "the document's sample request gets a token for the app"
	for _, o := range verifyHandler(t, impossibleDate(referenceHandler(t))) {
		if o.Check != conformance.ResponseSchema || o.Case != sample {
			continue
		}
		if o.Result != conformance.Disagreement || !o.IsFailure() {
			t.Fatalf("result %s, want %s counted as a failure", o.Result, conformance.Disagreement)
		}
		if !strings.Contains(o.Actual, "kin-openapi: ok") || !strings.Contains(o.Actual, "libopenapi-validator: ") {
			t.Fatalf("the outcome does not carry both validators' verdicts: %s", o.Actual)
		}
		return
	}
	t.Fatalf("no %s outcome for %q", conformance.ResponseSchema, sample)
}
