package conformance

import (
	"net/http"
	"strings"
	"testing"

	"github.com/authcontract/authcontract/contracttests/fixture"
	"github.com/authcontract/authcontract/openapi"
)

// The engine's judging functions, each tested directly on the answers that
// decide it, apart from whole runs.

// testRunner is a runner whose target is never contacted.
func testRunner(t *testing.T, opts Options) *Runner {
	t.Helper()
	r, err := NewRunner(Target{
		BaseURL:      "http://127.0.0.1:1",
		Token:        "test-token",
		ContainerApp: "/subscriptions/s/resourceGroups/rg/providers/Microsoft.App/containerApps/app",
		APIVersion:   DefaultAPIVersion,
	}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func caseOf(api openapi.API, kind fixture.Kind, expect fixture.Expect) Case {
	return Case{API: api, Fixture: fixture.Fixture{Name: "a case", Kind: kind, Expect: expect}}
}

func answer(status int, contentType, body string) sent {
	header := http.Header{}
	if contentType != "" {
		header.Set("Content-Type", contentType)
	}
	return sent{status: status, header: header, body: []byte(body)}
}

func TestStatusCodeJudgement(t *testing.T) {
	acs := []string{"200", "default"}
	azure := []string{"200", "404", "default"}
	cases := []struct {
		name       string
		c          Case
		documented []string
		status     int
		want       Result
	}{
		{"a 5xx always fails", caseOf(openapi.ACSM2M, fixture.Negative, fixture.Expect{}), acs, 500, Failed},
		{"a documented status passes", caseOf(openapi.ContainerApps, fixture.Positive, fixture.Expect{}), azure, 404, Passed},
		{"a status only the default covers passes", caseOf(openapi.ACSM2M, fixture.Negative, fixture.Expect{}), acs, 409, Passed},
		{"a status the document does not give fails", caseOf(openapi.ContainerApps, fixture.Positive, fixture.Expect{}), []string{"200", "404"}, 400, Failed},
		{"a documented case must get the exact status", caseOf(openapi.ContainerApps, fixture.Documented, fixture.Expect{Status: fixture.Status{"404"}}), azure, 400, Failed},
		{"a tolerant case may get any status it lists", caseOf(openapi.ACSM2M, fixture.Tolerant, fixture.Expect{Status: fixture.Status{"200", "4xx"}}), acs, 404, Passed},
		{"another method may get a 4xx", caseOf(openapi.ACSM2M, fixture.Method, fixture.Expect{}), acs, 405, Passed},
		{"another method may get 501, grpc-gateway's answer", caseOf(openapi.ACSM2M, fixture.Method, fixture.Expect{}), acs, 501, Passed},
		{"another method must not get a 2xx", caseOf(openapi.ACSM2M, fixture.Method, fixture.Expect{}), acs, 200, Failed},
		{"another method must not get another 5xx", caseOf(openapi.ACSM2M, fixture.Method, fixture.Expect{}), acs, 503, Failed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got, _, actual := judgeStatusCode(tc.c, tc.documented, answer(tc.status, "application/json", "{}")); got != tc.want {
				t.Fatalf("%s, want %s (%s)", got, tc.want, actual)
			}
		})
	}
}

func TestRejectionJudgement(t *testing.T) {
	negative := fixture.Expect{Broken: "it breaks a rule"}
	lenient := fixture.Expect{Broken: "only the schema forbids it", AcceptedUpstream: "unknown-type-ignored"}
	masked := fixture.Expect{Broken: "a foreign GitHub issuer", MaskedBy: &fixture.Mask{Status: fixture.Status{"409"}, Rule: "issuer-taken-conflicts"}}
	cases := []struct {
		name   string
		expect fixture.Expect
		strict bool
		status int
		want   Result
	}{
		{"a 4xx passes", negative, false, 400, Passed},
		{"an acceptance fails", negative, false, 200, Failed},
		{"a 5xx fails", negative, false, 500, Failed},
		{"an acceptance the real service gives too is a warning", lenient, false, 200, Warning},
		{"that warning is a failure in a strict run", lenient, true, 200, Failed},
		{"a refusal of a lenient input still passes", lenient, false, 400, Passed},
		{"a refusal the target's state explains is skipped, not passed", masked, false, 409, Skipped},
		{"a refusal for the rule's own reason passes a maskable case", masked, false, 400, Passed},
		{"an acceptance of a maskable case fails", masked, false, 200, Failed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := testRunner(t, Options{Strict: tc.strict})
			got, expected, actual := r.judgeRejection(caseOf(openapi.ACSM2M, fixture.Negative, tc.expect), answer(tc.status, "application/json", "{}"))
			if got != tc.want {
				t.Fatalf("%s, want %s (expected %s; actual %s)", got, tc.want, expected, actual)
			}
			if got == Skipped && !strings.Contains(actual, "masked") {
				t.Errorf("a masked refusal does not say so: %s", actual)
			}
			if tc.expect.AcceptedUpstream != "" && got != Passed && !strings.Contains(expected, tc.expect.AcceptedUpstream) {
				t.Errorf("the verdict does not name the upstream rule: %s", expected)
			}
		})
	}
}

