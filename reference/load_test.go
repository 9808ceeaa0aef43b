package reference

// Load test of both APIs behind the one handler `authcontract serve` and an
// in-process `verify` run: requests for either API at once must each reach
// their own implementation and come back valid, with nothing shared between
// the two or between requests (run with -race).

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/uuid"

	acsgen "github.com/authcontract/authcontract/generated/acsm2m"
	azgen "github.com/authcontract/authcontract/generated/containerapps"
	"github.com/authcontract/authcontract/openapi"
	"github.com/authcontract/authcontract/openapi/validation"
	"github.com/authcontract/authcontract/reference/referencetest"
)

const (
	// loadWorkers is how many clients send at once; loadRequestsPerWorker
	// keeps the test under a few seconds with -race on two cores, while
	// every worker still sends several requests back to back.
	loadWorkers           = 64
	loadRequestsPerWorker = 8

	loadToken       = "load-test-token"
	sampleAppID     = "/subscriptions/651f8027-33e8-4ec4-97b4-f6e9f3dc8744/resourceGroups/rg/providers/Microsoft.App/containerApps/testcontainerapp0"
	sampleAPIPath   = sampleAppID + "/getAuthtoken?api-version=2023-08-01-preview"
	acsPath         = "/v1/auth/m2m"
	contestedIssuer = "https://contested.example.com"
)

// errorCode reads the code of either document's error shape: error.code
// (DefaultErrorResponse) or the gRPC code (RuntimeError), as text.
func errorCode(t *testing.T, api openapi.API, body []byte) string {
	t.Helper()
	if api == openapi.ContainerApps {
		var e azgen.DefaultErrorResponse
		if err := json.Unmarshal(body, &e); err != nil || e.Error == nil || e.Error.Code == nil {
			t.Fatalf("not a DefaultErrorResponse with error.code (%v): %s", err, body)
		}
		return *e.Error.Code
	}
	var e acsgen.RuntimeError
	if err := json.Unmarshal(body, &e); err != nil || e.Code == nil || e.Message == nil || *e.Message == "" {
		t.Fatalf("not a RuntimeError with code and message (%v): %s", err, body)
	}
	return fmt.Sprint(*e.Code)
}

