package conformance

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/authcontract/authcontract/contracttests/fixture"
)

func TestTheTypeAConfigIsStoredUnder(t *testing.T) {
	names := []string{"GENERIC", "GITHUB_ACTIONS", "KUBE_SERVICE_ACCOUNT"}
	cases := []struct {
		name, sent, want string
	}{
		{"an absent type is GENERIC", ``, "GENERIC"},
		{"null is GENERIC", `null`, "GENERIC"},
		{"a name of the enum is itself", `"GITHUB_ACTIONS"`, "GITHUB_ACTIONS"},
		{"a name outside the enum is ignored, so GENERIC", `"GITLAB"`, "GENERIC"},
		{"names are case-sensitive", `"github_actions"`, "GENERIC"},
		{"a number is the value with that number", `1`, "GITHUB_ACTIONS"},
		{"a number no value has is stored as GENERIC", `7`, "GENERIC"},
		{"a negative number is stored as GENERIC", `-1`, "GENERIC"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := storedType(json.RawMessage(tc.sent), names); got != tc.want {
				t.Fatalf("%s is stored as %s, want %s", tc.sent, got, tc.want)
			}
		})
	}
}

func TestConfigEchoed(t *testing.T) {
	const mappings = `"mappings":[{"key":"sub","valueExpression":".*","role":"Admin"}]`
	cases := []struct {
		name, request, response string
		wantProblem             string
	}{
		{"the config sent comes back", `{"config":{"type":"GENERIC","tokenExpirationDuration":"1h","issuer":"https://i",` + mappings + `}}`,
			`{"config":{"id":"x","type":"GENERIC","tokenExpirationDuration":"1h","issuer":"https://i",` + mappings + `}}`, ""},
		{"a returned config may leave out GENERIC", `{"config":{"tokenExpirationDuration":"1h","issuer":"https://i",` + mappings + `}}`,
			`{"config":{"id":"x","tokenExpirationDuration":"1h","issuer":"https://i",` + mappings + `}}`, ""},
		{"Central's traits and audience are fine", `{"config":{"tokenExpirationDuration":"1h","issuer":"https://i",` + mappings + `}}`,
			`{"config":{"id":"x","type":"GENERIC","tokenExpirationDuration":"1h","issuer":"https://i",` + mappings + `,"traits":{"origin":"IMPERATIVE"},"audience":""}}`, ""},
		{"GitHub's issuer fills an empty GITHUB_ACTIONS issuer", `{"config":{"type":"GITHUB_ACTIONS","tokenExpirationDuration":"1h",` + mappings + `}}`,
			`{"config":{"id":"x","type":"GITHUB_ACTIONS","tokenExpirationDuration":"1h","issuer":"https://token.actions.githubusercontent.com",` + mappings + `}}`, ""},
		{"data after the request's JSON value is ignored, as Central ignores it", `{"config":{"tokenExpirationDuration":"1h","issuer":"https://i",` + mappings + `}} {"config":{}}`,
			`{"config":{"id":"x","type":"GENERIC","tokenExpirationDuration":"1h","issuer":"https://i",` + mappings + `}}`, ""},
		{"an unknown type name comes back GENERIC", `{"config":{"type":"GITLAB","tokenExpirationDuration":"1h","issuer":"https://i",` + mappings + `}}`,
			`{"config":{"id":"x","type":"GENERIC","tokenExpirationDuration":"1h","issuer":"https://i",` + mappings + `}}`, ""},
		{"a returned type that is a number is not the document's", `{"config":{"type":7,"tokenExpirationDuration":"1h","issuer":"https://i",` + mappings + `}}`,
			`{"config":{"id":"x","type":7,"tokenExpirationDuration":"1h","issuer":"https://i",` + mappings + `}}`, "type is a JSON number"},
		{"another duration is not the one sent", `{"config":{"tokenExpirationDuration":"1h","issuer":"https://i",` + mappings + `}}`,
			`{"config":{"id":"x","tokenExpirationDuration":"2h","issuer":"https://i",` + mappings + `}}`, "tokenExpirationDuration"},
		{"another issuer is not the one sent", `{"config":{"tokenExpirationDuration":"1h","issuer":"https://i",` + mappings + `}}`,
			`{"config":{"id":"x","tokenExpirationDuration":"1h","issuer":"https://j",` + mappings + `}}`, "issuer"},
		{"lost mappings are not the ones sent", `{"config":{"tokenExpirationDuration":"1h","issuer":"https://i",` + mappings + `}}`,
			`{"config":{"id":"x","tokenExpirationDuration":"1h","issuer":"https://i","mappings":[]}}`, "mappings"},
	}
	r := testRunner(t, Options{})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := configEchoed(r, nil, sent{requestBody: []byte(tc.request), body: []byte(tc.response)})
			switch {
			case tc.wantProblem == "" && err != nil:
				t.Fatalf("unexpected problem: %v", err)
			case tc.wantProblem != "" && (err == nil || !strings.Contains(err.Error(), tc.wantProblem)):
				t.Fatalf("problem %v, want one about %q", err, tc.wantProblem)
			}
		})
	}
}