func TestSingleWinnerJudgement(t *testing.T) {
	replies := func(statuses ...int) []sent {
		var out []sent
		for _, status := range statuses {
			out = append(out, answer(status, "application/json", "{}"))
		}
		return out
	}
	cases := []struct {
		name    string
		replies []sent
		want    Result
	}{
		{"one winner, the rest refused, passes", replies(409, 200, 409, 409), Passed},
		{"two winners fail", replies(200, 200, 409), Failed},
		{"no winner fails", replies(409, 409), Failed},
		{"a loser answered with a 5xx fails", replies(200, 500, 409), Failed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got, _, actual := judgeSingleWinner(tc.replies); got != tc.want {
				t.Fatalf("%s, want %s (%s)", got, tc.want, actual)
			}
		})
	}
}

func TestContentTypeJudgement(t *testing.T) {
	cases := []struct {
		name, contentType, body string
		want                    Result
	}{
		{"application/json passes", "application/json", "{}", Passed},
		{"parameters are allowed", "application/json; charset=utf-8", "{}", Passed},
		{"another media type fails", "text/plain", "{}", Failed},
		{"a missing Content-Type on a body fails", "", "{}", Failed},
		{"no body needs no media type", "", "", Passed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got, _, actual := judgeContentType(answer(200, tc.contentType, tc.body)); got != tc.want {
				t.Fatalf("%s, want %s (%s)", got, tc.want, actual)
			}
		})
	}
}

func TestErrorShapeJudgement(t *testing.T) {
	cases := []struct {
		name   string
		api    openapi.API
		status int
		body   string
		want   Result
	}{
		{"Azure's envelope passes", openapi.ContainerApps, 400, `{"error":{"code":"BadRequest","message":"no"}}`, Passed},
		{"an Azure error without its envelope fails", openapi.ContainerApps, 400, `{"code":"BadRequest","message":"no"}`, Failed},
		{"an Azure error without a message fails", openapi.ContainerApps, 400, `{"error":{"code":"BadRequest"}}`, Failed},
		{"an empty Azure 404 passes", openapi.ContainerApps, 404, ``, Passed},
		{"a RuntimeError whose code fits the status passes", openapi.ACSM2M, 409, `{"code":6,"message":"taken"}`, Passed},
		{"a RuntimeError whose code contradicts the status fails", openapi.ACSM2M, 400, `{"code":13,"message":"boom"}`, Failed},
		{"UNIMPLEMENTED fits grpc-gateway's 501", openapi.ACSM2M, 501, `{"code":12,"message":"Method Not Allowed"}`, Passed},
		{"a RuntimeError without a code fails", openapi.ACSM2M, 400, `{"message":"no"}`, Failed},
		{"a RuntimeError that says nothing fails", openapi.ACSM2M, 400, `{"code":3}`, Failed},
		{"a body that is no JSON fails", openapi.ACSM2M, 400, `bad request`, Failed},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got, _, actual := judgeErrorShape(tc.api, answer(tc.status, "application/json", tc.body)); got != tc.want {
				t.Fatalf("%s, want %s (%s)", got, tc.want, actual)
			}
		})
	}
}