func TestBothAPIsUnderConcurrentLoadAnswerEveryRequestValidly(t *testing.T) {
	cfg := DefaultConfig()
	cfg.BearerToken = loadToken
	handler, err := NewHandler(cfg)
	if err != nil {
		t.Fatalf("NewHandler: %v", err)
	}
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	server := srv.URL
	validators := map[openapi.API]*validation.Validator{}
	for _, api := range []openapi.API{openapi.ContainerApps, openapi.ACSM2M} {
		if validators[api], err = validation.New(api); err != nil {
			t.Fatalf("load %s validators: %v", api, err)
		}
	}

	acsConfig := func(issuer, duration string) string {
		return fmt.Sprintf(`{"config":{"type":"GENERIC","issuer":%q,"tokenExpirationDuration":%q,"mappings":[{"key":"sub","valueExpression":"^ci-.*$","role":"Admin"}]}}`, issuer, duration)
	}
	ownIssuer := func(n int) string { return fmt.Sprintf("https://issuer-%d.example.com", n) }
	kinds := []struct {
		name       string
		api        openapi.API
		method     string
		path       string
		auth       string
		body       func(n int) string // nil: no body
		wantStatus int                // 0: the contested issuer, one 200 and the rest 409
		wantCode   string
	}{
		{"a Container Apps token request for the sample app is answered 200 with a token for it",
			openapi.ContainerApps, http.MethodPost, sampleAPIPath, "Bearer " + loadToken, nil, http.StatusOK, ""},
		{"a Container Apps token request for an unknown app is answered 404 ResourceNotFound",
			openapi.ContainerApps, http.MethodPost, strings.Replace(sampleAPIPath, "testcontainerapp0", "no-such-app", 1), "Bearer " + loadToken, nil, http.StatusNotFound, "ResourceNotFound"},
		{"a Container Apps token request with a wrong token is refused with 401 InvalidAuthenticationToken",
			openapi.ContainerApps, http.MethodPost, sampleAPIPath, "Bearer not-the-token", nil, http.StatusUnauthorized, "InvalidAuthenticationToken"},
		{"an ACS config with an issuer of its own is answered 200 with the config under a fresh id",
			openapi.ACSM2M, http.MethodPost, acsPath, "Bearer " + loadToken, func(n int) string { return acsConfig(ownIssuer(n), "2h45m") }, http.StatusOK, ""},
		{"an ACS config for an issuer every worker adds is answered 200 once and 409 ALREADY_EXISTS otherwise",
			openapi.ACSM2M, http.MethodPost, acsPath, "Bearer " + loadToken, func(int) string { return acsConfig(contestedIssuer, "1h") }, 0, "6"},
		{"an ACS config with a duration over 24h is refused with 400 INVALID_ARGUMENT",
			openapi.ACSM2M, http.MethodPost, acsPath, "Bearer " + loadToken, func(n int) string { return acsConfig(ownIssuer(n), "25h") }, http.StatusBadRequest, "3"},
		{"an ACS config without a token is refused with 401 UNAUTHENTICATED",
			openapi.ACSM2M, http.MethodPost, acsPath, "", func(n int) string { return acsConfig(ownIssuer(n), "1h") }, http.StatusUnauthorized, "16"},
		{"a path neither API serves is answered 404 NOT_FOUND in the ACS error shape",
			openapi.ACSM2M, http.MethodPost, "/v2/nothing", "Bearer " + loadToken, nil, http.StatusNotFound, "5"},
	}

	// Request n is of kind n mod len(kinds), so that at every moment the
	// workers send different kinds to both APIs.
	kindOf := func(w, i int) int { return (w*loadRequestsPerWorker + i) % len(kinds) }
	// Requests are built here, where a failure may stop the test;
	// SendAtOnce judges nothing, so that t.Fatalf stays on this goroutine.
	// bodies[w][i] is the body reqs[w][i] sends.
	reqs := make([][]*http.Request, loadWorkers)
	bodies := make([][]string, loadWorkers)
	for w := range reqs {
		for i := range loadRequestsPerWorker {
			kind := kinds[kindOf(w, i)]
			var body string
			if kind.body != nil {
				body = kind.body(w*loadRequestsPerWorker + i)
			}
			req, err := http.NewRequest(kind.method, server+kind.path, strings.NewReader(body))
			if err != nil {
				t.Fatalf("build request: %v", err)
			}
			if kind.auth != "" {
				req.Header.Set("Authorization", kind.auth)
			}
			if body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			reqs[w] = append(reqs[w], req)
			bodies[w] = append(bodies[w], body)
		}
	}
	loads := referencetest.SendAtOnce(t, reqs)
	// Every reply is judged by both validators of its API before any kind
	// is looked at.
	replies := make([][]referencetest.Reply, len(kinds))
	sent := make([][]string, len(kinds))
	for w, batch := range loads {
		for i, l := range batch {
			k := kindOf(w, i)
			// A request the document does not describe is judged as if it
			// answered the operation.
			v := validators[kinds[k].api]
			replies[k] = append(replies[k], referencetest.Judge(t, v, l))
			sent[k] = append(sent[k], bodies[w][i])
		}
	}

	tokens := map[string]bool{}
	ids := map[uuid.UUID]bool{}
	for k, kind := range kinds {
		t.Run(kind.name, func(t *testing.T) {
			statuses := map[int]int{}
			for i, r := range replies[k] {
				statuses[r.Status]++
				switch {
				case r.Status != http.StatusOK:
					if code := errorCode(t, kind.api, r.Body); code != kind.wantCode {
						t.Errorf("%d reply has code %s, want %s: %s", r.Status, code, kind.wantCode, r.Body)
					}
				case kind.api == openapi.ContainerApps:
					var tok azgen.ContainerAppAuthToken
					if err := json.Unmarshal(r.Body, &tok); err != nil || tok.Id == nil || tok.Properties == nil || tok.Properties.Token == nil {
						t.Fatalf("not a ContainerAppAuthToken with id and token (%v): %s", err, r.Body)
					}
					if *tok.Id != sampleAppID {
						t.Errorf("id = %q, want %q", *tok.Id, sampleAppID)
					}
					if tokens[*tok.Properties.Token] {
						t.Errorf("token %q was issued twice", *tok.Properties.Token)
					}
					tokens[*tok.Properties.Token] = true
				default:
					var answer acsgen.V1AddAuthMachineToMachineConfigResponse
					var request acsgen.V1AddAuthMachineToMachineConfigRequest
					if err := json.Unmarshal(r.Body, &answer); err != nil || answer.Config == nil || answer.Config.Id == nil || answer.Config.Issuer == nil {
						t.Fatalf("not a config with id and issuer (%v): %s", err, r.Body)
					}
					if err := json.Unmarshal([]byte(sent[k][i]), &request); err != nil {
						t.Fatalf("decode the sent body: %v", err)
					}
					if *answer.Config.Issuer != *request.Config.Issuer {
						t.Errorf("issuer = %q, want the one sent, %q", *answer.Config.Issuer, *request.Config.Issuer)
					}
					if id := *answer.Config.Id; ids[id] || id.Version() != 4 {
						t.Errorf("id %s is reused or not a random (version 4) UUID", id)
					}
					ids[*answer.Config.Id] = true
				}
			}
			n := len(replies[k])
			want := map[int]int{kind.wantStatus: n}
			if kind.wantStatus == 0 {
				want = map[int]int{http.StatusOK: 1, http.StatusConflict: n - 1}
			}
			if !maps.Equal(statuses, want) {
				t.Errorf("statuses = %v, want %v", statuses, want)
			}
		})
	}
}