func TestIDAssignedByServer(t *testing.T) {
	request := func(id string) sent {
		req, _ := http.NewRequest(http.MethodPost, "http://target/v1/auth/m2m", nil)
		body := `{"config":{}}`
		if id != "" {
			body = `{"config":{"id":"` + id + `"}}`
		}
		return sent{request: req, requestBody: []byte(body)}
	}
	const sentID, fresh = "4f1c2a8e-5b7d-4e3a-9c6f-0a1b2c3d4e5f", "9b2e7c1a-3d4f-4a5b-8c6d-7e8f9a0b1c2d"
	with := func(got sent, id string) sent { got.body = []byte(`{"config":{"id":"` + id + `"}}`); return got }
	r := testRunner(t, Options{})
	cases := []struct {
		name, problem string
		got           sent
	}{
		{"a fresh UUID passes", "", with(request(sentID), fresh)},
		{"the id the client sent fails", "the id the client sent", with(request(sentID), sentID)},
		{"an id that is no UUID fails", "is not a UUID", with(request(""), "config-1")},
		{"the same id twice in a run fails", "already assigned", with(request(""), fresh)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := idAssignedByServer(r, nil, tc.got)
			if (tc.problem == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), tc.problem) {
				t.Fatalf("problem %v, want %q", err, tc.problem)
			}
		})
	}
}

func TestTokenSemantics(t *testing.T) {
	r := testRunner(t, Options{Now: func() time.Time { return time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC) }})
	values := fixture.Values{"subscriptionId": "s", "resourceGroupName": "rg", "containerAppName": "app"}
	token := func(id, name, expires string) sent {
		return sent{body: []byte(`{"id":"` + id + `","name":"` + name + `","type":"Microsoft.App/containerApps/accesstoken","location":"East US","properties":{"token":"t0k3n","expires":"` + expires + `"}}`)}
	}
	const id = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.App/containerApps/app"
	cases := []struct {
		name    string
		rule    semanticRule
		got     sent
		problem string
	}{
		{"a token naming the app passes", tokenNamesApp, token(id, "app", "2026-12-02T01:00:00Z"), ""},
		{"the resource group compares without case", tokenNamesApp, token(strings.Replace(id, "rg", "RG", 1), "app", "2026-12-02T01:00:00Z"), ""},
		{"another app's name fails", tokenNamesApp, token(id, "other", "2026-12-02T01:00:00Z"), "name"},
		{"a future expiry passes", tokenIsUsable, token(id, "app", "2026-12-02T01:00:00Z"), ""},
		{"an expiry within the clock skew passes", tokenIsUsable, token(id, "app", "2026-12-01T23:59:00Z"), ""},
		{"a past expiry fails", tokenIsUsable, token(id, "app", "2026-12-01T00:00:00Z"), "not in the future"},
		{"an expiry that is no date-time fails", tokenIsUsable, token(id, "app", "tomorrow"), "not a date-time"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.rule(r, values, tc.got)
			if (tc.problem == "") != (err == nil) || err != nil && !strings.Contains(err.Error(), tc.problem) {
				t.Fatalf("problem %v, want %q", err, tc.problem)
			}
		})
	}
}
