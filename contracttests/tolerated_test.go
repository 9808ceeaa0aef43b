package contracttests_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/authcontract/authcontract/contracttests/report"
	"github.com/authcontract/authcontract/openapi"
)

// Every tolerance of the suite is proven by an implementation that does
// what the real service does there and passes: the reference, changed in
// one place to answer as ARM or Central would.
func TestWhatTheRealServicesDoPasses(t *testing.T) {
	cases := []struct {
		name     string
		behaveAs func(http.Handler) http.Handler
	}{
		{
			"ARM's 404 with the body {} passes, as the document gives the 404 no type",
			rewriteJSONResponse(openapi.ContainerApps, 404, func(body map[string]any) { clear(body) }),
		},
		{
			"a 404 without a body passes",
			answerStatusOnly(openapi.ContainerApps, 404, "", ""),
		},
		{
			"a 404 with a plain-text body passes",
			answerStatusOnly(openapi.ContainerApps, 404, "text/plain", "Not Found"),
		},
		{
			"a createdByType the enum does not list passes, as ARM's enum is extensible",
			rewriteJSONResponse(openapi.ContainerApps, 200, func(body map[string]any) {
				body["systemData"] = map[string]any{"createdBy": "ci", "createdByType": "ServicePrincipal", "lastModifiedByType": "PartnerApp"}
			}),
		},
		{
			"Central's 501 with code 12 for another method passes",
			answerIf(func(r *http.Request, _ []byte) bool {
				return r.URL.Path == "/v1/auth/m2m" && r.Method != http.MethodPost
			},
				501, `{"code":12,"message":"Method Not Allowed","error":"Method Not Allowed","details":[]}`),
		},
		{
			"a returned config with Central's traits and audience passes",
			rewriteJSONResponse(openapi.ACSM2M, 200, func(body map[string]any) {
				config := body["config"].(map[string]any)
				config["traits"] = map[string]any{"mutabilityMode": "ALLOW_MUTATE", "visibility": "VISIBLE", "origin": "IMPERATIVE"}
				config["audience"] = ""
			}),
		},
		{
			"a returned GENERIC config that leaves out its type passes",
			rewriteJSONResponse(openapi.ACSM2M, 200, func(body map[string]any) {
				if config := body["config"].(map[string]any); config["type"] == "GENERIC" {
					delete(config, "type")
				}
			}),
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, o := range verifyHandler(t, tc.behaveAs(referenceHandler(t))) {
				if o.IsFailure() {
					t.Error("\n" + report.FailureBlock(o, ""))
				}
			}
		})
	}
}

// answerStatusOnly replaces every answer of api with the given status by
// one with that status and the given body.
func answerStatusOnly(api openapi.API, status int, contentType, body string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			got := recorded(next, r)
			if apiOf(r) != api || got.Code != status {
				copyHeader(w, got)
				w.WriteHeader(got.Code)
				w.Write(got.Body.Bytes())
				return
			}
			if contentType != "" {
				w.Header().Set("Content-Type", contentType)
			}
			w.WriteHeader(status)
			io.WriteString(w, body)
		})
	}
}

// A reply that is plainly a proxy's or mock's own error is labelled as such
// in the failure block, with the headers that show it, so that nobody
// blames the target for its gateway.
func TestAProxysOwnErrorIsLabelledAsSuch(t *testing.T) {
	prism := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/problem+json")
		w.Header().Set("sl-violations", `[{"location":["request","body"],"severity":"Error","message":"must have required property 'config'"}]`)
		w.WriteHeader(http.StatusUnprocessableEntity)
		io.WriteString(w, `{"type":"https://stoplight.io/prism/errors#UNPROCESSABLE_ENTITY","title":"Invalid request","status":422,"detail":"Your request is not valid and no HTTP validation response was found in the spec, so Prism is generating this error for you."}`)
	})
	for _, o := range verifyHandler(t, prism) {
		if !o.IsFailure() {
			continue
		}
		block := report.FailureBlock(o, "")
		for _, want := range []string{"answered:  by an intermediary, not the target: Prism's own error (UNPROCESSABLE_ENTITY)", "Prism's validating proxy reports violations", "Content-Type: application/problem+json", "Sl-Violations: "} {
			if !strings.Contains(block, want) {
				t.Fatalf("the failure block lacks %q:\n%s", want, block)
			}
		}
		return
	}
	t.Fatal("no failure against a target that answers everything with Prism's own error")
}
